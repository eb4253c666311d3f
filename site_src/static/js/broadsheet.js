/* Broadsheet: brings static charts to life, and keeps the reader's scenario in step with chart sliders.
 *
 * Without this file the page is complete: every chart is an <img> of its SVG. With it, each
 * figure is replaced by the live Vega view (same size) when it nears the viewport. The Vega
 * runtime (window.vega: the charts arrive compiled, so no Vega-Lite) is loaded once, only when
 * the first chart needs it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var vegaSrc = script && script.getAttribute("data-vega-src");
  var locale = JSON.parse((script && script.getAttribute("data-locale")) || "{}");
  /* The page's words in its language, from the site's catalogs (the build extracts every _("…")
     of this file into messages.pot and hands the page their translations); English otherwise. */
  var words = JSON.parse((script && script.getAttribute("data-words")) || "{}");
  function _(msgid, values) {
    var text = words[msgid] || msgid;
    return text.replace(/%\((\w+)\)s/g, function (all, name) { return values && name in values ? values[name] : all; });
  }
  var runtime = null;
  var signals = {};

  /* Chance drawn alike in the live view and the build's picture: a chart using `random()`, a
     `sample` or an error band's bootstrap ("ci") draws with the generator the build drew with
     (mulberry32 from CHANCE_SEED, as broadsheet/charts/engine.py does), reset for each drawing.
     Vega keeps Math.random when its runtime loads (after this file runs), so Math.random becomes a
     door to the generator in use; such charts draw one at a time, so that none takes another's draws. */
  var CHANCE_SEED = 20240601;
  function seededRandom(seed) {
    return function () {
      seed |= 0; seed = seed + 0x6D2B79F5 | 0;
      var t = Math.imul(seed ^ seed >>> 15, 1 | seed);
      t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
  }
  var nativeRandom = Math.random, chance = nativeRandom, chanceQueue = Promise.resolve();
  Math.random = function () { return chance(); };
  function byChance(spec) { return /random\(|"sample"|"ci[01]"/.test(JSON.stringify(spec)); }

  function loadVega() {
    if (!runtime) {
      runtime = new Promise(function (resolve, reject) {
        if (window.vega && window.vega.View) { resolve(window.vega); return; }
        var tag = document.createElement("script");
        tag.src = vegaSrc;
        tag.onload = function () { resolve(window.vega); };
        tag.onerror = function () { reject(new Error("could not load " + vegaSrc)); };
        document.head.appendChild(tag);
      });
    }
    return runtime;
  }

  /* Tooltips: a small positioned box of our own, reachable by pointer. */
  var tip = null;
  function showTooltip(handler, event, item, value) {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tooltip";
      tip.setAttribute("role", "tooltip");
      document.body.appendChild(tip);
    }
    if (value == null || value === "") { tip.hidden = true; return; }
    tip.textContent = "";
    if (typeof value === "object") {
      Object.keys(value).forEach(function (key) {
        if (value[key] == null) return;  /* a range said once: its two ends are left out */
        var row = document.createElement("div");
        var name = document.createElement("span");
        name.className = "chart-tooltip-key";
        name.textContent = _("%(label)s:", { label: key }) + " ";
        var val = document.createElement("span");
        val.textContent = String(value[key]);
        row.appendChild(name); row.appendChild(val);
        tip.appendChild(row);
      });
    } else {
      tip.textContent = String(value);
    }
    tip.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14;
    var box = tip.getBoundingClientRect();
    if (x + box.width > window.innerWidth - 8) x = Math.max(8, event.clientX - box.width - 14);
    if (y + box.height > window.innerHeight - 8) y = Math.max(8, event.clientY - box.height - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  /* The reader's scenario: formulas compiled by the build into small trees, evaluated here without eval. */
  function evaluate(node, values) {
    var op = node[0];
    if (op === "num") return node[1];
    if (op === "fact") return values[node[1]];
    if (op === "neg") return -evaluate(node[1], values);
    if (op === "pos") return evaluate(node[1], values);
    if (op === "call") {
      var args = node[2].map(function (a) { return evaluate(a, values); });
      if (node[1] === "round") {
        var f = Math.pow(10, args.length > 1 ? args[1] : 0);
        return Math.floor(args[0] * f + 0.5) / f;
      }
      if (node[1] === "abs") return Math.abs(args[0]);
      return Math[node[1]].apply(null, args);
    }
    var a = evaluate(node[1], values), b = evaluate(node[2], values);
    switch (op) {
      case "+": return a + b;
      case "-": return a - b;
      case "*": return a * b;
      case "/": return a / b;
      case "//": return Math.floor(a / b);
      case "%": return a % b;
      case "**": return Math.pow(a, b);
    }
    return NaN;
  }

  /* The same rules as broadsheet/i18n.py: whole numbers get no decimals, money gets cents,
     others what they need (up to 6); compact (694 k$) from 1 000 up. */
  function fractionDigits(value, currency) {
    if (Number.isInteger(value)) return 0;
    var text = Math.abs(value).toFixed(6).replace(/0+$/, "");
    var needed = text.indexOf(".") >= 0 ? text.split(".")[1].length : 0;
    return currency ? Math.max(2, Math.min(needed, 4)) : Math.min(needed, 6);
  }

  function formatLive(live, value) {
    var french = live.lang.indexOf("fr") === 0;
    if (live.style === "compact" && Math.abs(value) >= 1000) {
      var whole = new Intl.NumberFormat(live.lang, { notation: "compact", maximumFractionDigits: 0 }).format(value);
      var digits = /^\D*\d(?!\d)/.test(whole) ? 1 : 0;
      var compact = new Intl.NumberFormat(live.lang, { notation: "compact", maximumFractionDigits: digits })
        .format(value);
      compact = compact.replace(/^-/, "\u2212");  /* the real minus sign, as the build writes it */
      return live.compact.replace("{}", french ? compact.replace(/\u00a0/g, "\u202f") : compact);
    }
    var n = fractionDigits(value, live.currency);
    var number = new Intl.NumberFormat(live.lang, { minimumFractionDigits: n, maximumFractionDigits: n }).format(value);
    return live.template.replace("{}", number.replace(/^-/, "\u2212"));
  }

  function updateLiveFacts() {
    document.querySelectorAll("[data-live]").forEach(function (el) {
      var live = JSON.parse(el.getAttribute("data-live"));
      var values = Object.assign({}, live.inputs, signals);
      var result = evaluate(live.program, values);
      if (!isFinite(result)) return;
      /* Only the reader's scenario ({scenario:…}) changes: a sourced fact keeps its published value. */
      var text = formatLive(live, result);
      if (el.textContent !== text) el.textContent = text;
    });
  }

  /* RFC 7386 merge patch: the narrow chart travels as its difference from the wide one. */
  function mergePatch(target, patch) {
    if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
    var out = (target && typeof target === "object" && !Array.isArray(target)) ? Object.assign({}, target) : {};
    Object.keys(patch).forEach(function (key) {
      if (patch[key] === null) delete out[key]; else out[key] = mergePatch(out[key], patch[key]);
    });
    return out;
  }

  /* The spec for the reader's screen: the same choice the <picture> made for the static image. */
  function specFor(figure) {
    var spec = JSON.parse(figure.querySelector("script.chart-spec").textContent);
    var narrow = figure.querySelector("script.chart-narrow");
    if (narrow && window.matchMedia(narrow.getAttribute("data-media")).matches) {
      spec = mergePatch(spec, JSON.parse(narrow.textContent));
    }
    return spec;
  }

  /* A slider's value as the chart's axes write numbers: the same d3 locale (1 000 in French,
     1,000 in English, 1.000 in German), and a year never grouped (2017). */
  var YEAR_NAME = /(^|[^a-z])(year|years|yr|annee|année|an|ans|jahr|jahre|ano|año|anno|jaar|år)([^a-z]|$)/i;
  function sliderText(value, yearLike) {
    var number = locale.number || {};
    var parts = String(Math.abs(value)).split(".");
    var whole = parts[0];
    if (!yearLike && whole.length > 3 && /^\d+$/.test(whole)) {
      whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, number.thousands || ",");
    }
    var text = whole + (parts[1] ? (number.decimal || ".") + parts[1] : "");
    return (value < 0 ? "\u2212" : "") + text;
  }
  function isYearSlider(input) {
    var label = input.parentNode ? input.parentNode.textContent : "";
    var min = Number(input.min), max = Number(input.max), step = Number(input.step || 1);
    return (YEAR_NAME.test(input.name || "") || YEAR_NAME.test(label)) && min >= 1000 && max <= 2999
      && step === Math.round(step);
  }

  /* Slider values written as the reader's language writes numbers, for the eye and for screen
     readers (aria-valuetext). Vega keeps its own plain value beside each slider up to date; we
     follow it and show ours instead. */
  function formatSliderValues(bindings) {
    bindings.querySelectorAll("input[type=range]").forEach(function (input) {
      var yearLike = isYearSlider(input);
      var plain = input.nextElementSibling;
      if (!plain || plain.tagName !== "SPAN") return;
      var shown = document.createElement("output");
      shown.className = "chart-bind-value";
      var update = function () {
        var text = sliderText(Number(input.value), yearLike);
        if (shown.textContent !== text) shown.textContent = text;
        input.setAttribute("aria-valuetext", text);
      };
      plain.hidden = true;
      plain.parentNode.insertBefore(shown, plain.nextSibling);
      new MutationObserver(update).observe(plain, { childList: true, characterData: true, subtree: true });
      input.addEventListener("input", update);
      update();
    });
  }

  /* The reader's scenario that follows a chart with sliders moves right under them: the reader sees
     it change while dragging, on a phone too. Without JavaScript there are no sliders, and it stays
     where the author put it. */
  /* The reader's scenario moves right under the control the reader takes (pointer, touch or
     keyboard), so it stays in sight while a thumb drags a slider on a phone. It moves only then:
     moved earlier, the text below would shift while nobody acts; moved below the control, the
     control never moves under the finger. */
  function keepScenarioBy(figure, bindings) {
    var scenario = figure.nextElementSibling;
    if (!scenario || !scenario.classList.contains("scenario") || !bindings.querySelector("input[type=range]")) return;
    function move(event) {
      var control = event.target && event.target.closest ? event.target.closest(".vega-bind") : null;
      if (!control || !bindings.contains(control) || control.nextSibling === scenario) return;
      control.parentNode.insertBefore(scenario, control.nextSibling);
    }
    ["pointerdown", "touchstart", "focusin"].forEach(function (type) {
      bindings.addEventListener(type, move, { passive: true });
    });
  }

  /* Vega's loader for one chart: its files relative to the story's folder, except a map's shapes
     (`data/shapes.<hash>.json`), written once for the whole site under the folder `shapes` names,
     so that every map drawing the same shapes fetches (and caches) the same file. */
  function chartLoader(base, shapes) {
    var loader = vega.loader(base ? { baseURL: new URL(base, document.baseURI).href } : {});
    if (!shapes) return loader;
    var sanitize = loader.sanitize, shapesURL = new URL(shapes, document.baseURI).href;
    loader.sanitize = function (uri, options) {
      var shared = /^data\/(shapes\.[0-9a-f]+\.json)$/.exec(uri);
      return sanitize.call(loader, shared ? shapesURL + shared[1] : uri, options);
    };
    return loader;
  }

  function hydrate(figure) {
    if (figure.getAttribute("data-state")) return;
    figure.setAttribute("data-state", "loading");
    var holder = figure.querySelector(".chart-view");
    var bindings = figure.querySelector(".chart-bindings");
    var alt = figure.querySelector(".chart-static").getAttribute("alt");
    var current = null;

    function draw(vega) {
      var spec = specFor(figure);
      var live = document.createElement("div");
      live.className = "chart-live";
      live.hidden = true;
      holder.appendChild(live);
      var scenario = bindings && bindings.querySelector(".scenario");
      if (scenario) figure.parentNode.insertBefore(scenario, figure.nextSibling);  /* kept while the controls are redrawn */
      if (bindings) bindings.textContent = "";
      if (locale.number) vega.formatLocale(locale.number);
      if (locale.time) vega.timeFormatLocale(locale.time);
      /* Rows too many for the page are files beside the story, named relative to its folder;
         a map's shapes are one file for the whole site (chartLoader). */
      var base = figure.getAttribute("data-base");
      /* Expressions are interpreted, never compiled with Function(): the page's policy has no
         'unsafe-eval'. (A runtime without the interpreter compiles them, and the policy keeps
         the chart static.) */
      var interpreter = vega.expressionInterpreter, view = null, seeded = byChance(spec);
      function run() {
        if (seeded) chance = seededRandom(CHANCE_SEED);
        view = new vega.View(interpreter ? vega.parse(spec, null, { ast: true }) : vega.parse(spec), {
          expr: interpreter || undefined,
          renderer: "svg", container: live, bind: bindings || undefined, tooltip: showTooltip,
          loader: chartLoader(base, figure.getAttribute("data-shapes"))
        });
        if (!seeded) return view.runAsync();
        return view.runAsync().then(function () { chance = nativeRandom; },
                                    function (err) { chance = nativeRandom; throw err; });
      }
      var ran = seeded ? chanceQueue.then(run) : run();
      if (seeded) chanceQueue = ran.catch(function () {});
      return ran.then(function () {
        /* One image for assistive technology, described by the alt text; the marks inside are
           not announced one by one. The data table below the chart carries the numbers.
           (Vega marks the container as a graphics document: that is replaced here.) */
        live.setAttribute("role", "img");
        live.setAttribute("aria-label", alt);
        live.removeAttribute("aria-roledescription");
        if (current) { current.element.remove(); current.view.finalize(); }
        live.hidden = false;  /* the static picture stays, hidden by the CSS once live: print shows it */
        current = { element: live, view: view };
        figure.broadsheetView = view;  /* a scrolly block sets its steps' states through it */
        figure.setAttribute("data-state", "live");
        figure.dispatchEvent(new CustomEvent("broadsheet:live"));
        if (bindings) { formatSliderValues(bindings); keepScenarioBy(figure, bindings); }
        (spec.signals || []).forEach(function (signal) {
          if (!signal.bind) return;
          if (signal.name in signals) view.signal(signal.name, signals[signal.name]).runAsync();
          else signals[signal.name] = view.signal(signal.name);
          view.addSignalListener(signal.name, function (name, value) {
            signals[name] = value;
            updateLiveFacts();
          });
        });
      });
    }

    loadVega().then(function (vega) {
      return draw(vega).then(function () {
        var narrow = figure.querySelector("script.chart-narrow");
        if (!narrow || !window.matchMedia) return;
        /* Turning a tablet or resizing a window across the breakpoint redraws the chart. */
        window.matchMedia(narrow.getAttribute("data-media")).addEventListener("change", function () {
          draw(vega).catch(function () {});
        });
      });
    }).catch(function (err) {
      figure.setAttribute("data-state", "static");
      if (window.console) console.warn("Broadsheet: chart stays static:", err && err.message);
    });
  }

  var observer = "IntersectionObserver" in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { observer.unobserve(entry.target); hydrate(entry.target); }
    });
  }, { rootMargin: "400px 0px" }) : null;

  function observeAll() {
    if (document.documentElement.hasAttribute("data-static")) return;  // an embed asked for ?static=1
    document.querySelectorAll("figure[data-chart]").forEach(function (figure) {
      if (observer) observer.observe(figure); else hydrate(figure);
    });
  }
  /* Scrolly blocks: the chart stays in view (CSS sticky) while the steps pass; the step crossing
     the middle of the screen, or the one that has the keyboard focus, sets its state through the
     live view's signals (its picture, drawn at build time, until the view is live). Each state is
     whole (the chart's own values under the step's), so scrolling back restores the earlier one.
     No work on scroll events: an IntersectionObserver says which step crossed the middle line. */
  function scrolly(block) {
    if (block.getAttribute("data-scrolly-ready")) return;
    block.setAttribute("data-scrolly-ready", "1");
    var figure = block.querySelector(".scrolly-stage figure[data-chart]");
    var stillImg = figure && figure.querySelector("img.chart-static");
    var stillSource = figure && figure.querySelector(".chart-view source");
    var now = block.querySelector(".scrolly-now");
    var defaults = JSON.parse(block.getAttribute("data-defaults") || "{}");
    var steps = Array.prototype.slice.call(block.querySelectorAll(".scrolly-step"));
    var active = null;
    function apply(step) {
      var own = step.getAttribute("data-chart") === block.getAttribute("data-scrolly");
      var view = figure && figure.broadsheetView;
      figure.setAttribute("data-step", String(steps.indexOf(step) + 1));
      figure.classList.toggle("scrolly-other", !own || !view);
      if (stillImg && (!own || !view) && step.getAttribute("data-src")) {  /* the state's picture, until (or instead of) the live view */
        stillImg.src = step.getAttribute("data-src");
        stillImg.alt = step.getAttribute("data-alt") || stillImg.alt;
        if (stillSource) stillSource.srcset = step.getAttribute("data-narrow-src") || step.getAttribute("data-src");
      }
      if (own && view) {
        var values = Object.assign({}, defaults, JSON.parse(step.getAttribute("data-signals") || "{}"));
        Object.keys(values).forEach(function (name) {
          try { view.signal(name, values[name]); } catch (e) { /* a param the live view lacks */ }
        });
        view.runAsync();
        var live = figure.querySelector(".chart-live");
        if (live) live.setAttribute("aria-label", step.getAttribute("data-alt") || "");
      }
    }
    function activate(step) {
      if (step === active) return;
      if (active) active.classList.remove("is-active");
      active = step;
      step.classList.add("is-active");
      if (now) now.textContent = step.getAttribute("data-alt") || "";
      if (figure) apply(step);
    }
    if (figure) figure.addEventListener("broadsheet:live", function () { if (active) apply(active); });
    /* After a jump (a link to an anchor, find in page, the scrollbar dragged) the middle line may
       fall between two steps, crossing none: the step on screen nearest to it is then the one
       read. Both observers only call when a step comes, goes or crosses the middle. */
    var onScreen = [];
    function nearest() {
      var middleY = window.innerHeight / 2, best = null, bestDistance = Infinity;
      onScreen.forEach(function (step) {
        var box = step.getBoundingClientRect();
        var distance = box.top <= middleY && box.bottom >= middleY ? 0
          : Math.min(Math.abs(box.top - middleY), Math.abs(box.bottom - middleY));
        if (distance < bestDistance) { best = step; bestDistance = distance; }
      });
      if (best) activate(best);
    }
    var middle = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) activate(entry.target); });
    }, { rootMargin: "-50% 0px -50% 0px" });
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        var at = onScreen.indexOf(entry.target);
        if (entry.isIntersecting && at < 0) onScreen.push(entry.target);
        if (!entry.isIntersecting && at >= 0) onScreen.splice(at, 1);
      });
      nearest();
    }, { threshold: [0, 0.25, 0.5, 0.75, 1] });
    steps.forEach(function (step) {
      middle.observe(step);
      seen.observe(step);
      step.addEventListener("focus", function () { activate(step); });
    });
  }
  function scrollyAll() {
    if (!("IntersectionObserver" in window)) return;  /* the sequence of figures stays as it is */
    document.querySelectorAll(".scrolly").forEach(scrolly);
  }
  observeAll();
  scrollyAll();
  /* The preview server swaps in new page content without a reload: hydrate what arrived. */
  document.addEventListener("broadsheet:refresh", function () { signals = {}; observeAll(); scrollyAll(); });
})();
