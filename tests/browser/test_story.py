"""The first story in Chromium: every chart live, the calculator moves the reader's scenario (never the sourced prose), no other host,
and the page read with JavaScript off has its text and one image per chart."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("story"), "--strict")


def watch(page):
    log = {"errors": [], "hosts": set()}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["hosts"].add(urlparse(r.url).hostname))
    return log


@pytest.mark.parametrize("width", [375, 1280])
def test_every_chart_renders_live(browser, serve, story_site, artifacts, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    log = watch(page)
    page.goto(serve(story_site) + "chatgpt/")
    figures = page.locator("figure[data-chart]").all()
    assert len(figures) == 9
    for figure in figures:
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live] .chart-live svg", timeout=15000)
    page.screenshot(path=str(artifacts / f"story-{width}.png"), full_page=True)
    assert log["errors"] == []
    assert log["hosts"] == {"127.0.0.1"}
    context.close()


def test_calculator_changes_the_scenario_and_never_the_sourced_sentence(browser, serve, story_site):
    """Issue 19: the sentence citing Semafor and NBC keeps their figures, popovers and all, however
    the sliders move; the reader's scenario below the chart follows them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(serve(story_site) + "chatgpt/")
    page.locator("#chart-calculator").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-calculator[data-state=live] input[type=range]")
    sourced = page.locator("p").filter(has_text="l’effectif rapporté par Semafor")
    scenario = page.locator("p.scenario")
    published = sourced.inner_text()
    assert "1\u202f000\u00a0contractuels" in published and "15\u00a0$" in published and "120\u202f000\u00a0$" in published
    assert scenario.count() == 1 and scenario.get_attribute("aria-live") == "polite"
    assert "1\u202f000\u00a0contractuels" in scenario.inner_text() and "5\u202f787" in scenario.inner_text()
    page.locator("#chart-calculator input[type=range]").first.fill("5000")  # contractors, 1 000 -> 5 000
    page.locator("#chart-calculator input[type=range]").nth(1).fill("30")  # hourly wage, 15 -> 30
    page.wait_for_function("document.querySelector('p.scenario').innerText.includes('2\u202f894')")
    text = scenario.inner_text()
    assert "5\u202f000\u00a0contractuels" in text and "30\u00a0$" in text and "1\u202f200\u202f000\u00a0$" in text
    assert sourced.inner_text() == published
    assert scenario.locator("button, [popover], a").count() == 0  # the reader's numbers cite no source
    context.close()


def test_story_reads_without_javascript(browser, serve, story_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(story_site) + "chatgpt/")
    images = page.locator("figure[data-chart] img.chart-static")
    assert images.count() == 9
    for image in images.all():
        assert len(image.get_attribute("alt")) > 40
    text = page.locator("main").inner_text()
    assert "5\u202f787" in text  # the calculator sentence, computed from the facts
    assert "Ce que l’article original mélange" in text
    assert page.locator("#sources li").count() >= 10
    context.close()
