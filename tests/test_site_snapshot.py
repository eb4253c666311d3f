"""The fixture site tests/sites/basic, built whole and compared with its committed snapshot.

The snapshot keeps the HTML pages in full (readable diffs) and a manifest of every file's
size and SHA-256. Regenerate on purpose: `pytest tests/test_site_snapshot.py --update-snapshots`.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from helpers import SITE_SRC, run_cli, snapshot_of

FIXTURE = Path(__file__).parent / "sites" / "basic"
EXPECTED = FIXTURE / "expected"


def _manifest(files: dict[str, bytes]) -> str:
    return "".join(f"{hashlib.sha256(content).hexdigest()}  {len(content):>8}  {path}\n"
                   for path, content in sorted(files.items()))


def _build(workdir: Path, *extra: str) -> dict[str, bytes]:
    result = run_cli("build", "--site-src", str(SITE_SRC), "--out", "_site", *extra, cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return snapshot_of(workdir / "_site")


def test_fixture_site_matches_snapshot(tmp_path: Path, update_snapshots: bool):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    files = _build(tmp_path)
    pages = {path: content for path, content in files.items() if path.endswith(".html")}
    if update_snapshots:
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for path, content in pages.items():
            (EXPECTED / path).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED / path).write_bytes(content)
        (EXPECTED / "MANIFEST.txt").write_text(_manifest(files))
    for path, content in pages.items():
        assert content.decode() == (EXPECTED / path).read_text(), f"{path} differs from the snapshot"
    assert _manifest(files) == (EXPECTED / "MANIFEST.txt").read_text()


def test_two_builds_are_byte_identical_cold_and_cached(tmp_path: Path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    cold = _build(tmp_path, "--no-cache")
    first = _build(tmp_path)  # fills the cache
    cached = _build(tmp_path)  # served from it
    assert cold == first == cached


def test_cached_build_compiles_no_chart(tmp_path: Path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    _build(tmp_path)
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert "3 charts (3 from cache)" in result.stdout


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    good = _build(tmp_path)
    section = tmp_path / "content" / "demo" / "sections" / "01-salaires.md"
    section.write_text(section.read_text() + "\n{fact:nope}\n")
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 1
    assert "error[fact-unknown]" in result.stderr
    assert snapshot_of(tmp_path / "_site") == good


def test_dates_shown_honour_source_date_epoch(tmp_path: Path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert '<time datetime="2023-11-14">14\u00a0novembre 2023</time>' in (tmp_path / "_site" / "index.html").read_text()
    run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1735689600"})
    assert '<time datetime="2025-01-01">1<sup class="ordinal">er</sup>\u00a0janvier 2025</time>' in (tmp_path / "_site" / "index.html").read_text()


def test_no_asset_is_loaded_from_another_host(tmp_path: Path):
    import re
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    files = _build(tmp_path)
    for path, content in files.items():
        if path.endswith(".html"):
            text = content.decode()
            loads = re.sub(r'<link rel="(?:canonical|alternate)"[^>]*>', "", text)  # links, not loads
            assert not re.search(r'<(?:script|img|link|iframe|source)[^>]+(?:src|href)="(?:https?:)?//', loads), path
            assert "vega.github.io" not in text and "cdn." not in text, path


def test_parallel_and_serial_builds_are_byte_identical(tmp_path: Path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    serial = run_cli("build", "--site-src", str(SITE_SRC), "--no-cache", "--jobs", "1", "--out", "_serial", cwd=tmp_path)
    parallel = run_cli("build", "--site-src", str(SITE_SRC), "--no-cache", "--jobs", "2", "--out", "_parallel",
                       cwd=tmp_path)
    assert serial.returncode == parallel.returncode == 0, serial.stderr + parallel.stderr
    assert snapshot_of(tmp_path / "_serial") == snapshot_of(tmp_path / "_parallel")


def test_card_drawn_with_its_lead_chart_or_on_its_own_is_the_same(tmp_path: Path):
    """A cold build draws a story's link-preview card in the worker that draws the lead chart;
    a build whose charts come from the cache draws it by itself: the same PNG either way."""
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    with_chart = _build(tmp_path)
    shutil.rmtree(tmp_path / ".cache" / "broadsheet" / "cards")
    on_its_own = _build(tmp_path)
    assert any(path.endswith(".png") for path in with_chart)
    assert with_chart == on_its_own
