"""`python build.py serve` for real: an edit reloads the page by itself; a broken edit shows its
diagnostics over the last good page, and the overlay leaves with the next good build."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import REPO, SITE_SRC

pytestmark = pytest.mark.browser
FIXTURE = Path(__file__).resolve().parents[1] / "sites" / "basic" / "content"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def preview(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    port = free_port()
    process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port),
                                "--site-src", str(SITE_SRC)], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    line = ""
    deadline = time.monotonic() + 300  # the first build's line ("Rebuilt in …") now comes first, flushed
    while "Serving" not in line and time.monotonic() < deadline:
        line = process.stdout.readline()
    assert "Serving" in line, line
    yield f"http://127.0.0.1:{port}/", tmp_path
    process.send_signal(signal.SIGINT)
    output = process.communicate(timeout=20)[0]
    assert process.returncode == 0
    assert "Stopped." in output and "Traceback" not in output


def test_edit_reloads_and_errors_show_in_the_page(browser, preview):
    url, folder = preview
    section = folder / "content" / "demo" / "sections" / "01-salaires.md"
    page = browser.new_page()
    page.goto(url + "demo/")
    page.wait_for_function("() => window.EventSource !== undefined")
    time.sleep(0.3)  # let the event stream connect

    section.write_text(section.read_text().replace("## Ce qu'ils gagnent", "## Ce qu'ils gagnent vraiment"))
    page.wait_for_selector("h2:has-text('Ce qu\\'ils gagnent vraiment')", timeout=10000)
    page.locator("#chart-pay").scroll_into_view_if_needed()
    page.wait_for_selector("#chart-pay[data-state=live] .chart-live svg", timeout=10000)  # new content hydrated

    good = section.read_text()
    section.write_text(good + "\nUn fait inconnu : {fact:nope}.\n")
    overlay = page.wait_for_selector("#broadsheet-errors", timeout=10000)
    assert "content/demo/sections/01-salaires.md:10:19: error[fact-unknown]: unknown fact 'nope'" in overlay.inner_text()
    assert page.locator("h2:has-text('vraiment')").count() == 1  # still the last good page

    section.write_text(good)
    page.wait_for_selector("#broadsheet-errors", state="detached", timeout=10000)
    page.close()


def test_port_in_use_is_a_clear_message(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(REPO / "build.py"), "serve", "--port", str(port), "--site-src",
                                 str(SITE_SRC)], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
    assert result.returncode == 2
    assert f"port {port} is already in use" in result.stderr and "Traceback" not in result.stderr
