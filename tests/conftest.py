"""Shared fixtures; the helpers themselves live in helpers.py."""
from __future__ import annotations

import os
import tempfile

import pytest


def pytest_configure(config):
    """Tests never touch the real per-user cache (~/.cache/broadsheet): builds in this process and
    the CLI runs it starts (which inherit the environment) keep the chart runtime, the engine's
    bundle and font widths in a temporary folder of this test session."""
    os.environ["BROADSHEET_USER_CACHE"] = tempfile.mkdtemp(prefix="broadsheet-user-cache-")


def pytest_unconfigure(config):
    """The session's cache folder goes with the session: a test run leaves nothing in /tmp."""
    import shutil

    folder = os.environ.pop("BROADSHEET_USER_CACHE", "")
    if os.path.basename(folder).startswith("broadsheet-user-cache-"):
        shutil.rmtree(folder, ignore_errors=True)


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite the committed snapshots from this build (never in CI)")


@pytest.fixture
def update_snapshots(request) -> bool:
    wanted = request.config.getoption("--update-snapshots")
    if wanted and os.environ.get("CI"):
        pytest.fail("snapshots are regenerated on purpose, on a developer's machine, never in CI")
    return wanted


CORPUS = os.path.join(os.path.dirname(__file__), "corpus", "content")


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory):
    """tests/corpus/content built once per session as a user would (the CLI), for the corpus's
    reference test and its browser test: (site folder, what the build printed)."""
    import shutil
    from pathlib import Path

    from helpers import SITE_SRC, run_cli

    work = tmp_path_factory.mktemp("corpus")
    shutil.copytree(CORPUS, work / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=work)
    assert result.returncode == 0, result.stderr
    return Path(work / "_site"), result.stderr
