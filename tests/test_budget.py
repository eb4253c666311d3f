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
    narrow = {re.sub(r"-narrow\.[0-9a-f]+\.svg$", "", p.name): p for p in referenced(page, r'srcset="([^"]+)"')}
    # a scrolly block's first step picture loads with the page (the later ones are lazy)
    eager = referenced(page, r'<img src="([^"]+)" width="\d+" height="\d+" alt="[^"]*" decoding')
    narrow = {name: path for name, path in narrow.items() if "-step-" not in name}  # steps: counted below
    assert len(wide) == 9 and len(narrow) == 9 and styles
    charts = {p: max(gz(p.read_bytes()), gz(narrow[re.sub(r"\.[0-9a-f]+\.svg$", "", p.name)].read_bytes()))
              for p in wide}
    # A map has a budget of its own (issue 16: 25 KB gzip a picture), on top of the page's.
    maps = {p: size for p, size in charts.items() if 'aria-roledescription="geoshape"' in p.read_text("utf-8")}
    first_steps = [gz(p.read_bytes()) for p in set(eager) - set(wide)]
    total = (gz(page.read_bytes()) + sum(gz(p.read_bytes()) for p in styles) + sum(charts.values())
             - sum(maps.values()) + sum(first_steps))
    print(f"pre-JS weight: {total} B gzip, and maps {sorted(maps.values())}")
    assert total <= PRE_JS_BUDGET
    assert len(maps) == 1 and all(size <= MAP_PICTURE_BUDGET for size in maps.values())


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
