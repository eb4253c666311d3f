"""Scrolly steps against their charts: the params a step may set, its values checked, and each
step's state as Vega signal values, drawn at build time for every layout the chart has.

A step sets the chart's own params, as a reader would with its controls: a variable param
(`alt.param`, a slider, a menu; a filter or a zoomed domain the chart reads from one) or a point
selection on one field (the highlighted series). Whatever a step does not name keeps the chart's
own value, so each step's state is whole by itself: scrolling back restores it exactly.
"""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

from .cache import NoCache, digest, engine_fingerprint
from .diagnostics import Diagnostic, did_you_mean, error
from .model import ChartSpec, StepBlock, StepPicture

# Signals Vega-Lite writes for every chart: never a param of the author's.
_INTERNAL = re.compile(r"^(width|height|padding|autosize|background|unit|cursor|childWidth|childHeight)$|_step$")


def settable(vega: Mapping[str, Any]) -> dict[str, dict]:
    """{param name: what setting it takes}: `signal` (the one to set), `store` (a selection's
    store, else None), `field`, and `bind` (its input: range bounds or options, or None)."""
    found: dict[str, dict] = {}
    signals = {s.get("name"): s for s in vega.get("signals", ()) if isinstance(s, dict)}
    for name, signal in signals.items():
        if not isinstance(name, str) or _INTERNAL.search(name) or "update" in signal or "on" in signal:
            continue
        fields = signals.get(f"{name}_tuple_fields")
        if fields is not None or name.endswith("_tuple_fields") or "value" not in signal:
            continue
        owner = next((sel for sel in signals if isinstance(sel, str) and f"{sel}_tuple_fields" in signals
                      and name.startswith(sel + "_")), None)
        bind = signal.get("bind") if isinstance(signal.get("bind"), dict) else None
        if owner is not None:  # a point selection's input signal: hl_lieu for selection hl on lieu
            found[owner] = {"signal": name, "store": f"{owner}_store", "bind": bind, "value": signal.get("value"),
                            "fields": signals[f"{owner}_tuple_fields"].get("value")}
        else:
            found[name] = {"signal": name, "store": None, "bind": bind, "fields": None, "value": signal.get("value")}
    return found


def parse_value(raw: str, param: dict) -> tuple[Any, str | None]:
    """(the value, None) or (None, why it does not fit the param)."""
    bind = param.get("bind") or {}
    if bind.get("input") == "range":
        try:
            value = float(raw.replace(",", "."))
        except ValueError:
            return None, "a number is expected"
        low, high = bind.get("min"), bind.get("max")
        if (isinstance(low, (int, float)) and value < low) or (isinstance(high, (int, float)) and value > high):
            return None, f"the slider goes from {low:g} to {high:g}"
        return (int(value) if value.is_integer() else value), None
    options = bind.get("options")
    if isinstance(options, list):
        labels = bind.get("labels") if isinstance(bind.get("labels"), list) else []
        for option, label in zip(options, labels + [None] * len(options)):
            if raw in (str(option), "none" if option is None else str(option), label):
                return option, None
        shown = ", ".join("none" if o is None else str(o) for o in options)
        return None, f"its choices are {shown}"
    if raw == "none":
        return None, None
    current = param.get("value")
    if isinstance(current, bool) or raw in ("true", "false"):
        return raw == "true", None
    if isinstance(current, (int, float)) or re.fullmatch(r"-?\d+(?:[.,]\d+)?", raw):
        try:
            number = float(raw.replace(",", "."))
            return (int(number) if number.is_integer() else number), None
        except ValueError:
            return None, "a number is expected"
    return raw, None


def check_blocks(blocks: list[StepBlock], charts: Mapping[str, ChartSpec]) -> tuple[list[tuple], list[Diagnostic]]:
    """([(block, [(step, {signal: value}, {store: values})])], problems): each step's settings
    read against its chart's params. Charts that did not compile are skipped (already reported)."""
    states, problems = [], []
    for block in blocks:
        steps = []
        for step in block.steps:
            chart = charts.get(step.chart)
            if chart is None:
                continue
            params = settable(chart.vega)
            signals, stores = {}, {}
            for name, raw, where in step.settings:
                if name not in params:
                    known = ", ".join(sorted(params)) or "none"
                    problems.append(error("steps-param-unknown", f"chart '{chart.id}' has no param '{name}'", where,
                                          f"{did_you_mean(name, params)}its params are: {known}; a step sets "
                                          "params the chart defines (alt.param, a selection), chart=<id> or alt=\"…\""))
                    continue
                value, why = parse_value(raw, params[name])
                if why is not None:
                    problems.append(error("steps-value", f"'{raw}' is not a value of param '{name}' of chart "
                                          f"'{chart.id}'", where, f"{why}; write one of them"))
                    continue
                param = params[name]
                signals[param["signal"]] = value
                if param["store"]:
                    stores[param["store"]] = [] if value is None else [
                        {"unit": "", "fields": param["fields"], "values": [value]}]
            steps.append((step, signals, stores))
        states.append((block, steps))
    return states, problems


def with_state(vega: Mapping[str, Any], signals: Mapping[str, Any], stores: Mapping[str, list]) -> dict:
    """The chart's Vega with its params set at their step's values, from the start: signals get
    their `value`, a selection's store its tuple (Vega-Lite fills it only on an event)."""
    spec = dict(vega)
    spec["signals"] = [dict(s, value=signals[s["name"]]) if isinstance(s, dict) and s.get("name") in signals else s
                       for s in vega.get("signals", ())]
    spec["data"] = [dict(d, values=stores[d["name"]]) if isinstance(d, dict) and d.get("name") in stores else d
                    for d in vega.get("data", ())]
    return spec


def state_key(chart: ChartSpec, signals: Mapping[str, Any], stores: Mapping[str, list], language: str) -> str:
    return digest("step-v1", chart.vega_json, chart.narrow.patch_json if chart.narrow else "",
                  json.dumps([signals, stores], sort_keys=True, ensure_ascii=False), language)[:16]


def picture(chart: ChartSpec, signals: Mapping, stores: Mapping, language: str, draw, apply_merge_patch,
            cache=NoCache()) -> StepPicture:
    """One step's state drawn for each layout (`draw(vega) -> svg`; the narrow Vega is the wide one
    under the chart's merge patch), kept in the cache under its key."""
    key = state_key(chart, signals, stores, language)
    entry = digest(key, engine_fingerprint())  # an engine upgrade draws the pictures again
    kept = cache.get("steps", entry)
    if kept is not None:
        wide, narrow = json.loads(kept)
    else:
        wide = draw(with_state(chart.vega, signals, stores))
        narrow = ""
        if chart.narrow is not None:
            narrow_vega = apply_merge_patch(json.loads(json.dumps(dict(chart.vega))), json.loads(chart.narrow.patch_json))
            narrow = draw(with_state(narrow_vega, signals, stores))
        cache.put("steps", entry, json.dumps([wide, narrow]).encode("utf-8"))
    width, height = _size(wide)
    narrow_width, narrow_height = _size(narrow) if narrow else (0, 0)
    return StepPicture(key, chart.id, json.dumps(signals, sort_keys=True, ensure_ascii=False, separators=(",", ":")),
                       wide, width, height, narrow, narrow_width, narrow_height)


_SIZE = re.compile(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"')


def _size(svg: str) -> tuple[int, int]:
    match = _SIZE.search(svg)
    return (round(float(match.group(1))), round(float(match.group(2)))) if match else (0, 0)
