"""The fixture site in a real browser: charts go live, nothing leaves 127.0.0.1, no console error,
the calculator moves the prose, tooltips show, and the page still reads with JavaScript off."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers import build_copy

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "basic" / "content"


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    return build_copy(FIXTURE, tmp_path_factory.mktemp("site"))


def open_story(browser, url: str, javascript: bool = True, width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    log = {"errors": [], "hosts": set()}
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["hosts"].add(urlparse(r.url).hostname or r.url.split(":")[0]))
    page.goto(url + "demo/")
    return context, page, log


def test_every_chart_goes_live_without_errors_or_other_hosts(browser, serve, built_site, artifacts):
    context, page, log = open_story(browser, serve(built_site))
    for figure in page.locator("figure[data-chart]").all():
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live] .chart-live svg", timeout=15000)
    assert page.locator(".chart-static:visible").count() == 0  # kept, hidden, for print
    page.screenshot(path=str(artifacts / "fixture-1280.png"), full_page=True)
    assert log["errors"] == []
    assert log["hosts"] == {"127.0.0.1"}
    context.close()


def test_live_chart_keeps_the_size_of_the_static_one(browser, serve, built_site):
    context, page, _ = open_story(browser, serve(built_site))
    view = page.locator("#chart-pay .chart-view")
    before = view.bounding_box()
    view.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pay[data-state=live]")
    after = view.bounding_box()
    assert abs(after["height"] - before["height"]) <= 2 and abs(after["width"] - before["width"]) <= 2
    context.close()


def test_slider_changes_the_scenario_and_never_the_sourced_sentence(browser, serve, built_site):
    """Moving the calculator's slider rewrites the reader's scenario (labelled, announced, with no
    source) and leaves the sourced sentence as published, popover and all."""
    context, page, _ = open_story(browser, serve(built_site))
    page.locator("#chart-calculator").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-calculator[data-state=live] input[type=range]")
    sentence = page.locator("#s-calcul p").first
    scenario = page.locator("#s-calcul p.scenario")
    published = sentence.inner_text()
    assert "5\u202f787" in published and "15\u00a0$" in published
    assert "5\u202f787" in scenario.inner_text() and scenario.get_attribute("aria-live") == "polite"
    assert scenario.locator(".scenario-label").text_content().startswith("Votre scénario")
    assert scenario.locator("button, [popover]").count() == 0  # no source offered for the reader's numbers
    page.locator("#chart-calculator input[type=range]").nth(1).fill("30")  # hourly wage
    page.wait_for_function("() => document.querySelector('#s-calcul p.scenario').innerText.includes('2\u202f894')")
    assert "30\u00a0$" in scenario.inner_text()
    assert sentence.inner_text() == published
    context.close()


def test_tooltip_appears_on_hover(browser, serve, built_site):
    context, page, _ = open_story(browser, serve(built_site))
    page.locator("#chart-pay").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pay[data-state=live]")
    bar = page.locator("#chart-pay .chart-live path[aria-roledescription=bar]").first
    bar.hover()
    page.wait_for_selector(".chart-tooltip:not([hidden])")
    assert "$ par heure" in page.locator(".chart-tooltip").inner_text()
    context.close()


def test_fact_source_opens_by_keyboard(browser, serve, built_site):
    context, page, _ = open_story(browser, serve(built_site))
    button = page.locator(".fact-value").nth(1)
    button.focus()
    page.keyboard.press("Enter")
    popover = page.locator("#" + button.get_attribute("popovertarget"))
    assert popover.is_visible()
    assert "NBC News" in popover.inner_text()
    context.close()


def test_page_reads_without_javascript(browser, serve, built_site):
    context, page, log = open_story(browser, serve(built_site), javascript=False)
    images = page.locator("figure[data-chart] img.chart-static")
    assert images.count() == page.locator("figure[data-chart]").count() == 3
    for image in images.all():
        image.scroll_into_view_if_needed()
        assert image.get_attribute("alt")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    text = page.locator("main").inner_text()
    assert "5\u202f787" in text and "Sources" in text
    context.close()
