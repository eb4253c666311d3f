"""Compiling charts, serially or across the machine's cores, with identical results.

A `ChartJob` holds everything one chart needs as plain bytes and text, so it can travel to a
worker process; the worker parses the story's CSVs and facts itself (the same code as the
parent, so the same result), runs the chart, and compiles it. Each worker imports Altair and
starts vl-convert once, then serves many charts.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

from . import charts, data, facts as facts_module, i18n, yamlmap
from .diagnostics import Diagnostic, SourceLocation, error
from .model import FactSet


@dataclass(frozen=True)
class ChartJob:
    chart_id: str
    abs_path: str
    rel_path: str
    text: str
    csvs: tuple[tuple[str, str, bytes], ...]  # (stem, path in messages, bytes)
    facts_text: str
    facts_path: str
    theme: Any
    language: str


@dataclass(frozen=True)
class JobResult:
    entry: dict | None  # the compiled chart, as cached (see story._spec_to_json)
    deps: dict | None  # what the chart read: {"datasets": [...], "facts": [...]}
    problems: tuple[Diagnostic, ...]


def compile_job(job: ChartJob) -> JobResult:
    """Run one chart file and compile it: Vega-Lite -> Vega -> static SVG, tables, metadata."""
    from . import fallback

    datasets = {}
    for stem, path, raw in job.csvs:
        dataset, _ = data.parse_csv(raw, path, stem)
        if dataset is not None:
            datasets[stem] = dataset
    fact_set = FactSet(path=job.facts_path)
    if job.facts_text:
        loaded = yamlmap.load(job.facts_text, job.facts_path)
        if not loaded.diagnostics:
            fact_set, _ = facts_module.parse_facts(loaded.data, job.facts_path)
    layouts = charts.theme_layouts(job.theme)
    definition, vega, svg, problems = _compile_layout(job, layouts[0], datasets, fact_set)
    if definition is None:
        return JobResult(None, None, tuple(problems))
    width, height = fallback.svg_size(svg)
    narrow = {}
    for layout in layouts[1:]:
        other, other_vega, other_svg, problems = _compile_layout(job, layout, datasets, fact_set)
        if other is None:  # the chart ran for one layout and not for the other: report it
            return JobResult(None, None, tuple(problems))
        if other_svg != svg:
            narrow_width, narrow_height = fallback.svg_size(other_svg)
            narrow = {"svg": other_svg, "width": narrow_width, "height": narrow_height,
                      "patch": fallback.compact_json(merge_patch(_page_vega(vega), _page_vega(other_vega)))}
    tables = charts.data_tables(definition, datasets)
    import base64
    entry = {
        "id": job.chart_id, "title": definition.title, "alt": definition.alt, "caption": definition.caption,
        "source": definition.source, "svg": svg, "width": width, "height": height,
        "vega": fallback.compact_json(_page_vega(vega)), "narrow": narrow,
        "params": list(charts.bound_params(definition.vegalite)),
        "legend_only": list(charts.legend_only_params(definition.vegalite)),
        "binding_lines": charts.binding_lines(definition.vegalite), "facts_used": list(definition.facts_used),
        "source_keys": list(definition.source_keys),
        "tables": [{"name": t.name, "columns": list(t.columns), "rows": [list(r) for r in t.rows],
                    "csv": base64.b64encode(t.csv).decode("ascii")} for t in tables],
    }
    deps = {"datasets": sorted(definition.datasets_used), "facts": sorted(definition.facts_used)}
    return JobResult(entry, deps, ())


def _compile_layout(job: ChartJob, layout, datasets, fact_set):
    """(definition, Vega, SVG, problems) of the chart drawn for one layout."""
    from . import fallback

    if job.abs_path.endswith(".py"):
        definition, problems = charts.run_python_chart(job.chart_id, job.rel_path, job.abs_path, job.text, datasets,
                                                       fact_set, job.theme, layout)
    else:
        definition, problems = charts.load_vegalite_chart(job.chart_id, job.rel_path, job.text, datasets, job.theme,
                                                          layout)
    if definition is None:
        return None, None, "", problems
    problems = charts.check_columns(definition, job.text)
    problems += check_chart_sources(definition.source_keys, job.chart_id, job.rel_path, job.text, fact_set)
    if problems:
        return None, None, "", problems
    vegalite = dict(definition.vegalite)
    vegalite.pop("title", None)  # the page shows the title in HTML, above the chart
    vegalite["description"] = definition.alt
    vega, svg, problems = fallback.compile_chart(job.chart_id, job.rel_path, vegalite, i18n.d3_locales(job.language),
                                                 dark_colors(job.theme))
    if vega is None:
        outside = re.search(r"External data url not allowed: (\S+)", problems[0].message)
        if outside:  # point at the address in the chart file
            line, column = charts.line_of_token(job.text, [outside.group(1)], 1)
            problems = [error("chart-render", problems[0].message, SourceLocation(job.rel_path, line, column),
                              problems[0].hint)]
        return None, None, "", problems
    return definition, vega, svg, []


def _page_vega(vega: dict) -> dict:
    return {k: v for k, v in vega.items() if k != "$schema"}


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


class ChartCompiler:
    """Compiles batches of charts: in this process, or in a pool kept for the whole build."""

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers if workers is not None else (os.cpu_count() or 1))
        self._pool: ProcessPoolExecutor | None = None
        self.compiled = 0

    def __call__(self, jobs: list[ChartJob]) -> list[JobResult]:
        self.compiled += len(jobs)
        if self.workers == 1 or len(jobs) < 2:
            return [compile_job(job) for job in jobs]
        if self._pool is None:
            # forkserver, not fork: this process may already run vl-convert's threads, and a forked
            # copy of a running runtime deadlocks. The server starts clean, with the engine preloaded.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["broadsheet.chartjobs"])
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        return list(self._pool.map(compile_job, jobs))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None


def compile_all_serially(jobs: list[ChartJob]) -> list[JobResult]:
    return [compile_job(job) for job in jobs]


def entry_json(entry: dict) -> bytes:
    return json.dumps(entry, sort_keys=True).encode("utf-8")
