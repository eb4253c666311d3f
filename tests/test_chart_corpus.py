"""The chart corpus (tests/corpus/content): every view composition (unit, layer, concat, repeat,
facet) with every interaction (point, interval, legend, scales, bound inputs, time), and charts in
Altair's own style, built as a story site. Each static picture must hold the data marks that
vl-convert draws (the reference tool, not our engine) for the same chart, at the same size; an
animation is drawn at its first frame. The browser half is tests/browser/test_chart_corpus_live.py.
"""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from corpus_pages import built_charts

CONTENT = Path(__file__).parent / "corpus" / "content"
FILES = sorted(p for p in CONTENT.glob("*/charts/*") if p.name.endswith((".py", ".vl.json")))
IDS = [f"{p.parts[-3]}/{p.name.split('.')[0]}" for p in FILES]
VL_VERSION = "6.4"  # the release Altair writes for (checked below)


@pytest.fixture(scope="module")
def built(corpus_site):
    site, _ = corpus_site
    return {f"{chart.story}/{chart.id}": chart for chart in built_charts(site)}


def test_the_corpus_covers_every_composition_and_interaction():
    assert len(FILES) >= 60
    for composition in ("unit", "layer", "concat", "repeat", "facet"):
        names = {p.name for p in (CONTENT / composition / "charts").iterdir()}
        for interaction in ("point", "interval", "legend", "scales", "input", "time"):
            assert {f"{interaction}-c.vl.json", f"{interaction}-s.vl.json"} <= names, (composition, interaction)


def test_every_chart_builds_without_a_drawing_problem(corpus_site, built):
    _, printed = corpus_site
    assert set(built) == set(IDS)
    for code in ("chart-empty", "chart-vega-log", "chart-clipped", "chart-fixed-width", "chart-render"):
        assert f"[{code}]" not in printed


@pytest.mark.parametrize("chart_id", IDS)
def test_static_picture_has_the_marks_vl_convert_draws(chart_id, built):
    import vl_convert
    from broadsheet.charts.drawing import data_marks, svg_size

    chart = built[chart_id]
    ours = data_marks(chart.svg)
    assert sum(ours.values()) > 0
    reference = vl_convert.vega_to_svg(chart.vega)  # the page's compiled spec, drawn by vl-convert
    if _timer_params(chart.vega):  # vl-convert draws every frame of an animation at once
        assert all(0 < ours.get(kind, 0) < count for kind, count in data_marks(reference).items())
    else:
        assert ours == data_marks(reference)
    width, height = svg_size(reference)
    assert abs(chart.width - width) <= 2 and abs(chart.height - height) <= 2


@pytest.mark.parametrize("path", [p for p in FILES if p.name.endswith(".vl.json")],
                         ids=[i for p, i in zip(FILES, IDS) if p.name.endswith(".vl.json")])
def test_static_picture_has_the_marks_vl_convert_compiles_from_the_source(path, built):
    """The author's Vega-Lite compiled and drawn by vl-convert alone (its own Vega-Lite), an
    animation given its first frame as a plain filter."""
    import altair
    import vl_convert
    from broadsheet.charts.drawing import data_marks

    assert altair.VEGALITE_VERSION.startswith(VL_VERSION + ".")
    spec = json.loads(path.read_text(encoding="utf-8"))
    table = (path.parent.parent / spec["data"]["url"]).read_text(encoding="utf-8")
    spec["data"] = {"values": table, "format": {"type": "csv"}}
    spec = _first_frame(spec, list(csv.DictReader(io.StringIO(table))))
    reference = vl_convert.vegalite_to_svg(spec, vl_version=VL_VERSION)
    assert data_marks(built[f"{path.parts[-3]}/{path.name.split('.')[0]}"].svg) == data_marks(reference)


def test_the_lead_chart_with_image_marks_makes_the_social_card(corpus_site, built):
    site, _ = corpus_site
    assert "image" in __import__("broadsheet.charts.drawing", fromlist=["x"]).data_marks(built["altair/pictures"].svg)
    (card,) = (site / "altair").glob("card.*.png")
    head = card.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")) == (1200, 630)


def test_a_title_that_follows_a_param_stays_in_the_live_view(built):
    title = built["altair/slider_title"].vega["title"]
    assert "floor" in title["text"]["signal"]


def _timer_params(vega: dict) -> bool:
    return bool(re.search(r'"type":\s*"timer"', json.dumps(vega)))


def _first_frame(spec: dict, rows: list[dict]) -> dict:
    """The spec at the first frame of its animation: each timer param's filter replaced by a plain
    filter on the field's first value (the start of the time scale's domain), the time channel removed."""
    timers = {p["name"]: p["select"]["fields"][0] for p in spec.get("params", [])
              if isinstance(p.get("select"), dict) and p["select"].get("on") == "timer"}
    if not timers:
        return spec
    spec = {**spec, "params": [p for p in spec["params"] if p["name"] not in timers]}
    spec["encoding"] = {k: v for k, v in spec["encoding"].items() if k != "time"}
    transforms = []
    for step in spec.get("transform", []):
        param = step.get("filter", {}).get("param") if isinstance(step.get("filter"), dict) else None
        if param in timers:
            field = timers[param]
            first = min({row[field] for row in rows})
            step = {"filter": f"datum[{json.dumps(field)}] == {json.dumps(first)}"}
        transforms.append(step)
    spec["transform"] = transforms
    return spec


def test_every_chart_of_the_corpus_can_be_the_social_cards_chart(built):
    """Any chart that builds can be a story's lead chart: brushes, facets, animations, pictures."""
    from broadsheet.charts.cards import social_card

    for name, chart in sorted(built.items()):
        card = social_card("A headline over the chart", "Site", chart.svg)
        assert card[:8] == b"\x89PNG\r\n\x1a\n", name
        assert (int.from_bytes(card[16:20], "big"), int.from_bytes(card[20:24], "big")) == (1200, 630), name
