"""Whole builds around drawing: a chart over a large table draws what the same chart draws over a
small one (argmax included), and what compiling a chart said is said again when it comes from
the cache."""
from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path

from corpus_pages import built_charts
from helpers import SITE_SRC, run_cli

BEST = {"title": "The year each country lived longest", "description": "One point per country.",
        "data": {"url": "data/life.csv"},
        "transform": [{"aggregate": [{"op": "argmax", "field": "life", "as": "best"}], "groupby": ["country"]},
                      {"calculate": "datum.best.year", "as": "year"}],
        "mark": "point", "encoding": {"x": {"field": "year", "type": "quantitative"},
                                      "y": {"field": "country", "type": "nominal"}}}
SHORTEST = {"title": "The year of the shortest lives", "description": "One bar per country.",
            "data": {"url": "data/life.csv"}, "mark": "bar",
            "encoding": {"x": {"aggregate": {"argmin": "life"}, "field": "year", "type": "quantitative"},
                         "y": {"field": "country", "type": "nominal"}}}


def life_csv(rows: int) -> str:
    rng = random.Random(5)
    lines = ["year,country,life"] + [f"{1950 + i % 64},C{i % 50:02d},{40 + rng.random() * 40:.2f}" for i in range(rows)]
    return "\n".join(lines) + "\n"


def make_site(root: Path, charts: dict[str, dict | str], table: str) -> Path:
    story = root / "content" / "s"
    for folder in ("charts", "data", "sections"):
        (story / folder).mkdir(parents=True)
    (root / "content" / "site.yaml").write_text("title: Test\nlanguage: en\nabsolute_url: https://example.org/\n")
    (story / "index.md").write_text("---\ntitle: Lives\npublished: 2024-01-15\n---\n\nText.\n")
    (story / "facts.yaml").write_text("facts: {}\nsources: {}\n")
    (story / "data" / "life.csv").write_text(table)
    for name, chart in charts.items():
        if isinstance(chart, dict):
            (story / "charts" / f"{name}.vl.json").write_text(json.dumps(chart, indent=1))
        else:
            (story / "charts" / f"{name}.py").write_text(chart)
    (story / "sections" / "01-a.md").write_text("## A\n\n" + "\n\n".join(f"{{chart:{n}}}" for n in charts) + "\n")
    return root


def test_argmax_over_a_large_table_draws_what_vl_convert_draws(tmp_path: Path):
    import vl_convert
    from broadsheet.charts.drawing import data_marks

    table = life_csv(3201)  # over the 500 rows a page carries: the large-table path
    root = make_site(tmp_path, {"best": BEST, "shortest": SHORTEST}, table)
    result = run_cli("build", "--site-src", str(SITE_SRC), "--strict", cwd=root)
    assert result.returncode == 0, result.stderr
    charts = {chart.id: chart for chart in built_charts(root / "_site")}
    for name, spec in (("best", BEST), ("shortest", SHORTEST)):
        reference = vl_convert.vegalite_to_svg({**spec, "data": {"values": table, "format": {"type": "csv"}}})
        assert data_marks(charts[name].svg) == data_marks(reference) != {}
        assert sum(data_marks(charts[name].svg).values()) == 50  # a mark per country


def test_warnings_of_a_cached_chart_are_reported_again(tmp_path: Path):
    wide = ('import altair as alt\n\nTITLE = "Lives"\nALT = "Points."\n\n\ndef chart(data, facts):\n'
            '    return alt.Chart(data["life"]).mark_point().encode(x="year:Q", y="life:Q").properties(width=600)\n')
    root = make_site(tmp_path, {"wide": wide}, life_csv(100))
    first = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    second = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert first.returncode == second.returncode == 0
    assert "(1 from cache)" in second.stdout
    assert "warning[chart-fixed-width]" in first.stderr
    assert first.stderr == second.stderr


def test_compound_charts_get_pictures_of_each_layouts_width(tmp_path: Path):
    """A facet written as Altair teaches (`.facet(...)`, `column=`) and an hconcat are drawn for
    the column and for a phone, each about the layout's width; a concat whose two legends sit side
    by side stays too wide for a phone, and the build says so."""
    facet = ('import altair as alt\n\nTITLE = "Lives"\nALT = "Small multiples."\n\n\ndef chart(data, facts):\n'
             '    base = alt.Chart(data["life"]).mark_line().encode(x="year:Q", y="mean(life):Q")\n'
             '    return base.facet(facet="country:N", columns=5)\n')
    column = {"title": "Lives", "description": "Columns.", "data": {"url": "data/life.csv"},
              "transform": [{"filter": "datum.country < 'C04'"}], "mark": "point",
              "encoding": {"x": {"field": "year", "type": "quantitative"},
                           "y": {"field": "life", "type": "quantitative"}, "column": {"field": "country"}}}
    legends = {"title": "Lives", "description": "Two legends.", "data": {"url": "data/life.csv"}, "hconcat": [
        {"mark": "point", "encoding": {"x": {"field": "year", "type": "quantitative"},
                                       "y": {"field": "life", "type": "quantitative"},
                                       "color": {"field": "country", "legend": {"columns": 10}}}},
        {"mark": "point", "encoding": {"x": {"field": "year", "type": "quantitative"},
                                       "size": {"field": "life", "type": "quantitative"},
                                       "shape": {"field": "country", "legend": {"columns": 10}}}}]}
    root = make_site(tmp_path, {"facet": facet, "column": column, "legends": legends}, life_csv(200))
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert result.returncode == 0, result.stderr
    pictures = {path.name.split(".")[0]: path for path in (root / "_site" / "s" / "charts").glob("*.svg")}
    for name in ("facet", "column"):
        for suffix, width in (("", 660), ("-narrow", 335)):
            svg = pictures[name + suffix].read_text()
            drawn = float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))
            assert width * 0.8 <= drawn <= width * 1.06, (name + suffix, drawn)
    assert "warning[chart-scaled]: chart 'legends' is drawn" in result.stderr
    assert "for the narrow layout (335 px)" in result.stderr
