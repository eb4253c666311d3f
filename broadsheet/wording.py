"""Numbers in the words outside the Markdown: a story's title, dek and update notes, and a chart's
TITLE, ALT, CAPTION and SOURCE. There too a number is a `{fact:key}` (printed as plain text, as
these words also go where HTML cannot: alt text, <title>, meta tags, the feed) or is flagged by
the bare-number check. Charts resolve their own words when they compile (charts.compiler); this
module resolves the front matter's and reads both for bare numbers, with each file's line.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import re
from typing import Callable

from .diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from .markup import DIRECTIVE, FACT_NAME, FACT_STYLES, scan_bare_numbers
from .model import FactSet, Update

CHART_NAMES = ("TITLE", "ALT", "CAPTION", "SOURCE")
# A Python string literal, its prefix and quotes apart: "…", '…', f"…" (triple quotes first).
STRING_PIECE = re.compile(r"""([rRuUbBfF]{0,2})("{3}[\s\S]*?"{3}|'{3}[\s\S]*?'{3}|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')""")


def _locate(lines: list[str], token: str, first: int, fallback: SourceLocation, path: str) -> SourceLocation:
    """Where `token` is written, from line `first` (1-based) on; `fallback` when it is not found as
    such (an escape in a Python string, a folded YAML line)."""
    for number in range(max(first, 1), len(lines) + 1):
        column = lines[number - 1].find(token)
        if column >= 0:
            return SourceLocation(path, number, column + 1)
    return fallback


def bare_numbers(text: str, path: str, line: int, column: int) -> list[Diagnostic]:
    """The `number-bare` check over one text written on one line of a file, from `column` (1-based)."""
    return [dataclasses.replace(problem, location=SourceLocation(path, line, column + problem.location.column - 1))
            for problem in scan_bare_numbers(text.replace("\n", " "), path, 0)]


def _value_start(lines: list[str], where: SourceLocation, text: str) -> tuple[int, int]:
    """(line, column) where a front matter value starts: its first words found on the key's line,
    else the key itself (a folded value)."""
    line = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
    column = line.find(text[:12], where.column) if text else -1
    return where.line, (column + 1 if column >= 0 else where.column)


def resolve(text: str, where: SourceLocation, lines: list[str], facts: FactSet,
            format_fact: Callable, problems: list[Diagnostic], used: list[str]) -> str:
    """`text` with each {fact:key} printed by `format_fact(fact, style)` and {literal:…} as written;
    unknown facts and other directives are reported at their place in the file."""
    def one(match: re.Match) -> str:
        kind, body = match.group(1), match.group(2).strip()
        if kind == "literal":
            return match.group(2)
        parsed = FACT_NAME.match(body) if kind == "fact" else None
        at = _locate(lines, match.group(0), where.line, where, where.path)
        if parsed and (parsed.group(2) or "") not in FACT_STYLES:
            problems.append(error("fact-style", f"unknown fact format '{parsed.group(2)}'", at,
                                  f"{did_you_mean(parsed.group(2), FACT_STYLES)}formats are |number and |compact"))
        elif parsed and parsed.group(1) in facts.facts:
            fact = facts.facts[parsed.group(1)]
            used.append(fact.key)
            return format_fact(fact, parsed.group(2) or "") if fact.value is not None else match.group(0)
        elif parsed:
            problems.append(error("fact-unknown", f"unknown fact '{parsed.group(1)}'", at,
                                  f"{did_you_mean(parsed.group(1), facts.facts)}facts are defined in {facts.path}"))
        else:
            problems.append(error("front-matter-directive", f"'{match.group(0)}' cannot be used here: the title, dek "
                                  "and update notes take only {fact:key} and {literal:text}", at,
                                  "write {fact:key} for a number with its source, {literal:…} for one without"))
        return match.group(0)
    return DIRECTIVE.sub(one, text)


def front_matter_texts(meta: dict, facts: FactSet, format_fact: Callable,
                       problems: list[Diagnostic]) -> tuple[dict, list[str]]:
    """The front matter with facts printed in its title, dek and update notes (and those read for
    bare numbers first); also the fact keys they use."""
    lines, used, places = meta.get("front_lines") or [], [], []
    resolved = dict(meta)
    for field in ("title", "dek"):
        where = meta["locations"].get(field)
        if meta.get(field) and where is not None:
            problems.extend(bare_numbers(meta[field], where.path, *_value_start(lines, where, meta[field])))
            before = len(used)
            resolved[field] = resolve(meta[field], where, lines, facts, format_fact, problems, used)
            places += [(key, where.path, where.line, field) for key in used[before:]]
    notes = dict(meta.get("note_locations") or ())
    updates = []
    for update in meta.get("updates") or ():
        where = notes.get(update.note)
        if where is not None:
            problems.extend(bare_numbers(update.note, where.path, *_value_start(lines, where, update.note)))
            before = len(used)
            update = dataclasses.replace(update, note=resolve(update.note, where, lines, facts, format_fact, problems, used))
            places += [(key, where.path, where.line, "update") for key in used[before:]]
        updates.append(update)
    resolved["updates"] = tuple(updates)
    resolved["fact_places"] = tuple(places)  # (key, file, line, field): the ledger's places in the front matter
    return resolved, used


def chart_texts(path: str, text: str) -> list[tuple[str, str, int, int]]:
    """(name, words, line, column) of each piece of a chart file's TITLE, ALT, CAPTION and SOURCE,
    as written: the string pieces of module-level constants of a Python chart (a computed one is
    not read here), the title, description and usermeta caption/source of a Vega-Lite file."""
    if path.endswith(".py"):
        return _python_texts(text)
    try:
        spec = json.loads(text)
    except (ValueError, RecursionError):
        return []
    if not isinstance(spec, dict):
        return []
    title = spec.get("title")
    title = title.get("text") if isinstance(title, dict) else title
    usermeta = spec.get("usermeta") if isinstance(spec.get("usermeta"), dict) else {}
    found = [("title", title), ("description", spec.get("description")), ("caption", usermeta.get("caption")),
             ("source", usermeta.get("source"))]
    lines = text.split("\n")
    pieces = []
    for name, value in found:
        if isinstance(value, str):
            key = _locate(lines, f'"{name}"', 1, SourceLocation(path, 1, 1), path)
            row = lines[key.line - 1] if key.line <= len(lines) else ""
            quote = row.find('"', row.find(":", key.column + len(name)) + 1)
            pieces.append((name, value, key.line, quote + 2 if quote >= 0 else 1))
    return pieces


def _python_texts(text: str) -> list[tuple[str, str, int, int]]:
    """The string pieces (implicitly joined literals) of TITLE = "…", ALT = ("…" "…") and the like;
    of a per-language text (CAPTION = {"fr": "…", "en": "…"}) each language's, named `CAPTION:en`."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []  # the chart run reports it
    lines = text.split("\n")
    pieces = []
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in CHART_NAMES):
            continue
        name, value = node.targets[0].id, node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            pieces += [(name, *piece) for piece in _literal_pieces(lines, value)]
        elif isinstance(value, ast.Dict):
            for key, entry in zip(value.keys, value.values):
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and \
                        isinstance(entry, ast.Constant) and isinstance(entry.value, str):
                    pieces += [(f"{name}:{key.value}", *piece) for piece in _literal_pieces(lines, entry)]
    return pieces


def _literal_pieces(lines: list[str], node: ast.Constant) -> list[tuple[str, int, int]]:
    """(words, line, column) of each literal a string constant is written in."""
    segment = "\n".join(lines[node.lineno - 1: node.end_lineno])
    end = len(segment) - (len(lines[node.end_lineno - 1]) - node.end_col_offset)
    pieces = []
    for match in STRING_PIECE.finditer(segment, node.col_offset, end):
        try:
            value = ast.literal_eval(match.group(0))
        except (SyntaxError, ValueError):
            continue
        line = node.lineno + segment.count("\n", 0, match.start())
        column = match.start() - (segment.rfind("\n", 0, match.start()) + 1) + len(match.group(1)) + 1
        pieces.append((value, line, column + 1))
    return pieces


def chart_bare_numbers(path: str, text: str) -> list[Diagnostic]:
    """The `number-bare` check over a chart's words, at their place in the chart file."""
    return [problem for name, words, line, column in chart_texts(path, text) if ":" not in name
            for problem in bare_numbers(words, path, line, column)]
