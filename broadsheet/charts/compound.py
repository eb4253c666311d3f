"""Compound charts (facets, concatenations, repeats) laid out for each layout's width.

Vega-Lite draws each cell of a compound chart at the theme's default size, whatever the page:
three facets side by side come out about 1,500 px wide, and the page scales that down to the
column, text included, to a third of its size (unreadable on a phone). Here the cells share the
layout's width instead: wrapped views (facets, `concat`, repeated lists) get as many columns as
cells of a readable width fit (`MIN_CELL`), side-by-side views are stacked on a phone, and each
cell without a size of its own gets the width its column leaves. Vega-Lite measures axis labels
only when it draws, so the cell width is first estimated, then corrected once from the drawn
width (`refit`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .layouts import ChartLayout, is_compound

MIN_CELL = 120  # narrowest cell whose axis labels still fit at the theme's 13 px (two on a phone)
GAP = 20  # Vega-Lite's spacing between cells
AXIS = 45  # room a y axis's labels and title take, before the drawing says


@dataclass(frozen=True)
class CellFit:
    """How `fit` shared a layout's width: the views arranged for it, their columns, each cell's width."""

    arranged: Mapping[str, Any]
    columns: int
    cell: int


def fit(spec: Mapping[str, Any], layout: ChartLayout) -> tuple[dict, CellFit | None]:
    """The compound chart with columns and cell sizes for `layout`, and how they were chosen;
    any other chart, or one whose cells all have sizes of their own, as it is (and None)."""
    arranged = _arranged(dict(spec), layout)
    if arranged is None:
        return dict(spec), None
    columns, shared_axis = _columns(arranged, layout)
    if columns is None:
        return arranged, None
    cell = _cell_width(layout.width, columns, shared_axis)
    return _sized_cells(arranged, columns, cell), CellFit(arranged, columns, cell)


def refit(fitting: CellFit, layout: ChartLayout, drawn_width: float) -> dict | None:
    """The chart again with its cells widened or narrowed by what the drawing showed, when the
    picture missed the layout's width by more than a few pixels; None when it is close enough."""
    if layout.width - 24 <= drawn_width <= layout.width:
        return None
    corrected = int(fitting.cell + (layout.width - drawn_width) / fitting.columns)
    if corrected == fitting.cell or corrected < 40:
        return None
    return _sized_cells(dict(fitting.arranged), fitting.columns, corrected)


def _arranged(spec: dict, layout: ChartLayout) -> dict | None:
    """Side-by-side views stacked on a phone, a `column` facet wrapped; None for a chart that is
    not compound, or a faceted unit chart whose author set its cell width."""
    if not is_compound(spec) or "encoding" in spec and spec.get("width") is not None:
        return None
    if "hconcat" in spec and layout.narrow and len(spec["hconcat"]) > 1 and all(map(_sizeable, spec["hconcat"])):
        spec["vconcat"] = spec.pop("hconcat")
    encoding = spec.get("encoding")
    if isinstance(encoding, Mapping) and "column" in encoding and "row" not in encoding and "facet" not in encoding:
        spec["encoding"] = {("facet" if channel == "column" else channel): value for channel, value in encoding.items()}
    elif isinstance(spec.get("facet"), Mapping) and _column_only(spec["facet"]):
        spec["facet"] = spec["facet"]["column"]
    return spec


def _sizeable(view: Any) -> bool:
    """A view whose width we may set: a unit or layer spec that has none of its own."""
    return isinstance(view, Mapping) and not is_compound(view) and view.get("width") in (None, "container")


def _column_only(facet: Mapping[str, Any]) -> bool:
    return "column" in facet and "row" not in facet and isinstance(facet["column"], Mapping)


def _facet_of(spec: Mapping[str, Any]) -> Any:
    return spec.get("facet") if "facet" in spec else (spec.get("encoding") or {}).get("facet")


def _columns(spec: Mapping[str, Any], layout: ChartLayout) -> tuple[int | None, bool]:
    """(cells side by side, whether they share one y axis), or (None, _) for views left as written."""
    fitting = max(1, layout.width // (MIN_CELL + GAP))
    if "vconcat" in spec:
        return (1, False) if any(map(_sizeable, spec["vconcat"])) else (None, False)
    if "hconcat" in spec:
        return (len(spec["hconcat"]), False) if all(map(_sizeable, spec["hconcat"])) else (None, False)
    views = spec.get("concat") or (spec.get("repeat") if isinstance(spec.get("repeat"), list) else None)
    if views is not None:
        inner = spec.get("concat") or [spec.get("spec")]
        if not any(map(_sizeable, inner)):
            return None, False
        return min(spec.get("columns") or len(views), fitting, len(views)), False
    if "repeat" in spec:
        column = spec["repeat"].get("column") if isinstance(spec["repeat"], Mapping) else None
        return ((len(column) if isinstance(column, list) and column else 1), False) \
            if _sizeable(spec.get("spec")) else (None, False)
    if "spec" in spec and not _sizeable(spec["spec"]):
        return None, False
    facet = _facet_of(spec)
    if isinstance(facet, Mapping) and "field" in facet:
        return min(spec.get("columns") or fitting, fitting), True
    return (1, True) if isinstance(facet, Mapping) and "row" in facet or "row" in (spec.get("encoding") or {}) \
        else (None, False)


def _wraps(spec: Mapping[str, Any]) -> bool:
    """Whether the chart takes `columns`: concat, a repeated list, a wrapped facet."""
    facet = _facet_of(spec)
    return "concat" in spec or isinstance(spec.get("repeat"), list) or isinstance(facet, Mapping) and "field" in facet


def _sized_cells(spec: dict, columns: int, width: int) -> dict:
    """`spec` with `width` (and a height in proportion) on each cell that has no size of its own,
    and a wrapped chart's `columns` set to those the width was shared among."""
    height = max(120, min(300, round(width * 0.7))) if columns > 1 else None
    spec = dict(spec)
    if _wraps(spec):
        spec["columns"] = columns
    for key in ("vconcat", "hconcat", "concat"):
        if key in spec:
            spec[key] = [_sized(view, width, height) if _sizeable(view) else view for view in spec[key]]
            return spec
    if isinstance(spec.get("spec"), Mapping):
        spec["spec"] = _sized(spec["spec"], width, height)
        return spec
    return _sized(spec, width, height)


def _sized(view: Mapping[str, Any], width: int, height: int | None) -> dict:
    """The view `width` wide; `height` tall too when it has a continuous y (or none) and no
    height of its own: a small multiple as tall as a full-width chart would be a thin strip."""
    sized = {**view, "width": width}
    if height is not None and "height" not in view and _continuous_y(view):
        sized["height"] = height
    return sized


def _continuous_y(view: Mapping[str, Any]) -> bool:
    for layer in [view] + list(view.get("layer") or []):
        y = (layer.get("encoding") or {}).get("y") if isinstance(layer, Mapping) else None
        if isinstance(y, Mapping):
            return y.get("type") in ("quantitative", "temporal") or "aggregate" in y or "bin" in y
    return True


def _cell_width(total: int, columns: int, shared_axis: bool) -> int:
    axes = 1 if shared_axis else columns
    return max(40, int((total - GAP * (columns - 1) - AXIS * axes) / columns))
