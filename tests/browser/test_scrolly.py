"""A scrolly block in Chromium: the steps set the live chart's params forward and back, by scroll
and by keyboard; the chart stays in view; on a 320 px phone too; with JavaScript off, in print and
in the single-file export, every step's picture and text are there; axe finds nothing."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from helpers import build_copy

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "scrolly" / "content"
# What the fixture's six steps set (03-pas-a-pas.md), as the live view must read it
EXPECTED = [("Tous", 16), ("Kenya", 16), ("Kenya", 4), ("États-Unis", 16), ("États-Unis", 8), ("Tous", 16)]


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    return build_copy(FIXTURE, tmp_path_factory.mktemp("site"))


def open_story(browser, url: str, javascript: bool = True, width: int = 1280, height: int = 900):
    context = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url + "demo/")
    return context, page, errors


def chart_state(page) -> tuple:
    return tuple(page.evaluate("""() => {
        const view = document.querySelector('.scrolly-stage figure').broadsheetView;
        return [view.signal('focus'), view.signal('zoom')];
    }"""))


def go_to_step(page, number: int) -> None:
    """Scrolls the step's card to the middle of the screen (where the observer's line is)."""
    page.evaluate("""(n) => {
        const step = document.querySelectorAll('.scrolly-step')[n - 1];
        const box = step.getBoundingClientRect();
        window.scrollBy(0, box.top + box.height / 2 - innerHeight / 2);
    }""", number)
    page.wait_for_function("(n) => document.querySelector('.scrolly-stage figure').getAttribute('data-step') == n",
                           arg=str(number), timeout=10000)


def wait_live(page) -> None:
    page.locator(".scrolly-stage figure").scroll_into_view_if_needed()
    page.wait_for_selector(".scrolly-stage figure[data-state=live] .chart-live svg", timeout=20000)


@pytest.mark.parametrize("width", [1280, 320])
def test_scrolling_forward_and_back_sets_each_steps_state(browser, serve, built_site, artifacts, width):
    context, page, errors = open_story(browser, serve(built_site), width=width, height=700 if width == 320 else 900)
    wait_live(page)
    order = list(range(1, 7)) + list(range(5, 0, -1))  # down through every step, then back up
    for number in order:
        go_to_step(page, number)
        page.wait_for_timeout(50)
        assert chart_state(page) == EXPECTED[number - 1], f"step {number}"
        stage = page.locator(".scrolly-stage").bounding_box()
        view = page.locator(".scrolly-stage .chart-view").bounding_box()
        assert -1 <= stage["y"] <= 1 and view["y"] + view["height"] <= page.viewport_size["height"], \
            "the chart stays whole in view while the steps pass"
        if number == 3:
            page.screenshot(path=str(artifacts / f"scrolly-step3-{width}.png"))
    assert page.locator(".scrolly-now").inner_text() == page.locator(".scrolly-step").nth(0).get_attribute("data-alt")
    assert page.locator(".scrolly-picture img:visible").count() == 0  # the live view shows the states
    if width == 320:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert errors == []
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_a_jump_that_leaves_the_middle_line_between_steps_sets_the_nearest_steps_state(browser, serve, built_site,
                                                                                     width):
    """A link to an anchor, find in page or the scrollbar dragged lands anywhere: with a step's card
    on screen below the middle line and none across it, the chart shows that step, not an earlier one."""
    context, page, errors = open_story(browser, serve(built_site), width=width, height=800)
    wait_live(page)
    for number in (4, 2, 5):
        page.evaluate("""(n) => {
            const step = document.querySelectorAll('.scrolly-step')[n - 1];
            window.scrollTo(0, window.scrollY + step.getBoundingClientRect().top - innerHeight * 0.6);
        }""", number)
        box = page.locator(".scrolly-step").nth(number - 1).bounding_box()
        previous = page.locator(".scrolly-step").nth(number - 2).bounding_box()
        assert box["y"] > 400 and previous["y"] + previous["height"] < 400, "the middle line is between two steps"
        page.wait_for_function("(n) => document.querySelector('.scrolly-stage figure').getAttribute('data-step') == n",
                               arg=str(number), timeout=10000)
        assert chart_state(page) == EXPECTED[number - 1]
    assert errors == []
    context.close()


def test_keyboard_reaches_every_step_and_sets_its_state(browser, serve, built_site):
    context, page, errors = open_story(browser, serve(built_site))
    wait_live(page)
    page.locator(".scrolly-step").nth(0).focus()
    for number in range(1, 7):
        if number > 1:
            page.keyboard.press("Tab")
            # the step's own fact buttons come first in the tab order: go on to the next step
            while page.evaluate("!document.activeElement.classList.contains('scrolly-step')"):
                page.keyboard.press("Tab")
        page.wait_for_function("(n) => document.querySelector('.scrolly-stage figure').getAttribute('data-step') == n",
                               arg=str(number), timeout=10000)
        assert chart_state(page) == EXPECTED[number - 1]
        alt = page.locator(".scrolly-step").nth(number - 1).get_attribute("data-alt")
        assert page.locator(".scrolly-now").inner_text() == alt  # announced (aria-live)
        assert page.locator(".scrolly-stage .chart-live").get_attribute("aria-label") == alt
    assert errors == []
    context.close()


def test_without_javascript_every_step_shows_its_picture_and_text(browser, serve, built_site):
    context, page, _ = open_story(browser, serve(built_site), javascript=False)
    steps = page.locator(".scrolly-step")
    assert steps.count() == 6
    for index in range(6):
        step = steps.nth(index)
        step.scroll_into_view_if_needed()
        picture = step.locator(".scrolly-picture img")
        assert picture.is_visible() and step.locator(".scrolly-text p").first.is_visible()
        picture.evaluate("img => img.decode()")
        assert picture.evaluate("img => img.naturalWidth") > 0
        assert picture.get_attribute("alt") == step.get_attribute("data-alt")
    # later pictures are lazy; the first loads with the page
    lazy = [steps.nth(i).locator("img").get_attribute("loading") for i in range(6)]
    assert lazy == [None] + ["lazy"] * 5
    assert not page.locator(".scrolly-stage .chart-frame").is_visible()  # no duplicate of step one
    context.close()


def test_print_shows_the_sequence_of_figures(browser, serve, built_site):
    context, page, _ = open_story(browser, serve(built_site))
    wait_live(page)
    page.emulate_media(media="print")
    pictures = page.locator(".scrolly-picture img")
    assert pictures.count() == 6 and all(pictures.nth(i).is_visible() for i in range(6))
    assert not page.locator(".scrolly-stage .chart-frame").is_visible()
    assert page.locator(".scrolly-step").nth(5).evaluate("s => getComputedStyle(s).position") == "static"
    context.close()


@pytest.mark.parametrize("javascript", [False, True])
def test_the_single_file_export_shows_the_sequence(browser, tmp_path, javascript):
    import shutil

    from helpers import SITE_SRC, run_cli

    shutil.copytree(FIXTURE, tmp_path / "content")
    result = run_cli("export", "demo", "out/demo.html", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto((tmp_path / "out" / "demo.html").as_uri())
    if javascript:  # read on screen, it scrolls; printed, it is the sequence
        page.emulate_media(media="print")
    pictures = page.locator(".scrolly-picture img")
    assert pictures.count() == 6
    for index in range(6):
        pictures.nth(index).scroll_into_view_if_needed()
        assert pictures.nth(index).is_visible()
        assert pictures.nth(index).evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    context.close()


@pytest.mark.parametrize("javascript", [True, False])
def test_axe_finds_nothing_on_the_scrolly_page(browser, serve, built_site, javascript):
    """Without JavaScript as test_a11y reads a page so (its scripts refused, noscript applied):
    axe itself needs JavaScript to run."""
    from test_a11y import axe_violations, open_page

    context, page, _ = open_page(browser, serve(built_site) + "demo/", 1280, "light", javascript)
    if javascript:
        wait_live(page)
        go_to_step(page, 3)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("motion", ["no-preference", "reduce"])
def test_a_step_moves_the_marks_with_a_short_transition_unless_the_reader_asks_for_less_motion(browser, serve,
                                                                                                built_site, motion):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion=motion)
    page = context.new_page()
    page.goto(serve(built_site) + "demo/")
    wait_live(page)
    go_to_step(page, 2)
    durations = page.evaluate("""() => [...document.querySelectorAll('.scrolly-stage .chart-live svg path')]
        .slice(0, 20).map(p => getComputedStyle(p).transitionDuration)""")
    assert durations
    if motion == "reduce":
        assert all(set(d.replace(" ", "").split(",")) == {"0s"} for d in durations), durations
    else:
        assert all("0.3s" in d for d in durations), durations
    context.close()


def test_the_page_does_not_shift_as_the_live_chart_replaces_its_picture_and_the_steps_pass(browser, serve, built_site):
    """Chromium's layout-shift entries (the Cumulative Layout Shift's parts), summed over loading,
    the live view's arrival and a scroll through every step, stay under 0.1 ("good" in Web Vitals)."""
    context, page, errors = open_story(browser, serve(built_site), width=390, height=800)
    page.evaluate("""() => { window.shifts = 0; new PerformanceObserver(list => {
        for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.shifts += entry.value;
    }).observe({type: 'layout-shift', buffered: true}); }""")
    wait_live(page)
    for number in range(1, 7):
        go_to_step(page, number)
    page.wait_for_timeout(300)
    assert page.evaluate("window.shifts") < 0.1
    assert errors == []
    context.close()


def test_nothing_is_hidden_while_the_script_has_not_run(browser, serve, built_site):
    """JavaScript on, but our script never arrives (slow network, a blocker): every step's text is
    readable and the chart's picture is shown; nothing waits on the script to appear."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.route("**/*.js", lambda route: route.abort())
    page.goto(serve(built_site) + "demo/")
    assert page.locator(".scrolly-stage img.chart-static").is_visible()
    steps = page.locator(".scrolly-step")
    for index in range(steps.count()):
        steps.nth(index).scroll_into_view_if_needed()
        text = steps.nth(index).locator(".scrolly-text p").first
        assert text.is_visible() and text.evaluate("p => parseFloat(getComputedStyle(p).opacity)") == 1
    context.close()
