"""Lighthouse on the first story: mobile profile (Lighthouse's default), median of 3 runs.

    python bench/lighthouse.py            # runs, prints, writes the figures into README.md
    python bench/lighthouse.py --no-write # print only

Lighthouse 12.2.3 comes from the npm registry into .cache/bench/lighthouse (not committed, not
in CI) and drives Debian's Chromium (/usr/bin/chromium; it never downloads a browser). The site
is built from a scratch copy of content/ and served by a real HTTP server on 127.0.0.1, with
gzip, as a static host serves it.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VERSION = "12.2.3"
TOOL = REPO / ".cache" / "bench" / "lighthouse"
CHROMIUM = os.environ.get("BROADSHEET_CHROMIUM", "/usr/bin/chromium")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
RUNS = 3


def install() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        TOOL.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOL), "--no-audit", "--no-fund", f"lighthouse@{VERSION}"],
                       check=True, capture_output=True)
    return binary


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with gzip for text, as GitHub Pages or Netlify serve them."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        compressible = path.endswith((".html", ".css", ".js", ".svg", ".json", ".xml", ".csv"))
        if not compressible or "gzip" not in self.headers.get("Accept-Encoding", "") or not os.path.isfile(path):
            return super().send_head()
        if os.path.isdir(self.translate_path(self.path)) and not self.path.endswith("/"):
            return super().send_head()
        body = gzip.compress(Path(path).read_bytes(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        from io import BytesIO
        return BytesIO(body)


def build_site(work: Path) -> Path:
    shutil.copytree(REPO / "content", work / "content")
    subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site-src", str(REPO / "site_src")],
                   cwd=work, check=True, capture_output=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    return work / "_site"


def run_once(binary: Path, url: str, out: Path) -> dict[str, float]:
    profile = tempfile.mkdtemp(prefix="lh-profile-")
    flags = ("--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking "
             f"--disable-component-update --disable-sync --user-data-dir={profile}")
    subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={out}",
                    f"--chrome-path={CHROMIUM}", f"--chrome-flags={flags}",
                    f"--only-categories={','.join(CATEGORIES)}"], check=True, capture_output=True, timeout=300)
    shutil.rmtree(profile, ignore_errors=True)
    report = json.loads(out.read_text())
    scores = {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}
    audits = report["audits"]
    scores["lcp_ms"] = audits["largest-contentful-paint"]["numericValue"]
    scores["tbt_ms"] = audits["total-blocking-time"]["numericValue"]
    scores["cls"] = audits["cumulative-layout-shift"]["numericValue"]
    failing = [f"{key}: {audit['title']}" for key, audit in audits.items()
               if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"]
    scores["failing"] = failing
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave README.md alone")
    args = parser.parse_args()
    binary = install()
    with tempfile.TemporaryDirectory() as scratch:
        site = build_site(Path(scratch))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}/chatgpt/"
        runs = [run_once(binary, url, Path(scratch) / f"report-{i}.json") for i in range(RUNS)]
        server.shutdown()
    medians = {key: statistics.median(run[key] for run in runs) for key in (*CATEGORIES, "lcp_ms", "tbt_ms", "cls")}
    rows = [f"| {name} | {' · '.join(str(run[name]) for run in runs)} | **{medians[name]:g}** |" for name in CATEGORIES]
    rows += [f"| {label} | {' · '.join(f'{run[key]:.{digits}f}' for run in runs)} | **{medians[key]:.{digits}f}** |"
             for label, key, digits in (("largest contentful paint (ms)", "lcp_ms", 0),
                                        ("total blocking time (ms)", "tbt_ms", 0),
                                        ("cumulative layout shift", "cls", 3))]
    table = "\n".join(["| Lighthouse 12.2.3, mobile, story page | runs | median |", "| --- | --- | --- |", *rows])
    print(table)
    for failing in sorted({f for run in runs for f in run["failing"]}):
        print("  not passed:", failing)
    if not args.no_write:
        readme = REPO / "README.md"
        text = readme.read_text("utf-8")
        block = f"<!-- lighthouse:start -->\n{table}\n<!-- lighthouse:end -->"
        text, found = re.subn(r"<!-- lighthouse:start -->.*?<!-- lighthouse:end -->", lambda _: block, text, flags=re.S)
        if not found:
            sys.exit("README.md has no <!-- lighthouse:start --> / <!-- lighthouse:end --> markers")
        readme.write_text(text, "utf-8")


if __name__ == "__main__":
    main()
