"""Figures align with the text, measured in Chromium: the prose, the headline and the dek share one
left edge; a figure is centred on the prose (a symmetric breakout at desktop width, the column's
width on a phone); inside a figure, its title, picture and notes start at the same edge. The chart
pictures have no panel of their own on the page's paper (a transparent background)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser

BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; };
  const prose = [...document.querySelectorAll('.story-section > p, .intro > p, .story-header > h1, .dek')];
  const figures = [...document.querySelectorAll('figure.chart')].map(f => {
    /* A scrolly's chart frame gives way, without JavaScript, to one picture per step. */
    const shown = f.querySelector('.chart-frame').getBoundingClientRect().width > 0;
    const pictures = shown ? [f.querySelector('.chart-view')]
                           : [...f.closest('.scrolly').querySelectorAll('.scrolly-picture img')];
    return {id: f.id, figure: box(f), head: box(f.querySelector('.chart-head')),
            pictures: pictures.map(box), notes: box(f.querySelector('.chart-notes'))};
  });
  return {prose: prose.map(box), figures};
}"""


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("alignment"))


@pytest.mark.parametrize("width", [375, 1280])
def test_figures_are_centred_on_the_prose_and_share_an_edge_inside(browser, serve, story_site, width):
    page = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False).new_page()
    page.goto(serve(story_site) + "chatgpt/")
    boxes = page.evaluate(BOXES)
    lefts = {round(left) for left, _ in boxes["prose"]}
    assert len(lefts) == 1, f"the prose, headline and dek start at {sorted(lefts)}"
    prose_left, prose_right = boxes["prose"][0]
    axis = (prose_left + max(right for _, right in boxes["prose"])) / 2
    assert boxes["figures"]
    for figure in boxes["figures"]:
        left, right = figure["figure"]
        if width >= 1000:
            assert abs((left + right) / 2 - axis) <= 2, f"{figure['id']} is off the prose's axis: {figure}"
            assert right - left > prose_right - prose_left, f"{figure['id']} is no wider than the prose"
        else:
            assert abs(left - prose_left) <= 1 and abs(right - prose_right) <= 1, figure
        for part in ("head", "notes"):
            assert abs(figure[part][0] - left) <= 1, f"{figure['id']}'s {part} starts at {figure[part][0]}, not {left}"
        assert figure["pictures"], f"{figure['id']} shows no picture"
        for picture_left, picture_right in figure["pictures"]:
            assert picture_right > picture_left, f"{figure['id']} has an empty picture"
            assert abs(picture_left - left) <= 1, f"{figure['id']}'s picture starts at {picture_left}, not {left}"


def test_chart_pictures_have_no_panel_of_their_own(story_site):
    """A background rectangle is the first thing vl-convert draws, right after the dark-mode style."""
    pictures = sorted((story_site / "chatgpt" / "charts").glob("*.svg"))
    assert pictures
    for picture in pictures:
        panel = re.match(r'<svg[^>]*>(?:<style>.*?</style>)?<rect [^>]*fill="(?!transparent|none)([^"]+)"',
                         picture.read_text(), re.S)
        assert panel is None, f"{picture.name} is drawn on a {panel.group(1)} panel"
