"""What a reader of the first story gets, measured in Chromium: charts that fit every screen from
320 to 1440 px, no layout shift when they come alive, charts drawn for a dark page (static and
live), a chart usable by keyboard, and a live chart announced as one image."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser

WIDTHS = [320, 375, 768, 1024, 1440]
CHARTS = len([*(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.py"),
              *(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.vl.json")])


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("reader"), "--strict")


def open_story(browser, base: str, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Layout shifts are recorded from the first paint, before any chart comes alive.
    page.add_init_script("""
        window.__shifts = [];
        new PerformanceObserver(list => {
          for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts.push(entry.value);
        }).observe({type: "layout-shift", buffered: true});
    """)
    page.goto(base + "chatgpt/")
    return context, page, errors


def chart_boxes(page) -> list[dict]:
    """Each chart's drawn box (static image or live view) and the box of its column."""
    # a scrolly block's stage shows no picture without JavaScript (its steps' pictures do)
    return page.evaluate("""() => [...document.querySelectorAll("figure[data-chart]")]
      .filter(f => !(f.closest(".scrolly-stage") && getComputedStyle(f.querySelector(".chart-frame")).display === "none"))
      .map(f => {
        const drawn = f.querySelector(".chart-live svg") || f.querySelector("img.chart-static");
        const box = drawn.getBoundingClientRect(), column = f.getBoundingClientRect();
        return {id: f.dataset.chart, state: f.dataset.state || "static", left: box.left, right: box.right,
                width: box.width, height: box.height, columnLeft: column.left, columnRight: column.right,
                natural: drawn.tagName === "IMG" ? drawn.naturalWidth : drawn.width.baseVal.value};
    })""")


def step_picture_boxes(page) -> list[dict]:
    """Each scrolly step's picture (shown without JavaScript) and the box of its step, loaded first."""
    for step in page.locator(".scrolly-picture img").all():
        step.scroll_into_view_if_needed()  # the later pictures are lazy
    page.wait_for_function("() => [...document.querySelectorAll('.scrolly-picture img')].every(i => i.complete && i.naturalWidth)")
    return page.evaluate("""() => [...document.querySelectorAll(".scrolly-picture img")].map(img => {
        const box = img.getBoundingClientRect(), column = img.closest(".scrolly-step").getBoundingClientRect();
        return {id: img.closest(".scrolly-step").id, state: "static", left: box.left, right: box.right,
                width: box.width, height: box.height, columnLeft: column.left, columnRight: column.right,
                natural: img.naturalWidth};
    })""")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


@pytest.mark.parametrize("width", WIDTHS)
def test_static_charts_fit_the_column_at_every_width(browser, serve, story_site, width):
    context, page, _ = open_story(browser, serve(story_site), width, java_script_enabled=False)
    assert no_horizontal_scroll(page)
    boxes = chart_boxes(page)
    stages = page.locator(".scrolly-stage").count()  # the pay chart is a scrolly block: its steps' pictures show
    assert len(boxes) == CHARTS - stages >= 3 and stages == 1
    boxes += step_picture_boxes(page)
    assert len(boxes) == CHARTS - stages + page.locator(".scrolly-step").count()
    for box in boxes:
        assert box["left"] >= box["columnLeft"] - 0.5 and box["right"] <= box["columnRight"] + 0.5, box
        # Phones get the chart drawn for them: it is shown at 80 % of its size or more, so its
        # 12 px labels stay 10 px or larger. (Wide screens get the column chart.)
        assert box["width"] >= 0.8 * box["natural"] or width > 600, box
    if width <= 600:
        sources = page.evaluate("[...document.querySelectorAll('img.chart-static, .scrolly-picture img')]"
                                ".filter(i => i.offsetParent).map(i => i.currentSrc)")
        assert all("-narrow." in src for src in sources), sources
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_live_charts_fit_and_nothing_moves_when_they_come_alive(browser, serve, story_site, width):
    context, page, errors = open_story(browser, serve(story_site), width)
    static = {box["id"]: box for box in chart_boxes(page)}
    for figure in page.locator("figure[data-chart]").all():
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live] .chart-live svg", timeout=15000)
    live = {box["id"]: box for box in chart_boxes(page)}
    assert no_horizontal_scroll(page)
    for chart_id, box in live.items():
        assert box["state"] == "live"
        assert box["left"] >= box["columnLeft"] - 0.5 and box["right"] <= box["columnRight"] + 0.5, box
        before = static[chart_id]
        assert abs(box["width"] - before["width"]) <= 1 and abs(box["height"] - before["height"]) <= 1, (box, before)
    shifts = page.evaluate("window.__shifts")
    assert sum(shifts) <= 0.01, shifts
    assert errors == []
    context.close()


def test_crossing_the_breakpoint_redraws_the_live_chart_for_the_new_width(browser, serve, story_site):
    context, page, _ = open_story(browser, serve(story_site), 1024)
    page.locator("#chart-pay").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pay[data-state=live] .chart-live svg")
    wide = page.evaluate("document.querySelector('#chart-pay .chart-live svg').getAttribute('width')")
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_selector("#chart-pay .chart-live svg[width='335']", timeout=10000)
    assert wide == "660"
    assert page.locator("#chart-pay .chart-live").count() == 1
    assert no_horizontal_scroll(page)
    context.close()


def _luminance(rgb) -> float:
    return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255


@pytest.mark.parametrize("width", [375, 1280])
def test_dark_page_gets_charts_drawn_for_it_static_and_live(browser, serve, story_site, width):
    base = serve(story_site)
    context, page, _ = open_story(browser, base, width, color_scheme="dark", java_script_enabled=False)
    image = page.locator("#chart-workforce img.chart-static")
    image.scroll_into_view_if_needed()
    screenshot_dark = page.locator("#chart-workforce .chart-view").screenshot()
    context.close()
    context, page, _ = open_story(browser, base, width, color_scheme="light", java_script_enabled=False)
    page.locator("#chart-workforce img.chart-static").scroll_into_view_if_needed()
    screenshot_light = page.locator("#chart-workforce .chart-view").screenshot()
    context.close()
    assert _mean_luminance(screenshot_dark) < 0.25 < 0.75 < _mean_luminance(screenshot_light)

    context, page, _ = open_story(browser, base, width, color_scheme="dark")
    page.locator("#chart-workforce").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-workforce[data-state=live] .chart-live svg")
    colours = page.evaluate("""() => {
        const svg = document.querySelector("#chart-workforce .chart-live svg");
        const label = svg.querySelector(".role-axis-label text");
        return {background: getComputedStyle(svg).backgroundColor, label: getComputedStyle(label).fill,
                page: getComputedStyle(document.body).backgroundColor};
    }""")
    assert colours["page"] == "rgb(22, 23, 26)", colours  # the chart sits on the page's dark paper:
    assert colours["background"] in (colours["page"], "rgba(0, 0, 0, 0)"), colours  # its own, or none
    assert _luminance([int(v) for v in colours["label"][4:-1].split(",")]) > 0.6, colours
    live_dark = page.locator("#chart-workforce .chart-view").screenshot()
    assert _mean_luminance(live_dark) < 0.25
    context.close()


def _mean_luminance(png: bytes) -> float:
    """Mean luminance of a PNG screenshot, decoded with the standard library (zlib)."""
    import struct
    import zlib

    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, [], None
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position:position + 8])
        body = png[position + 8:position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, colour_type = header[0], header[1], header[2], header[3]
    assert depth == 8 and colour_type in (2, 6)
    channels = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    previous = bytearray(stride)
    total, count = 0.0, 0
    for row in range(height):
        kind = raw[row * (stride + 1)]
        line = bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        for i in range(0, stride, channels * 4):  # every fourth pixel is enough for a mean
            total += _luminance(line[i:i + 3])
            count += 1
        previous = line
    return total / count


def test_chart_selection_works_by_keyboard_and_the_live_chart_is_one_image(browser, serve, story_site):
    context, page, _ = open_story(browser, serve(story_site), 1280)
    alt = page.locator("#chart-pay img.chart-static").get_attribute("alt")
    page.locator("#chart-pay").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pay[data-state=live] .chart-live svg")
    live = page.locator("#chart-pay .chart-live")
    # In a scrolly, the live chart is described by the step it shows; elsewhere by the picture's alt.
    page.wait_for_function("""alt => { const live = document.querySelector('#chart-pay .chart-live');
        const step = live.closest('.scrolly')?.querySelector('.scrolly-step.is-active');
        return live.getAttribute('aria-label') === (step ? step.getAttribute('data-alt') : alt); }""", arg=alt)
    assert live.get_attribute("role") == "img" and live.get_attribute("aria-label")

    def faded() -> int:
        return page.evaluate("""() => [...document.querySelectorAll("#chart-pay .chart-live svg .mark-symbol path")]
            .filter(p => p.getAttribute("opacity") === "0.2").length""")

    assert faded() == 0
    radios = page.locator("#chart-pay .chart-bindings input[type=radio]")
    assert radios.count() == 5  # Tous and the four groups the scrolly steps also set
    radios.first.focus()  # "Tous", as a keyboard user reaches it with Tab
    page.keyboard.press("ArrowRight")  # -> "Kansas City"
    page.wait_for_function("() => document.querySelectorAll('#chart-pay .chart-live svg .mark-symbol path[opacity=\"0.2\"]').length > 0")
    assert faded() > 0
    assert radios.nth(1).is_checked()
    page.keyboard.press("ArrowLeft")  # back to "Tous"
    page.wait_for_function("() => document.querySelectorAll('#chart-pay .chart-live svg .mark-symbol path[opacity=\"0.2\"]').length === 0")
    context.close()


def test_tooltip_appears_on_hover_over_a_story_chart(browser, serve, story_site):
    context, page, errors = open_story(browser, serve(story_site), 1280)
    page.locator("#chart-calculator").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-calculator[data-state=live] .chart-live svg")
    bar = page.locator("#chart-calculator .chart-live svg .mark-rect path").first
    bar.hover()
    tip = page.locator(".chart-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert "Calcul pour servir ChatGPT" in tip.inner_text()
    assert errors == []
    context.close()


def test_nearest_point_tooltip_names_the_series(browser, serve, story_site):
    """The workforce chart's dots answer the nearest pointer (Voronoi cells): their tooltip shows
    each field of the point, text fields included, never "undefined" (vega/vega-lite#9707)."""
    context, page, errors = open_story(browser, serve(story_site), 1280)
    page.locator("#chart-workforce").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-workforce[data-state=live] .chart-live svg")
    point = page.locator("#chart-workforce .chart-live svg .mark-symbol path").nth(2)
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2 + 6, box["y"] + box["height"] / 2 + 6)  # near it, not on it
    tip = page.locator(".chart-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    text = tip.inner_text()
    assert "Prestataires à distance" in text and "2022-2023" in text and "undefined" not in text, text
    assert errors == []
    context.close()


def test_printed_charts_keep_their_light_colours_on_a_dark_screen(browser, serve, story_site):
    context, page, _ = open_story(browser, serve(story_site), 1280, color_scheme="dark")
    page.locator("#chart-workforce").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-workforce[data-state=live] .chart-live svg")
    label = "getComputedStyle(document.querySelector('#chart-workforce .chart-live svg .role-axis-label text')).fill"
    on_screen = page.evaluate(label)
    page.emulate_media(media="print")
    printed = page.evaluate(label)
    assert on_screen != printed == "rgb(59, 59, 64)"  # #3b3b40, the theme's light label colour
    context.close()


STEP_GAPS = """() => [...document.querySelectorAll(".scrolly")].flatMap(block => {
    const steps = [...block.querySelectorAll(".scrolly-step")].map(s => s.getBoundingClientRect());
    const list = block.querySelector(".scrolly-steps").getBoundingClientRect();
    return [steps[0].top - list.top, ...steps.slice(1).map((s, i) => s.top - steps[i].bottom),
            block.getBoundingClientRect().bottom - steps[steps.length - 1].bottom];
})"""


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("media", ["screen", "print"])
def test_a_scrolly_block_without_scrolling_reads_as_figures_with_no_empty_screens(browser, serve, story_site, width,
                                                                                  media):
    """Without JavaScript, or printed, a scrolly block is a sequence of step texts and pictures: the
    room its steps keep to scroll past the chart (half a screen and more) must go, or the reader
    meets blank screens between them (it stayed once, the scrolling rules being more specific); and
    the steps' words stand in the text's column."""
    context, page, _ = open_story(browser, serve(story_site), width, java_script_enabled=media == "print")
    page.emulate_media(media=media)
    gaps = page.evaluate(STEP_GAPS)
    assert len(gaps) >= 3 and all(-1 <= gap <= 40 for gap in gaps), gaps
    lefts = page.evaluate("""() => [document.querySelector(".story-section > p"), ...document.querySelectorAll(
        ".scrolly-text")].map(e => Math.round(e.getBoundingClientRect().left))""")
    assert len(set(lefts)) == 1, lefts  # the steps' words in the column of the text around them
    context.close()
