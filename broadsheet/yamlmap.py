"""YAML that remembers where each key was written, and refuses duplicate keys.

PyYAML silently keeps the last of two equal keys and forgets line numbers; authors need both
(an error must point at `facts.yaml:14`). Mappings come back as `LineDict`, a dict that also
knows the line of each of its keys.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from .diagnostics import Diagnostic, SourceLocation, error

# What a YAML file may grow into once its aliases (`*name`) are expanded: values, lists and
# mappings counted as if each alias were written out. An alias "bomb" (a list of nine aliases of
# a list of nine aliases...) is a few lines that expand to billions of values; it is refused,
# in time linear in the file, before anything is built from it. Written out, 200,000 values are a
# facts file of about 25,000 facts: far more than any story needs. Change it here.
MAX_NODES = 200_000


class LineDict(dict):
    """A dict plus `key_lines[key] -> (line, column)` (1-based) and its own `line`."""

    line: int = 0
    column: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key_lines: dict = {}

    def line_of(self, key) -> int:
        return self.key_lines.get(key, (self.line, 0))[0]

    def column_of(self, key) -> int:
        return self.key_lines.get(key, (self.line, 0))[1]


@dataclass(frozen=True)
class YamlResult:
    data: object
    diagnostics: tuple[Diagnostic, ...]


class _DuplicateKey(Exception):
    def __init__(self, key, line, column, first_line):
        self.key, self.line, self.column, self.first_line = key, line, column, first_line


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when present: 10x faster
    """SafeLoader whose mappings are LineDicts and whose duplicate keys are errors."""

    def construct_object(self, node, deep=False):
        """A value PyYAML cannot build (2023-02-30, `!!int x`, a 5000-digit number) becomes an error
        at its line instead of an exception."""
        try:
            return super().construct_object(node, deep)
        except (yaml.YAMLError, _DuplicateKey):
            raise
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError, RecursionError) as exc:
            shown = str(getattr(node, "value", ""))[:40] if isinstance(getattr(node, "value", None), str) else ""
            what = "not a real date" if "day is out of range" in str(exc) or "month must be" in str(exc) \
                or "hour must be" in str(exc) else f"cannot be read ({exc})"[:120]
            raise yaml.constructor.ConstructorError(None, None, f"'{shown}' is {what}" if shown else what,
                                                    node.start_mark) from None


def _as_written_when_sexagesimal(default):
    """YAML 1.1 reads `1:20` as 80 (base 60) and `10:30` as 630: such a scalar stays the text the
    author typed (a value that is not a number is then reported as such)."""
    def construct(loader: _Loader, node: yaml.ScalarNode):
        if ":" in node.value:
            return node.value
        return default(loader, node)
    return construct


_Loader.add_constructor("tag:yaml.org,2002:int", _as_written_when_sexagesimal(yaml.SafeLoader.construct_yaml_int))
_Loader.add_constructor("tag:yaml.org,2002:float",
                        _as_written_when_sexagesimal(yaml.SafeLoader.construct_yaml_float))


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.column = node.start_mark.column + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key_node, yaml.ScalarNode):
            key = key_node.value  # a key is the text as written: `yes`, `on`, `1:20`, `2023-01-01`, `0x10`
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain name, not a list or mapping",
                                                    key_node.start_mark)
        where = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        if key in result:
            raise _DuplicateKey(key, where[0], where[1], result.key_lines[key][0])
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = where
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load(text: str, path: str, line_offset: int = 0) -> YamlResult:
    """Parse YAML text from `path`; problems come back as diagnostics, never as exceptions.

    `line_offset` is the number of lines before `text` in the file (front matter starts at 1).
    """
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            too_large = _too_large(node) if node is not None else None
            if too_large is not None:
                return YamlResult(None, (_alias_error(too_large, path, line_offset),))
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except _DuplicateKey as dup:
        where = SourceLocation(path, dup.line + line_offset, dup.column)
        return YamlResult(None, (error(
            "yaml-duplicate-key", f"key '{dup.key}' is defined twice (first on line {dup.first_line + line_offset})",
            where, "YAML keeps only the last one: rename or remove one of them"),))
    except yaml.MarkedYAMLError as exc:
        return YamlResult(None, (_syntax_error(exc, path, line_offset),))
    except RecursionError:
        return YamlResult(None, (error("yaml-syntax", "invalid YAML: nested too deeply", SourceLocation(path, 1),
                                       "flatten the structure"),))
    except yaml.YAMLError as exc:  # errors without a mark
        return YamlResult(None, (error("yaml-syntax", f"invalid YAML: {exc}", SourceLocation(path, 1),
                                       "check the file's syntax"),))
    return YamlResult(_shift_lines(data, line_offset) if line_offset else data, ())


def _alias_error(too_large, path: str, line_offset: int) -> Diagnostic:
    where, looped = too_large
    return error(
        "yaml-too-large", "this value refers to itself through an alias" if looped else
        f"aliases expand this value into more than {MAX_NODES:,} values",
        SourceLocation(path, where.line + 1 + line_offset, where.column + 1),
        "write the values out instead of repeating them with `*aliases`"
        if not looped else "an alias (`*name`) cannot point inside its own anchor (`&name`)")


def _syntax_error(exc: yaml.MarkedYAMLError, path: str, line_offset: int) -> Diagnostic:
    """PyYAML's message, said in the author's terms, at the line where the author must look."""
    problem = (exc.problem or exc.context or "invalid YAML").strip()
    context = (exc.context or "").strip()
    # Where the author must look: an unclosed quote or bracket is found at the end of the file,
    # a missing colon on the next line; the context mark points at the opening instead.
    opening = exc.context_mark is not None and (
        "end of stream" in problem or "flow" in context or "quoted scalar" in context
        or "simple key" in context)
    mark = exc.context_mark if opening else (exc.problem_mark or exc.context_mark)
    line = mark.line + 1 + line_offset if mark else 0
    column = mark.column + 1 if mark else 0
    if "could not determine a constructor for the tag" in problem:
        tag = (exc.problem or "").rsplit("tag", 1)[-1].strip(" '")
        tag = "!!" + tag.split("2002:", 1)[1] if "2002:" in tag else tag
        return error(
            "yaml-tag", f"YAML tags are not allowed: {tag[:60]!r}", SourceLocation(path, line, column),
            "remove the tag (the word starting with `!` or `!!`) and write a plain value; "
            "to keep `!` as text, quote the whole value")
    if "quoted scalar" in context:
        problem = "a quote opened here is never closed"
    elif "flow" in context:
        problem = "a bracket opened here is never closed"
    elif "simple key" in context:
        problem = "this line lacks the colon of `key: value`"
    elif "expected <block end>" in context or "expected <block end>" in problem \
            or "did not find expected key" in problem:
        problem = "this line is not indented like the lines around it, or lacks a `key: value` colon"
    elif "mapping values are not allowed" in problem:
        problem = "this line is indented deeper than a key can be here, or a value holds ': ' unquoted"
    return error(
        "yaml-syntax", f"invalid YAML: {problem}", SourceLocation(path, line, column),
        "check the indentation and the colon on this line and the one above; "
        "text holding ': ' or starting with a quote must be quoted whole")


def _too_large(root: yaml.Node):
    """(mark, refers to itself) of the smallest value that aliases make too large, or None.
    Each node is measured once (an alias is the same node met again), so this is linear in the
    file whatever the value would expand to."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            active.discard(key)
            if isinstance(node, yaml.MappingNode):
                children = [part for pair in node.value for part in pair]
            else:
                children = node.value
            size = 1 + sum(sizes[id(child)] for child in children)
            if size > MAX_NODES:
                return node.start_mark, False
            sizes[key] = size
            continue
        if key in sizes:
            continue
        if key in active:
            return node.start_mark, True
        if isinstance(node, yaml.ScalarNode):
            sizes[key] = 1
            continue
        active.add(key)
        stack.append((node, True))
        children = [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else node.value
        for child in reversed(children):
            if id(child) in active:
                return child.start_mark, True
            if id(child) not in sizes:
                stack.append((child, False))
    return None


def _shift_lines(data, offset: int):
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: (line + offset, col) for k, (line, col) in data.key_lines.items()}
        for value in data.values():
            _shift_lines(value, offset)
    elif isinstance(data, list):
        for value in data:
            _shift_lines(value, offset)
    return data


def as_text(value) -> str:
    """A scalar as the author meant it: dates as ISO strings, None as ''."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
