"""Compare this working tree with an earlier revision: build times measured alternately in one run,
and the two outputs compared byte for byte.

    python bench/compare.py REV             # e.g. a commit before a refactor
    python bench/compare.py REV OTHER       # two revisions (the working tree may change meanwhile)
    python bench/compare.py REV --quick     # one build of each kind, a small generated site
    python bench/compare.py REV --sites large   # the generated site only (an old revision may not
                                                # build today's content/)

A refactor must leave the output identical and the speed within the machine's noise. Timing the
two trees in separate runs measures the machine's load as much as the code, so here every figure
alternates the trees (A B B A …) on the same content: the default site (this tree's content/) and
a generated large site (bench/largesite.py). Each tree builds with its own engine, templates and
per-user cache, in a fresh process, the way bench/run.py builds. The revision comes from
`git archive`, in a scratch folder; nothing is written into the repository.
"""
from __future__ import annotations

import argparse
import filecmp
import io
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import largesite  # noqa: E402  (bench/largesite.py, beside this file)
from run import ENV, REPO, median  # noqa: E402

KINDS = ("cold", "cached")


class Tree:
    """One engine (a source tree) building its own copy of a content folder."""

    def __init__(self, label: str, source: Path, work: Path, content: Path):
        self.label, self.source, self.work = label, source, work
        shutil.copytree(content, work / "content")
        self.env = {**ENV, "PYTHONPATH": str(source), "BROADSHEET_USER_CACHE": str(work / "user-cache")}

    def build(self, kind: str) -> float:
        if kind == "cold":
            shutil.rmtree(self.work / ".cache", ignore_errors=True)
        command = [sys.executable, str(self.source / "build.py"), "build", "--site-src",
                   str(self.source / "site_src")]
        started = time.perf_counter()
        done = subprocess.run(command, cwd=self.work, env=self.env, capture_output=True)
        elapsed = time.perf_counter() - started
        if done.returncode != 0:
            raise SystemExit(f"{self.label} failed to build {self.work}:\n{done.stderr.decode()[-3000:]}")
        return elapsed


def archived(revision: str, dest: Path) -> Path:
    """The files of `revision`, unpacked into `dest`."""
    blob = subprocess.run(["git", "archive", "--format=tar", revision], cwd=REPO, capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(blob.stdout)) as archive:
        archive.extractall(dest, filter="data")
    return dest


def differences(left: Path, right: Path) -> list[str]:
    """Paths (relative to the output) that differ, or exist on one side only."""
    found: list[str] = []

    def walk(comparison: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in comparison.left_only + comparison.right_only)
        found.extend(prefix + name for name in comparison.diff_files + comparison.funny_files)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    filecmp.clear_cache()
    walk(filecmp.dircmp(left, right, ignore=[]), "")
    # dircmp compares by stat signature first; compare the contents of what it called equal as well
    for path in sorted(left.rglob("*")):
        other = right / path.relative_to(left)
        if path.is_file() and other.is_file() and path.read_bytes() != other.read_bytes():
            found.append(str(path.relative_to(left)))
    return sorted(set(found))


def alternated(pair: tuple[Tree, Tree], runs: int) -> dict[str, dict[str, list[float]]]:
    """{kind: {label: times}}, each run building both trees, in A B then B A order."""
    times = {kind: {tree.label: [] for tree in pair} for kind in KINDS}
    for tree in pair:  # fill each per-user cache (runtime, engine bundle, font widths) first
        tree.build("cold")
    for kind in KINDS:
        for run in range(runs):
            for tree in (pair if run % 2 == 0 else pair[::-1]):
                times[kind][tree.label].append(tree.build(kind))
    return times


def report(name: str, pair: tuple[Tree, Tree], times, charts: int) -> list[str]:
    base, head = (tree.label for tree in pair)
    lines = []
    for kind in KINDS:
        a, b = median(times[kind][base]), median(times[kind][head])
        lines.append(f"| {name} | {kind} | {a * 1000:,.0f} ms | {b * 1000:,.0f} ms | {b / a:.2f} |")
    a, b = ((median(times["cold"][label]) - median(times["cached"][label])) / charts for label in (base, head))
    lines.append(f"| {name} | per chart, (cold - cached) / {charts} charts | {a * 1000:,.0f} ms | {b * 1000:,.0f} ms "
                 f"| {b / a:.2f} |")
    changed = differences(pair[0].work / "_site", pair[1].work / "_site")
    verdict = "identical" if not changed else f"{len(changed)} files differ: {', '.join(changed[:8])}"
    lines.append(f"| {name} | output (`_site/`, byte for byte) | | | {verdict} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description="Alternated timing of this tree against a revision")
    parser.add_argument("revision", help="a git revision to compare against (a commit, a tag, HEAD~3)")
    parser.add_argument("other", nargs="?", help="a second revision instead of this working tree")
    parser.add_argument("--runs", type=int, default=5, help="builds of each kind per tree (median)")
    parser.add_argument("--quick", action="store_true", help="1 run each, a 4-story generated site")
    parser.add_argument("--workdir", type=Path, default=REPO / ".bench-work")
    parser.add_argument("--sites", default="default,large",
                        help="which sites, comma-separated (an old revision may not build today's content/)")
    args = parser.parse_args()
    runs = 1 if args.quick else args.runs
    stories, rows = (4, 20_000) if args.quick else (25, 100_000)
    args.workdir.mkdir(parents=True, exist_ok=True)
    head_label = args.other or "this tree"
    lines = [f"| site | build | {args.revision} | {head_label} | ratio |", "| --- | --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory(prefix="compare-", dir=args.workdir) as scratch_name:
        scratch = Path(scratch_name)
        base_source = archived(args.revision, scratch / "base-source")
        head_source = archived(args.other, scratch / "head-source") if args.other else REPO
        large = scratch / "large-content"
        counts = largesite.generate(large, stories=stories, big_rows=rows, big_every=5 if stories >= 10 else 2)
        sites = {"default": (REPO / "content", len(list((REPO / "content").glob("*/charts/*")))),
                 "large": (large, counts["charts"])}
        for name in args.sites.split(","):
            content, charts = sites[name]
            pair = (Tree(args.revision, base_source, scratch / name / "base", content),
                    Tree(head_label, head_source, scratch / name / "head", content))
            lines += report(name, pair, alternated(pair, runs), charts)
            print(f"{name} site done", file=sys.stderr)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
