"""What a chart calls its fields: the titles its encodings give them, and the pairs it draws as
ranges. Readers see a chart's words, never its CSV's column names (`groupe`) nor the names
Vega-Lite derives (`mean_montant`); and a range whose two ends are equal is one value to them.
"""
from __future__ import annotations

from typing import Any, Mapping

from . import walk

POSITIONS = {"x": "x", "x2": "x", "y": "y", "y2": "y"}


def _defs(encoding: Mapping[str, Any]):
    """(channel, field definition) of an encoding, a tooltip list's entries included."""
    for channel, value in encoding.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                yield channel, item


def _name(definition: Mapping[str, Any]) -> str | None:
    """The column a field definition makes: its field, or Vega-Lite's `op_field` for an aggregate
    or a time unit (`mean_montant`, `yearmonth_mois`); `count` for a count of rows."""
    field = definition.get("field")
    if not isinstance(field, str):
        return "count" if definition.get("aggregate") == "count" else None
    for key in ("aggregate", "timeUnit"):
        op = definition.get(key)
        if isinstance(op, dict):
            op = op.get("unit")
        if isinstance(op, str):
            return f"{op}_{field}"
    return field


def titles(vegalite: Any) -> dict[str, str]:
    """Column name -> the title the chart gives it. A tooltip's titles come first (they are
    written to name one value), then the other encodings' (axes and legends)."""
    found: dict[str, str] = {}
    rest: dict[str, str] = {}
    for node in walk.nodes(vegalite, skip={"data", "datasets", "values"}):
        encoding = node.get("encoding")
        if not isinstance(encoding, dict):
            continue
        for channel, definition in _defs(encoding):
            name, title = _name(definition), definition.get("title")
            if isinstance(title, list):
                title = " ".join(t for t in title if isinstance(t, str))
            if name and isinstance(title, str) and title.strip():
                (found if channel == "tooltip" else rest).setdefault(name, title.strip())
                if name != definition.get("field", name):
                    rest.setdefault(definition["field"], title.strip())
            elif name and name != definition.get("field", name):
                rest.setdefault(name, definition["field"])  # no title: the column, not `yearmonth_date`
    return {**rest, **found}


TIME_UNIT_FORMATS = {"year": "y", "yearquarter": "y QQQ", "yearmonth": "MMMM y", "month": "MMMM",
                     "yearmonthdate": "date", "yearweek": "date", "date": "d", "day": "EEEE",
                     "hours": "HH:mm", "hoursminutes": "HH:mm", "yearmonthdatehours": "datetime",
                     "yearmonthdatehoursminutes": "datetime", "yearmonthdatehoursminutesseconds": "datetime"}


def temporal_columns(vegalite: Any) -> dict[str, str]:
    """Column name -> how readers see its dates, as the chart's axis would show them: the time
    unit's pattern (`MMMM y` for `yearmonth`: "juin 2023"), else "date" (a date, its time when
    it has one). For every temporal field or time unit, under its own and its derived name."""
    found: dict[str, str] = {}
    for node in walk.nodes(vegalite, skip={"data", "datasets", "values"}):
        encoding = node.get("encoding")
        for _, definition in _defs(encoding) if isinstance(encoding, dict) else ():
            unit = definition.get("timeUnit")
            unit = unit.get("unit") if isinstance(unit, dict) else unit
            if not isinstance(definition.get("field"), str) or not (unit or definition.get("type") == "temporal"):
                continue
            pattern = TIME_UNIT_FORMATS.get(unit.replace("utc", "", 1), "date") if isinstance(unit, str) else "date"
            found.setdefault(_name(definition) or definition["field"], pattern)
            found.setdefault(definition["field"], pattern if _name(definition) == definition["field"] else "date")
    return found


def time_axis_columns(vegalite: Any) -> tuple[str, ...]:
    """The columns an x axis of time reads (its derived name, `yearmonth_date`, then its field), in
    the order of the spec: the order readers expect the rows of its table in."""
    found: dict[str, None] = {}
    for node in walk.nodes(vegalite, skip={"data", "datasets", "values"}):
        encoding = node.get("encoding")
        definition = encoding.get("x") if isinstance(encoding, dict) else None
        if not isinstance(definition, dict) or not isinstance(definition.get("field"), str):
            continue
        if definition.get("type") == "temporal" or definition.get("timeUnit"):
            found.update(dict.fromkeys(name for name in (_name(definition), definition["field"]) if name))
    return tuple(found)


def _layered(node: Mapping[str, Any]):
    """The encodings a view draws on its own scales: its own, and those of its layers, nested too."""
    if isinstance(node.get("encoding"), dict):
        yield node["encoding"]
    for member in node.get("layer") if isinstance(node.get("layer"), list) else []:
        if isinstance(member, dict):
            yield from _layered(member)


def position_groups(vegalite: Any) -> list[tuple[frozenset[str], str | None]]:
    """The fields each position channel draws together, with the channel's title: a mark's x and
    x2 (a range), or several layers on one x scale (a bar to the high end, a tick at the low end)."""
    groups: dict[frozenset[str], str | None] = {}
    for node in walk.nodes(vegalite, skip={"data", "datasets", "values"}):
        if "mark" not in node and "layer" not in node:
            continue
        by_axis: dict[str, tuple[set[str], list[str]]] = {}
        for encoding in _layered(node):
            for channel, definition in _defs(encoding):
                axis, field = POSITIONS.get(channel), definition.get("field")
                if axis and isinstance(field, str) and (channel.endswith("2") or definition.get("type") == "quantitative"):
                    fields, names = by_axis.setdefault(axis, (set(), []))
                    fields.add(field)
                    names += [definition["title"]] if isinstance(definition.get("title"), str) else []
        for fields, names in by_axis.values():
            if len(fields) > 1 and frozenset(fields) not in groups:
                groups[frozenset(fields)] = names[0] if names else None
    return list(groups.items())
