"""Drawing pictures: Vega-Lite -> Vega and the static SVG, in the Vega engine (`engine`, an embedded
V8) from a bundle vl-convert makes, with text widths vl-convert measures once per font (vl-convert
lives here). Bundle and widths are kept in the per-user cache. vl-convert
still compiles a chart when the engine lacks the Vega-Lite release Altair writes for.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from importlib.metadata import version
from typing import TYPE_CHECKING, Any, Mapping

from ..cache import NoCache, digest
from ..diagnostics import Diagnostic, SourceLocation, error, warning
from .checks import data_urls, outside_data_problem
from .dark import dark_colors, dark_rules, live_chart_style  # noqa: F401 (this module's names too)
from .dsv_numbers import numbers_typed
from .runtime import bundle_if_known

if TYPE_CHECKING:
    from .engine import VegaEngine


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


def warm_up(vegalite_version: str | None = None, cache=NoCache()) -> None:
    """Start the Vega engine ahead of the first chart."""
    engine(vegalite_version, cache)


_ENGINE: list[Any] = []  # [VegaEngine, the Vega-Lite release it compiles or None], once started


_ADVANCES: dict[str, dict[str, float]] = {}  # font key -> character -> advance at size 100
_WIDTHS_CACHE: list = [NoCache()]  # where the engine's text measure keeps widths: the current build's cache


# Characters measured for every font the first time it is met (more are measured when a chart
# uses them): Latin letters and signs, the spaces and punctuation of French typography.
BASE_CHARACTERS = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2009, 0x202F, 0x2013,
                                           0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2030, 0x20AC,
                                           0x2212, 0x2191, 0x2193, 0x2192])


def engine(vegalite_version: str | None = None, cache=NoCache()) -> "VegaEngine":
    """This process's Vega engine. Its bundle holds Vega, and Vega-Lite `vegalite_version` (the
    release Altair writes for) when vl-convert carries that release. Bundle and text widths are
    read from `cache`, and kept there."""
    _WIDTHS_CACHE[0] = cache
    if not _ENGINE:
        bundle, compiles = engine_bundle(vegalite_version, cache)
        from . import engine as vegajs  # imported with the first chart: a build from the cache needs no engine

        _ENGINE[:] = [vegajs.VegaEngine(bundle, _advances_for), vegalite_version if compiles else None]
    return _ENGINE[0]


def evaluated_rows(vega: Mapping[str, Any], name: str) -> list[dict] | None:
    """The rows of data `name` once the spec's transforms ran, by this process's engine; None when
    Vega refuses the spec."""
    from . import engine as vegajs
    from .sources import vegalite_version

    vega_engine = _ENGINE[0] if _ENGINE else engine(vegalite_version(), _WIDTHS_CACHE[0])
    try:
        return vega_engine.table(vega, name)
    except vegajs.VegaError:
        return None


def unparsed_dates(texts: list[str]) -> list[str]:
    """The texts Vega's Date cannot read, told by this process's engine (the browser's V8 reads
    dates alike: `31/12/2021` is no date, `Jan 1 2000` is)."""
    from .sources import vegalite_version

    vega_engine = _ENGINE[0] if _ENGINE else engine(vegalite_version(), _WIDTHS_CACHE[0])
    return vega_engine.unparsed_dates(texts)


def engine_bundle(vegalite_version: str | None, cache=NoCache()) -> tuple[str, bool]:
    """(JavaScript defining `vega`, and `vegaLite` when it could be bundled; whether it has it).
    Made by vl-convert from the modules it carries, once per user and release (it is slow)."""
    key = digest("vega-engine-v1", version("vl-convert-python"), vegalite_version or "")
    cached = cache.get("engine", key)
    if cached is not None:
        compiles, _, bundle = cached.decode("utf-8").partition("\n")
        return bundle, compiles == "vega-lite"
    import vl_convert

    vega_import = f'import * as vegaModule from "/npm/vega@{vl_convert.get_vega_version()}/+esm";'
    bundle = None
    if vegalite_version and ".".join(vegalite_version.split(".")[:2]) in vl_convert.get_vegalite_versions():
        bundle = bundle_if_known(vega_import + f' import * as vegaLiteModule from "/npm/vega-lite@{vegalite_version}/+esm";'
                                  " globalThis.vega = vegaModule; globalThis.vegaLite = vegaLiteModule;")
    compiles = bundle is not None
    if bundle is None:
        bundle = vl_convert.javascript_bundle(vega_import + " globalThis.vega = vegaModule;")
    cache.put("engine", key, (("vega-lite" if compiles else "vega") + "\n" + bundle).encode("utf-8"))
    return bundle, compiles


@lru_cache(maxsize=1)
def _fonts_fingerprint() -> str:
    """The font files vl-convert may pick from (it reads the system's): a new font, new widths."""
    home = os.path.expanduser("~")
    folders = ["/usr/share/fonts", "/usr/local/share/fonts", "/Library/Fonts", "/System/Library/Fonts",
               os.path.join(home, ".fonts"), os.path.join(home, ".local", "share", "fonts"),
               os.path.join(home, "Library", "Fonts")]
    found = []
    for folder in folders:
        for root, _, names in os.walk(folder):
            for name in names:
                try:
                    found.append(f"{os.path.join(root, name)}:{os.path.getsize(os.path.join(root, name))}")
                except OSError:
                    continue
    return digest(*sorted(found))


def _advances_for(font_key: str, characters: list[str]) -> dict[str, float]:
    """Advances (at size 100) of a font: read from the per-user cache, measured by vl-convert for
    what it lacks (the base set the first time) and written back. The engine gets the whole table."""
    table = _ADVANCES.get(font_key)
    cache_key = digest("advances-v1", version("vl-convert-python"), _fonts_fingerprint(), font_key)
    if table is None:
        cached = _WIDTHS_CACHE[0].get("advances", cache_key)
        table = json.loads(cached) if cached else {}
    wanted = set(characters) | (set(BASE_CHARACTERS) if not table else set())
    unknown = sorted(wanted - set(table))
    if unknown:
        family, weight, style = json.loads(font_key)  # as the engine writes it
        table.update(measure_advances(family, weight, style, unknown))
        _WIDTHS_CACHE[0].put("advances", cache_key, json.dumps(table, sort_keys=True).encode("utf-8"))
    _ADVANCES[font_key] = table
    return table


def measure_advances(family: str, weight: str | None, style: str | None, characters: list[str]) -> dict[str, float]:
    """How far each character moves the pen, at font size 100, as vl-convert lays text out: each
    one measured between two zeros (so that a space counts), less the width of "00"."""
    import vl_convert

    strings = ["00"] + ["0" + character + "0" for character in characters]
    font = {"font": {"value": family}, "fontSize": {"value": 100}, "align": {"value": "left"},
            "fontWeight": {"value": weight or "normal"}, "fontStyle": {"value": style or "normal"}}
    spec = {"width": 10, "height": 10, "data": [{"name": "strings", "values": [{"s": s} for s in strings]}],
            "marks": [{"type": "text", "name": "measured", "from": {"data": "strings"},
                       "encode": {"enter": {"text": {"field": "s"}, "x": {"value": 0}, "y": {"value": 0}, **font}}},
                      {"type": "rect", "from": {"data": "measured"},  # reactive geometry: a rect as wide as each text
                       "encode": {"enter": {"x": {"value": 0}, "y": {"value": 0}, "height": {"value": 1},
                                            "width": {"signal": "datum.bounds.x2 - datum.bounds.x1"}}}}]}
    scene = vl_convert.vega_to_scenegraph(spec)
    widths = [item["width"] for item in scene["scenegraph"]["items"][0]["items"][1]["items"]]
    return {character: width - widths[0] for character, width in zip(characters, widths[1:])}


def to_vega(chart_id: str, path: str, vegalite: Mapping[str, Any],
            vegalite_version: str | None = None, cache=NoCache()) -> tuple[dict | None, list[Diagnostic]]:
    """Vega-Lite -> Vega, or the problem in the author's terms. The engine compiles when it has
    the Vega-Lite release the spec was written for (or any, when that is not known)."""
    from . import engine as vegajs

    spec = printable(dict(vegalite))
    vega_engine = engine(vegalite_version, cache)
    try:
        if vega_engine.compiles and (vegalite_version is None or _ENGINE[1] == vegalite_version):
            vega, logs = vega_engine.compile_logged(spec)
            where = SourceLocation(path, 1)
            return numbers_typed(vega), [_logged(kind, text, chart_id, where, "Vega-Lite") for kind, text in dict.fromkeys(logs)]
        import vl_convert

        return numbers_typed(vl_convert.vegalite_to_vega(spec)), []
    except (vegajs.VegaError, ValueError) as exc:  # Vega-Lite's refusal, in its own words
        return None, [_render_problem(chart_id, path, exc)]


def to_svg(chart_id: str, path: str, vega: Mapping[str, Any], locales: Mapping[str, Any],
           dark: Mapping[str, str] | None = None, cache=NoCache(), layout: str = "") -> tuple[str, list[Diagnostic]]:
    """The static picture of a Vega spec, in the story's number and date formats; nothing fetched.
    With `dark` colours, a style inside it redraws it for a dark screen. The problems hold what
    Vega logged while drawing, and the checks of the picture itself (`picture_problems`): an
    error among them means there is no picture worth showing."""
    spec = dict(vega)
    outside = data_urls(spec)
    if outside:
        return "", [outside_data_problem(chart_id, path, outside[0])]
    from . import engine as vegajs

    try:
        drawn = engine(None, cache).render(spec, dict(locales["number"]), dict(locales["time"]))
    except vegajs.VegaError as exc:
        return "", [_render_problem(chart_id, path, exc)]
    svg = _clean_svg(drawn.svg)
    problems = picture_problems(chart_id, path, spec, drawn, svg, layout)
    if dark:
        style = "<style>@media screen and (prefers-color-scheme: dark){" + dark_rules(dark, "") + "}</style>"
        svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + style, svg, count=1)
    return svg, problems


# Marks Vega-Lite adds for interaction, drawn whether or not the chart has data: not data marks.
_HELPER_MARKS = ("_brush", "_brush_bg", "_voronoi")


def data_marks(svg: str) -> dict[str, int]:
    """Items drawn per kind of data mark (symbol, rect, line...) in a Vega SVG: what a reader
    sees of the data, axes, legends, titles and brushes aside. Counted the same way for our
    picture and vl-convert's, so the two can be compared."""
    from xml.etree import ElementTree

    counts: dict[str, int] = {}
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError:
        return counts
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        classes = (group.get("class") or "").split()
        if len(classes) < 2 or not classes[0].startswith("mark-") or classes[1] != "role-mark":
            continue
        if any(name.endswith(_HELPER_MARKS) for name in classes[2:]) or classes[0] == "mark-group":
            continue
        counts[classes[0][5:]] = counts.get(classes[0][5:], 0) + len(group)
    return counts


def _logged(kind: str, text: str, chart_id: str, where: SourceLocation, tool: str = "Vega") -> Diagnostic:
    """What Vega logged while drawing (or Vega-Lite while compiling): its errors stop the build,
    its warnings are warnings."""
    doing = "drawing" if tool == "Vega" else "compiling"
    message, hint = (f"chart '{chart_id}': {tool} says: {text[:300]}",
                     f"{tool} met this while {doing} the chart: check the encodings, params and transforms it names")
    if kind == "error":
        return error("chart-vega-log", message, where, hint)
    return warning("chart-vega-log", message, where, hint)


# Vega's word for a scale over a table with no rows. Said of one layer of a picture that draws data
# (a boxplot's outliers when there are none, a rule whose filter keeps nothing) it is the data's
# own answer, not a fault; said of a picture that draws nothing, it explains the `chart-empty`.
_EMPTY_EXTENT = re.compile(r"Infinite extent for field ")


def picture_problems(chart_id: str, path: str, vega: Mapping[str, Any], drawn, svg: str,
                     layout: str) -> list[Diagnostic]:
    """What drawing showed: Vega's own warnings and errors, a picture with no data mark (or one
    whose size the reader's screen decides), text cut off at the picture's edge."""
    where = SourceLocation(path, 1)
    drew = sum(data_marks(svg).values()) > 0
    problems = [_logged(kind, text, chart_id, where) for kind, text in dict.fromkeys(drawn.logs)
                if not (drew and drawn.rows and _EMPTY_EXTENT.match(text))]
    if "containerSize()" in json.dumps(vega):
        problems.append(error("chart-empty", f"chart '{chart_id}' takes its size from its container "
                              "(width or height \"container\" inside a composed chart): the static picture and "
                              "the live view would not have the same size", where,
                              "give each view of a concat, repeat or facet a size in pixels (width=300)"))
    elif drawn.rows and 0 in svg_size(svg):
        problems.append(error("chart-empty", f"chart '{chart_id}' is drawn {'x'.join(map(str, svg_size(svg)))} "
                              "pixels: the picture would show nothing", where,
                              "give the chart (or each view of a composed chart) a width and a height in pixels"))
    elif drawn.rows and not sum(data_marks(svg).values()):
        problems.append(error("chart-empty", f"chart '{chart_id}' draws no data mark although its tables have "
                              f"{drawn.rows} rows: the picture would be empty", where,
                              "check the fields the encodings name, the filters and the scales' domains"))
    return problems + _clipped(chart_id, where, drawn.texts, svg_size(svg), layout)


_ROLE_NAMES = {"mark": "text mark", "axis-label": "axis labels", "axis-title": "axis title",
               "legend-label": "legend labels", "legend-title": "legend title", "title-text": "title"}


_CLIPPED_HINTS = (
    ("legend", "wrap the legend in rows (\"legend\": {\"columns\": 2}, alt.Legend(columns=2)) or shorten its "
               "labels (labelLimit)"),
    ("axis", "shorten the axis labels (labelLimit) or turn them (labelAngle)"),
    ("text mark", "keep text marks inside the plot (align, dx, a shorter text) or give the chart room (padding)"),
    ("title", "shorten the title or put part of it in the caption"),
)


def legend_entries(svg: str) -> int:
    """Entries of a picture's legends (Vega draws each entry's label in a group of its own)."""
    return svg.count('class="mark-text role-legend-label"')


def cuts_legend(problem: Diagnostic) -> bool:
    """Whether a problem is `_clipped`'s warning and names legend text among what is cut off."""
    roles = _CUT_ROLES.search(problem.message) if problem.code == "chart-clipped" else None
    return roles is not None and "legend" in roles.group(1)


_CUT_ROLES = re.compile(r"beyond the edge of its picture(?: at the \S+ layout)? \(([^:]*):")


def _clipped(chart_id: str, where: SourceLocation, texts, size: tuple[int, int], layout: str) -> list[Diagnostic]:
    """A warning when text lies beyond the picture's edge (the picture cuts it off)."""
    width, height = size
    cut = [box for box in texts if box[0] < -1 or box[1] < -1 or box[2] > width + 1 or box[3] > height + 1]
    if not cut or not width:
        return []
    roles = sorted({_ROLE_NAMES.get(str(box[4]), str(box[4]).replace("-", " ") or "text") for box in cut})
    first_of_role = {str(box[4]): str(box[5]) for box in reversed(cut)}  # one example of each kind
    sample = ", ".join(repr(text) for _, text in sorted(first_of_role.items())[:4])
    at = f" at the {layout} layout" if layout else ""
    hint = "; ".join(hint for role, hint in _CLIPPED_HINTS if any(role in found for found in roles)) or \
        "give the chart room for it (padding)"
    return [warning("chart-clipped", f"chart '{chart_id}' has text beyond the edge of its picture{at} "
                    f"({', '.join(roles)}: {sample}): readers see it cut off", where, hint)]


def _render_problem(chart_id: str, path: str, exc: Exception) -> Diagnostic:
    lines = [line.strip() for line in str(exc).strip().split("\n") if line.strip() and not line.strip().startswith("at ")]
    message = " ".join(lines)[:300].replace("Error: ", "")
    hint = "check the encodings and transforms of this chart"
    return error("chart-render", f"chart '{chart_id}' cannot be drawn: {message}", SourceLocation(path, 1), hint)


def _clean_svg(svg: str) -> str:
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return svg.strip() + "\n"


def svg_size(svg: str) -> tuple[int, int]:
    match = _SVG_SIZE.search(svg)
    if not match:
        return 0, 0
    return round(float(match.group(1))), round(float(match.group(2)))
