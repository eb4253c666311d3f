"""Dates and numbers on a chart's axes in German, French and English: the build's engine draws the
same labels as vl_convert with the same d3 locales (month names, decimal comma, grouping)."""
import re

import pytest

from broadsheet import i18n
from broadsheet.charts import drawing

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json", "width": 400, "height": 200,
    "data": {"values": [{"day": "2024-01-15", "share": 0.125, "people": 1234567},
                        {"day": "2024-04-15", "share": 0.5, "people": 2345678},
                        {"day": "2024-09-15", "share": 0.875, "people": 3456789}]},
    "layer": [
        {"mark": "line", "encoding": {"x": {"field": "day", "type": "temporal", "timeUnit": "yearmonth",
                                            "axis": {"format": "%B %Y"}},
                                      "y": {"field": "people", "type": "quantitative"}}},
        {"mark": "text", "encoding": {"x": {"field": "day", "type": "temporal", "timeUnit": "yearmonth"},
                                      "y": {"field": "people", "type": "quantitative"},
                                      "text": {"field": "share", "type": "quantitative", "format": ".1%"}}},
    ],
}


def labels(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("language,month,number,percent", [
    ("de", "April 2024", "2.000.000", "12,5\u00a0%"),
    ("fr", "avril 2024", "2\u202f000\u202f000", "12,5\u202f%"),
    ("en", "April 2024", "2,000,000", "12.5%"),
])
def test_axes_match_vl_convert_with_the_same_locale(language, month, number, percent):
    import vl_convert

    locale = i18n.d3_locales(language)
    vega, problems = drawing.to_vega("t", "t.json", SPEC)
    assert problems == []
    ours, problems = drawing.to_svg("t", "t.json", vega, locale)
    assert problems == []
    reference = vl_convert.vega_to_svg(vega, format_locale=locale["number"], time_format_locale=locale["time"])
    assert labels(ours) == labels(reference)
    assert month in labels(ours) and number in labels(ours) and percent in labels(ours)
