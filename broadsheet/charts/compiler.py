"""Compiling one chart job: run its source for each layout of the theme (wide, then narrow), then
Vega-Lite -> Vega (large tables aggregated at build time) -> where its rows go -> static SVG.

A `ChartJob` holds everything one chart needs as plain bytes and text, so it can travel to a
worker process; the compiling side parses the story's CSVs and facts itself (the same code as
the build, so the same result). Nothing here knows whether it runs in a worker or in the build.
"""
from __future__ import annotations

import dataclasses
import gzip
import hashlib
import itertools
import json
import marshal
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import data, facts as facts_module, i18n, yamlmap
from ..diagnostics import Diagnostic, SourceLocation, did_you_mean, error, warning
from ..model import Dataset, FactSet, NarrowChart
from ..cache import NoCache, digest
from ..collector import bulk
from . import cards, compound, drawing, fields, geometry, joins, large_tables, numbers, params, sources, tooltips, walk
from .layouts import is_compound, placed_legend, theme_layouts
from .sources import for_layout
from .tables import data_tables, drawn_rows, inline_tables
from .entry import CompiledChart, TableEntry
from .checks import check_chart_sources, check_columns, data_urls, outside_data_problem, outside_images, too_heavy
from .dates import check_dates


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
    cache: Any = NoCache()  # the build's cache (the engine's bundle and text widths), or NoCache
    original_language: str = ""  # the story's original language, when this job draws a translation
    computed: tuple = ()  # (fact key, (value, query)) of the facts computed from a table: run once, by the story


@dataclass(frozen=True)
class JobResult:
    entry: CompiledChart | None  # the compiled chart, as the cache keeps it
    deps: dict | None  # what the chart read: {"datasets": [...], "facts": [...]}
    problems: tuple[Diagnostic, ...]
    files: tuple[tuple[str, bytes], ...] = ()  # data files the live view fetches (large_tables)
    card: bytes | None = None  # the story's link-preview PNG, when the job asked for it


_PARSED: dict[tuple, Any] = {}  # tables this process has read, newest last: charts of a story share them


_PARSED_ROWS = 150_000  # rows kept at most: one large table (the charts of a story come together)


class _Tables(Mapping):
    """The story's CSVs, each parsed the first time a chart reads it (in this process, once), or
    loaded from the typed columns the build already read."""

    def __init__(self, csvs):
        self.csvs = {stem: (path, raw) for stem, path, raw, _ in csvs}
        self.paths = {stem: path for stem, path, _, _ in csvs}
        self.tables = {stem: table for stem, _, _, table in csvs if table}

    def __getitem__(self, stem):
        path, raw = self.csvs[stem]
        key = (stem, path, hashlib.sha256(raw).digest())
        if key not in _PARSED:
            if stem in self.tables:  # read by the build already: typed columns, marshalled
                with bulk():
                    columns, values = marshal.loads(self.tables[stem])
                _PARSED[key] = Dataset(stem, path, columns, data.Rows(columns, values), raw, SourceLocation(path, 1))
            else:
                _PARSED[key] = data.parse_data(raw, path, stem)[0]
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
def _facts(text: str, path: str, computed: tuple = ()) -> FactSet:
    """A story's facts, read once per process (its charts come together)."""
    if text:
        loaded = yamlmap.load(text, path)
        if not loaded.diagnostics:
            return facts_module.parse_facts(loaded.data, path, dict(computed))[0]
    return FactSet(path=path)


def job_inputs(job: ChartJob) -> tuple[Mapping[str, Dataset], FactSet]:
    """The story's tables (each parsed when first read) and facts, as a chart job's code sees them."""
    return _Tables(job.csvs), facts_module.in_language(_facts(job.facts_text, job.facts_path, job.computed), job.language)


def run_here(job: ChartJob, layout, datasets, fact_set):
    """A Python chart run in this process: (definition, problems). The build runs it elsewhere
    (workers.ChartSandbox, handed to compile_job), where its exits and crashes are contained."""
    return sources.run_python_chart(job.chart_id, job.rel_path, job.abs_path, job.text, datasets, fact_set,
                                    job.theme, layout)


def compile_job(job: ChartJob, run_python=run_here) -> JobResult:
    """Run one chart file and compile it for each layout of the theme (wide, then narrow):
    Vega-Lite -> Vega (large tables aggregated at build time) -> where its rows go -> static SVG;
    tables and metadata. The narrow chart is kept as its SVG and a merge patch over the wide Vega.
    `run_python(job, layout, datasets, facts)` runs a Python chart's code."""
    datasets, fact_set = job_inputs(job)
    layouts = tuple(dataclasses.replace(layout, language=job.language) for layout in theme_layouts(job.theme))
    wide = _compile_layout(job, layouts[0], datasets, fact_set, run_python=run_python)
    if isinstance(wide, list):
        return JobResult(None, None, tuple(wide))
    definition, placement, svg, warnings = wide

    narrow = None
    for layout in layouts[1:]:
        same_code = None if definition.adapts else for_layout(definition, layout)
        if same_code is definition and not is_compound(definition.vegalite):
            continue  # nothing changes with the width: the same picture
        other = _compile_layout(job, layout, datasets, fact_set, same_code, run_python)
        if isinstance(other, list):  # the chart ran for one layout and not for the other: report it
            return JobResult(None, None, tuple(other))
        _, other_placement, other_svg, other_warnings = other
        warnings = list(dict.fromkeys(warnings + other_warnings))
        if other_svg != svg:
            narrow_width, narrow_height = drawing.svg_size(other_svg)
            narrow = NarrowChart(other_svg, narrow_width, narrow_height,
                                 compact_json(merge_patch(placement.page, other_placement.page)))
    entry = _entry(job, definition, placement, svg, narrow, datasets, warnings)
    deps = {"datasets": sorted(definition.datasets_used), "facts": sorted(definition.facts_used)}
    card = cards.social_card(job.card[0], job.card[1], svg) if job.card else None
    return JobResult(entry, deps, tuple(warnings), placement.files, card)


def _entry(job: ChartJob, definition, placement, svg: str, narrow, datasets, warnings) -> CompiledChart:
    """The compiled chart as the cache keeps it (its warnings too: a chart read back from the
    cache still reports them)."""
    width, height = drawing.svg_size(svg)
    tables = data_tables(definition, {stem: datasets[stem] for stem in definition.datasets_used if stem in datasets},
                         drawn=drawn_rows(placement.static) if definition.large else None,
                         evaluate=drawing.evaluated_rows)
    return CompiledChart(
        job.chart_id, definition.title, definition.alt, definition.caption, definition.source, svg, width, height,
        compact_json(placement.page), narrow, tuple(params.bound_params(definition.vegalite)),
        tuple(definition.facts_used), tuple(params.legend_only_params(definition.vegalite)),
        params.binding_lines(definition.vegalite), tuple(definition.source_keys),
        tuple(TableEntry(t.name, tuple(t.columns), t.rows, t.total, None if _is_story_csv(t, datasets) else t.csv, t.kinds)
              for t in tables),
        tuple((path, digest(content)) for path, content in placement.files), tuple(warnings),
        joins.missing_colour(definition.vegalite, job.theme))


TEXT_DIRECTIVE = re.compile(r"\{([A-Za-z][\w-]*):([^{}\n]*)\}")
TEXT_FACT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\|(number|compact|))?$")


def facts_in_texts(definition, fact_set: FactSet, language: str, text: str):
    """The chart's TITLE, ALT, CAPTION and SOURCE with each `{fact:key}` printed as the prose prints
    it, in plain text (they also go where HTML cannot: alt text, the embed page's <title>, the
    spec's description), and `{literal:…}` as written; the facts read join `facts_used`, so the
    compiled chart is kept under their values. Unknown facts and other directives are errors."""
    used: list[str] = []
    problems: list[Diagnostic] = []

    def one(match: re.Match, name: str = "") -> str:
        kind, body = match.group(1), match.group(2).strip()
        if kind == "literal":
            return match.group(2)
        if kind == "js" and name == "caption":  # words only for the live view: the page marks them
            return match.group(0)
        parsed = TEXT_FACT.match(body) if kind == "fact" else None
        if parsed and parsed.group(1) in fact_set.facts and fact_set.facts[parsed.group(1)].value is not None:
            fact = fact_set.facts[parsed.group(1)]
            used.append(fact.key)
            return i18n.format_value(fact.value, fact.unit, language, parsed.group(2) or "")
        where = next((SourceLocation(definition.path, number, row.find(match.group(0)) + 1)
                      for number, row in enumerate(text.split("\n"), start=1) if match.group(0) in row),
                     SourceLocation(definition.path, 1))
        if kind != "fact":
            problems.append(error("chart-text-directive", f"'{match.group(0)}' in the words of chart "
                                  f"'{definition.id}': only {{fact:key}} and {{literal:text}} work there "
                                  "({js:text} in CAPTION too)", where,
                                  "write {fact:key} for a number with a source, {literal:…} for one without"))
        elif parsed is None:
            problems.append(error("directive-syntax", f"'{match.group(0)}' is not a fact reference", where,
                                  "write {fact:key} or {fact:key|number} / {fact:key|compact}"))
        else:
            problems.append(error("fact-unknown", f"unknown fact '{parsed.group(1)}'", where,
                                  f"{did_you_mean(parsed.group(1), fact_set.facts)}facts are defined in "
                                  f"{fact_set.path}"))
        return match.group(0)

    texts = {name: TEXT_DIRECTIVE.sub(lambda match: one(match, name), getattr(definition, name))
             for name in ("title", "alt", "caption", "source")}
    if not used and not problems:
        return definition, []
    return dataclasses.replace(definition, **texts,
                               facts_used=tuple(dict.fromkeys(definition.facts_used + tuple(used)))), problems


def _compile_layout(job: ChartJob, layout, datasets, fact_set, definition=None, run_python=run_here):
    """(definition, placement, SVG, warnings) of the chart drawn for one layout, or its problems
    (a list). With `definition` (the chart for this layout, derived from another:
    sources.for_layout), the chart's code is not run again, nor its checks."""

    joined = []  # warnings of the map's joins, said once (the wide layout runs the checks)
    if definition is None:
        if job.abs_path.endswith(".py"):
            definition, problems = run_python(job, layout, datasets, fact_set)
        else:
            definition, problems = sources.load_vegalite_chart(job.chart_id, job.rel_path, job.text, datasets,
                                                              job.theme, layout)
        if definition is None:
            return list(problems)
        definition, problems = sources.in_language(definition, job.language, job.original_language or job.language,
                                                   job.text)
        if problems:
            return list(problems)
        problems = check_columns(definition, job.text, datasets)
        problems += check_chart_sources(definition.source_keys, job.chart_id, job.rel_path, job.text, fact_set)
        definition, found = facts_in_texts(definition, fact_set, job.language, job.text)
        problems += found
        if problems:
            return list(problems)
        joined = joins.key_problems(definition.vegalite, job.chart_id, job.rel_path, job.text)
        joined += check_dates(definition, job.text, datasets, drawing.unparsed_dates)
    vegalite, fitting = compound.fit(_page_vegalite(definition), layout)
    drawn = _picture(job, definition, vegalite, layout, datasets)
    if fitting is not None and not isinstance(drawn, list):
        drawn = _refitted(job, definition, fitting, layout, drawn, datasets)
    if not isinstance(drawn, list):
        drawn = _legend_in_rows(job, definition, vegalite, layout, drawn, datasets)
    if isinstance(drawn, list):
        return drawn
    placement, svg, problems = drawn
    scaled = _scaled(job, layout, drawing.svg_size(svg)[0]) if fitting is not None else []
    return definition, placement, svg, fixed_width(job, definition, layout) + scaled + joined + problems


def _scaled(job: ChartJob, layout, width: float) -> list[Diagnostic]:
    """A warning for a compound chart still wider than its layout once its cells were fitted (its
    legends side by side, a nested view's own width): the page scales it down, text included."""
    if width <= layout.width * 1.1:
        return []
    return [warning("chart-scaled", f"chart '{job.chart_id}' is drawn {width:g} px wide for the {layout.name} "
                    f"layout ({layout.width} px): readers get it at {100 * layout.width / width:.0f} %, its text "
                    "with it", SourceLocation(job.rel_path, 1),
                    "look for what sets its width: legends side by side (give one `orient` inside the plot, or "
                    "drop it), a view with a `width` of its own, or more columns than fit")]


def _refitted(job: ChartJob, definition, fitting, layout, drawn, datasets):
    """The compound chart drawn again with its cell width corrected by how wide the first drawing
    came out (axis labels are measured only when drawn), kept when it is nearer the layout's width."""
    width = drawing.svg_size(drawn[1])[0]
    again = compound.refit(fitting, layout, width)
    redrawn = _picture(job, definition, again, layout, datasets) if again is not None else None
    if redrawn is None or isinstance(redrawn, list):
        return drawn
    nearer = abs(drawing.svg_size(redrawn[1])[0] - layout.width) < abs(width - layout.width)
    return redrawn if nearer else drawn


def _legend_in_rows(job: ChartJob, definition, vegalite: dict, layout, drawn, datasets):
    """The picture drawn again with its legends in rows when a legend runs off its edge. The house
    theme puts legends under the chart, in one row: on a phone, a few long names are wider than
    the screen, the theme's doing rather than the author's. The most columns that cut no legend
    text are found by halving (one entry a row first: when even that cuts, a title too long, say,
    the first drawing stays, with its `chart-clipped` warning); the live view gets them too. A
    legend given its own `columns` keeps them."""
    entries = drawing.legend_entries(drawn[1])
    if entries < 2 or not _cuts_legend(drawn):
        return drawn

    def in_columns(columns: int):
        config = dict(vegalite.get("config") or {})
        config["legend"] = {**(config.get("legend") or {}), "columns": columns}
        return _picture(job, definition, {**vegalite, "config": config}, layout, datasets)

    best = in_columns(1)
    if _cuts_legend(best):
        return drawn
    fewest, most = 1, entries - 1  # `best` is drawn with `fewest` columns; more than `most` cut
    while fewest < most:
        middle = (fewest + most + 1) // 2
        tried = in_columns(middle)
        if _cuts_legend(tried):
            most = middle - 1
        else:
            fewest, best = middle, tried
    return best


def _cuts_legend(drawn) -> bool:
    """Whether a drawing failed, or cuts legend text off."""
    return isinstance(drawn, list) or any(drawing.cuts_legend(problem) for problem in drawn[2])


def _picture(job: ChartJob, definition, vegalite: dict, layout, datasets):
    """(placement, SVG, warnings) of the Vega-Lite spec as the page and the picture draw it, or
    its problems (a list) when one is an error."""
    vega, problems = drawing.to_vega(job.chart_id, job.rel_path, numbers.years_never_grouped(vegalite),
                                     sources.vegalite_version(), job.cache)
    placement = None
    svg = ""
    # What Vega-Lite logged while compiling, less what it says of the autosize fit_to_layout chose
    said = [p for p in problems if not (definition.fitted and 'Dropping "fit' in p.message)] if vega is not None else []
    if vega is not None:
        outside = data_urls(vega)
        if outside:  # refused before VegaFusion or Vega evaluate anything
            line, column = sources.line_of_token(job.text, [outside[0]], 1)
            problem = outside_data_problem(job.chart_id, job.rel_path, outside[0])
            return [error(problem.code, problem.message, SourceLocation(job.rel_path, line, column), problem.hint)]
        vega = nearest_tooltips_read_the_point({k: v for k, v in vega.items() if k != "$schema"})
        vega = _speaking(vega, definition, datasets)
        placement, problems = _place(job, definition, vega)
    if placement is not None:
        svg, problems = _draw(job, definition, placement, layout)
    problems = [problem for problem in said if problem not in problems] + list(problems)
    if any(problem.severity == "error" for problem in problems):
        return problems
    return placement, svg, problems


def _speaking(vega: dict, definition, datasets) -> dict:
    """The tooltips and mark descriptions in the page's words (charts.tooltips): months written out,
    a range with equal ends said once. Which fields hold months is read from the chart's tables."""
    tables = [itertools.islice(datasets[stem].rows, 2000) for stem in definition.datasets_used if stem in datasets]
    tables += [[row for row in rows[:2000] if isinstance(row, Mapping)] for rows in inline_tables(definition.vegalite)]
    return tooltips.speak(vega, fields.position_groups(definition.vegalite), tooltips.months(tables))


def _page_vegalite(definition) -> dict:
    """The spec the page and the picture draw: the title is shown in HTML above the chart, unless
    it follows a param (its text an expression), which only Vega can keep up to date."""
    vegalite = dict(definition.vegalite)
    title = vegalite.pop("title", None)
    if isinstance(title, dict) and any(isinstance(title.get(key), dict) for key in ("text", "subtitle")):
        vegalite["title"] = title
    vegalite["description"] = definition.alt
    return vegalite


def _draw(job: ChartJob, definition, placement, layout) -> tuple[str, list[Diagnostic]]:
    """The static picture of a placed chart, and the problems drawing it showed."""
    problems = too_heavy(job, definition, placement.drawn_rows, 0)
    if problems:
        return "", problems
    svg, problems = drawing.to_svg(job.chart_id, job.rel_path, placement.static, i18n.d3_locales(job.language),
                                   drawing.dark_colors(job.theme), job.cache, layout.name)
    if any(problem.severity == "error" for problem in problems):
        return "", problems
    if placement.static.get("projections"):  # a map: outlines to what a pixel needs
        svg = geometry.compact_paths(svg)
    if outside_images(svg):
        href = outside_images(svg)[0]
        return "", [error("chart-data-unknown", f"chart '{job.chart_id}' shows the image '{href}', which is "
                          "not a file of the story: readers would fetch it from elsewhere",
                          SourceLocation(job.rel_path, 1),
                          "put the picture in the story's media/ folder and give its path as media/<name>")]
    return svg, too_heavy(job, definition, 0, len(gzip.compress(svg.encode("utf-8"), 6)), svg) + problems


def fixed_width(job: ChartJob, definition, layout) -> list[Diagnostic]:
    """A warning for a single or layered chart wider than the narrow layout by its own width:
    phones get the wide picture scaled down (its text with it) instead of a layout of their own."""
    spec = definition.vegalite
    width = spec.get("width")
    narrow = min((other.width for other in theme_layouts(job.theme)), default=0)
    channel = placed_legend(spec)
    if channel and layout.name == "wide" and not is_compound(spec) and width in (None, "container"):
        line, column = sources.line_of_token(job.text, ["legendX", "legendY"], 1)
        return [warning("chart-legend-placed", f"chart '{job.chart_id}' places its {channel} legend at pixel "
                        "coordinates (legendX, legendY): it is drawn at its own size, not fitted to the column, "
                        "so that the legend stays where it was put", SourceLocation(job.rel_path, line, column),
                        "to fit the chart to each screen, let the legend find its place: leave out legendX and "
                        "legendY and give an orient (\"right\", \"bottom\", \"top-left\"…)")]
    if definition.fitted or definition.adapts or is_compound(spec) or layout.name != "wide" or \
            not isinstance(width, (int, float)) or isinstance(width, bool) or width <= narrow:
        return []
    line, column = sources.line_of_token(job.text, ["width"], 1)
    return [warning("chart-fixed-width", f"chart '{job.chart_id}' is {width:g} px wide whatever the screen: "
                    f"phones ({narrow} px) get it scaled down, text included", SourceLocation(job.rel_path, line, column),
                    "leave the width out: the chart is then drawn for each layout (the column, a phone)")]


_BARE_DATUM_FIELD = re.compile(r"(?<![.\w$])datum\[")


def nearest_tooltips_read_the_point(vega: dict) -> dict:
    """Vega-Lite 6.4 writes the tooltip of a `nearest` selection's Voronoi cells with
    `datum["field"]` for text fields, where a cell's own datum holds the point under `datum.datum`:
    the reader saw "Mesure : undefined" (vega/vega-lite#9707, fixed after 6.4.1). The cells'
    tooltips are made to read the point, as Vega-Lite already does for numbers and dates."""

    def fix(mark: dict) -> dict:
        is_cells = mark.get("type") == "path" and any(
            isinstance(t, dict) and t.get("type") == "voronoi" for t in mark.get("transform", []) or [])
        tooltip = ((mark.get("encode") or {}).get("update") or {}).get("tooltip") if is_cells else None
        if isinstance(tooltip, dict) and isinstance(tooltip.get("signal"), str):
            signal = _BARE_DATUM_FIELD.sub("datum.datum[", tooltip["signal"])
            update = {**mark["encode"]["update"], "tooltip": {**tooltip, "signal": signal}}
            mark["encode"] = {**mark["encode"], "update": update}
        return mark

    if not isinstance(vega.get("marks"), list):
        return vega
    return walk.map_scopes(vega, fix)


def _place(job: ChartJob, definition, vega: dict) -> tuple[large_tables.Placement | None, list[Diagnostic]]:
    """Where the chart's rows go. A chart over a large table is aggregated at build time first;
    when the live view still needs many rows (a slider filters them), the static picture is drawn
    from a second evaluation at the chart's initial state, so vl-convert never reads them all."""
    if not definition.large:
        return large_tables.place(vega, job.chart_id, large_tables.INLINE_ROWS), []

    tables = {name: (table.columns, table.rows) for name, table in definition.large.items()}
    if large_tables.reads_whole_rows(vega):
        return large_tables.place(large_tables.with_rows(vega, tables), job.chart_id, large_tables.INLINE_ROWS), []
    try:
        live, _ = large_tables.evaluate(vega, tables)
        placement = large_tables.place(live, job.chart_id, large_tables.INLINE_ROWS)
        if placement.files:
            still, _ = large_tables.evaluate(vega, tables, interactive=False)
            drawn = large_tables.place(still, job.chart_id, 10 ** 9)
            placement = large_tables.Placement(placement.page, drawn.static, placement.files, drawn.drawn_rows)
    except large_tables.PretransformFailed as exc:
        return None, [error("chart-render", f"chart '{job.chart_id}' cannot be aggregated at build time: {exc}",
                            SourceLocation(job.rel_path, 1),
                            "check the transforms of this chart, which reads a large table")]
    return placement, []


def _is_story_csv(table, datasets) -> bool:
    """A table that is a story CSV as it is: the download is that file, no copy in the cache."""
    return table.name in datasets.csvs and table.csv == datasets.csvs[table.name][1]


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


def compact_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
