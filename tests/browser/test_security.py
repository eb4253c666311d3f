"""Every page carries a strict Content Security Policy: scripts from the site alone, no inline
script, no 'unsafe-eval', no other origin. Vega's expressions run on its CSP-safe interpreter
(vega-interpreter, in the runtime), so charts go live under that policy: tooltips, sliders, point
selections, brushes and zoom, with not one policy violation. A runtime without the interpreter
still leaves every chart readable as its static picture."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import build_copy

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "basic" / "content"

INTERACTIVE_CHARTS = {
    "tooltip": '''
def chart(data, facts):
    rows = alt.Data(values=[{"k": "a", "v": 3}, {"k": "b", "v": 7}])
    return alt.Chart(rows).mark_bar().encode(x="v:Q", y="k:N", tooltip=["k:N", alt.Tooltip("v:Q", format=".1f")])
''',
    "slider": '''
def chart(data, facts):
    factor = alt.param(name="factor", value=1, bind=alt.binding_range(min=1, max=10, step=1, name="Facteur "))
    rows = alt.Data(values=[{"k": "a", "v": 3}, {"k": "b", "v": 7}])
    return alt.Chart(rows).mark_bar().encode(x=alt.X("w:Q", scale=alt.Scale(domain=[0, 80])), y="k:N").transform_calculate(
        w="datum.v * factor").add_params(factor)
''',
    "radio": '''
def chart(data, facts):
    pick = alt.selection_point(name="pick", fields=["k"], bind=alt.binding_radio(options=[None, "a", "b"], labels=["Tous", "a", "b"], name="Série "))
    rows = alt.Data(values=[{"k": "a", "v": 3, "x": 1}, {"k": "b", "v": 7, "x": 2}])
    return alt.Chart(rows).mark_point(size=200, filled=True).encode(x="x:Q", y="v:Q",
        opacity=alt.condition(pick, alt.value(1), alt.value(0.2))).add_params(pick)
''',
    "brush": '''
def chart(data, facts):
    brush = alt.selection_interval(name="brush", encodings=["x"])
    rows = alt.Data(values=[{"x": i, "y": (i * 7) % 11} for i in range(30)])
    return alt.Chart(rows).mark_point(filled=True, size=80).encode(x="x:Q", y="y:Q",
        color=alt.condition(brush, alt.value("#b3261e"), alt.value("#999999"))).add_params(brush)
''',
    "rows_file": '''
def chart(data, facts):
    floor = alt.param(name="floor", value=0, bind=alt.binding_range(min=0, max=90, step=10, name="Plancher "))
    return alt.Chart(data["rows"]).transform_filter("datum.v >= floor").mark_bar().encode(
        x=alt.X("v", type="quantitative", aggregate="mean"), y="k:N").add_params(floor)
''',
    "zoom": '''
def chart(data, facts):
    rows = alt.Data(values=[{"x": i, "y": i * i} for i in range(20)])
    return alt.Chart(rows).mark_line().encode(x="x:Q", y="y:Q").add_params(alt.selection_interval(name="grid", bind="scales"))
''',
}


def _interactive_site(root: Path) -> Path:
    content = root / "content"
    story = content / "demo"
    for folder in ("charts", "sections"):
        (story / folder).mkdir(parents=True)
    (content / "site.yaml").write_text("title: Test\nlanguage: fr\nabsolute_url: https://example.org/\n")
    (story / "index.md").write_text("---\ntitle: Interactions\npublished: 2024-01-01\n---\n")
    (story / "facts.yaml").write_text("facts: {}\nsources: {}\n")
    (story / "data").mkdir()  # over 500 rows behind a slider: the live view reads them as a CSV file
    rows = "".join(f"{'abc'[i % 3]},{i % 100}\n" for i in range(900))
    (story / "data" / "rows.csv").write_text("k,v\n" + rows)
    for name, code in INTERACTIVE_CHARTS.items():
        (story / "charts" / f"{name}.py").write_text(
            f'import altair as alt\nTITLE = "Graphique {name}"\nALT = "Un graphique interactif."\n{code}')
    (story / "sections" / "01-texte.md").write_text(
        "## Interactions\n\n" + "".join(f"{{chart:{name}}}\n\n" for name in INTERACTIVE_CHARTS))
    return content


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_copy(FIXTURE, tmp_path_factory.mktemp("csp"))


@pytest.fixture(scope="module")
def interactive_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("csp-interactive")
    source = _interactive_site(work / "src")
    return build_copy(source, work)


def policy_of(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)


def test_every_page_has_a_strict_policy(site, interactive_site):
    pages = sorted(site.rglob("*.html")) + sorted(interactive_site.rglob("*.html"))
    assert len(pages) >= 12
    for page in pages:
        html = page.read_text()
        policy = policy_of(html)
        assert "script-src 'self';" in policy and "default-src 'self'" in policy, page
        assert "unsafe-eval" not in policy and "unsafe-inline'; img" not in policy.split("script-src")[1].split(";")[0]
        assert "http" not in policy and "*" not in policy
        executable = re.findall(r"<script(?![^>]*type=\"application/json\")[^>]*>([^<]+)</script>", html)
        assert executable == [], f"{page}: inline script"


# Every policy violation of the page, whatever its kind, is kept where the test can read it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});
"""


def open_page(browser, url: str, rewrite_runtime=None):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    if rewrite_runtime:
        page.route(re.compile(r".*/vega\.[0-9a-f]+\.js$"),
                   lambda route: route.fulfill(response=(r := route.fetch()), body=rewrite_runtime(r.text())))
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(str(e)))
    page.goto(url + "demo/")
    for figure in page.locator("figure[data-chart]").all():  # selectors, not script: the policy forbids eval
        figure.scroll_into_view_if_needed()
        chart = figure.get_attribute("id")
        page.locator(f"#{chart}[data-state=live], #{chart}[data-state=static]").wait_for(timeout=15000)
    states = [f.get_attribute("data-state") for f in page.locator("figure[data-chart]").all()]
    return context, page, states, messages


def test_charts_go_live_under_the_policy(browser, serve, site):
    context, page, states, messages = open_page(browser, serve(site))
    assert states == ["live", "live", "live"]
    assert page.evaluate("window.__violations") == []
    assert not [m for m in messages if "Content Security Policy" in m or "EvalError" in m], messages
    context.close()


def _svg(page, chart: str) -> str:
    return page.locator(f"#chart-{chart} .chart-live svg").inner_html()


def test_every_kind_of_interaction_works_without_eval(browser, serve, interactive_site):
    context, page, states, messages = open_page(browser, serve(interactive_site))
    assert states == ["live"] * len(INTERACTIVE_CHARTS), messages

    page.locator("#chart-tooltip").scroll_into_view_if_needed()
    page.locator("#chart-tooltip .chart-live svg .mark-rect path").nth(1).hover()
    tip = page.locator(".chart-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert "7,0" in tip.inner_text()  # the format runs through the interpreter, in French

    page.locator("#chart-slider").scroll_into_view_if_needed()
    before = _svg(page, "slider")
    page.locator("#chart-slider input[type=range]").fill("8")
    page.wait_for_function("b => document.querySelector('#chart-slider .chart-live svg').innerHTML !== b", arg=before)

    page.locator("#chart-radio").scroll_into_view_if_needed()
    page.locator("#chart-radio input[type=radio]").nth(2).check()
    page.wait_for_function("() => document.querySelectorAll('#chart-radio .chart-live svg .mark-symbol path[opacity=\"0.2\"]').length === 1")

    page.locator("#chart-rows_file").scroll_into_view_if_needed()  # CSV read without d3-dsv's Function
    assert page.locator("#chart-rows_file .chart-live svg .mark-rect path").count() == 3
    before = _svg(page, "rows_file")
    page.locator("#chart-rows_file input[type=range]").fill("80")
    page.wait_for_function("b => document.querySelector('#chart-rows_file .chart-live svg').innerHTML !== b", arg=before)

    for chart in ("brush", "zoom"):  # a drag across the plot: a brush is drawn, or the scales move
        page.locator(f"#chart-{chart}").scroll_into_view_if_needed()
        before = _svg(page, chart)
        box = page.locator(f"#chart-{chart} .chart-live svg").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.5)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.5, steps=8)
        page.mouse.up()
        page.wait_for_function("([c, b]) => document.querySelector('#chart-' + c + ' .chart-live svg').innerHTML !== b",
                               arg=[chart, before])
    assert page.locator("#chart-brush .chart-live svg path[fill='#b3261e']").count() >= 1
    assert page.locator("#chart-brush .chart-live svg path[fill='#999999']").count() >= 1

    assert page.evaluate("window.__violations") == []
    assert not [m for m in messages if "Content Security Policy" in m or "EvalError" in m], messages
    context.close()


def test_a_runtime_without_the_interpreter_leaves_charts_static_and_readable(browser, serve, site):
    """What a reader sees if the interpreter went missing (another Vega release): Vega would
    compile expressions, the policy refuses, and each chart stays its picture drawn at build time."""
    strip = lambda js: js + "\nwindow.vega.expressionInterpreter = undefined;\n"  # noqa: E731
    context, page, states, messages = open_page(browser, serve(site), strip)
    assert states == ["static", "static", "static"]
    assert page.locator("figure[data-chart] picture img, figure[data-chart] img").count() >= 3
    assert page.evaluate("window.__violations")  # the policy said no, and the page said why
    context.close()
