"""The chart corpus live in Chromium: every chart hydrates without an error, and its live view
draws the same data marks at the same size as the static picture the page shows first (at the
wide layout and at a phone's), so nothing jumps or changes when the chart comes alive."""
from __future__ import annotations

from urllib.parse import urljoin, urlparse

import pytest

pytestmark = pytest.mark.browser

STORIES = ["unit", "layer", "concat", "repeat", "facet", "altair"]

# The data marks of a live view, counted as drawing.data_marks counts them in an SVG file: items
# of each `mark-<kind> role-mark` group, brushes and Voronoi helpers aside.
LIVE = """figure => {
  const svg = figure.querySelector('.chart-live svg');
  const counts = {};
  svg.querySelectorAll('g').forEach(g => {
    const classes = (g.getAttribute('class') || '').split(/\\s+/);
    if (classes.length < 2 || !classes[0].startsWith('mark-') || classes[1] !== 'role-mark') return;
    if (classes[0] === 'mark-group' || classes.slice(2).some(n => /_(brush|brush_bg|voronoi)$/.test(n))) return;
    const kind = classes[0].slice(5);
    counts[kind] = (counts[kind] || 0) + g.children.length;
  });
  const source = figure.querySelector('picture source');
  const img = figure.querySelector('img.chart-static');
  const narrow = source && window.matchMedia(source.getAttribute('media')).matches;
  return {counts, width: +svg.getAttribute('width'), height: +svg.getAttribute('height'),
          src: narrow ? source.getAttribute('srcset') : img.getAttribute('src')};
}"""


def live_differences(browser, base: str, site, story: str, width: int) -> tuple[list[str], list[str], int]:
    """(What differs between each chart's live view and its static picture, console errors and
    warnings, charts seen) on one story page at one window width."""
    from broadsheet.charts.drawing import data_marks, svg_size

    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + story + "/")
    figures = page.locator("figure[data-chart]").all()
    differences = []
    for figure in figures:
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live] .chart-live svg", timeout=20000)
        live = figure.evaluate(LIVE)
        static_path = urlparse(urljoin(base + story + "/", live["src"])).path.lstrip("/")
        static = (site / static_path).read_text(encoding="utf-8")
        static_width, static_height = svg_size(static)
        name = figure.get_attribute("data-chart")
        if live["counts"] != data_marks(static):
            differences.append(f"{name}: live marks {live['counts']}, static {data_marks(static)}")
        if abs(live["width"] - static_width) > 1 or abs(live["height"] - static_height) > 1:
            differences.append(f"{name}: live {live['width']}x{live['height']}, static {static_width}x{static_height}")
    context.close()
    return differences, errors, len(figures)


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize("story", STORIES)
def test_live_view_draws_the_static_pictures_marks_at_its_size(browser, serve, corpus_site, story, width):
    site, _ = corpus_site
    differences, errors, seen = live_differences(browser, serve(site), site, story, width)
    assert seen
    assert differences == []
    assert errors == []


@pytest.mark.parametrize("width", [1280, 375])
def test_the_chart_data_corpus_live_draws_its_pictures_marks_at_their_size(browser, serve, charts_corpus_site, width):
    """tests/charts_corpus (every data format, generator and transform type, pandas and Altair's
    URL data) the same way: each of its charts, live, draws the marks of its static picture at its size."""
    from helpers import REPO

    site, _ = charts_corpus_site
    differences, errors, seen = live_differences(browser, serve(site), site, "corpus", width)
    assert seen >= len(list((REPO / "tests" / "charts_corpus" / "content" / "corpus" / "charts").iterdir()))
    # Charts drawn by chance (`sample`, `random()`, an error band's bootstrap) draw the same rows
    # live as in the picture: the page and the build seed Vega's generator alike.
    assert differences == []
    assert errors == []
