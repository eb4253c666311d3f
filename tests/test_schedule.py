"""The overlap tricks (schedule.py) change how fast a site is built, never what is built: a small
site of two stories, built in this process with them on and off, gives the same bytes."""
from __future__ import annotations

import shutil
from pathlib import Path

from broadsheet import pipeline
from broadsheet.output import MemoryWriter
from helpers import SITE_SRC

FIXTURE = Path(__file__).parent / "sites" / "basic" / "content"


def build(root: Path, overlap: bool, use_cache: bool) -> tuple[dict[str, bytes], int]:
    options = pipeline.BuildOptions(project=root, content=root / "content", site_src=SITE_SRC, out=root / "_site",
                                    use_cache=use_cache, jobs=2, overlap=overlap, cache_dir=root / ".cache",
                                    env={"SOURCE_DATE_EPOCH": "1700000000"})
    writer = MemoryWriter()
    result = pipeline.build(options, writer)
    return writer.files, result.charts_compiled


def test_overlap_on_and_off_build_the_same_site(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    shutil.copytree(FIXTURE / "demo", tmp_path / "content" / "autre")  # two stories: the pre-render runs
    plain, compiled = build(tmp_path, overlap=False, use_cache=False)
    overlapped, _ = build(tmp_path, overlap=True, use_cache=False)
    assert compiled == 6
    assert sorted(overlapped) == sorted(plain)
    assert [path for path in plain if overlapped[path] != plain[path]] == []
    assert any(path.endswith(".png") for path in plain)  # the cards too: drawn at plan, or with the lead chart


def test_check_runs_the_build_phases_and_writes_nothing(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    options = pipeline.BuildOptions(project=tmp_path, content=tmp_path / "content", site_src=SITE_SRC,
                                    out=tmp_path / "_site", use_cache=False, env={"SOURCE_DATE_EPOCH": "1700000000"})
    result = pipeline.check(options)
    assert (result.stories, result.charts) == (1, 3)
    assert not (tmp_path / "_site").exists()
