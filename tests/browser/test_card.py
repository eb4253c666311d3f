"""Issue 22, item 8: the social card read as a phone shows it, 600x315, measured in Chromium: the
headline large, the chart at least half the card, its smallest text readable."""
from __future__ import annotations

import pytest

from broadsheet.charts import cards
from helpers import REPO, build_copy

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const svg = document.querySelector('svg'), card = svg.getBoundingClientRect();
  const chart = svg.querySelector(':scope > svg').getBoundingClientRect();
  const texts = [...svg.querySelectorAll(':scope > svg text')].filter(t => t.textContent.trim())
    .map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a);
  const headline = svg.querySelector('.card-headline');
  const scale = card.width / svg.viewBox.baseVal.width;
  return {chartShare: (chart.width * Math.min(chart.height, card.bottom - chart.top)) / (card.width * card.height),
          smallest: Math.min(...texts), headline: parseFloat(headline.getAttribute('font-size')) * scale,
          headlineBottom: headline.getBBox().y + headline.getBBox().height, chartTop: chart.top / scale};
}"""


@pytest.fixture(scope="module")
def lead_svg(tmp_path_factory) -> str:
    site = build_copy(REPO / "content", tmp_path_factory.mktemp("card"))
    return next(p for p in (site / "chatgpt" / "charts").glob("workforce.*.svg")).read_text()


@pytest.mark.parametrize("headline", ["Les petites mains de ChatGPT, et ce que coûtent les machines",
                                      "Un titre bien plus long que d’habitude, qui tient sur trois lignes "
                                      "de la carte sans déborder, même avec des mots longs"])
def test_the_card_reads_at_phone_preview_size(browser, lead_svg, artifacts, headline):
    svg = cards.card_svg(headline, "Broadsheet", lead_svg)
    page = browser.new_context(viewport={"width": 600, "height": 315}).new_page()
    page.set_content('<body style="margin:0">' + svg.replace('width="1200" height="630"', 'width="600" height="315"', 1))
    measured = page.evaluate(MEASURE)
    page.screenshot(path=str(artifacts / f"card-600-{len(headline)}.png"))
    assert measured["chartShare"] >= 0.5, measured
    assert measured["smallest"] >= 9.5, measured  # px at 600x315
    assert measured["headline"] >= 23, measured
    assert measured["headlineBottom"] <= measured["chartTop"], measured
