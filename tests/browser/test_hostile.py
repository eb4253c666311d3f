"""The hostile fixture site (tests/sites/hostile/content) in Chromium: every field an author
controls holds a script-injection probe, and none of them may run or become markup.

Each probe is `probe(field)` below, written into the fixture files as data (YAML strings, CSV
cells, Python string constants, JSON strings, Markdown text):

    FIELD</title></textarea></style></script>"'></iframe><img src=x data-probe=FIELD
        onerror="window.bsPwned='FIELD'"><script>window.bsPwned='FIELD';alert('FIELD')</script>

so a probe that escaped its context shows up as an `img[data-probe=FIELD]` element, a
`window.bsPwned` naming FIELD, an alert dialog naming FIELD, a request for `/x`, or a
Content-Security-Policy violation. The CSV also holds the two classic probes
`</script><script>alert(1)</script>` and `"><img src=x onerror=alert(1)>`, and the Markdown raw
`<script>window.__pwned=1</script>`, `<img src=x onerror=alert(1)>` and `javascript:` links.

The pages are read with JavaScript on (charts hydrated, a tooltip shown on every mark, every
fact's popover opened, the slider moved, the data tables opened) and off.
"""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers import SITE_SRC, run_cli

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "hostile" / "content"
STORY = "probes/"


def probe(field: str) -> str:
    return (f"{field}</title></textarea></style></script>\"'></iframe><img src=x data-probe={field} "
            f"onerror=\"window.bsPwned='{field}'\"><script>window.bsPwned='{field}';alert('{field}')</script>")


CSV_PROBES = ["</script><script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
SPY = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""
DAMAGE = """() => ({
  flags: [window.bsPwned, window.__pwned].filter(v => v !== undefined).map(String),
  probes: [...document.querySelectorAll('[data-probe], img[src="x"]')]
    .map(e => e.getAttribute('data-probe') || e.outerHTML.slice(0, 100)),
  handlers: [...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
    .filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name + '=' + a.value.slice(0, 60))),
  scripts: [...document.querySelectorAll('script')].filter(s => !s.src && s.type !== 'application/json')
    .map(s => s.outerHTML.slice(0, 100)),
  elements: [...document.querySelectorAll('iframe, object, embed, base, form, foreignObject, svg script')]
    .filter(e => !e.matches('form.vega-bindings')).map(e => e.outerHTML.slice(0, 100)),
  violations: window.__cspViolations || [],
})"""
URLS = """() => [...document.querySelectorAll('[href], [src], [action], [formaction], [data], [poster]')]
  .flatMap(e => ['href', 'src', 'action', 'formaction', 'data', 'poster', 'xlink:href']
    .filter(n => e.hasAttribute(n)).map(n => [e.tagName, e.getAttribute(n)]))
  .filter(([tag, value]) => { try { return new URL(value, document.baseURI).protocol === 'javascript:'; }
                              catch (err) { return false; } })
  .map(([tag, value]) => tag + ' ' + value)"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("hostile")
    shutil.copytree(FIXTURE, work / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "_site"


def open_page(browser, url: str, javascript: bool = True):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=javascript)
    page = context.new_page()
    log = {"dialogs": [], "errors": [], "hosts": set(), "probe_requests": []}

    def on_dialog(dialog):
        log["dialogs"].append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_request(request):
        parts = urlparse(request.url)
        log["hosts"].add(parts.hostname or parts.scheme)
        if parts.path.endswith("/x"):
            log["probe_requests"].append(request.url)

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("console", lambda m: log["errors"].append(m.text) if m.type == "error" else None)
    page.on("request", on_request)
    page.add_init_script(SPY)
    page.goto(url)
    return context, page, log


def assert_no_damage(page, log, where: str) -> None:
    damage = page.evaluate(DAMAGE)
    assert log["dialogs"] == [], f"{where}: a probe opened a dialog"
    assert damage["flags"] == [], f"{where}: a probe ran (window.bsPwned / __pwned)"
    assert damage["probes"] == [], f"{where}: a probe became an element"
    assert damage["handlers"] == [], f"{where}: an event-handler attribute reached the DOM"
    assert damage["scripts"] == [], f"{where}: an inline script reached the DOM"
    assert damage["elements"] == [], f"{where}: an element no page of ours holds"
    assert damage["violations"] == [], f"{where}: the Content-Security-Policy had to block something"
    assert log["probe_requests"] == [], f"{where}: a probe's <img src=x> was requested"
    assert log["errors"] == [], f"{where}: errors in the page"
    assert log["hosts"] <= {"127.0.0.1"}, f"{where}: requests to another host"


def hydrate(page) -> list[str]:
    ids = [figure.get_attribute("id") for figure in page.locator("figure[data-chart]").all()]
    for figure_id in ids:
        page.locator(f"#{figure_id}").scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure_id}[data-state=live] .chart-live svg", timeout=15000)
    return ids


def hover_every_mark(page, figure_id: str) -> list[str]:
    marks = page.locator(f"#{figure_id} .chart-live path[aria-roledescription=bar], "
                         f"#{figure_id} .chart-live path[aria-roledescription=point]")
    assert marks.count() >= 4, f"{figure_id}: no marks to hover"
    texts = []
    for index in range(marks.count()):
        marks.nth(index).hover(force=True)
        page.wait_for_selector(".chart-tooltip:not([hidden])")
        texts.append(page.locator(".chart-tooltip").inner_text())
    return texts


def open_every_popover(page) -> list[str]:
    texts = []
    buttons = page.locator("button.fact-value")
    assert buttons.count() >= 4
    for index in range(buttons.count()):
        button = buttons.nth(index)
        button.scroll_into_view_if_needed()
        button.click()
        popover = page.locator("#" + button.get_attribute("popovertarget"))
        assert popover.is_visible()
        texts.append(popover.inner_text())
        page.keyboard.press("Escape")
    return texts


def test_story_page_runs_no_probe_and_shows_each_as_text(browser, serve, hostile_site, artifacts):
    context, page, log = open_page(browser, serve(hostile_site) + STORY)
    assert hydrate(page) == ["chart-pay", "chart-share"]
    tooltips = hover_every_mark(page, "chart-pay") + hover_every_mark(page, "chart-share")
    popovers = "\n".join(open_every_popover(page)).lower()
    page.locator("#chart-pay input[type=range]").fill("3000")
    page.wait_for_function("() => [...document.querySelectorAll('.scenario-value')].some(e => e.innerText.includes('3\u202f000'))")
    for summary in page.locator("details.chart-data > summary").all():
        summary.click()
    page.screenshot(path=str(artifacts / "hostile-story.png"), full_page=True)
    assert_no_damage(page, log, "story page")

    assert page.title().startswith(probe("story_title"))
    assert page.locator("h1").inner_text() == probe("story_title")
    assert page.locator(".site-title").inner_text().lower() == probe("site_title").lower()  # CSS capitals
    text = page.locator("body").inner_text().lower()  # as rendered; some labels are set in capitals by CSS
    for field in ("site_description", "site_newsroom", "story_dek", "story_byline", "update_note", "md_heading",
                  "md_text", "md_literal", "md_box", "md_table", "md_footnote", "chart_title", "chart_caption",
                  "chart_source", "vl_title", "vl_caption", "vl_source", "csv_header", "csv_cell", "csv_place",
                  "slider_label", "fact_unit", "live_unit", "derived_unit", "source_name", "source_publisher",
                  "source_date", "source2_name", "source2_publisher", "source3_name", "source3_publisher"):
        assert probe(field).lower() in text, f"{field} is not shown as text"
    assert probe("md_admonition").replace('"', "'").lower() in text
    for raw in CSV_PROBES + ["<script>window.__pwned=1</script>", "<img src=x onerror=alert(1)>"]:
        assert raw.lower() in text
    for field in ("fact_note", "source_name", "source_publisher", "source_date", "live_note",
                  "source2_name", "derived_note"):
        assert probe(field).lower() in popovers, f"{field} is not shown in a fact's popover"
    tooltip_text = "\n".join(tooltips).lower()
    for shown in [probe("tooltip_title"), probe("csv_cell"), probe("csv_place")] + CSV_PROBES:
        assert shown.lower() in tooltip_text, f"{shown[:20]} is not shown in a tooltip"
    svg_text = page.locator("#chart-pay .chart-live svg").text_content()
    for field in ("axis_title", "legend_title"):
        assert field + "</title>" in svg_text  # Vega may cut a long title short: its start is enough
    context.close()


def test_story_page_without_javascript_holds_no_probe_element(browser, serve, hostile_site):
    context, page, log = open_page(browser, serve(hostile_site) + STORY, javascript=False)
    assert_no_damage(page, log, "story page without JavaScript")
    alts = page.eval_on_selector_all("img.chart-static", "els => els.map(e => e.getAttribute('alt'))")
    assert alts == [probe("chart_alt"), probe("vl_description")]
    assert probe("md_text") in page.locator("main").inner_text()
    context.close()


def test_index_and_404_run_no_probe(browser, serve, hostile_site):
    base = serve(hostile_site)
    context, page, log = open_page(browser, base)
    assert_no_damage(page, log, "index")
    card = page.locator(".story-card")
    assert card.locator("h2").inner_text() == probe("story_title")
    assert probe("story_dek") in card.inner_text()
    assert page.locator(".site-title").inner_text().lower() == probe("site_title").lower()  # CSS capitals
    page.goto(base + "404.html")
    assert_no_damage(page, log, "404 page")
    assert probe("site_title").lower() in page.locator("body").inner_text().lower()
    context.close()


def test_chart_embed_pages_run_no_probe(browser, serve, hostile_site):
    embeds = sorted(p.parent.name for p in (hostile_site / "probes" / "embed").glob("*/index.html"))
    if not embeds:
        pytest.skip("this build writes no chart embed pages")
    base = serve(hostile_site)
    for chart in embeds:
        context, page, log = open_page(browser, f"{base}probes/embed/{chart}/")
        hydrate(page)
        hover_every_mark(page, f"chart-{chart}")
        assert_no_damage(page, log, f"embed page of {chart}")
        title = {"pay": "chart_title", "share": "vl_title"}[chart]
        assert page.locator(".chart-title").inner_text() == probe(title)
        context.close()


def test_no_javascript_url_in_any_link(browser, serve, hostile_site):
    base = serve(hostile_site)
    found = {}
    for path in ["", STORY] + [f"probes/embed/{p.parent.name}/" for p in (hostile_site / "probes" / "embed")
                               .glob("*/index.html")]:
        context, page, _ = open_page(browser, base + path)
        found[path or "index"] = page.evaluate(URLS)
        context.close()
    assert not any(found.values()), f"javascript: URLs in the pages: {found}"


def test_embed_snippet_is_inert_when_pasted(browser, serve, hostile_site):
    context, page, _ = open_page(browser, serve(hostile_site) + STORY)
    snippets = page.eval_on_selector_all(".chart-embed textarea", "els => els.map(e => e.value)")
    if not snippets:
        context.close()
        pytest.skip("this build offers no embed snippet")
    parsed = page.evaluate("""snippets => snippets.map(code => {
        const doc = new DOMParser().parseFromString(code, 'text/html');
        return {tags: [...doc.querySelectorAll('head *, body *')].map(e => e.tagName.toLowerCase()),
                title: (doc.querySelector('iframe') || {getAttribute: () => null}).getAttribute('title')};
    })""", snippets)
    context.close()
    assert [p["tags"] for p in parsed] == [["iframe", "script"]] * len(parsed), parsed
    assert [p["title"] for p in parsed] == [probe("chart_title"), probe("vl_title")]


def test_source_note_is_published_as_text(hostile_site):
    page = (hostile_site / "probes" / "index.html").read_text("utf-8")
    assert "source_note&lt;/title&gt;" in page and "<img src=x data-probe=source_note" not in page


def test_feed_and_sitemap_keep_probes_as_text(hostile_site):
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    assert feed.find(f"{atom}title").text == probe("site_title")
    entry = feed.find(f"{atom}entry")
    assert entry.find(f"{atom}title").text == probe("story_title")
    assert entry.find(f"{atom}summary").text == probe("story_dek")
    assert entry.find(f"{atom}author/{atom}name").text == probe("story_byline")
    for element in feed.iter():
        assert not list(element) or element.tag in (f"{atom}feed", f"{atom}entry", f"{atom}author")
    if (hostile_site / "sitemap.xml").exists():
        ET.parse(hostile_site / "sitemap.xml")


def test_static_chart_images_hold_no_markup_from_probes(hostile_site):
    images = sorted((hostile_site / "probes" / "charts").glob("*.svg"))
    assert len(images) == 4  # two charts, each drawn wide and narrow
    for image in images:
        root = ET.parse(image).getroot()
        tags = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
        assert not tags & {"script", "foreignObject", "iframe", "img", "image", "a"}, (image.name, tags)
        handlers = [name for element in root.iter() for name in element.attrib if name.lower().startswith("on")]
        assert handlers == [], image.name
        text = " ".join(element.text or "" for element in root.iter())
        assert re.search(r"(axis_title|vl_axis)</title></textarea>", text), image.name
