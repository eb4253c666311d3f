"""A layer with no rows beside layers that draw (a boxplot's outliers when there are none, a rule
whose filter keeps nothing) is the data's answer: no `Infinite extent` warning; a picture that
draws nothing keeps it, beside its `chart-empty`."""
from broadsheet import i18n
from broadsheet.charts import drawing, sources

ROWS = [{"g": "ab"[i % 2], "v": 10 + i % 5} for i in range(20)]


def draw(spec):
    vega, problems = drawing.to_vega("t", "charts/t.vl.json", spec, sources.vegalite_version())
    assert problems == []
    return drawing.to_svg("t", "charts/t.vl.json", vega, i18n.d3_locales("en"), layout="narrow")


def test_a_boxplot_without_outliers_says_nothing():
    svg, problems = draw({"data": {"values": ROWS}, "mark": "boxplot",
                          "encoding": {"x": {"field": "g", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}}})
    assert drawing.data_marks(svg)["symbol"] == 0 and drawing.data_marks(svg)["rect"] >= 2  # no outlier
    assert problems == []


def test_a_layer_whose_filter_keeps_nothing_says_nothing():
    points = {"mark": "point", "encoding": {"x": {"field": "g", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}}}
    rule = {"transform": [{"filter": "datum.v > 1000"}], "mark": "rule",
            "encoding": {"y": {"field": "v", "type": "quantitative", "aggregate": "mean"}}}
    _, problems = draw({"data": {"values": ROWS}, "layer": [points, rule]})
    assert problems == []


def test_a_picture_that_draws_nothing_keeps_the_warning():
    _, problems = draw({"data": {"values": ROWS}, "transform": [{"filter": "datum.v > 1000"}], "mark": "bar",
                        "encoding": {"x": {"field": "g", "type": "nominal"},
                                     "y": {"field": "v", "type": "quantitative", "aggregate": "mean"}}})
    assert {p.code for p in problems} == {"chart-empty", "chart-vega-log"}
