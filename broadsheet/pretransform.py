"""Data a chart aggregates is aggregated at build time (VegaFusion lives here only).

A chart over a large table (`charts.INLINE_ROWS` rows or more) names that table instead of
carrying it, and its compiled Vega spec goes through VegaFusion's `pre_transform_spec`: every
transform VegaFusion can evaluate (aggregate, bin, timeunit, filter, stack, window, ...) runs here,
in Rust, and its result is written into the spec as plain values. Transforms that depend on
what the reader does (a slider, a brush) stay in the page, and so does the data they need.

Times: VegaFusion reads dates and gives time units in UTC, so the result does not depend on the
machine that builds the site; it writes the results as local date-times without an offset, which
a browser shows as the same calendar dates in every time zone.
"""
from __future__ import annotations

from operator import itemgetter
from typing import Any, Mapping, Sequence

URL_PREFIX = "vegafusion+dataset://"


class PretransformFailed(Exception):
    """VegaFusion refused the spec; the message is VegaFusion's, shortened."""


def _arrow_table(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]):
    """An Arrow table (VegaFusion's input) with one type per column: integers, numbers,
    booleans, or text (anything else is written as text)."""
    import arro3.core as arrow

    arrays = {}
    by_column = dict(zip(rows.columns, rows.columns_data)) if hasattr(rows, "columns_data") else {}
    for column in columns:
        if column in by_column:  # a CSV read by columns (data.Rows)
            values = by_column[column]
        else:
            try:
                values = list(map(itemgetter(column), rows))
            except KeyError:
                values = [row.get(column) for row in rows]
        kinds = set(map(type, values)) - {type(None)}
        if kinds == {bool}:
            kind = arrow.DataType.bool()
        elif kinds == {int}:
            kind = arrow.DataType.int64()
        elif kinds and kinds <= {int, float}:
            kind = arrow.DataType.float64()
            if int in kinds:
                values = [None if v is None else float(v) for v in values]
        else:
            kind = arrow.DataType.string()
            if kinds - {str}:
                values = [v if v is None or isinstance(v, str) else str(v) for v in values]
        arrays[column] = arrow.Array(values, kind)
    return arrow.Table.from_pydict(arrays)


_LAST: list = []  # [(rows, Arrow table)]: the charts of a story, which come together, share their CSV


def _table_for(columns: Sequence[str], rows: Sequence[Mapping[str, Any]]):
    """The Arrow table of these rows, kept while the charts that come next read the same rows.
    VegaFusion's cache is kept as long: the narrow drawing of a chart, and the story's other
    charts over the table, reuse what it computed (a narrow layout's aggregates: 3 ms instead of
    30). It is emptied with the table: it holds every table it was given (tens of MB each)."""
    from vegafusion import runtime

    if _LAST and _LAST[0][0] is rows:
        return _LAST[0][1]
    _LAST.clear()  # one table kept, not more: a 100,000-row table weighs tens of MB
    runtime.clear_cache()
    table = _arrow_table(columns, rows)
    _LAST.append((rows, table))
    return table


def evaluate(vega: Mapping[str, Any], tables: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]],
             interactive: bool = True) -> tuple[dict, list[str]]:
    """(Vega spec with its data transforms evaluated, VegaFusion's warnings).

    `tables` maps the name of a top-level data entry of the spec to (columns, rows): the
    entry receives that table. With `interactive` False, transforms that depend on what the
    reader does are evaluated too, at the chart's initial state: the spec of the static picture.
    Raises PretransformFailed when VegaFusion cannot plan the spec."""
    from vegafusion import runtime

    spec = dict(vega)
    aliases: dict[str, str] = {}
    data = []
    for entry in spec.get("data", []) or []:
        if isinstance(entry, dict) and entry.get("name") in tables and not {"values", "url", "source"} & set(entry):
            alias = aliases.setdefault(entry["name"], f"t{len(aliases)}")
            entry = {**entry, "url": URL_PREFIX + alias}
        data.append(entry)
    spec["data"] = data
    _refuse_addresses(spec)
    inline = {alias: _table_for(*tables[name]) for name, alias in aliases.items()}
    try:
        result, warnings = runtime.pre_transform_spec(spec, local_tz="UTC", default_input_tz="UTC",
                                                      preserve_interactivity=interactive, inline_datasets=inline)
    except Exception as exc:  # VegaFusion's own error types: an expression or transform it cannot plan
        raise PretransformFailed(" ".join(str(exc).split())[:300]) from None
    for entry in result.get("data", []) or []:  # a table still needed is inlined by VegaFusion itself
        if isinstance(entry, dict) and str(entry.get("url", "")).startswith(URL_PREFIX):
            raise PretransformFailed(f"the table '{entry.get('name')}' was left unresolved")
    return result, [str(w.get("message", w)) if isinstance(w, dict) else str(w) for w in warnings]


def _refuse_addresses(spec: Mapping[str, Any]) -> None:
    """VegaFusion would load any address a data entry names (a web address, a local file): the only
    ones it may see are the story tables handed to it here. The chart compiler refuses such charts
    first, with the chart's line; this is the last guard."""
    def walk(node: Any) -> None:
        if not isinstance(node, dict):
            return
        for entry in node.get("data") if isinstance(node.get("data"), list) else []:
            if isinstance(entry, dict) and "url" in entry and not (
                    isinstance(entry["url"], str) and entry["url"].startswith(URL_PREFIX)):
                raise PretransformFailed(f"the data '{entry.get('name')}' names an address, which the build never loads")
        for mark in node.get("marks") if isinstance(node.get("marks"), list) else []:
            walk(mark)

    walk(spec)


def version() -> str:
    from importlib.metadata import version as installed
    return installed("vegafusion")
