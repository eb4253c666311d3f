"""The output folder against what can go wrong around it: two builds at once, a full or read-only
disk, a parent this user cannot write, `--out` naming a file, an interrupted build, an export
into a folder. Each ends in bounded time with the exact diagnostic, the right exit code, the
previous site byte for byte, no staging folder or lock left, and no process left behind."""
from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from broadsheet.diagnostics import BuildFailed
from broadsheet.model import OutputFile
from broadsheet.output import DirWriter, _owner_tag
from helpers import REPO, snapshot_of
from hostile_support import (ENV, build_args, can_drop_capabilities, cli, copy_site, finish, group_gone,
                             group_members, remount, staging_left, tmpfs)

FULL_HINT = ("  hint: free some space on that disk, or choose another folder with --out; the previous site, if any, "
             "is as it was")


def built(tmp_path: Path, *extra: str) -> tuple[Path, dict[str, bytes]]:
    copy_site(tmp_path)
    result, _ = cli(*build_args(*extra), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path, snapshot_of(tmp_path / "_site")


def edit(work: Path) -> None:
    section = work / "content" / "demo" / "sections" / "01-salaires.md"
    section.write_text(section.read_text() + "\nUne phrase ajoutée.\n")


@pytest.fixture
def held_lock(tmp_path: Path):
    """The lock of tmp_path/_site, held by this test process as another build would."""
    handle = os.open(tmp_path / "._site.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(handle, fcntl.LOCK_EX)
    os.write(handle, f"{os.getpid()}\n".encode())
    yield handle
    try:
        os.close(handle)
    except OSError:
        pass


def test_a_build_waits_at_most_the_lock_wait_then_names_the_holder(tmp_path: Path):
    work, before = built(tmp_path)
    edit(work)
    handle = os.open(tmp_path / "._site.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(handle, fcntl.LOCK_EX)
    os.write(handle, f"{os.getpid()}\n".encode())
    try:
        result, seconds = cli(*build_args(), cwd=work, env={"BROADSHEET_LOCK_WAIT": "1"}, timeout=120)
    finally:
        os.close(handle)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"note: another build (pid {os.getpid()}) is writing _site/: waiting for it (at most 1 s)",
        f"_site: error[output-locked]: another build (pid {os.getpid()}) is writing this folder; waited 1 s",
        "  hint: let that build finish (or stop it), then build again; or wait longer with BROADSHEET_LOCK_WAIT=SECONDS",
        "1 error in 1 file (nothing was written)"]
    assert snapshot_of(work / "_site") == before
    assert staging_left(work) == ["._site.lock"]  # ours, still held here; the build left nothing


def test_a_build_that_waited_writes_once_the_holder_is_done(tmp_path: Path):
    work, before = built(tmp_path)
    edit(work)
    handle = os.open(tmp_path / "._site.lock", os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(handle, fcntl.LOCK_EX)
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *build_args()], cwd=work, env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    first_line = []
    reader = threading.Thread(target=lambda: first_line.append(process.stderr.readline()), daemon=True)
    reader.start()
    reader.join(timeout=120)  # the build says it waits
    assert first_line == ["note: another build is writing _site/: waiting for it (at most 60 s)\n"]
    time.sleep(0.5)
    assert snapshot_of(work / "_site") == before  # nothing while the lock is held
    os.unlink(tmp_path / "._site.lock")  # as a holder does: remove the file, then let go
    os.close(handle)
    out, err = finish(process, 120)
    assert process.returncode == 0, err
    assert err == "" and out.startswith("Built 4 pages")
    assert snapshot_of(work / "_site") != before and staging_left(work) == []
    assert group_gone(process.pid)


def test_concurrent_builds_into_one_folder_each_publish_a_whole_site(tmp_path: Path):
    copy_site(tmp_path)
    media = tmp_path / "content" / "demo" / "media"
    media.mkdir()
    for index in range(300):  # enough files that writing takes a while
        (media / f"image-{index:03}.bin").write_bytes(os.urandom(60 * 1024))
    first, _ = cli(*build_args("--out", "_expected"), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    expected = snapshot_of(tmp_path / "_expected")
    processes = [subprocess.Popen([sys.executable, str(REPO / "build.py"), *build_args()], cwd=tmp_path, env=ENV,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
                 for _ in range(3)]
    for _ in range(4):  # and while they run, more builds start and cross them
        time.sleep(0.7)
        processes.append(subprocess.Popen([sys.executable, str(REPO / "build.py"), *build_args()], cwd=tmp_path,
                                          env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          start_new_session=True))
    for process in processes:
        _, err = finish(process, 300)
        assert process.returncode == 0, err
        assert "Traceback" not in err
        assert snapshot_of(tmp_path / "_site") == expected
    assert snapshot_of(tmp_path / "_site") == expected
    assert staging_left(tmp_path) == []
    assert all(group_gone(p.pid) for p in processes)


def test_staging_folders_of_a_running_build_are_kept_and_of_a_dead_one_removed(tmp_path: Path):
    work, _ = built(tmp_path)
    edit(work)
    alive = work / f"._site.new-{_owner_tag()}-live"  # this test process stands for a build that runs
    dead = work / "._site.new-999999999.1-dead"
    legacy = work / "._site.new-k3j4h5"  # named before builds said who they were
    for folder in (alive, dead, legacy):
        folder.mkdir()
        (folder / "index.html").write_text("half")
    result, _ = cli(*build_args(), cwd=work)
    assert result.returncode == 0, result.stderr
    assert alive.is_dir() and (alive / "index.html").read_text() == "half"
    assert not dead.exists() and not legacy.exists()


def test_out_naming_a_file_is_refused_and_the_file_kept(tmp_path: Path):
    copy_site(tmp_path)
    (tmp_path / "notes.txt").write_text("mes notes\n")
    for out, reason in (("notes.txt", "it is a file, not a folder"),
                        ("notes.txt/site", "'notes.txt' is a file, not a folder")):
        result, seconds = cli(*build_args("--out", out), cwd=tmp_path, timeout=60)
        assert result.returncode == 2 and seconds < 30
        assert result.stderr.splitlines() == [f"broadsheet: error: refusing to write to '{out}': {reason}",
                                              "  hint: choose an empty or new folder with --out, e.g. --out _site"]
    assert (tmp_path / "notes.txt").read_text() == "mes notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content", "notes.txt"]


def test_a_full_disk_is_a_diagnostic_and_keeps_the_previous_site(tmp_path: Path):
    copy_site(tmp_path)
    with tmpfs(tmp_path / "disk", "4m") as disk:
        out = disk / "_site"
        first, _ = cli(*build_args("--out", str(out)), cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        before = snapshot_of(out)
        used = sum(len(content) for content in before.values())
        media = tmp_path / "content" / "demo" / "media"
        media.mkdir()
        (media / "big.bin").write_bytes(os.urandom(4 * 1024 * 1024 - used // 2))  # more than is left
        result, seconds = cli(*build_args("--out", str(out)), cwd=tmp_path)
        assert result.returncode == 1 and result.stdout == "" and seconds < 120
        assert result.stderr.splitlines() == [f"{out}: error[output-write]: could not write: the disk is full",
                                              FULL_HINT, "1 error in 1 file (nothing was written)"]
        assert snapshot_of(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["_site"]  # no staging folder, no lock


def test_a_read_only_disk_is_a_diagnostic(tmp_path: Path):
    copy_site(tmp_path)
    with tmpfs(tmp_path / "disk", "8m") as disk:
        out = disk / "_site"
        assert cli(*build_args("--out", str(out)), cwd=tmp_path)[0].returncode == 0
        before = snapshot_of(out)
        edit(tmp_path)
        remount(disk, "ro")
        for target in (out, disk / "other"):  # the site there, and a folder to make
            result, _ = cli(*build_args("--out", str(target)), cwd=tmp_path)
            assert result.returncode == 1 and "Traceback" not in result.stderr
            assert result.stderr.splitlines() == [
                f"{target}: error[output-write]: could not write: the disk is read-only",
                "  hint: write to a writable disk, or choose another folder with --out; the previous site, if any, "
                "is as it was", "1 error in 1 file (nothing was written)"]
        assert snapshot_of(out) == before and sorted(p.name for p in disk.iterdir()) == ["_site"]


def test_a_parent_this_user_cannot_write_is_a_diagnostic(tmp_path: Path):
    if not can_drop_capabilities():
        pytest.skip("cannot run as a user that file modes apply to")
    copy_site(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result, _ = cli(*build_args("--out", "locked/_site"), cwd=tmp_path, as_plain_user=True)
    finally:
        locked.chmod(0o755)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        f"locked/_site: error[output-write]: could not write: permission denied ({locked / '._site.lock'})",
        "  hint: make the folder writable for this user, or choose another folder with --out; the previous site, "
        "if any, is as it was", "1 error in 1 file (nothing was written)"]
    assert list(locked.iterdir()) == []


def test_an_injected_write_fault_leaves_nothing(tmp_path: Path, monkeypatch):
    """Where no tmpfs can be mounted: the disk fills on the fifth file."""
    out = tmp_path / "_site"
    DirWriter(out).write([OutputFile("a.html", b"old")])
    real = Path.write_bytes
    calls = []

    def filling(self, data):
        calls.append(self)
        if len(calls) == 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", filling)
    with pytest.raises(BuildFailed) as failed:
        DirWriter(out).write([OutputFile(f"p{n}.html", b"new") for n in range(10)])
    (diagnostic,) = failed.value.diagnostics
    assert diagnostic.render() == f"{out.as_posix()}: error[output-write]: could not write: the disk is full\n" + FULL_HINT
    assert snapshot_of(out) == {".broadsheet-output": b"This folder is written by Broadsheet; each build replaces it.\n",
                                "a.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_site"]


@pytest.mark.parametrize("signame, code", [("SIGTERM", 143), ("SIGINT", 130)])
@pytest.mark.parametrize("moment", ["reading", "writing"])
def test_an_interrupted_build_says_one_line_and_leaves_the_previous_site(tmp_path: Path, signame, code, moment):
    copy_site(tmp_path)
    media = tmp_path / "content" / "demo" / "media"
    media.mkdir()
    for index in range(400):  # under the size that is linked: each is written, so writing takes a while
        (media / f"image-{index:03}.bin").write_bytes(os.urandom(60 * 1024))
    first, _ = cli(*build_args("--jobs", "1"), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot_of(tmp_path / "_site")
    edit(tmp_path)
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *build_args("--jobs", "1", "--no-cache")],
                               cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    if moment == "reading":
        time.sleep(1.0)
    else:
        while not list(tmp_path.glob("._site.new-*")) and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
    assert process.poll() is None, "the build ended before the signal"
    process.send_signal(getattr(signal, signame))
    out, err = finish(process, 60)
    assert process.returncode == code, err
    assert err == "interrupted: nothing was written\n" and out == ""
    assert snapshot_of(tmp_path / "_site") == before
    assert staging_left(tmp_path) == []
    assert group_gone(process.pid), group_members(process.pid)


def test_jobs_above_the_cap_are_lowered_with_a_note(tmp_path: Path):
    copy_site(tmp_path)
    result, _ = cli("check", "--site-src", str(REPO / "site_src"), "--jobs", "1000", cwd=tmp_path,
                    env={"BROADSHEET_MAX_JOBS": "3"})
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("note: --jobs 1000 lowered to 3 (2 per core on ")
    for bad in ("0", "-4", "many"):
        refused, _ = cli("check", "--jobs", bad, cwd=tmp_path)
        assert refused.returncode == 2 and "argument --jobs:" in refused.stderr and "Traceback" not in refused.stderr


def test_export_into_a_folder_is_refused_before_building(tmp_path: Path):
    copy_site(tmp_path)
    (tmp_path / "exports").mkdir()
    result, seconds = cli("export", "--site-src", str(REPO / "site_src"), "demo", "exports", cwd=tmp_path, timeout=60)
    assert result.returncode == 2 and seconds < 30
    assert result.stderr.splitlines() == ["broadsheet: error: 'exports' is a folder: export writes one file",
                                          "  hint: name the file, e.g. exports/demo.html"]
    assert list((tmp_path / "exports").iterdir()) == []


def test_export_onto_a_read_only_disk_is_a_diagnostic_and_leaves_no_temporary_file(tmp_path: Path):
    copy_site(tmp_path)
    with tmpfs(tmp_path / "disk", "1m", read_only=True) as disk:
        result, _ = cli("export", "--site-src", str(REPO / "site_src"), "demo", str(disk / "demo.html"), cwd=tmp_path)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.splitlines()[-2:] == [
            f"{disk / 'demo.html'}: error[output-write]: could not write: the disk is read-only",
            "  hint: write to a writable disk, or choose another place for the file; nothing was written"]
        assert list(disk.iterdir()) == []
    with tmpfs(tmp_path / "small", "64k") as small:  # too small for the page
        result, _ = cli("export", "--site-src", str(REPO / "site_src"), "demo", str(small / "demo.html"), cwd=tmp_path)
        assert result.returncode == 1 and "error[output-write]: could not write: the disk is full" in result.stderr
        assert list(small.iterdir()) == []


def test_an_interrupted_build_with_chart_workers_leaves_no_process(tmp_path: Path):
    copy_site(tmp_path)
    first, _ = cli(*build_args(), cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = snapshot_of(tmp_path / "_site")
    edit(tmp_path)
    outcomes = []
    for delay in (1.0, 1.5, 2.0, 2.5, 3.0):  # while the workers start and compile
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *build_args("--no-cache", "--jobs", "2")],
                                   cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        out, err = finish(process, 60)
        assert process.returncode == 143 and err.endswith("interrupted: nothing was written\n"), err
        assert snapshot_of(tmp_path / "_site") == before and staging_left(tmp_path) == []
        outcomes.append((delay, group_gone(process.pid, within=1.0), "Traceback" in err))
        if not outcomes[-1][1]:
            os.killpg(process.pid, signal.SIGKILL)
    assert all(gone and not traceback for _, gone, traceback in outcomes), outcomes


def test_a_build_killed_with_sigkill_leaves_no_worker_running(tmp_path: Path):
    """SIGKILL gives the build no chance to end its workers: they, their chart sandboxes and the
    fork server watch it, and go within seconds (a process started by the fork server, still
    importing, goes as soon as its imports end)."""
    copy_site(tmp_path)
    outcomes = []
    for delay in (1.0, 2.0, 3.0, 4.5):  # while the workers start, warm up and compile
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *build_args("--no-cache", "--jobs", "2")],
                                   cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   start_new_session=True)
        time.sleep(delay)
        running = group_members(process.pid)
        process.send_signal(signal.SIGKILL)
        killed = time.monotonic()
        gone = group_gone(process.pid, within=5.0)
        outcomes.append((delay, len(running), gone, round(time.monotonic() - killed, 2), group_members(process.pid)))
        if not gone:
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)  # the pipes close: nobody holds them any more
    assert all(gone for _, _, gone, _, _ in outcomes), outcomes
    assert any(count > 2 for _, count, _, _, _ in outcomes), outcomes  # workers were running when it was killed
