"""Maps in Chromium (issue 16): the first story's map of where the workers are, live and static.

Hovering a country shows its tooltip; the live map replaces the static picture at the same size;
with JavaScript off the picture is there, readable, at a phone's width and a desktop's; the live
view fetches its shapes from the site's one shapes file, and nothing from another host; two stories
drawing the same shapes fetch the same file."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser

MAP = "#chart-travailleurs_carte"

# The first point of a grid over the path's box that falls inside its fill (a country's bounding box
# may be mostly sea: the United States' spans Alaska and Hawaii), where no label covers it.
INSIDE = """path => {
  const box = path.getBBox(), matrix = path.getScreenCTM();
  for (let j = 1; j < 12; j++) for (let i = 1; i < 12; i++) {
    const point = new DOMPoint(box.x + box.width * i / 12, box.y + box.height * j / 12);
    if (!path.isPointInFill(point)) continue;
    const screen = point.matrixTransform(matrix);
    if (document.elementFromPoint(screen.x, screen.y) === path) return [screen.x, screen.y];
  }
  return null;
}"""


@pytest.fixture(scope="module")
def story_site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("maps"), "--strict")


def wait_until(page, expression: str, timeout: float = 15.0) -> None:
    """Poll an expression (the page's policy forbids the eval that wait_for_function uses)."""
    import time

    end = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < end, f"never true: {expression}"
        page.wait_for_timeout(100)


def open_story(browser, base: str, width: int, js: bool = True):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=js)
    page = context.new_page()
    log = {"errors": [], "hosts": set(), "urls": []}
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("request", lambda r: (log["hosts"].add(urlparse(r.url).hostname), log["urls"].append(r.url)))
    page.goto(base + "chatgpt/")
    return context, page, log


@pytest.mark.parametrize("width", [375, 1280])
def test_live_map_replaces_the_static_one_at_the_same_size(browser, serve, story_site, artifacts, width):
    base = serve(story_site)
    # The static picture, measured where it stays (JavaScript off: the live view would replace it
    # within milliseconds here), then the live view at the same width.
    context, page, _ = open_story(browser, base, width, js=False)
    page.locator(MAP).scroll_into_view_if_needed()
    wait_until(page, f"document.querySelector('{MAP} img.chart-static').naturalWidth > 0")
    before = page.locator(f"{MAP} img.chart-static").bounding_box()
    context.close()
    assert before["width"] <= width and before["height"] > before["width"] * 0.35  # a world, not a strip
    context, page, log = open_story(browser, base, width)
    figure = page.locator(MAP)
    figure.scroll_into_view_if_needed()
    page.wait_for_selector(f"{MAP}[data-state=live] .chart-live svg", timeout=15000)
    live = page.locator(f"{MAP} .chart-live svg").bounding_box()
    assert abs(live["width"] - before["width"]) <= 1.5 and abs(live["height"] - before["height"]) <= 1.5
    shapes = [url for url in log["urls"] if "/shapes." in url]
    assert len(shapes) == 1 and "/assets/shapes." in shapes[0]  # the shapes, the site's one file
    figure.screenshot(path=str(artifacts / f"map-live-{width}.png"))
    assert log["errors"] == [] and log["hosts"] == {"127.0.0.1"}
    context.close()


def test_hovering_a_country_shows_its_tooltip(browser, serve, story_site, artifacts):
    context, page, _ = open_story(browser, serve(story_site), 1280)
    page.locator(MAP).scroll_into_view_if_needed()
    page.wait_for_selector(f"{MAP}[data-state=live] .chart-live svg", timeout=15000)
    # The named countries are the second layer's shapes; the first is the base map (no tooltip).
    named = page.locator(f"{MAP} .chart-live .layer_1_marks path")
    assert named.count() == 3
    texts = []
    for index in range(3):
        x, y = named.nth(index).evaluate(INSIDE)  # a point inside the country's outline, on screen
        page.mouse.move(x, y)
        page.wait_for_selector(".chart-tooltip:not([hidden])")
        texts.append(page.locator(".chart-tooltip").inner_text())
        page.mouse.move(0, 0)
    page.screenshot(path=str(artifacts / "map-tooltip.png"))
    joined = "\n".join(texts)
    assert "Kenya" in joined and "Philippines" in joined and "Selon les sources" in joined
    context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_map_reads_without_javascript(browser, serve, story_site, artifacts, width):
    context, page, log = open_story(browser, serve(story_site), width, js=False)
    image = page.locator(f"{MAP} img.chart-static")
    image.scroll_into_view_if_needed()
    wait_until(page, f"document.querySelector('{MAP} img.chart-static').naturalWidth > 0")
    box = image.bounding_box()
    natural = page.evaluate(f"(() => {{ const i = document.querySelector('{MAP} img.chart-static'); "
                            "return [i.naturalWidth, i.naturalHeight, i.currentSrc]; })()")
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    if width == 375:  # the phone gets the picture drawn for its width, not the wide one shrunk
        assert "narrow" in natural[2] and abs(box["width"] - natural[0]) <= 1.5
    assert box["height"] / box["width"] == pytest.approx(natural[1] / natural[0], rel=0.02)
    assert "Kenya" in (image.get_attribute("alt") or "")
    assert page.locator(f"{MAP} table").count() >= 1  # the reader table of the named places
    shapes_link = page.locator(f"{MAP} .chart-download a[href*='/shapes.']")  # the shapes, downloadable
    assert shapes_link.count() == 1 and "formes de la carte" in shapes_link.inner_text()
    shapes = page.request.get(page.evaluate(f"document.querySelector(\"{MAP} .chart-download a[href*='/shapes.']\").href"))
    assert shapes.ok and shapes.json()["type"] == "Topology"
    image.screenshot(path=str(artifacts / f"map-static-{width}.png"))
    assert not [url for url in log["urls"] if "/shapes." in url]  # no live view, no shapes fetched
    assert log["hosts"] == {"127.0.0.1"}
    context.close()


def test_two_stories_draw_their_maps_live_from_one_shapes_file(browser, serve, tmp_path_factory):
    from test_shared_shapes import story

    work = tmp_path_factory.mktemp("shared-shapes-live")
    (work / "content").mkdir()
    (work / "content" / "site.yaml").write_text("title: Maps\ndescription: Two stories, one map.\nlanguage: en\n")
    story(work / "content", "first", ["states_a", "states_b"])
    story(work / "content", "second", ["states_c"])
    site = build_copy(work / "content", work / "copy")
    base = serve(site)
    fetched = []
    for slug, charts in (("first", ["states_a", "states_b"]), ("second", ["states_c"])):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: fetched.append(r.url) if "/shapes." in r.url else None)
        page.goto(f"{base}{slug}/")
        for chart in charts:
            page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
            page.wait_for_selector(f"#chart-{chart}[data-state=live] .chart-live svg path", timeout=15000)
            drawn = page.locator(f"#chart-{chart} .chart-live svg .mark-shape path").count()
            assert drawn >= 50, (slug, chart, drawn)
        assert errors == []
        context.close()
    assert len(set(fetched)) == 1 and "/assets/shapes." in fetched[0], fetched
