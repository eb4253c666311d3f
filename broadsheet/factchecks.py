"""A chart's `CHECK`: facts the chart asserts equal a value of its data, so that a number typed in
facts.yaml and the bar drawn from a table cannot disagree on the page without the build saying so.

A Python chart writes a module-level literal, read here with `ast` (never run):
    CHECK = {"semafor_contractors": {"table": "workforce", "where": {"groupe": "…"}, "value": "effectif"}}
A Vega-Lite chart writes the same mapping under `usermeta.check`. Each query is the one of
facts.yaml (queries.py): a table, a filter, one aggregate.
"""
from __future__ import annotations

import ast
import json
import math
from typing import Any, Callable, Mapping

from . import queries
from .diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from .model import FactSet
from .yamlmap import LineDict

SHAPE = ('write `CHECK = {"fact_key": {"table": "workforce", "where": {"groupe": "…"}, "value": "effectif"}}`: '
         "a fact key, then the query that must give its value")


def declared(path: str, text: str) -> tuple[list[tuple[str, Any, SourceLocation]], list[Diagnostic]]:
    """[(fact key, its query as LineDicts, where written)] of a chart file, and what is wrong with them."""
    if path.endswith(".py"):
        return _from_python(path, text)
    try:
        document = json.loads(text)
    except ValueError:
        return [], []  # the chart's own checks report a broken file
    usermeta = document.get("usermeta") if isinstance(document, dict) else None
    raw = usermeta.get("check") if isinstance(usermeta, dict) else None
    if raw is None:
        return [], []
    line = next((n for n, content in enumerate(text.splitlines(), 1) if '"check"' in content), 1)
    return _entries(raw, SourceLocation(path, line), {}, path)


def _from_python(path: str, text: str):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return [], []  # reported when the chart runs
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "CHECK" for t in node.targets):
            where = SourceLocation(path, node.lineno, node.col_offset + 1)
            try:
                raw = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
                return [], [error("chart-check-shape", "CHECK must be written out as a literal mapping", where, SHAPE)]
            lines = {}
            if isinstance(node.value, ast.Dict):
                lines = {k.value: k.lineno for k in node.value.keys if isinstance(k, ast.Constant)}
            return _entries(raw, where, lines, path)
    return [], []


def _entries(raw: Any, where: SourceLocation, lines: Mapping, path: str):
    if not isinstance(raw, dict) or not raw:
        return [], [error("chart-check-shape", "CHECK must be a mapping of fact keys to queries", where, SHAPE)]
    found = []
    for key, body in raw.items():
        here = SourceLocation(path, lines.get(key, where.line))
        found.append((str(key), _line_dicts(body, here.line), here))
    return found, []


def _line_dicts(value: Any, line: int) -> Any:
    """Plain dicts as the LineDicts the query parser reads, each key at the line of its fact."""
    if isinstance(value, dict):
        result = LineDict({k: _line_dicts(v, line) for k, v in value.items()})
        result.line = line
        return result
    return [_line_dicts(v, line) for v in value] if isinstance(value, list) else value


def verify(chart_id: str, checks, fact_set: FactSet, tables: Mapping[str, Callable], digests: Mapping[str, str],
           cache, printed: Callable[[Any, str], str]) -> list[Diagnostic]:
    """Each checked fact against what its query gives over the chart's table: a difference stops the
    build, with both values."""
    problems: list[Diagnostic] = []
    for key, body, where in checks:
        fact = fact_set.facts.get(key)
        if fact is None:
            problems.append(error("chart-check-fact", f"chart '{chart_id}' checks unknown fact '{key}'", where,
                                  f"{did_you_mean(key, fact_set.facts)}CHECK names facts of {fact_set.path}"))
            continue
        owner = f"the check of fact '{key}' in chart '{chart_id}'"
        query = queries.parse(owner, body, where, problems)
        if query is None or fact.value is None:
            continue
        query, value, found = queries.run(owner, query, tables, digests, cache)
        problems += found
        if value is not None and not math.isclose(value, fact.value, rel_tol=1e-9, abs_tol=1e-12):
            problems.append(error("chart-check", f"chart '{chart_id}' draws {printed(value, fact.unit)} where fact "
                                  f"'{key}' says {printed(fact.value, fact.unit)} ({query.file}, {query.rows} "
                                  f"row{'s' if query.rows != 1 else ''})", where,
                                  f"correct the table or the fact ({fact.location.path}:{fact.location.line}), "
                                  "so that the text and the chart give the same number"))
    return problems
