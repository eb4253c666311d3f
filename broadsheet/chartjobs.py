"""Compiling charts, serially or across the machine's cores, with identical results.

A `ChartJob` holds everything one chart needs as plain bytes and text, so it can travel to a
worker process; the worker parses the story's CSVs and facts itself (the same code as the
parent, so the same result), runs the chart, and compiles it. Each worker imports Altair and
starts vl-convert once, then serves many charts.
"""
from __future__ import annotations

import base64
import gzip
import hashlib
import json
import multiprocessing
import os
import marshal
import re
import sys
import threading
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from . import charts, data, facts as facts_module, i18n, pagedata, yamlmap
from .cache import digest
from .diagnostics import Diagnostic, SourceLocation, error
from .model import Dataset, FactSet


@dataclass(frozen=True)
class ChartJob:
    chart_id: str
    abs_path: str
    rel_path: str
    text: str
    csvs: tuple[tuple[str, str, bytes, bytes], ...]  # (stem, path in messages, bytes, typed columns marshalled or b"")
    facts_text: str
    facts_path: str
    theme: Any
    language: str
    card: tuple[str, str] | None = None  # (headline, site name): also draw the story's card with this chart


@dataclass(frozen=True)
class JobResult:
    entry: dict | None  # the compiled chart, as cached (see story._spec_from_json)
    deps: dict | None  # what the chart read: {"datasets": [...], "facts": [...]}
    problems: tuple[Diagnostic, ...]
    files: tuple[tuple[str, bytes], ...] = ()  # data files the live view fetches (pagedata)
    card: bytes | None = None  # the story's link-preview PNG, when the job asked for it


_PARSED: dict[tuple, Any] = {}  # tables this process has read, newest last: charts of a story share them
_PARSED_ROWS = 150_000  # rows kept at most: one large table (the charts of a story come together)


class _Tables(Mapping):
    """The story's CSVs, each parsed the first time a chart reads it (in this process, once), or
    loaded from the typed columns the build already read."""

    def __init__(self, csvs):
        self.csvs = {stem: (path, raw) for stem, path, raw, _ in csvs}
        self.tables = {stem: table for stem, _, _, table in csvs if table}

    def __getitem__(self, stem):
        path, raw = self.csvs[stem]
        key = (stem, path, hashlib.sha256(raw).digest())
        if key not in _PARSED:
            if stem in self.tables:  # read by the build already: typed columns, marshalled
                with data.bulk():
                    columns, values = marshal.loads(self.tables[stem])
                _PARSED[key] = Dataset(stem, path, columns, data.Rows(columns, values), raw, SourceLocation(path, 1))
            else:
                _PARSED[key] = data.parse_csv(raw, path, stem)[0]
            while len(_PARSED) > 1 and sum(len(d.rows) for d in _PARSED.values() if d) > _PARSED_ROWS:
                del _PARSED[next(iter(_PARSED))]
        else:
            _PARSED[key] = _PARSED.pop(key)
        if _PARSED[key] is None:
            raise KeyError(stem)
        return _PARSED[key]

    def __contains__(self, stem):
        return stem in self.csvs

    def __iter__(self):
        return iter(self.csvs)

    def __len__(self):
        return len(self.csvs)


@lru_cache(maxsize=8)
def _facts(text: str, path: str) -> FactSet:
    """A story's facts, read once per process (its charts come together)."""
    if text:
        loaded = yamlmap.load(text, path)
        if not loaded.diagnostics:
            return facts_module.parse_facts(loaded.data, path)[0]
    return FactSet(path=path)


def compile_job(job: ChartJob) -> JobResult:
    """Run one chart file and compile it for each layout of the theme (wide, then narrow):
    Vega-Lite -> Vega (large tables aggregated at build time) -> where its rows go -> static SVG;
    tables and metadata. The narrow chart is kept as its SVG and a merge patch over the wide Vega."""
    datasets = _Tables(job.csvs)
    fact_set = _facts(job.facts_text, job.facts_path)
    layouts = charts.theme_layouts(job.theme)
    wide = _compile_layout(job, layouts[0], datasets, fact_set)
    if isinstance(wide, list):
        return JobResult(None, None, tuple(wide))
    definition, placement, svg = wide
    from . import fallback

    narrow = {}
    for layout in layouts[1:]:
        same_code = None if definition.adapts else charts.for_layout(definition, layout)
        if same_code is definition:  # nothing changes with the width: the same picture
            continue
        other = _compile_layout(job, layout, datasets, fact_set, same_code)
        if isinstance(other, list):  # the chart ran for one layout and not for the other: report it
            return JobResult(None, None, tuple(other))
        _, other_placement, other_svg = other
        if other_svg != svg:
            narrow_width, narrow_height = fallback.svg_size(other_svg)
            narrow = {"svg": other_svg, "width": narrow_width, "height": narrow_height,
                      "patch": fallback.compact_json(merge_patch(placement.page, other_placement.page))}
    width, height = fallback.svg_size(svg)
    tables = charts.data_tables(definition, {stem: datasets[stem] for stem in definition.datasets_used
                                             if stem in datasets})
    entry = {
        "id": job.chart_id, "title": definition.title, "alt": definition.alt, "caption": definition.caption,
        "source": definition.source, "svg": svg, "width": width, "height": height,
        "vega": fallback.compact_json(placement.page), "narrow": narrow,
        "params": list(charts.bound_params(definition.vegalite)), "facts_used": list(definition.facts_used),
        "legend_only": list(charts.legend_only_params(definition.vegalite)),
        "binding_lines": charts.binding_lines(definition.vegalite),
        "source_keys": list(definition.source_keys),
        "tables": [{"name": t.name, "columns": list(t.columns), "rows": [list(r) for r in t.rows], "total": t.total,
                    "csv": None if _is_story_csv(t, datasets) else base64.b64encode(t.csv).decode("ascii")}
                   for t in tables],
        "data_files": [[path, digest(content)] for path, content in placement.files],
    }
    deps = {"datasets": sorted(definition.datasets_used), "facts": sorted(definition.facts_used)}
    card = fallback.social_card(job.card[0], job.card[1], svg) if job.card else None
    return JobResult(entry, deps, (), placement.files, card)


def _compile_layout(job: ChartJob, layout, datasets, fact_set, definition=None):
    """(definition, placement, SVG) of the chart drawn for one layout, or its problems (a list).
    With `definition` (the chart for this layout, derived from another: charts.for_layout), the
    chart's code is not run again, nor its checks."""
    from . import fallback

    if definition is None:
        if job.abs_path.endswith(".py"):
            definition, problems = charts.run_python_chart(job.chart_id, job.rel_path, job.abs_path, job.text,
                                                           datasets, fact_set, job.theme, layout)
        else:
            definition, problems = charts.load_vegalite_chart(job.chart_id, job.rel_path, job.text, datasets,
                                                              job.theme, layout)
        if definition is None:
            return list(problems)
        problems = charts.check_columns(definition, job.text)
        problems += check_chart_sources(definition.source_keys, job.chart_id, job.rel_path, job.text, fact_set)
        if problems:
            return list(problems)
    vegalite = dict(definition.vegalite)
    vegalite.pop("title", None)  # the page shows the title in HTML, above the chart
    vegalite["description"] = definition.alt
    vega, problems = fallback.to_vega(job.chart_id, job.rel_path, vegalite, charts.vegalite_version())
    placement = None
    svg = ""
    if vega is not None:
        outside = fallback.data_urls(vega)
        if outside:  # refused before VegaFusion or Vega evaluate anything
            line, column = charts.line_of_token(job.text, [outside[0]], 1)
            problem = fallback.outside_data_problem(job.chart_id, job.rel_path, outside[0])
            return [error(problem.code, problem.message, SourceLocation(job.rel_path, line, column), problem.hint)]
        vega = nearest_tooltips_read_the_point({k: v for k, v in vega.items() if k != "$schema"})
        placement, problems = _place(job, definition, vega)
    if placement is not None:
        problems = too_heavy(job, definition, placement.drawn_rows, 0)
        if not problems:
            svg, problems = fallback.to_svg(job.chart_id, job.rel_path, placement.static,
                                            i18n.d3_locales(job.language), dark_colors(job.theme))
        if not problems and fallback.outside_images(svg):
            href = fallback.outside_images(svg)[0]
            problems = [error("chart-data-unknown", f"chart '{job.chart_id}' shows the image '{href}', which is "
                              "not a file of the story: readers would fetch it from elsewhere",
                              SourceLocation(job.rel_path, 1),
                              "put the picture in the story's media/ folder and give its path as media/<name>")]
        if not problems:
            problems = too_heavy(job, definition, 0, len(gzip.compress(svg.encode("utf-8"), 6)))
    if problems:
        return list(problems)
    return definition, placement, svg


_BARE_DATUM_FIELD = re.compile(r"(?<![.\w$])datum\[")


def nearest_tooltips_read_the_point(vega: dict) -> dict:
    """Vega-Lite 6.4 writes the tooltip of a `nearest` selection's Voronoi cells with
    `datum["field"]` for text fields, where a cell's own datum holds the point under `datum.datum`:
    the reader saw "Mesure : undefined" (vega/vega-lite#9707, fixed after 6.4.1). The cells'
    tooltips are made to read the point, as Vega-Lite already does for numbers and dates."""

    def fix_marks(marks: list) -> list:
        fixed = []
        for mark in marks:
            if not isinstance(mark, dict):
                fixed.append(mark)
                continue
            mark = dict(mark)
            if isinstance(mark.get("marks"), list):
                mark["marks"] = fix_marks(mark["marks"])
            is_cells = mark.get("type") == "path" and any(
                isinstance(t, dict) and t.get("type") == "voronoi" for t in mark.get("transform", []) or [])
            tooltip = ((mark.get("encode") or {}).get("update") or {}).get("tooltip") if is_cells else None
            if isinstance(tooltip, dict) and isinstance(tooltip.get("signal"), str):
                signal = _BARE_DATUM_FIELD.sub("datum.datum[", tooltip["signal"])
                update = {**mark["encode"]["update"], "tooltip": {**tooltip, "signal": signal}}
                mark["encode"] = {**mark["encode"], "update": update}
            fixed.append(mark)
        return fixed

    if not isinstance(vega.get("marks"), list):
        return vega
    return {**vega, "marks": fix_marks(vega["marks"])}


def _place(job: ChartJob, definition, vega: dict) -> tuple[pagedata.Placement | None, list[Diagnostic]]:
    """Where the chart's rows go. A chart over a large table is aggregated at build time first;
    when the live view still needs many rows (a slider filters them), the static picture is drawn
    from a second evaluation at the chart's initial state, so vl-convert never reads them all."""
    if not definition.large:
        return pagedata.place(vega, job.chart_id, charts.INLINE_ROWS), []
    from . import pretransform

    tables = {name: (table.columns, table.rows) for name, table in definition.large.items()}
    try:
        live, _ = pretransform.evaluate(vega, tables)
        placement = pagedata.place(live, job.chart_id, charts.INLINE_ROWS)
        if placement.files:
            still, _ = pretransform.evaluate(vega, tables, interactive=False)
            drawn = pagedata.place(still, job.chart_id, 10 ** 9)
            placement = pagedata.Placement(placement.page, drawn.static, placement.files, drawn.drawn_rows)
    except pretransform.PretransformFailed as exc:
        return None, [error("chart-render", f"chart '{job.chart_id}' cannot be aggregated at build time: {exc}",
                            SourceLocation(job.rel_path, 1),
                            "check the transforms of this chart, which reads a large table")]
    return placement, []


def _is_story_csv(table, datasets) -> bool:
    """A table that is a story CSV as it is: the download is that file, no copy in the cache."""
    return table.name in datasets.csvs and table.csv == datasets.csvs[table.name][1]


def too_heavy(job: ChartJob, definition, drawn_rows: int, svg_bytes: int) -> list[Diagnostic]:
    """A static picture too heavy for the page's budget, with what the author can do about it."""
    if drawn_rows <= pagedata.MAX_DRAWN_ROWS and svg_bytes <= pagedata.STATIC_BUDGET:
        return []
    large = [table for table in definition.large.values()]
    tokens = [table.name for table in large if table.raw] + list(definition.datasets_used)
    line, column = charts.line_of_token(job.text, tokens, 1)
    what = (f"would draw {drawn_rows:,} rows one mark each" if drawn_rows > pagedata.MAX_DRAWN_ROWS else
            f"draws a static picture of {svg_bytes // 1024} KB (gzip)")
    limit = (f"{pagedata.MAX_DRAWN_ROWS:,} rows" if drawn_rows > pagedata.MAX_DRAWN_ROWS else
             f"{pagedata.STATIC_BUDGET // 1024} KB")
    return [error("chart-too-heavy", f"chart '{job.chart_id}' {what}: over the {limit} the picture readers get "
                  "before JavaScript may hold", SourceLocation(job.rel_path, line, column),
                  "aggregate in the chart (alt.X('amount', bin=True, type='quantitative') with "
                  "alt.Y(aggregate='count', type='quantitative'), a heat map of two binned axes, or "
                  "transform_aggregate), or keep fewer rows (transform_filter); aggregates are computed at "
                  "build time, so the page carries only them")]


def merge_patch(before: Any, after: Any) -> Any:
    """The JSON merge patch (RFC 7386) that turns `before` into `after`: the narrow chart is
    shipped as its difference from the wide one (usually its width alone)."""
    if not isinstance(before, dict) or not isinstance(after, dict):
        return after
    patch: dict[str, Any] = {}
    for key in before:
        if key not in after:
            patch[key] = None
    for key, value in after.items():
        if key not in before:
            patch[key] = value
        elif before[key] != value:
            if isinstance(value, dict) and isinstance(before[key], dict):
                patch[key] = merge_patch(before[key], value)
            else:
                patch[key] = value
    return patch


def apply_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386, as broadsheet.js applies it (kept here so a test can check the round trip)."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result


def dark_colors(theme: Any) -> dict[str, str]:
    """`"dark": {"#ffffff": "#16171a", ...}` of theme.json: light colour -> its dark-mode twin."""
    given = theme.get("dark") if isinstance(theme, dict) else None
    if not isinstance(given, dict):
        return {}
    pattern = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")  # CSS hex colours and names (black)
    return {k.lower(): v for k, v in given.items()
            if isinstance(k, str) and isinstance(v, str) and pattern.match(k) and pattern.match(v)}


def check_chart_sources(keys, chart_id: str, path: str, text: str, fact_set: FactSet) -> list[Diagnostic]:
    from .diagnostics import did_you_mean

    problems = []
    for key in keys:
        if key not in fact_set.sources:
            line, column = charts.line_of_token(text, [key], 1)
            problems.append(error("source-unknown", f"chart '{chart_id}' names unknown source '{key}'",
                                  SourceLocation(path, line, column),
                                  f"{did_you_mean(key, fact_set.sources)}sources are defined under `sources:` in "
                                  f"{fact_set.path}"))
    return problems


class Task:
    """A piece of work handed to the compiler: it runs in a worker, or in this process when its
    result is asked for before any worker was started."""

    def __init__(self, function, argument, owner=None):
        self.function, self.argument, self.owner = function, argument, owner
        self.future = None
        self.value: Any = None
        self.done = False

    def result(self):
        if self.future is None and self.owner is not None:
            self.owner.hand_over()  # workers still starting: wait for them rather than work here
        if self.future is not None:
            return self.future.result()
        if not self.done:
            self.value, self.done = self.function(self.argument), True
        return self.value


class ChartCompiler:
    """Compiles charts (and draws social cards) for a whole build: in this process when there are
    few, else in a pool of worker processes started once, on the third task, and kept to the end.

    Tasks are handed over as soon as they are known, story by story, so the workers compile while
    this process reads the next stories; results are collected afterwards, in order."""

    POOL_MIN = 3  # tasks waiting before starting workers pays: the fork server imports the engine and
    #               Altair (~0.4 s), each worker starts the Vega engine (~0.1 s); this process would
    #               pay Altair and the engine once (~0.45 s), then ~0.05-0.1 s a chart

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self._pool: ProcessPoolExecutor | None = None
        self._waiting: list[Task] = []
        self._starting: threading.Thread | None = None  # start_early's, while the workers start
        self._held: list[Task] = []  # tasks waiting for those workers
        self.compiled = 0

    def compile(self, job: ChartJob) -> Task:
        self.compiled += 1
        return self.submit(compile_job, job)

    def card(self, headline: str, site_name: str, svg: str | None) -> Task:
        return self.submit(draw_card, (headline, site_name, svg))

    def submit(self, function, argument) -> Task:
        if self._starting is not None and self._starting.is_alive():
            task = Task(function, argument, self)
            self._held.append(task)  # handed over once the workers exist, not to block this process
            return task
        task = Task(function, argument)
        if self._pool is not None:
            self.hand_over()
            task.future = self._pool.submit(function, argument)
            return task
        self._waiting = [t for t in self._waiting if not t.done]
        self._waiting.append(task)
        if self.workers > 1 and len(self._waiting) >= self.POOL_MIN:
            self._start()
        return task

    def start_early(self) -> None:
        """Start the workers now, before any chart is known: for a build that will compile every
        chart (no compiled chart in the cache), so that the workers' start (the fork server's
        imports, vl-convert: about 0.8 s) overlaps this process reading the stories. Starting a
        worker waits for the fork server: that waiting happens in a thread of its own."""
        if self.workers > 1 and self._pool is None:
            if can_fork():  # a fresh single-threaded process: workers are copies of it, started at once
                self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("fork"),
                                                 initializer=_warm_up)
                for _ in range(self.workers):
                    self._pool.submit(int)
                return
            self._start()
            pool = self._pool

            def spawn() -> None:
                for _ in range(self.workers):  # one empty task each, so that every worker starts now
                    pool.submit(int)

            self._starting = threading.Thread(target=spawn, name="chart-workers", daemon=True)
            self._starting.start()

    def hand_over(self) -> None:
        """Give the pool the tasks held while its workers started."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        held, self._held = self._held, []
        for task in held:
            task.future = self._pool.submit(task.function, task.argument)

    def _start(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=forkserver(), initializer=_warm_up)
        for task in self._waiting:
            task.future = self._pool.submit(task.function, task.argument)
        self._waiting = []

    def close(self) -> None:
        if self._starting is not None:
            self._starting.join()
            self._starting = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def can_fork() -> bool:
    """Whether workers may be plain copies of this process (fork): on Linux, while it runs no other
    thread and has started neither JavaScript engine (a copy of a running V8 or vl-convert runtime
    deadlocks). A cold build starts its workers first thing, so it qualifies; the preview server,
    with its threads, does not. Forking saves the fork server's start (about 0.2 s), and the two
    workers import Altair side by side."""
    return (sys.platform.startswith("linux") and threading.active_count() == 1
            and not any(name in sys.modules for name in ("py_mini_racer", "vl_convert", "vegafusion")))


def forkserver():
    """The way worker processes start. Forkserver, not fork: this process may already run
    vl-convert's threads, and a forked copy of a running runtime deadlocks. The server starts
    clean, with the engine and Altair imported once, and each worker is a fork of it (their pages
    shared); the Vega engine (V8) is started in each worker."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["broadsheet.chartjobs", "altair"])
    return context


def _warm_up() -> None:
    """A worker's first moments: what every chart needs, loaded before the first chart arrives."""
    from . import fallback

    charts.warm_up()
    fallback.warm_up(charts.vegalite_version())


def draw_card(arguments: tuple[str, str, str | None]) -> bytes:
    from . import fallback
    return fallback.social_card(*arguments)


def entry_json(entry: dict) -> bytes:
    return json.dumps(entry, sort_keys=True).encode("utf-8")
