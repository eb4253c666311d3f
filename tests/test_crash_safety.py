"""A build killed (SIGKILL) at any moment leaves a complete site: the old one or the new one,
never a mix, never a missing folder; the next build cleans up what the killed one left."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import REPO, SITE_SRC, run_cli, snapshot_of

FIXTURE = Path(__file__).parent / "sites" / "basic" / "content"


def test_sigkill_at_several_moments_leaves_old_or_new_site(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    media = tmp_path / "content" / "demo" / "media"
    media.mkdir()
    for index in range(400):  # enough files that writing takes a measurable time
        (media / f"image-{index:03}.bin").write_bytes(os.urandom(64 * 1024))
    assert run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path).returncode == 0
    old = snapshot_of(tmp_path / "_site")
    section = tmp_path / "content" / "demo" / "sections" / "01-salaires.md"
    section.write_text(section.read_text() + "\nUne phrase ajoutée.\n")
    started = time.perf_counter()
    assert run_cli("build", "--site-src", str(SITE_SRC), "--out", "_new", cwd=tmp_path).returncode == 0
    duration = time.perf_counter() - started
    new = snapshot_of(tmp_path / "_new")
    shutil.rmtree(tmp_path / "_new")
    assert old != new

    env = {**os.environ, "PYTHONPATH": str(REPO), "SOURCE_DATE_EPOCH": "1700000000"}
    outcomes = []
    moments = [("before writing", duration * f) for f in (0.1, 0.4)]
    moments += [("while writing", d) for d in (0.0, 0.01, 0.03, 0.1, 0.3)]
    moments += [("after the swap", duration * 3)]
    for phase, delay in moments:
        shutil.rmtree(tmp_path / "_site")
        for path, content in old.items():  # the previous, good site
            (tmp_path / "_site" / path).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / "_site" / path).write_bytes(content)
        process = subprocess.Popen([sys.executable, str(REPO / "build.py"), "build", "--site-src", str(SITE_SRC)],
                                   cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if phase == "while writing":  # wait for the staging folder, then kill a little later
            deadline = time.perf_counter() + 60
            while not list(tmp_path.glob("._site.new-*")) and process.poll() is None and time.perf_counter() < deadline:
                time.sleep(0.001)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        site = snapshot_of(tmp_path / "_site")
        assert site in (old, new), f"killed {phase} (+{delay:.3f} s): a mixed or partial site"
        outcomes.append("new" if site == new else "old")
    print("outcomes:", outcomes)
    assert "old" in outcomes and "new" in outcomes  # kills landed before and after the swap

    assert run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) in ([], [".cache"])
