"""A CSV or TSV given to Vega as its text: its number columns are numbers, in every aggregate.

Found by a newcomer's box plot over a TSV (`"extent": "min-max"`): Vega-Lite parses only the
fields its encodings use, so the box plot's `min` compared the temperatures as words ("-0.1" is
less than "-4.2" as text) and drew the lower whisker inside the box."""
import re

from broadsheet import i18n
from broadsheet.charts import drawing
from broadsheet.charts.dsv_numbers import numbers_typed, numeric_columns

TSV = "date\tcity\ttemp\n" + "".join(
    f"2024-02-0{day}\tOslo\t{temp}\n" for day, temp in enumerate(["-0.1", "-4.2", "3.5", "-1.0", "2.0"], 1))


def _boxplot():
    return {"data": {"values": TSV, "format": {"type": "tsv"}},
            "mark": {"type": "boxplot", "extent": "min-max"},
            "encoding": {"x": {"field": "city", "type": "nominal"},
                         "y": {"field": "temp", "type": "quantitative"}}}


def test_a_box_plot_over_a_tsv_reaches_its_true_minimum():
    vega, problems = drawing.to_vega("t", "charts/t.vl.json", _boxplot())
    assert vega is not None and not [p for p in problems if p.severity == "error"]
    svg, _ = drawing.to_svg("t", "charts/t.vl.json", vega, i18n.d3_locales("en"))
    label = re.search(r'aria-label="(city: Oslo[^"]*)"', svg).group(1)
    assert "Min of temp: −4.2" in label, label
    assert "Max of temp: 3.5" in label, label


def test_only_columns_all_numbers_are_parsed_and_the_spec_parse_is_kept():
    assert numeric_columns("a,b,c,d\n1,x,,2.5\n2,3,,\n", ",") == ["a", "d"]
    vega = {"data": [{"name": "s", "values": "year,v,w\n1990,1,a\n", "format": {"type": "csv", "parse": {"year": "date"}}},
                     {"name": "t", "values": "v\n1\n", "format": {"type": "csv", "parse": "auto"}},
                     {"name": "u", "values": [{"v": "1"}]}]}
    typed = numbers_typed(vega)["data"]
    assert typed[0]["format"]["parse"] == {"year": "date", "v": "number"}
    assert typed[1] == vega["data"][1] and typed[2] == vega["data"][2]


def test_a_dsv_uses_its_own_delimiter():
    vega = {"data": [{"name": "s", "values": "a|b\n1|x\n", "format": {"type": "dsv", "delimiter": "|"}}]}
    assert numbers_typed(vega)["data"][0]["format"]["parse"] == {"a": "number"}


def test_a_column_vega_lite_reads_as_a_date_stays_text():
    """Vega-Lite turns `"parse": {"year": "date"}` (and a temporal encoding of a year column) into a
    `toDate(datum["year"])` formula: typed as a number first, 1970 would be 1970 ms after 1970."""
    spec = {"data": {"values": "year,mpg\n1970,30\n1971,28\n1972,25\n", "format": {"type": "csv"}},
            "mark": "line", "encoding": {"x": {"field": "year", "type": "temporal", "timeUnit": "year"},
                                         "y": {"field": "mpg", "type": "quantitative"}}}
    vega, _ = drawing.to_vega("t", "charts/t.vl.json", spec)
    source = next(entry for entry in vega["data"] if isinstance(entry.get("values"), str))
    assert source["format"].get("parse") == {"mpg": "number"}
    svg, _ = drawing.to_svg("t", "charts/t.vl.json", vega, i18n.d3_locales("en"))
    assert {"1970", "1971", "1972"} <= set(re.findall(r"<text[^>]*>(\d{4})</text>", svg))
    other = {"data": [{"name": "s", "values": "y,z\n1,2\n", "format": {"type": "csv"}},
                      {"name": "d", "source": "s", "transform": [{"type": "formula", "expr": "toDate(datum.y)", "as": "y"}]}]}
    assert numbers_typed(other)["data"][0]["format"]["parse"] == {"z": "number"}
