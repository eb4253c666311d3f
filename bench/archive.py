"""A newsroom's archive for the benchmark, generated (never committed): many small stories.

    python bench/archive.py DEST [--stories 10000]          # write the content folder
    python bench/archive.py --measure [--stories 10000]     # the archive's build figures (also in run.py)

Each story has three sections citing five facts, a facts file with two sources, and one story in
twenty has two charts (a Vega-Lite bar chart and a Python line chart over a small CSV). Stories
are dated over twenty years, so the archive pages by year have something to list.
Everything comes from a seeded random generator: the same arguments give the same bytes. The
stories are clean (no warning): a story's number in its title is written `{literal:N}`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import time
from pathlib import Path

FACTS = {"habitants": "habitants", "budget": "EUR", "emplois": "emplois", "taux": "percent", "ecoles": "écoles"}
WORDS = ("la ville", "le conseil", "les habitants", "le budget", "la région", "les écoles", "le quartier",
         "les commerces", "le département", "les associations", "la mairie", "les transports")
PY_CHART = '''import altair as alt

TITLE = "L’évolution sur dix ans"
ALT = "Une courbe qui monte puis se stabilise sur dix ans."
SOURCES = ["releve"]


def chart(data, facts):
    return alt.Chart(alt.Data(values=data["series"])).mark_line().encode(
        x=alt.X("annee:O", title="Année"), y=alt.Y("valeur:Q", title="Valeur"))
'''


def _sentence(rng: random.Random, fact: str) -> str:
    return (f"Selon les relevés, {rng.choice(WORDS)} compte {{fact:{fact}}}, "
            f"un chiffre que {rng.choice(WORDS)} discute encore.")


def _facts(rng: random.Random, year: int) -> str:
    lines = ["facts:"]
    for index, (key, unit) in enumerate(FACTS.items()):
        value = round(rng.uniform(1, 90), 1) if unit == "percent" else rng.randrange(100, 900_000)
        lines += [f"  {key}:", f"    value: {value}", f"    unit: {unit}", f"    as_of: {year}-0{1 + index}-15",
                  f"    source: {'releve' if index % 2 else 'comptes'}", "    status: confirmed"]
    lines += ["sources:", "  releve:", '    name: "Relevé annuel"', '    publisher: "Insee"',
              f"    url: https://example.org/releve/{year}", f"    date: {year}-06-01",
              "  comptes:", '    name: "Comptes de la collectivité"', '    publisher: "DGFiP"',
              f"    url: https://example.org/comptes/{year}", f"    date: {year}-06-01"]
    return "\n".join(lines) + "\n"


def story(dest: Path, index: int, rng: random.Random, charts: bool) -> None:
    day = dt.date(2006, 1, 1) + dt.timedelta(days=(index * 7919) % 7300)
    folder = dest / f"article-{index:05d}"
    (folder / "sections").mkdir(parents=True)
    (folder / "index.md").write_text(
        f"---\ntitle: \"Article {{literal:{index}}} sur {rng.choice(WORDS)}\"\ndek: \"Ce que disent les chiffres.\"\n"
        f"published: {day.isoformat()}\nlanguage: fr\n---\n{_sentence(rng, 'habitants')}\n", encoding="utf-8")
    keys = list(FACTS)
    for number in range(1, 4):
        text = f"## Partie {number}\n\n" + " ".join(_sentence(rng, keys[(number + k) % 5]) for k in range(2))
        if charts and number == 2:
            text += "\n\n{chart:barres}\n\n{chart:courbe}\n"
        (folder / "sections" / f"0{number}-partie.md").write_text(text + "\n", encoding="utf-8")
    (folder / "facts.yaml").write_text(_facts(rng, day.year), encoding="utf-8")
    if charts:
        (folder / "data").mkdir()
        (folder / "charts").mkdir()
        rows = "\n".join(f"{2010 + y},{rng.randrange(10, 99)}" for y in range(10))
        (folder / "data" / "series.csv").write_text("annee,valeur\n" + rows + "\n", encoding="utf-8")
        spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "title": "Les valeurs par année",
                "description": "Des barres, une par année, de hauteurs variées.",
                "usermeta": {"source": "Relevé annuel"}, "data": {"url": "data/series.csv"}, "mark": "bar",
                "encoding": {"x": {"field": "annee", "type": "ordinal", "title": "Année"},
                             "y": {"field": "valeur", "type": "quantitative", "title": "Valeur"}}}
        (folder / "charts" / "barres.vl.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        (folder / "charts" / "courbe.py").write_text(PY_CHART, encoding="utf-8")


def generate(dest: Path, stories: int = 10_000, chart_every: int = 20, seed: int = 2026) -> dict:
    """Write a content folder into `dest`; returns what it holds."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "site.yaml").write_text(
        "title: Les archives\ndescription: Vingt ans d’articles, générés.\nlanguage: fr\nbase_url: /\n"
        "absolute_url: https://archives.example/\nnewsroom: La rédaction\n", encoding="utf-8")
    for index in range(1, stories + 1):
        story(dest, index, random.Random(seed * 100_000 + index), charts=index % chart_every == 0)
    return {"stories": stories, "charts": 2 * (stories // chart_every), "sections": 3 * stories}


def _progress(text: str) -> None:
    """Each figure as soon as it is measured (stderr): a long run that is stopped still says them."""
    import sys

    print(text, file=sys.stderr, flush=True)


class Preview:
    """`serve` on the archive, in a fresh process: how long until it serves, and until a rebuild
    after an edit is done (the lines it prints: `Serving …`, `Rebuilt in … ms`)."""

    def __init__(self, work: Path, env: dict):
        import queue
        import socket
        import subprocess
        import sys
        import threading
        import time

        import run

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, str(run.REPO / "build.py"), "serve", "--port", str(port), "--site-src",
             str(run.REPO / "site_src")], cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout], daemon=True).start()
        self.start_seconds = self.until("Serving")

    def until(self, word: str) -> float:
        import time

        begun = time.perf_counter()
        while True:
            line = self.lines.get(timeout=900)  # queue.Empty: the preview said nothing for 15 minutes
            if word in line:
                return time.perf_counter() - begun
            if "Build failed" in line or "Traceback" in line:
                raise RuntimeError(line)

    def stop(self) -> None:
        import signal

        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=120)


def measure_serve(work: Path, env: dict, runs: int) -> dict:
    """`serve`: its first start (the preview folder empty, the charts in the cache), a new start from
    a warm cache, and one story's prose, then one chart, edited while it runs."""
    first = Preview(work, env)
    first.stop()
    _progress(f"serve, first start: {first.start_seconds:.1f} s")
    preview = Preview(work, env)
    _progress(f"serve, start from a warm cache: {preview.start_seconds:.2f} s")
    section = work / "content" / "article-00002" / "sections" / "02-partie.md"
    chart = work / "content" / f"article-{40:05d}" / "charts" / "barres.vl.json"
    prose, charted = [], []
    try:
        for run_number in range(runs):
            section.write_text(section.read_text() + f"\nUne phrase servie, mesure {run_number}.\n", encoding="utf-8")
            prose.append(preview.until("Rebuilt"))
            time.sleep(1)
            spec = json.loads(chart.read_text())
            spec["title"] = f"Les valeurs servies, version {run_number}"
            chart.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
            charted.append(preview.until("Rebuilt"))
            _progress(f"serve, prose edit {prose[-1]:.2f} s, chart edit {charted[-1]:.2f} s")
    finally:
        preview.stop()
    return {"serve_first": first.start_seconds, "serve_start": preview.start_seconds, "serve_prose": prose,
            "serve_chart": charted}


def measure(scratch: Path, stories: int, runs: int, env: dict) -> dict:
    """Build figures of a generated archive, in fresh processes (bench/run.py's `build`): cold,
    nothing changed, one story's prose edited, one chart edited; peak memory of a cold and of a
    cached build."""
    import run  # bench/run.py, beside this file

    work = scratch / "archive"
    counts = generate(work / "content", stories)
    cold, cold_peak, _ = run.build(work, env, sample=True)
    _progress(f"cold build: {cold:.1f} s, peak {cold_peak[0] / 2**20:.0f} MB")
    cached = [run.build(work, env)[0] for _ in range(runs)]
    _progress(f"nothing changed: {cached}")
    _, cached_peak, _ = run.build(work, env, sample=True)
    section = work / "content" / "article-00001" / "sections" / "02-partie.md"
    chart = work / "content" / f"article-{20:05d}" / "charts" / "barres.vl.json"
    prose, charted = [], []
    for run_number in range(runs):
        section.write_text(section.read_text() + f"\nUne phrase de plus, mesure {run_number}.\n", encoding="utf-8")
        prose.append(run.build(work, env)[0])
        spec = json.loads(chart.read_text())
        spec["title"] = f"Les valeurs par année, version {run_number}"
        chart.write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        charted.append(run.build(work, env)[0])
        _progress(f"build, prose edit {prose[-1]:.2f} s, chart edit {charted[-1]:.2f} s")
    return {"counts": counts, "cold": cold, "cold_peak": cold_peak, "cached": cached, "cached_peak": cached_peak,
            "prose": prose, "chart": charted, **measure_serve(work, env, runs)}


def table(figures: dict) -> list[tuple[str, str]]:
    counts, median = figures["counts"], run_median
    per_story = figures["cold"] / counts["stories"] * 1000
    return [
        (f"archive ({counts['stories']:,} stories, {counts['sections']:,} sections, {counts['charts']:,} charts): "
         "cold build", f"{figures['cold']:,.1f} s ({per_story:.1f} ms per story)"),
        ("archive: build with nothing changed (target 5 s)", f"{median(figures['cached']):,.2f} s"),
        ("archive: one story's prose edited (target 2 s)", f"{median(figures['prose']):,.2f} s"),
        ("archive: one chart edited (target 3 s)", f"{median(figures['chart']):,.2f} s"),
        ("archive: `serve`, first start (preview folder empty, charts cached)", f"{figures['serve_first']:,.1f} s"),
        ("archive: `serve`, start from a warm cache (target 5 s)", f"{figures['serve_start']:,.2f} s"),
        ("archive: `serve`, one story's prose edited (target 2 s)", f"{median(figures['serve_prose']):,.2f} s"),
        ("archive: `serve`, one chart edited (target 3 s)", f"{median(figures['serve_chart']):,.2f} s"),
        ("archive: peak memory, cold / nothing changed (RSS summed over processes; target 1 GB)",
         f"{figures['cold_peak'][0] / 2**20:,.0f} MB / {figures['cached_peak'][0] / 2**20:,.0f} MB"),
    ]


def run_median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path, nargs="?")
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--measure", action="store_true", help="build a generated archive and print its figures")
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    if arguments.measure:
        import sys
        import tempfile

        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import run as bench_run

        (bench_run.REPO / ".bench-work").mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="archive-", dir=bench_run.REPO / ".bench-work") as scratch:
            rows = table(measure(Path(scratch), arguments.stories, arguments.runs, bench_run.build_env(None)))
        print("\n".join(f"| {name} | {value} |" for name, value in rows))
    else:
        print(generate(arguments.dest, arguments.stories))
