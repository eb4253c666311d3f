"""The chart corpora's cold build, per chart: what a chart of every kind costs to build.

    python bench/corpus.py             # 5 cold and 5 cached builds of each corpus (medians)
    python bench/corpus.py --runs 3

The corpora (tests/corpus: five view compositions x six interactions, and charts in Altair's
style; tests/charts_corpus: every data format, generator and transform) are built as sites, in a
scratch folder, the way bench/run.py builds: fresh processes, the per-user cache (chart runtime,
Vega engine, text widths) filled by a first build and kept, the project cache removed before each
cold build. Per chart is (cold - cached) / charts, the figure bench/run.py gives for the large
site, so the two compare. Cold and cached builds alternate (cold, cached, cold, ...) so that the
machine's load weighs on both alike.
"""
from __future__ import annotations

import argparse
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import REPO, build, build_env, median  # noqa: E402  (bench/run.py, beside this file)

CORPORA = {"views and interactions (tests/corpus)": REPO / "tests" / "corpus" / "content",
           "data formats and transforms (tests/charts_corpus)": REPO / "tests" / "charts_corpus" / "content"}


def prepare(content: Path, work: Path) -> int:
    """The corpus copied into `work/content` (with its optional charts whose module is installed);
    the number of charts it places."""
    shutil.copytree(content, work / "content")
    optional = content.parent / "optional"
    for path in sorted(optional.glob("*.py")) if optional.is_dir() else []:
        if importlib.util.find_spec(path.stem.split("_")[0]):
            shutil.copy(path, work / "content" / "corpus" / "charts" / path.name)
            section = work / "content" / "corpus" / "sections" / "01-charts.md"
            section.write_text(section.read_text() + "\n{chart:%s}\n" % path.stem)
    return sum(1 for p in (work / "content").glob("*/charts/*") if p.name.endswith((".py", ".vl.json")))


def measure(work: Path, runs: int) -> tuple[list[float], list[float]]:
    """(cold seconds, cached seconds), alternated."""
    env = build_env(work / "user-cache")
    build(work, env)  # fills the per-user cache, as on a machine where Broadsheet has built once
    cold, cached = [], []
    for _ in range(runs):
        shutil.rmtree(work / ".cache", ignore_errors=True)
        cold.append(build(work, env)[0])
        cached.append(build(work, env)[0])
    return cold, cached


def main() -> int:
    parser = argparse.ArgumentParser(description="The chart corpora's cold build per chart")
    parser.add_argument("--runs", type=int, default=5, help="cold and cached builds of each corpus (median)")
    parser.add_argument("--workdir", type=Path, default=REPO / ".bench-work")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    lines = ["| corpus | charts | cold build | cached build | per chart, (cold - cached) / charts |",
             "| --- | --- | --- | --- | --- |"]
    with tempfile.TemporaryDirectory(prefix="corpus-", dir=args.workdir) as scratch:
        for index, (name, content) in enumerate(CORPORA.items()):
            work = Path(scratch) / str(index)
            charts = prepare(content, work)
            cold, cached = measure(work, args.runs)
            per_chart = (median(cold) - median(cached)) / charts
            lines.append(f"| {name} | {charts} | {median(cold) * 1000:,.0f} ms | {median(cached) * 1000:,.0f} ms "
                         f"| {per_chart * 1000:,.0f} ms |")
            print(f"{name} done", file=sys.stderr)
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
