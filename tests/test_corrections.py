"""Corrections enforced by the build: a fact whose published value changed, or that disappeared,
fails --strict until an `updates:` entry names it; then the page shows the correction at the number
(in the HTML itself, so without JavaScript too), the corrections log says it, and facts.json keeps
the history, carried forward by every later build."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from helpers import SITE_SRC, run_cli

FACTS = """facts:
  contractors:
    value: {value}
    unit: contractuels
    as_of: 2023-01-27
    source: semafor
    status: confirmed
{extra}sources:
  semafor:
    name: OpenAI's army
    publisher: Semafor
    url: https://www.semafor.com/newsletter/01/27/2023/openais-army
    date: 2023-01-27
"""
WAGE = """  wage:
    value: 15
    unit: USD
    as_of: 2023-05-06
    source: semafor
    status: confirmed
"""
UPDATE = """updates:
  - date: 2023-06-01
    note: Semafor a corrigé son décompte.
    facts: [{keys}]
"""


def write(root: Path, value: int, update: str = "", wage: bool = True) -> None:
    story = root / "content" / "demo"
    (story / "sections").mkdir(parents=True, exist_ok=True)
    (root / "content" / "site.yaml").write_text("title: Corrections\nlanguage: fr\nabsolute_url: https://example.org/\n")
    (story / "index.md").write_text(f"---\ntitle: Un cas\npublished: 2023-05-15\n{update}---\n")
    (story / "facts.yaml").write_text(FACTS.format(value=value, extra=WAGE if wage else ""))
    text = "Ils sont {fact:contractors}" + (" et gagnent {fact:wage} de l'heure" if wage else "") + ".\n"
    (story / "sections" / "01-texte.md").write_text("## Texte\n\n" + text)


def build(root: Path, *args: str):
    return run_cli("build", "--site-src", str(SITE_SRC), "--strict", *args, cwd=root)


def visible_text(html: str) -> str:
    """What a reader without JavaScript reads: the page without its popovers' hidden notes."""
    html = re.sub(r'<span class="fact-source"[^>]*popover[^>]*>.*?</span></span>', "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("\u202f", " ").replace("\xa0", " ")


def test_a_changed_fact_needs_an_update_then_shows_its_correction(tmp_path: Path):
    write(tmp_path, 1000)
    first = build(tmp_path)
    assert first.returncode == 0 and "fact-" not in first.stderr, first.stderr  # a first build is quiet

    write(tmp_path, 1200)
    refused = build(tmp_path)
    assert refused.returncode == 1
    assert ("content/demo/facts.yaml:2:3: error[fact-changed]: fact 'contractors' was published as "
            "1\u202f000\xa0contractuels and is now 1\u202f200\xa0contractuels") in refused.stderr
    published = json.loads((tmp_path / "_site/demo/facts.json").read_text())
    assert published["facts"]["contractors"]["value"] == 1000  # nothing was written

    write(tmp_path, 1200, UPDATE.format(keys="contractors"))
    accepted = build(tmp_path)
    assert accepted.returncode == 0, accepted.stderr
    page = visible_text((tmp_path / "_site/demo/index.html").read_text())
    assert "Ils sont 1 200 contractuels (corrigé le 1er juin 2023 : 1 000 contractuels auparavant, " \
           "1 200 contractuels désormais)" in page
    assert "Semafor a corrigé son décompte. (1 000 contractuels auparavant, 1 200 contractuels désormais)" in page
    ledger = json.loads((tmp_path / "_site/demo/facts.json").read_text())["facts"]
    assert ledger["contractors"]["value"] == 1200
    assert [(h["value"], h["until"]) for h in ledger["contractors"]["history"]] == [(1000, "2023-06-01")]
    assert ledger["wage"]["history"] == []

    again = build(tmp_path)  # the history is folded forward from the published ledger
    assert again.returncode == 0, again.stderr
    assert json.loads((tmp_path / "_site/demo/facts.json").read_text())["facts"]["contractors"]["history"] \
        == ledger["contractors"]["history"]
    assert "1 000 contractuels auparavant" in visible_text((tmp_path / "_site/demo/index.html").read_text())


def test_a_removed_fact_needs_an_update_and_the_published_folder_can_be_another(tmp_path: Path):
    write(tmp_path, 1000)
    assert build(tmp_path).returncode == 0
    shutil.move(tmp_path / "_site", tmp_path / "live")

    write(tmp_path, 1000, wage=False)
    refused = build(tmp_path, "--published", "live")
    assert refused.returncode == 1
    assert ("content/demo/facts.yaml:1: error[fact-removed]: fact 'wage' was published as 15\xa0$ "
            "and is gone from the story") in refused.stderr
    quiet = build(tmp_path)  # compared with _site/, which does not exist: a first build
    assert quiet.returncode == 0, quiet.stderr
    shutil.rmtree(tmp_path / "_site")

    write(tmp_path, 1000, UPDATE.format(keys="wage"), wage=False)
    accepted = build(tmp_path, "--published", "live")
    assert accepted.returncode == 0, accepted.stderr
    ledger = json.loads((tmp_path / "_site/demo/facts.json").read_text())["facts"]
    assert ledger["wage"]["removed"] is True and ledger["wage"]["history"][0]["value"] == 15
    assert "(15 $ auparavant, retiré désormais)" in visible_text((tmp_path / "_site/demo/index.html").read_text())


def test_a_published_folder_that_does_not_exist_is_an_error(tmp_path: Path):
    write(tmp_path, 1000)
    result = build(tmp_path, "--published", "no-such-folder")
    assert result.returncode == 1
    assert "no-such-folder: error[published-missing]: --published no-such-folder: no such folder" in result.stderr
