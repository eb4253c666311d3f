"""When sharding pays off: a generated archive built whole on one machine, then as N shards and
one assembly (each in a fresh process with its own empty cache, as a fresh CI runner has).

    python bench/shards.py [--stories 400] [--shards 4]

The shards run one after the other here (one machine); on N runners they run at once, so the
wall time sharding gives is the slowest shard plus the assembly, plus each runner's own setup
(checkout, install, artifact transfer), which this machine cannot measure. CPU seconds are those
of every process of the build.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import archive  # noqa: E402
import run  # noqa: E402


def measure(scratch: Path, stories: int, shards: int) -> dict:
    work = scratch / "work"
    archive.generate(work / "content", stories)
    env = run.build_env(scratch / "user-cache")

    def fresh(*args: str) -> float:  # an empty project cache and user cache: a new runner
        shutil.rmtree(work / ".cache", ignore_errors=True)
        shutil.rmtree(scratch / "user-cache", ignore_errors=True)
        seconds, _, _ = run.build(work, env, *args)
        return seconds

    whole = fresh("--out", "whole")
    parts = [f"parts/{n}" for n in range(1, shards + 1)]
    each = [fresh("--shard", f"{n}/{shards}", "--out", part) for n, part in enumerate(parts, start=1)]
    assemble = fresh("--assemble", *parts, "--out", "site")
    same = _snapshot(work / "whole") == _snapshot(work / "site")
    return {"stories": stories, "charts": 2 * (stories // 20), "shards": shards, "whole": whole, "each": each,
            "assemble": assemble, "identical": same}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=400)
    parser.add_argument("--shards", type=int, default=4)
    arguments = parser.parse_args()
    (run.REPO / ".bench-work").mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shards-", dir=run.REPO / ".bench-work") as scratch:
        figures = measure(Path(scratch), arguments.stories, arguments.shards)
    each = figures["each"]
    print(f"| {figures['stories']} stories, {figures['charts']} charts, load {os.getloadavg()[0]:.1f} | seconds |")
    print("| --- | --- |")
    print(f"| one build, from nothing | {figures['whole']:.1f} |")
    print(f"| {figures['shards']} shards, from nothing: slowest / sum | {max(each):.1f} / {sum(each):.1f} |")
    print(f"| assembly (parts to site) | {figures['assemble']:.1f} |")
    print(f"| N runners: slowest shard + assembly | {max(each) + figures['assemble']:.1f} |")
    print(f"| assembled site identical to the one build's | {figures['identical']} |")
