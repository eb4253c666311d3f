"""The build's one cache: the project folder, the user's for what no project changes, and a null twin."""
import os
from pathlib import Path

import pytest

from broadsheet.cache import USER_NAMESPACES, DiskCache, NoCache, digest, user_cache_dir


def test_an_entry_comes_back_and_a_missing_one_is_none(tmp_path: Path):
    cache = DiskCache(tmp_path / "project")
    assert cache.get("charts", digest("a")) is None
    assert not cache.holds("charts")
    assert cache.put("charts", digest("a"), b"compiled")
    assert cache.get("charts", digest("a")) == b"compiled"
    assert cache.holds("charts")
    assert not list((tmp_path / "project" / "charts").rglob(".tmp-*"))  # written whole, then renamed


def test_what_no_project_changes_goes_to_the_user_folder(tmp_path: Path):
    cache = DiskCache(tmp_path / "project", tmp_path / "user")
    assert {"runtime", "engine", "advances"} <= USER_NAMESPACES
    cache.put("runtime", digest("r"), b"js")
    cache.put("charts", digest("c"), b"{}")
    assert [p.parent.parent.name for p in (tmp_path / "user").rglob("*") if p.is_file()] == ["runtime"]
    assert [p.parent.parent.name for p in (tmp_path / "project").rglob("*") if p.is_file()] == ["charts"]
    other_project = DiskCache(tmp_path / "elsewhere", tmp_path / "user")
    assert other_project.get("runtime", digest("r")) == b"js"


def test_a_user_folder_that_cannot_be_written_falls_back_to_the_project(tmp_path: Path):
    (tmp_path / "user").write_text("a file, not a folder")
    cache = DiskCache(tmp_path / "project", tmp_path / "user")
    assert cache.put("engine", digest("e"), b"bundle")
    assert cache.get("engine", digest("e")) == b"bundle"
    assert (tmp_path / "project" / "engine").is_dir()


def test_no_cache_has_the_same_face_and_remembers_nothing():
    cache = NoCache()
    assert cache.put("charts", "k", b"x") is False
    assert cache.get("charts", "k") is None
    assert cache.holds("charts") is False
    assert cache.folder("templates") is None
    public = {name for name in dir(DiskCache) if not name.startswith("_")}
    assert public <= {name for name in dir(NoCache) if not name.startswith("_")}


def test_user_folder_is_chosen_from_the_environment(tmp_path: Path):
    assert user_cache_dir({"BROADSHEET_USER_CACHE": str(tmp_path)}) == tmp_path
    assert user_cache_dir({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "broadsheet"


def test_digest_tells_its_parts_apart():
    assert digest("ab", "c") != digest("a", "bc")
    assert digest(b"x") == digest("x")


def _entry(root: Path, namespace: str) -> Path:
    (path,) = [p for p in (root / namespace).rglob("*") if p.is_file()]
    return path


def _codes(cache: DiskCache, project: Path) -> list[tuple[str, str]]:
    return [(d.code, d.location.path) for d in cache.diagnostics(project)]


@pytest.mark.parametrize("damage", ["flip a byte", "cut short", "cut in the seal", "empty", "unsealed"])
def test_a_damaged_entry_is_not_returned_and_is_said_once(tmp_path: Path, damage):
    cache = DiskCache(tmp_path / "project" / ".cache")
    cache.put("cards", digest("k"), b"\x89PNG" + bytes(range(256)) * 4)
    path = _entry(tmp_path / "project" / ".cache", "cards")
    sealed = bytearray(path.read_bytes())
    if damage == "flip a byte":
        sealed[-10] ^= 1
    changed = {"flip a byte": bytes(sealed), "cut short": bytes(sealed[:-1]), "cut in the seal": bytes(sealed[:20]),
               "empty": b"", "unsealed": bytes(sealed[sealed.index(b"\n") + 1:])}[damage]
    path.write_bytes(changed)
    assert cache.get("cards", digest("k")) is None
    assert _codes(cache, tmp_path / "project") == [("cache-corrupt", path.relative_to(tmp_path / "project").as_posix())]
    assert cache.diagnostics(tmp_path / "project") == []  # said once
    assert cache.put("cards", digest("k"), b"again")  # made again, in place
    assert cache.get("cards", digest("k")) == b"again"
    assert cache.diagnostics(tmp_path / "project") == []


def test_a_damaged_user_entry_is_named_by_its_absolute_path(tmp_path: Path):
    cache = DiskCache(tmp_path / "project", tmp_path / "user")
    cache.put("runtime", digest("r"), b"the runtime")
    path = _entry(tmp_path / "user", "runtime")
    path.write_bytes(path.read_bytes().replace(b"runtime", b"RUNTIME"))
    assert cache.get("runtime", digest("r")) is None
    assert _codes(cache, tmp_path / "project") == [("cache-corrupt", path.as_posix())]


def test_entries_of_the_unsealed_format_are_never_read(tmp_path: Path):
    key = digest("old")
    old = tmp_path / "charts" / key[:2] / key[2:]
    old.parent.mkdir(parents=True)
    old.write_bytes(b"an entry written before entries were sealed")
    cache = DiskCache(tmp_path)
    assert cache.get("charts", key) is None
    assert cache.diagnostics(tmp_path) == []


def test_another_users_folder_is_neither_read_nor_written(tmp_path: Path, monkeypatch):
    root = tmp_path / ".cache"
    DiskCache(root).put("charts", digest("k"), b"planted")
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    if os.geteuid() == 0:
        for path in [root, *root.rglob("*")]:
            os.chown(path, 65534, 65534)
        owner = 65534
    else:  # an ordinary user cannot give a folder away: the build runs as someone else instead
        owner = os.geteuid()
        monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    cache = DiskCache(root)
    assert cache.get("charts", digest("k")) is None
    assert not cache.put("charts", digest("other"), b"x")
    assert not cache.holds("charts") and cache.folder("templates") is None
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
    (problem,) = cache.diagnostics(tmp_path)
    assert (problem.code, problem.location.path) == ("cache-unusable", ".cache")
    assert problem.message == (f"the cache folder belongs to another user (uid {owner}), whose entries this build "
                               "does not trust: the build goes on without it")


@pytest.mark.parametrize("mode, why", [(0o000, "cannot be read by this user"), (0o555, "cannot be written by this user")])
def test_a_folder_this_user_cannot_use_is_left_alone(tmp_path: Path, monkeypatch, mode, why):
    root = tmp_path / ".cache"
    DiskCache(root).put("charts", digest("k"), b"kept")
    os.chmod(root, mode)
    try:
        if os.geteuid() == 0:  # root passes file modes: access() is asked as if it did not
            wanted = {0o000: os.R_OK, 0o555: os.W_OK}[mode]
            real = os.access
            monkeypatch.setattr(os, "access", lambda path, flags: not (flags & wanted) and real(path, flags))
        cache = DiskCache(root)
        assert cache.get("charts", digest("k")) is None
        assert not cache.put("charts", digest("other"), b"x")
        assert [d.message for d in cache.diagnostics(tmp_path)] == [f"the cache folder {why}: the build goes on without it"]
    finally:
        os.chmod(root, 0o755)


def test_a_write_that_fails_leaves_no_half_entry_and_is_said_once(tmp_path: Path, monkeypatch):
    import errno

    cache = DiskCache(tmp_path / ".cache")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    assert not cache.put("charts", digest("a"), b"x" * 1000)
    assert not cache.put("charts", digest("b"), b"y")  # not tried again
    assert [p for p in (tmp_path / ".cache").rglob("*") if p.is_file()] == []
    assert [d.message for d in cache.diagnostics(tmp_path)] == [
        "the cache folder cannot be written (No space left on device): the build goes on without keeping what it makes"]


def test_a_file_where_the_folder_should_be(tmp_path: Path):
    (tmp_path / ".cache").write_text("not a folder")
    cache = DiskCache(tmp_path / ".cache" / "broadsheet")
    assert cache.get("charts", digest("k")) is None and not cache.put("charts", digest("k"), b"x")
    assert [d.message for d in cache.diagnostics(tmp_path)] == [
        "the cache folder cannot be made: a file stands where a folder of its path should be: the build goes on "
        "without it"]


def test_a_worker_gets_the_verdicts_but_reports_nothing_twice(tmp_path: Path):
    import pickle

    (tmp_path / "user").write_text("a file")
    cache = DiskCache(tmp_path / "project", tmp_path / "user")
    cache.put("engine", digest("e"), b"bundle")
    copy = pickle.loads(pickle.dumps(cache))
    assert copy.diagnostics(tmp_path) == []
    assert copy.get("engine", digest("e")) == b"bundle"
    assert [d.code for d in cache.diagnostics(tmp_path)] == ["cache-unusable"]


def test_cache_warnings_are_not_errors_under_strict():
    from broadsheet.diagnostics import Diagnostic, SourceLocation, summarize

    found = Diagnostic("warning", "cache-corrupt", "m", SourceLocation(".cache/x"))
    author = Diagnostic("warning", "chart-unused", "m", SourceLocation("content/x"))
    assert not found.counts_as_error(strict=True) and author.counts_as_error(strict=True)
    assert found.render(strict=True).startswith(".cache/x: warning[cache-corrupt]")
    assert summarize([found, author], strict=True, wrote=True) == "1 error and 1 warning in 2 files"


def test_a_current_entry_holds_one_value_and_gives_it_only_for_its_key(tmp_path: Path):
    """keep_current replaces the slot's value (one file, however many keys it saw); current gives
    it back for the key it was kept for, and None for another key, no entry, or bytes that are no
    such entry (written by hand: the seal holds, the content is not ours)."""
    from broadsheet.cache import current, keep_current

    cache = DiskCache(tmp_path / "c")
    assert current(cache, "sitemaps", "slot", "k1") is None
    keep_current(cache, "sitemaps", "slot", "k1", {"sitemap.xml": "<urlset/>"})
    assert current(cache, "sitemaps", "slot", "k1") == {"sitemap.xml": "<urlset/>"}
    keep_current(cache, "sitemaps", "slot", "k2", ["autre"])
    assert current(cache, "sitemaps", "slot", "k1") is None and current(cache, "sitemaps", "slot", "k2") == ["autre"]
    assert len(list((tmp_path / "c" / "sitemaps").rglob("*.sealed"))) == 1
    for raw in (b"not json", b"[1, 2]", b'{"value": 1}'):
        cache.put("sitemaps", "slot", raw)
        assert current(cache, "sitemaps", "slot", "k2") is None
    assert current(NoCache(), "sitemaps", "slot", "k2") is None
