"""Broadsheet benchmarks: build times, page weights, preview latencies. Medians of repeated runs.

    python bench/run.py            # everything, writes the table into README.md
    python bench/run.py --no-write # print only

Each build runs as a fresh process (what a user waits for), in a scratch copy of content/, so the
repository's own cache is never used. The preview figures drive `build.py serve` and, for the
browser reload, Debian's Chromium. Machines are noisy: compare ratios from one run.
"""
from __future__ import annotations

import argparse
import gzip
import json
import threading
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}


def build(work: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site-src", str(REPO / "site_src"), *args],
                   cwd=work, env=ENV, check=True, capture_output=True)
    return time.perf_counter() - started


def median_ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms"


def weights(site: Path) -> dict[str, int]:
    page = site / "chatgpt" / "index.html"
    html = page.read_bytes()
    before_js = [html] + [p.read_bytes() for p in (site / "assets" / "css").glob("*.css")]
    before_js += [p.read_bytes() for p in (site / "chatgpt" / "charts").glob("*.svg")]
    scripts = [p.read_bytes() for p in (site / "assets").rglob("*.js")]
    gz = lambda blobs: sum(len(gzip.compress(b, 9)) for b in blobs)  # noqa: E731
    return {"html_raw": len(html), "before_js_raw": sum(map(len, before_js)), "before_js_gz": gz(before_js),
            "js_raw": sum(map(len, scripts)), "js_gz": gz(scripts)}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def preview_latencies(work: Path, runs: int) -> dict[str, float]:
    """Seconds from saving a file to (a) the server holding the new page, (b) the browser showing it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port),
                               "--site-src", str(REPO / "site_src")], cwd=work, env=ENV,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    while "Serving" not in server.stdout.readline():
        pass
    url = f"http://127.0.0.1:{port}/chatgpt/"
    section = sorted((work / "content" / "chatgpt" / "sections").glob("*.md"))[0]
    chart = work / "content" / "chatgpt" / "charts" / "pay.py"
    original_section, original_chart = section.read_text(), chart.read_text()
    results: dict[str, list[float]] = {"prose_server": [], "prose_browser": [], "chart_server": [],
                                       "chart_browser": []}

    published = {"version": 0}
    changed = threading.Condition()

    def listen() -> None:  # the preview's own event stream: a new version is a rebuilt site being served
        stream = urllib.request.urlopen(f"http://127.0.0.1:{port}/__broadsheet/events")
        for raw in stream:
            line = raw.decode().strip()
            if line.startswith("data:"):
                with changed:
                    published["version"] = json.loads(line[5:])["version"]
                    changed.notify_all()

    threading.Thread(target=listen, daemon=True).start()
    time.sleep(0.3)

    def until_served(marker: str, seen: int) -> None:
        with changed:
            changed.wait_for(lambda: published["version"] > seen, timeout=30)
        assert marker in urllib.request.urlopen(url).read().decode()

    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.goto(url)
        time.sleep(0.5)
        for run in range(runs):
            for kind, path, original in (("prose", section, original_section), ("chart", chart, original_chart)):
                marker = f"Mesure{kind}{run}"
                seen = published["version"]
                if kind == "prose":
                    path.write_text(original.replace("\n", f" {marker}\n", 1))
                else:
                    path.write_text(re.sub(r'TITLE = "', f'TITLE = "{marker} ', original, count=1))
                saved = time.perf_counter()
                until_served(marker, seen)
                results[f"{kind}_server"].append(time.perf_counter() - saved)
                page.wait_for_function(f"document.body.innerText.includes({marker!r})", timeout=20000)
                results[f"{kind}_browser"].append(time.perf_counter() - saved)
                time.sleep(0.2)
        browser.close()
    section.write_text(original_section)
    chart.write_text(original_chart)
    server.send_signal(signal.SIGINT)
    server.communicate(timeout=20)
    return {key: statistics.median(values) for key, values in results.items()}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--preview-runs", type=int, default=10)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="broadsheet-bench-") as scratch:
        work = Path(scratch)
        shutil.copytree(REPO / "content", work / "content")
        cold = [build(work, "--no-cache", "--out", "_cold") for _ in range(args.runs)]
        build(work)  # fill the cache
        cached = [build(work) for _ in range(args.runs)]
        site_weights = weights(work / "_site")
        started = time.perf_counter()
        subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], env=ENV, check=True, capture_output=True)
        help_time = time.perf_counter() - started
        preview = preview_latencies(work, args.preview_runs)

    rows = [
        ("default site, cold build (no cache), median of %d" % args.runs, median_ms(cold)),
        ("default site, cached build, nothing changed, median of %d" % args.runs, median_ms(cached)),
        ("cached / cold", f"{statistics.median(cached) / statistics.median(cold):.0%}"),
        ("`build.py --help`", f"{help_time * 1000:.0f} ms"),
        ("story page before JavaScript (HTML + CSS + chart SVGs), gzip",
         f"{site_weights['before_js_gz']:,} B (raw {site_weights['before_js_raw']:,} B)"),
        ("JavaScript a reader downloads (ours + chart runtime), gzip",
         f"{site_weights['js_gz']:,} B (raw {site_weights['js_raw']:,} B)"),
        ("preview: prose edit saved -> rebuilt page served, median of %d" % args.preview_runs,
         f"{preview['prose_server'] * 1000:.0f} ms"),
        ("preview: prose edit saved -> browser shows it", f"{preview['prose_browser'] * 1000:.0f} ms"),
        ("preview: chart edit saved -> rebuilt page served", f"{preview['chart_server'] * 1000:.0f} ms"),
        ("preview: chart edit saved -> browser shows it", f"{preview['chart_browser'] * 1000:.0f} ms"),
    ]
    table = "| measure | figure |\n| --- | --- |\n" + "".join(f"| {name} | {value} |\n" for name, value in rows)
    print(table)
    if not args.no_write:
        readme = REPO / "README.md"
        text = readme.read_text()
        block = f"<!-- bench:start -->\n{table}<!-- bench:end -->"
        text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text, flags=re.S)
        readme.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
