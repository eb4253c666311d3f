"""The first story in Chromium: every chart live, the calculator moves the reader's scenario (never the sourced prose), no other host,
and the page read with JavaScript off has its text and one image per chart."""
from __future__ import annotations

import re

from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser
CHARTS = len([*(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.py"),
              *(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.vl.json")])


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
    assert len(figures) == CHARTS >= 3
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
    sourced = page.locator("p").filter(has_text="(l’effectif de Semafor)")
    scenario = page.locator("p.scenario")
    published = sourced.inner_text()
    assert "1\u202f000\u00a0prestataires" in published and "15\u00a0dollars" in published
    assert "120\u202f000\u00a0dollars" in published and "17,3\u202f%" in published and "12,3\u202f%" in published
    assert scenario.count() == 1 and scenario.get_attribute("aria-live") == "polite"
    assert "1\u202f000\u00a0prestataires" in scenario.inner_text()
    assert re.search("600\u202f000[\u00a0 ]dollars", scenario.inner_text())  # "dollars" in running text
    page.locator("#chart-calculator input[type=range]").first.fill("5000")  # contractors, 1 000 -> 5 000
    page.locator("#chart-calculator input[type=range]").nth(1).fill("30")  # hourly wage, 15 -> 30
    page.wait_for_function("() => document.querySelector('p.scenario').innerText.includes('6\u202f000\u202f000')")
    text = scenario.inner_text()
    # 5 000 x 30 $ x 8 h x 5 days = 6 000 000 $ a week, 123,4 % of a week of compute (4 861 108 $)
    assert "5\u202f000\u00a0prestataires" in text and re.search("30[\u00a0 ]dollars", text) and "123,4\u202f%" in text
    assert sourced.inner_text() == published
    assert scenario.locator("button, [popover], a").count() == 0  # the reader's numbers cite no source
    context.close()


def test_story_reads_without_javascript(browser, serve, story_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(story_site) + "chatgpt/")
    images = page.locator("figure[data-chart] img.chart-static")
    assert images.count() == CHARTS >= 3
    for image in images.all():
        assert len(image.get_attribute("alt")) > 40
    text = page.locator("main").inner_text()
    assert "17,3\u202f%" in text  # the calculator sentence, computed from the facts
    assert "L’article de mai 2023 et ce que disent les sources" in text
    assert page.locator("#sources li").count() >= 10
    context.close()
