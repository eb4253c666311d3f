"""Whole builds around drawing: a chart over a large table draws what the same chart draws over a
small one (argmax included), and what compiling a chart said is said again when it comes from
the cache."""
from __future__ import annotations

import csv
import io
import json
import random
import re
import shutil
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


def test_an_animated_chart_builds_to_the_same_first_frame_every_time(tmp_path: Path):
    """Three cold builds of a timer animation (one frame a country's group) draw the same bytes, and the picture has the first frame's marks as vl-convert draws them."""
    import vl_convert
    from broadsheet.charts.drawing import data_marks

    table = life_csv(120)
    animated = {"title": "Lives, group by group", "description": "Points, one group at a time.",
                "data": {"url": "data/life.csv"}, "mark": "point",
                "transform": [{"calculate": "substring(datum.country, 0, 2)", "as": "group"},
                              {"filter": {"param": "frame"}}],
                "params": [{"name": "frame", "select": {"type": "point", "fields": ["group"], "on": "timer"}}],
                "encoding": {"x": {"field": "year", "type": "quantitative"}, "y": {"field": "life", "type": "quantitative"},
                             "time": {"field": "group", "type": "nominal", "sort": "ascending"}}}
    root = make_site(tmp_path, {"animated": animated}, table)
    pictures = set()
    for _ in range(3):  # cold: the project's cache and the last output gone (the user's engine bundle kept)
        shutil.rmtree(root / ".cache", ignore_errors=True)
        shutil.rmtree(root / "_site", ignore_errors=True)
        result = run_cli("build", "--site-src", str(SITE_SRC), "--strict", cwd=root)
        assert result.returncode == 0, result.stderr
        assert "(0 from cache)" in result.stdout
        (chart,) = built_charts(root / "_site")
        pictures.add(chart.svg)
    (svg,) = pictures
    first = {**animated, "data": {"values": table, "format": {"type": "csv"}}, "params": [],
             "encoding": {k: v for k, v in animated["encoding"].items() if k != "time"},
             "transform": [animated["transform"][0], {"filter": "datum.group == 'C0'"}]}
    rows = sum(1 for row in csv.DictReader(io.StringIO(table)) if row["country"].startswith("C0"))
    assert data_marks(svg) == data_marks(vl_convert.vegalite_to_svg(first)) == {"symbol": rows}


RED, BLUE = ("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC",
             "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC")
DOTS = {"title": "Dots", "description": "Three pictures.", "mark": {"type": "image", "width": 40, "height": 40},
        "data": {"values": [{"x": 1, "y": 1}, {"x": 2, "y": 3}, {"x": 3, "y": 2}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"},
                     "url": {"value": "media/dot.png"}}}


def test_image_marks_show_the_storys_media_in_the_static_picture_and_the_card(tmp_path: Path):
    """An image mark's media/dot.png is published, and written into the static picture (an SVG
    shown as <img> loads nothing beside it) and so into the social card: another dot.png, another
    picture and card. A name media/ lacks is chart-data-unknown at its line."""
    import base64

    root = make_site(tmp_path, {"dots": DOTS}, life_csv(10))
    media = root / "content" / "s" / "media"
    media.mkdir()
    built = {}
    for colour, png in (("red", RED), ("blue", BLUE)):
        (media / "dot.png").write_bytes(base64.b64decode(png))
        result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
        assert result.returncode == 0, result.stderr
        (chart,) = built_charts(root / "_site")
        assert f'href="data:image/png;base64,{png}"' in chart.svg and "media/dot.png" not in chart.svg
        assert (root / "_site" / "s" / "media" / "dot.png").read_bytes() == base64.b64decode(png)
        assert '"media/dot.png"' in json.dumps(chart.vega)  # the live view loads the published file
        (card,) = (root / "_site" / "s").glob("card.*.png")
        built[colour] = card.read_bytes()
    assert built["red"] != built["blue"]

    (root / "content" / "s" / "charts" / "dots.vl.json").write_text(
        json.dumps(DOTS, indent=1).replace("media/dot.png", "media/dott.png"))
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert result.returncode == 1
    line = json.dumps(DOTS, indent=1).split("\n").index('   "value": "media/dot.png"') + 1
    assert (f"content/s/charts/dots.vl.json:{line}:13: error[chart-data-unknown]: chart 'dots' shows the image "
            "'media/dott.png', which is not in the story's media/ folder") in result.stderr
    assert "hint: put the picture in media/ or correct its name (media/ holds media/dot.png)" in result.stderr


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
