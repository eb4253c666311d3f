"""A French story and its English translation in Chromium: a reader on the French page follows the
language switcher (a plain link) to the English page, and sees the same chart's values written
each language's way in the live view ("1 234,5" then "1,234.5"), the live labels being those of
the picture drawn at build time; the slider still moves the chart."""
from __future__ import annotations

import re
import shutil

import pytest

from helpers import REPO, SITE_SRC, run_cli

pytestmark = pytest.mark.browser
BILINGUAL = REPO / "tests" / "sites" / "bilingual" / "content"
LIVE_LABELS = """() => [...document.querySelectorAll('#chart-trajets .chart-live svg text')]
  .map(t => t.textContent.replace(/[\\u202f\\u00a0]/g, ' ')).filter(t => t.trim())"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    work = tmp_path_factory.mktemp("bilingual-browser")
    shutil.copytree(BILINGUAL, work / "content")
    result = run_cli("build", "--strict", "--site-src", str(SITE_SRC), cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "_site"


def live_labels(page) -> list[str]:
    page.locator("#chart-trajets").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-trajets[data-state=live] .chart-live svg", timeout=15000)
    return page.evaluate(LIVE_LABELS)


def static_labels(folder) -> list[str]:
    svg = next(folder.glob("trajets.*.svg")).read_text()
    return [t.replace("\u202f", " ").replace("\u00a0", " ") for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)
            if t.strip()]


def test_the_switcher_leads_to_the_same_chart_in_the_other_language(browser, serve, site, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(serve(site) + "velos/")
    french = live_labels(page)
    assert "1 234,5" in french and "1,234.5" not in french
    assert french == static_labels(site / "velos" / "charts")
    page.locator(".language-switcher a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/en/velos/$"))
    assert page.evaluate("document.documentElement.lang") == "en"
    english = live_labels(page)
    assert "1,234.5" in english and "1 234,5" not in english
    assert english == static_labels(site / "en" / "velos" / "charts")
    values = [label for label in english if re.fullmatch(r"1,\d{3}\.\d", label)]
    assert len(values) == 4  # 2021 to 2024
    slider = page.locator("#chart-trajets input[type=range]")
    slider.fill("2023")
    page.wait_for_function("""() => [...document.querySelectorAll('#chart-trajets .chart-live svg text')]
      .filter(t => /^1,\\d{3}\\.\\d$/.test(t.textContent)).length === 2""")
    assert "1,234.5" in page.evaluate(LIVE_LABELS)
    page.screenshot(path=str(artifacts / "translation-english.png"), full_page=True)
    page.locator(".language-switcher a[hreflang=fr]").click()
    page.wait_for_url(re.compile(r"/velos/$"))
    assert page.evaluate("document.documentElement.lang") == "fr"
    assert errors == []
    context.close()


def test_the_switcher_works_without_javascript(browser, serve, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(site) + "en/velos/")
    page.locator(".language-switcher a[hreflang=fr]").click()
    page.wait_for_url(re.compile(r"/velos/$"))
    assert page.locator("h1").inner_text() == "Les vélos en libre-service, dix ans après"
    context.close()
