"""Facts computed from a story's own table: the `query:` an author writes in facts.yaml (a table,
a filter, one aggregate), checked against the table, and run by the query engine (sqlengine).

The syntax is declarative so that the prose number and the chart read the same rows without an
author writing (or escaping) SQL. The same query serves a chart's `CHECK`, which asserts that a
fact equals what the chart's data says. Results are cached under the table's content hash.
"""
from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping

from .cache import digest
from .diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from .yamlmap import LineDict, as_text

AGGREGATES = ("sum", "mean", "median", "min", "max", "count", "share", "value")
FIELDS = ("table", "where") + AGGREGATES + ("round",)
OPERATORS = ("=", "!=", ">", ">=", "<", "<=")
NUMERIC = ("sum", "mean", "median", "min", "max", "share", "value")  # need a column of numbers
HINT = ("write `table:` (a file of data/ without its extension), an optional `where:` and one of "
        f"{', '.join(AGGREGATES)} naming a column, e.g. `sum: effectif`")


@dataclass(frozen=True)
class Query:
    table: str
    aggregate: str
    column: str
    where: tuple[tuple[str, str, Any], ...]  # (column, operator, value or tuple of values for "in")
    digits: int | None
    location: SourceLocation
    lines: tuple[tuple[str, SourceLocation], ...]  # "table", "column", "where:<column>" -> where written
    file: str = ""  # filled once run: the table's file, and how many rows the filter kept
    rows: int = 0

    def at(self, what: str) -> SourceLocation:
        return dict(self.lines).get(what, self.location)

    def as_json(self) -> dict:
        """What the ledger records: the query as written, the file it read and the rows it kept."""
        return {"table": self.table, "file": self.file, "rows": self.rows, self.aggregate: self.column,
                "where": [[c, op, list(v) if isinstance(v, tuple) else v] for c, op, v in self.where],
                "round": self.digits}

    def key(self) -> str:
        return json.dumps([self.table, self.aggregate, self.column, self.as_json()["where"], self.digits],
                          sort_keys=True, default=str)


def parse(owner: str, body: Any, where: SourceLocation, problems: list[Diagnostic]) -> Query | None:
    """A `query:` mapping -> Query, or None with its problems reported. `owner` names it in messages."""
    if not isinstance(body, LineDict):
        problems.append(error("fact-query-shape", f"query of {owner} must be a mapping", where, HINT))
        return None
    at = lambda field: SourceLocation(where.path, body.line_of(field), body.column_of(field))  # noqa: E731
    before = len(problems)
    for field in body:
        if field not in FIELDS:
            problems.append(error("fact-query-shape", f"unknown field '{field}' in the query of {owner}", at(field),
                                  f"{did_you_mean(str(field), FIELDS)}{HINT}"))
    chosen = [name for name in AGGREGATES if name in body]
    if len(chosen) != 1 or not as_text(body.get(chosen[0])).strip():
        problems.append(error("fact-query-shape", f"the query of {owner} needs exactly one aggregate, not "
                              f"{len(chosen)}" if len(chosen) != 1 else f"the query of {owner} names no column",
                              where, HINT))
    if not as_text(body.get("table")).strip():
        problems.append(error("fact-query-shape", f"the query of {owner} names no table", where, HINT))
    digits = body.get("round")
    if digits is not None and (not isinstance(digits, int) or isinstance(digits, bool) or not 0 <= digits <= 10):
        problems.append(error("fact-query-shape", f"`round:` of the query of {owner} must be a whole number of "
                              "digits from 0 to 10", at("round"), "write `round: 1` for one decimal"))
    conditions, lines = _conditions(owner, body.get("where"), at, problems)
    if len(problems) > before:
        return None
    aggregate = chosen[0]
    lines += [("table", at("table")), ("column", at(aggregate))]
    return Query(as_text(body["table"]).strip(), aggregate, as_text(body[aggregate]).strip(), tuple(conditions),
                 digits, where, tuple(lines))


def _conditions(owner: str, raw: Any, at, problems: list[Diagnostic]):
    """`where:` -> [(column, operator, value)]: `col: value`, `col: [a, b]` (one of), `col: {">=": 10}`."""
    if raw is None:
        return [], []
    if not isinstance(raw, LineDict):
        problems.append(error("fact-query-shape", f"`where:` of the query of {owner} must be a mapping of columns",
                              at("where"), "write one column a line: `categorie: Salariés`"))
        return [], []
    conditions, lines = [], []
    for column, value in raw.items():
        here = SourceLocation(at("where").path, raw.line_of(column), raw.column_of(column))
        lines.append((f"where:{column}", here))
        tests = value.items() if isinstance(value, LineDict) else [("in" if isinstance(value, list) else "=", value)]
        for op, operand in tests:
            values = operand if op == "in" else [operand]
            if op not in OPERATORS + ("in",) or not values or not all(_scalar(v) for v in values):
                problems.append(error("fact-query-shape", f"`where:` of the query of {owner}: column '{column}' "
                                      f"must be compared to a number or a text", here,
                                      f"write `{column}: value`, `{column}: [a, b]` or "
                                      f"`{column}: {{\">=\": 10}}` (operators {' '.join(OPERATORS)})"))
                continue
            shown = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
            conditions.append((str(column), op, tuple(shown) if op == "in" else shown[0]))
    return conditions, lines


def _scalar(value: Any) -> bool:
    return (isinstance(value, (int, float, str, dt.date)) and not isinstance(value, bool)
            and not (isinstance(value, float) and not math.isfinite(value)))


Table = tuple[str, list[str], list[list]]  # (file, column names, column values)


def run(owner: str, query: Query, tables: Mapping[str, Callable[[], Table]], digests: Mapping[str, str],
        cache) -> tuple[Query, Any, list[Diagnostic]]:
    """(the query with its file and rows, its value or None, problems). `tables`: story table name ->
    a function reading it; the result is cached under the table's content hash and the query."""
    if query.table not in tables:
        return query, None, [error("fact-query-table", f"the query of {owner} reads unknown table '{query.table}'",
                                   query.at("table"), f"{did_you_mean(query.table, tables)}tables are the files "
                                   f"of the story's data/ folder, named without their extension: "
                                   f"{', '.join(sorted(tables)) or 'none'}")]
    key = digest("fact-query-v1", digests[query.table], query.key())
    known = cache.get("fact-queries", key)
    if known is not None:
        found = json.loads(known)
        return replace(query, file=found["file"], rows=found["rows"]), found["value"], []
    path, names, values = tables[query.table]()
    problems = _check_columns(owner, query, path, names, values)
    if problems:
        return query, None, problems
    value, kept, problems = _evaluate(owner, query, path, names, values)
    query = replace(query, file=path, rows=kept)
    if not problems:
        cache.put("fact-queries", key, json.dumps({"file": path, "rows": kept, "value": value}).encode("utf-8"))
    return query, value, problems


def _numeric(values: list) -> bool:
    present = [v for v in values if v is not None and v != ""]
    return bool(present) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present)


def _check_columns(owner: str, query: Query, path: str, names: list[str], values: list[list]) -> list[Diagnostic]:
    found = []
    listed = f"the columns of {path} are {', '.join(names)}"
    for column, where in [(query.column, query.at("column"))] + [(c, query.at(f"where:{c}")) for c, _, _ in query.where]:
        if column not in names:
            found.append(error("fact-query-column", f"the query of {owner} names unknown column '{column}' of "
                               f"{path}", where, f"{did_you_mean(column, names)}{listed}"))
    if not found and query.aggregate in NUMERIC and not _numeric(values[names.index(query.column)]):
        found.append(error("fact-query-type", f"the query of {owner} takes the {query.aggregate} of column "
                           f"'{query.column}' of {path}, which does not hold numbers", query.at("column"),
                           f"name a column of numbers, or use `count: {query.column}` to count its rows"))
    for column, op, value in query.where:
        if not found and _numeric(values[names.index(column)]) and not all(
                isinstance(v, (int, float)) for v in (value if op == "in" else (value,))):
            found.append(error("fact-query-type", f"the query of {owner} compares column '{column}' of {path}, "
                               f"which holds numbers, to a text: {value!r}", query.at(f"where:{column}"),
                               f"write a number without quotes: `{column}: 2023`"))
    return found


def _evaluate(owner: str, query: Query, path: str, names: list[str], values: list[list]):
    """(value, rows kept, problems): the engine runs the query; empty and non-numeric results are
    the author's to fix, not a value of None printed in silence."""
    from . import sqlengine  # DuckDB is loaded only by a story that has a query

    kinds = {name: "DOUBLE" if _numeric(column) else "VARCHAR" for name, column in zip(names, values)}
    columns = [(name, kinds[name], [None if v is None or v == "" else (v if kinds[name] == "DOUBLE" else _text(v))
                                    for v in column]) for name, column in zip(names, values)]
    where = [(c, op, tuple(map(_text, v)) if op == "in" and kinds[c] == "VARCHAR" else
              (_text(v) if kinds[c] == "VARCHAR" else v)) for c, op, v in query.where]
    result, kept, total = sqlengine.run(columns, query.aggregate, query.column, where)
    if kept == 0 or result is None:
        return None, kept, [_empty(owner, query, path, names, values, kept)]
    if query.aggregate == "value" and kept > 1:
        return None, kept, [error("fact-query-rows", f"the query of {owner} takes the value of '{query.column}' "
                                  f"but its filter keeps {kept} rows of {path}", query.location,
                                  "add a condition to `where:` so that exactly one row is kept, or use an aggregate "
                                  "(sum, mean, median, min, max)")]
    if query.aggregate == "share":
        if not total:
            return None, kept, [error("fact-query-type", f"the query of {owner}: column '{query.column}' of {path} "
                                      "sums to zero, so no share of it can be taken", query.at("column"),
                                      "name a column whose total is not zero")]
        result = result / total * 100
    result = float(result)
    if not math.isfinite(result) or abs(result) >= 1e15:
        return None, kept, [error("fact-query-type", f"the query of {owner} gives a number that cannot be printed",
                                  query.location, "check the column and the aggregate")]
    if query.digits is not None:
        result = math.floor(result * 10 ** query.digits + 0.5) / 10 ** query.digits
    return (int(result) if result.is_integer() else result), kept, []


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False) \
        if isinstance(value, (dict, list)) else str(value)


def _empty(owner: str, query: Query, path: str, names: list[str], values: list[list], kept: int) -> Diagnostic:
    """No row kept (or only empty cells): the hint names the closest value of the first text
    condition that matched nothing, as a did-you-mean."""
    hint = ""
    for column, op, value in query.where:
        if op == "=" and isinstance(value, str):
            present = {_text(v) for v in values[names.index(column)] if v not in (None, "")}
            if value not in present:
                hint = f"{did_you_mean(value, present)}no row of {path} has {column} = {value!r}; "
                break
    what = "keeps no row" if kept == 0 else f"keeps {kept} rows whose '{query.column}' is empty"
    return error("fact-query-empty", f"the query of {owner} {what} of {path}", query.location,
                 f"{hint}check the values under `where:` against the table")
