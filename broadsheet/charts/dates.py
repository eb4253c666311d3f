"""Dates a chart reads as text: a temporal field whose values Vega cannot read as dates
(`31/12/2021`, `soon`: an empty or wrong axis, told by the engine's own JavaScript Date), and a
nominal or ordinal axis over such dates (sorted as text: `01/02/2022` before `12/01/2021`).
Warnings at the chart file's line of the field, each with the fix."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from ..diagnostics import Diagnostic, SourceLocation, warning
from . import walk
from .sources import ChartDefinition, line_of_token
from .tables import inline_tables

# What every browser's Date reads alike: 2021, 2021-03, 2021-03-05, 2021-03-05T10:00(:00(.000))(Z|+01:00)
_ISO = re.compile(r"\d{4}(-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?")
_MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# Dates written another way (day or month first, a month's name): text that sorts out of time order.
_OTHER_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|" + _MONTH + r" \d{1,2},? \d{4}|\d{1,2} " + _MONTH +
                         r",? \d{4}|" + _MONTH + r",? \d{4}|\d{4}/\d{1,2}/\d{1,2}", re.I)
_POSITIONS = ("x", "y", "x2", "y2", "row", "column", "facet", "color")
_SAMPLE = 200


def _parsed(spec: Any) -> set[str]:
    """Fields whose reading the chart states itself (`format.parse`), which it then owns."""
    named = set()
    for node in walk.nodes(spec, skip={"values", "datasets"}):
        fmt = node.get("format") if isinstance(node.get("format"), dict) else {}
        if isinstance(fmt.get("parse"), dict):
            named.update(fmt["parse"])
    return named


def _encodings(spec: Any):
    """(channel, field definition) of every encoding of the spec, its layers and views."""
    for node in walk.nodes(spec, skip={"values", "datasets", "data", "transform"}):
        encoding = node.get("encoding")
        for channel, item in (encoding.items() if isinstance(encoding, dict) else ()):
            if isinstance(item, dict) and isinstance(item.get("field"), str):
                yield channel, item


def _texts(rows_of_tables, field: str) -> list[str]:
    """The distinct texts of a column (a sample of each table's first rows)."""
    seen: dict[str, None] = {}
    for rows in rows_of_tables:
        for row in rows[:_SAMPLE]:
            value = row.get(field) if isinstance(row, Mapping) else None
            if isinstance(value, str) and value.strip():
                seen[value.strip()] = None
    return list(seen)


def check_dates(definition: ChartDefinition, source: str, files: Mapping[str, Any] | None = None,
                unparsed: Callable[[list[str]], list[str]] = lambda texts: texts) -> list[Diagnostic]:
    """Warnings for dates the chart reads as text (see the module's words). `unparsed`: the texts
    among those given that JavaScript's Date cannot read (ISO dates never reach it)."""
    spec = definition.vegalite
    tables = [rows for rows in inline_tables(spec) if isinstance(rows, list)]
    tables += [files[name].rows for name in definition.datasets_used if files is not None and name in files]
    if not tables:
        return []
    parsed = _parsed(spec)
    problems: list[Diagnostic] = []
    said: set[str] = set()
    for channel, item in _encodings(spec):
        field, kind = item["field"], item.get("type")
        if field in parsed or field in said:
            continue
        texts = _texts(tables, field)
        if not texts:
            continue
        line, column = line_of_token(source, [field], 1)
        where = SourceLocation(definition.path, line, column)
        if kind == "temporal" or (item.get("timeUnit") and kind in (None, "ordinal", "nominal")):
            problem = _not_iso(definition.id, field, texts, where, unparsed)
        elif kind in ("nominal", "ordinal") and channel in _POSITIONS and "sort" not in item:
            problem = _sorted_as_text(definition.id, field, kind, channel, texts, where)
        else:
            problem = None
        if problem is not None:
            said.add(field)
            problems.append(problem)
    return problems


def _not_iso(chart_id: str, field: str, texts: list[str], where: SourceLocation,
             unparsed: Callable[[list[str]], list[str]]) -> Diagnostic | None:
    odd = [text for text in texts if not _ISO.fullmatch(text)]
    odd = unparsed(odd) if odd else odd
    if not odd:
        return None
    return warning(
        "chart-dates", f"chart '{chart_id}' reads column '{field}' as dates, but {len(odd)} of its values "
        f"are no date JavaScript reads ('{odd[0]}'): Vega cannot place them, and the axis is empty or wrong", where,
        f"write the dates as 2021-12-31 in the file, or say how they are written: \"format\": "
        f"{{\"parse\": {{\"{field}\": \"date:'%d/%m/%Y'\"}}}} (in Altair, "
        f"alt.DataFormat(parse={{\"{field}\": \"date:'%d/%m/%Y'\"}}))")


def _sorted_as_text(chart_id: str, field: str, kind: str, channel: str, texts: list[str],
                    where: SourceLocation) -> Diagnostic | None:
    dated = [text for text in texts if _OTHER_DATE.fullmatch(text)]
    if len(dated) < 2 or len(dated) != len(texts) or sorted(dated) == dated:
        return None
    return warning(
        "chart-dates-sorted", f"chart '{chart_id}' shows column '{field}' as {kind} text although it holds "
        f"dates ('{dated[0]}'): its {channel} axis sorts them as text, not in time order "
        f"('{sorted(dated)[0]}' first)", where,
        "make it a time axis (\"type\": \"temporal\", with a \"timeUnit\" such as \"yearmonthdate\" "
        "for bars), or keep the file's order with \"sort\": null")
