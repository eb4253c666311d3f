"""The reader's budget, measured on the built first story.

Before any JavaScript a reader downloads the story's HTML, the stylesheet and one static SVG per
chart (the wide or the narrow one: the larger is counted). Then, when a chart nears the
viewport, our script and the chart runtime, once per site."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from helpers import REPO, build_copy

PRE_JS_BUDGET = 80_000  # bytes gzip: HTML + CSS + fallback charts
JS_BUDGET = 205_000  # bytes gzip: every script the page can load
MAP_PICTURE_BUDGET = 25 * 1024  # bytes gzip: a map's static picture (the larger of wide and narrow)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("budget"))


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def referenced(page: Path, pattern: str) -> list[Path]:
    html = page.read_text("utf-8")
    return [(page.parent / url).resolve() for url in re.findall(pattern, html)]


def test_story_before_javascript_weighs_80_kb_gzip_or_less_and_25_kb_a_map(site):
    page = site / "chatgpt" / "index.html"
    styles = referenced(page, r'<link rel="stylesheet" href="([^"]+)"')
    wide = referenced(page, r'<img class="chart-static" src="([^"]+)"')
    narrow = {re.sub(r"-narrow\.[0-9a-f]+\.svg$", "", p.name): p for p in referenced(page, r'srcset="([^"]+)"')
              if "-step-" not in p.name}  # a scrolly block's later step pictures: the next test
    charts_in_story = len([*(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.py"),
                           *(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.vl.json")])
    assert len(wide) == len(narrow) == charts_in_story >= 3 and styles
    charts = {p: max(gz(p.read_bytes()), gz(narrow[re.sub(r"\.[0-9a-f]+\.svg$", "", p.name)].read_bytes()))
              for p in wide}
    # A map has a budget of its own (issue 16: 25 KB gzip a picture), on top of the page's.
    maps = {p: size for p, size in charts.items() if 'aria-roledescription="geoshape"' in p.read_text("utf-8")}
    total = gz(page.read_bytes()) + sum(gz(p.read_bytes()) for p in styles) + sum(charts.values()) - sum(maps.values())
    print(f"pre-JS weight: {total} B gzip, and maps {sorted(maps.values())}")
    assert total <= PRE_JS_BUDGET
    assert len(maps) == 1 and all(size <= MAP_PICTURE_BUDGET for size in maps.values())


STEP_PICTURE_BUDGET = 10 * 1024  # bytes gzip: one scrolly step's picture (the larger of wide and narrow)


def test_the_scrolly_block_adds_no_picture_to_the_first_screen_and_reports_each_steps_cost(site):
    """Issue 18: the story's block (4 to 6 steps) keeps the page within its budget before
    JavaScript: step one shows the chart's own picture (the same files, fetched once) and the later
    steps' pictures load lazily, each within a budget of its own."""
    page = site / "chatgpt" / "index.html"
    html = page.read_text("utf-8")
    steps = re.findall(r'<li class="scrolly-step".*?</li>', html, re.S)
    assert 4 <= len(steps) <= 6
    pictures = [re.search(r'<img src="([^"]+)"[^>]*>', step) for step in steps]
    narrows = [re.search(r'srcset="([^"]+)"', step) for step in steps]
    assert all(pictures) and all(narrows)
    chart_id = re.search(r'data-scrolly="([^"]+)"', html).group(1)
    own = re.search(rf'<img class="chart-static" src="(charts/{chart_id}\.[0-9a-f]+\.svg)"', html).group(1)
    assert pictures[0].group(1) == own and "loading=" not in pictures[0].group(0)  # no second file for step one
    assert all('loading="lazy"' in picture.group(0) for picture in pictures[1:])
    costs = []
    for picture, narrow in zip(pictures[1:], narrows[1:]):
        wide_file, narrow_file = page.parent / picture.group(1), page.parent / narrow.group(1)
        assert "-step-" in wide_file.name and "-step-" in narrow_file.name
        costs.append(max(gz(wide_file.read_bytes()), gz(narrow_file.read_bytes())))
    print(f"scrolly: {len(steps)} steps; each later step's picture (lazy) {min(costs)} to {max(costs)} B gzip, "
          f"{sum(costs)} B for all of them")
    assert len(set(p.group(1) for p in pictures)) == len(steps)  # each step its own state
    assert all(cost <= STEP_PICTURE_BUDGET for cost in costs)


def test_scripts_load_once_per_site_and_only_for_charts(site):
    page = (site / "chatgpt" / "index.html").read_text("utf-8")
    scripts = re.findall(r"<script src=\"([^\"]+)\"[^>]*>", page)
    assert all("defer" in tag or "async" in tag for tag in re.findall(r"<script src=[^>]*>", page))
    # The runtime is not a script of the page: broadsheet.js loads it when a chart nears the viewport.
    assert not any("vega" in src for src in scripts)
    assert re.search(r'data-vega-src="\.\./assets/vega\.[0-9a-f]+\.js"', page)


def test_javascript_weighs_205_kb_gzip_or_less(site):
    page = site / "chatgpt" / "index.html"
    html = page.read_text("utf-8")
    scripts = referenced(page, r'<script src="([^"]+)"') + referenced(page, r'data-vega-src="([^"]+)"')
    total = sum(gz(p.read_bytes()) for p in set(scripts))
    print(f"JavaScript: {total} B gzip")
    assert "data-vega-src" in html and total <= JS_BUDGET
