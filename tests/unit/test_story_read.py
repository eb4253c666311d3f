"""story's file reading: a file that cannot be read is a diagnostic, never a traceback. As root,
chmod does not stop reads, so the refusals are injected."""
from __future__ import annotations

from pathlib import Path

from broadsheet import story


def test_permission_denied_is_file_unreadable(tmp_path: Path, monkeypatch):
    path = tmp_path / "facts.yaml"
    path.write_text("facts: {}\n")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    problems: list = []
    assert story._read(path, "content/demo/facts.yaml", problems) is None
    assert [p.render() for p in problems] == [
        "content/demo/facts.yaml: error[file-unreadable]: 'content/demo/facts.yaml' cannot be read: permission denied\n"
        "  hint: check the file's permissions (it must be readable by whoever builds the site)"]


def test_io_error_while_reading(tmp_path: Path, monkeypatch):
    path = tmp_path / "01.md"
    path.write_text("x\n")
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(OSError(5, "Input/output error")))
    problems: list = []
    assert story._read(path, "s/01.md", problems) is None
    assert problems[0].code == "file-unreadable" and problems[0].message.endswith("input/output error")


def test_files_reports_loops_names_and_pipes(tmp_path: Path):
    import os
    sections = tmp_path / "demo" / "sections"
    sections.mkdir(parents=True)
    (sections / "01-a.md").write_text("x\n")
    os.symlink("03-c.md", sections / "02-b.md")
    os.symlink("02-b.md", sections / "03-c.md")
    os.mkfifo(sections / "04-d.md")
    (sections / "05-e.md").mkdir()
    os.symlink("nowhere.md", sections / "06-f.md")
    with open(os.path.join(os.fsencode(sections), b"07-\xff.md"), "w") as handle:
        handle.write("x\n")
    problems: list = []
    found = story._files(sections, tmp_path / "demo", "*.md", lambda p: p.relative_to(tmp_path).as_posix(), problems)
    assert [p.name for p in found] == ["01-a.md"]
    assert sorted(p.message for p in problems) == [
        "'demo/sections/02-b.md' cannot be read: it is a link that leads back to itself (a loop)",
        "'demo/sections/03-c.md' cannot be read: it is a link that leads back to itself (a loop)",
        "'demo/sections/04-d.md' cannot be read: it is not a regular file (a pipe, a socket or a device)",
        "'demo/sections/05-e.md' cannot be read: it is a folder, not a file",
        "'demo/sections/06-f.md' cannot be read: it is a link to a file that does not exist",
        "'demo/sections/07-\ufffd.md' cannot be read: its name is not UTF-8",
    ]
