"""A compiled chart as the cache keeps it: one type, written and read here only.

The compiler makes a `CompiledChart`, the story stores it (`to_json`) and reads it back
(`from_json`), and either way turns it into the `ChartSpec` the render uses (`to_spec`). A table
that is a story CSV as it is keeps no copy (its bytes are the story's file); rows the live view
fetches are kept apart, in the cache's `chart-data`, under their hash.
"""
from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..diagnostics import Diagnostic, SourceLocation
from ..model import ChartSpec, NarrowChart, TableData


@dataclass(frozen=True)
class TableEntry:
    """A reader table: its first rows, its row count, and its CSV unless it is a story CSV."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: int
    csv: bytes | None  # None: the story CSV of that name, as it is
    kinds: tuple[str | None, ...] = ()  # per column: how its dates are written, or None


@dataclass(frozen=True)
class CompiledChart:
    id: str
    title: str
    alt: str
    caption: str
    source: str
    svg: str
    width: int
    height: int
    vega: str  # compact, sorted JSON: what the page embeds
    narrow: NarrowChart | None
    params: tuple[str, ...]
    facts_used: tuple[str, ...]
    legend_only: tuple[str, ...]
    binding_lines: int
    source_keys: tuple[str, ...]
    tables: tuple[TableEntry, ...]
    data_files: tuple[tuple[str, str], ...]  # (path in the story folder, hash of its bytes)
    warnings: tuple[Diagnostic, ...] = ()  # what compiling it said, reported again when read from the cache
    missing: str = ""  # a map with shapes drawn as missing: the theme's missing colour (the page's key shows it)

    def to_json(self) -> bytes:
        narrow = self.narrow
        entry = {
            "id": self.id, "title": self.title, "alt": self.alt, "caption": self.caption, "source": self.source,
            "svg": self.svg, "width": self.width, "height": self.height, "vega": self.vega,
            "narrow": {"svg": narrow.svg, "width": narrow.width, "height": narrow.height,
                       "patch": narrow.patch_json} if narrow else {},
            "params": list(self.params), "facts_used": list(self.facts_used), "legend_only": list(self.legend_only),
            "binding_lines": self.binding_lines, "source_keys": list(self.source_keys),
            "tables": [{"name": t.name, "columns": list(t.columns), "rows": [list(r) for r in t.rows],
                        "total": t.total, "csv": None if t.csv is None else base64.b64encode(t.csv).decode("ascii"),
                        "kinds": list(t.kinds)}
                       for t in self.tables],
            "data_files": [[path, key] for path, key in self.data_files],
            "warnings": [[w.severity, w.code, w.message, w.location.path, w.location.line, w.location.column, w.hint]
                         for w in self.warnings],
            "missing": self.missing,
        }
        return json.dumps(entry, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, raw: bytes) -> "CompiledChart":
        entry = json.loads(raw)
        small = entry.get("narrow") or {}
        return cls(entry["id"], entry["title"], entry["alt"], entry["caption"], entry["source"], entry["svg"],
                   entry["width"], entry["height"], entry["vega"],
                   NarrowChart(small["svg"], small["width"], small["height"], small["patch"]) if small else None,
                   tuple(entry["params"]), tuple(entry["facts_used"]), tuple(entry.get("legend_only", ())),
                   entry.get("binding_lines", 0), tuple(entry["source_keys"]),
                   tuple(TableEntry(t["name"], tuple(t["columns"]), tuple(tuple(r) for r in t["rows"]), t["total"],
                                    None if t["csv"] is None else base64.b64decode(t["csv"]), tuple(t.get("kinds", ())))
                         for t in entry["tables"]),
                   tuple((path, key) for path, key in entry["data_files"]),
                   tuple(Diagnostic(severity, code, message, SourceLocation(path, line, column), hint)
                         for severity, code, message, path, line, column, hint in entry.get("warnings", ())),
                   entry.get("missing", ""))

    def to_spec(self, path: str, story_csvs: Mapping[str, bytes], data_files: Mapping[str, bytes] | None,
                cache=None) -> ChartSpec | None:
        """The chart for the render. A table that is a story CSV takes that file's bytes; data
        files come from `data_files` (just compiled) or the cache (None when one has gone)."""
        tables = []
        for t in self.tables:
            if t.csv is None and t.name not in story_csvs:
                return None
            tables.append(TableData(t.name, t.columns, tuple(tuple(r) for r in t.rows),
                                    story_csvs[t.name] if t.csv is None else t.csv, t.total, t.kinds))
        files = []
        for name, key in self.data_files:
            content = data_files[name] if data_files is not None else cache.get("chart-data", key)
            if content is None:
                return None
            files.append((name, content))
        return ChartSpec(self.id, path, self.title, self.alt, self.caption, self.source, _LazyVega(self.vega),
                         self.vega, self.svg, self.width, self.height, self.params, tuple(tables), self.facts_used,
                         self.source_keys, self.narrow, self.legend_only, self.binding_lines, tuple(files), self.missing)


class _LazyVega(Mapping):
    """The compiled Vega as a read-only mapping, decoded from its JSON only if someone reads it
    (pages embed the JSON text as it is)."""

    def __init__(self, text: str):
        self._text = text
        self._value: dict | None = None

    def _decoded(self) -> dict:
        if self._value is None:
            self._value = json.loads(self._text)
        return self._value

    def __getitem__(self, key):
        return self._decoded()[key]

    def __iter__(self):
        return iter(self._decoded())

    def __len__(self):
        return len(self._decoded())
