"""Vega-Lite 4's selections (`"selection": {...}`, `{"selection": "brush"}`) are read as params:
the Vega that Vega-Lite compiles from the rewritten spec is the Vega it compiles from the old one
(vl-convert, the reference), and the rewritten spec passes the schema the old one fails."""
import json

import altair as alt
import pytest
import vl_convert

from broadsheet.charts import compiler, schema, selections, sources

ROWS = [{"a": a, "b": (a * 7) % 5, "c": "xyz"[a % 3], "selection": "a column, not a selection"} for a in range(9)]
XY = {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"}}


def unit(selection=None, **encoding):
    spec = {"mark": "point", "encoding": {**XY, **encoding}}
    return {**spec, "selection": selection} if selection else spec


OLD_SPECS = {
    "interval brush, filter and scale domain": {"vconcat": [
        unit({"brush": {"type": "interval", "encodings": ["x"]}},
             color={"condition": {"selection": "brush", "field": "c", "type": "nominal"}, "value": "grey"}),
        {"mark": "bar", "transform": [{"filter": {"selection": "brush"}}],
         "encoding": {"x": {"field": "a", "type": "quantitative", "scale": {"domain": {"selection": "brush"}}},
                      "y": {"aggregate": "count"}}}]},
    "single bound to a slider, with init": unit(
        {"pick": {"type": "single", "fields": ["a"], "init": {"a": 3}, "bind": {"input": "range", "min": 0, "max": 8}}},
        opacity={"condition": {"selection": "pick", "value": 1}, "value": 0.2}),
    "multi bound to the legend, empty none": unit(
        {"legend": {"type": "multi", "fields": ["c"], "bind": "legend", "empty": "none"}},
        color={"field": "c", "type": "nominal"},
        size={"condition": {"selection": "legend", "value": 120}, "value": 20}),
    "zoom bound to scales": unit({"zoom": {"type": "interval", "bind": "scales"}}),
    "and, or, not of selections": {"layer": [
        unit({"one": {"type": "interval", "encodings": ["x"]}, "two": {"type": "multi", "on": "mouseover"}},
             color={"condition": {"selection": {"and": ["one", {"not": "two"}]}, "value": "red"}, "value": "grey"}),
        {"mark": "rule", "transform": [{"filter": {"or": [{"selection": "one"}, "datum.b > 3"]}}],
         "encoding": {"x": {"field": "a", "type": "quantitative"}}}]},
    "a binned extent from a brush": {"vconcat": [
        unit({"span": {"type": "interval", "encodings": ["x"]}}),
        {"mark": "bar", "encoding": {
            "x": {"field": "a", "type": "quantitative", "bin": {"extent": {"selection": "span"}, "maxbins": 5}},
            "y": {"aggregate": "count"}}}]},
}


@pytest.mark.parametrize("name", sorted(OLD_SPECS))
def test_an_old_selection_compiles_to_the_vega_vega_lite_makes_of_it(name):
    old = {"data": {"values": ROWS}, **OLD_SPECS[name]}
    new = selections.as_params(old)
    rootschema = alt.TopLevelSpec._rootschema
    assert not schema.is_valid(old, rootschema) and schema.is_valid(new, rootschema)
    version = ".".join(sources.vegalite_version().split(".")[:2])  # vl-convert names a release by major.minor
    assert vl_convert.vegalite_to_vega(new, vl_version=version) == vl_convert.vegalite_to_vega(old, vl_version=version)
    assert new["data"] == old["data"]  # a column named "selection" is data, left alone


def test_a_spec_without_old_selections_is_returned_as_it_is():
    spec = {"data": {"values": ROWS}, "params": [{"name": "p", "select": "point"}], **unit()}
    assert selections.as_params(spec) is spec


def test_an_old_interactive_vega_lite_file_builds():
    spec = {"title": "Brush", "description": "Points, brushed along x.", "data": {"values": ROWS},
            "$schema": "https://vega.github.io/schema/vega-lite/v4.json",
            **unit({"brush": {"type": "interval", "encodings": ["x"]}},
                   color={"condition": {"selection": "brush", "value": "#b3261e"}, "value": "grey"})}
    job = compiler.ChartJob("brush", "/s/charts/brush.vl.json", "content/s/charts/brush.vl.json",
                            json.dumps(spec, indent=2), (), "", "content/s/facts.yaml", {}, "en")
    result = compiler.compile_job(job)
    assert [p.code for p in result.problems] == [] and result.entry is not None
    assert "brush" in result.entry.vega
