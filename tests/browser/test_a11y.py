"""What readers get, checked in Chromium: axe-core finds nothing on the story, the home page and
the 404 page (light and dark, JavaScript on and off, phone and desktop widths), the keyboard
reaches everything and sees where it is, colours contrast, motion is honoured, the prose has a
readable measure, nothing scrolls sideways, fonts come from the reader's system, and print gives
the static charts and the addresses of links. Screenshots land in test-artifacts/.

axe-core comes inside the `axe-playwright-python` wheel (no download at test time). It needs
timers, which Chromium stops when JavaScript is disabled for the page, so "JavaScript off" here
means the site's scripts are refused (`page.route`): the page then stays as a reader without
JavaScript sees it. The pages' only <noscript> holds a style (no room kept for sliders that
will never come), which the test checks and applies itself, as a browser without JavaScript would."""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from helpers import REPO, build_copy

pytestmark = pytest.mark.browser

PAGES = {"story": "chatgpt/", "index": "", "404": "404.html", "ledger": "chatgpt/comment-nous-le-savons/"}
WIDTHS = (375, 1280)

CONTRAST_JS = """
(() => {
  function rgba(text) {
    const m = text.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  }
  function luminance(c) {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  }
  function background(el) {
    for (let node = el; node; node = node.parentElement) {
      const c = rgba(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0.99) return c;
    }
    return rgba(getComputedStyle(document.body).backgroundColor);
  }
  window.__contrast = function (el, property) {
    const fg = rgba(getComputedStyle(el)[property || "color"]);
    const bg = background(el);
    const [hi, lo] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
  };
})();
"""

# The rendered lines of the prose (paragraphs, list items, the dek and the chart captions), as text.
RENDERED_LINES_JS = """
(selector) => {
  const result = [];
  const range = document.createRange();
  for (const block of document.querySelectorAll(selector)) {
    const lines = new Map();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest("[popover]")) continue;
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect || !rect.width) continue;
        const key = Math.round(rect.bottom);
        lines.set(key, (lines.get(key) || "") + node.data[i]);
      }
    }
    result.push([...lines.entries()].sort((a, b) => a[0] - b[0]).map(e => e[1]));
  }
  return result;
}
"""
PROSE = (".story .intro > p, .story .story-section > p, .story-section li, .admonition p, .dek, .meta, .chart-caption, "
         "#sources li, .updates li")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_copy(REPO / "content", tmp_path_factory.mktemp("a11y"), "--strict")


def open_page(browser, url: str, width: int = 1280, scheme: str = "light", js: bool = True, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme, **options)
    page = context.new_page()
    log = {"errors": [], "hosts": set(), "fonts": []}
    page.on("pageerror", lambda e: log["errors"].append(str(e)))
    page.on("request", lambda r: log["hosts"].add(urlparse(r.url).hostname or r.url.split(":")[0]))
    page.on("request", lambda r: log["fonts"].append(r.url) if r.resource_type == "font" else None)
    if not js:
        page.route("**/*.js", lambda route: route.abort())
    page.goto(url)
    if not js:  # what a browser without JavaScript does with <noscript>: use what it holds
        page.evaluate("""() => document.querySelectorAll("noscript").forEach(n => {
            const holder = document.createElement("div");
            holder.innerHTML = n.textContent;
            n.replaceWith(...holder.childNodes);
        })""")
    return context, page, log


def go_live(page) -> None:
    for figure in page.locator("figure[data-chart]").all():
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live] .chart-live svg", timeout=15000)
    page.evaluate("window.scrollTo(0, 0)")


def axe_violations(page, **options) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"], **options})
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [(n["target"], n["failureSummary"]) for n in v["nodes"][:5]]}
            for v in results.response["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_nothing(browser, serve, site, artifacts, name, scheme, js, width):
    context, page, log = open_page(browser, serve(site) + PAGES[name], width, scheme, js)
    if js and name == "story":
        go_live(page)
    noscripts = page.evaluate("[...document.querySelectorAll('noscript')].map(n => n.textContent)")
    assert all(re.fullmatch(r"\s*<style>[^<]*</style>\s*", text) for text in noscripts), noscripts
    page.screenshot(path=str(artifacts / f"a11y-{name}-{width}-{scheme}-{'js' if js else 'nojs'}.png"),
                    full_page=True)
    assert axe_violations(page) == []
    assert log["errors"] == []
    assert log["hosts"] == {"127.0.0.1"}
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_on_a_chart_embed_page(browser, serve, site, artifacts, scheme, js):
    context, page, _ = open_page(browser, serve(site) + "chatgpt/embed/calculator/", 375, scheme, js)
    if js:
        page.wait_for_selector("[data-state=live] .chart-live svg")
    page.screenshot(path=str(artifacts / f"a11y-embed-375-{scheme}-{'js' if js else 'nojs'}.png"), full_page=True)
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_with_every_box_and_a_source_open(browser, serve, site, artifacts, scheme):
    """Closed boxes and popovers are out of axe's sight: open them (data tables, embed code,
    a fact's source) and look again."""
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 375, scheme)
    go_live(page)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    button = page.locator(".fact-value").nth(3)
    button.scroll_into_view_if_needed()
    button.click()
    page.wait_for_selector(".fact-source:popover-open")
    page.screenshot(path=str(artifacts / f"a11y-story-375-{scheme}-source-open.png"))
    assert axe_violations(page) == []
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colours_contrast_where_axe_cannot_tell(browser, serve, site, scheme):
    """axe cannot measure text over the popover's shadow, nor borders and focus rings. WCAG asks
    4.5:1 for text (7:1 for AAA, which the house colours reach) and 3:1 for the fact underline
    and the focus ring."""
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 1280, scheme)
    page.evaluate(CONTRAST_JS)
    page.locator(".fact-value").first.click()
    page.wait_for_selector(".fact-source:popover-open")
    ratios = page.evaluate("""() => {
      const open = document.querySelector('.fact-source:popover-open');
      const first = sel => document.querySelector(sel);
      return {
        popover_text: __contrast(open),
        popover_status: __contrast(open.querySelector('.fact-status')),
        popover_link: __contrast(open.querySelector('a')),
        prose: __contrast(first('.story-section p')),
        dek: __contrast(first('.dek')),
        meta: __contrast(first('.meta')),
        caption: __contrast(first('.chart-caption')),
        chart_source: __contrast(first('.chart-source')),
        chart_summary: __contrast(first('.chart-data summary')),
        source_link: __contrast(first('#sources a')),
        footer: __contrast(first('.site-footer')),
        scenario: __contrast(first('p.scenario')),
        scenario_label: __contrast(first('.scenario-label')),
        status_help: __contrast(open.querySelector('.fact-status-help')),
        fact_underline: __contrast(first('.fact-value'), 'borderBottomColor'),
        focus_ring: __contrast(first('.fact-value'), 'outlineColor'),
      };
    }""")
    page.keyboard.press("Escape")
    for name, ratio in ratios.items():
        assert ratio >= (3 if name in ("fact_underline", "focus_ring") else 7), (name, ratio)
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_lang_landmarks_and_headings_in_order(browser, serve, site, name):
    context, page, _ = open_page(browser, serve(site) + PAGES[name])
    found = page.evaluate("""() => ({
      lang: document.documentElement.lang,
      banner: document.querySelectorAll('body > header, [role=banner]').length,
      nav: document.querySelectorAll('nav[aria-label]').length,
      switcher: document.querySelectorAll('nav.language-switcher[aria-label]').length,
      main: document.querySelectorAll('main').length,
      footer: document.querySelectorAll('body > footer, [role=contentinfo]').length,
      headings: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1]),
    })""")
    assert found["lang"] == "fr"
    # the first story is in French and English: it, its "how we know" page and the home page name the other
    assert found["switcher"] == (0 if name == "404" else 1)
    assert (found["banner"], found["nav"] - found["switcher"], found["main"], found["footer"]) == (1, 1, 1, 1)
    levels = found["headings"]
    assert levels[0] == 1 and levels.count(1) == 1, levels
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_tab_reaches_the_skip_link_first_and_enter_moves_to_main(browser, serve, site, js):
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 375, java_script_enabled=js)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 10  # shown once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    page.keyboard.press("Tab")  # the next stop is inside main, not back in the header
    assert page.evaluate("!!document.activeElement.closest('main')")
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
def test_fact_source_opens_with_enter_and_closes_with_escape(browser, serve, site, artifacts, js):
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 375, java_script_enabled=js)
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('fact-value')"):
            break
    button = page.evaluate_handle("document.activeElement")
    assert page.evaluate("b => b.classList.contains('fact-value') && b.matches(':focus-visible')", button)
    target = page.evaluate("b => b.getAttribute('popovertarget')", button)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#{target}:popover-open")
    box = page.locator(f"#{target}").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # readable on a phone
    page.screenshot(path=str(artifacts / f"keyboard-source-open-375-{'js' if js else 'nojs'}.png"))
    page.keyboard.press("Escape")
    page.wait_for_selector(f"#{target}:not(:popover-open)", state="attached")
    assert page.evaluate("b => document.activeElement === b", button)
    context.close()


def test_focus_is_visible_on_every_kind_of_control(browser, serve, site):
    """Links, skip link, fact buttons, summaries, sliders, the embed code, scrollable tables:
    each shows a ring of at least 2 px when reached from the keyboard."""
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 1280)
    page.locator("#chart-calculator").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-calculator[data-state=live] input[type=range]")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    page.keyboard.press("Tab")  # keyboard modality, as a reader who tabs
    for selector in (".skip-link", ".site-title", ".site-nav a", ".story-section p > a[href^=http]", ".fact-value",
                     "#chart-calculator input[type=range]", ".chart-data summary", ".chart-embed textarea",
                     ".table-scroll", "#sources a"):
        element = page.locator(selector).first
        element.focus()
        style = page.evaluate("""el => ({visible: el.matches(':focus-visible'),
                                         outline: getComputedStyle(el).outlineStyle,
                                         width: parseFloat(getComputedStyle(el).outlineWidth)})""",
                              element.element_handle())
        assert style["visible"] and style["outline"] != "none" and style["width"] >= 2, (selector, style)
    context.close()


def test_reduced_motion_means_no_transition_animation_or_smooth_scroll(browser, serve, site):
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 1280, reduced_motion="reduce")
    go_live(page)
    moving = page.evaluate("""() => {
      const found = [];
      for (const el of [document.documentElement, ...document.querySelectorAll('body *')]) {
        const s = getComputedStyle(el);
        const durations = (s.transitionDuration + ',' + s.animationDuration).split(',').map(parseFloat);
        if (durations.some(d => d > 0) || s.animationName !== 'none' || s.scrollBehavior === 'smooth') {
          found.push(el.tagName + '.' + el.className);
        }
      }
      return found;
    }""")
    assert moving == []
    context.close()


def test_prose_measure_is_60_to_75_characters_at_desktop_width(browser, serve, site):
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 1280)
    paragraphs = page.evaluate(RENDERED_LINES_JS, ".story .intro > p, .story .story-section > p")
    counts = sorted(len(line) for lines in paragraphs for line in lines[:-1])  # a paragraph's last line is short
    assert len(counts) > 50
    mean = sum(counts) / len(counts)
    assert 60 <= mean <= 75, (mean, counts[0], counts[-1])
    assert 60 <= counts[len(counts) // 2] <= 75
    context.close()


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_no_line_starts_with_the_punctuation_of_the_line_before(browser, serve, site, width):
    """French keeps ; : ! ? » and the comma on the line of the word they follow, « on the line of
    the word it opens, and the day of a date with its month: the no-break spaces of typography.py
    and i18n.py, and the unbreakable span around a fact and the punctuation after it."""
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", width)
    go_live(page)  # live facts and charts change nothing here
    bad = []
    for lines in page.evaluate(RENDERED_LINES_JS, PROSE):
        for before, line in zip(lines, lines[1:]):
            split_date = re.search(r"\b\d{1,2}(?:er)?$", before.rstrip()) and line.lstrip().startswith(MONTHS)
            if line.lstrip()[:1] in tuple(",.;:!?»)") or before.rstrip()[-1:] == "«" or split_date:
                bad.append((before[-30:], line[:30]))
    assert bad == []
    context.close()


@pytest.mark.parametrize("js", [True, False], ids=["js", "nojs"])
@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_scrolls_sideways_at_320_px(browser, serve, site, name, js):
    context, page, _ = open_page(browser, serve(site) + PAGES[name], 320, js=js)
    if js and name == "story":
        go_live(page)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # wide tables scroll inside
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    context.close()


def test_fonts_are_the_readers_own(browser, serve, site):
    context, page, log = open_page(browser, serve(site) + "chatgpt/", 1280)
    go_live(page)
    assert page.evaluate("document.fonts.size") == 0  # no @font-face: system fonts only
    assert log["fonts"] == []
    assert log["hosts"] == {"127.0.0.1"}
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_print_shows_static_charts_and_link_addresses_without_controls(browser, serve, site, artifacts, scheme):
    context, page, _ = open_page(browser, serve(site) + "chatgpt/", 1280, scheme)
    go_live(page)  # printing a page whose charts are live still prints the pictures drawn at build time
    page.emulate_media(media="print")
    found = page.evaluate("""() => {
      const shown = el => el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0;
      const all = sel => [...document.querySelectorAll(sel)];
      const after = a => [a.getAttribute('href'), getComputedStyle(a, '::after').content];
      return {
        static_shown: all('.chart-static').filter(shown).length,
        static_loaded: all('.chart-static').filter(img => shown(img) && img.complete && img.naturalWidth > 0).length,
        stages: all('.scrolly-stage').length,
        steps: all('.scrolly-step').length,
        step_pictures_shown: all('.scrolly-picture img').filter(shown).length,
        live_shown: all('.chart-live').filter(shown).length,
        controls_shown: all('.site-header, .site-nav, .skip-link, .chart-bindings, .chart-embed, .chart-data, '
                            + '.chart-download, .footnote-backref').filter(shown).length,
        facts_shown: all('.fact-value').filter(shown).length,
        facts: document.querySelectorAll('.fact-value').length,
        source_links: all('#sources a[href^=http]').length,
        source_after: all('#sources a[href^=http]').map(after),
        prose_after: all('.story-section a[href^=http]').map(after),
        inner_after: all('.story a:not([href^=http])').map(after).filter(pair => pair[1] !== 'none'),
        grey: all('.dek, .meta, .chart-caption, .chart-source, #sources a, .fact-status').map(el => getComputedStyle(el).color)
              .filter(c => c.match(/[0-9]+/g).slice(0, 3).some(v => +v > 0x55)),
        ink: getComputedStyle(document.body).color,
        paper: getComputedStyle(document.body).backgroundColor,
      };
    }""")
    charts = len([*(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.py"),
                  *(REPO / "content" / "chatgpt" / "charts").glob("[!_]*.vl.json")])
    # A scrolly block prints as its sequence of figures: each step's picture, not the stage.
    assert found["static_shown"] == found["static_loaded"] == charts - found["stages"] >= 3
    assert found["step_pictures_shown"] == found["steps"] >= 4
    assert found["live_shown"] == 0
    assert found["controls_shown"] == 0
    assert found["facts_shown"] == found["facts"] > 50  # the numbers print, as text
    assert found["source_links"] >= 10
    assert found["prose_after"] and found["inner_after"] == []  # the page's own links print no address
    for href, content in found["source_after"] + found["prose_after"]:
        assert content == f'" ({href})"'
    assert (found["ink"], found["paper"]) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)")
    assert found["grey"] == []  # no pale text of the dark theme on paper
    page.screenshot(path=str(artifacts / f"print-story-{scheme}.png"), full_page=True)
    pdf = page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 50_000
    (artifacts / f"print-story-{scheme}.pdf").write_bytes(pdf)
    context.close()
