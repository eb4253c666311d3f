"""Vega-Lite -> Vega, static SVG, and the Vega runtime for the page (vl-convert lives here only).

The page ships precompiled Vega and the Vega runtime alone: no Vega-Lite compiler, no
vega-embed, nothing from another host. The runtime comes out of the vl-convert wheel at build
time; it declares top-level `const`s, so it is wrapped in a function scope.
"""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

from .diagnostics import Diagnostic, SourceLocation, error

_SVG_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def versions() -> str:
    """What a cached artefact depends on besides its input: the converter's version."""
    from importlib.metadata import version
    return f"vl-convert-python {version('vl-convert-python')}"


def compile_chart(chart_id: str, path: str, vegalite: Mapping[str, Any]) -> tuple[dict | None, str, list[Diagnostic]]:
    """(Vega spec, static SVG, problems). The SVG is drawn from the same Vega the page runs."""
    import vl_convert

    try:
        vega = vl_convert.vegalite_to_vega(dict(vegalite))
        svg = vl_convert.vega_to_svg(vega)
    except Exception as exc:  # vl-convert reports Vega-Lite errors as ValueError with JS text
        message = str(exc).strip().split("\n")[0][:300]
        return None, "", [error("chart-render", f"chart '{chart_id}' cannot be drawn: {message}",
                                SourceLocation(path, 1), "check the encodings and transforms of this chart")]
    return vega, _clean_svg(svg), []


def _clean_svg(svg: str) -> str:
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return svg.strip() + "\n"


def svg_size(svg: str) -> tuple[int, int]:
    match = _SVG_SIZE.search(svg)
    if not match:
        return 0, 0
    return round(float(match.group(1))), round(float(match.group(2)))


def vega_runtime() -> bytes:
    """The Vega runtime as one classic script that defines `window.vega` and nothing else."""
    import vl_convert

    bundle = vl_convert.javascript_bundle("window.vega = vega;")
    return ("/* Vega " + vl_convert.get_vega_version() + " (BSD-3-Clause), bundled by vl-convert-python */\n"
            "(function(){\n" + bundle + "\n})();\n").encode("utf-8")


def compact_json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
