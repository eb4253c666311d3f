"""The widths a chart is drawn for: the theme's layouts (a wide one for the column, a narrow one for phones)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class ChartLayout:
    """The width a chart is drawn for. Every chart is compiled once per layout of the theme
    (`layouts` in theme.json): a wide one for the column, a narrow one for phones. A chart
    function that takes a third argument receives it, to adapt labels or legends; its `language`
    is the language the chart is drawn in (a story's translation draws its charts again), so the
    code can choose the words it writes inside the chart (labels, tooltip titles, legends)."""

    name: str
    width: int
    language: str = ""

    @property
    def narrow(self) -> bool:
        return self.name == "narrow"


DEFAULT_LAYOUTS = (ChartLayout("wide", 640), ChartLayout("narrow", 340))


def theme_layouts(theme: Mapping[str, Any]) -> tuple[ChartLayout, ...]:
    """The layouts of theme.json (`"layouts": {"wide": 640, "narrow": 340}`), wide first."""
    given = theme.get("layouts") if isinstance(theme, Mapping) else None
    if not isinstance(given, Mapping):
        return DEFAULT_LAYOUTS
    layouts = []
    for default in DEFAULT_LAYOUTS:
        width = given.get(default.name, default.width)
        ok = isinstance(width, int) and not isinstance(width, bool) and 120 <= width <= 4000
        layouts.append(ChartLayout(default.name, width if ok else default.width))
    return tuple(layouts)


def is_compound(spec: Mapping[str, Any]) -> bool:
    """A chart made of several views: composed at the top, or faceted by an encoding."""
    if any(key in spec for key in ("hconcat", "vconcat", "concat", "facet", "repeat")):
        return True
    # a layer's views too: Vega-Lite facets a layer whose view has a row encoding (fit-x then
    # dropped, the width kept as the view's: a picture once drawn 0 pixels wide)
    views = [spec] + [view for view in spec.get("layer") or [] if isinstance(view, Mapping)]
    return any(isinstance(view.get("encoding"), Mapping) and
               any(channel in view["encoding"] for channel in ("facet", "row", "column")) for view in views)


def placed_legend(spec: Mapping[str, Any]) -> str:
    """The channel whose legend the chart puts at pixel coordinates (`legendX`, `legendY`), or "":
    coordinates chosen for the chart's own size, which a chart made wider or narrower moves onto
    its marks. Such a chart keeps its own size (compiler.fixed_width says so)."""
    config = spec.get("config")
    legend = config.get("legend") if isinstance(config, Mapping) else None
    if isinstance(legend, Mapping) and ("legendX" in legend or "legendY" in legend):
        return "config.legend"
    for view in [spec] + [view for view in spec.get("layer") or [] if isinstance(view, Mapping)]:
        encoding = view.get("encoding")
        for channel, definition in encoding.items() if isinstance(encoding, Mapping) else ():
            legend = definition.get("legend") if isinstance(definition, Mapping) else None
            if isinstance(legend, Mapping) and ("legendX" in legend or "legendY" in legend):
                return channel
    return ""


def fit_to_layout(spec: Mapping[str, Any], layout: ChartLayout) -> dict:
    """A single or layered chart with no width of its own is made exactly `layout.width` wide,
    axis labels and legend included (autosize fit-x): it then fills the column instead of being
    scaled down, and its text keeps its size. Charts that set a width, and compound charts
    (concat, facet, repeat, a facet encoding) are laid out for each layout when drawn (`compound`);
    a chart that places its legend at pixel coordinates keeps the size they were chosen for."""
    spec = dict(spec)
    if is_compound(spec) or spec.get("width") not in (None, "container") or placed_legend(spec):
        return spec
    spec["width"] = layout.width
    autosize = spec.get("autosize")
    if autosize is None or autosize == "fit" or (isinstance(autosize, Mapping) and autosize.get("type") in (None, "fit")):
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec

