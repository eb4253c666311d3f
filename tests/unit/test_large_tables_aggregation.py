"""VegaFusion evaluates what a chart aggregates, at build time, the same way every time."""
import json

import vl_convert

from broadsheet.charts import large_tables

SPEC = {"data": {"name": "csv_t"}, "mark": "bar",
        "encoding": {"x": {"field": "c", "type": "nominal"},
                     "y": {"aggregate": "sum", "field": "v", "type": "quantitative"}}}
ROWS = [{"c": "b", "v": 1}, {"c": "a", "v": 2.5}, {"c": "b", "v": 3}, {"c": None, "v": 4}]


def test_aggregates_are_inlined_in_the_order_vega_would_give():
    vega = vl_convert.vegalite_to_vega(SPEC)
    result, warnings = large_tables.evaluate(vega, {"csv_t": (["c", "v"], ROWS)})
    assert warnings == []
    values = next(entry["values"] for entry in result["data"] if entry["name"] == "data_0")
    assert values == [{"c": "b", "sum_v": 4.0}, {"c": "a", "sum_v": 2.5}, {"c": None, "sum_v": 4.0}]
    assert all("transform" not in entry for entry in result["data"])


def test_same_input_same_output():
    vega = vl_convert.vegalite_to_vega(SPEC)
    first = json.dumps(large_tables.evaluate(vega, {"csv_t": (["c", "v"], ROWS)})[0], sort_keys=True)
    assert json.dumps(large_tables.evaluate(vega, {"csv_t": (["c", "v"], list(ROWS))})[0], sort_keys=True) == first


def test_what_the_reader_controls_stays_in_the_page_unless_drawing_the_initial_state():
    spec = {**SPEC, "params": [{"name": "k", "value": 2, "bind": {"input": "range", "min": 0, "max": 5}}],
            "transform": [{"filter": "datum.v >= k"}]}
    vega = vl_convert.vegalite_to_vega(spec)
    live, _ = large_tables.evaluate(vega, {"csv_t": (["c", "v"], ROWS)})
    raw = next(entry for entry in live["data"] if entry["name"] == "csv_t")
    assert len(raw["values"]) == 4  # the slider filters these rows in the browser
    still, _ = large_tables.evaluate(vega, {"csv_t": (["c", "v"], ROWS)}, interactive=False)
    values = next(entry["values"] for entry in still["data"] if entry["name"] == "data_0")
    assert values == [{"c": "a", "sum_v": 2.5}, {"c": "b", "sum_v": 3.0}, {"c": None, "sum_v": 4.0}]
