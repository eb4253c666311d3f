"""The ledger (issue 19, item 4): each story publishes facts.json and a "how we know" page,
built here from the fixture site, and read back against the story's own facts file."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from helpers import SITE_SRC, run_cli

FIXTURE = Path(__file__).parent / "sites" / "basic"


def test_facts_json_and_the_how_we_know_page(tmp_path: Path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ledger = json.loads((tmp_path / "_site" / "demo" / "facts.json").read_text())
    written = yaml.safe_load((tmp_path / "content" / "demo" / "facts.yaml").read_text())["facts"]
    assert set(ledger["facts"]) == set(written)  # every fact, none invented
    wage = ledger["facts"]["hourly_wage"]
    assert (wage["value"], wage["unit"], wage["status"], wage["status_words"]) == (15, "USD", "confirmed", "confirmé")
    assert [s["key"] for s in wage["sources"]] == [written["hourly_wage"]["source"]]
    places = wage["appears"]
    assert {"file": "content/demo/sections/01-salaires.md", "line": 3, "as": "fact"} in places
    assert any(p.get("as") == "scenario" and p["file"].endswith("02-calcul.md") for p in places)
    assert any(p.get("chart") == "pay" for p in places)  # its ALT cites it
    break_even = ledger["facts"]["break_even"]
    assert break_even["formula"] == written["break_even"]["formula"] and "workday_hours" in break_even["inputs"]
    assert ledger["facts"]["workday_hours"]["status_explained"].startswith("Hypothèse de la rédaction")

    story = (tmp_path / "_site" / "demo" / "index.html").read_text()
    assert '<a href="comment-nous-le-savons/">Comment nous le savons</a>' in story
    page = (tmp_path / "_site" / "demo" / "comment-nous-le-savons" / "index.html").read_text()
    assert "<h1>Comment nous le savons</h1>" in page and 'href="../facts.json"' in page
    assert page.count('<tr id="fact-') == sum(1 for entry in ledger["facts"].values() if entry["appears"])
    assert 'id="fact-hourly_wage"' in page and "Lu dans la source d’origine." in page


def test_facts_in_the_title_dek_and_update_notes_are_placed_in_the_ledger(tmp_path: Path):
    """A number printed in the dek or an update note appears in facts.json at its file and line,
    and on the reader's page, like one printed in a section."""
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    index = tmp_path / "content" / "demo" / "index.md"
    text = index.read_text()
    head, body = text.split("\n---\n", 1)
    lines = head.split("\n")
    dek_line = next(i for i, line in enumerate(lines) if line.startswith("dek:"))
    lines[dek_line] = 'dek: "Ce que gagnent les contractuels, {fact:hourly_wage} de l’heure."'
    index.write_text("\n".join(lines) + "\n---\n" + body)
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ledger = json.loads((tmp_path / "_site" / "demo" / "facts.json").read_text())
    places = ledger["facts"]["hourly_wage"]["appears"]
    assert {"file": "content/demo/index.md", "line": dek_line + 1, "as": "dek"} in places, places
