"""Scrolly steps: the Markdown syntax (markup.scan_steps), the params a step may set read from a
chart's compiled Vega (steps.settable), values checked against sliders and menus, and a step's
state as the Vega the picture is drawn from."""
from __future__ import annotations

from broadsheet import markup, steps
from broadsheet.model import ChartSpec

BLOCK = '''## Pas à pas

::: steps focus

::: step alt="Toutes les barres."
Premier texte.

::: step focus="États-Unis" zoom=8 alt="Les États-Unis."
Second texte,

sur deux paragraphes.

:::
'''


def test_a_block_is_read_with_its_steps_settings_alt_and_text():
    blocks, problems = markup.scan_steps(BLOCK, "s.md", 2)
    assert problems == []
    (block,) = blocks
    assert block.chart == "focus" and block.location.line == 5
    first, second = block.steps
    assert first.settings == () and first.alt == "Toutes les barres." and first.text == "Premier texte."
    assert [(name, value) for name, value, _ in second.settings] == [("focus", "États-Unis"), ("zoom", "8")]
    assert second.settings[1][2].line == 10 and second.settings[1][2].column == 29
    assert second.text == "Second texte,\n\nsur deux paragraphes."


def test_shape_problems_have_their_codes_and_lines():
    cases = {
        "::: steps c\n\n::: step alt=\"a\"\nTexte.\n\n:::\n": ["steps-one-step"],
        "::: steps c\n\n::: step alt=\"a\"\nTexte.\n\n::: step alt=\"b\"\n\n:::\n": ["steps-no-text"],
        "::: steps c\n\n::: step\nTexte.\n\n::: step alt=\"b\"\nEt.\n:::\n": ["steps-no-alt"],
        "::: steps c\n\n::: step alt=\"a\"\nTexte.\n": ["steps-unclosed", "steps-one-step"][:1],
        "::: step alt=\"a\"\nTexte.\n": ["steps-syntax"],
        "::: steps c\n\n::: step alt=\"a\" x\nTexte.\n\n::: step alt=\"b\"\nEt.\n:::\n": ["steps-syntax"],
    }
    for text, codes in cases.items():
        _, problems = markup.scan_steps(text, "s.md", 0)
        assert [p.code for p in problems] == codes, text


def test_fences_hide_steps_and_a_steps_setting_is_no_bare_number():
    _, problems = markup.scan_steps("```\n::: steps c\n```\n", "s.md", 0)
    assert problems == []
    warnings = markup.scan_bare_numbers('::: step zoom=8 alt="Axe à 8 dollars."\n', "s.md", 0)
    assert [(w.code, w.location.column) for w in warnings] == [("number-bare", 28)]  # the alt's 8, not zoom's


def _chart(vega: dict) -> ChartSpec:
    return ChartSpec("focus", "charts/focus.py", "t", "a", "", "", vega, "{}", "<svg/>", 10, 10, (), ())


VEGA = {"signals": [
    {"name": "width", "value": 300}, {"name": "y_step", "value": 20},
    {"name": "zoom", "value": 16, "bind": {"input": "range", "min": 4, "max": 16}},
    {"name": "focus", "value": "Tous", "bind": {"input": "select", "options": ["Tous", "Kenya"]}},
    {"name": "hl_lieu", "value": None, "bind": {"input": "radio", "options": [None, "Kenya"], "labels": ["Tous", "Kenya"]}},
    {"name": "hl", "update": "vlSelectionResolve(\"hl_store\")"},
    {"name": "hl_tuple_fields", "value": [{"type": "E", "field": "lieu"}]},
], "data": [{"name": "hl_store"}]}


def test_settable_params_are_the_authors_not_vega_lites():
    found = steps.settable(VEGA)
    assert sorted(found) == ["focus", "hl", "zoom"]
    assert found["hl"]["signal"] == "hl_lieu" and found["hl"]["store"] == "hl_store"


def test_values_are_checked_against_the_slider_and_the_choices():
    params = steps.settable(VEGA)
    assert steps.parse_value("8", params["zoom"]) == (8, None)
    assert steps.parse_value("40", params["zoom"])[1] == "the slider goes from 4 to 16"
    assert steps.parse_value("Kenya", params["focus"]) == ("Kenya", None)
    assert steps.parse_value("Chine", params["focus"])[1] == "its choices are Tous, Kenya"
    assert steps.parse_value("Tous", params["hl"]) == (None, None)  # a radio's label names its value


def test_a_step_state_sets_signals_and_a_selection_store_from_the_start():
    block = markup.scan_steps('::: steps focus\n::: step alt="a"\nA.\n::: step zoom=5 hl=Kenya alt="b"\nB.\n:::\n',
                              "s.md", 0)[0][0]
    states, problems = steps.check_blocks([block], {"focus": _chart(VEGA)})
    assert problems == []
    (_, [(first, signals0, stores0), (second, signals, stores)]), = states
    assert signals0 == {} and signals == {"zoom": 5, "hl_lieu": "Kenya"}
    spec = steps.with_state(VEGA, signals, stores)
    assert next(s for s in spec["signals"] if s["name"] == "zoom")["value"] == 5
    assert spec["data"][0]["values"] == [{"unit": "", "fields": [{"type": "E", "field": "lieu"}], "values": ["Kenya"]}]
    assert VEGA["signals"][2]["value"] == 16  # the chart's own spec is left as it was


def test_an_unknown_param_is_named_with_the_charts_params():
    block = markup.scan_steps('::: steps focus\n::: step zoum=5 alt="a"\nA.\n::: step alt="b"\nB.\n:::\n',
                              "s.md", 0)[0][0]
    _, problems = steps.check_blocks([block], {"focus": _chart(VEGA)})
    assert [p.code for p in problems] == ["steps-param-unknown"]
    assert "did you mean 'zoom'?" in problems[0].hint and "focus, hl, zoom" in problems[0].hint
