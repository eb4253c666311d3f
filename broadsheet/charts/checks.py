"""Author checks on chart specs: columns the data lacks, unknown sources, pictures too heavy for the
page, data or images by address. Each problem is a Diagnostic at the chart file's line, with a fix."""
from __future__ import annotations

import json
import re
from typing import Any

from ..diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from ..model import FactSet
from .. import shapes
from .large_tables import MAX_DRAWN_ROWS, STATIC_BUDGET
from . import walk
from .sources import ChartDefinition, line_of_token
from .tables import inline_tables


def _names(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)] \
        if isinstance(value, list) else []


def _made_by(transform: dict) -> list[str] | None:
    """The fields a Vega-Lite transform adds, with Vega-Lite's defaults when `as` is left out
    (density -> value, density; regression -> its `on` and `regression` fields...); None when
    they depend on the data (pivot makes a column per value; lookup without `as` or `fields`)."""
    given = _names(transform.get("as"))
    items = [item.get("as") for part in ("aggregate", "window", "joinaggregate")
             for item in (transform.get(part) if isinstance(transform.get(part), list) else [])
             if isinstance(item, dict)]
    if "pivot" in transform:
        return None
    if "lookup" in transform:
        source = transform.get("from") if isinstance(transform.get("from"), dict) else {}
        fields = _names(source.get("fields"))
        return given + fields if given or fields else None if "param" not in source else []
    defaults = {"fold": ["key", "value"], "density": ["value", "density"], "quantile": ["prob", "value"],
                "flatten": _names(transform.get("flatten")), "impute": _names(transform.get("impute")),
                "loess": _names(transform.get("on")) + _names(transform.get("loess")),
                "regression": (["coef", "rSquared"] if transform.get("params") is True else
                               _names(transform.get("on")) + _names(transform.get("regression")))}
    made = given or next((fields for kind, fields in defaults.items() if kind in transform), [])
    if "bin" in transform and len(given) == 1:
        made = given + [given[0] + "_end"]
    return made + [name for name in items if isinstance(name, str)]


def _fields(spec: Any, used: set[str], made: set[str], flags: dict) -> None:
    """Fields the spec's encodings read (`used`), fields its transforms and generators make
    (`made`); flags "unknown" when a transform's outputs cannot be named."""
    for node in walk.nodes(spec, skip={"encoding", "transform", "datasets", "data"}):
        for transform in node.get("transform", []) if isinstance(node.get("transform"), list) else []:
            outputs = _made_by(transform) if isinstance(transform, dict) else []
            if outputs is None:
                flags["unknown"] = True
            made.update(outputs or [])
        data = node.get("data") if isinstance(node.get("data"), dict) else {}
        if isinstance(data.get("sequence"), dict):
            made.update(_names(data["sequence"].get("as")) or ["data"])
        if isinstance(data.get("values"), (str, dict)):
            flags["text"] = flags.get("text", 0) + 1  # text or a document: only Vega's reader knows its rows
        for channel in (node.get("encoding") or {}).values():
            for item in channel if isinstance(channel, list) else [channel]:
                if isinstance(item, dict):
                    if isinstance(item.get("field"), str) and item.get("aggregate") != "count":
                        used.add(item["field"])
                    condition = item.get("condition")
                    for cond in condition if isinstance(condition, list) else [condition]:
                        if isinstance(cond, dict) and isinstance(cond.get("field"), str):
                            used.add(cond["field"])


def check_columns(definition: ChartDefinition, source: str, files: Any = None) -> list[Diagnostic]:
    """A field the chart encodes that no table has and no transform makes is an error. `files`:
    the story's tables by the names charts use (those the chart read count as its columns)."""
    tables = inline_tables(definition.vegalite)
    read = [files[name] for name in definition.datasets_used if files is not None and name in files]
    if not tables and not definition.large and not read:
        return []
    columns = {key for rows in tables for row in rows[:50] if isinstance(row, dict) for key in row}
    if any(not isinstance(row, dict) for rows in tables for row in rows[:50]):
        columns.add("data")  # plain values: Vega reads each as {"data": value}
    columns |= {column for table in definition.large.values() for column in table.columns}
    if _draws_shapes(definition.vegalite):  # a feature's fields: its id, its properties (properties.name)
        columns |= {"id", "type", "properties", "geometry"}
    used: set[str] = set()
    made: set[str] = set()
    flags: dict = {}
    _fields(definition.vegalite, used, made, flags)
    if flags.get("unknown") or flags.get("text", 0) > sum(1 for table in read if table.columns):
        return []
    columns |= {column for table in read for column in table.columns}
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


def _draws_shapes(spec: Any) -> bool:
    return any(isinstance(node.get("data"), dict) and (shapes.is_topology(node["data"].get("values"))
                                                       or shapes.is_geojson(node["data"].get("values")))
               for node in walk.nodes(spec, skip={"datasets", "values"}))


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


def too_heavy(job, definition, drawn_rows: int, svg_bytes: int, svg: str = "") -> list[Diagnostic]:
    """A static picture too heavy for the page's budget, with what the author can do about it
    (`svg`, the picture, tells a map's shapes from the places drawn over them)."""
    if drawn_rows <= MAX_DRAWN_ROWS and svg_bytes <= STATIC_BUDGET:
        return []
    large = [table for table in definition.large.values()]
    tokens = [table.name for table in large if table.raw] + list(definition.datasets_used)
    tokens += ["data/" + table.path.rsplit("/", 1)[-1] for table in large]  # a .vl.json's "url": "data/big.csv"
    line, column = line_of_token(job.text, tokens, 1)
    what = (f"would draw {drawn_rows:,} rows one mark each" if drawn_rows > MAX_DRAWN_ROWS else
            f"draws a static picture of {svg_bytes // 1024} KB (gzip)")
    limit = (f"{MAX_DRAWN_ROWS:,} rows" if drawn_rows > MAX_DRAWN_ROWS else
             f"{STATIC_BUDGET // 1024} KB")
    hint = _HEAVY_HINT_JSON if job.rel_path.endswith(".json") else _HEAVY_HINT_PY
    if not drawn_rows > MAX_DRAWN_ROWS and _draws_shapes(definition.vegalite):
        # a map's weight is its shapes, which binning rows would not lighten; unless it is the
        # places drawn over them (thousands of airports over the states)
        hint = _HEAVY_HINT_MAP if shapes_share(svg) >= 0.5 else _HEAVY_HINT_PLACES
    return [error("chart-too-heavy", f"chart '{job.chart_id}' {what}: over the {limit} the picture readers get "
                  "before JavaScript may hold", SourceLocation(job.rel_path, line, column), hint)]


_HEAVY_HINT_PY = ("aggregate in the chart (alt.X('amount', bin=True, type='quantitative') with "
                  "alt.Y(aggregate='count', type='quantitative'), a heat map of two binned axes, or "
                  "transform_aggregate), or keep fewer rows (transform_filter); aggregates are computed at "
                  "build time, so the page carries only them")
_HEAVY_HINT_JSON = ('aggregate in the chart ("x": {"field": "amount", "bin": true, "type": "quantitative"} with '
                    '"y": {"aggregate": "count", "type": "quantitative"}, a heat map of two binned axes, or '
                    '"transform": [{"aggregate": [...], "groupby": [...]}]), or keep fewer rows ("transform": '
                    '[{"filter": ...}]); aggregates are computed at build time, so the page carries only them')

_HEAVY_HINT_MAP = ("the weight is the map's shapes, already simplified for a screen: draw fewer or larger "
                   "places (states rather than counties, one region rather than the country), or keep only "
                   "the shapes the story needs (a filter on the features)")


_HEAVY_HINT_PLACES = ("the weight is the marks drawn over the map, not its shapes: draw fewer of them (a filter "
                      "on their rows, the largest only), or aggregate them (a count by region, binned longitude "
                      "and latitude); aggregates are computed at build time")

_MARK_GROUP = re.compile(r'<g class="mark-(\w+) role-mark')


def shapes_share(svg: str) -> float:
    """The part of a picture's bytes inside its geoshape marks (1 when it cannot be told)."""
    starts = [(match.start(), match.group(1)) for match in _MARK_GROUP.finditer(svg)]
    if not starts:
        return 1.0
    sizes: dict[str, int] = {}
    for (start, kind), (end, _) in zip(starts, starts[1:] + [(len(svg), "")]):
        sizes[kind] = sizes.get(kind, 0) + end - start
    return sizes.get("shape", 0) / max(1, sum(sizes.values()))


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
