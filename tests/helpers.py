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
