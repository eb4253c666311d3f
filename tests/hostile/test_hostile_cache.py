"""A damaged cache, or one this build must not use: the build says so and goes on, and the site is
byte-identical to one built from a sound cache (so no altered chart, picture, card, page or chart
runtime is published), exit 0 even under --strict, no traceback, in bounded time, no process left.

One warm project (the basic fixture, built once with its project and user caches inside the
work folder) is copied for each case."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import snapshot_of
from hostile_support import build_args, can_drop_capabilities, cli, copy_site, tmpfs

TIMEOUT = 180  # a build compiles 3 charts; a cold one on the busy 2-core machine takes up to 20 s
CORRUPT = ("warning[cache-corrupt]: a cache entry was damaged (its bytes do not match the hash it was written "
           "with): not used, made again\n  hint: nothing to do: the entry is replaced; if this happens again, "
           "check the disk\n")
UNUSABLE_HINT = ("  hint: charts and pages are made afresh (slower, the same site): give the folder to this user "
                 "(`chown -R`) or delete it, or build with --no-cache\n")
USER_CACHE = "user-cache"


def _env(work: Path) -> dict:
    return {"BROADSHEET_USER_CACHE": str(work / USER_CACHE)}


@pytest.fixture(scope="module")
def warm(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    """A project built once: its caches full; (the folder, the site it built)."""
    work = copy_site(tmp_path_factory.mktemp("warm"))
    result, _ = cli(*build_args(), cwd=work, env=_env(work), timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    return work, snapshot_of(work / "_site")


def _copy(warm, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(warm[0], work, symlinks=True)
    return work


def _entries(work: Path, namespace: str) -> list[Path]:
    root = work / USER_CACHE if namespace in ("runtime", "engine") else work / ".cache" / "broadsheet"
    found = sorted(p for p in (root / namespace).rglob("*.sealed"))
    assert found, f"the warm build kept nothing in {namespace}"
    return found


def _damage(path: Path, how: str) -> None:
    sealed = bytearray(path.read_bytes())
    if how == "flip":  # one bit of the content, where a picture's pixels or a chart's SVG would be
        sealed[len(sealed) * 3 // 4] ^= 0x01
    elif how == "cut":  # a copy or a disk that stopped mid-file
        del sealed[len(sealed) // 2:]
    elif how == "empty":
        sealed = bytearray()
    elif how == "reseal-lie":  # the content changed and the seal left as it was: a hand, not a disk
        sealed[-1:] = b"X" if sealed[-1:] != b"X" else b"Y"
    path.write_bytes(bytes(sealed))


def _shown(work: Path, path: Path) -> str:
    return path.relative_to(work).as_posix() if work in path.parents else path.as_posix()


@pytest.mark.parametrize("namespace, how", [
    ("charts", "flip"), ("cards", "flip"), ("cards", "cut"), ("sections", "flip"), ("figures", "empty"),
    ("csv-checks", "cut"), ("chart-deps", "reseal-lie"), ("templates", "flip"), ("runtime", "flip"),
    ("listing-pages", "flip"), ("sitemaps", "cut"),
])
def test_a_damaged_entry_is_made_again_and_never_published(warm, tmp_path: Path, namespace, how):
    work = _copy(warm, tmp_path)
    damaged = _entries(work, namespace)
    for path in damaged:
        _damage(path, how)
    result, seconds = cli(*build_args("--strict"), cwd=work, env=_env(work), timeout=TIMEOUT)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    said = [p for p in sorted(damaged, key=str) if f"{_shown(work, p)}: {CORRUPT}" in result.stderr]
    if namespace in ("templates", "figures"):  # a warm build reads only the templates and figures of what it
        assert said  # renders again (the pages that list stories come whole from listing-pages)
    else:
        assert said == sorted(damaged, key=str)
    assert result.stderr == "".join(f"{_shown(work, p)}: {CORRUPT}" for p in said)
    assert snapshot_of(work / "_site") == warm[1]  # what was damaged is not on the site
    assert seconds < TIMEOUT
    from broadsheet.cache import _unsealed

    assert all(_unsealed(p.read_bytes()) is not None for p in said)  # made again, sound
    assert not [p for p in (work / ".cache").rglob(".tmp-*")]


def _unusable(work: Path, why: str) -> str:
    return f".cache/broadsheet: warning[cache-unusable]: the cache folder {why}: the build goes on without it\n" + UNUSABLE_HINT


def _build_leaving_the_cache_alone(work: Path, warm, *, as_plain_user: bool = False) -> str:
    cache = work / ".cache" / "broadsheet"
    listing = sorted((str(p), p.stat().st_mtime_ns) for p in [cache, *cache.rglob("*")])
    result, seconds = cli(*build_args("--strict"), cwd=work, env=_env(work), timeout=TIMEOUT,
                          as_plain_user=as_plain_user)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "(0 from cache)" in result.stdout  # nothing was read from it
    assert sorted((str(p), p.stat().st_mtime_ns) for p in [cache, *cache.rglob("*")]) == listing  # nor written
    assert snapshot_of(work / "_site") == warm[1]
    assert seconds < TIMEOUT
    return result.stderr


def test_a_cache_folder_of_another_user_is_neither_read_nor_written(warm, tmp_path: Path):
    if os.geteuid() != 0:
        pytest.skip("only root can give a folder to another user (tests/unit/test_cache.py injects the owner)")
    work = _copy(warm, tmp_path)
    cache = work / ".cache" / "broadsheet"
    for path in [cache, *cache.rglob("*")]:
        os.chown(path, 65534, 65534, follow_symlinks=False)
    _damage(_entries(work, "cards")[0], "reseal-lie")  # what such a user could plant is not even looked at
    stderr = _build_leaving_the_cache_alone(work, warm)
    assert stderr == _unusable(work, "belongs to another user (uid 65534), whose entries this build does not trust")


@pytest.mark.parametrize("mode, why", [(0o000, "cannot be read by this user"), (0o555, "cannot be written by this user"),
                                       (0o311, "cannot be read by this user")])
def test_a_cache_folder_this_user_cannot_use_is_left_alone(warm, tmp_path: Path, mode, why):
    if not can_drop_capabilities():
        pytest.skip("cannot run as a user that file modes apply to")
    work = _copy(warm, tmp_path)
    cache = work / ".cache" / "broadsheet"
    os.chmod(cache, mode)
    try:
        stderr = _build_leaving_the_cache_alone(work, warm, as_plain_user=True)
    finally:
        os.chmod(cache, 0o755)
    assert stderr == _unusable(work, why)


def test_a_file_where_the_cache_folder_should_be(warm, tmp_path: Path):
    work = _copy(warm, tmp_path)
    shutil.rmtree(work / ".cache")
    (work / ".cache").write_text("not a folder\n")
    result, _ = cli(*build_args("--strict"), cwd=work, env=_env(work), timeout=TIMEOUT)
    assert result.returncode == 0, result.stderr
    assert result.stderr == _unusable(work, "cannot be made: a file stands where a folder of its path should be")
    assert (work / ".cache").read_text() == "not a folder\n"
    assert snapshot_of(work / "_site") == warm[1]


def test_a_full_cache_disk_is_said_once_and_leaves_no_half_entry(warm, tmp_path: Path):
    work = _copy(warm, tmp_path)
    shutil.rmtree(work / ".cache")
    with tmpfs(work / ".cache" / "broadsheet", "12k") as cache:
        result, seconds = cli(*build_args("--strict"), cwd=work, env=_env(work), timeout=TIMEOUT)
        left = [p.name for p in cache.rglob(".tmp-*")]
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert result.stderr == (".cache/broadsheet: warning[cache-unusable]: the cache folder cannot be written (No space "
                             "left on device): the build goes on without keeping what it makes\n" + UNUSABLE_HINT)
    assert left == []
    assert snapshot_of(work / "_site") == warm[1]
    assert seconds < TIMEOUT
