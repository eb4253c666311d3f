"""What the hostile-input tests of the output, the preview server and discovery share: the CLI
started in its own process group, a check that the group left nothing behind, mounts, and a
way to run the CLI as a root that file permissions apply to."""
from __future__ import annotations

import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers import REPO, SITE_SRC

FIXTURE = REPO / "tests" / "sites" / "basic" / "content"
ENV = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
# root ignores file modes; without these two capabilities it does not (setpriv is in util-linux)
NO_DAC = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]


def cli(*args: str, cwd: Path, env: dict | None = None, timeout: float = 120, as_plain_user: bool = False,
        ) -> tuple[subprocess.CompletedProcess, float]:
    """Run the CLI in a session of its own; returns the result and the seconds it took, and fails
    when any process of its group outlives it."""
    command = [sys.executable, str(REPO / "build.py"), *args]
    if as_plain_user:
        command = NO_DAC + command
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env={**ENV, **(env or {})}, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    seconds = time.perf_counter() - started
    assert group_gone(process.pid), f"processes of the group outlived the command: {group_members(process.pid)}"
    return subprocess.CompletedProcess(command, process.returncode, out, err), seconds


def group_members(pgid: int) -> list[str]:
    """Live (not zombie) processes of a process group, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(f"{entry.name} {stat[stat.index('(') + 1:stat.rindex(')')]}")
    return members


def group_gone(pgid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while group_members(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def copy_site(work: Path) -> Path:
    shutil.copytree(FIXTURE, work / "content")
    return work


def build_args(*extra: str) -> list[str]:
    return ["build", "--site-src", str(SITE_SRC), *extra]


def staging_left(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".new-" in p.name or ".old-" in p.name or p.name.endswith(".lock"))


@contextlib.contextmanager
def tmpfs(path: Path, size: str, read_only: bool = False):
    """A small tmpfs at `path` (the tests run as root in CI's container); skips where mounting is refused."""
    import pytest

    path.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.strip()}): the injected-fault test covers it")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True)


def can_drop_capabilities() -> bool:
    if os.geteuid() != 0:
        return True  # an ordinary user: file modes apply already
    if shutil.which("setpriv") is None:
        return False
    probe = subprocess.run(NO_DAC + ["true"], capture_output=True)
    return probe.returncode == 0


class Served:
    """`build.py serve` on a free port, in its own session; stop() ends it as a process manager would."""

    def __init__(self, work: Path, *args: str, env: dict | None = None):
        command = [sys.executable, str(REPO / "build.py"), "serve", "--site-src", str(SITE_SRC), "--port", "0", *args]
        self.process = subprocess.Popen(command, cwd=work, env={**ENV, **(env or {})}, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        threading.Thread(target=self._read, args=(self.process.stdout, self.stdout, True), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.stderr, False), daemon=True).start()
        deadline = time.monotonic() + 120
        self.port = 0
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            if line.startswith("Serving http://"):
                self.url = line.split()[1]
                self.port = int(self.url.rstrip("/").rsplit(":", 1)[1])
                break
        assert self.port, f"the preview did not start: {''.join(self.stdout)} {''.join(self.stderr)}"

    def _read(self, stream, into: list[str], announce: bool) -> None:
        for line in stream:
            into.append(line)
            if announce:
                self.lines.put(line)

    def stop(self) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            raise AssertionError("the preview did not stop within 30 s of SIGTERM")
        time.sleep(0.1)  # the reader threads take the last lines
        assert group_gone(self.process.pid), group_members(self.process.pid)
        return code, "".join(self.stdout), "".join(self.stderr)


def finish(process: subprocess.Popen, timeout: float) -> tuple[str, str]:
    """Wait for a command started in its own session; past `timeout`, kill its whole group and fail."""
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        raise AssertionError(f"still running after {timeout} s (killed): {err[-2000:]}") from None
