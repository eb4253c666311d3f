"""Compiling one chart job (in this process): Vega for the page, its SVG, tables, and the entry the
cache keeps, which reads back as the same chart."""
import json

from broadsheet.charts import compiler
from broadsheet.charts.entry import CompiledChart

SPEC = {"title": "Parts", "description": "Trois barres, une par région.", "mark": "bar",
        "data": {"values": [{"r": "Nord", "v": 3}, {"r": "Sud", "v": 5}, {"r": "Est", "v": 1}]},
        "encoding": {"x": {"field": "r", "type": "nominal"}, "y": {"field": "v", "type": "quantitative"}}}


def job(spec: dict) -> compiler.ChartJob:
    return compiler.ChartJob("parts", "/story/charts/parts.vl.json", "content/s/charts/parts.vl.json",
                             json.dumps(spec, indent=2), (), "", "content/s/facts.yaml", {}, "fr")


def test_a_vega_lite_chart_compiles_to_an_entry_that_reads_back_the_same():
    result = compiler.compile_job(job(SPEC))
    assert result.problems == ()
    entry = result.entry
    assert (entry.id, entry.title, entry.alt) == ("parts", "Parts", "Trois barres, une par région.")
    assert entry.svg.startswith("<svg") and entry.width > 0
    assert "title" not in json.loads(entry.vega)  # the page shows the title in HTML
    assert [t.rows for t in entry.tables] == [(("Nord", 3), ("Sud", 5), ("Est", 1))]
    again = CompiledChart.from_json(entry.to_json())
    assert again.to_json() == entry.to_json()
    spec = again.to_spec("content/s/charts/parts.vl.json", {}, {})
    assert spec.vega_json == entry.vega and spec.tables[0].csv.startswith(b"r,v\n")


def test_a_column_the_data_lacks_is_reported_at_its_line():
    broken = {**SPEC, "encoding": {**SPEC["encoding"], "y": {"field": "valeur", "type": "quantitative"}}}
    result = compiler.compile_job(job(broken))
    assert result.entry is None
    [problem] = result.problems
    assert problem.code == "chart-column-missing" and problem.location.line > 1


def test_merge_patch_round_trips():
    before, after = {"width": 640, "a": {"b": 1, "c": 2}}, {"width": 340, "a": {"b": 1}}
    assert compiler.apply_merge_patch(before, compiler.merge_patch(before, after)) == after


def test_a_legend_wider_than_a_phone_is_drawn_in_rows_in_the_picture_and_the_live_view():
    """The house theme puts legends under the chart in one row: five long names run off a phone's
    picture. The narrow layout draws them in rows instead, its live view with them, and says
    nothing; the wide layout, where they fit, is left as it is."""
    from pathlib import Path

    theme = json.loads((Path(__file__).resolve().parents[2] / "site_src" / "theme.json").read_text())
    names = ["Northside Commons", "Harbor Front", "University Heights", "Old Mill District", "Riverside Park"]
    rows = [{"d": name, "y": 2015 + i, "v": 100 + 7 * i + 3 * n} for n, name in enumerate(names) for i in range(6)]
    spec = {"title": "Riders", "description": "Five lines, one per district.", "mark": "line",
            "data": {"values": rows},
            "encoding": {"x": {"field": "y", "type": "ordinal"}, "y": {"field": "v", "type": "quantitative"},
                         "color": {"field": "d", "type": "nominal"}}}
    chart_job = compiler.ChartJob("districts", "/story/charts/districts.vl.json", "content/s/charts/districts.vl.json",
                                  json.dumps(spec, indent=2), (), "", "content/s/facts.yaml", theme, "en")
    result = compiler.compile_job(chart_job)
    assert [p.code for p in result.problems] == []
    narrow = compiler.apply_merge_patch(json.loads(result.entry.vega), json.loads(result.entry.narrow.patch_json))
    wide = json.loads(result.entry.vega)

    def columns(vega):
        return [legend.get("columns", vega.get("config", {}).get("legend", {}).get("columns"))
                for legend in vega["legends"]]

    assert columns(narrow) in ([2], [3]) and columns(wide) == [None]
    assert result.entry.narrow.svg.count("role-legend-label") == len(names)
