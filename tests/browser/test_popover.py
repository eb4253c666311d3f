"""A fact's source opens next to its number, never over it, and inside the window: at phone and
desktop widths, with JavaScript on and off (the popover is HTML's own, placed by CSS anchor
positioning: its invoker is its anchor)."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser
HEIGHT = 800


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("popover"))


def _overlaps(a: dict, b: dict) -> bool:
    return not (b["y"] >= a["y"] + a["height"] or b["y"] + b["height"] <= a["y"]
                or b["x"] >= a["x"] + a["width"] or b["x"] + b["width"] <= a["x"])


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [375, 1280])
def test_every_fact_popover_opens_beside_its_number(browser, serve, story_site, artifacts, width, javascript):
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, java_script_enabled=javascript)
    page = context.new_page()
    page.goto(serve(story_site) + "chatgpt/")
    buttons = page.locator(".fact-value")
    assert buttons.count() >= 30
    misplaced = []
    for index in range(0, buttons.count(), 4):  # one in four: numbers all along the page, in under a minute
        button = buttons.nth(index)
        button.scroll_into_view_if_needed()
        button.click()
        popover = page.locator(f"[id='{button.get_attribute('popovertarget')}']")
        popover.wait_for(state="visible")
        number, box = button.bounding_box(), popover.bounding_box()
        inside = box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width + 0.5 \
            and box["y"] + box["height"] <= HEIGHT + 0.5
        near = min(abs(box["y"] - (number["y"] + number["height"])), abs(number["y"] - (box["y"] + box["height"]))) < 16
        if _overlaps(number, box) or not inside or not near:
            misplaced.append((index, button.inner_text(), number, box))
        if index == 0:
            page.screenshot(path=str(artifacts / f"popover-{width}-{'js' if javascript else 'nojs'}.png"))
        page.keyboard.press("Escape")
        popover.wait_for(state="hidden")
    assert misplaced == []
    context.close()
