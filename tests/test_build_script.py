"""`build.py` run by a Python without the project's packages says what to type, in one line."""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from helpers import REPO


def test_a_python_without_the_packages_gets_one_line_and_exit_2(tmp_path):
    result = subprocess.run([sys.executable, "-S", str(REPO / "build.py")], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})  # -S: no site-packages
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("broadsheet: error: this Python") and "lacks jinja2, markdown, altair" in lines[0]
    assert "`python3 -m venv .venv && .venv/bin/pip install -e .`" in lines[0]


def test_the_packages_checked_are_the_project_dependencies():
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_script", REPO / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {re.split(r"[<>=!~ \[]", requirement, maxsplit=1)[0].lower() for requirement in declared}
    assert set(module.REQUIRED.values()) == names
    assert module.missing_packages() == []  # this test runs in the project's environment
