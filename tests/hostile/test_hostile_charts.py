"""Chart code against the build: a chart that exits, raises what is not an Exception, crashes its
process, loops for ever or eats memory, in chart() or at module level, in a worker or with
`--jobs 1` (where the build would otherwise run it in its own process), and in the preview
server. Each ends in bounded time as a diagnostic naming the chart file, exit 1, nothing
written, the other charts still reporting their own problems, and no process left behind
(`cli` fails when any process of the build's group outlives it). Interrupting a build whose
charts are running leaves nothing either."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import REPO
from hostile_support import ENV, Served, build_args, cli, copy_site, group_members, staging_left

CHARTS = Path("content") / "demo" / "charts"
PAY = "content/demo/charts/pay.py"
CALCULATOR = "content/demo/charts/calculator.py"
CALCULATOR_FAILS = (f"{CALCULATOR}:10: error[chart-exception]: chart 'calculator' raised ZeroDivisionError: "
                    "division by zero")
STOP_HINT = "  hint: a chart must return a chart: remove the exit, or raise an ordinary exception (ValueError) with a message"


def inject(work: Path, name: str, lines: list[str], module_level: bool = False) -> int:
    """Put `lines` at the start of chart() (or of the file); returns the line number of the last one."""
    path = work / CHARTS / name
    source = path.read_text().split("\n")
    at = 0 if module_level else source.index("def chart(data, facts):") + 1
    indent = "" if module_level else "    "
    path.write_text("\n".join(source[:at] + [indent + line for line in lines] + source[at:]))
    return at + len(lines)


def broken_site(work: Path, lines: list[str], module_level: bool = False) -> int:
    """The fixture with `lines` in pay.py and an ordinary error in calculator.py (line 10)."""
    copy_site(work)
    inject(work, "calculator.py", ["1 / 0"])
    return inject(work, "pay.py", lines, module_level)


def failed_build(work: Path, *extra: str, bound: float = 90) -> list[str]:
    result, seconds = cli(*build_args("--no-cache", *extra), cwd=work, timeout=bound + 30)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "BrokenProcessPool" not in result.stderr, result.stderr
    assert seconds < bound, seconds
    assert not (work / "_site").exists() and staging_left(work) == []  # nothing written
    return result.stderr.splitlines()


CRASHES = {  # lines in chart() -> (the message after "pay.py:LINE: ", its hint)
    "sys.exit": (["import sys", "sys.exit(0)"],
                 "error[chart-crashed]: chart 'pay' tried to stop the build: it raised SystemExit: 0", STOP_HINT),
    "os._exit": (["import os", "os._exit(0)"],
                 "error[chart-crashed]: chart 'pay' tried to stop the build: it called os._exit(0)", STOP_HINT),
    "SystemExit": (["raise SystemExit(3)"],
                   "error[chart-crashed]: chart 'pay' tried to stop the build: it raised SystemExit: 3", STOP_HINT),
    "KeyboardInterrupt": (["raise KeyboardInterrupt"],
                          "error[chart-crashed]: chart 'pay' tried to stop the build: it raised KeyboardInterrupt",
                          STOP_HINT),
    "GeneratorExit": (["raise GeneratorExit('bye')"],
                      "error[chart-crashed]: chart 'pay' tried to stop the build: it raised GeneratorExit: bye",
                      STOP_HINT),
    "BaseException": (["raise BaseException('boom')"],
                      "error[chart-crashed]: chart 'pay' tried to stop the build: it raised BaseException: boom",
                      STOP_HINT),
    "unprintable": (["class Odd(Exception):", "    def __str__(self):", "        raise RuntimeError('no words')",
                     "raise Odd()"],
                    "error[chart-crashed]: chart 'pay' raised Odd, whose message cannot be shown "
                    "(its __str__ raised RuntimeError)",
                    '  hint: raise an ordinary exception with a plain message, e.g. raise ValueError("…")'),
    "segfault": (["import ctypes", "ctypes.string_at(0)"],
                 "error[chart-crashed]: chart 'pay' crashed the process running it (SIGSEGV)",
                 "  hint: a crash comes from native code the chart calls (ctypes, a C extension): remove that call, "
                 "or run it outside the build"),
    "killed": (["import os, signal", "os.kill(os.getpid(), signal.SIGKILL)"],
               "error[chart-crashed]: chart 'pay' crashed the process running it (SIGKILL)",
               "  hint: a crash comes from native code the chart calls (ctypes, a C extension): remove that call, "
               "or run it outside the build"),
    "posix._exit": (["import posix", "posix._exit(4)"],
                    "error[chart-crashed]: chart 'pay' ended the process running it (exit status 4)",
                    "  hint: a chart must return a chart: remove the call that exits (os._exit, os.kill, …)"),
    "closed-pipes": (["import os", "os.closerange(3, 1000)"],
                     "error[chart-crashed]: chart 'pay' ended the process running it (exit status 70)",
                     "  hint: a chart must return a chart: remove the call that exits (os._exit, os.kill, …)"),
}
NO_STACK = {"killed", "posix._exit", "closed-pipes"}  # nothing tells where: the file's first line


@pytest.mark.parametrize("case", sorted(CRASHES))
def test_a_chart_that_stops_or_crashes_its_process_is_chart_crashed(tmp_path: Path, case: str):
    lines, message, hint = CRASHES[case]
    line = broken_site(tmp_path, lines)
    stderr = failed_build(tmp_path)
    assert stderr == [CALCULATOR_FAILS, "  hint: fix the chart code at this line",
                      f"{PAY}:{1 if case in NO_STACK else line}: {message}", hint,
                      "2 errors in 2 files (nothing was written)"]


@pytest.mark.parametrize("case", ["os._exit", "segfault", "sys.exit"])
def test_with_jobs_1_the_build_process_survives_it_too(tmp_path: Path, case: str):
    lines, message, hint = CRASHES[case]
    line = broken_site(tmp_path, lines)
    stderr = failed_build(tmp_path, "--jobs", "1")
    assert stderr[2:4] == [f"{PAY}:{line}: {message}", hint] and stderr[0] == CALCULATOR_FAILS, stderr


def test_an_exit_at_module_level_is_said_at_its_line(tmp_path: Path):
    broken_site(tmp_path, ["import os", "os._exit(0)"], module_level=True)
    stderr = failed_build(tmp_path)
    assert stderr[2:4] == [f"{PAY}:2: error[chart-crashed]: chart 'pay' tried to stop the build: it called os._exit(0)",
                           STOP_HINT], stderr


TIMEOUT_HINT = ("  hint: look for a loop that never ends in the chart file (at module level or in chart()); "
                "a chart that needs longer can have it: --chart-timeout SECONDS")


@pytest.mark.parametrize("module_level", [False, True], ids=["in-chart", "module-level"])
@pytest.mark.parametrize("jobs", [[], ["--jobs", "1"]], ids=["workers", "jobs-1"])
def test_a_chart_that_never_ends_is_stopped_at_its_time_limit(tmp_path: Path, module_level: bool, jobs: list[str]):
    line = broken_site(tmp_path, ["while True: pass"], module_level)
    stderr = failed_build(tmp_path, "--chart-timeout", "3", *jobs, bound=60)
    assert stderr[2:4] == [f"{PAY}:{line}: error[chart-timeout]: chart 'pay' ran for more than 3 s and was stopped",
                           TIMEOUT_HINT], stderr
    assert stderr[0] == CALCULATOR_FAILS


def test_a_chart_that_eats_memory_is_stopped_at_its_memory_limit(tmp_path: Path):
    line = broken_site(tmp_path, ["hoard = []", "while True:", "    hoard.append(bytearray(10 ** 7))"])
    stderr = failed_build(tmp_path, "--chart-memory", "200", bound=60)
    assert stderr[2:4] == [f"{PAY}:{line}: error[chart-memory]: chart 'pay' ran out of memory (MemoryError)",
                           "  hint: make the chart hold fewer rows (aggregate them first), or raise the limit with "
                           "--chart-memory MB"], stderr


def test_one_allocation_past_the_limit_is_chart_memory_at_once(tmp_path: Path):
    line = broken_site(tmp_path, ["block = bytearray(300 * 2 ** 20)"])
    stderr = failed_build(tmp_path, "--chart-memory", "200", "--jobs", "1", bound=60)
    assert stderr[2].startswith(f"{PAY}:{line}: error[chart-memory]:"), stderr


def test_the_limits_do_not_touch_a_chart_that_keeps_to_them(tmp_path: Path):
    copy_site(tmp_path)
    inject(tmp_path, "pay.py", ["import time", "time.sleep(1)", "block = bytearray(100 * 2 ** 20)"])
    result, _ = cli(*build_args("--no-cache", "--chart-timeout", "30", "--chart-memory", "300"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "_site" / "demo" / "index.html").is_file()


@pytest.mark.parametrize("value", ["0", "-1", "soon", "inf"])
def test_a_chart_timeout_that_is_not_a_duration_is_bad_usage(tmp_path: Path, value: str):
    copy_site(tmp_path)
    result, _ = cli(*build_args("--chart-timeout", value), cwd=tmp_path)
    assert result.returncode == 2 and "--chart-timeout" in result.stderr and "Traceback" not in result.stderr


def first_event(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__broadsheet/events", timeout=10) as stream:
        for raw in stream:
            if raw.startswith(b"data: "):
                return json.loads(raw[6:])
    raise AssertionError("no event")


def wait_for(server: Served, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in "".join(server.stderr) + "".join(server.stdout):
            return
        assert server.process.poll() is None, ("the preview died", server.stdout, server.stderr)
        time.sleep(0.2)
    raise AssertionError(f"no {text!r} within {seconds} s: {server.stdout} {server.stderr}")


def rewrite(server: Served, path: Path, text: str) -> None:
    """Write a file for the preview to rebuild, forgetting what it said before."""
    server.stdout.clear()
    server.stderr.clear()
    path.write_text(text)


def test_the_preview_shows_a_crashed_or_endless_chart_and_goes_on(tmp_path: Path):
    copy_site(tmp_path)
    pay = tmp_path / CHARTS / "pay.py"
    good = pay.read_text()
    server = Served(tmp_path, "--chart-timeout", "3")
    time.sleep(2)  # "Serving" is said just before the watching starts
    try:
        line = inject(tmp_path, "pay.py", ["import os", "os._exit(0)"])
        wait_for(server, "Build failed", 120)
        assert f"{PAY}:{line}: error[chart-crashed]: chart 'pay' tried to stop the build: it called os._exit(0)" \
            in first_event(server.port)["errors"]
        rewrite(server, pay, good)
        wait_for(server, "Rebuilt in", 120)
        assert first_event(server.port)["errors"] == ""
        server.stdout.clear()
        server.stderr.clear()
        line = inject(tmp_path, "pay.py", ["while True: pass"])
        started = time.monotonic()
        wait_for(server, "error[chart-timeout]", 60)
        assert time.monotonic() - started < 45
        assert f"{PAY}:{line}: error[chart-timeout]" in first_event(server.port)["errors"]
        rewrite(server, pay, good)  # the rebuild after a timeout is not frozen
        wait_for(server, "Rebuilt in", 120)
        assert first_event(server.port)["errors"] == ""
        inject(tmp_path, "pay.py", ["import ctypes", "ctypes.string_at(0)"])
        wait_for(server, "crashed the process running it (SIGSEGV)", 120)
        assert server.process.poll() is None
    finally:
        code, out, err = server.stop()
    assert code == 0 and "Traceback" not in err, err


def slow_site(work: Path) -> None:
    """Every chart of the fixture sleeps in its code: the build is interrupted while they run."""
    copy_site(work)
    for name in ("pay.py", "calculator.py"):
        inject(work, name, ["import pathlib, time", f"pathlib.Path('running-{name}').touch()", "time.sleep(60)"])


@pytest.mark.parametrize("signum,jobs", [(signal.SIGTERM, []), (signal.SIGINT, []),
                                         (signal.SIGTERM, ["--jobs", "1"])],
                         ids=["SIGTERM", "SIGINT-to-the-group", "SIGTERM-jobs-1"])
def test_interrupting_a_build_while_charts_run_ends_every_process_within_a_second(tmp_path: Path, signum, jobs):
    slow_site(tmp_path)
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), *build_args("--no-cache", *jobs)],
                               cwd=tmp_path, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not list(tmp_path.glob("running-*")):
            assert time.monotonic() < deadline and process.poll() is None, "no chart ever ran"
            time.sleep(0.1)
        time.sleep(0.5)  # the charts are sleeping in their code
        if signum == signal.SIGINT:
            os.killpg(process.pid, signum)  # Ctrl-C in a terminal: the whole foreground group
        else:
            process.send_signal(signum)
        signalled = time.monotonic()
        while group_members(process.pid) and time.monotonic() - signalled < 1.0:
            time.sleep(0.02)
        left = group_members(process.pid)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None or group_members(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    assert left == [], left
    assert process.returncode == 128 + signum
    assert err == "interrupted: nothing was written\n", err
    assert not (tmp_path / "_site").exists() and staging_left(tmp_path) == []
