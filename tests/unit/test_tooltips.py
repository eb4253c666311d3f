"""Tooltips, mark descriptions and reader tables in the chart's words (issue 22, item 5): checked
on what vl_convert compiles and draws, the reference tool, not on our own strings alone."""
import re

import vl_convert

from broadsheet.charts import fields, tooltips
from broadsheet.charts.tables import titled
from broadsheet.model import TableData

ROWS = [
    {"nom": "A", "bas": 10, "haut": 30, "date": "2023-11", "periode": "2021-2022"},
    {"nom": "B", "bas": 70000, "haut": 70000, "date": "2023-02", "periode": "2022"},
]
TOOLTIP = [
    {"field": "nom", "type": "nominal", "title": "Qui"},
    {"field": "bas", "type": "quantitative", "title": "Bas", "format": ",.0f"},
    {"field": "haut", "type": "quantitative", "title": "Haut", "format": ",.0f"},
    {"field": "date", "type": "nominal", "title": "Date"},
    {"field": "periode", "type": "nominal", "title": "Période"},
]


def _range_spec(layered: bool) -> dict:
    """The two ways the story's charts draw a range: one mark's x and x2 (pay), or a bar to the
    high end with a tick at the low end (GPU prices)."""
    x = {"field": "bas", "type": "quantitative", "title": "Dollars"}
    y = {"field": "nom", "type": "nominal"}
    if not layered:
        return {"data": {"values": ROWS}, "mark": "rule",
                "encoding": {"x": x, "x2": {"field": "haut"}, "y": y, "tooltip": TOOLTIP}}
    return {"data": {"values": ROWS}, "layer": [
        {"mark": "bar", "encoding": {"x": {**x, "field": "haut"}, "y": y, "tooltip": TOOLTIP}},
        {"mark": "tick", "encoding": {"x": x, "y": y, "tooltip": TOOLTIP}},
    ]}


def _labels(vegalite: dict, language: str = "fr-FR") -> list[str]:
    vega = vl_convert.vegalite_to_vega(vegalite)
    vega = tooltips.speak(vega, fields.position_groups(vegalite), tooltips.months([ROWS]))
    svg = vl_convert.vega_to_svg(vega, format_locale=language, time_format_locale=language)
    return [label for label in re.findall(r'aria-label="([^"]*)"', svg) if "Qui: " in label]


def test_a_range_with_equal_ends_is_one_value_and_months_are_written_out():
    for layered in (False, True):
        labels = _labels(_range_spec(layered))
        one = next(label for label in labels if "Qui: B" in label)
        two = next(label for label in labels if "Qui: A" in label)
        assert "Bas: " not in one and "Haut: " not in one and "Dollars: 70" in one, one
        assert "Bas: 10" in two and "Haut: 30" in two, two
        assert "Date: novembre 2023" in two and "Date: février 2023" in one
        assert "Période: 2021-2022" in two, "a text that is not a year-month stays as it is"


def test_months_follow_the_locale():
    labels = _labels(_range_spec(False), "en-US")
    assert any("Date: November 2023" in label for label in labels), labels


def test_the_tooltip_object_hides_the_ends_and_says_the_value_once():
    vegalite = _range_spec(True)
    vega = tooltips.speak(vl_convert.vegalite_to_vega(vegalite), fields.position_groups(vegalite),
                          tooltips.months([ROWS]))
    signal = next(m["encode"]["update"]["tooltip"]["signal"] for m in vega["marks"]
                  if "tooltip" in m.get("encode", {}).get("update", {}))
    assert signal.index('"Dollars": (datum["bas"] === datum["haut"])') < signal.index('"Bas": !(')
    assert 'utcFormat(toDate(datum["date"] + "-01"), "%B %Y")' in signal
    assert 'utcFormat(toDate(datum["periode"]' not in signal


def test_a_chart_without_ranges_or_months_is_left_as_it_is():
    vegalite = {"data": {"values": [{"a": "x", "b": 1}]}, "mark": "bar",
                "encoding": {"x": {"field": "b", "type": "quantitative"}, "y": {"field": "a", "type": "nominal"},
                             "tooltip": [{"field": "a"}, {"field": "b", "type": "quantitative"}]}}
    vega = vl_convert.vegalite_to_vega(vegalite)
    assert tooltips.speak(vega, fields.position_groups(vegalite), frozenset()) == vega


def test_tables_use_the_chart_titles():
    vegalite = {"mark": "bar", "encoding": {
        "x": {"field": "montant", "aggregate": "mean", "type": "quantitative", "title": "Montant moyen"},
        "y": {"field": "groupe", "type": "nominal", "title": "Groupe (axe)"},
        "tooltip": [{"field": "groupe", "type": "nominal", "title": "Qui"}]}}
    names = fields.titles(vegalite)
    assert names["groupe"] == "Qui" and names["mean_montant"] == "Montant moyen"
    table = TableData("t", ("groupe", "mean_montant", "__count", "autre"), (), b"")
    assert titled((table,), {**names, "count": "Nombre", "autre": "Qui"})[0].columns == \
        ("Qui", "Montant moyen", "Nombre", "autre")
