"""Author checks on chart specs: columns the data lacks, unknown sources, pictures too heavy for the
page, data or images by address. Each problem is a Diagnostic at the chart file's line, with a fix."""
from __future__ import annotations

import json
import re
from typing import Any

from ..diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from ..model import FactSet
from .large_tables import MAX_DRAWN_ROWS, STATIC_BUDGET
from . import walk
from .sources import ChartDefinition, line_of_token
from .tables import inline_tables


# Transforms whose outputs we can name; any other transform makes the column check give up.
_KNOWN_TRANSFORMS = {"filter", "calculate", "aggregate", "bin", "timeUnit", "fold", "window", "joinaggregate",
                     "sample", "stack", "density", "regression", "loess", "quantile", "flatten", "impute"}


def _fields(spec: Any, used: set[str], made: set[str], flags: dict) -> None:
    """Fields the spec's encodings read (`used`), fields its transforms make (`made`); flags
    "unknown" when a transform's outputs cannot be named."""
    for node in walk.nodes(spec, skip={"encoding", "transform", "datasets", "data"}):
        for transform in node.get("transform", []) or []:
            if not isinstance(transform, dict):
                continue
            kind = next((k for k in transform if k in _KNOWN_TRANSFORMS or k in ("lookup", "pivot", "extent")), None)
            if kind is None or kind in ("lookup", "pivot", "extent"):
                flags["unknown"] = True
            outputs = transform.get("as")
            for out in outputs if isinstance(outputs, list) else [outputs]:
                if isinstance(out, str):
                    made.add(out)
            for part in ("aggregate", "window", "joinaggregate"):
                for item in transform.get(part, []) if isinstance(transform.get(part), list) else []:
                    if isinstance(item, dict) and isinstance(item.get("as"), str):
                        made.add(item["as"])
            if "fold" in transform and not outputs:
                made.update(("key", "value"))
        for channel in (node.get("encoding") or {}).values():
            for item in channel if isinstance(channel, list) else [channel]:
                if isinstance(item, dict):
                    if isinstance(item.get("field"), str) and item.get("aggregate") != "count":
                        used.add(item["field"])
                    condition = item.get("condition")
                    for cond in condition if isinstance(condition, list) else [condition]:
                        if isinstance(cond, dict) and isinstance(cond.get("field"), str):
                            used.add(cond["field"])


def check_columns(definition: ChartDefinition, source: str) -> list[Diagnostic]:
    """A field the chart encodes that no inline table has and no transform makes is an error."""
    tables = inline_tables(definition.vegalite)
    if not tables and not definition.large:
        return []
    columns = {key for rows in tables for row in rows[:50] if isinstance(row, dict) for key in row}
    columns |= {column for table in definition.large.values() for column in table.columns}
    used: set[str] = set()
    made: set[str] = set()
    flags: dict = {}
    _fields(definition.vegalite, used, made, flags)
    if flags.get("unknown"):
        return []
    problems = []
    for field in sorted(used):
        root = re.split(r"(?<!\\)[.\[]", field)[0].replace("\\", "")
        if root in columns or root in made or field in columns or field in made:
            continue
        line, column = line_of_token(source, [field], 1)
        problems.append(error("chart-column-missing", f"chart '{definition.id}' uses column '{field}' "
                              "but its data has no such column", SourceLocation(definition.path, line, column),
                              f"{did_you_mean(field, columns | made)}the data has {', '.join(sorted(columns))}"))
    return problems


def check_chart_sources(keys, chart_id: str, path: str, text: str, fact_set: FactSet) -> list[Diagnostic]:
    problems = []
    for key in keys:
        if key not in fact_set.sources:
            line, column = line_of_token(text, [key], 1)
            problems.append(error("source-unknown", f"chart '{chart_id}' names unknown source '{key}'",
                                  SourceLocation(path, line, column),
                                  f"{did_you_mean(key, fact_set.sources)}sources are defined under `sources:` in "
                                  f"{fact_set.path}"))
    return problems


def too_heavy(job, definition, drawn_rows: int, svg_bytes: int) -> list[Diagnostic]:
    """A static picture too heavy for the page's budget, with what the author can do about it."""
    if drawn_rows <= MAX_DRAWN_ROWS and svg_bytes <= STATIC_BUDGET:
        return []
    large = [table for table in definition.large.values()]
    tokens = [table.name for table in large if table.raw] + list(definition.datasets_used)
    line, column = line_of_token(job.text, tokens, 1)
    what = (f"would draw {drawn_rows:,} rows one mark each" if drawn_rows > MAX_DRAWN_ROWS else
            f"draws a static picture of {svg_bytes // 1024} KB (gzip)")
    limit = (f"{MAX_DRAWN_ROWS:,} rows" if drawn_rows > MAX_DRAWN_ROWS else
             f"{STATIC_BUDGET // 1024} KB")
    return [error("chart-too-heavy", f"chart '{job.chart_id}' {what}: over the {limit} the picture readers get "
                  "before JavaScript may hold", SourceLocation(job.rel_path, line, column),
                  "aggregate in the chart (alt.X('amount', bin=True, type='quantitative') with "
                  "alt.Y(aggregate='count', type='quantitative'), a heat map of two binned axes, or "
                  "transform_aggregate), or keep fewer rows (transform_filter); aggregates are computed at "
                  "build time, so the page carries only them")]


def data_urls(spec: Any) -> list[str]:
    """Every address a Vega spec would load data from, whatever its form (a string, a signal):
    the build loads nothing (readers' data is inline or in the site's own files, placed by
    large_tables after drawing). Vega declares data at the top and in group marks only, so the
    rows themselves are never walked."""
    found: list[str] = []
    for scope in walk.scopes(spec):
        for entry in scope.get("data") if isinstance(scope.get("data"), list) else []:
            if isinstance(entry, dict) and "url" in entry:
                url = entry["url"]
                found.append(url if isinstance(url, str) else json.dumps(url, sort_keys=True))
    return found


_IMAGE_HREF = re.compile(r'<image\b[^>]*?\bhref="([^"]*)"')


def outside_images(svg: str) -> list[str]:
    """Addresses of pictures a drawing shows (image marks) that are not the story's own files:
    another host, an absolute path, a way out of the story. Readers would fetch them; the build
    never does."""
    found = []
    for href in _IMAGE_HREF.findall(svg):
        href = href.replace("&amp;", "&")
        if href.startswith("data:image/") or not href:
            continue
        if re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)", href) or ".." in href.split("/"):
            found.append(href)
    return found


def outside_data_problem(chart_id: str, path: str, url: str) -> Diagnostic:
    """A chart that would load data from an address: refused before anything evaluates it."""
    return error("chart-data-unknown", f"chart '{chart_id}' reads data from '{url}': the build fetches nothing "
                 "and reads no file outside the story", SourceLocation(path, 1),
                 "save the file in the story's data/ folder and name it \"data/<name>.csv\" "
                 "(in Altair: pass data['<name>'])")
