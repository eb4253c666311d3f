"""Helpers the tests share: run the real CLI as a user would, read a built folder."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITE_SRC = REPO / "site_src"
def run_cli(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python build.py ARGS` as a user would, in `cwd`, and capture what it prints."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    return subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=300)


def run_cli_in_process(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the same CLI entry point (broadsheet.cli.main) inside this process: no interpreter start
    and no imports per call. For tests of what a build reports and writes, not of the process
    itself (exit status from sys.exit, signals, a Python without the packages): those keep run_cli."""
    import contextlib
    import io

    from broadsheet.cli import main

    full_env = {"SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    saved_env = {name: os.environ.get(name) for name in full_env}
    saved_cwd = os.getcwd()
    out, err = io.StringIO(), io.StringIO()
    try:
        os.environ.update(full_env)
        os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse and friends exit as the real process would
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
                if stop.code is not None and not isinstance(stop.code, int):
                    print(stop.code, file=sys.stderr)
    finally:
        os.chdir(saved_cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return subprocess.CompletedProcess(["build.py", *args], code, out.getvalue(), err.getvalue())


def snapshot_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build_copy(content: Path, work: Path, *args: str) -> Path:
    """Copy a content folder into `work`, build it with the CLI (failing the test on an error),
    and return the built site folder."""
    import shutil

    shutil.copytree(content, work / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), *args, cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "_site"
