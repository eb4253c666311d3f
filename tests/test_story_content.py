"""The published story: passes `check --strict`, and a bare numeral in its prose breaks that."""
import shutil
from pathlib import Path

import yaml

from helpers import REPO, SITE_SRC, run_cli

CONTENT = REPO / "content"
STORY = CONTENT / "chatgpt"


def test_story_passes_check_strict(tmp_path: Path):
    shutil.copytree(CONTENT, tmp_path / "content")
    result = run_cli("check", "--strict", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    charts = len([*(STORY / "charts").glob("[!_]*.py"), *(STORY / "charts").glob("[!_]*.vl.json")])
    languages = 1 + len(list(STORY.glob("index.*.md")))  # each translation is a story of its own, charts drawn again
    stories = "1 story" if languages == 1 else f"{languages} stories"
    assert charts >= 3 and f"{stories}, {charts * languages} charts" in result.stdout


def test_a_bare_numeral_in_the_prose_fails_strict(tmp_path: Path):
    shutil.copytree(CONTENT, tmp_path / "content")
    section = sorted((tmp_path / "content" / "chatgpt" / "sections").glob("*.md"))[2]
    section.write_text(section.read_text() + "\nOpenAI comptait alors 375 salariés.\n")
    result = run_cli("check", "--strict", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 1
    assert f"content/chatgpt/sections/{section.name}:" in result.stderr
    assert "error[number-bare]: number '375' in the text is not a fact" in result.stderr


def test_every_fact_has_a_status_and_every_source_a_publisher():
    facts = yaml.safe_load((STORY / "facts.yaml").read_text())
    for key, fact in facts["facts"].items():
        if "formula" in fact:
            continue
        assert fact["status"] in ("confirmed", "reported", "estimate", "assumption"), key
        if fact["status"] == "assumption":  # the newsroom's own hypothesis says so in its source
            publisher = facts["sources"][fact["source"]]["publisher"]
            assert (publisher["fr"] if isinstance(publisher, dict) else publisher).startswith("La rédaction"), key
        assert fact["source"] in facts["sources"], key
    for key, source in facts["sources"].items():
        assert source.get("publisher") and source.get("name"), key


def test_front_matter_names_the_newsroom_and_dates_the_first_publication():
    front = yaml.safe_load((STORY / "index.md").read_text().split("---")[1])
    assert front["byline"] == "La rédaction de Broadsheet"
    assert any(str(update["date"]) == str(front["published"]) for update in front["updates"])
    assert 6 <= len(list((STORY / "sections").glob("*.md"))) <= 12
    assert len(list((STORY / "charts").glob("*.py"))) >= 3


def test_the_sources_say_every_number_links_to_its_source_only_when_it_does(tmp_path: Path):
    """A bare number is a warning, which `build` publishes: the promise above the sources then goes."""
    shutil.copytree(CONTENT, tmp_path / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    promise = "Chaque nombre de cet article renvoie à sa source."
    assert promise in (tmp_path / "_site" / "chatgpt" / "index.html").read_text()
    section = sorted((tmp_path / "content" / "chatgpt" / "sections").glob("*.md"))[2]
    section.write_text(section.read_text() + "\nOpenAI comptait alors 375 salariés.\n")
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0 and "number-bare" in result.stderr
    page = (tmp_path / "_site" / "chatgpt" / "index.html").read_text()
    assert promise not in page and "Sources citées :" in page
