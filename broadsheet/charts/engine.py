"""Vega and Vega-Lite run in an embedded V8 (mini-racer): chart compiling and static SVG drawing.

Why not vl-convert's own `vega_to_svg`: it measures every piece of text by laying the string
out as an SVG document in Rust, again at every call, with no cache (most of a chart's
drawing time; the README's "Drawing the static charts" has the figures). Here Vega runs the same way
(the same Vega release, from vl-convert's own bundle), but `textMetrics.width` adds up
per-character advance widths that vl-convert measured once (drawing.measure_advances). Charts
draw several times faster, and the engine starts sooner.

Kerning (pairs such as "Te", "AV" or "F.") is measured the same way, a pair as one more entry
of the table (the pair's width less its characters' advances): left out, a legend of "ALFA" and
"BETA" made the picture 2 px wider than the browser's live view. Characters the tables do not
hold yet are reported after a drawing; the caller measures them and the chart is drawn again,
so the result depends on the tables alone, never on what was cached before.
"""
from __future__ import annotations

import atexit
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from py_mini_racer import JSEvalException, JSPromise, JSPromiseError, JSTimeoutException, MiniRacer, init_mini_racer

RENDER_TIMEOUT = 120  # seconds: a chart that takes longer is stuck, not slow
# V8 as mini-racer starts it (one thread), without its optimizing compiler: a build's engine lives
# a few seconds and meets each spec once, so optimizing code costs more than it wins back. Sized
# for memory: a worker that draws an archive's charts meets thousands of specs, each compiled once
# as a script, and V8's default sizing keeps growing its heap with them (the README has the figures).
V8_FLAGS = ("--single-threaded", "--no-opt", "--optimize-for-size")

_PRELUDE = r"""
var window = globalThis, self = globalThis;
if (typeof console === "undefined") {
  globalThis.console = {log: function () {}, info: function () {}, warn: function () {}, error: function () {},
                        debug: function () {}};
}
if (typeof structuredClone === "undefined") {
  // The browser's structured clone, for what Vega-Lite clones: plain objects, arrays, Sets, Maps,
  // Dates, cycles. A copy through JSON turned a Set into text (a faceted aggregate's output field
  // became the characters of 'Set("mean_yield")': an empty chart) and dropped undefined, NaN and
  // Infinity. A function (no browser clones one) is kept as it is rather than refused.
  globalThis.structuredClone = function (value) {
    var seen = new Map();
    function clone(x) {
      if (x === null || typeof x !== "object") return x;
      if (seen.has(x)) return seen.get(x);
      var out;
      if (x instanceof Date) out = new Date(x.getTime());
      else if (x instanceof RegExp) out = new RegExp(x.source, x.flags);
      else if (ArrayBuffer.isView(x)) out = x.slice();
      else if (x instanceof Set) out = new Set();
      else if (x instanceof Map) out = new Map();
      else out = Array.isArray(x) ? new Array(x.length) : {};
      seen.set(x, out);
      if (x instanceof Set) x.forEach(function (v) { out.add(clone(v)); });
      else if (x instanceof Map) x.forEach(function (v, k) { out.set(clone(k), clone(v)); });
      else if (Array.isArray(x)) x.forEach(function (v, i) { out[i] = clone(v); });
      else if (!(x instanceof Date || x instanceof RegExp || ArrayBuffer.isView(x))) {
        Object.keys(x).forEach(function (k) { out[k] = clone(x[k]); });
      }
      return out;
    }
    return clone(value);
  };
}
if (typeof globalThis.addEventListener !== "function") {
  // Brushes and zoomable scales listen on the window for a drag that ends outside the chart: a
  // headless drawing has no window events, so there is nothing to listen to.
  globalThis.addEventListener = function () {};
  globalThis.removeEventListener = function () {};
}
if (typeof document === "undefined") {
  // An event stream may name elements by CSS selector (`#slider:input`): Vega looks them up in
  // the document. A headless drawing has none to find, and no event ever arrives, which is what
  // a picture drawn before any reader acts needs.
  globalThis.document = {querySelectorAll: function () { return []; },
                         addEventListener: function () {}, removeEventListener: function () {}};
}
// Chance drawn alike in the picture and the live view: Vega reads Math.random (`random()` in an
// expression, `sample`, the bootstrap of an error band's "ci") through functions it keeps from the
// moment its bundle runs, so Math.random is a door to a generator set for each drawing: the seeded
// one (mulberry32, seed CHANCE_SEED) while a chart is drawn, as site_src/static/js/broadsheet.js does
// for the live view (tests/unit/test_chance.py holds the two alike).
var CHANCE_SEED = 20240601;
function seededRandom(seed) {
  return function () {
    seed |= 0; seed = seed + 0x6D2B79F5 | 0;
    var t = Math.imul(seed ^ seed >>> 15, 1 | seed);
    t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
var nativeRandom = Math.random, chance = nativeRandom;
Math.random = function () { return chance(); };
if (typeof setInterval === "undefined") {
  globalThis.setInterval = function () { return 0; };
  globalThis.clearInterval = function () {};
}
"""

# Width of a piece of text = sum of the advances of its characters (at font size 100), scaled.
# A character with no advance yet is noted in `missing`; whitespace alone measures 0, as in
# vl-convert. `item.limit` caps the width the way vl-convert's measure does.
_ENGINE = r"""
globalThis.__broadsheet = (function () {
  var advances = {}, missing = {}, drawing = null, timers = [], DIGIT = /^[0-9]$/;
  // Timers (an animation's clock) never run here: each one a view starts is noted, and ticked
  // once after the first run, so the picture is the animation's first frame, as a reader first
  // sees it (the view sets its event streams up, timers included, while it is constructed).
  // Vega-Lite's animation clock advances by `now()` minus the last tick's `now()`: read from the
  // wall clock, the tick lands on the first frame, a later one, or (in the same millisecond) no
  // frame at all, every frame drawn at once. So the clock stands still while a chart is drawn and
  // moves one millisecond for the tick: the same first frame at every build.
  vega.View.prototype.timer = function (callback) { timers.push(callback); };
  var wallClock = Date.now, clock = 0;
  function stillClock() { return clock; }
  // The build loads nothing: data a spec names by address is refused, not fetched; an image keeps
  // its address in the drawing (V8 has no way to load it), which the caller then checks.
  function refuse(uri) { return Promise.reject(new Error("the build loads nothing from an address: " + uri)); }
  var noLoader = {load: refuse, http: refuse, file: refuse,
                  sanitize: function (uri) { return Promise.resolve({href: uri == null ? "" : String(uri)}); }};
  function fontKey(item) {
    return JSON.stringify([vega.fontFamily(item),
                           item.fontWeight == null ? null : String(item.fontWeight),
                           item.fontStyle == null ? null : String(item.fontStyle)]);
  }
  vega.textMetrics.width = function (item, text) {
    text = text == null ? "" : String(text);
    if (!text.trim()) return 0;
    var key = fontKey(item), table = advances[key], sum = 0, prev = null;
    for (var ch of text) {
      var advance = table === undefined ? undefined : table[ch];
      if (advance === undefined) {
        (missing[key] = missing[key] || {})[ch] = true;
        advance = 55.6;
      }
      sum += advance;
      // Kerning: the pair's own width less its two advances ("AV", "Te", "F."), measured like a
      // character; two digits never kern (figures share one width), which spares every number's pairs.
      if (prev !== null && !(DIGIT.test(prev) && DIGIT.test(ch))) {
        var pair = prev + ch, both = table === undefined ? undefined : table[pair];
        if (both === undefined) (missing[key] = missing[key] || {})[pair] = true;
        else if (table[prev] !== undefined && table[ch] !== undefined) sum += both - table[prev] - table[ch];
      }
      prev = ch;
    }
    var width = sum * vega.fontSize(item) / 100;
    return item.limit > 0 ? Math.min(width, item.limit) : width;
  };
  // Vega's warnings and errors while drawing, kept for the build to report (never printed).
  function collector(logs) {
    var level = vega.Warn;
    function note(kind) {
      return function () {
        logs.push([kind, Array.prototype.map.call(arguments, function (a) {
          return a && a.message ? a.message : String(a); }).join(" ")]);
        return this;
      };
    }
    return {level: function (l) { if (!arguments.length) return level; level = l; return this; },
            error: note("error"), warn: note("warn"),
            info: function () { return this; }, debug: function () { return this; }};
  }
  // Rows in the chart's own tables (those no other table derives from; selection stores aside):
  // none means a chart with nothing to draw.
  function rowCount(view, spec) {
    var total = 0, roots = [];
    (function collect(scope) {
      (scope.data || []).forEach(function (entry) {
        if (entry.source == null && !/_store$/.test(entry.name)) roots.push(entry.name);
      });
      (scope.marks || []).forEach(collect);
    })(spec);
    roots.forEach(function (name) {
      try { total += view.data(name).length; } catch (e) { /* a table inside a group: not reachable here */ }
    });
    return total;
  }
  // The box of every piece of text drawn, in the picture's coordinates: [x1, y1, x2, y2, role, text].
  // Text the chart clips itself (a mark or a group with `clip`) is left out: the author cut it.
  function textBoxes(view) {
    var out = [], origin = view._origin || [0, 0];
    function visit(mark, dx, dy) {
      if (mark.clip) return;
      (mark.items || []).forEach(function (item) {
        if (mark.marktype === "group" && item.clip && item !== view.scenegraph().root.items[0]) return;
        if (mark.marktype === "text" && item.bounds && item.text != null && String(item.text).trim() &&
            item.opacity !== 0 && item.fillOpacity !== 0 && !item.bounds.empty()) {
          var b = item.bounds;
          out.push([b.x1 + dx, b.y1 + dy, b.x2 + dx, b.y2 + dy, mark.role || "", String(item.text).slice(0, 60)]);
        }
        if (mark.marktype === "group") {
          (item.items || []).forEach(function (child) { visit(child, dx + (item.x || 0), dy + (item.y || 0)); });
        }
      });
    }
    visit(view.scenegraph().root, origin[0], origin[1]);
    return out;
  }
  return {
    addAdvances: function (key, table) {
      var target = advances[key] = advances[key] || {};
      for (var ch in table) target[ch] = table[ch];
    },
    takeMissing: function () {
      var out = {};
      for (var key in missing) out[key] = Object.keys(missing[key]);
      missing = {};
      return JSON.stringify(out);
    },
    compile: function (spec) {
      var logs = [];
      var compiled = vegaLite.compile(JSON.parse(spec), {logger: collector(logs)}).spec;
      return JSON.stringify({spec: compiled, logs: logs});
    },
    render: function (spec, numberLocale, timeLocale) {
      if (JSON.parse(numberLocale)) vega.formatLocale(JSON.parse(numberLocale));
      if (JSON.parse(timeLocale)) vega.timeFormatLocale(JSON.parse(timeLocale));
      var logs = [], ticks = timers = [];
      spec = JSON.parse(spec);
      clock = wallClock();
      Date.now = stillClock;
      chance = seededRandom(CHANCE_SEED);
      try {
        var view = new vega.View(vega.parse(spec), {renderer: "none", loader: noLoader, logger: collector(logs)});
      } catch (error) {
        Date.now = wallClock;
        chance = nativeRandom;
        throw error;
      }
      return view.runAsync().then(function () {
        if (!ticks.length) return view;
        clock += 1;
        ticks.forEach(function (tick) { tick({timestamp: clock, elapsed: 1}); });
        return view.runAsync();
      }).then(function () { return view.toSVG(); }).then(function (svg) {
        return {svg: svg, logs: logs, rows: rowCount(view, spec), texts: textBoxes(view)};
      }).finally(function () { Date.now = wallClock; chance = nativeRandom; view.finalize(); vega.resetDefaultLocale(); });
    },
    // A table's rows once Vega's transforms ran (a calculate that reads a param, at its first value):
    // what a reader's table of the chart must say, where the source rows hold a placeholder.
    table: function (spec, name) {
      var view = new vega.View(vega.parse(JSON.parse(spec)), {renderer: "none", loader: noLoader});
      return view.runAsync().then(function () {
        var rows = view.data(name).map(function (row) {
          var out = {};
          Object.keys(row).forEach(function (key) { out[key] = row[key]; });
          return out;
        });
        view.finalize();
        return JSON.stringify(rows);
      });
    },
    // Drawing in two plain calls instead of awaiting a promise across the bridge (a round
    // trip saved a chart): Vega's promises settle in the microtasks V8 runs when `start` returns, so `finish`
    // finds the outcome; were it still pending (a timer), `finish` hands back the promise.
    start: function (spec, numberLocale, timeLocale) {
      var box = drawing = {done: false};
      box.promise = this.render(spec, numberLocale, timeLocale).then(
        function (drawn) { box.done = true; box.drawn = drawn; },
        function (error) { box.done = true; box.error = error; });
    },
    finish: function () {
      var box = drawing, self = this;
      drawing = null;
      if (!box.done) return box.promise.then(function () { drawing = box; return self.finish(); });
      if (box.error !== undefined) throw box.error;
      var drawn = box.drawn, head = {missing: JSON.parse(this.takeMissing()), logs: drawn.logs,
                                     rows: drawn.rows, texts: drawn.texts};
      return JSON.stringify(head) + "\n" + drawn.svg;  // what was noted (one JSON line), then the SVG
    }
  };
})();
"""


@dataclass(frozen=True)
class Drawing:
    """A static picture and what drawing it showed."""

    svg: str
    logs: tuple[tuple[str, str], ...]  # ("warn" or "error", Vega's words)
    rows: int  # rows in the chart's tables once drawn (0: the chart has nothing to draw)
    texts: tuple[tuple, ...]  # (x1, y1, x2, y2, role, text) of each piece of text, in the picture


class VegaError(Exception):
    """Vega or Vega-Lite refused a spec; the message is theirs."""


FontKey = str  # JSON of [family, weight or null, style or null], as the engine writes it
Measure = Callable[[FontKey, list[str]], Mapping[str, float]]  # font, characters -> advances at size 100


def font_of(key: FontKey) -> tuple[str, str | None, str | None]:
    family, weight, style = json.loads(key)
    return family, weight, style


class VegaEngine:
    """One V8 context with Vega (and Vega-Lite when the bundle has it), kept for a process's life."""

    def __init__(self, bundle: str, measure: Measure):
        self._measure = measure
        self._racer = _new_racer()
        # Closed while the interpreter still runs: left to the garbage collector at shutdown,
        # mini-racer's close waits on its event-loop thread, and the process never exits.
        atexit.register(self._racer.close)
        self._racer.eval(_PRELUDE)
        self._racer.eval("(function(){\n" + bundle + "\n})();")  # the bundle declares top-level consts
        self._racer.eval(_ENGINE)
        self.compiles = bool(self._racer.eval("typeof vegaLite === 'object' && vegaLite !== null && "
                                              "typeof vegaLite.compile === 'function'"))

    def add_advances(self, key: FontKey, advances: Mapping[str, float]) -> None:
        self._racer.eval(f"__broadsheet.addAdvances({json.dumps(key)}, {json.dumps(dict(advances))})")

    def compile(self, vegalite: Mapping[str, Any]) -> dict:
        """Vega-Lite -> Vega, with the Vega-Lite release Altair writes for."""
        return self.compile_logged(vegalite)[0]

    def compile_logged(self, vegalite: Mapping[str, Any]) -> tuple[dict, tuple[tuple[str, str], ...]]:
        """(Vega, what Vega-Lite logged while compiling: ("warn" or "error", its words))."""
        result = json.loads(self._call("__broadsheet.compile", json.dumps(vegalite)))
        return result["spec"], tuple((kind, text) for kind, text in result["logs"])

    def unparsed_dates(self, texts: list[str]) -> list[str]:
        """The texts JavaScript's Date cannot read (an invalid date), as Vega reads a date field."""
        script = (f"JSON.stringify({json.dumps(texts)}.filter(function (t) {{ "
                  "return isNaN(new Date(t).getTime()); }))")
        return json.loads(self._racer.eval(script))

    def render_svg(self, vega: Mapping[str, Any], number_locale: Mapping | None, time_locale: Mapping | None) -> str:
        return self.render(vega, number_locale, time_locale).svg

    def render(self, vega: Mapping[str, Any], number_locale: Mapping | None, time_locale: Mapping | None) -> "Drawing":
        """The SVG Vega draws headless, text measured with the advance tables, with what Vega
        logged. Drawn again once the characters it lacked are measured (at most a few times:
        each round adds them all)."""
        arguments = (json.dumps(vega), json.dumps(number_locale), json.dumps(time_locale))
        for _ in range(4):
            self._call("__broadsheet.start", *arguments)
            head_line, _, svg = self._call("__broadsheet.finish").partition("\n")
            head = json.loads(head_line)
            if not head["missing"]:
                break
            for key, characters in head["missing"].items():
                self.add_advances(key, self._measure(key, sorted(characters)))
        logs = tuple((kind, text) for kind, text in head["logs"])
        return Drawing(svg, logs, int(head["rows"]), tuple(tuple(box) for box in head["texts"]))

    def table(self, vega: Mapping[str, Any], name: str) -> list[dict]:
        """The rows of data `name` of a Vega spec once its transforms ran."""
        return json.loads(self._call("__broadsheet.table", json.dumps(vega), name))

    def _call(self, function: str, *arguments: str) -> str:
        expression = f"{function}({', '.join(json.dumps(a) for a in arguments)})"
        try:
            result = self._racer.eval(expression, timeout_sec=RENDER_TIMEOUT)
            if isinstance(result, JSPromise):
                result = result.get(timeout=RENDER_TIMEOUT)
        except (JSEvalException, JSPromiseError) as exc:
            raise VegaError(_message(exc)) from None
        except (JSTimeoutException, TimeoutError):
            raise VegaError(f"gave up after {RENDER_TIMEOUT} s") from None
        return str(result)


def _new_racer() -> MiniRacer:
    """A V8 context with an event loop of its own. mini-racer adopts the asyncio loop running in
    the thread that makes it, if any (the preview server's, a test's), and a blocking call made
    from that loop could then never finish: so it is made in a thread of its own, with none."""
    from .workers import in_a_thread_of_its_own

    init_mini_racer(flags=V8_FLAGS, ignore_duplicate_init=True)  # no-op when V8 already runs
    return in_a_thread_of_its_own(MiniRacer, "vega-engine-start")


def _message(exc: Exception) -> str:
    """The JavaScript error's own words, without the engine's source excerpt and stack."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line in lines:
        if "Error:" in line and not line.startswith("at "):
            return line[line.index("Error:") + len("Error:"):].strip() or line
    return lines[0] if lines else type(exc).__name__
