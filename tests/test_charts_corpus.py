"""The chart corpus (tests/charts_corpus/): charts written as Vega-Lite's and Altair's documentation
teach, over every data format a story takes (CSV, TSV, JSON records, JSON under a property, plain
values, GeoJSON, TopoJSON), inline values, named datasets, generators and every transform type.

The corpus is built as a story site; each chart must build, and its static picture must hold the
data marks that the reference drawing has: `vl_convert.vegalite_to_svg` of the same chart, made
without Broadsheet (each data address replaced by the file's own text, which Vega reads as it would
read the file; a Python chart run over pandas frames read by pandas)."""
from __future__ import annotations

import copy
import importlib.util
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from helpers import REPO

CORPUS = REPO / "tests" / "charts_corpus"
STORY = CORPUS / "content" / "corpus"
CHARTS = sorted(STORY.glob("charts/*.vl.json")) + sorted(STORY.glob("charts/*.py"))
OPTIONAL = {path: module for path, module in ((CORPUS / "optional" / "polars_frame.py", "polars"),)}
TYPES = {"csv": "csv", "tsv": "tsv", "json": "json", "geojson": "json", "topojson": "topojson"}


def chart_id(path: Path) -> str:
    return path.name[: -len(".vl.json")] if path.name.endswith(".vl.json") else path.stem


@pytest.fixture(scope="module")
def site(charts_corpus_site) -> Path:
    return charts_corpus_site[0]


def static_svg(site: Path, chart: str) -> str:
    page = (site / "corpus" / "index.html").read_text()
    figure = page[page.index(f'id="chart-{chart}"'):]
    src = re.search(r'class="chart-static" src="([^"]+)"', figure).group(1)
    return (site / "corpus" / src).read_text()


def data_marks(svg: str) -> Counter:
    """Items drawn by each kind of data mark (not axes, legends or titles): `mark-rect`,
    `mark-symbol`, `mark-line`..., counted as the graphics-symbol children of their groups (an item
    with a link, `href`, is drawn inside an <a>)."""
    root = ET.fromstring(svg)
    counts: Counter = Counter()
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        classes = (group.get("class") or "").split()
        kind = next((c for c in classes if c.startswith("mark-")), None)
        if kind and "role-mark" in classes and kind != "mark-group":
            counts[kind] += sum(1 for child in group if child.get("role") == "graphics-symbol"
                                or child.tag.endswith(("path", "text", "line", "rect", "image", "}a")))
    return counts


def file_as_vega_reads_it(data: dict) -> dict:
    """A data address of the story replaced by the file's text and a format Vega reads it with."""
    url = data["url"]
    path = STORY / url
    fmt = dict(data.get("format") or {})
    fmt.setdefault("type", TYPES[path.suffix[1:]])
    return {**{k: v for k, v in data.items() if k not in ("url", "format")},
            "values": path.read_text(encoding="utf-8"), "format": fmt}


def without_addresses(spec):
    if isinstance(spec, dict):
        spec = {key: without_addresses(value) for key, value in spec.items()}
        if isinstance(spec.get("data"), dict) and "url" in spec["data"]:
            spec["data"] = file_as_vega_reads_it(spec["data"])
        return spec
    if isinstance(spec, list):
        return [without_addresses(value) for value in spec]
    return spec


def reference_tables(uses_polars: bool) -> dict:
    """The story's tables as an Altair user reads them: pandas frames (records for polars)."""
    import altair as alt
    import pandas as pd

    frames = {"cars.csv": pd.read_csv(STORY / "data/cars.csv"),
              "cars.json": pd.read_json(STORY / "data/cars.json"),
              "weather": pd.read_csv(STORY / "data/weather.tsv", sep="\t"),
              "sales": alt.Data(url="data/sales.json", format=alt.DataFormat(property="data.rows")),
              "counts": pd.DataFrame({"data": json.loads((STORY / "data/counts.json").read_text())}),
              "regions": alt.Data(url="data/regions.geojson", format=alt.DataFormat(property="features")),
              "grid": alt.topo_feature("data/grid.topojson", "cells")}
    if uses_polars:
        frames = {k: v.to_dict("records") if isinstance(v, pd.DataFrame) else v for k, v in frames.items()}
    return frames


def reference_spec(path: Path) -> dict:
    if path.name.endswith(".vl.json"):
        spec = json.loads(path.read_text())
    else:
        import altair as alt

        namespace: dict = {"__name__": "reference_" + path.stem}
        source = path.read_text()
        exec(compile(source, str(path), "exec"), namespace)  # noqa: S102 - our own corpus
        with alt.data_transformers.enable("default", max_rows=None):
            spec = namespace["chart"](reference_tables("polars" in source), {}).to_dict()
    return without_addresses(spec)


def test_the_corpus_covers_every_data_format_and_transform():
    text = "\n".join(path.read_text() for path in CHARTS)
    for source in ("data/cars.csv", "data/weather.tsv", "data/cars.json", "data/sales.json", "data/counts.json",
                   "data/regions.geojson", "data/grid.topojson", '"values"', '"datasets"', '"sequence"',
                   '"graticule"', '"sphere"', "pd.DataFrame(", "alt.Data(url=", "alt.UrlData("):
        assert source in text, f"no chart of the corpus uses {source}"
    for transform in ("aggregate", "bin", "calculate", "density", "extent", "filter", "flatten", "fold", "impute",
                      "joinaggregate", "loess", "lookup", "pivot", "quantile", "regression", "sample", "stack",
                      "timeUnit", "window"):
        assert f'"{transform}"' in text or f"transform_{transform.lower()}(" in text, f"no {transform} transform"
    assert len(CHARTS) >= 50
    views = [p for p in (REPO / "tests" / "corpus" / "content").glob("*/charts/*") if p.suffix in (".py", ".json")]
    assert len(CHARTS) + len(views) >= 80  # the bar, across both corpora


@pytest.mark.parametrize("path", CHARTS + list(OPTIONAL), ids=chart_id)
def test_each_chart_draws_the_marks_vl_convert_draws(site, path):
    if path in OPTIONAL and not importlib.util.find_spec(OPTIONAL[path]):
        pytest.skip(f"{OPTIONAL[path]} is not installed")
    import vl_convert

    ours = data_marks(static_svg(site, chart_id(path)))
    reference = data_marks(vl_convert.vegalite_to_svg(copy.deepcopy(reference_spec(path))))
    assert sum(reference.values()) > 0, "the reference draws nothing: the corpus chart is wrong"
    assert ours == reference


def test_a_year_parsed_as_a_date_stays_a_year(site):
    """`format.parse` is kept: the axis of the integer years read as dates runs 1970 to 1981 (not
    milliseconds after 1970, all drawn at 1970), as it does from the file itself; a table over 500 rows,
    aggregated at build time, too."""
    for chart in ("csv-parse-year", "csv-year-temporal", "large-tsv-parse-year"):
        labels = re.findall(r"<text[^>]*>(\d{4})</text>", static_svg(site, chart))
        assert len(set(labels)) >= 3 and all(1969 <= int(year) <= 1982 for year in labels), (chart, labels)


def test_a_json_address_reads_the_json_file_not_the_csv_of_the_same_stem(site):
    page = (site / "corpus" / "index.html").read_text()
    figure = page[page.index('id="chart-json-records"'):page.index("</figure>", page.index('id="chart-json-records"'))]
    assert '"hp"' in figure and "kpl" in figure and "horsepower" not in figure


def test_the_legend_warning_points_at_the_bind_line_in_vega_lite_json(charts_corpus_site):
    """`chart-keyboard` names the `bind` line of a .vl.json chart, with a hint in Vega-Lite JSON."""
    text = (STORY / "charts" / "legend-bind.vl.json").read_text().split("\n")
    line = next(number for number, row in enumerate(text, start=1) if '"bind"' in row)
    stderr = charts_corpus_site[1]
    assert f"content/corpus/charts/legend-bind.vl.json:{line}:" in stderr.replace("source/", "content/")
    warning = stderr[stderr.index("warning[chart-keyboard]"):]
    assert '"bind": {"input": "radio"' in warning and "alt.binding_radio" not in warning.split("\n")[1]
    assert " : " not in warning.split("\n")[1]  # the hint's example label had French spacing


def test_every_chart_of_the_corpus_can_be_the_social_cards_chart(site):
    """Issue 15 item 7: any chart that builds can be a story's lead chart; its card (the headline over
    its static picture, rasterized) is a 1200x630 PNG for every chart of the corpus."""
    from broadsheet.charts.cards import social_card

    for path in CHARTS:
        card = social_card("A headline over the chart", "Site", static_svg(site, chart_id(path)))
        assert card[:8] == b"\x89PNG\r\n\x1a\n", path.name
        assert (int.from_bytes(card[16:20], "big"), int.from_bytes(card[20:24], "big")) == (1200, 630), path.name


def test_dates_every_browser_reads_or_a_stated_pattern_are_not_warned(charts_corpus_site):
    """`Jan 1 2000` (as Vega-Lite's example data writes dates) and day-first dates read with
    `format.parse` draw, and the build says nothing about them."""
    stderr = charts_corpus_site[1]
    assert "chart-dates" not in stderr
    for chart in ("h-month-name-dates", "h-day-first-parse"):
        assert sum(data_marks(static_svg(charts_corpus_site[0], chart)).values()) >= 2  # two lines; 14 bars
