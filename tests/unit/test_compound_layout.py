"""Compound charts share each layout's width: drawn by vl-convert (the reference Vega), a facet, a
concat, a repeat and a column facet come out about as wide as the layout, with text at its size."""
import re

import pytest
import vl_convert

from broadsheet.charts.compound import fit, refit
from broadsheet.charts.layouts import ChartLayout, fit_to_layout, is_compound

WIDE, NARROW = ChartLayout("wide", 660), ChartLayout("narrow", 335)
ROWS = [{"city": city, "year": 2000 + i, "days": (i * 7 + len(city)) % 13, "rain": i % 5}
        for city in ("Paris", "Lyon", "Lille", "Nantes", "Brest", "Nice") for i in range(20)]
LINE = {"mark": "line", "encoding": {"x": {"field": "year", "type": "quantitative"},
                                      "y": {"field": "days", "type": "quantitative"}}}
CHARTS = {
    "facet": {"facet": {"field": "city", "type": "nominal"}, "columns": 3, "spec": LINE},
    "column facet": {"facet": {"column": {"field": "city", "type": "nominal"}}, "spec": LINE},
    "facet encoding": {**LINE, "encoding": {**LINE["encoding"], "column": {"field": "city"}}},
    "concat": {"concat": [LINE, LINE, LINE, LINE], "columns": 4},
    "hconcat": {"hconcat": [LINE, {**LINE, "mark": "point"}]},
    "vconcat": {"vconcat": [LINE, {**LINE, "mark": "bar"}]},
    "repeat": {"repeat": ["days", "rain"], "spec": {"mark": "bar", "encoding": {
        "x": {"field": {"repeat": "repeat"}, "bin": True, "type": "quantitative"}, "y": {"aggregate": "count"}}}},
}


def drawn_width(spec: dict) -> float:
    svg = vl_convert.vegalite_to_svg({"data": {"values": ROWS}, "config": {"axis": {"labelFontSize": 13}}, **spec})
    return float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))


def fitted_and_corrected(spec: dict, layout: ChartLayout) -> dict:
    fitted, how = fit(spec, layout)
    assert how is not None
    again = refit(how, layout, drawn_width(fitted))
    return again if again is not None and abs(drawn_width(again) - layout.width) < abs(drawn_width(fitted) - layout.width) else fitted


@pytest.mark.parametrize("name", sorted(CHARTS))
@pytest.mark.parametrize("layout", [WIDE, NARROW], ids=["wide", "narrow"])
def test_a_compound_chart_is_drawn_about_as_wide_as_its_layout(name, layout):
    spec = CHARTS[name]
    assert is_compound(spec) and fit_to_layout(spec, layout) == spec  # left to compound.fit
    width = drawn_width(fitted_and_corrected(spec, layout))
    assert layout.width * 0.8 <= width <= layout.width * 1.06, (name, width)


def test_as_written_a_three_column_facet_would_be_scaled_down():
    """What the fitting is for: Vega-Lite's default cells (300 px; the theme's are 480) are drawn
    whatever the page, and the page scales the picture to its column."""
    assert drawn_width(CHARTS["facet"]) > 1.4 * WIDE.width


def test_a_phone_gets_two_columns_and_stacked_side_by_side_views():
    facet, _ = fit(CHARTS["facet"], NARROW)
    assert facet["columns"] == 2
    stacked, _ = fit(CHARTS["hconcat"], NARROW)
    assert "vconcat" in stacked and "hconcat" not in stacked
    wide, _ = fit(CHARTS["hconcat"], WIDE)
    assert "hconcat" in wide
    column, _ = fit(CHARTS["column facet"], NARROW)
    assert column["facet"] == {"field": "city", "type": "nominal"} and column["columns"] == 2


def test_sizes_the_author_gave_stay():
    own = {"hconcat": [{**LINE, "width": 100}, {**LINE, "width": 100}]}
    assert fit(own, NARROW) == (own, None)
    own_cell = {**CHARTS["facet encoding"], "width": 90}
    assert fit(own_cell, NARROW) == (own_cell, None)
    tall = {"facet": {"field": "city"}, "spec": {**LINE, "height": 80}}
    fitted, _ = fit(tall, WIDE)
    assert fitted["spec"]["height"] == 80 and isinstance(fitted["spec"]["width"], int)


def test_a_single_chart_is_not_compound():
    assert fit(LINE, NARROW) == (LINE, None)
