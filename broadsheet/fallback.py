"""Vega-Lite -> Vega, static SVG, and the Vega runtime for the page (vl-convert lives here only).

The page ships precompiled Vega specs (no compiling in the reader's browser) and one runtime
file, made at build time from the vl-convert wheel: nothing from another host. The bundle
declares top-level `const`s, so it is wrapped in a function scope.
"""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

from .diagnostics import Diagnostic, SourceLocation, error

_SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]")


def printable(value: Any) -> Any:
    """Strings without control characters and noncharacters: vl-convert's text layout panics on
    some of them, and a panic there aborts the whole process."""
    if isinstance(value, str):
        return _UNSAFE_CHARS.sub("", value)
    if isinstance(value, dict):
        return {printable(k): printable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [printable(v) for v in value]
    return value


def warm_up() -> None:
    """Start vl-convert's JavaScript runtime (about 0.4 s) ahead of the first chart."""
    import vl_convert

    vl_convert.vegalite_to_vega({"mark": "point"})


def compile_chart(chart_id: str, path: str, vegalite: Mapping[str, Any], locales: Mapping[str, Any],
                  dark: Mapping[str, str] | None = None) -> tuple[dict | None, str, list[Diagnostic]]:
    """(Vega spec, static SVG, problems). The SVG is drawn from the same Vega the page runs,
    with the story's number and date formats, and may not fetch anything (no other host).
    With `dark` colours, the SVG carries a style that redraws it for a dark page."""
    vega, problems = to_vega(chart_id, path, vegalite)
    if vega is None:
        return None, "", problems
    svg, problems = to_svg(chart_id, path, vega, locales, dark)
    return (vega, svg, []) if not problems else (None, "", problems)


def to_vega(chart_id: str, path: str, vegalite: Mapping[str, Any]) -> tuple[dict | None, list[Diagnostic]]:
    """Vega-Lite -> Vega, or the problem in the author's terms."""
    import vl_convert

    try:
        return vl_convert.vegalite_to_vega(printable(dict(vegalite))), []
    except Exception as exc:  # vl-convert reports Vega-Lite errors as ValueError with JS text
        return None, [_render_problem(chart_id, path, exc)]


def to_svg(chart_id: str, path: str, vega: Mapping[str, Any], locales: Mapping[str, Any],
           dark: Mapping[str, str] | None = None) -> tuple[str, list[Diagnostic]]:
    """The static picture of a Vega spec, in the story's number and date formats; nothing fetched.
    With `dark` colours, a style inside it redraws it for a dark screen."""
    import vl_convert

    try:
        svg = vl_convert.vega_to_svg(dict(vega), allowed_base_urls=[], format_locale=dict(locales["number"]),
                                     time_format_locale=dict(locales["time"]))
    except Exception as exc:
        return "", [_render_problem(chart_id, path, exc)]
    svg = _clean_svg(svg)
    if dark:
        style = "<style>@media screen and (prefers-color-scheme: dark){" + dark_rules(dark, "") + "}</style>"
        svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + style, svg, count=1)
    return svg, []


def dark_rules(dark: Mapping[str, str], scope: str) -> str:
    """CSS that swaps each light colour of the house theme for its dark twin. Vega writes colours
    as `fill`/`stroke` attributes, and any CSS rule outranks an attribute, so the same rules
    recolour the static SVG (inside it, under a media query) and the live view (in the page)."""
    rules = []
    for light, night in sorted(dark.items()):
        for prop in ("fill", "stroke", "stop-color"):
            rules.append(f'{scope}[{prop}="{light}" i]{{{prop}:{night}}}')
    return "".join(rules)


def _render_problem(chart_id: str, path: str, exc: Exception) -> Diagnostic:
    lines = [line.strip() for line in str(exc).strip().split("\n") if line.strip() and not line.strip().startswith("at ")]
    message = " ".join(lines)[:300].replace("Error: ", "")
    hint = "check the encodings and transforms of this chart"
    if "External data url not allowed" in message:
        hint = "charts may not load data from another site: put the file in the story's data/ folder"
    return error("chart-render", f"chart '{chart_id}' cannot be drawn: {message}", SourceLocation(path, 1), hint)


def _clean_svg(svg: str) -> str:
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return svg.strip() + "\n"


def svg_size(svg: str) -> tuple[int, int]:
    match = _SVG_SIZE.search(svg)
    if not match:
        return 0, 0
    return round(float(match.group(1))), round(float(match.group(2)))


# vl-convert-python 1.9.0.post1 resolves the snippet's `vega` to a null default import, so the
# "vega only" bundle (`window.vega = vega;`) sets window.vega to null: a 577 KB file that cannot
# draw anything (tests/unit/test_fallback.py keeps an eye on it). vega-embed is exported
# properly and runs a precompiled Vega spec (mode "vega"), so that is what the page loads.
RUNTIME_SNIPPET = "window.vegaEmbed = vegaEmbed;"


def vega_runtime() -> bytes:
    """The chart runtime as one classic script that defines `window.vegaEmbed` and nothing else."""
    import vl_convert

    bundle = vl_convert.javascript_bundle(RUNTIME_SNIPPET)
    return ("/* Vega " + vl_convert.get_vega_version() + " with vega-embed (BSD-3-Clause), "
            "bundled by vl-convert-python */\n(function(){\n" + bundle + "\n})();\n").encode("utf-8")


def compact_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


CARD_WIDTH, CARD_HEIGHT = 1200, 630


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def social_card(headline: str, site_name: str, chart_svg: str | None) -> bytes:
    """A 1200x630 PNG for link previews: the headline over the lead chart. The words are laid
    out by vl-convert as a Vega-Lite spec, like every chart; the chart enters as its static SVG
    (what readers without JavaScript see), nested in the card's SVG as vector drawing, and the
    whole is rasterized once (an image mark holding the SVG took three times as long)."""
    import vl_convert

    headline, site_name = printable(headline), printable(site_name)
    lines = _wrap(headline, 40)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    title_height = 60 * len(lines)
    layers: list[dict] = [
        {"data": {"values": [{"text": "\n".join(lines)}]},
         "mark": {"type": "text", "x": 60, "y": 50, "align": "left", "baseline": "top", "fontSize": 50,
                  "fontWeight": "bold", "lineBreak": "\n", "lineHeight": 60, "color": "#1d1d1f",
                  "font": "Liberation Sans, Arial, sans-serif"},
         "encoding": {"text": {"field": "text", "type": "nominal"}}},
        {"data": {"values": [{"text": site_name.upper()}]},
         "mark": {"type": "text", "x": 60, "y": CARD_HEIGHT - 40, "align": "left", "baseline": "bottom",
                  "fontSize": 24, "fontWeight": "bold", "color": "#b3261e",
                  "font": "Liberation Sans, Arial, sans-serif"},
         "encoding": {"text": {"field": "text", "type": "nominal"}}},
    ]
    spec = {"width": CARD_WIDTH, "height": CARD_HEIGHT, "padding": 0, "autosize": "none",
            "background": "#fdfcf9", "config": {"view": {"stroke": None}}, "layer": layers}
    card = _clean_svg(vl_convert.vegalite_to_svg(spec, allowed_base_urls=[]))
    if chart_svg:
        top = 50 + title_height + 30
        box = (60, top, CARD_WIDTH - 120, CARD_HEIGHT - 90 - top)
        card = card.rstrip().removesuffix("</svg>") + _nested(chart_svg, box) + "</svg>\n"
    return vl_convert.svg_to_png(card)


def _nested(svg: str, box: tuple[int, int, int, int]) -> str:
    """An SVG as an element of another, fitted in `box` (x, y, width, height), centred; its ids
    prefixed so they cannot meet the outer document's."""
    width, height = svg_size(svg)
    x, y, box_width, box_height = box
    svg = re.sub(r'\bid="', 'id="chart-', svg)
    svg = re.sub(r"url\(#", "url(#chart-", svg)
    svg = re.sub(r'href="#', 'href="#chart-', svg)
    return re.sub(r"^<svg\b[^>]*>", f'<svg x="{x}" y="{y}" width="{box_width}" height="{box_height}" '
                  f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet">', svg.strip(), count=1)
