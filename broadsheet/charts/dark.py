"""Charts on a dark page: theme.json's `dark` map (each light colour of the house theme -> its
dark twin) as CSS, for the static SVG and for the live view. Apart from the drawing, so that a
build that draws nothing can still write the page's style."""
from __future__ import annotations

import re
from typing import Any, Mapping


def dark_colors(theme: Any) -> dict[str, str]:
    """`"dark": {"#ffffff": "#16171a", ...}` of theme.json: light colour -> its dark-mode twin."""
    given = theme.get("dark") if isinstance(theme, dict) else None
    if not isinstance(given, dict):
        return {}
    pattern = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]{3,20})$")  # CSS hex colours and names (black)
    return {k.lower(): v for k, v in given.items()
            if isinstance(k, str) and isinstance(v, str) and pattern.match(k) and pattern.match(v)}


def dark_rules(dark: Mapping[str, str], scope: str) -> str:
    """CSS that swaps each light colour of the house theme for its dark twin. Vega writes colours
    as `fill`/`stroke` attributes, and any CSS rule outranks an attribute, so the same rules
    recolour the static SVG (inside it, under a media query) and the live view (in the page)."""
    rules = []
    for light, night in sorted(dark.items()):
        for prop in ("fill", "stroke", "stop-color"):
            rules.append(f'{scope}[{prop}="{light}" i]{{{prop}:{night}}}')
    return "".join(rules)


def live_chart_style(theme) -> str:
    """Page CSS for live charts on a dark page: by the reader's setting, or forced by ?theme=dark."""
    colours = dark_colors(theme)
    if not colours:
        return ""
    config = theme.get("config") if isinstance(theme.get("config"), dict) else {}
    background = colours.get(str(config.get("background", "#ffffff")).lower(), "transparent")
    maps = theme.get("maps") if isinstance(theme.get("maps"), dict) else {}
    missing = str((((maps.get("scale") or {}).get("invalid") or {}).get("fill") or {}).get("value", "")).lower()
    key = {missing: colours[missing]} if missing in colours else {}  # a map's "No data" key: its one colour
    rules = [dark_rules(colours, f"{scope} .chart-live ") + dark_rules(key, f"{scope} .chart-key ")
             + f"{scope} .chart-live svg{{background-color:{background}!important}}"
             for scope in (':root:not([data-theme="light"])', ':root[data-theme="dark"]')]
    return "@media screen and (prefers-color-scheme: dark){" + rules[0] + "}@media screen{" + rules[1] + "}"
