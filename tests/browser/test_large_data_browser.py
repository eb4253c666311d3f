"""Charts over a large CSV in a real browser: the live view fetches the rows it needs from the file
beside the story (on the story page and on the embed page), the slider still works, nothing fails;
the single-file export carries those rows inside the page and works from disk."""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SITE_SRC, run_cli
from test_large_data import HISTOGRAM, THRESHOLD, make_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def large_site(tmp_path_factory) -> Path:
    root = make_site(tmp_path_factory.mktemp("large-browser"), {"histogramme": HISTOGRAM, "seuil": THRESHOLD},
                     rows=20_000)
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def _watch(page) -> tuple[list, list]:
    errors, requests = [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfinished", lambda r: requests.append(r.url))
    page.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
    return errors, requests


@pytest.mark.parametrize("path", ["gros/", "gros/embed/seuil/"])
def test_live_view_loads_the_rows_file_and_the_slider_filters_them(browser, serve, large_site, path):
    page = browser.new_page()
    errors, requests = _watch(page)
    page.goto(serve(large_site / "_site") + path)
    figure = page.locator("figure[data-chart=seuil]")
    figure.scroll_into_view_if_needed()
    page.wait_for_selector("figure[data-chart=seuil][data-state=live]", timeout=20000)
    assert any("/gros/data/seuil-1." in url for url in requests)
    bars = figure.locator(".chart-live g.mark-rect path")
    before = figure.locator(".chart-live").inner_html()
    slider = figure.locator("input[type=range]")
    slider.fill("150")
    page.wait_for_function("(b) => document.querySelector('figure[data-chart=seuil] .chart-live').innerHTML !== b",
                           arg=before, timeout=10000)
    assert bars.count() >= 1
    assert errors == []
    page.close()


def test_single_file_export_carries_the_rows_and_works_from_disk(browser, large_site):
    result = run_cli("export", "gros", "out/gros.html", "--site-src", str(SITE_SRC), cwd=large_site)
    assert result.returncode == 0, result.stderr
    exported = large_site / "out" / "gros.html"
    text = exported.read_text()
    assert '"url":"data/' not in text and '"values":"montant,region' in text
    page = browser.new_page()
    errors, _ = _watch(page)
    page.goto(exported.as_uri())
    for chart in ("histogramme", "seuil"):
        page.locator(f"figure[data-chart={chart}]").scroll_into_view_if_needed()
        page.wait_for_selector(f"figure[data-chart={chart}][data-state=live]", timeout=20000)
    assert errors == []
    page.close()
