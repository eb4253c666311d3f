"""`draft: true`: a story left out of `build` (with a note), built by `--drafts` and `serve` but never
listed on the home page, in the feed or in the sitemap, and marked as a draft on its page."""
from __future__ import annotations

import shutil
from pathlib import Path

from helpers import REPO, SITE_SRC, run_cli

BASIC = REPO / "tests" / "sites" / "basic" / "content"
DRAFT = """---
title: Un article en cours
dek: Pas encore relu.
published: 2024-02-01
language: fr
draft: {flag}
---
Une introduction sans chiffre.
"""


def project(tmp_path: Path, flag: str = "true") -> Path:
    shutil.copytree(BASIC, tmp_path / "content")
    story = tmp_path / "content" / "en-cours"
    story.mkdir()
    (story / "index.md").write_text(DRAFT.format(flag=flag), encoding="utf-8")
    return tmp_path


def listed_anywhere(site: Path, slug: str) -> list[str]:
    return [name for name in ("index.html", "feed.xml", "sitemap.xml") if f"{slug}/" in (site / name).read_text()]


def test_a_draft_is_not_built_and_the_build_says_so(tmp_path: Path):
    work = project(tmp_path)
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=work)
    assert done.returncode == 0, done.stderr
    assert "note: content/en-cours/ is a draft (`draft: true`): not built; `--drafts` builds it, unlisted" in done.stdout
    assert not (work / "_site" / "en-cours").exists()
    assert listed_anywhere(work / "_site", "en-cours") == []
    assert (work / "_site" / "demo" / "index.html").is_file()
    assert listed_anywhere(work / "_site", "demo") == ["index.html", "feed.xml", "sitemap.xml"]


def test_drafts_builds_the_page_marked_and_unlisted(tmp_path: Path):
    work = project(tmp_path)
    done = run_cli("build", "--drafts", "--site-src", str(SITE_SRC), cwd=work)
    assert done.returncode == 0, done.stderr
    page = (work / "_site" / "en-cours" / "index.html").read_text()
    assert '<meta name="robots" content="noindex">' in page
    assert '<p class="draft-note" role="note">Brouillon' in page
    assert listed_anywhere(work / "_site", "en-cours") == []
    assert "draft-note" not in (work / "_site" / "demo" / "index.html").read_text()


def test_draft_false_publishes_the_story(tmp_path: Path):
    work = project(tmp_path, flag="false")
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=work)
    assert done.returncode == 0, done.stderr
    assert listed_anywhere(work / "_site", "en-cours") == ["index.html", "feed.xml", "sitemap.xml"]
    assert "draft-note" not in (work / "_site" / "en-cours" / "index.html").read_text()


def test_a_draft_flag_that_is_not_a_boolean_is_an_error(tmp_path: Path):
    work = project(tmp_path, flag="bientôt")
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=work)
    assert done.returncode == 1
    assert ("content/en-cours/index.md:6:1: error[front-matter-draft]: `draft` must be true or false, not 'bientôt'\n"
            "  hint: write `draft: true` to keep the story unpublished, or remove the line") in done.stderr
    assert not (work / "_site").exists()


def test_exporting_a_draft_says_to_add_drafts(tmp_path: Path):
    work = project(tmp_path)
    done = run_cli("export", "en-cours", "en-cours.html", "--site-src", str(SITE_SRC), cwd=work)
    assert done.returncode == 2
    assert "'en-cours' is a draft: add --drafts" in done.stderr
    assert run_cli("export", "en-cours", "en-cours.html", "--drafts", "--site-src", str(SITE_SRC),
                   cwd=work).returncode == 0
    assert "draft-note" in (work / "en-cours.html").read_text()
