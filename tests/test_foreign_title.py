"""A story brought from Jekyll, MkDocs or Observable starts its text with `# Title`: when that line
says the front matter's title again, the page shows the title once and the build says so; any
other level-1 heading stays, named."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import REPO, SITE_SRC, run_cli

BASIC = REPO / "tests" / "sites" / "basic" / "content"
STORY = """---
title: Food Imports to the United States
dek: Where the food comes from.
published: 2024-02-01
language: en
---
{heading}

An introduction without numbers.
"""


def build(tmp_path: Path, heading: str):
    shutil.copytree(BASIC, tmp_path / "content")
    story = tmp_path / "content" / "food-imports"
    story.mkdir()
    (story / "index.md").write_text(STORY.format(heading=heading), encoding="utf-8")
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    page = (tmp_path / "_site" / "food-imports" / "index.html").read_text(encoding="utf-8")
    return done.stdout + done.stderr, page


def test_a_heading_that_repeats_the_title_is_left_out_and_said(tmp_path: Path):
    said, page = build(tmp_path, "# Food imports to the United States")
    assert "content/food-imports/index.md:7:1: warning[markdown-title-heading]" in said
    assert "repeats the story's title: the page leaves it out" in said
    assert len(re.findall(r"Food Imports to the United States</h1>", page, re.I)) == 1
    assert "<h1" in page and page.count("<h1") == 1


def test_another_level_one_heading_stays_and_is_named(tmp_path: Path):
    said, page = build(tmp_path, "# A different title")
    assert "content/food-imports/index.md:7:1: warning[markdown-title-heading]" in said
    assert "readers would see two titles" in said
    assert "A different title</h1>" in page
