"""Reader tables: the data shown under a chart and offered as CSV (the story's own files where it can)."""
from __future__ import annotations

import csv
import dataclasses
import heapq
import io
import json
import re
from typing import Any, Mapping

from ..model import TABLE_ROWS, Dataset, TableData
from . import fields
from . import walk
from . import large_tables
from .large_tables import INLINE_ROWS


def inline_tables(spec: Any) -> list[list[Mapping[str, Any]]]:
    """Every inline dataset in a Vega-Lite spec (top-level `datasets` and `data.values`)."""
    tables = []
    for node in walk.nodes(spec, skip={"datasets", "data"}):
        tables.extend(rows for rows in (node.get("datasets") or {}).values() if isinstance(rows, list))
        data = node.get("data")
        if isinstance(data, dict) and isinstance(data.get("values"), list):
            tables.append(data["values"])
    return tables


def drawn_rows(static: Mapping[str, Any]) -> list[dict] | None:
    """The rows the marks of a pre-aggregated chart draw (the aggregate VegaFusion wrote into the
    spec), when one table holds them all as plain cells; None otherwise."""
    found = []
    for name in large_tables.drawn_sources(static):
        for scope in walk.scopes(static):
            for entry in scope.get("data") if isinstance(scope.get("data"), list) else []:
                if isinstance(entry, dict) and entry.get("name") == name and isinstance(entry.get("values"), list):
                    found.append(entry["values"])
    rows = found[0] if len(found) == 1 else None
    plain = rows is not None and all(isinstance(row, dict) and not any(isinstance(v, (dict, list)) for v in row.values())
                                     for row in rows)
    return [_readable(row) for row in rows] if plain else None


def _readable(row: Mapping[str, Any]) -> dict:
    """A drawn row as readers want it: a stacked measure as its value, not the two ends of its bar
    (`__count_start`, `__count_end` -> `count`); Vega-Lite's own names without their underscores."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        base = key[:-len("_start")] if key.endswith("_start") else None
        if key.endswith(("_start", "_end")) and (base or key[:-len("_end")]) not in row and \
                f"{base or key[:-len('_end')]}_start" in row and f"{base or key[:-len('_end')]}_end" in row:
            if base is None:
                continue
            start, end = row[f"{base}_start"], row[f"{base}_end"]
            key, value = base, end - start if isinstance(start, (int, float)) and isinstance(end, (int, float)) else end
            value = int(value) if isinstance(value, float) and value.is_integer() else value
        out[key.lstrip("_") or key] = value
    return out


def data_tables(definition, datasets: Mapping[str, Dataset],
                limit: int = TABLE_ROWS, drawn: list[dict] | None = None,
                evaluate=None) -> tuple[TableData, ...]:
    """The chart's data for readers: the story CSVs it shows; a CSV made from its inline values
    only when it shows none (helper layers such as a threshold line are not data to offer).
    Each table keeps its first `limit` rows (the page shows no more) and its row count. A chart
    over one large table aggregated at build time shows the rows it draws (`drawn`), and offers
    the whole CSV. `evaluate(vega, name)` runs Vega's transforms (drawing.evaluated_rows): inline
    rows whose values a param computes are shown as the chart draws them first (params_values)."""
    tables = []
    dated = fields.time_axis_columns(definition.vegalite)
    by_rows = {json.dumps([dict(r) for r in ds.rows], sort_keys=True, default=str): ds for ds in datasets.values()
               if len(ds.rows) <= INLINE_ROWS}
    seen: set[str] = set()
    sources: list[tuple[str, Any]] = [("rows", rows) for rows in inline_tables(definition.vegalite)]
    sources += [("large", name) for name in definition.large]
    for index, (kind, value) in enumerate(sources, start=1):
        if kind == "large":
            table = definition.large[value]
            dataset = datasets.get(table.name) if table.raw else None
            if dataset is not None and drawn is not None and len(definition.large) == 1:
                columns = tuple(dict.fromkeys(k for row in drawn for k in row))
                tables.append(_table_of(dataset.name, columns, drawn, dataset.raw, limit, dated))
                continue
            if dataset is not None:
                tables.append(_table_of(dataset.name, dataset.columns, dataset.rows, _download(dataset), limit, dated))
                continue
            rows = [dict(row) for row in table.rows]
        else:
            rows = params_values(definition.vegalite, value, evaluate) if evaluate else value
        key = json.dumps(rows, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        dataset = by_rows.get(key)
        if dataset is not None:
            tables.append(_table_of(dataset.name, dataset.columns, dataset.rows, _download(dataset), limit, dated))
            continue
        columns = tuple(dict.fromkeys(k for row in rows if isinstance(row, dict) for k in row))
        name = definition.id if index == 1 else f"{definition.id}-{index}"
        tables.append(_table_of(name, columns, [r for r in rows if isinstance(r, dict)],
                                _csv_text(columns, rows), limit, dated))
    texts = {node["data"]["values"] for node in walk.nodes(definition.vegalite, skip={"datasets", "values"})
             if isinstance(node.get("data"), dict) and isinstance(node["data"].get("values"), str)}
    shown = {t.name for t in tables}
    tables += [_table_of(name, dataset.columns, dataset.rows, _download(dataset), limit, dated)  # inline as its text
               for name, dataset in datasets.items()
               if name not in shown and dataset.rows and dataset.raw.decode("utf-8-sig", "replace") in texts]
    from_csv = tuple(t for t in tables if t.name in datasets and t.csv == _download(datasets[t.name]))
    return titled(tuple(_bins_joined(t) for t in from_csv or tuple(tables)), fields.titles(definition.vegalite),
                  fields.temporal_columns(definition.vegalite))


def params_values(spec: Mapping[str, Any], rows: list, evaluate) -> list:
    """The chart's own inline rows with what its calculates make of them at the params' first
    values, in the columns its encoding shows, when a calculate reads a param (the guide's
    calculator: a row holds 0 where the chart draws the rent a slider sets; the reader's table
    and CSV said 0). Other rows, and rows whose transforms are more than calculates and filters,
    as they are."""
    data = spec.get("data") if isinstance(spec.get("data"), dict) else {}
    params = {p["name"]: p.get("value") for p in spec.get("params") or []
              if isinstance(p, dict) and isinstance(p.get("name"), str) and "select" not in p}
    own = data.get("values") if "values" in data else (spec.get("datasets") or {}).get(data.get("name"))
    if rows is not own or not params:
        return rows
    steps = []
    for transform in spec.get("transform") or []:
        if isinstance(transform, dict) and isinstance(transform.get("calculate"), str) and "as" in transform:
            steps.append({"type": "formula", "expr": transform["calculate"], "as": transform["as"]})
        elif isinstance(transform, dict) and isinstance(transform.get("filter"), str):
            steps.append({"type": "filter", "expr": transform["filter"]})
        else:
            return rows
    reads = re.compile(r"\b(?:" + "|".join(map(re.escape, params)) + r")\b")
    if not any(reads.search(step["expr"]) for step in steps):
        return rows
    vega = {"signals": [{"name": name, "value": value} for name, value in params.items()],
            "data": [{"name": "table", "values": [dict(r) for r in rows if isinstance(r, Mapping)], "transform": steps}]}
    evaluated = evaluate(vega, "table")
    if not evaluated:
        return rows
    shown = [name for name in fields.titles(spec) if all(name in row for row in evaluated)]
    return [{name: row[name] for name in shown} for row in evaluated] if shown else evaluated


def titled(tables: tuple[TableData, ...], titles: Mapping[str, str],
           dates: Mapping[str, str] | None = None) -> tuple[TableData, ...]:
    """The tables with the chart's own words over their columns (the downloaded CSV keeps the
    file's names), and how each column of dates is written. A title two columns would share
    names the first only. A bin's column (`bin_maxbins_30_montant`) is its field's."""
    out = []
    for table in tables:
        heads: list[str] = []
        kinds: list[str | None] = []
        for column in table.columns:
            field = _binned_field(column, titles) or column
            title = titles.get(field) or titles.get(field.lstrip("_")) or field
            heads.append(title if title not in heads else column)
            kinds.append((dates or {}).get(column) or (dates or {}).get(column.lstrip("_")))
        out.append(dataclasses.replace(table, columns=tuple(heads), kinds=tuple(kinds)))
    return tuple(out)


_BIN = re.compile(r"_?bin_(?:[a-z]+_[0-9.]+_)*(?P<field>.+?)(?P<end>_end|_range)?")


def _binned_field(column: str, titles: Mapping[str, str]) -> str | None:
    """The field a bin column of Vega-Lite's counts (`bin_maxbins_30_montant` -> `montant`)."""
    match = _BIN.fullmatch(column)
    return match.group("field") if match and match.group("field") in titles else None


def _bins_joined(table: TableData) -> TableData:
    """A bin's two ends (`bin_…_montant`, `bin_…_montant_end`) as one column of ranges, each cell
    the pair (start, end): a reader reads "0–100", not two columns of bounds."""
    columns = list(table.columns)
    for column in table.columns:
        match = _BIN.fullmatch(column)
        end = f"{column}_end"
        if not match or match.group("end") or end not in columns:
            continue
        start_at, end_at = columns.index(column), columns.index(end)
        rows = tuple(tuple((row[start_at], row[end_at]) if i == start_at else cell
                           for i, cell in enumerate(row) if i != end_at) for row in table.rows)
        del columns[end_at]
        table = dataclasses.replace(table, columns=tuple(columns), rows=rows)
    return table


def _download(dataset: Dataset) -> bytes:
    """What readers download for a story file: the CSV itself; a TSV or JSON table as CSV."""
    if dataset.path.lower().endswith(".csv"):
        return dataset.raw
    return _csv_text(dataset.columns, [dict(row) for row in dataset.rows])


def _csv_text(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if row.get(c) is None else row.get(c) for c in columns] for row in rows if isinstance(row, dict))
    return buffer.getvalue().encode("utf-8")


def _table_of(name: str, columns: tuple[str, ...], rows, raw: bytes, limit: int,
              dated: tuple[str, ...] = ()) -> TableData:
    """The first `limit` rows of a table; in time order when the chart's x axis is time and the
    table has its column written as numbers or ISO dates (the file's order otherwise, and among
    rows of the same date)."""
    column = next((c for c in dated if c in columns), None)
    first = rows[:limit]
    if column is not None:
        keys = _time_keys(_column(rows, column))
        if keys is not None and any(a > b for a, b in zip(keys, keys[1:])):
            # only the first `limit` rows in time order are shown: no need to sort the rest
            earliest = heapq.nsmallest(limit, range(len(keys)), key=lambda index: (keys[index], index))
            first = [rows[index] for index in earliest]
    shown = tuple(tuple(row.get(c) for c in columns) for row in first)
    return TableData(name, columns, shown, raw, len(rows))


def _column(rows, column: str) -> list:
    """One column's values: read as it is kept when the table is kept as columns (a story CSV),
    without making a mapping of each row."""
    kept = getattr(rows, "columns_data", None)
    if kept is not None and column in rows.columns:
        return kept[rows.columns.index(column)]
    return [row.get(column) for row in rows]


_ISO_START = re.compile(r"\d{4}(-|$)")  # text that sorts in time order; dates written otherwise keep the file's


def _time_keys(values: list) -> list | None:
    """Each value's place in time (`_date_key`), or None when text that is not an ISO date is
    among them. A column all of numbers, or all of text, as a story file's columns are, is keyed
    without a tuple a value."""
    kinds = set(map(type, values))
    if kinds <= {int, float}:
        return values
    if kinds == {str} and all(values):
        keys = [value.strip().replace(" ", "T", 1) for value in values]
        return keys if all(map(_ISO_START.match, keys)) else None
    keys = [_date_key(value) for value in values]
    return keys if all(key[0] != 1 or _ISO_START.match(key[1]) for key in keys) else None


def _date_key(value: Any) -> tuple:
    """A date's place in time, whatever it is written as: a number (a year, milliseconds), an ISO
    text (its parts compare as text: 2021-03 before 2021-03-05), a date object; nothing last."""
    if value is None or value == "":
        return (2, "")
    if isinstance(value, bool):
        return (1, str(value))
    if isinstance(value, (int, float)):
        return (0, float(value), "")
    if hasattr(value, "isoformat"):
        return (1, value.isoformat())
    return (1, str(value).strip().replace(" ", "T", 1))
