"""The query syntax of facts.yaml and what each aggregate gives, checked against Python's statistics."""
from __future__ import annotations

import statistics

import pytest

from broadsheet import queries
from broadsheet.cache import NoCache
from broadsheet.diagnostics import SourceLocation
from broadsheet.yamlmap import LineDict

NAMES = ["pays", "annee", "montant"]
VALUES = [["FR", "FR", "DE", "DE", "IT"], [2022, 2023, 2022, 2023, 2023], [1.5, 2.25, 10, 4, None]]


def run(**body):
    problems = []
    query = queries.parse("fact 'x'", LineDict(body), SourceLocation("facts.yaml", 3), problems)
    assert not problems, problems
    return queries.run("fact 'x'", query, {"t": lambda: ("data/t.csv", NAMES, VALUES)}, {"t": "h"}, NoCache())


present = [v for v in VALUES[2] if v is not None]


@pytest.mark.parametrize("aggregate, expected", [
    ("sum", sum(present)), ("mean", statistics.mean(present)), ("median", statistics.median(present)),
    ("min", min(present)), ("max", max(present)), ("count", len(present)),
])
def test_each_aggregate_agrees_with_python(aggregate, expected):
    query, value, problems = run(table="t", **{aggregate: "montant"})
    assert problems == [] and value == pytest.approx(expected)
    assert query.rows == 5 and query.file == "data/t.csv"


def test_where_equals_one_of_and_compare():
    assert run(table="t", where=LineDict({"pays": "FR"}), sum="montant")[1] == pytest.approx(3.75)
    assert run(table="t", where=LineDict({"pays": ["FR", "IT"]}), count="pays")[1] == 3
    assert run(table="t", where=LineDict({"annee": LineDict({">=": 2023}), "pays": "DE"}), value="montant")[1] == 4


def test_share_is_a_percent_of_the_column_and_rounds_half_up():
    value = run(table="t", where=LineDict({"pays": "DE"}), share="montant", round=1)[1]
    assert value == round(14 / 17.75 * 100 + 1e-12, 1)


def test_a_number_compared_with_text_is_the_authors_to_fix():
    problems = run(table="t", where=LineDict({"annee": "2023"}), sum="montant")[2]
    assert [p.code for p in problems] == ["fact-query-type"]


def test_empty_cells_of_a_text_column_are_not_counted():
    assert run(table="t", where=LineDict({"pays": "DE"}), count="montant")[1] == 2
    names, values = ["note", "n"], [[None, "a", ""], [1, 2, 3]]
    problems = []
    query = queries.parse("fact 'x'", LineDict(table="t", count="note"), SourceLocation("facts.yaml", 3), problems)
    assert queries.run("fact 'x'", query, {"t": lambda: ("t.csv", names, values)}, {"t": "h"}, NoCache())[1] == 1
