"""A spec the schema refuses is named by what its author wrote wrong, not by the first of the
shapes it could have taken (a mark object refused as a boxplot: `mark.type` cannot be "point")."""
import json

from broadsheet.charts.sources import load_vegalite_chart

SPEC = {"title": "T", "description": "A.", "data": {"values": [{"a": 1, "b": 2}]},
        "mark": {"type": "point", "filled": {"expr": "on"}},
        "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"}}}


def refusal(spec):
    text = json.dumps(spec, indent=1)
    definition, problems = load_vegalite_chart("c", "charts/c.vl.json", text, {}, {})
    assert definition is None
    (problem,) = problems
    return problem, text


def test_a_mark_property_of_the_wrong_kind_is_named():
    problem, text = refusal(SPEC)
    assert problem.code == "chart-invalid"
    assert "'mark.filled' cannot be {\"expr\": \"on\"}" in problem.message
    assert "'filled'" in problem.hint
    assert '"filled"' in text.split("\n")[problem.location.line - 1]


def test_a_misspelt_mark_is_still_named_as_before():
    problem, _ = refusal({**SPEC, "mark": "barr"})
    assert "'mark' cannot be \"barr\"" in problem.message


def test_a_misspelt_encoding_type_is_still_named():
    encoding = {**SPEC["encoding"], "y": {"field": "b", "type": "nominall"}}
    problem, _ = refusal({**SPEC, "mark": "bar", "encoding": encoding})
    assert "'encoding.y.type' cannot be \"nominall\"" in problem.message


def test_older_vega_lite_ways_of_saying_it_get_the_current_way_in_the_hint():
    """Specs copied from the web are often older than the schema: a refusal of rangeStep, a type
    on x2, stack "none" says what to write now, at the refused value's line."""
    x = {"field": "a", "type": "nominal"}
    cases = [({"x": {**x, "scale": {"rangeStep": 20}}}, '"width": {"step": 20}', '"scale"'),
             ({"x": x, "x2": {"field": "b", "type": "quantitative"}}, 'remove "type" from `x2`', '"x2"'),
             ({"x": x, "y": {"field": "b", "type": "quantitative", "stack": "none"}}, '"stack": null', '"none"')]
    for encoding, advice, written in cases:
        problem, text = refusal({**SPEC, "mark": "bar", "encoding": encoding})
        assert problem.code == "chart-invalid" and advice in problem.hint
        assert written in text.split("\n")[problem.location.line - 1]


def test_an_object_refused_for_one_key_it_does_not_take_names_that_key():
    """Gallery specs written for Vega-Lite 4 (`band` on a channel) or with a key the channel never had
    (`time.key`): the message named the whole object, cut at 80 characters, never the key."""
    encoding = {**SPEC["encoding"], "y": {"field": "b", "type": "nominal", "band": 0.5,
                                          "axis": {"bandPosition": 0, "grid": True, "domain": False, "ticks": False}}}
    problem, text = refusal({**SPEC, "mark": "bar", "encoding": encoding})
    assert "'encoding.y' has \"band\"" in problem.message and "bandPosition" in problem.hint
    assert text.split("\n")[problem.location.line - 1].strip().startswith('"band"')
    encoding = {**SPEC["encoding"], "x": {"field": "a", "type": "quantitative", "colour": "red"}}
    problem, _ = refusal({**SPEC, "mark": "bar", "encoding": encoding})
    assert "'encoding.x' has \"colour\"" in problem.message and 'remove "colour"' in problem.hint
