"""Facts computed from a table run in DuckDB, which can read files and URLs and load extensions:
a query, whatever the table's column names and the author's values, reaches nothing else."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from broadsheet import queries, sqlengine
from broadsheet.cache import NoCache
from broadsheet.diagnostics import SourceLocation
from broadsheet.yamlmap import LineDict

SECRET = "/etc/hostname"


def _query(**body):
    problems = []
    query = queries.parse("fact 'x'", LineDict(body), SourceLocation("facts.yaml", 3), problems)
    assert not problems, problems
    return query


def _run(query, names, values):
    return queries.run("fact 'x'", query, {"t": lambda: ("data/t.csv", names, values)}, {"t": "h"}, NoCache())


OUTSIDE = Path(tempfile.gettempdir()) / "broadsheet-hostile"  # where a query must never write


@pytest.mark.parametrize("statement", [
    f"SELECT * FROM read_csv('{SECRET}')",
    f"SELECT * FROM '{SECRET}'",
    "SELECT * FROM read_text('https://example.com/')",
    "INSTALL httpfs", "LOAD httpfs",
    f"ATTACH '{OUTSIDE}.db'",
    f"COPY (SELECT 1) TO '{OUTSIDE}.csv'",
    "SET enable_external_access = true",
    "SET autoload_known_extensions = true",
])
def test_the_connection_refuses_files_urls_extensions_and_unlocking(statement):
    with sqlengine.connect() as db, pytest.raises(Exception) as caught:
        db.execute(statement)
    said = str(caught.value).lower()  # refused for what it is, not for a typo in the statement
    assert any(word in said for word in ("permission", "cannot change configuration", "disabled",
                                          "table with name /etc/hostname does not exist")), said
    assert not Path(f"{OUTSIDE}.csv").exists() and not Path(f"{OUTSIDE}.db").exists()


def test_a_column_named_like_sql_is_only_a_name():
    hostile = "x\" FROM read_csv('/etc/hostname') --"
    query, value, problems = _run(_query(table="t", sum=hostile), [hostile], [[1, 2, 3]])
    assert (value, problems) == (6, [])


def test_a_where_value_written_as_sql_matches_nothing_and_says_so():
    query, value, problems = _run(_query(table="t", where=LineDict({"name": "a' OR '1'='1"}), value="n"),
                                  ["name", "n"], [["a", "b"], [1, 2]])
    assert value is None and [p.code for p in problems] == ["fact-query-empty"]


def test_a_where_column_named_like_sql_is_only_a_name():
    hostile = "name\" = \"name\" OR TRUE OR \"x"
    query, value, problems = _run(_query(table="t", where=LineDict({hostile: "b"}), value="n"),
                                  [hostile, "n"], [["a", "b"], [1, 2]])
    assert (value, problems) == (2, [])


def test_an_operator_that_is_not_one_of_ours_is_refused_before_any_query():
    problems = []
    body = LineDict({"table": "t", "sum": "n", "where": LineDict({"n": LineDict({"> 0 OR 1 =": 1})})})
    assert queries.parse("fact 'x'", body, SourceLocation("facts.yaml", 3), problems) is None
    assert [p.code for p in problems] == ["fact-query-shape"]
