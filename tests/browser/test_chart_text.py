"""Chart text is readable where it is shown: every piece of text in every chart picture and live
view is 12 px or more on a phone (375 px) and 13 px or more at 1280 px, as Chromium draws it
(the drawing's font size times the scale the page shows it at)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser
SMALLEST = {375: 12, 1280: 13}
CHARTS = len([*(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.py"),
              *(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.vl.json")])

LIVE_SIZES = """() => [...document.querySelectorAll('figure[data-chart]')].map(f => {
  const svg = f.querySelector('.chart-live svg');
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  const sizes = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
  return [f.id, Math.min(...sizes)];
})"""
# Without JavaScript a scrolly block's stage is hidden and each step shows its own picture.
SHOWN = """[...document.querySelectorAll('figure[data-chart] img.chart-static, .scrolly-picture img')]
  .filter(i => i.getBoundingClientRect().width > 0)"""
PICTURES = f"""() => {SHOWN}
  .map(i => [(i.closest('.scrolly-step') || i.closest('figure')).id, i.currentSrc,
             i.getBoundingClientRect().width / i.naturalWidth])"""


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("chart-text"))


@pytest.mark.parametrize("width", [375, 1280])
def test_live_chart_text_is_large_enough(browser, serve, story_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(serve(story_site) + "chatgpt/")
    for figure in page.locator("figure[data-chart]").all():
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live] .chart-live svg", timeout=15000)
    sizes = dict(page.evaluate(LIVE_SIZES))
    assert len(sizes) == CHARTS >= 3
    assert {chart: size for chart, size in sizes.items() if size < SMALLEST[width] - 0.01} == {}
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_chart_pictures_text_is_large_enough_without_javascript(browser, serve, story_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(story_site) + "chatgpt/")
    small = {}
    for figure in page.locator("figure[data-chart], .scrolly-picture").all():
        figure.scroll_into_view_if_needed()  # the later step pictures are lazy
    page.wait_for_function(f"{SHOWN}.every(i => i.complete && i.naturalWidth)")
    pictures = page.evaluate(PICTURES)
    stages, steps = page.locator(".scrolly-stage").count(), page.locator(".scrolly-step").count()
    assert len(pictures) == CHARTS - stages + steps and CHARTS - stages >= 3 and steps >= 4
    for chart, source, scale in pictures:
        svg = page.request.get(source).text()
        sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)(?:px)?"', svg)]
        sizes += [float(size) for size in re.findall(r"font-size:\s*([\d.]+)px", svg)]
        assert sizes, chart
        if min(sizes) * scale < SMALLEST[width] - 0.01:
            small[chart] = min(sizes) * scale
    assert small == {}
    context.close()
