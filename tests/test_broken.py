"""Every folder of tests/broken/ is a site with one mistake; the build must name it exactly.

Each case also proves the house rule: exit 1, no traceback, and the previous output left
byte for byte as it was. The cases run the CLI's entry point in this process (an interpreter start
and the engine's imports per case were most of this module's time); a few also run as a real
process, for the contract a user sees: `python build.py` exits 1 with the same words.

The in-process cases compile with `--jobs 1`: from a test process, which runs threads, a pool of
chart workers starts through the fork server (Altair imported, a Vega engine per worker, the chart
runtime bundled again under `--no-cache`), about 4 s a case for a build that then fails; the real
processes keep the default pool, and diagnostics do not depend on `--jobs`.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import SITE_SRC, run_cli, run_cli_in_process, snapshot_of

CASES = sorted(p for p in (Path(__file__).parent / "broken").iterdir() if (p / "expected.txt").is_file())
# As a real process too: a chart module that raises, one that does not parse, and a --strict case.
PROCESS_CASES = [c for c in CASES if c.name in ("chart-raises", "chart-syntax-error", "bare-number-strict")]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_input_is_reported_and_nothing_is_written(case: Path, tmp_path: Path):
    _check_broken_case(case, tmp_path, run_cli_in_process)


@pytest.mark.parametrize("case", PROCESS_CASES, ids=[c.name for c in PROCESS_CASES])
def test_broken_input_as_a_real_process(case: Path, tmp_path: Path):
    _check_broken_case(case, tmp_path, run_cli)


def _check_broken_case(case: Path, tmp_path: Path, run) -> None:
    shutil.copytree(case / "content", tmp_path / "content", symlinks=True)  # a link out stays a link
    previous = tmp_path / "_site"
    previous.mkdir()
    (previous / ".broadsheet-output").write_text("marker\n")
    (previous / "index.html").write_text("<p>the previous, good site</p>\n")
    before = snapshot_of(previous)
    extra = (case / "args.txt").read_text().split() if (case / "args.txt").is_file() else []

    result = run("build", "--site-src", str(SITE_SRC), "--no-cache", "--jobs", "1", *extra, cwd=tmp_path)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr == (case / "expected.txt").read_text()
    assert snapshot_of(previous) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site", "content"]  # no half-written folder left


def test_there_are_enough_broken_cases():
    assert len(CASES) >= 8
    assert len(PROCESS_CASES) == 3
