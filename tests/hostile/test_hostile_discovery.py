"""A story never vanishes in silence: an index.md under another name, a folder with a story's
parts but no index.md, a part under a name the build does not read, a file or folder that cannot
be read, a named pipe where a file should be. Each is an error with the fix in its hint, with
--strict or without, in bounded time, and the previous site stays byte for byte."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from helpers import snapshot_of
from hostile_support import build_args, can_drop_capabilities, cli, copy_site, staging_left

STORY = Path("content/demo")


def built(tmp_path: Path) -> dict[str, bytes]:
    copy_site(tmp_path)
    result, _ = cli(*build_args(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return snapshot_of(tmp_path / "_site")


def rebuilt_fails(tmp_path: Path, before: dict[str, bytes], expected: list[str], *extra: str,
                  as_plain_user: bool = False, only: bool = True) -> None:
    """The build fails with the `expected` error and hint (and no other error, when `only`)."""
    for strict in ((), ("--strict",)):
        result, seconds = cli(*build_args(*extra, *strict), cwd=tmp_path, timeout=120, as_plain_user=as_plain_user)
        assert result.returncode == 1 and result.stdout == "" and "Traceback" not in result.stderr
        lines = result.stderr.splitlines()
        errors = [pair for n, line in enumerate(lines) if ": error[" in line and not strict
                  for pair in (line, lines[n + 1])]  # each error and its hint (with --strict warnings are errors)
        assert expected[0] in lines and lines[lines.index(expected[0]) + 1] == expected[1], result.stderr
        assert strict or not only or errors == expected, result.stderr
        assert lines[-1].endswith("(nothing was written)")
        assert snapshot_of(tmp_path / "_site") == before and staging_left(tmp_path) == []


@pytest.mark.parametrize("name", ["Index.md", "index.markdown", "INDEX.MD", "index.md.txt", "index"])
def test_an_index_under_another_name_is_an_error(tmp_path: Path, name):
    before = built(tmp_path)
    (tmp_path / STORY / "index.md").rename(tmp_path / STORY / name)
    rebuilt_fails(tmp_path, before, [
        f"content/demo/{name}: error[story-no-index]: folder 'demo' has no index.md, only '{name}'",
        f"  hint: rename it to index.md (exactly: lowercase, .md): `mv 'content/demo/{name}' 'content/demo/index.md'`"])


def test_a_folder_with_a_storys_parts_but_no_index_is_an_error(tmp_path: Path):
    before = built(tmp_path)
    draft = tmp_path / "content" / "brouillon"
    shutil.copytree(tmp_path / STORY / "sections", draft / "sections")
    shutil.copy(tmp_path / STORY / "facts.yaml", draft / "facts.yaml")
    rebuilt_fails(tmp_path, before, [
        "content/brouillon: error[story-no-index]: folder 'brouillon' looks like a story (sections/, facts.yaml) but "
        "has no index.md",
        "  hint: add content/brouillon/index.md with its front matter (title, published), or start the folder's name "
        "with _ to keep it out of the site"])


def test_a_folder_starting_with_underscore_is_left_out_on_purpose(tmp_path: Path):
    built(tmp_path)
    shutil.copytree(tmp_path / STORY / "sections", tmp_path / "content" / "_brouillon" / "sections")
    result, _ = cli(*build_args("--strict"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("wrong, right", [("sections", "section"), ("facts.yaml", "facts.yml"), ("charts", "Charts")])
def test_a_part_under_a_name_the_build_does_not_read_is_an_error(tmp_path: Path, wrong, right):
    before = built(tmp_path)
    (tmp_path / STORY / wrong).rename(tmp_path / STORY / right)
    rebuilt_fails(tmp_path, before, [
        f"content/demo/{right}: error[story-layout]: '{right}' is not read: did you mean '{wrong}'?",
        f"  hint: rename it to {wrong} (a story reads exactly index.md, sections, facts.yaml, data, charts, media)"],
        only=False)  # what the story then misses (its facts, its charts) is said too


@pytest.mark.parametrize("part, kind", [("sections", "folder"), ("sections/01-salaires.md", "file"),
                                        ("facts.yaml", "file"), ("index.md", "file"), ("data", "folder")])
def test_what_cannot_be_read_is_an_error_not_an_empty_story(tmp_path: Path, part, kind):
    if not can_drop_capabilities():
        pytest.skip("cannot run as a user that file modes apply to")
    before = built(tmp_path)
    target = tmp_path / STORY / part
    target.chmod(0o000)
    try:
        if part == "index.md":  # no index.md that can be read: the folder is not a story, and says so
            expected = ["content/demo/index.md: error[file-unreadable]: cannot read file 'content/demo/index.md': "
                        "Permission denied"]
        else:
            expected = [f"content/demo/{part}: error[file-unreadable]: cannot read {kind} 'content/demo/{part}': "
                        "Permission denied"]
        expected.append("  hint: give this user read access (e.g. `chmod -R u+rX` on the story folder), or remove it")
        rebuilt_fails(tmp_path, before, expected, as_plain_user=True)
    finally:
        target.chmod(0o755 if kind == "folder" else 0o644)


def test_an_unreadable_site_yaml_is_an_error(tmp_path: Path):
    if not can_drop_capabilities():
        pytest.skip("cannot run as a user that file modes apply to")
    before = built(tmp_path)
    (tmp_path / "content" / "site.yaml").chmod(0o000)
    try:
        rebuilt_fails(tmp_path, before, [
            "content/site.yaml: error[file-unreadable]: cannot read file 'content/site.yaml': Permission denied",
            "  hint: give this user read access (e.g. `chmod -R u+rX` on the story folder), or remove it"],
            as_plain_user=True)
    finally:
        (tmp_path / "content" / "site.yaml").chmod(0o644)


@pytest.mark.parametrize("part", ["facts.yaml", "sections/01-salaires.md", "index.md"])
def test_a_named_pipe_is_an_error_and_never_waited_on(tmp_path: Path, part):
    before = built(tmp_path)
    target = tmp_path / STORY / part
    target.unlink()
    os.mkfifo(target)
    if part == "index.md":
        expected = ["content/demo/index.md: error[story-no-index]: 'content/demo/index.md' is not a readable file",
                    "  hint: a story's index.md must be a plain Markdown file with its front matter"]
    else:
        expected = [f"content/demo/{part}: error[file-unreadable]: 'content/demo/{part}' cannot be read: "
                    "it is not a regular file (a pipe, a socket or a device)",
                    "  hint: replace it with an ordinary file"]
    rebuilt_fails(tmp_path, before, expected)
