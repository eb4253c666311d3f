from pathlib import Path

from broadsheet.model import OutputFile
from broadsheet.output import DirWriter, MemoryWriter, content_name, unsafe_output_reason


def test_dir_writer_replaces_the_whole_site(tmp_path: Path):
    out = tmp_path / "_site"
    DirWriter(out).write([OutputFile("a.html", b"1"), OutputFile("x/b.css", b"2")])
    DirWriter(out).write([OutputFile("a.html", b"3")])
    assert sorted(p.name for p in out.rglob("*")) == [".broadsheet-output", "a.html"]
    assert (out / "a.html").read_bytes() == b"3"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]  # no staging folder left


def test_memory_writer_keeps_files():
    writer = MemoryWriter()
    writer.write([OutputFile("a", b"1")])
    assert writer.files == {"a": b"1"}


def test_content_name_changes_with_content():
    assert content_name("assets/site.css", b"a") != content_name("assets/site.css", b"b")
    assert content_name("assets/site.css", b"a").startswith("assets/site.")


def test_dangerous_output_folders_are_refused(tmp_path: Path):
    content = tmp_path / "content"
    content.mkdir()
    assert unsafe_output_reason(tmp_path, content, tmp_path)
    assert unsafe_output_reason(content, content, tmp_path)
    assert unsafe_output_reason(Path("/"), content, tmp_path)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "thesis.tex").write_text("x")
    assert "did not write" in unsafe_output_reason(tmp_path / "docs", content, tmp_path)
    assert unsafe_output_reason(tmp_path / "_site", content, tmp_path) == ""


def test_a_build_that_changes_nothing_leaves_the_site_untouched(tmp_path: Path):
    out = tmp_path / "_site"
    files = [OutputFile("a.html", b"1"), OutputFile("x/y/b.css", b"2")]
    DirWriter(out).write(files)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    inode = out.stat().st_ino
    DirWriter(out).write(files)
    assert out.stat().st_ino == inode and {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before
    (out / "x" / "extra.txt").write_text("left by hand")  # anything else there: the site is written again
    DirWriter(out).write(files)
    assert not (out / "x" / "extra.txt").exists() and (out / "x" / "y" / "b.css").read_bytes() == b"2"
    (out / "a.html").write_bytes(b"9")
    DirWriter(out).write(files)
    assert (out / "a.html").read_bytes() == b"1"
    (out / "empty").mkdir()
    DirWriter(out).write(files)
    assert not (out / "empty").exists()


def test_a_stored_file_is_read_when_written_and_a_vanished_one_stops_the_write(tmp_path: Path):
    """A card kept in the cache (StoredFile) is read only when the site is written; when its cache
    entry went missing meanwhile, the write stops with a diagnostic and the previous site stays."""
    import pytest

    from broadsheet.diagnostics import BuildFailed
    from broadsheet.model import StoredFile

    out = tmp_path / "_site"
    reads = []
    card = StoredFile("a/card.png", 3, lambda: reads.append(1) or b"PNG")
    assert reads == []
    DirWriter(out).write([OutputFile("a/index.html", b"<p>a</p>"), card])
    assert (out / "a" / "card.png").read_bytes() == b"PNG" and reads
    gone = StoredFile("a/card.png", 3, lambda: None)
    with pytest.raises(BuildFailed) as failed:
        DirWriter(out).write([OutputFile("a/index.html", b"<p>b</p>"), gone])
    assert failed.value.diagnostics[0].code == "output-write"
    assert (out / "a" / "index.html").read_bytes() == b"<p>a</p>"  # the previous site, as it was


def test_a_packed_page_gives_back_its_bytes_and_a_scan_reads_one_file_at_a_time():
    """Pages are held compressed from render to write (PackedFile); `Contents` reads each file's
    bytes only when asked, so scanning every page never holds them all."""
    from broadsheet.model import Contents, PackedFile, StoredFile

    page = "<html><body>" + "<p id='x'>Une phrase.</p>" * 500 + "</body></html>"
    packed = PackedFile("a/index.html", page.encode())
    assert packed.content == page.encode() and packed.size == len(page.encode())
    assert len(packed.packed) < len(page) / 5
    reads = []
    stored = StoredFile("b/index.html", 3, lambda: reads.append(1) or b"abc")
    contents = Contents([packed, stored])
    assert "b/index.html" in contents and len(contents) == 2 and reads == []
    assert contents["b/index.html"] == b"abc" and reads == [1]
    assert dict(contents.items())["a/index.html"] == page.encode()
