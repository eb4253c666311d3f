"""Vega-Lite -> Vega, static SVG, and the Vega runtime for the page (vl-convert lives here only).

The page ships precompiled Vega specs (no compiling in the reader's browser) and one runtime
file, made at build time from the vl-convert wheel: nothing from another host. The bundle
declares top-level `const`s, so it is wrapped in a function scope.

Compiling and drawing run in the Vega engine of `vegajs` (an embedded V8), from a bundle
vl-convert makes once per user, with text widths vl-convert measures once per font: the same
Vega, five to ten times faster than vl-convert's own drawing (see vegajs). vl-convert still
compiles a chart when the engine lacks the Vega-Lite release Altair writes for.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from importlib.metadata import version
from typing import Any, Mapping

from .cache import DiskCache, digest, user_cache_dir
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


def warm_up(vegalite_version: str | None = None) -> None:
    """Start the Vega engine (about 0.1 s) ahead of the first chart."""
    engine(vegalite_version)


# --- the Vega engine: one per process, its bundle and text widths cached per user ---------------

_ENGINE: list[Any] = []  # [VegaEngine, the Vega-Lite release it compiles or None], once started
_ADVANCES: dict[str, dict[str, float]] = {}  # font key -> character -> advance at size 100

# Characters measured for every font the first time it is met (more are measured when a chart
# uses them): Latin letters and signs, the spaces and punctuation of French typography.
BASE_CHARACTERS = "".join(chr(c) for c in [*range(0x20, 0x7F), *range(0xA0, 0x180), 0x2009, 0x202F, 0x2013,
                                           0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2030, 0x20AC,
                                           0x2212, 0x2191, 0x2193, 0x2192])


def _user_cache() -> DiskCache:
    return DiskCache(user_cache_dir(os.environ))


def engine(vegalite_version: str | None = None) -> "vegajs.VegaEngine":
    """This process's Vega engine. Its bundle holds Vega, and Vega-Lite `vegalite_version` (the
    release Altair writes for) when vl-convert carries that release."""
    if not _ENGINE:
        bundle, compiles = engine_bundle(vegalite_version)
        from . import vegajs  # imported with the first chart: a build from the cache needs no engine

        _ENGINE[:] = [vegajs.VegaEngine(bundle, _advances_for), vegalite_version if compiles else None]
    return _ENGINE[0]


def engine_bundle(vegalite_version: str | None) -> tuple[str, bool]:
    """(JavaScript defining `vega`, and `vegaLite` when it could be bundled; whether it has it).
    Made by vl-convert from the modules it carries (about 1.5 s), once per user and release."""
    key = digest("vega-engine-v1", version("vl-convert-python"), vegalite_version or "")
    cached = _user_cache().get("engine", key)
    if cached is not None:
        compiles, _, bundle = cached.decode("utf-8").partition("\n")
        return bundle, compiles == "vega-lite"
    import vl_convert

    vega_import = f'import * as vegaModule from "/npm/vega@{vl_convert.get_vega_version()}/+esm";'
    bundle = None
    if vegalite_version and ".".join(vegalite_version.split(".")[:2]) in vl_convert.get_vegalite_versions():
        bundle = _bundle_if_known(vega_import + f' import * as vegaLiteModule from "/npm/vega-lite@{vegalite_version}/+esm";'
                                  " globalThis.vega = vegaModule; globalThis.vegaLite = vegaLiteModule;")
    compiles = bundle is not None
    if bundle is None:
        bundle = vl_convert.javascript_bundle(vega_import + " globalThis.vega = vegaModule;")
    _user_cache().put("engine", key, (("vega-lite" if compiles else "vega") + "\n" + bundle).encode("utf-8"))
    return bundle, compiles


def _bundle_if_known(snippet: str) -> str | None:
    """vl-convert's bundle of `snippet`, or None when it imports a module vl-convert does not
    carry: its bundler says so with an error, or its module loader panics (a PanicException,
    which is not an Exception). The caller then bundles something plainer."""
    import vl_convert

    try:
        return vl_convert.javascript_bundle(snippet)
    except Exception:  # noqa: BLE001 - an unknown module path
        return None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":
            raise
        return None


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
        cached = _user_cache().get("advances", cache_key)
        table = json.loads(cached) if cached else {}
    wanted = set(characters) | (set(BASE_CHARACTERS) if not table else set())
    unknown = sorted(wanted - set(table))
    if unknown:
        family, weight, style = json.loads(font_key)  # as vegajs writes it
        table.update(measure_advances(family, weight, style, unknown))
        _user_cache().put("advances", cache_key, json.dumps(table, sort_keys=True).encode("utf-8"))
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
            vegalite_version: str | None = None) -> tuple[dict | None, list[Diagnostic]]:
    """Vega-Lite -> Vega, or the problem in the author's terms. The engine compiles when it has
    the Vega-Lite release the spec was written for (or any, when that is not known)."""
    spec = printable(dict(vegalite))
    vega_engine = engine(vegalite_version)
    try:
        if vega_engine.compiles and (vegalite_version is None or _ENGINE[1] == vegalite_version):
            return vega_engine.compile(spec), []
        import vl_convert

        return vl_convert.vegalite_to_vega(spec), []
    except Exception as exc:  # the engine and vl-convert report Vega-Lite errors with the JS text
        return None, [_render_problem(chart_id, path, exc)]


def to_svg(chart_id: str, path: str, vega: Mapping[str, Any], locales: Mapping[str, Any],
           dark: Mapping[str, str] | None = None) -> tuple[str, list[Diagnostic]]:
    """The static picture of a Vega spec, in the story's number and date formats; nothing fetched.
    With `dark` colours, a style inside it redraws it for a dark screen."""
    spec = dict(vega)
    outside = data_urls(spec)
    if outside:
        return "", [outside_data_problem(chart_id, path, outside[0])]
    from . import vegajs

    try:
        svg = engine().render_svg(spec, dict(locales["number"]), dict(locales["time"]))
    except vegajs.VegaError as exc:
        return "", [_render_problem(chart_id, path, exc)]
    svg = _clean_svg(svg)
    if dark:
        style = "<style>@media screen and (prefers-color-scheme: dark){" + dark_rules(dark, "") + "}</style>"
        svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + style, svg, count=1)
    return svg, []


def data_urls(spec: Any) -> list[str]:
    """Every address a Vega spec would load data from, whatever its form (a string, a signal):
    the build loads nothing (readers' data is inline or in the site's own files, placed by pagedata
    after drawing). Vega declares data at the top and in group marks only, so the rows themselves
    are never walked."""
    found: list[str] = []
    if isinstance(spec, dict):
        entries = spec.get("data") if isinstance(spec.get("data"), list) else []
        for entry in entries:
            if isinstance(entry, dict) and "url" in entry:
                url = entry["url"]
                found.append(url if isinstance(url, str) else json.dumps(url, sort_keys=True))
        for mark in spec.get("marks") if isinstance(spec.get("marks"), list) else []:
            found += data_urls(mark)
    return found


_IMAGE_HREF = re.compile(r'<image\b[^>]*?\bhref="([^"]*)"')


def outside_images(svg: str) -> list[str]:
    """Addresses of pictures a drawing shows (image marks) that are not the story's own files:
    another host, an absolute path, a way out of the story. Readers would fetch them; the build
    never does."""
    found = []
    for href in _IMAGE_HREF.findall(svg):
        href = href.replace("&amp;", "&")
        if href.startswith("data:image/") or not href:
            continue
        if re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*:|/|\\)", href) or ".." in href.split("/"):
            found.append(href)
    return found


def outside_data_problem(chart_id: str, path: str, url: str) -> Diagnostic:
    """A chart that would load data from an address: refused before anything evaluates it."""
    return error("chart-data-unknown", f"chart '{chart_id}' reads data from '{url}': the build fetches nothing "
                 "and reads no file outside the story", SourceLocation(path, 1),
                 "save the file in the story's data/ folder and name it \"data/<name>.csv\" "
                 "(in Altair: pass data['<name>'])")


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
    return error("chart-render", f"chart '{chart_id}' cannot be drawn: {message}", SourceLocation(path, 1), hint)


def _clean_svg(svg: str) -> str:
    svg = re.sub(r"^<\?xml[^>]*>\s*", "", svg)
    return svg.strip() + "\n"


def svg_size(svg: str) -> tuple[int, int]:
    match = _SVG_SIZE.search(svg)
    if not match:
        return 0, 0
    return round(float(match.group(1))), round(float(match.group(2)))


# The modules of Vega that a chart compiled from Vega-Lite runs on, at the versions vl-convert
# carries them for each Vega release (its bundler resolves "/npm/<module>@<version>/+esm" and
# nothing else; the snippet's own `vega` is a null default import, so `window.vega = vega;` makes
# a useless file). Left out: the force, hierarchy, label, word-cloud and crossfilter transforms,
# which Vega-Lite never writes (its `nearest` selections do use Voronoi). 181 KB gzip instead
# of 205 KB for all of Vega, and 305 KB for vega-embed with Vega-Lite. Another Vega release
# falls back to all of Vega (tests/unit/test_fallback.py says when this table needs a line).
RUNTIME_MODULES = {
    "6.2.0": {"vega-util": "2.1.0", "vega-dataflow": "6.1.0", "vega-transforms": "5.1.0",
              "vega-view-transforms": "5.1.0", "vega-encode": "5.1.0", "vega-geo": "5.1.0",
              "vega-regression": "2.1.0", "vega-voronoi": "5.1.0", "vega-view": "6.1.0", "vega-parser": "7.1.0",
              "vega-format": "2.1.0", "vega-loader": "5.1.0", "vega-interpreter": "2.0.0", "d3-dsv": "3.0.1"},
}


# d3-dsv, which Vega reads CSV and TSV files with, builds each row object with `new Function`:
# under a policy without 'unsafe-eval' every file would read as one row of raw text. The same
# readers, registered under the same names, build the rows with a loop (the header option kept).
_CSP_SAFE_DSV = """
function rowsOf(text, delimiter) {
  var rows = dsvFormat(delimiter).parseRows(text), columns = rows.shift() || [], out = [];
  for (var i = 0; i < rows.length; i++) {
    var row = {}, cells = rows[i];
    for (var j = 0; j < columns.length; j++) row[columns[j]] = cells[j] === undefined ? "" : cells[j];
    out.push(row);
  }
  out.columns = columns;
  return out;
}
function delimited(fixed) {
  var read = function (data, format) {
    var delimiter = fixed || format.delimiter;
    var text = (format.header ? format.header.join(delimiter) + "\\n" : "") + data;
    return rowsOf(text, delimiter);
  };
  read.responseType = "text";
  return read;
}
formats("dsv", delimited(null)); formats("csv", delimited(",")); formats("tsv", delimited("\\t"));
"""


def runtime_snippet(vega_version: str) -> str | None:
    """The bundle's entry: `window.vega` with what broadsheet.js uses (View, parse, loader, the
    locale setters, and Vega's CSP-safe expression interpreter, so that no page needs
    'unsafe-eval'), every Vega-Lite transform registered. None for an unknown Vega release."""
    modules = RUNTIME_MODULES.get(vega_version)
    if modules is None:
        return None

    def path(name: str) -> str:
        return f'"/npm/{name}@{modules[name]}/+esm"'

    # Names chosen not to meet the bundler's own (`vega` among them: it panics on the clash).
    return (f"import {{ extend as extendObject }} from {path('vega-util')};\n"
            f"import {{ transforms }} from {path('vega-dataflow')};\n"
            f"import * as tx from {path('vega-transforms')};\n"
            f"import * as vtx from {path('vega-view-transforms')};\n"
            f"import * as encode from {path('vega-encode')};\n"
            f"import * as geo from {path('vega-geo')};\n"
            f"import * as reg from {path('vega-regression')};\n"
            f"import * as voronoi from {path('vega-voronoi')};\n"
            f"import {{ View }} from {path('vega-view')};\n"
            f"import {{ parse }} from {path('vega-parser')};\n"
            f"import {{ numberFormatDefaultLocale as formatLocale, timeFormatDefaultLocale as timeFormatLocale,"
            f" resetDefaultLocale }} from {path('vega-format')};\n"
            f"import {{ loader, formats }} from {path('vega-loader')};\n"
            f"import {{ expressionInterpreter }} from {path('vega-interpreter')};\n"
            f"import {{ dsvFormat }} from {path('d3-dsv')};\n"
            "extendObject(transforms, tx, vtx, encode, geo, reg, voronoi);\n"
            + _CSP_SAFE_DSV +
            "window.vega = { View, parse, loader, formatLocale, timeFormatLocale, resetDefaultLocale, "
            "expressionInterpreter, "
            f"version: {json.dumps(vega_version)} }};\n")


def vega_runtime() -> bytes:
    """The chart runtime as one classic script that defines `window.vega` and nothing else."""
    import vl_convert

    vega_version = vl_convert.get_vega_version()
    snippet, what = runtime_snippet(vega_version), "the modules Vega-Lite charts use"
    bundle = _bundle_if_known(snippet) if snippet is not None else None
    if bundle is None:
        bundle = vl_convert.javascript_bundle(f'import * as vegaModule from "/npm/vega@{vega_version}/+esm";'
                                              " window.vega = vegaModule;")
        what = "all of it"
    return (f"/* Vega {vega_version} (BSD-3-Clause), {what}, bundled by vl-convert-python */\n"
            "(function(){\n" + bundle + "\n})();\n").encode("utf-8")


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
    """A 1200x630 PNG for link previews: the headline (up to three lines of about 40 characters)
    over the lead chart, the site's name at the foot. The card is one SVG document, rasterized once
    by vl-convert: its words are plain SVG text (the lines are cut by character count, so nothing
    needs measuring), and the chart enters as its static SVG, what readers without JavaScript
    see, nested as vector drawing (an image holding the SVG took three times as long)."""
    import vl_convert

    headline, site_name = printable(headline), printable(site_name)
    lines = _wrap(headline, 40)
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    font = 'font-family="Liberation Sans, Arial, sans-serif" font-weight="bold"'
    title = "".join(f'<tspan x="60" y="{90 + 60 * index}">{_xml_text(line)}</tspan>' for index, line in enumerate(lines))
    card = (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{CARD_WIDTH}" height="{CARD_HEIGHT}" '
            f'viewBox="0 0 {CARD_WIDTH} {CARD_HEIGHT}"><rect width="{CARD_WIDTH}" height="{CARD_HEIGHT}" fill="#fdfcf9"/>'
            f'<text {font} font-size="50" fill="#1d1d1f">{title}</text>'  # first baseline 40 below the top, 50
            f'<text x="60" y="{CARD_HEIGHT - 45}" {font} font-size="24" fill="#b3261e">'
            f'{_xml_text(site_name.upper())}</text>')
    if chart_svg:
        top = 50 + 60 * len(lines) + 30
        card += _nested(chart_svg, (60, top, CARD_WIDTH - 120, CARD_HEIGHT - 90 - top))
    return vl_convert.svg_to_png(card + "</svg>\n")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _nested(svg: str, box: tuple[int, int, int, int]) -> str:
    """An SVG as an element of another, fitted in `box` (x, y, width, height), centred; its ids
    prefixed so they cannot meet the outer document's."""
    width, height = svg_size(svg)
    x, y, box_width, box_height = box
    svg = re.sub(r'\bid="', 'id="chart-', svg)
    svg = re.sub(r"url\(#", "url(#chart-", svg)
    svg = re.sub(r'href="#', 'href="#chart-', svg)
    # The card is rasterized on the build machine, where resvg would read an image by its path:
    # only pictures carried inside the SVG itself are drawn.
    svg = re.sub(r'(<image\b[^>]*?\bhref=")(?!data:)[^"]*"', r'\1"', svg)
    # overflow="visible": no clip to the box (the drawing stays inside it anyway), which saves
    # resvg a layer the size of the card: the card rasterizes in 0.6 of the time.
    return re.sub(r"^<svg\b[^>]*>", f'<svg x="{x}" y="{y}" width="{box_width}" height="{box_height}" '
                  f'viewBox="0 0 {width} {height}" preserveAspectRatio="xMidYMid meet" overflow="visible">',
                  svg.strip(), count=1)
