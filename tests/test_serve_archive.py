"""`serve` on an archive takes the path `build` takes: it builds into a preview folder in the
project cache, so a rebuild, and a new start of the preview, keep every story that did not change
as it is (not read, not rendered) and serve it from disk."""
from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from helpers import REPO, SITE_SRC
from test_archive import generated


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(work: Path, port: int) -> subprocess.Popen:
    """`serve` in `work`; its output lines go to `process.lines` (read by a thread: a wait has a limit)."""
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port),
                                "--site-src", str(SITE_SRC)], cwd=work, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               env={**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"})
    process.lines = queue.Queue()
    threading.Thread(target=lambda: [process.lines.put(line) for line in process.stdout], daemon=True).start()
    wait_for(process, "Serving")
    return process


def wait_for(process: subprocess.Popen, word: str, seconds: float = 120) -> str:
    deadline, seen = time.monotonic() + seconds, []
    while time.monotonic() < deadline:
        try:
            line = process.lines.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        if word in line:
            return line
    raise AssertionError(f"no '{word}' in {seen}")


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)
    output = "".join(iter(lambda: process.lines.get(timeout=5), "Stopped.\n")) if process.returncode == 0 else ""
    assert process.returncode == 0 and "Traceback" not in output, output
    return output


def page(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=30) as answer:
        return answer.read().decode("utf-8")


def test_serve_keeps_unchanged_stories_across_rebuilds_and_restarts(tmp_path: Path):
    work = generated(tmp_path / "work", stories=6)
    preview = work / ".cache" / "broadsheet" / "preview"
    port = free_port()
    process = start(work, port)
    try:
        assert "Partie 2" in page(port, "article-00003/")
        kept = preview / "article-00005" / "index.html"
        inode = kept.stat().st_ino
        section = work / "content" / "article-00003" / "sections" / "02-partie.md"
        section.write_text(section.read_text().replace("Partie 2", "Deuxième partie"), encoding="utf-8")
        wait_for(process, "Rebuilt")
        assert "Deuxième partie" in page(port, "article-00003/")
        assert kept.stat().st_ino == inode  # the other story's page: the same file, kept
        assert "Article 5" in page(port, "article-00005/")
    finally:
        stop(process)
    process = start(work, port)  # a new start from a warm cache: every story kept
    try:
        assert kept.stat().st_ino == inode and "Deuxième partie" in page(port, "article-00003/")
    finally:
        stop(process)


def _preview_build(work: Path, watched):
    from broadsheet.output import DirWriter
    from broadsheet.pipeline import BuildOptions, build as run_build

    options = BuildOptions(project=work, content=work / "content", site_src=SITE_SRC, out=work / "preview",
                           reuse=True, drafts=True, watched=watched)
    result = run_build(options, DirWriter(options.out))
    watched.built()
    return result


def _add_sentence(work: Path, number: int) -> Path:
    section = work / "content" / f"article-{number:05d}" / "sections" / "02-partie.md"
    section.write_text(section.read_text() + f"\nUne phrase de plus, {number}.\n", encoding="utf-8")
    return section


def test_a_preview_rebuild_looks_only_at_the_folders_its_watcher_saw_change(tmp_path: Path, monkeypatch):
    """The preview's rebuild trusts its watcher: a folder it saw unchanged is neither walked nor
    read (here one is changed behind its back, to show it); its first build, and a build after an
    edit outside the story folders, look at every folder."""
    from broadsheet import manifest, story as story_module

    work = generated(tmp_path / "work", stories=6)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    started: list[str] = []
    original = story_module.start_story
    monkeypatch.setattr(story_module, "start_story", lambda folder, ctx: started.append(folder.name)
                        or original(folder, ctx))
    watched = manifest.Watched(work / "content")
    _preview_build(work, watched)
    assert len(started) == 6 and watched.changed == set()
    started.clear()
    seen = _add_sentence(work, 2)
    _add_sentence(work, 4)  # the watcher is not told: trusted, so not looked at
    watched.saw({str(seen)})
    assert watched.changed == {"article-00002"}
    _preview_build(work, watched)
    assert started == ["article-00002"]
    assert "Une phrase de plus, 2." in (work / "preview" / "article-00002" / "index.html").read_text()
    assert "Une phrase de plus, 4." not in (work / "preview" / "article-00004" / "index.html").read_text()
    started.clear()
    watched.saw({str(work / "content" / "site.yaml")})  # outside the story folders: every folder looked at
    assert watched.changed is None
    _preview_build(work, watched)
    assert started == ["article-00004"]
    started.clear()
    _preview_build(work, manifest.Watched(work / "content"))  # a new preview: every folder looked at
    assert started == []


def test_what_the_watcher_saw_waits_for_a_good_build(tmp_path: Path):
    """A failed rebuild keeps what its watcher saw: the next build looks at those folders again."""
    from broadsheet import manifest

    content = tmp_path / "content"
    (content / "a" / "sections").mkdir(parents=True)
    watched = manifest.Watched(content)
    watched.saw({str(content / "a" / "index.md")})
    assert watched.changed is None  # nothing known before a first good build
    watched.built()
    watched.saw({str(content / "a" / "sections" / "01.md")})
    watched.saw({str(content / "b")})  # a folder made (or removed)
    assert watched.changed == {"a", "b"}
    watched.built()
    assert watched.changed == set()
    watched.saw({str(tmp_path / "site_src" / "templates" / "base.html")})
    assert watched.changed is None
