"""Shared fixtures; the helpers themselves live in helpers.py."""
from __future__ import annotations

import os

import pytest


def pytest_addoption(parser):
    parser.addoption("--update-snapshots", action="store_true",
                     help="rewrite the committed snapshots from this build (never in CI)")


@pytest.fixture
def update_snapshots(request) -> bool:
    wanted = request.config.getoption("--update-snapshots")
    if wanted and os.environ.get("CI"):
        pytest.fail("snapshots are regenerated on purpose, on a developer's machine, never in CI")
    return wanted
