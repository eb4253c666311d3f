"""Broadsheet benchmarks: build times at two scales, page weights, memory, preview latencies.

    python bench/run.py            # everything (a few minutes), writes the table into README.md
    python bench/run.py --no-write # print only
    python bench/run.py --quick    # a smoke run: one build of each kind, a small generated site, no
                                   # preview, nothing written to README.md

What is measured, each figure the median of `--runs` fresh processes (what a user waits for, Python
start included), in a scratch folder (`--workdir`, by default a temporary folder under the
repository, ignored by git) so the repository's own caches are never used:

- the default site (content/: one story, 9 sections, 7 charts) and a generated large site
  (bench/largesite.py: 25 stories, 200 sections, 100 charts, some over 100,000-row CSVs), plus a
  half-size one (12 stories) so that the cost per chart and per section shows whether it grows
  linearly;
- "cold": no project cache (.cache/broadsheet removed before each run). What depends only on
  the installed tools is kept per user by vl-convert version: the page's chart runtime and the
  build's Vega engine (vl-convert's JavaScript bundles, ~1 s each to make) and the text widths of
  each font; so cold means "a fresh clone on a machine where Broadsheet has built once"; the very
  first build on a machine (per-user cache empty too) is measured separately;
- "cached": nothing changed since the last build; "prose edit": one line of one section changed;
- per chart: (cold - cached) / charts; per section: (a build that re-renders every section,
  charts from the cache - cached) / sections;
- CPU: the user and system time of all the build's processes (sampled like memory): on 2 cores
  a build cannot take less than half of it, and other work on the machine shows as wall time
  above that. Sampling reads every process's memory map 50 times a second, which costs CPU of
  its own (0.5 s on a 1.5 s build, measured), so the timed builds are not sampled: memory and
  CPU come from three more cold builds;
- memory: the peak of the summed resident memory of the build's processes (the build, its chart
  workers, the fork server), sampled every 20 ms from /proc: RSS counts a page shared by several
  processes once in each (an upper bound), PSS splits it between them;
- peers (bench/peers.py): the large site's prose built by Pelican 4.12 and MkDocs 1.6 (a venv of their
  own under --workdir, made once), cold and cached, interleaved with Broadsheet's builds of it;
- page weight: a story page before JavaScript (HTML + CSS + one drawing per chart, the larger of wide and narrow, each gzip -9), and
  the JavaScript a reader downloads.

Builds run as Python runs for a user: with the bytecode cache on (PYTHONDONTWRITEBYTECODE is
removed from the environment). Machines are noisy: compare ratios from one run.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive  # noqa: E402  (bench/archive.py, beside this file)
import peers  # noqa: E402  (bench/peers.py, beside this file)
import largesite  # noqa: E402  (bench/largesite.py, beside this file)

ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
ENV.update({"PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"})


def build_env(user_cache: Path | None) -> dict:
    """The environment of a build; `user_cache` replaces ~/.cache/broadsheet (None: keep it)."""
    return {**ENV, "BROADSHEET_USER_CACHE": str(user_cache)} if user_cache else dict(ENV)


TICKS = os.sysconf("SC_CLK_TCK")


def _tree_sample(root_pid: int) -> tuple[int, int, dict[str, float]]:
    """(summed RSS, summed PSS, {pid: CPU seconds so far}) of the processes in `root_pid`'s process
    group. RSS counts a page shared by several processes (the fork server's, Altair's) in each;
    PSS splits it."""
    rss = pss = 0
    cpu = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as stat:
                fields = stat.read().rsplit(b")", 1)[1].split()
            if int(fields[2]) != root_pid:  # field 5 of stat: the process group
                continue
            cpu[entry.name] = (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime
            with open(f"/proc/{entry.name}/smaps_rollup", "rb") as rollup:
                for line in rollup:
                    if line.startswith(b"Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith(b"Pss:"):
                        pss += int(line.split()[1]) * 1024
        except (OSError, IndexError, ValueError):
            continue
    return rss, pss, cpu


def build(work: Path, env: dict, *args: str, sample: bool = False) -> tuple[float, tuple[int, int], float]:
    """One build in a fresh process: (seconds, (peak summed RSS, peak summed PSS), CPU seconds of all
    its processes). With `sample`, memory and CPU are sampled every 20 ms (a process's last 20 ms
    may be missed); reading every process's memory map costs CPU of its own, which a 2-core machine
    takes from the build, so timed builds are not sampled (their memory and CPU read 0)."""
    command = [sys.executable, str(REPO / "build.py"), "build", "--site-src", str(REPO / "site_src"), *args]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               start_new_session=True)
    peak = (0, 0)
    cpu: dict[str, float] = {}
    done = threading.Event()

    def sample_tree() -> None:
        nonlocal peak
        while not done.is_set():
            rss, pss, seconds = _tree_sample(process.pid)
            peak = (max(peak[0], rss), max(peak[1], pss))
            cpu.update(seconds)
            done.wait(0.02)

    sampler = threading.Thread(target=sample_tree, daemon=True)
    if sample:
        sampler.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    done.set()
    if sample:
        sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"build failed in {work}:\n{err.decode()[-3000:]}")
    return elapsed, peak, sum(cpu.values())


def median(values: list[float]) -> float:
    return statistics.median(values)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def weights(site: Path, slug: str) -> dict[str, int]:
    """What one reader of a story downloads: before JavaScript its HTML, the CSS and one SVG per
    chart (the wide or the narrow drawing: the larger is counted); then our script and the chart
    runtime (embed.js and embed-frame.js serve other sites' pages and embeds, not the story)."""
    html = (site / slug / "index.html").read_bytes()
    before_js = [html] + [p.read_bytes() for p in (site / "assets" / "css").glob("*.css")]
    drawings: dict[str, bytes] = {}
    steps: dict[str, int] = {}  # a scrolly step's picture (the larger of wide and narrow): lazy, not counted above
    for svg in (site / slug / "charts").glob("*.svg"):
        chart = re.sub(r"(-narrow)?\.[0-9a-f]+\.svg$", "", svg.name)
        content = svg.read_bytes()
        if "-step-" in chart:
            if svg.name.split(".")[0] + "." in html.decode("utf-8"):  # a picture the page shows (step one: the chart's own)
                steps[chart] = max(steps.get(chart, 0), len(gzip.compress(content, 9)))
        elif len(gzip.compress(content, 9)) > len(gzip.compress(drawings.get(chart, b""), 9)):
            drawings[chart] = content
    before_js += list(drawings.values())
    scripts = [p.read_bytes() for p in (site / "assets").rglob("*.js") if not p.name.startswith("embed")]
    gz = lambda blobs: sum(len(gzip.compress(b, 9)) for b in blobs)  # noqa: E731
    return {"html_raw": len(html), "before_js_raw": sum(map(len, before_js)), "before_js_gz": gz(before_js),
            "js_raw": sum(map(len, scripts)), "js_gz": gz(scripts), "step_pictures_gz": sorted(steps.values())}


class Site:
    """A content folder copied or generated into the scratch folder, and the ways to build it."""

    def __init__(self, work: Path, user_cache: Path):
        self.work = work
        self.env = build_env(user_cache)

    def cold(self, runs: int) -> tuple[list[float], tuple[int, int], list[float]]:
        """Cold build times (not sampled), then the memory peak and CPU time of further cold
        builds, sampled (at most 3: they take as long)."""
        times, peak, cpus = [], (0, 0), []
        for _ in range(runs):
            shutil.rmtree(self.work / ".cache", ignore_errors=True)
            times.append(build(self.work, self.env)[0])
        for _ in range(min(runs, 3)):
            shutil.rmtree(self.work / ".cache", ignore_errors=True)
            _, memory, cpu = build(self.work, self.env, sample=True)
            cpus.append(cpu)
            peak = (max(peak[0], memory[0]), max(peak[1], memory[1]))
        return times, peak, cpus

    def cached(self, runs: int) -> list[float]:
        build(self.work, self.env)  # whatever the last run left, the cache is now complete
        return [build(self.work, self.env)[0] for _ in range(runs)]

    def prose_edit(self, runs: int) -> list[float]:
        section = sorted((self.work / "content").glob("*/sections/*.md"))[0]
        original = section.read_text()
        build(self.work, self.env)
        times = []
        for run in range(runs):
            lines = original.split("\n")
            index = next(i for i, line in enumerate(lines) if line.strip() and not line.startswith("#"))
            lines[index] += f" Une phrase de plus, mesure {'abcdefghijklmnopqrstuvwxyz'[run % 26]}."
            section.write_text("\n".join(lines))
            times.append(build(self.work, self.env)[0])
        section.write_text(original)
        build(self.work, self.env)
        return times

    def sections_rerendered(self, runs: int) -> list[float]:
        """Builds whose charts come from the cache but whose sections and embeds render again."""
        build(self.work, self.env)
        times = []
        for _ in range(runs):
            for name in ("sections", "figures"):
                shutil.rmtree(self.work / ".cache" / "broadsheet" / name, ignore_errors=True)
            times.append(build(self.work, self.env)[0])
        return times


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def preview_latencies(work: Path, env: dict, runs: int) -> dict[str, float]:
    """Seconds from saving a file to (a) the server holding the new page, (b) the browser showing it."""
    port = free_port()
    server = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port),
                               "--site-src", str(REPO / "site_src")], cwd=work, env=env,
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
                else:  # the title's first string: `TITLE = "…"`, or `TITLE = {"fr": "…", …}`
                    edited = re.sub(r'(TITLE = (?:\{\s*"[a-z]{2}":\s*)?")', rf"\g<1>{marker} ", original, count=1)
                    if edited == original:
                        raise SystemExit(f"{path}: no TITLE string to edit; bench/run.py's chart edit needs one")
                    path.write_text(edited)
                saved = time.perf_counter()
                until_served(marker, seen)
                results[f"{kind}_server"].append(time.perf_counter() - saved)
                # Playwright's selector engine, not a predicate: the page's CSP allows no eval
                page.get_by_text(marker).first.wait_for(timeout=20000)
                results[f"{kind}_browser"].append(time.perf_counter() - saved)
                time.sleep(0.2)
        browser.close()
    section.write_text(original_section)
    chart.write_text(original_chart)
    server.send_signal(signal.SIGINT)
    server.communicate(timeout=20)
    return {"runs": runs, **{key: median(values) for key, values in results.items()}}


def generated(scratch: Path, name: str, user_cache: Path, stories: int, rows: int) -> tuple[Site, dict]:
    work = scratch / name
    counts = largesite.generate(work / "content", stories=stories, big_rows=rows, big_every=5 if stories >= 10 else 2)
    return Site(work, user_cache), counts


def main() -> int:
    parser = argparse.ArgumentParser(description="Broadsheet benchmarks (see the top of bench/run.py)")
    parser.add_argument("--runs", type=int, default=5, help="fresh-process builds per figure (median)")
    parser.add_argument("--preview-runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 build each, a small large site")
    parser.add_argument("--no-write", action="store_true", help="print the table, leave README.md alone")
    parser.add_argument("--archive", type=int, default=None, metavar="N",
                        help="stories in the generated archive (default 10,000; 200 with --quick; 0 skips it)")
    parser.add_argument("--no-peers", action="store_true",
                        help="skip the comparison with Pelican and MkDocs (bench/peers.py; never run with --quick)")
    parser.add_argument("--workdir", type=Path, default=REPO / ".bench-work",
                        help="where the scratch folder goes (default: .bench-work/ in the repository)")
    args = parser.parse_args()
    load_at_start = os.getloadavg()[0]
    runs = 1 if args.quick else args.runs
    stories, half, rows = (4, 2, 20_000) if args.quick else (25, 12, 100_000)
    args.workdir.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="run-", dir=args.workdir) as scratch_name:
        scratch = Path(scratch_name)
        user_cache = scratch / "user-cache"
        print(f"scratch folder: {scratch}", file=sys.stderr)

        default = Site(scratch / "default", user_cache)
        shutil.copytree(REPO / "content", default.work / "content")
        first = []
        for _ in range(min(runs, 3)):  # the very first build on a machine: no cache of any kind
            shutil.rmtree(user_cache, ignore_errors=True)
            shutil.rmtree(default.work / ".cache", ignore_errors=True)
            first.append(build(default.work, default.env)[0])
        figures = {"first": first}  # the last of them leaves the per-user cache filled

        sizes = {}  # the large site first: its cold builds are the longest, the most exposed to other work
        for label, count in (("full", stories), ("half", half)):
            site, counts = generated(scratch, label, user_cache, count, rows)
            cold, peak, cpus = site.cold(runs)
            sizes[label] = {"counts": counts, "cold": cold, "rss": peak, "cpu": cpus, "cached": site.cached(runs),
                            "sections": site.sections_rerendered(runs),
                            "edit": site.prose_edit(runs) if label == "full" else []}
            if label == "full":
                site_dir = site.work / "_site"
                slugs = sorted(p.parent.name for p in site_dir.glob("*/index.html") if (p.parent / "charts").is_dir())
                pages = {slug: weights(site_dir, slug) for slug in slugs}
                big = [slug for slug in slugs if (site.work / "content" / slug / "data" / "transactions.csv").is_file()]
                sizes[label]["heaviest"] = max(pages.items(), key=lambda item: item[1]["before_js_gz"])
                sizes[label]["big_page"] = (big[0], pages[big[0]]) if big else None
                sizes[label]["data_files"] = sorted(p.stat().st_size for p in site_dir.glob("*/data/*-*.*.csv"))
            print(f"{label} site done", file=sys.stderr)

        figures["cold"], figures["cold_rss"], figures["cold_cpu"] = default.cold(runs)
        figures["cached"] = default.cached(runs)
        figures["edit"] = default.prose_edit(runs)
        default_weights = weights(default.work / "_site", "chatgpt")
        started = time.perf_counter()
        subprocess.run([sys.executable, str(REPO / "build.py"), "--help"], env=ENV, check=True, capture_output=True)
        help_time = time.perf_counter() - started
        preview = None if args.quick else preview_latencies(default.work, default.env, args.preview_runs)
        print("default site done", file=sys.stderr)
        archive_size = args.archive if args.archive is not None else (200 if args.quick else 10_000)
        archived = archive.measure(scratch, archive_size, runs, default.env) if archive_size else None
        compared = None if args.quick or args.no_peers else peers.measure(
            scratch / "peers", default.env, runs, stories, rows, args.workdir, REPO)

    rows_out = table_rows(figures, default_weights, help_time, preview, sizes, runs, rows)
    rows_out += archive.table(archived) if archived else []
    rows_out += peers.table(compared) if compared else []
    table = "| measure | figure |\n| --- | --- |\n" + "".join(f"| {name} | {value} |\n" for name, value in rows_out)
    note = (f"\nCold: no project cache; what is kept per user (~/.cache/broadsheet: the page's chart runtime, "
            "the build's Vega engine and the text widths of each font, made once per vl-convert version) present. Figures are medians of fresh processes; memory is the peak of the "
            "summed resident memory of the build and its worker processes. Load average (1 min) when the run "
            f"started / ended: {load_at_start:.1f} / {os.getloadavg()[0]:.1f}, on {os.cpu_count()} cores (other work "
            "on the machine slows every figure). See the top of `bench/run.py`.\n")
    print(table + note)
    if not args.no_write and not args.quick:
        readme = REPO / "README.md"
        text = readme.read_text()
        block = f"<!-- bench:start -->\n{table}{note}<!-- bench:end -->"
        text = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _: block, text, flags=re.S)
        readme.write_text(text)
    return 0


def _steps(sizes: list[int]) -> str:
    return f"{len(sizes)} pictures, {sizes[0]:,} to {sizes[-1]:,} B" if sizes else "no scrolly block"


def table_rows(figures, default_weights, help_time, preview, sizes, runs, big_rows) -> list[tuple[str, str]]:
    full, half = sizes["full"], sizes["half"]
    fc, hc = full["counts"], half["counts"]

    def per(label: str, kind: str, unit: str) -> str:
        size = sizes[label]
        cached = median(size["cached"])
        base = median(size["cold"]) if kind == "chart" else median(size["sections"])
        count = size["counts"]["charts" if kind == "chart" else "sections"]
        return f"{round((base - cached) / count * 1000)} ms per {unit}"  # round: an int, never "-0" for noise

    def mb(value: tuple[int, int]) -> str:
        return f"{value[0] / 1024 / 1024:,.0f} MB ({value[1] / 1024 / 1024:,.0f} MB)"

    rows = [
        (f"default site (1 story, 9 sections, 7 charts): cold build, median of {runs}", ms(median(figures["cold"]))),
        ("default site: first build on a machine (no per-user runtime cache either)", ms(median(figures["first"]))),
        ("default site: cached build, nothing changed", ms(median(figures["cached"]))),
        ("default site: rebuild after a one-line prose edit", ms(median(figures["edit"]))),
        (f"large site ({fc['stories']} stories, {fc['sections']} sections, {fc['charts']} charts, "
         f"{fc['big_charts']} over {big_rows:,}-row CSVs): cold build", ms(median(full["cold"]))),
        ("large site: cached build, nothing changed", ms(median(full["cached"]))),
        ("large site: rebuild after a one-line prose edit", ms(median(full["edit"]))),
        (f"half-size site ({hc['stories']} stories, {hc['sections']} sections, {hc['charts']} charts, "
         f"{hc['big_charts']} large): cold / cached", f"{ms(median(half['cold']))} / {ms(median(half['cached']))}"),
        ("per chart, (cold - cached) / charts: half-size / large", f"{per('half', 'chart', 'chart')} / "
                                                                   f"{per('full', 'chart', 'chart')}"),
        ("per section, (all sections re-rendered - cached) / sections: half-size / large",
         f"{per('half', 'section', 'section')} / {per('full', 'section', 'section')}"),
        ("CPU time of a cold build, all its processes (2 cores: the wall time cannot be under half of it): "
         "default / half-size / large",
         f"{median(figures['cold_cpu']):.1f} s / {median(half['cpu']):.1f} s / {median(full['cpu']):.1f} s"),
        ("memory peak of a cold build, all its processes, RSS (PSS): default / half-size / large",
         f"{mb(figures['cold_rss'])} / {mb(half['rss'])} / {mb(full['rss'])}"),
        ("story page before JavaScript (HTML + CSS + one drawing per chart), gzip: default site",
         f"{default_weights['before_js_gz']:,} B (raw {default_weights['before_js_raw']:,} B)"),
        ("scrolly step pictures of the default story, each (lazy, after step one; not in the row above), gzip",
         _steps(default_weights["step_pictures_gz"])),
        ("story page before JavaScript, gzip: heaviest page of the large site",
         f"{full['heaviest'][1]['before_js_gz']:,} B ({full['heaviest'][0]})"),
    ]
    if full["big_page"]:
        slug, page = full["big_page"]
        rows.append((f"story page before JavaScript, gzip: a story with a {big_rows:,}-row CSV",
                     f"{page['before_js_gz']:,} B (HTML raw {page['html_raw']:,} B; {slug})"))
    if full["data_files"]:
        rows.append(("rows a live chart fetches (CSV beside the story, not in the page)",
                     ", ".join(f"{size:,} B" for size in full["data_files"])))
    rows += [
        ("JavaScript a reader downloads (ours + chart runtime), gzip",
         f"{default_weights['js_gz']:,} B (raw {default_weights['js_raw']:,} B)"),
        ("`build.py --help`", ms(help_time)),
    ]
    if preview:
        rows += [
            (f"preview: prose edit saved -> rebuilt page served, median of {preview['runs']}",
             ms(preview["prose_server"])),
            ("preview: prose edit saved -> browser shows it", ms(preview["prose_browser"])),
            ("preview: chart edit saved -> rebuilt page served", ms(preview["chart_server"])),
            ("preview: chart edit saved -> browser shows it", ms(preview["chart_browser"])),
        ]
    return rows


if __name__ == "__main__":
    sys.exit(main())
