"""A compiled chart's tooltips and mark descriptions, made to speak like the page.

Vega-Lite writes each mark's tooltip as an object expression (`{"Date": …, "Bas ($)": …}`) and
its description, which the static picture keeps as each mark's `aria-label`, as a string
expression (`"Date: " + (…) + "; Bas ($): " + (…)`). Both are rewritten here, in the compiled
Vega, so the live view and the picture say the same:

- a text that is a year and a month (`2023-11`, as a CSV writes it) is written as the language
  writes it (`novembre 2023`), through the d3 time locale the page and the picture both use;
- two consecutive entries that the chart draws on one position scale (a range: `x` and `x2`, or
  a bar to the high end and a tick at the low end) become one value when they are equal, under
  the scale's title: "Prix par GPU (dollars) : 70 000", not "Bas 70 000 / Haut 70 000".
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from . import walk

_FIELD = re.compile(r'((?:datum\.)?datum)\["((?:[^"\\]|\\.)*)"\]')
_MONTH = 'regexp("^[0-9]{4}-[0-9]{2}$")'
MONTH_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}$")


def split_top(text: str, separator: str) -> list[str]:
    """`text` cut at each `separator` character outside strings and brackets."""
    parts, depth, quote, start, index = [], 0, "", 0, 0
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:index])
            start = index + 1
        index += 1
    parts.append(text[start:])
    return parts


def _field(expression: str) -> tuple[str, str] | None:
    """(reference, field) when the expression reads one field only (`datum["bas"]`)."""
    found = {(m.group(0), m.group(2)) for m in _FIELD.finditer(expression)}
    return found.pop() if len(found) == 1 else None


def _dated(expression: str, months: frozenset[str]) -> str:
    """A text entry (Vega-Lite's `isValid(…) ? … : ""+…`) of a field holding year-months, made to
    write them as months (its other texts, `2021-2022`, as they are)."""
    read = _field(expression)
    if read is None or read[1] not in months or not expression.startswith("isValid(") or "format(" in expression:
        return expression
    ref = read[0]
    return (f'(isString({ref}) && test({_MONTH}, {ref}) ? utcFormat(toDate({ref} + "-01"), "%B %Y") : '
            f'({expression}))')


def _ranges(entries: list[list], groups: Iterable[tuple[frozenset[str], str | None]]) -> list[list]:
    """Entries [title, expression, condition]: each range pair gets a condition (shown when its ends
    differ) and an entry before it for the single value (shown when they are equal)."""
    out: list[list] = []
    index = 0
    while index < len(entries):
        pair = entries[index:index + 2]
        reads = [_field(expression) for _, expression, _ in pair]
        match = len(pair) == 2 and all(reads) and next(
            (title for fields, title in groups if {r[1] for r in reads} == fields and len(fields) == 2), False)
        if match is False:
            out.append(entries[index])
            index += 1
            continue
        same = f"({reads[0][0]} === {reads[1][0]})"
        title = match or pair[1][0]
        if title not in {entry[0] for entry in entries}:  # else the value is already said under it
            out.append([title, pair[1][1], same])
        out += [[t, e, f"!{same}"] for t, e, _ in pair]
        index += 2
    return out


def _rewritten(entries: list[list], groups, months) -> tuple[list[list], bool]:
    """The entries with their months written out and their ranges joined; whether that changed any."""
    out = _ranges([[title, _dated(expression, months), None] for title, expression, _ in entries], groups)
    return out, out != entries


def _tooltip(signal: str, groups, months) -> str:
    body = signal.strip()
    if not (body.startswith("{") and body.endswith("}")):
        return signal
    entries = []
    for part in split_top(body[1:-1], ","):
        try:
            key, end = json.JSONDecoder().raw_decode(part.strip())
        except ValueError:
            return signal
        rest = part.strip()[end:].lstrip()
        if not rest.startswith(":"):
            return signal
        entries.append([key, rest[1:].strip(), None])
    entries, changed = _rewritten(entries, groups, months)
    if not changed:
        return signal
    return "{" + ", ".join(f"{json.dumps(t, ensure_ascii=False)}: " +
                           (f"{c} ? ({e}) : null" if c else e) for t, e, c in entries) + "}"


def _description(signal: str, groups, months) -> str:
    parts = [part.strip() for part in split_top(signal, "+")]
    if len(parts) < 2 or len(parts) % 2:
        return signal
    entries = []
    for label, expression in zip(parts[::2], parts[1::2]):
        try:
            text = json.loads(label)
        except ValueError:
            return signal
        if not (isinstance(text, str) and text.endswith(": ") and expression.startswith("(")):
            return signal
        entries.append([text[2:-2] if text.startswith("; ") else text[:-2], expression[1:-1].strip(), None])
    entries, changed = _rewritten(entries, groups, months)
    if not changed:
        return signal
    pieces = [f"{json.dumps('; ' + t + ': ', ensure_ascii=False)} + ({e})" for t, e, _ in entries]
    pieces = [f"({c} ? {p} : \"\")" if c else p for p, (_, _, c) in zip(pieces, entries)]
    return f"slice({' + '.join(pieces)}, 2)"


def months(tables: Iterable[Iterable[Any]]) -> frozenset[str]:
    """The fields whose texts include a year-month (`2023-11`), in rows (mappings) of any table."""
    found = set()
    for rows in tables:
        for row in rows:
            found.update(key for key, value in row.items() if isinstance(value, str) and MONTH_TEXT.fullmatch(value))
    return frozenset(found)


def speak(vega: dict, groups: list[tuple[frozenset[str], str | None]], months: frozenset[str]) -> dict:
    """The Vega spec with its marks' tooltips and descriptions rewritten (see the module): `groups`
    from fields.position_groups, `months` the fields holding year-months."""

    def change(mark: dict) -> dict:
        update = (mark.get("encode") or {}).get("update")
        if not isinstance(update, dict):
            return mark
        new = dict(update)
        for channel, rewrite in (("tooltip", _tooltip), ("description", _description)):
            value = update.get(channel)
            if isinstance(value, dict) and isinstance(value.get("signal"), str):
                signal = rewrite(value["signal"], groups, months)
                if signal != value["signal"]:
                    new[channel] = {**value, "signal": signal}
        if new != update:
            mark["encode"] = {**mark["encode"], "update": new}
        return mark

    return walk.map_scopes(vega, change)
