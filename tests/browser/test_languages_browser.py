"""The same chart in English and in French, live in Chromium: its axis labels, tooltip and slider
are written each language's way (1,000,000 / 1 000 000; "Year: 2017" / "Year : 2017"), the years
never grouped, and the live view writes exactly the labels of the picture drawn at build time. An
Arabic story reads right to left: dir="rtl", the layout mirrored, its chart text intact."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO, SITE_SRC, run_cli

pytestmark = pytest.mark.browser
ENGLISH = REPO / "tests" / "sites" / "english" / "content"
ARABIC = REPO / "tests" / "sites" / "arabic" / "content"
LIVE_LABELS = """id => [...document.querySelectorAll('#' + id + ' .chart-live svg text')]
  .map(t => t.textContent).filter(t => t.trim())"""


def built(content: Path, work: Path, language: str | None = None) -> Path:
    shutil.copytree(content, work / "content")
    if language:
        for path in (work / "content" / "site.yaml", *(work / "content").glob("*/index.md")):
            path.write_text(re.sub(r"(?m)^language: \w+$", f"language: {language}", path.read_text()))
    result = run_cli("build", "--strict", "--site-src", str(SITE_SRC), cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "_site"


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    return {language: built(ENGLISH, tmp_path_factory.mktemp(f"browser-{language}"), language)
            for language in ("en", "fr")}


def live_chart(browser, url: str, figure_id: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(url)
    page.locator(f"#{figure_id}").scroll_into_view_if_needed()
    page.wait_for_selector(f"#{figure_id}[data-state=live] .chart-live svg", timeout=15000)
    return context, page, errors


def static_labels(site: Path, chart: str) -> list[str]:
    svg = next((site / "bike-share" / "charts").glob(f"{chart}.*.svg")).read_text()
    return [re.sub(r"&amp;", "&", text) for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


@pytest.mark.parametrize("language,million,colon,value", [
    ("en", "1,000,000", "Year: 2017", "Trips: 702,310"),
    ("fr", "1\u202f000\u202f000", "Year\u00a0: 2017", "Trips\u00a0: 702\u202f310"),
])
def test_the_same_chart_reads_each_languages_way(browser, serve, sites, language, million, colon, value):
    context, page, errors = live_chart(browser, serve(sites[language]) + "bike-share/", "chart-trips")
    labels = page.evaluate(LIVE_LABELS, "chart-trips")
    assert labels == static_labels(sites[language], "trips")  # live view == the picture drawn at build time
    assert million in labels and "2017" in labels
    assert not [label for label in labels if re.fullmatch(r"2\D0[12]\d", label)], labels  # no 2,017 nor 2 017
    points = page.locator("#chart-trips .chart-live path[aria-roledescription=point]")
    points.nth(2).hover(force=True)  # 2017
    page.wait_for_selector(".chart-tooltip:not([hidden])")
    tooltip = page.locator(".chart-tooltip").inner_text()
    assert colon in tooltip and value in tooltip, tooltip
    slider = page.locator("#chart-trips input[type=range]")
    assert slider.get_attribute("aria-valuetext") == "2015"
    slider.fill("2019")
    page.wait_for_function("() => document.querySelector('#chart-trips input[type=range]')"
                           ".getAttribute('aria-valuetext') === '2019'")
    assert page.locator("#chart-trips output.chart-bind-value").inner_text() == "2019"
    assert errors == []
    context.close()


def test_an_arabic_story_reads_right_to_left(browser, serve, tmp_path, artifacts):
    site = built(ARABIC, tmp_path)
    context, page, errors = live_chart(browser, serve(site) + "bikes/", "chart-stations")
    page.locator("#chart-trips").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-trips[data-state=live] .chart-live svg", timeout=15000)
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('.story')).direction") == "rtl"
    quote = page.evaluate("(() => { const s = getComputedStyle(document.querySelector('blockquote'));"
                          " return [s.borderRightWidth, s.borderLeftWidth]; })()")
    assert quote == ["3px", "0px"]  # the rule stands at the start of the line: on the right
    title = page.locator(".site-title").bounding_box()
    assert title["x"] > 640  # the site's name starts on the right
    assert "المصدر: إدارة النقل" in page.locator("#chart-stations .chart-source").inner_text()
    labels = page.evaluate(LIVE_LABELS, "chart-stations")
    assert "المحطة المركزية" in labels and "السوق القديم" in labels  # the words as written, not reversed
    outside = page.evaluate("""() => [...document.querySelectorAll('.chart-live svg')].flatMap(svg => {
      const box = svg.getBoundingClientRect();
      return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => [t.textContent,
        t.getBoundingClientRect()]).filter(([, r]) => r.left < box.left - 1 || r.right > box.right + 1)
        .map(([text]) => text);
    })""")
    assert outside == []  # no label drawn off the chart (Vega anchors text for ltr: the chart stays ltr)
    svg = next((site / "bikes" / "charts").glob("stations.*.svg")).read_text()
    assert "المحطة المركزية" in svg
    page.locator("#chart-stations").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "rtl-arabic-story.png"), full_page=True)
    assert errors == []
    context.close()


def test_a_slider_that_is_not_a_year_is_grouped_the_languages_way(browser, serve, tmp_path):
    site = built(REPO / "tests" / "sites" / "basic" / "content", tmp_path)
    context, page, errors = live_chart(browser, serve(site) + "demo/", "chart-calculator")
    contractors = page.locator("#chart-calculator input[type=range]").first
    assert contractors.get_attribute("aria-valuetext") == "1\u202f000"  # the chart's d3 locale: French
    contractors.fill("2500")
    page.wait_for_function("() => document.querySelector('#chart-calculator input[type=range]')"
                           ".getAttribute('aria-valuetext') === '2\u202f500'")
    assert errors == []
    context.close()
