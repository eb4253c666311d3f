"""The page's chart runtime: one classic script defining `window.vega`, bundled by vl-convert from the
Vega modules a chart compiled from Vega-Lite runs on (vl-convert lives here). The page ships
precompiled Vega specs (no compiling in the reader's browser), and nothing from another host.
"""
from __future__ import annotations

import json
from importlib.metadata import version

from ..cache import digest


# The modules of Vega that a chart compiled from Vega-Lite runs on, at the versions vl-convert
# carries them for each Vega release (its bundler resolves "/npm/<module>@<version>/+esm" and
# nothing else; the snippet's own `vega` is a null default import, so `window.vega = vega;` makes
# a useless file). Left out: the force, hierarchy, label, word-cloud and crossfilter transforms,
# which Vega-Lite never writes (its `nearest` selections do use Voronoi). 181 KB gzip instead
# of 205 KB for all of Vega, and 305 KB for vega-embed with Vega-Lite. Another Vega release
# falls back to all of Vega (tests/unit/test_drawing.py says when this table needs a line).
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
    bundle = bundle_if_known(snippet) if snippet is not None else None
    if bundle is None:
        bundle = vl_convert.javascript_bundle(f'import * as vegaModule from "/npm/vega@{vega_version}/+esm";'
                                              " window.vega = vegaModule;")
        what = "all of it"
    return (f"/* Vega {vega_version} (BSD-3-Clause), {what}, bundled by vl-convert-python */\n"
            "(function(){\n" + bundle + "\n})();\n").encode("utf-8")


def _runtime_key() -> str:
    return digest("vega-runtime-v5", version("vl-convert-python"))


def cached_runtime(cache) -> bytes | None:
    """The chart runtime of this vl-convert version, when the cache holds it."""
    return cache.get("runtime", _runtime_key())


def page_runtime(cache, prefetched=None) -> bytes:
    """The chart runtime of the site: from the cache when vl-convert's version has not changed,
    else from `prefetched` (a future: bundled elsewhere while the charts compiled) or made now.
    It depends on nothing but that version, so the cache keeps it in the user's folder."""
    runtime = cached_runtime(cache)
    if runtime is None:
        runtime = prefetched.result() if prefetched is not None else vega_runtime()
        cache.put("runtime", _runtime_key(), runtime)
    return runtime


def bundle_if_known(snippet: str) -> str | None:
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
