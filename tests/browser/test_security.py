"""Every page carries a Content Security Policy with no inline script and no other origin, and the
charts work under it. Vega compiles expressions with Function(), so the policy allows
'unsafe-eval'; the second test measures why: without it, the charts stay static."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import build_copy

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "basic" / "content"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_copy(FIXTURE, tmp_path_factory.mktemp("csp"))


def policy_of(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', html).group(1)


def test_every_page_has_a_policy_without_inline_script_or_other_origin(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) >= 6
    for page in pages:
        html = page.read_text()
        policy = policy_of(html)
        assert "script-src 'self' 'unsafe-eval'" in policy and "default-src 'self'" in policy
        assert "unsafe-inline'; img" not in policy.split("script-src")[1].split(";")[0]
        assert "http" not in policy and "*" not in policy
        executable = re.findall(r"<script(?![^>]*type=\"application/json\")[^>]*>([^<]+)</script>", html)
        assert executable == [], f"{page}: inline script"


def open_with(browser, url: str, rewrite=None):
    page = browser.new_page()
    if rewrite:
        page.route("**/demo/", lambda route: route.fulfill(response=(r := route.fetch()), body=rewrite(r.text())))
    messages = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(url + "demo/")
    for figure in page.locator("figure[data-chart]").all():  # selectors, not script: the policy may forbid eval
        figure.scroll_into_view_if_needed()
        chart = figure.get_attribute("id")
        page.locator(f"#{chart}[data-state=live], #{chart}[data-state=static]").wait_for(timeout=15000)
    states = [f.get_attribute("data-state") for f in page.locator("figure[data-chart]").all()]
    page.close()
    return states, messages


def test_charts_work_under_the_policy(browser, serve, site):
    states, messages = open_with(browser, serve(site))
    assert states == ["live", "live", "live"]
    assert not [m for m in messages if "Content Security Policy" in m]


def test_without_unsafe_eval_charts_stay_static_and_readable(browser, serve, site):
    states, messages = open_with(browser, serve(site), lambda html: html.replace(" 'unsafe-eval'", ""))
    assert states == ["static", "static", "static"]  # the SVG fallbacks stay in place
    assert any("unsafe-eval" in m for m in messages)
