"""The build's one cache: the project folder, the user's for what no project changes, and a null twin."""
from pathlib import Path

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
