"""Where a compiled chart's rows go: inline in the page, or a CSV file the live view fetches.

The page carries a chart's Vega spec inline, so it carries its data too. Rows that are few (what
a chart aggregated at build time, a small CSV) stay there. A table of more than
`charts.INLINE_ROWS` rows that the live view still needs (a scatter of every row, rows a slider
filters) moves to a content-hashed CSV file beside the story; the spec names it by a URL relative
to the story folder, and the page's script resolves it from there. The static picture cannot load
a URL (vl-convert fetches nothing), so it is drawn from a copy of the spec holding the same CSV
text inline: the picture and the live view read the same bytes the same way.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable, Mapping

from .output import content_name

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
    drawn = max((sizes.get(name, 0) for name in _drawn_sources(page)), default=0)
    return Placement(page, static, tuple(files), drawn)


def _map_data(spec: Any, change: Callable[[dict], dict]) -> Any:
    """The spec with each data entry (top level, and inside group marks) passed through `change`;
    only the containers on the way are copied, never the rows."""
    if not isinstance(spec, dict):
        return spec
    out = dict(spec)
    if isinstance(spec.get("data"), list):
        out["data"] = [change(entry) if isinstance(entry, dict) else entry for entry in spec["data"]]
    if isinstance(spec.get("marks"), list):
        out["marks"] = [_map_data(mark, change) for mark in spec["marks"]]
    return out


def _drawn_sources(spec: Any) -> list[str]:
    """Names of the tables marks draw from directly (`from.data`, `from.facet.data`)."""
    names: list[str] = []
    for mark in spec.get("marks", []) if isinstance(spec, dict) else []:
        if not isinstance(mark, dict):
            continue
        source = mark.get("from") if isinstance(mark.get("from"), dict) else {}
        facet = source.get("facet") if isinstance(source.get("facet"), dict) else {}
        for name in (source.get("data"), facet.get("data")):
            if isinstance(name, str):
                names.append(name)
        names.extend(_drawn_sources(mark))
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
