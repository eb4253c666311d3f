"""What the reader controls: a spec's named params, bound to inputs (sliders, menus) or to the legend."""
from __future__ import annotations

from typing import Any

from . import walk


def _params(spec: Any) -> list[dict]:
    """Every named param of a Vega-Lite spec, wherever it sits (top level, layers, concats),
    once per name."""
    found: dict[str, dict] = {}
    for node in walk.nodes(spec, skip={"params"}):
        listed = node.get("params")
        for param in listed if isinstance(listed, list) else []:  # a regression's `"params": true` is no list
            if isinstance(param, dict) and isinstance(param.get("name"), str):
                found.setdefault(param["name"], param)
    return list(found.values())


def _input(param: dict) -> dict | None:
    bind = param.get("bind")
    return bind if isinstance(bind, dict) and "input" in bind else None


def binding_lines(spec: Any) -> int:
    """Lines of text the chart's inputs take on the page (site.css sets one line per slider,
    per menu, per checkbox, and a line for a radio group's name plus one per choice), so the
    space is kept for them before they exist: nothing moves when the chart comes alive."""
    return sum(1 + len(bind.get("options") or ()) if bind["input"] == "radio" else 1
               for bind in map(_input, _params(spec)) if bind)


def legend_only_params(spec: Any) -> tuple[str, ...]:
    """Names of selections bound to the legend alone: a pointer can use them, a keyboard cannot."""
    return tuple(param["name"] for param in _params(spec) if param.get("bind") == "legend")


def bound_params(spec: Any) -> tuple[str, ...]:
    """Names of params bound to inputs (sliders, menus): what a live fact can follow."""
    return tuple(param["name"] for param in _params(spec) if _input(param))
