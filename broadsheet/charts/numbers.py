"""Numbers in charts as the story's language writes them, and years as years.

The d3 locale (`i18n.d3_locales`) groups thousands the language's way in axes, legends and
tooltips, in the static picture (the build's V8) and the live view (the page's Vega) alike. A
quantitative field that holds years would then read "2,017" or "2 017" on an axis: a field named
like a year (`year`, `annee`, `Jahr`, …) and given no format of its own gets the d3 format "~f"
(never grouped; decimals kept, trailing zeros dropped) on its axis, legend, text and tooltip,
and its axis no tick between two years. A field whose guide the author formatted in one layer
keeps that format in every layer: Vega-Lite merges the layers' axes and would warn of a conflict.
"""
from __future__ import annotations

from typing import Any

from .. import i18n
from . import walk

AXIS_CHANNELS = {"x", "y", "x2", "y2", "xOffset", "yOffset"}
LEGEND_CHANNELS = {"color", "fill", "stroke", "size", "opacity", "fillOpacity", "strokeOpacity", "strokeWidth",
                   "shape", "angle"}
TEXT_CHANNELS = {"text", "tooltip"}


def years_never_grouped(vegalite: Any) -> Any:
    """The Vega-Lite spec with "~f" as the format of every year-like quantitative field that has none."""
    formatted = _author_formatted(vegalite)

    def change(node: dict) -> dict:
        encoding = node.get("encoding")
        if not isinstance(encoding, dict):
            return node
        return {**node, "encoding": {channel: _channel(channel, value, formatted)
                                     for channel, value in encoding.items()}}
    return walk.rebuild(vegalite, change)


def _author_formatted(vegalite: Any) -> set[tuple[str, str]]:
    """(channel, field) pairs whose axis or legend the author gave a format somewhere in the spec."""
    found: set[tuple[str, str]] = set()

    def note(node: dict) -> dict:
        encoding = node.get("encoding")
        for channel, value in (encoding.items() if isinstance(encoding, dict) else ()):
            if not isinstance(value, dict) or not isinstance(value.get("field"), str):
                continue
            guide = value.get("axis" if channel in AXIS_CHANNELS else "legend")
            if isinstance(guide, dict) and "format" in guide:
                found.add((channel, value["field"]))
        return node
    walk.rebuild(vegalite, note)
    return found


def _channel(channel: str, value: Any, formatted: set[tuple[str, str]] = frozenset()) -> Any:
    if isinstance(value, list):
        return [_channel(channel, item, formatted) for item in value]
    if not _is_year_field(value) or (channel, value.get("field")) in formatted:
        return value
    if channel in AXIS_CHANNELS:
        return _with_format(value, "axis")
    if channel in LEGEND_CHANNELS:
        return _with_format(value, "legend")
    if channel in TEXT_CHANNELS and "format" not in value:
        return {**value, "format": "~f"}
    return value


def _with_format(value: dict, guide: str) -> dict:
    """`axis`/`legend` given format "~f", unless the author set one (or turned the guide off)."""
    inner = value.get(guide, {})
    if inner is None or not isinstance(inner, dict) or "format" in inner or "format" in value:
        return value
    extra = {"tickMinStep": 1} if guide == "axis" and "tickMinStep" not in inner else {}  # no tick at 2015.5
    return {**value, guide: {**inner, "format": "~f", **extra}}


def _is_year_field(value: Any) -> bool:
    if not isinstance(value, dict) or value.get("type") != "quantitative" or value.get("aggregate") or value.get("bin"):
        return False
    field = value.get("field")
    return isinstance(field, str) and i18n.is_year_name(field)
