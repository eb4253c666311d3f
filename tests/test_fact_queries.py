"""A passing example of facts read from the story's table: the value printed in the text is the
one the table holds, a fact derived from it is computed from it, and facts.json records the query."""
from __future__ import annotations

import json
from pathlib import Path

from helpers import SITE_SRC, run_cli

FACTS = """facts:
  total_staff:
    query:
      table: staff
      where:
        kind: [salariés, contractuels]
      sum: count
    unit: personnes
    as_of: 2023-01
    source: semafor
  contractor_share:
    query:
      table: staff
      where:
        kind: contractuels
      share: count
      round: 1
    unit: percent
    as_of: 2023-01
    source: semafor
  per_team:
    formula: round(total_staff / 5)
    unit: personnes
sources:
  semafor:
    name: OpenAI's army
    publisher: Semafor
    url: https://www.semafor.com/newsletter/01/27/2023/openais-army
    date: 2023-01-27
"""


def test_facts_computed_from_the_table_print_and_are_recorded(tmp_path: Path):
    story = tmp_path / "content" / "demo"
    (story / "sections").mkdir(parents=True)
    (story / "data").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Requêtes\nlanguage: fr\nabsolute_url: https://example.org/\n")
    (story / "index.md").write_text("---\ntitle: Un cas\npublished: 2023-05-15\n---\n")
    (story / "facts.yaml").write_text(FACTS)
    (story / "data" / "staff.csv").write_text("kind,count\nsalariés,375\ncontractuels,1000\nautres,125\n")
    (story / "sections" / "01-texte.md").write_text(
        "## Texte\n\nEn tout {fact:total_staff}, dont {fact:contractor_share} de contractuels sur l’ensemble "
        "du tableau, soit {fact:per_team} par équipe.\n")
    result = run_cli("build", "--site-src", str(SITE_SRC), "--strict", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    ledger = json.loads((tmp_path / "_site/demo/facts.json").read_text())["facts"]
    assert ledger["total_staff"]["value"] == 375 + 1000
    assert ledger["total_staff"]["status"] == "computed"  # the default of a queried fact
    assert ledger["total_staff"]["query"] == {"table": "staff", "file": "content/demo/data/staff.csv", "rows": 2,
                                              "sum": "count", "where": [["kind", "in", ["salariés", "contractuels"]]],
                                              "round": None}
    assert ledger["contractor_share"]["value"] == round(1000 / 1500 * 100, 1)
    assert ledger["per_team"]["value"] == round(1375 / 5)
    page = (tmp_path / "_site/demo/index.html").read_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "1 375 personnes" in page and "66,7 %" in page and "275 personnes" in page
