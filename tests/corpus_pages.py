"""Reading the charts of a built corpus page: the static picture and the Vega spec the page embeds."""
from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

_FIGURE = re.compile(r'<figure class="chart" id="chart-(?P<id>[^"]+)".*?<img class="chart-static" src="(?P<src>[^"]+)" '
                     r'width="(?P<w>\d+)" height="(?P<h>\d+)".*?<script type="application/json" class="chart-spec">'
                     r'(?P<spec>.*?)</script>', re.S)


@dataclass(frozen=True)
class BuiltChart:
    story: str
    id: str
    svg: str
    width: int
    height: int
    vega: dict  # the page's spec, rows it fetches from files put back inline


def built_charts(site: Path) -> list[BuiltChart]:
    charts = []
    for page in sorted(site.glob("*/index.html")):
        for match in _FIGURE.finditer(page.read_text(encoding="utf-8")):
            vega = _inline_files(json.loads(match["spec"]), page.parent)
            charts.append(BuiltChart(page.parent.name, match["id"], (page.parent / html.unescape(match["src"])).read_text(),
                                     int(match["w"]), int(match["h"]), vega))
    return charts


def _inline_files(vega: dict, folder: Path) -> dict:
    """Data the page fetches (a file beside the story) put back into the spec as its CSV or JSON text."""
    for entry in vega.get("data", []):
        if isinstance(entry.get("url"), str) and not entry["url"].startswith(("http:", "https:", "/")):
            entry["values"] = (folder / entry.pop("url")).read_text(encoding="utf-8")
            if entry.get("format", {}).get("type") == "json":
                entry["values"] = json.loads(entry["values"])
    return vega
