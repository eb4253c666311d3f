from broadsheet import markup


def test_directives_found_with_line_and_column_and_code_ignored():
    text = "Intro {fact:wage}.\n\n`{fact:in_code}`\n\n```\n{fact:in_fence}\n```\n\n{chart:pay}\n"
    found, problems = markup.scan_directives(text, "s.md", 4)
    assert problems == []
    assert [(d.kind, d.name, d.location.line, d.location.column) for d in found] == [
        ("fact", "wage", 5, 7), ("chart", "pay", 13, 1)]


def test_unknown_directive_unclosed_and_inline_chart_are_errors():
    text = "{fcat:x} and {fact:y\nSee {chart:pay} here.\n{fact:z|fancy}\n"
    _, problems = markup.scan_directives(text, "s.md", 0)
    assert [(p.code, p.location.line) for p in problems] == [
        ("directive-unknown", 1), ("directive-syntax", 1), ("chart-inline", 2), ("fact-style", 3)]
    assert "did you mean 'fact'?" in problems[0].hint


def test_bare_numbers_skip_years_dates_ordinals_and_names():
    text = ("## Titre 2023\n\nLe 9 février 2023, GPT-4 et A100 au 1er rang, {fact:x} et {literal:24 h}, "
            "[lien](https://e.org/2023/55).\nMais 375 employés et 1 000 contractuels.\n")
    problems = markup.scan_bare_numbers(text, "s.md", 0)
    assert [(p.message, p.location.line) for p in problems] == [
        ("number '375' in the text is not a fact", 4), ("number '1 000' in the text is not a fact", 4)]
    assert all(p.severity == "warning" for p in problems)


def test_render_calls_back_for_facts_and_charts_and_escapes_raw_html():
    html = markup.render("Un {fact:wage|number} <script>alert(1)</script>\n\n{chart:pay}\n",
                         lambda key, style: f"<b>{key}/{style}</b>", lambda chart: f"<figure>{chart}</figure>")
    assert "<b>wage/number</b>" in html
    assert "<figure>pay</figure>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_front_matter_split_and_unclosed():
    split, problems = markup.split_front_matter("---\ntitle: A\n---\nBody\n", "i.md")
    assert (split.text, split.body, split.body_offset, problems) == ("title: A", "Body\n", 3, [])
    _, problems = markup.split_front_matter("---\ntitle: A\n", "i.md")
    assert problems[0].code == "front-matter-unclosed"


def test_punctuation_after_a_fact_is_held_to_it():
    """A fact is a button, and Chromium may break a line after one, even before a comma: the marks
    that follow go with the fact in an unbreakable span."""
    html = markup.render("Un {fact:a}, puis ({fact:b}). Et {fact:c} seul, {fact:d} ?\n",
                         lambda key, style: f"<b>{key}</b>", lambda chart: "")
    assert html == ('<p>Un <span class="nowrap"><b>a</b>,</span> puis (<span class="nowrap"><b>b</b>).</span> '
                    "Et <b>c</b> seul, <b>d</b> ?</p>")


def test_deep_lists_are_found_on_the_raw_lines():
    import time
    text = "".join("    " * i + "- x\n" for i in range(3000))
    started = time.monotonic()
    _, problems = markup.scan_directives(text, "s.md", 2)
    assert time.monotonic() - started < 10.0
    assert [(p.code, p.location.line) for p in problems] == [("markdown-too-deep", 53)]


def test_fact_in_alt_text_and_title_is_plain_text():
    convert = markup.make_renderer(lambda k, s: '<span class="fact"><button>15 $</button>Source</span>',
                                   lambda c: "", fact_text=lambda k, s: "15 $")
    html = convert('![Salaire {fact:wage}](media/x.png) [lien](https://a.org "titre {fact:wage}")')
    assert '<img alt="Salaire 15 $" src="media/x.png">' in html
    assert '<a href="https://a.org" title="titre 15 $">lien</a>' in html


def test_fact_in_link_address_is_reported_at_its_line():
    _, problems = markup.scan_directives("x\n[a]({fact:wage}) <https://x/{fact:w}>\n", "s.md", 0)
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [
        ("directive-in-link", 2, 5), ("directive-in-link", 2, 29)]


def test_indented_tilde_fence_is_code_in_the_check_as_in_the_page():
    text = "- item\n\n    ~~~\n    {fact:x}\n    ~~~\n"
    directives, _ = markup.scan_directives(text, "s.md", 0)
    assert directives == ()
    assert "<pre><code>{fact:x}\n</code></pre>" in markup.make_renderer(lambda k, s: "<b>x</b>", lambda c: "")(text)
    directives, _ = markup.scan_directives("~~~\n{fact:x}\n~~~\n", "s.md", 0)
    assert directives == ()


def test_reference_link_labels_and_definitions_are_not_bare_numbers():
    text = ("The [Admonition][2] extension, a [type qualifier][7] and ![A shot][13].\n\n"
            "  [7]: #supported-types\n[12]: https://example.org/a1\n\n[^1]: A footnote of 5 words is prose.\n")
    found = [(d.location.line, d.message) for d in markup.scan_bare_numbers(text, "s.md", 0)]
    assert found == [(6, "number '5' in the text is not a fact")]


def test_a_fence_indented_in_a_box_is_code_there_and_its_numbers_are_not_checked():
    text = ('!!! note "Sorting"\n    Before the code.\n\n    ``` python\n    for i in range(len(items) - 1):\n'
            '        swap(items, {fact:nope})\n    ```\n\n    After the code.\n\nOut of the box, 7 days.\n')
    html = markup.make_renderer(lambda key, style: f"<b>{key}</b>", lambda chart: "")(text)
    assert '<div class="admonition note">' in html and "<pre><code>for i in range(len(items) - 1):\n" in html
    assert "    swap(items, {fact:nope})" in html and "```" not in html and "<p>After the code.</p>\n</div>" in html
    assert [d.message for d in markup.scan_bare_numbers(text, "s.md", 0)] == ["number '7' in the text is not a fact"]
    directives, problems = markup.scan_directives(text, "s.md", 0)
    assert directives == () and problems == []


def test_an_escaped_colon_does_not_hide_a_script_link():
    from broadsheet.render import neutralize_urls
    text = "[x](javascript\\:alert(1)) and [y](data\\:text/html,hi)"
    _, problems = markup.scan_directives(text, "s.md", 0)
    assert [p.code for p in problems] == ["link-unsafe", "link-unsafe"]
    html = neutralize_urls(markup.make_renderer(lambda k, s: k, lambda c: "")(text))
    assert "javascript" not in html and "data:" not in html and html.count('href="#"') == 2


def test_day_numbers_in_dates_of_other_languages_are_not_bare_numbers():
    for text in ("Am 1. März 2022 stieg die Miete.", "El 1 de marzo de 2022 subió.", "Il 3 maggio 2021 è salito.",
                 "Em 5 de junho de 2020.", "Op 7 mei 2019.", "Le 1er janvier 2020.", "On 9 February 2023."):
        assert markup.scan_bare_numbers(text, "p", 0) == [], text
    assert [p.code for p in markup.scan_bare_numbers("Der 1. Platz und 37 Mieter.", "p", 0)] == ["number-bare"] * 2
