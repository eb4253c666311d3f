"""Broadsheet beside two peers, Pelican 4.12 and MkDocs 1.6, on the same Markdown.

    python bench/peers.py [--runs 5] [--stories 25]   # prints the figures (bench/run.py puts them in README.md)
    python bench/peers.py --write                     # and puts them in README.md's table, alone

The workload is bench/largesite.py's large site (25 stories, 200 sections, 100 charts, four per story):
Broadsheet builds it as it is; Pelican and MkDocs build the same prose as plain Markdown (each story's
front matter and sections in one file, every `{fact:key}` replaced by the fact's value, every
`{chart:id}` line left out: they cannot draw charts). The peers are installed into a venv of their own
under .bench-work/ (ignored by git, made once, from the configured package index), never into the
project's environment.

Each figure is the median of `--runs` fresh processes, the tools interleaved in one run (Broadsheet,
Pelican, MkDocs, then again) so the machine's load weighs on all three alike:
- cold: Broadsheet without its project cache (the per-user cache of the chart runtime kept, as in
  bench/run.py), Pelican without its output and content cache, MkDocs without its output;
- cached: nothing changed since the last build; Pelican with its content cache on (CACHE_CONTENT,
  LOAD_CONTENT_CACHE), its fastest setting; MkDocs has no cache (its cached build is a rebuild).
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
import largesite  # noqa: E402  (bench/largesite.py, beside this file)

PEERS = ("pelican==4.12.0", "mkdocs==1.6.1")
FACT = re.compile(r"\{fact:([a-z_0-9]+)(?:\|[a-z]+)?\}")
CHART_LINE = re.compile(r"^\s*\{chart:[^}]*\}\s*$", re.M)
PELICAN_CONF = """SITENAME = "Peer benchmark"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
RELATIVE_URLS = True
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CACHE_PATH = "cache"
"""


def peers_venv(workdir: Path) -> Path:
    """The bin folder of a venv holding Pelican and MkDocs (made once, kept under `workdir`)."""
    venv = workdir / "peers-venv"
    if not (venv / "bin" / "pelican").exists() or not (venv / "bin" / "mkdocs").exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *PEERS], check=True)
    return venv / "bin"


def _facts(folder: Path) -> dict[str, str]:
    facts = (yaml.safe_load((folder / "facts.yaml").read_text(encoding="utf-8")) or {}).get("facts", {})
    return {key: str(fact.get("value", fact.get("formula", ""))) for key, fact in facts.items()}


def _plain(text: str, facts: dict[str, str]) -> str:
    return CHART_LINE.sub("", FACT.sub(lambda match: facts.get(match.group(1), match.group(1)), text))


def story_markdown(folder: Path) -> tuple[dict, str]:
    """(front matter, body) of one story as plain Markdown: its introduction and sections in order."""
    _, front, intro = folder.joinpath("index.md").read_text(encoding="utf-8").split("---\n", 2)
    facts = _facts(folder)
    parts = [intro] + [path.read_text(encoding="utf-8") for path in sorted((folder / "sections").glob("*.md"))]
    return yaml.safe_load(front), "\n\n".join(_plain(part, facts).strip() for part in parts) + "\n"


def write_peer_sites(content: Path, pelican: Path, mkdocs: Path) -> int:
    """The same prose as a Pelican site and a MkDocs site; returns the number of stories."""
    (pelican / "content").mkdir(parents=True)
    (mkdocs / "docs").mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_CONF, encoding="utf-8")
    folders = sorted(path.parent for path in content.glob("*/index.md"))
    nav = []
    for folder in folders:
        meta, body = story_markdown(folder)
        header = f"Title: {meta['title']}\nDate: {meta['published']}\nSlug: {folder.name}\nSummary: {meta.get('dek', '')}\n"
        (pelican / "content" / f"{folder.name}.md").write_text(f"{header}\n{body}", encoding="utf-8")
        (mkdocs / "docs" / f"{folder.name}.md").write_text(f"# {meta['title']}\n\n{body}", encoding="utf-8")
        nav.append(f"  - {folder.name}.md\n")
    (mkdocs / "docs" / "index.md").write_text("# Peer benchmark\n", encoding="utf-8")
    (mkdocs / "mkdocs.yml").write_text("site_name: Peer benchmark\nnav:\n  - index.md\n" + "".join(nav),
                                       encoding="utf-8")
    return len(folders)


def timed(command: list[str], cwd: Path, env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{command[0]} failed in {cwd}:\n{done.stderr.decode()[-3000:]}")
    return elapsed


def tools(scratch: Path, bin_dir: Path, env: dict, repo: Path) -> dict[str, tuple[Path, list[str], list[str]]]:
    """name -> (folder, command, what a cold build removes first)."""
    return {
        "broadsheet": (scratch / "broadsheet", [sys.executable, str(repo / "build.py"), "build", "--site-src",
                                                str(repo / "site_src")], [".cache", "_site"]),
        "pelican": (scratch / "pelican", [str(bin_dir / "pelican"), "content", "-s", "pelicanconf.py", "-o", "output"],
                    ["output", "cache"]),
        "mkdocs": (scratch / "mkdocs", [str(bin_dir / "mkdocs"), "build", "-q", "-d", "site"], ["site"]),
    }


def measure(scratch: Path, env: dict, runs: int, stories: int, rows: int, workdir: Path, repo: Path) -> dict:
    """{tool: {"cold": [seconds…], "cached": [seconds…]}}, the tools interleaved in each run."""
    counts = largesite.generate(scratch / "broadsheet" / "content", stories=stories, big_rows=rows,
                                big_every=5 if stories >= 10 else 2)
    write_peer_sites(scratch / "broadsheet" / "content", scratch / "pelican", scratch / "mkdocs")
    commands = tools(scratch, peers_venv(workdir), env, repo)
    load = [os.getloadavg()[0]]
    figures = {name: {"cold": [], "cached": []} for name in commands}
    for _ in range(runs):
        for name, (folder, command, cold_removes) in commands.items():
            for removed in cold_removes:
                shutil.rmtree(folder / removed, ignore_errors=True)
            figures[name]["cold"].append(timed(command, folder, env))
    for name, (folder, command, _) in commands.items():
        timed(command, folder, env)  # whatever the cold runs left, every cache is now complete
    for _ in range(runs):
        for name, (folder, command, _) in commands.items():
            figures[name]["cached"].append(timed(command, folder, env))
    return {"counts": counts, "load": load + [os.getloadavg()[0]], **figures}


def table(figures: dict) -> list[tuple[str, str]]:
    from statistics import median

    counts = figures["counts"]
    rows = []
    for kind, target in (("cold", 5.0), ("cached", 0.8)):
        ours, pelican, mkdocs = (median(figures[name][kind]) for name in ("broadsheet", "pelican", "mkdocs"))
        rows.append((f"peers ({counts['stories']} stories, {counts['charts']} charts; Pelican 4.12 and MkDocs 1.6 "
                     f"on the same Markdown, no charts): {kind} build, Broadsheet / Pelican / MkDocs "
                     f"(target {target:g}× Pelican's)",
                     f"{ours * 1000:,.0f} ms / {pelican * 1000:,.0f} ms / {mkdocs * 1000:,.0f} ms "
                     f"({ours / pelican:.2f}× Pelican's; load {figures['load'][0]:.0f} → {figures['load'][1]:.0f} "
                     f"on {os.cpu_count()} cores)"))
    return rows


def write_rows(readme: Path, rows: list[tuple[str, str]]) -> None:
    """Put `rows` in README.md's figures table (between the bench markers, where bench/run.py writes
    it), in place of the peer rows an earlier run left there, for a run of this script alone."""
    text = readme.read_text(encoding="utf-8")
    start, end = text.index("<!-- bench:start -->"), text.index("<!-- bench:end -->")
    lines = [line for line in text[start:end].split("\n") if not line.startswith("| peers (")]
    last = max(index for index, line in enumerate(lines) if line.startswith("| "))
    lines[last + 1:last + 1] = [f"| {name} | {value} |" for name, value in rows]
    readme.write_text(text[:start] + "\n".join(lines) + text[end:], encoding="utf-8")


if __name__ == "__main__":
    import tempfile

    import run as bench_run  # bench/run.py, beside this file

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stories", type=int, default=25)
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the large CSVs (every fifth story)")
    parser.add_argument("--write", action="store_true", help="also put the rows in README.md's figures table")
    arguments = parser.parse_args()
    workdir = bench_run.REPO / ".bench-work"
    workdir.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="peers-", dir=workdir) as scratch:
        result = measure(Path(scratch), bench_run.build_env(None), arguments.runs, arguments.stories, arguments.rows,
                         workdir, bench_run.REPO)
    for tool in ("broadsheet", "pelican", "mkdocs"):
        print(f"{tool}: cold {result[tool]['cold']}, cached {result[tool]['cached']}", file=sys.stderr)
    print("\n".join(f"| {name} | {value} |" for name, value in table(result)))
    if arguments.write:
        write_rows(bench_run.REPO / "README.md", table(result))
