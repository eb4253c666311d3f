"""Charts: a story's chart files -> compiled charts (Vega for the page, static SVG, reader tables).

This is the package's one face; the rest of the engine imports nothing else from it. Inside, one
module per concept:

    sources       running chart files (`.py` through Altair, `.vl.json`) -> ChartDefinition
    schema        the fast first check of a spec against Altair's Vega-Lite schema
    layouts       the widths a chart is drawn for (wide, narrow)
    checks        author checks on specs (columns, sources, weight, addresses)
    params        what the reader controls (inputs, legend selections)
    tables        reader tables under each chart
    large_tables  where rows go (page or file), aggregation at build time (VegaFusion)
    geometry      maps: shapes simplified and quantized for their drawing, heights fitted (Shapely)
    winding       maps: which side of each ring d3-geo fills, rings turned to match
    compiler      one ChartJob -> JobResult, layout by layout
    numbers       years never grouped in axes, legends and tooltips
    entry         CompiledChart: a compiled chart as the cache keeps it
    drawing       Vega-Lite -> Vega -> SVG in the Vega engine, text widths
    dark          the theme's dark twins of its colours, as CSS (static SVG and live view)
    engine        the Vega engine itself (an embedded V8)
    runtime       the page's chart runtime (`window.vega`)
    cards         social cards (link previews)
    images        pictures image marks show, from media/, carried inside the static SVG
    workers       the worker pool, and the sandbox where chart code runs contained: the only
                  module that knows about processes, threads and signals
"""
import importlib

_HOMES = {  # name -> the module inside the package that defines it, imported on first use (PEP 562):
    # a build that takes every story as it was never loads the compiler, the drawing or the pool
    "check_chart_sources": "checks", "ChartJob": "compiler", "JobResult": "compiler",
    "apply_merge_patch": "compiler", "CompiledChart": "entry", "live_chart_style": "dark",
    "media_images": "images", "missing_media": "images", "with_media_inlined": "images",
    "INLINE_ROWS": "large_tables", "cached_runtime": "runtime", "page_runtime": "runtime",
    "ChartCompiler": "workers", "ChartLimits": "workers", "Task": "workers", "end_pool": "workers",
    "runtime_elsewhere": "workers",
}


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOMES[name]}", __name__), name)
    globals()[name] = value  # the next use is a plain lookup
    return value


def draw_state(vega, language: str, theme, cache) -> str:
    """The static picture of a compiled chart's Vega with some of its params set (a scrolly step's
    state), drawn as the chart's own picture is: the story's number formats, its dark colours."""
    from .. import i18n
    from . import drawing

    svg, _ = drawing.to_svg("", "", vega, i18n.d3_locales(language), drawing.dark_colors(theme), cache)
    return svg

__all__ = ["INLINE_ROWS", "apply_merge_patch", "draw_state", "ChartCompiler", "ChartJob", "ChartLimits", "end_pool",
           "JobResult", "Task", "CompiledChart", "check_chart_sources", "cached_runtime", "live_chart_style",
           "media_images", "missing_media", "page_runtime", "runtime_elsewhere", "with_media_inlined"]
