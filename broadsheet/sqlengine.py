"""The query engine behind facts computed from a story's table: DuckDB, in memory, locked down.

DuckDB rather than a loop of our own because the aggregates readers meet (a median of an even
count, a sum of decimals) must give what a statistician's tool gives, and because the same engine
answers the next question an author asks without another evaluator to maintain. It is imported
only when a story has such a fact. DuckDB can read files and URLs, install and load extensions:
each connection turns all of that off (`enable_external_access`, no extension loading) and locks
its configuration, so that no query, whatever its text, can reach outside the rows handed to it.
The query text itself is made here from a checked `queries.Query` (names quoted, values passed as
parameters): authors never write SQL.
"""
from __future__ import annotations

from typing import Any, Sequence

import duckdb

LOCKED = {
    "enable_external_access": False,  # no file, no URL, no ATTACH, no COPY
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
    "threads": 1,  # the build shares its cores with the chart workers
    "memory_limit": "512MB",
    "lock_configuration": True,  # and no SET can undo the above
}
AGGREGATES = {"sum": "sum({c})", "mean": "avg({c})", "median": "median({c})", "min": "min({c})",
              "max": "max({c})", "count": "count({c})", "value": "min({c})", "share": "sum({c})"}


def connect():
    """A connection that sees nothing but what it is given."""
    return duckdb.connect(":memory:", config=dict(LOCKED))


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def run(columns: Sequence[tuple[str, str, list]], aggregate: str, column: str,
        where: Sequence[tuple[str, str, Any]]) -> tuple[Any, int, Any]:
    """(the aggregate over the rows kept, how many rows were kept, the whole column's sum for a
    share). `columns`: (name, "DOUBLE" or "VARCHAR", values); `where`: (column, operator, value)."""
    with connect() as db:
        selects = ", ".join(f"unnest(${i + 1}::{kind}[]) AS {quoted(name)}"
                            for i, (name, kind, _) in enumerate(columns))
        db.execute(f"CREATE TABLE t AS SELECT {selects}", [values for _, _, values in columns])
        conditions, params = [], []
        for name, op, value in where:
            if op == "in":
                conditions.append(f"{quoted(name)} IN ({', '.join('?' for _ in value)})")
                params.extend(value)
            else:
                conditions.append(f"{quoted(name)} {op} ?")
                params.append(value)
        condition = " AND ".join(conditions) or "TRUE"
        expression = AGGREGATES[aggregate].format(c=quoted(column))
        result, kept = db.execute(f"SELECT {expression}, count(*) FROM t WHERE {condition}", params).fetchone()
        total = db.execute(f"SELECT sum({quoted(column)}) FROM t").fetchone()[0] if aggregate == "share" else None
    return result, kept, total
