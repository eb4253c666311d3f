"""Reader tables: the data shown under a chart and offered as CSV (the story's own files where it can)."""
from __future__ import annotations

import csv
import io
import json
from typing import Any, Mapping

from ..model import TABLE_ROWS, Dataset, TableData
from . import walk
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


def data_tables(definition, datasets: Mapping[str, Dataset],
                limit: int = TABLE_ROWS) -> tuple[TableData, ...]:
    """The chart's data for readers: the story CSVs it shows; a CSV made from its inline values
    only when it shows none (helper layers such as a threshold line are not data to offer).
    Each table keeps its first `limit` rows (the page shows no more) and its row count."""
    tables = []
    by_rows = {json.dumps([dict(r) for r in ds.rows], sort_keys=True, default=str): ds for ds in datasets.values()
               if len(ds.rows) <= INLINE_ROWS}
    seen: set[str] = set()
    sources: list[tuple[str, Any]] = [("rows", rows) for rows in inline_tables(definition.vegalite)]
    sources += [("large", name) for name in definition.large]
    for index, (kind, value) in enumerate(sources, start=1):
        if kind == "large":
            table = definition.large[value]
            dataset = datasets.get(table.name) if table.raw else None
            if dataset is not None:
                tables.append(_table_of(dataset.name, dataset.columns, dataset.rows, _download(dataset), limit))
                continue
            rows = [dict(row) for row in table.rows]
        else:
            rows = value
        key = json.dumps(rows, sort_keys=True, default=str)
        if key in seen:
            continue
        seen.add(key)
        dataset = by_rows.get(key)
        if dataset is not None:
            tables.append(_table_of(dataset.name, dataset.columns, dataset.rows, _download(dataset), limit))
            continue
        columns = tuple(dict.fromkeys(k for row in rows if isinstance(row, dict) for k in row))
        name = definition.id if index == 1 else f"{definition.id}-{index}"
        tables.append(_table_of(name, columns, [r for r in rows if isinstance(r, dict)],
                                _csv_text(columns, rows), limit))
    texts = {node["data"]["values"] for node in walk.nodes(definition.vegalite, skip={"datasets", "values"})
             if isinstance(node.get("data"), dict) and isinstance(node["data"].get("values"), str)}
    shown = {t.name for t in tables}
    tables += [_table_of(name, dataset.columns, dataset.rows, _download(dataset), limit)  # inline as its text
               for name, dataset in datasets.items()
               if name not in shown and dataset.rows and dataset.raw.decode("utf-8-sig", "replace") in texts]
    from_csv = tuple(t for t in tables if t.name in datasets and t.csv == _download(datasets[t.name]))
    return from_csv or tuple(tables)


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


def _table_of(name: str, columns: tuple[str, ...], rows, raw: bytes, limit: int) -> TableData:
    shown = tuple(tuple(row.get(c) for c in columns) for row in rows[:limit])
    return TableData(name, columns, shown, raw, len(rows))
