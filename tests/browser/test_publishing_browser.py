"""Publishing in a real browser: the site under a sub-path with no broken link or asset, a chart
embedded in another page that sizes its iframe, and the single-file export opened from disk."""
from __future__ import annotations

import shutil
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from broadsheet import links
from helpers import SITE_SRC, run_cli

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "basic" / "content"
SUB_PATH = "data/2023/chatgpt/"


@pytest.fixture(scope="module")
def sub_path_site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("subpath")
    shutil.copytree(FIXTURE, work / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), "--base-url", "/" + SUB_PATH, cwd=work)
    assert result.returncode == 0, result.stderr
    www = work / "www"
    shutil.copytree(work / "_site", www / SUB_PATH)
    return www


def test_site_under_a_sub_path_has_no_broken_link_or_asset(browser, serve, sub_path_site):
    root = serve(sub_path_site) + SUB_PATH
    seen, queue, failures = set(), [root], []
    while queue:  # crawl every page and fetch everything each one links to on the site
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            body = urllib.request.urlopen(url).read()
        except urllib.error.HTTPError as exc:
            failures.append(f"{url}: {exc.code}")
            continue
        if not url.endswith("/") and not url.endswith(".html"):
            continue
        _, found = links.scan({"page.html": body})
        for link in found:
            if links.is_external(link.href) or link.href.startswith(("#", "data:", "mailto:")):
                continue
            target = urljoin(url, link.href).split("#")[0]
            if urlsplit(target).path.startswith("/" + SUB_PATH):
                queue.append(target)
            else:
                failures.append(f"{url} links outside the sub-path: {link.href}")
    assert failures == []
    assert any(u.endswith("/demo/") for u in seen) and any(u.endswith(".svg") for u in seen)

    page = browser.new_page()
    bad = []
    page.on("response", lambda r: bad.append(r.url) if r.status >= 400 else None)
    page.on("requestfailed", lambda r: bad.append(r.url))
    page.goto(root + "demo/")
    for figure in page.locator("figure[data-chart]").all():
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live]", timeout=15000)
    assert bad == []
    not_found = (sub_path_site / SUB_PATH / "404.html").read_text()
    assert f'href="/{SUB_PATH}assets/css/' in not_found  # the 404 page is served at any depth
    page.close()


def test_embedded_chart_sizes_its_iframe(browser, serve, sub_path_site, tmp_path):
    base = serve(sub_path_site)
    host = sub_path_site / "host.html"
    story = (sub_path_site / SUB_PATH / "demo" / "index.html").read_text()
    snippet = story.split('<textarea readonly rows="4" spellcheck="false">')[1].split("</textarea>")[0]
    import html
    code = html.unescape(snippet).replace("https://broadsheet.example/test/", "/" + SUB_PATH)
    host.write_text(f"<!doctype html><title>Un autre site</title><p>Avant</p>{code}<p>Après</p>")
    page = browser.new_page()
    page.goto(base + "host.html")
    frame = page.locator("iframe[data-broadsheet-embed]")
    page.wait_for_function("() => parseInt(document.querySelector('iframe').style.height) > 200", timeout=15000)
    height = frame.evaluate("f => f.getBoundingClientRect().height")
    inner = page.frame_locator("iframe").locator("html").evaluate("e => e.getBoundingClientRect().height")
    assert abs(height - inner) <= 2
    page.frame_locator("iframe").locator("#chart-pay[data-state=live]").wait_for(timeout=15000)
    page.goto(base + SUB_PATH + "demo/embed/pay/?theme=dark&static=1")
    assert page.locator("html[data-theme=dark][data-static]").count() == 1
    page.wait_for_timeout(500)
    assert page.locator("#chart-pay img.chart-static:visible").count() == 1  # stays static on request
    assert page.locator("#chart-pay .chart-live").count() == 0
    page.close()


def test_single_file_export_works_from_disk(browser, tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    result = run_cli("export", "demo", "out/demo.html", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    context = browser.new_context()
    page = context.new_page()
    schemes = set()
    page.on("request", lambda r: schemes.add(r.url.split(":")[0]))
    page.goto((tmp_path / "out" / "demo.html").as_uri())
    for figure in page.locator("figure[data-chart]").all():
        figure.scroll_into_view_if_needed()
        page.wait_for_selector(f"#{figure.get_attribute('id')}[data-state=live]", timeout=15000)
    assert schemes <= {"file", "data"}
    href = page.locator(".chart-download a").first.get_attribute("href")
    assert href.startswith("data:text/csv")
    context.close()
