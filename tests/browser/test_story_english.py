"""The first story's English edition in Chromium: the calculator's scenario in English words and
numbers; a reader who follows the switcher from the French page sees the same chart values in the
tooltip, written each language's way; with JavaScript off the page reads in English, one picture
per chart."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser
CHARTS = len([*(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.py")])


@pytest.fixture(scope="module")
def english_site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("story-english"), "--strict")


def calculator_tooltip(page) -> str:
    """The tooltip of the calculator's second bar (the trainers' wages)."""
    page.locator("#chart-calculator").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-calculator[data-state=live] .chart-live svg", timeout=15000)
    bars = page.locator("#chart-calculator .chart-live path[aria-roledescription=bar]")
    bars.nth(1).hover(force=True)
    page.wait_for_selector(".chart-tooltip:not([hidden])")
    return page.locator(".chart-tooltip").inner_text().replace("\u202f", " ").replace("\u00a0", " ")


def test_the_calculator_scenario_reads_in_english(browser, serve, english_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(serve(english_site) + "en/chatgpt/")
    page.locator("#chart-calculator").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-calculator[data-state=live] input[type=range]")
    sourced = page.locator("p").filter(has_text="(Semafor’s headcount)")
    published = sourced.inner_text()
    assert "1,000\u00a0contractors" in published and "$15 an hour" in published
    assert "$120,000" in published and "17.3%" in published and "12.3%" in published
    scenario = page.locator("p.scenario")
    assert scenario.count() == 1
    assert "With 1,000" in scenario.inner_text()
    assert "contractors" in scenario.inner_text() and "$600,000" in scenario.inner_text()
    page.locator("#chart-calculator input[type=range]").first.fill("5000")
    page.locator("#chart-calculator input[type=range]").nth(1).fill("30")
    page.wait_for_function("() => document.querySelector('p.scenario').innerText.includes('6,000,000')")
    text = scenario.inner_text()
    assert "5,000" in text and "$30" in text and "123.4%" in text and "\u202f" not in text
    assert sourced.inner_text() == published
    labels = page.locator("#chart-calculator .chart-bindings").inner_text()
    assert "Contractors" in labels and "Period" in labels and "Prestataires" not in labels
    assert errors == []
    context.close()


def test_the_switcher_shows_the_same_values_each_languages_way(browser, serve, english_site, artifacts):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(serve(english_site) + "chatgpt/")
    french = calculator_tooltip(page)
    assert "120 000 $" in french and "17,3 %" in french and "Part du calcul" in french, french
    page.locator(".language-switcher a[hreflang=en]").click()
    page.wait_for_url(re.compile(r"/en/chatgpt/$"))
    english = calculator_tooltip(page)
    assert "$120,000" in english and "17.3%" in english and "Share of computing" in english, english
    page.locator("#chart-workforce").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-workforce[data-state=live] .chart-live svg", timeout=15000)
    axis = page.evaluate("""() => [...document.querySelectorAll('#chart-workforce .chart-live svg text')]
      .map(t => t.textContent)""")
    assert "1,000" in axis and "Number of people (logarithmic scale)" in axis, axis
    page.screenshot(path=str(artifacts / "story-english-1280.png"), full_page=True)
    context.close()


def live_texts(page, chart: str) -> list[str]:
    page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
    page.wait_for_selector(f"#chart-{chart}[data-state=live] .chart-live svg", timeout=15000)
    return page.evaluate(f"""() => [...document.querySelectorAll('#chart-{chart} .chart-live svg text')]
      .map(t => t.textContent.replace(/[\\u202f\\u00a0]/g, ' '))""")


def test_the_pay_chart_writes_the_same_wage_each_languages_way(browser, serve, english_site):
    """The federal minimum wage, one fact (7.25), drawn live in the pay chart's labels: "7,25 $" on
    the French page, "$7.25" on the English one, never the other way."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(serve(english_site) + "chatgpt/")
    french = " | ".join(live_texts(page, "pay"))
    page.goto(serve(english_site) + "en/chatgpt/")
    english = " | ".join(live_texts(page, "pay"))
    assert "Salaire minimum fédéral (Kansas) : 7,25 $" in french and "$7.25" not in french, french
    assert "Federal minimum wage (Kansas): $7.25" in english and "7,25" not in english, english
    assert "Dollars an hour" in english and "Dollars de l’heure" in french
    context.close()


def test_the_english_story_reads_without_javascript(browser, serve, english_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(serve(english_site) + "en/chatgpt/")
    images = page.locator("figure[data-chart] img.chart-static")
    assert images.count() == CHARTS >= 3
    for image in images.all():
        alt = image.get_attribute("alt")
        assert len(alt) > 40 and " de " not in alt and " et " not in alt, alt
    text = page.locator("main").inner_text()
    assert "17.3%" in text and "The May 2023 article and what the sources say" in text
    assert "Choose a" not in text  # the charts' 'choose below' hints need JavaScript
    context.close()
