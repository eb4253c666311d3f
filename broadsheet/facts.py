"""facts.yaml -> FactSet: every number with its value, unit, date, status and source.

Derived facts (`formula:`) are computed here by a small evaluator over Python's `ast`, never
`eval`: only numbers, other facts, + - * / // % **, and round/min/max/abs. The formula is also
kept as a JSON-able tree so the page can recompute it when a reader moves a slider.
"""
from __future__ import annotations

import ast
import datetime as dt
import math
import re
from dataclasses import replace
from typing import Any, Mapping

from . import queries
from .diagnostics import Diagnostic, SourceLocation, did_you_mean, error
from .model import Fact, FactSet, Source, frozen_mapping
from .yamlmap import LineDict, as_text

KEY_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
STATUSES = ("confirmed", "reported", "estimate", "computed", "assumption")
FACT_FIELDS = ("value", "unit", "as_of", "source", "status", "note", "formula", "query")
SOURCE_FIELDS = ("name", "publisher", "url", "date", "note", "language")
FUNCTIONS = ("round", "min", "max", "abs")
ARITY = {"round": (1, 2), "min": (2, 64), "max": (2, 64), "abs": (1, 1)}
ARITY_TEXT = {"round": "one or two values", "min": "two values or more", "max": "two values or more",
              "abs": "one value"}
LARGEST = 1e15  # beyond this a number is not for reading: choose a larger unit
# A derived fact written out in full, its derived inputs replaced by their own formulas (what the
# page recomputes when a reader moves a slider): at most this many terms, nested at most this deep.
# Past them the build says `formula-too-deep`; change them here.
MAX_FORMULA_TERMS = 10_000
MAX_FORMULA_DEPTH = 200
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
           ast.Mod: "%", ast.Pow: "**"}


class FormulaError(Exception):
    def __init__(self, message: str, column: int = 0, hint: str = "", code: str = "formula-syntax"):
        super().__init__(message)
        self.message, self.column, self.hint, self.code = message, column, hint, code


def compile_formula(text: str) -> tuple[Any, tuple[str, ...]]:
    """Formula text -> (expression tree, names it reads). Raises FormulaError."""
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"formula is not valid: {exc.msg}", exc.offset or 0,
                           "write arithmetic on fact keys, e.g. `contractors * hourly_wage * 8`") from None
    except (RecursionError, MemoryError, ValueError):
        raise FormulaError("formula is too long or too deeply nested", 0,
                           "split it into several derived facts") from None
    names: list[str] = []

    def walk(node: ast.AST, depth: int = 0):
        if depth > MAX_FORMULA_DEPTH:
            raise FormulaError(f"formula is nested more than {MAX_FORMULA_DEPTH} levels deep", 0,
                               "split it into several derived facts", "formula-too-deep")
        if isinstance(node, ast.Expression):
            return walk(node.body, depth)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) \
                and not isinstance(node.value, bool):
            return ["num", node.value]
        if isinstance(node, ast.Name):
            names.append(node.id)
            return ["fact", node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return [_BINARY[type(node.op)], walk(node.left, depth + 1), walk(node.right, depth + 1)]
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            return ["neg" if isinstance(node.op, ast.USub) else "pos", walk(node.operand, depth + 1)]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in FUNCTIONS and not node.keywords and node.args:
            low, high = ARITY[node.func.id]
            if not low <= len(node.args) <= high:
                raise FormulaError(f"{node.func.id}() takes {ARITY_TEXT[node.func.id]}", node.col_offset + 1,
                                   "round(x) or round(x, 1); min(a, b); max(a, b); abs(x)")
            return ["call", node.func.id, [walk(arg, depth + 1) for arg in node.args]]
        what = type(node).__name__
        raise FormulaError(f"formulas cannot use {what}", getattr(node, "col_offset", 0) + 1,
                           "allowed: numbers, fact keys, + - * / // % **, parentheses, "
                           "round(x, digits), min, max, abs")

    program = walk(tree)
    return program, tuple(dict.fromkeys(names))


def evaluate(program: Any, values: Mapping[str, float]) -> float:
    """Evaluate a compiled formula tree to a finite real number. Raises FormulaError otherwise."""
    try:
        result = _evaluate(program, values)
    except FormulaError:
        raise
    except (ArithmeticError, ValueError, TypeError, RecursionError):
        raise FormulaError("the result is not a number that can be printed", 0,
                           "check the inputs of this formula and the powers it takes") from None
    if isinstance(result, complex) or isinstance(result, bool) or not _finite(result):
        raise FormulaError("the result is not a finite number", 0,
                           "check for a root of a negative number, or a number too large")
    return result


def _finite(value) -> bool:
    try:
        return math.isfinite(float(value)) and abs(float(value)) < 1e300
    except (OverflowError, TypeError, ValueError):
        return False


def _evaluate(program: Any, values: Mapping[str, float]) -> float:
    op = program[0]
    if op == "num":
        return program[1]
    if op == "fact":
        return values[program[1]]
    if op in ("neg", "pos"):
        value = _evaluate(program[1], values)
        return -value if op == "neg" else value
    if op == "call":
        args = [_evaluate(arg, values) for arg in program[2]]
        name = program[1]
        if name == "round":  # half up, as the page's script rounds (Math.round), not Python's half-even
            digits = int(args[1]) if len(args) > 1 else 0
            if not -15 <= digits <= 15:
                raise FormulaError("round() keeps at most 15 digits", 0, "write round(x, 2), for example")
            scale = 10 ** digits
            result = math.floor(args[0] * scale + 0.5) / scale
            return int(result) if digits <= 0 else result
        return {"min": min, "max": max, "abs": lambda x: abs(x)}[name](*args)
    left, right = _evaluate(program[1], values), _evaluate(program[2], values)
    try:
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        if op == "/":
            return left / right
        if op == "//":
            return left // right
        if op == "%":
            return left % right
        if abs(right) > 64 or (abs(left) > 1e6 and right > 4):
            raise FormulaError("power too large", 0, "keep exponents small")
        return left ** right
    except ZeroDivisionError:
        raise FormulaError("division by zero", 0, "check the inputs of this formula: one of them is 0") from None
    except OverflowError:
        raise FormulaError("the result is too large", 0, "check the formula") from None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and _finite(value)


def parse_facts(data: Any, path: str, computed: Mapping[str, Any] | None = None) -> tuple[FactSet, list[Diagnostic]]:
    """Turn a loaded facts.yaml (LineDicts) into a FactSet and the problems found in it.
    `computed`: fact key -> (value, run queries.Query) of the facts with a `query:`, once run (until
    then their value is None, and so is that of the facts derived from them)."""
    problems: list[Diagnostic] = []
    top = SourceLocation(path, 1)
    if data is None:
        data = LineDict()
    if not isinstance(data, LineDict):
        return FactSet(path=path), [error("facts-shape", "facts.yaml must hold two mappings, `facts:` and `sources:`",
                                          top, "see the author guide, section Facts")]
    for key in data:
        if key not in ("facts", "sources"):
            problems.append(error("facts-shape", f"unknown top-level key '{key}'",
                                  SourceLocation(path, data.line_of(key), data.column_of(key)),
                                  f"{did_you_mean(str(key), ('facts', 'sources'))}only `facts:` and `sources:` belong here"))
    sources = _parse_sources(data.get("sources") or LineDict(), path, problems)
    raw_facts = data.get("facts") or LineDict()
    if not isinstance(raw_facts, LineDict):
        problems.append(error("facts-shape", "`facts:` must be a mapping of fact keys",
                              SourceLocation(path, data.line_of("facts")), "indent each fact under `facts:`"))
        raw_facts = LineDict()

    facts: dict[str, Fact] = {}
    formulas: dict[str, tuple[Any, tuple[str, ...], SourceLocation]] = {}
    for key, body in raw_facts.items():
        where = SourceLocation(path, raw_facts.line_of(key), raw_facts.column_of(key))
        key = str(key)
        if not KEY_PATTERN.match(key):
            problems.append(error("fact-key", f"fact key '{key}' is not a plain name", where,
                                  "use letters, digits and underscores, starting with a letter: `daily_cost`"))
            continue
        if not isinstance(body, LineDict):
            problems.append(error("fact-shape", f"fact '{key}' must be a mapping (value, unit, as_of, source…)", where,
                                  "indent its fields under the key: `value: 15`, `unit: USD`…"))
            continue
        fact, formula = _parse_fact(key, body, where, sources, path, problems, computed or {})
        if fact is not None:
            facts[key] = _worded(fact, body)
        if formula is not None:
            formulas[key] = formula

    facts = _compute_derived(facts, formulas, problems)
    return FactSet(frozen_mapping(facts), frozen_mapping(sources), path), problems


def _by_language(value: Any) -> tuple[tuple[str, str], ...]:
    """`note: {fr: …, en: …}`: ((language, text), …); () for a plain text."""
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        return tuple((str(k), v.strip()) for k, v in value.items())
    return ()


def _worded(fact: Fact, body: LineDict) -> Fact:
    """A fact whose `unit` or `note` is given per language ({fr: employés, en: employees}) keeps
    each wording; its `unit` and `note` stand as the first one's until `in_language` chooses."""
    units, notes = _by_language(body.get("unit")), _by_language(body.get("note"))
    if not units and not notes:
        return fact
    return replace(fact, unit=units[0][1] if units else fact.unit, note=notes[0][1] if notes else fact.note,
                   units=units, notes=notes)


def in_language(fact_set: FactSet, language: str) -> FactSet:
    """The facts as a story in `language` prints them: each unit and note in that language when
    facts.yaml gives it one, and each source's name, publisher and note likewise; values, dates,
    addresses and the sources themselves are the same in every language."""
    changed = {}
    for key, fact in fact_set.facts.items():
        unit, note = dict(fact.units).get(language, fact.unit), dict(fact.notes).get(language, fact.note)
        if (unit, note) != (fact.unit, fact.note):
            changed[key] = replace(fact, unit=unit, note=note)
    worded = {key: _source_in(source, language) for key, source in fact_set.sources.items() if source.wordings}
    if not changed and not worded:
        return fact_set
    return replace(fact_set, facts=frozen_mapping({**fact_set.facts, **changed}),
                   sources=frozen_mapping({**fact_set.sources, **worded}))


def _parse_sources(raw: Any, path: str, problems: list[Diagnostic]) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    if not isinstance(raw, LineDict):
        problems.append(error("facts-shape", "`sources:` must be a mapping of source keys",
                              SourceLocation(path, 1), "indent each source under `sources:`"))
        return sources
    for key, body in raw.items():
        where = SourceLocation(path, raw.line_of(key), raw.column_of(key))
        if not isinstance(body, LineDict):
            problems.append(error("source-shape", f"source '{key}' must be a mapping (name, publisher, url, date)",
                                  where, "indent its fields under the key"))
            continue
        for field in body:
            if field not in SOURCE_FIELDS:
                problems.append(error("source-field", f"unknown field '{field}' in source '{key}'",
                                      SourceLocation(path, body.line_of(field), body.column_of(field)),
                                      f"{did_you_mean(str(field), SOURCE_FIELDS)}a source has {', '.join(SOURCE_FIELDS)}"))
        url = as_text(body.get("url")).strip()
        if url and not re.match(r"^https?://", url, flags=re.I):
            problems.append(error("source-url", f"source '{key}' has a url that is not a web address: {url[:60]!r}",
                                  SourceLocation(path, body.line_of("url"), body.column_of("url")),
                                  "write the full address, starting with https://"))
            body = LineDict({k: v for k, v in body.items() if k != "url"})
        for required in ("name", "publisher"):
            if not _worded_text(body.get(required)).strip():
                problems.append(error("source-incomplete", f"source '{key}' has no {required}", where,
                                      f"add `{required}:` so readers know where the number comes from"))
        sources[str(key)] = _source(str(key), body, where)
    return sources


def _worded_text(value: Any) -> str:
    """A field's text, or its first wording when it is given per language."""
    wordings = _by_language(value)
    return wordings[0][1] if wordings else as_text(value)


def _source(key: str, body: LineDict, where: SourceLocation) -> Source:
    """A source; its `name`, `publisher` and `note` may each be given per language ({fr: …, en: …})."""
    wordings = tuple((field, _by_language(body.get(field))) for field in ("name", "publisher", "note")
                     if _by_language(body.get(field)))
    return Source(key, _worded_text(body.get("name")), _worded_text(body.get("publisher")),
                  as_text(body.get("url")), as_text(body.get("date")), where,
                  _worded_text(body.get("note")).strip(), as_text(body.get("language")).strip(), wordings)


def _source_in(source: Source, language: str) -> Source:
    if not source.wordings:
        return source
    return replace(source, **{field: dict(wordings).get(language, getattr(source, field))
                              for field, wordings in source.wordings})


def _parse_fact(key, body: LineDict, where, sources, path, problems, computed):
    """One fact's fields -> (Fact, (program, inputs, where) for a derived fact, else None)."""
    def at(field: str) -> SourceLocation:
        return SourceLocation(path, body.line_of(field), body.column_of(field)) if field in body else where

    unit, status, note, as_of = _common_fields(key, body, where, at, problems)
    if "formula" in body:
        return _parse_derived(key, body, where, at, (unit, status, note, as_of), path, problems)
    query = None
    if "query" in body:
        query, value = _parse_queried(key, body, at, problems, computed)
        status = status or "computed"
    else:
        value = _plain_value(key, body, where, at, problems)
    source_key = as_text(body.get("source"))
    if not source_key:
        problems.append(error("fact-no-source", f"fact '{key}' has no source", where,
                              "add `source:` with the key of an entry under `sources:` "
                              "(every number must say where it comes from)"))
    elif source_key not in sources:
        problems.append(error("source-unknown", f"fact '{key}' cites unknown source '{source_key}'", at("source"),
                              f"{did_you_mean(source_key, sources)}sources are defined under `sources:` in {path}"))
    if not as_of:
        problems.append(error("fact-no-date", f"fact '{key}' has no as_of date", where,
                              "add `as_of:` with the date the figure describes, e.g. `as_of: 2023-02-09`"))
    if not status:
        problems.append(error("fact-no-status", f"fact '{key}' has no status", where,
                              f"add `status:` with one of {', '.join(STATUSES)}"))
    elif status not in STATUSES:
        problems.append(_bad_status(key, status, at("status")))
    return Fact(key, value, unit, as_of, status, note, (source_key,) if source_key else (), where,
                query=query), None


def _parse_queried(key, body: LineDict, at, problems, computed):
    """A fact with `query:` (computed from a table of the story): (its Query, its value once run)."""
    if "value" in body:
        problems.append(error("fact-value-and-query", f"fact '{key}' has both a value and a query", at("value"),
                              "keep the query (the value is computed from the table) or the value"))
    query = queries.parse(f"fact '{key}'", body.get("query"), at("query"), problems)
    if query is not None and key in computed:
        value, query = computed[key]
        return query, value
    return query, None


def _common_fields(key, body: LineDict, where, at, problems) -> tuple[str, str, str, str]:
    """(unit, status, note, as_of) of any fact, plain or derived; unknown fields, a missing unit and
    a date that is not one are reported ("?" stands for a bad date of a plain fact)."""
    for field in body:
        if field not in FACT_FIELDS:
            problems.append(error("fact-field", f"unknown field '{field}' in fact '{key}'", at(field),
                                  f"{did_you_mean(str(field), FACT_FIELDS)}a fact has {', '.join(FACT_FIELDS)}"))
    if "unit" not in body:
        problems.append(error("fact-no-unit", f"fact '{key}' has no unit", where,
                              "add `unit:` (a currency code like USD, `percent`, or a word like `employés`; "
                              "`unit: \"\"` for a bare number)"))
    as_of = as_text(body.get("as_of")).strip()
    if as_of and not is_partial_date(as_of) or isinstance(body.get("as_of"), (list, dict, bool, float)):
        shown = as_text(body.get("as_of"))
        problems.append(error("fact-date", f"as_of of fact '{key}' must be a date like 2023-02-09, 2023-02 or 2023, "
                              f"not {shown[:60]!r}", at("as_of"),
                              "write the day the figure describes as YYYY-MM-DD, or only its month (YYYY-MM) "
                              "or year (YYYY) when the source gives no day"))
        as_of = "" if "formula" in body else "?"
    return as_text(body.get("unit")), as_text(body.get("status")), as_text(body.get("note")), as_of


def _parse_derived(key, body: LineDict, where, at, common, path, problems):
    """A fact with `formula:`: compiled here, computed once every fact is read (_compute_derived)."""
    unit, status, note, as_of = common
    text = as_text(body.get("formula"))
    if "value" in body:
        problems.append(error("fact-value-and-formula", f"fact '{key}' has both a value and a formula", at("value"),
                              "keep the formula (the value is computed) or the value (and drop the formula)"))
    if "source" in body:
        problems.append(error("fact-formula-source", f"derived fact '{key}' names a source", at("source"),
                              "a derived fact takes its sources from its inputs: remove `source:`"))
    try:
        program, inputs = compile_formula(text)
    except FormulaError as exc:
        loc = at("formula")
        problems.append(error("formula-syntax" if exc.code != "formula-too-deep" else exc.code,
                              f"formula of '{key}': {exc.message}",
                              SourceLocation(path, loc.line, loc.column + len("formula: ") + max(exc.column - 1, 0)),
                              exc.hint))
        return None, None
    if status and status not in STATUSES:
        problems.append(_bad_status(key, status, at("status")))
    fact = Fact(key, None, unit, as_of, status or "computed", note, (), where, text, inputs, program)
    return fact, (program, inputs, at("formula"))


def _plain_value(key, body: LineDict, where, at, problems):
    """The `value:` of a plain fact: a finite number small enough to print, else None (reported)."""
    value = body.get("value")
    if "value" not in body or value is None:
        problems.append(error("fact-no-value", f"fact '{key}' has no value", where,
                              "add `value:` with a number, or `formula:` to compute it from other facts"))
    elif _is_number(value) and abs(value) >= LARGEST:
        problems.append(error("fact-value-type", f"value of fact '{key}' is too large to print", at("value"),
                              "write it in a larger unit: `value: 2.5` with `unit: milliards de $`"))
        value = None
    elif not _is_number(value):
        shown = f"'{as_text(value)}' (a date)" if hasattr(value, "isoformat") else \
            str(value).lower() if isinstance(value, bool) else repr(value)
        problems.append(error("fact-value-type", f"value of fact '{key}' must be a number, not {shown}", at("value"),
                              "write the number alone, with a dot for decimals: `value: 700000`; "
                              "put the unit in `unit:`"))
        value = None
    return value


def is_partial_date(text: str) -> bool:
    """2023-02-09, 2023-02 or 2023: a day that exists, a month, or a year (from 1000 to 9999)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
    if not match or match.group(1) < "1000":
        return False
    try:
        dt.date(int(match.group(1)), int(match.group(2) or 1), int(match.group(3) or 1))
    except ValueError:
        return False
    return True


def _bad_status(key: str, status: str, where: SourceLocation) -> Diagnostic:
    return error("fact-status", f"fact '{key}' has unknown status '{status}'", where,
                 f"{did_you_mean(status, STATUSES)}use one of {', '.join(STATUSES)}")


def _compute_derived(facts: dict[str, Fact], formulas, problems: list[Diagnostic]) -> dict[str, Fact]:
    """Compute derived facts in dependency order; report unknown names and cycles once each.
    Each fact is visited once, without recursion, so a chain of thousands of formulas costs time
    linear in its length (and is then refused when too deep to write out, see `_written_out`)."""
    state: dict[str, str] = {}
    broken: set[str] = set()
    terms: dict[str, tuple[int, int]] = {}  # derived fact -> (terms, depth) written out in full
    for start in formulas:
        if start in state:
            continue
        state[start] = "active"
        path = [start]
        stack = [iter(formulas[start][1])]
        while stack:
            key = path[-1]
            for name in stack[-1]:
                if name in formulas and name not in state and name in facts:
                    state[name] = "active"
                    path.append(name)
                    stack.append(iter(formulas[name][1]))
                    break
                _check_input(key, name, facts, formulas, state, path, broken, problems)
            else:
                stack.pop()
                path.pop()
                state[key] = "done"
                _finish_derived(key, facts, formulas, broken, terms, problems)
    return facts


def _check_input(key, name, facts, formulas, state, path, broken: set, problems: list[Diagnostic]) -> None:
    """An input of `key`'s formula already visited or not a fact: an unknown name, or a cycle back
    to a fact being computed (the path from it is the cycle)."""
    if name not in facts:
        problems.append(error("formula-unknown-name", f"formula of '{key}' uses unknown fact '{name}'",
                              formulas[key][2], f"{did_you_mean(name, facts)}facts are the keys under `facts:`"))
        broken.add(key)
    elif name in formulas and state.get(name) == "active":
        cycle = path[path.index(name):] + [name]
        shown = cycle if len(cycle) <= 12 else cycle[:5] + [f"… {len(cycle) - 10} more …"] + cycle[-5:]
        problems.append(error("fact-cycle", "derived facts depend on each other in a cycle: "
                              f"{' -> '.join(shown)}", formulas[cycle[0]][2],
                              "one of these facts must have a plain `value:` instead of a formula"))
        broken.update(cycle)


def _finish_derived(key, facts, formulas, broken: set, terms: dict, problems: list[Diagnostic]) -> None:
    """Compute one derived fact whose inputs are all computed (or broken, and then so is it)."""
    program, inputs, where = formulas[key]
    if any(name in broken for name in inputs if name in formulas):
        broken.add(key)
    if key in broken:
        return
    size = _written_out(program, terms)
    terms[key] = size
    if size[0] > MAX_FORMULA_TERMS or size[1] > MAX_FORMULA_DEPTH:
        what = f"hold {size[0]:,} terms (at most {MAX_FORMULA_TERMS:,})" if size[0] > MAX_FORMULA_TERMS \
            else f"be nested {size[1]:,} levels deep (at most {MAX_FORMULA_DEPTH})"
        problems.append(error("formula-too-deep", f"formula of '{key}' is too deep: written out with the formulas "
                              f"of the facts it is derived from, it would {what}", where,
                              "give one of the facts it is derived from a plain `value:`, "
                              "or derive it in fewer steps"))
        broken.add(key)
        return
    values = {name: facts[name].value for name in inputs}
    if any(v is None for v in values.values()):
        broken.add(key)
        return
    try:
        value = evaluate(program, values)
        if abs(value) >= LARGEST:
            raise FormulaError("the result is too large to print", 0, "divide it into a larger unit")
    except FormulaError as exc:
        problems.append(error("formula-math", f"formula of '{key}': {exc.message}", where, exc.hint))
        broken.add(key)
        return
    sources = tuple(dict.fromkeys(s for name in inputs for s in facts[name].sources))
    as_of = facts[key].as_of or max((facts[name].as_of for name in inputs), default="")
    facts[key] = replace(facts[key], value=value, as_of=as_of, sources=sources, inputs=inputs, program=program)


def _written_out(program: Any, terms: Mapping[str, tuple[int, int]]) -> tuple[int, int]:
    """(terms, depth) of a formula tree once its derived inputs are replaced by their formulas,
    from what is known of them (`terms`): no tree is ever built."""
    op = program[0]
    if op == "num":
        return 1, 1
    if op == "fact":
        return terms.get(program[1], (1, 1))
    parts = program[2] if op == "call" else program[1:]
    measured = [_written_out(part, terms) for part in parts]
    return 1 + sum(m[0] for m in measured), 1 + max(m[1] for m in measured)
