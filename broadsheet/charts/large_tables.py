"""Large tables: where a compiled chart's rows go, and the aggregation done at build time (VegaFusion
lives here).

The page carries a chart's Vega spec inline, so it carries its data too. Rows that are few (what a
chart aggregated at build time, a small CSV) stay there. A table of more than `INLINE_ROWS` rows
that the live view still needs (a scatter of every row, rows a slider filters) moves to a
content-hashed CSV file beside the story; the spec names it by a URL relative to the story folder,
and the page's script resolves it from there. The static picture cannot load a URL, so it is drawn
from a copy of the spec holding the same CSV text inline: picture and live view read the same bytes.

A chart over a large table names that table instead of carrying it, and its compiled Vega spec goes
through VegaFusion's `pre_transform_spec`: every transform VegaFusion can evaluate (aggregate, bin,
timeunit, filter, stack, window...) runs here, in Rust, and its result is written into the spec as
plain values. Transforms that depend on what the reader does (a slider, a brush) stay in the page,
and so does the data they need. VegaFusion reads dates and gives time units in UTC, so the result
does not depend on the machine that builds the site.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable, Mapping, Sequence

from ..output import content_name
from .. import shapes
from . import walk

INLINE_ROWS = 500  # a table with more rows never goes into the page as it is


MAX_DRAWN_ROWS = 10_000  # rows drawn one mark each that a static picture may hold


STATIC_BUDGET = 40 * 1024  # bytes (gzip) one chart's static SVG may weigh: half a page's budget


@dataclass(frozen=True)
class Placement:
    page: dict  # the spec the page embeds: large tables named by URL
    static: dict  # the spec vl-convert draws: the same tables inline
    files: tuple[tuple[str, bytes], ...]  # (path in the story folder, bytes)
    drawn_rows: int  # the most rows one mark draws directly from a table (0 when unknown)


def place(vega: Mapping[str, Any], chart_id: str, inline_rows: int) -> Placement:
    """Split a Vega spec's data between the page and files."""
    files: list[tuple[str, bytes]] = []
    static_entries: dict[int, dict] = {}
    sizes: dict[str, int] = {}

    def move(entry: dict) -> dict:
        values = entry.get("values")
        if shapes.is_topology(values) or shapes.is_geojson(values):
            return _shapes_file(entry, files, static_entries)
        if isinstance(values, list):
            sizes[entry.get("name", "")] = max(sizes.get(entry.get("name", ""), 0), len(values))
        if not (isinstance(values, list) and len(values) > inline_rows):
            return entry
        content, fmt = _as_file(values, entry.get("format"))
        extension = "csv" if fmt["type"] == "csv" else "json"
        path = content_name(f"data/{chart_id}-{len(files) + 1}.{extension}", content)
        files.append((path, content))
        rest = {key: value for key, value in entry.items() if key not in ("values", "format")}
        page_entry = {**rest, "url": path, "format": fmt}
        static_entries[id(page_entry)] = {**rest, "values": content.decode("utf-8"), "format": fmt} \
            if extension == "csv" else {**rest, "values": values}
        return page_entry

    page = _map_data(vega, move)
    static = _map_data(page, lambda entry: static_entries.get(id(entry), entry)) if files else page
    drawn = max((sizes.get(name, 0) for name in drawn_sources(page)), default=0)
    return Placement(page, static, tuple(files), drawn)


def _shapes_file(entry: dict, files: list, static_entries: dict) -> dict:
    """A map's shapes, whatever their size, go to a file named by its content (`data/shapes.<hash>.json`,
    written once for the whole site under assets/: model.site_data_path): every chart of every story
    drawing the same shapes names the same file, which the browser fetches once. The static picture
    keeps them inline."""
    content = json.dumps(entry["values"], separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    path = content_name("data/shapes.json", content)
    if path not in (name for name, _ in files):
        files.append((path, content))
    page_entry = {**{key: value for key, value in entry.items() if key != "values"}, "url": path}
    static_entries[id(page_entry)] = entry
    return page_entry


def _map_data(spec: Any, change: Callable[[dict], dict]) -> Any:
    """The spec with each data entry (top level, and inside group marks) passed through `change`;
    only the containers on the way are copied, never the rows."""
    def scope(node: dict) -> dict:
        if isinstance(node.get("data"), list):
            node["data"] = [change(entry) if isinstance(entry, dict) else entry for entry in node["data"]]
        return node

    return walk.map_scopes(spec, scope)


def drawn_sources(spec: Any) -> list[str]:
    """Names of the tables marks draw from directly (`from.data`, `from.facet.data`)."""
    names: list[str] = []
    for mark in walk.scopes(spec):
        if mark is spec:
            continue
        source = mark.get("from") if isinstance(mark.get("from"), dict) else {}
        facet = source.get("facet") if isinstance(source.get("facet"), dict) else {}
        names.extend(name for name in (source.get("data"), facet.get("data")) if isinstance(name, str))
    return names


def _as_file(values: list, fmt: Any) -> tuple[bytes, dict]:
    """Rows as CSV, with the `parse` that gives Vega back the same types; JSON when a cell holds a
    list or an object, which CSV cannot."""
    columns = list(dict.fromkeys(key for row in values[:1000] if isinstance(row, dict) for key in row))
    try:
        cells = list(map(itemgetter(*columns), values)) if len(columns) > 1 else \
            [(row[columns[0]],) for row in values] if columns else []
    except (KeyError, TypeError):  # rows with different keys: read them one by one
        columns = list(dict.fromkeys(key for row in values if isinstance(row, dict) for key in row))
        cells = [tuple(row.get(c) for c in columns) if isinstance(row, dict) else None for row in values]
    kinds = [set(map(type, column)) - {type(None)} for column in zip(*cells)] if cells and None not in cells else []
    own_parse = fmt.get("parse") if isinstance(fmt, dict) and isinstance(fmt.get("parse"), dict) else {}
    if not kinds or any(kind & {dict, list} for kind in kinds):
        content = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        return content, {"type": "json", **({"parse": own_parse} if own_parse else {})}
    parse: dict[str, str] = {}
    for column, kind in zip(columns, kinds):
        if kind == {bool}:
            parse[column] = "boolean"
        elif kind and kind <= {int, float}:
            parse[column] = "number"
    parse.update(own_parse)
    if any(bool in kind for kind in kinds):  # Python writes True, Vega reads true
        cells = [tuple(("true" if v else "false") if isinstance(v, bool) else v for v in row) for row in cells]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")  # None is written empty, a float as repr() does
    writer.writerow(columns)
    writer.writerows(cells)
    return buffer.getvalue().encode("utf-8"), {"type": "csv", "parse": dict(sorted(parse.items()))}


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
    charts over the table, reuse what it computed (a narrow layout's aggregates). It is emptied with the table: it holds every table it was given (tens of MB each)."""
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
    except (ValueError, RuntimeError) as exc:  # VegaFusion's: an expression or transform it cannot plan
        raise PretransformFailed(" ".join(str(exc).split())[:300]) from None
    for entry in result.get("data", []) or []:  # a table still needed is inlined by VegaFusion itself
        if isinstance(entry, dict) and str(entry.get("url", "")).startswith(URL_PREFIX):
            raise PretransformFailed(f"the table '{entry.get('name')}' was left unresolved")
    return result, [str(w.get("message", w)) if isinstance(w, dict) else str(w) for w in warnings]


# Aggregate ops whose result holds whole rows (`datum.argmax_x.year`): VegaFusion keeps only the
# columns it sees named, so the fields read from such a row are dropped and the chart draws nothing.
ROW_OPS = frozenset({"argmax", "argmin", "values"})


def reads_whole_rows(vega: Mapping[str, Any]) -> bool:
    """Whether a data transform of the spec makes rows of rows (an `argmax`), which VegaFusion
    would evaluate over the wrong columns: such a chart takes the small-table path instead."""
    for scope in walk.scopes(vega):
        for entry in scope.get("data") if isinstance(scope.get("data"), list) else []:
            for step in entry.get("transform", []) if isinstance(entry, dict) else []:
                ops = step.get("ops") if isinstance(step, dict) else None
                if isinstance(ops, list) and ROW_OPS & {op for op in ops if isinstance(op, str)}:
                    return True
    return False


def with_rows(vega: Mapping[str, Any], tables: Mapping[str, tuple[Sequence[str], Sequence[Mapping[str, Any]]]]) -> dict:
    """The spec with each named table given its rows, as a small table is: Vega evaluates every
    transform (the page fetches the rows as a file, `place`)."""
    data = []
    for entry in vega.get("data", []) or []:
        if isinstance(entry, dict) and entry.get("name") in tables and not {"values", "url", "source"} & set(entry):
            columns, rows = tables[entry["name"]]
            entry = {**entry, "values": [{column: row.get(column) for column in columns} for row in rows]}
        data.append(entry)
    return {**vega, "data": data}


def _refuse_addresses(spec: Mapping[str, Any]) -> None:
    """VegaFusion would load any address a data entry names (a web address, a local file): the only
    ones it may see are the story tables handed to it here. The chart compiler refuses such charts
    first, with the chart's line; this is the last guard."""
    for scope in walk.scopes(spec):
        for entry in scope.get("data") if isinstance(scope.get("data"), list) else []:
            if isinstance(entry, dict) and "url" in entry and not (
                    isinstance(entry["url"], str) and entry["url"].startswith(URL_PREFIX)):
                raise PretransformFailed(f"the data '{entry.get('name')}' names an address, which the build never loads")


def version() -> str:
    from importlib.metadata import version as installed
    return installed("vegafusion")
