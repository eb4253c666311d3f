"""Words that address a chart's controls (issue 22, item 6): found outside {js:…}, marked inside."""
from broadsheet import controls


def _codes(text: str, language: str = "fr") -> list[tuple[int, int]]:
    return [(d.location.line, d.location.column)
            for d in controls.check([[(text, 3, 5)]], "x.md", language, "this sentence")]


def test_an_imperative_naming_a_control_is_found_at_its_verb():
    text = "Les durées varient. Choisissez un lieu sous le graphique pour le mettre en évidence."
    assert _codes(text) == [(3, 5 + text.index("Choisissez"))]
    assert _codes("Drag the slider to see your own scenario.", "en") == [(3, 5)]
    assert _codes("Wählen Sie unten eine Kategorie.", "de") == [(3, 5)]


def test_inside_js_or_without_a_control_word_nothing_is_said():
    assert _codes("Les durées varient. {js:Choisissez un lieu sous le graphique.}") == []
    assert _codes("Choisissez vos sources avec soin.") == []  # no control, no chart
    assert _codes("Les curseurs du graphique changent l’effectif.") == []  # describes, does not tell
    assert _codes("Choisissez un lieu sous le graphique.", "ar") == []  # a language not read


def test_a_directive_naming_a_chart_or_a_fact_is_no_sentence():
    # A chart id from the Vega-Lite gallery (interactive_bar_select_highlight) placed on its own line
    assert _codes("{chart:interactive-bar-select-highlight}", "en") == []
    assert _codes("{chart:interactive-line-hover}", "en") == []
    assert _codes("Le total est {fact:choose_chart_share}.") == []
    text = "{chart:drag-map} Drag the slider below the chart."
    assert _codes(text, "en") == [(3, 5 + text.index("Drag"))]


def test_a_caption_written_in_several_literals_is_read_as_one_text():
    pieces = [("Sources diverses. Choisissez un type ", 14, 6), ("sous le graphique.", 15, 6)]
    found = controls.check([pieces], "c.py", "fr", "this sentence of chart 'c'")
    assert [(d.code, d.location.line, d.location.column) for d in found] == [("words-need-js", 14, 24)]
    assert "{js:" in found[0].hint


def test_html_marks_the_js_parts_and_escapes_the_rest():
    assert controls.escape_html("A < B. {js:Choisissez & voyez.}") == \
        'A &lt; B. <span class="js-only">Choisissez &amp; voyez.</span>'
    assert controls.plain("Texte. {js:Choisissez.}") == "Texte."
