"""Markdown with Broadsheet's directives: `{fact:key}`, `{scenario:key}`, `{chart:id}`, `{literal:…}`.

Directives are found on the raw lines first (so every problem has its file:line:col), then
Python-Markdown renders the text with two callables the caller gives it: one that turns a fact
into HTML and one for a chart. This module knows nothing of facts or charts themselves.
"""
from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from typing import Callable, Iterator

import markdown
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor, SubstituteTagInlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from .diagnostics import Diagnostic, SourceLocation, did_you_mean, error, warning
from .foreign_syntax import ATTRIBUTES, EXPRESSION, foreign_divs, mkdocs_blocks_as_boxes
from .model import Directive, Step, StepBlock

DIRECTIVE = re.compile(r"\{([A-Za-z][\w-]*):([^{}\n]*)\}")
OPENING = re.compile(r"\{(fact|scenario|chart|literal|js)\b")
FACT_NAME = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?:\|([a-z]+))?$")
CHART_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
KINDS = ("fact", "scenario", "chart", "literal", "js")
FACT_STYLES = ("", "number", "compact")
UNSAFE_LINK = re.compile(r"(?:\]\(\s*<?|^\s*\[[^\]]+\]:\s*<?|<)((?:java|vb)script\\?:|data\\?:(?!image/))", re.I)  # `\:` is `:`
FENCE = re.compile(r"^(`{3,}|~{3,})")  # as Python-Markdown's fenced_code reads them: at the line's start
# Lists and quotes nest by indentation (4 spaces a level), `>` marks and list markers; Python-Markdown
# takes time quadratic in the depth and overflows Python's stack past a few hundred levels. Past this
# depth a text is refused (`markdown-too-deep`) before it is rendered. Change it here.
MAX_MARKDOWN_DEPTH = 50
BRACKET = re.compile(r"\\.|\]\(|[\[\])]")  # escapes first: `\[` is text, not a bracket
LIST_MARKER = re.compile(r"(?:^|(?<=[ >]))(?:[-*+]|\d{1,9}[.)])(?=[ \t])")
NESTING = re.compile(r"[ \t>]*+(?:(?:[-*+]|\d{1,9}[.)])[ \t]++[ \t>]*+)*+")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
LINK_TARGET = re.compile(r"\]\(\s*<?([^\s)>]*)|^\s*\[[^\]]*\]:\s*<?([^\s>]*)|<([a-z][a-z0-9+.-]*:[^\s>]*)>", re.I)
PLACEHOLDER = re.compile("\x02wzxhzdk:\\d+\x03")  # Python-Markdown's stash
TRAILING = re.compile(r"[,.;:!?…)»]+")  # marks held to the fact before them
TRAILING_SPACED = re.compile(r"[ \u00a0\u202f][;:!?»][,.;:!?…)»]*")  # French: "15 $ ?", "15 $ »"

# Month names of the languages newsrooms write in (a day number before one is part of a date).
MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
          "decembre|january|february|march|april|may|june|july|august|september|october|november|december|"
          "januar|jänner|februar|märz|maerz|juni|juli|oktober|dezember|"  # German (others as above)
          "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|"
          "gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|"  # Italian
          "janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"  # Portuguese
          "januari|februari|maart|mei|augustus")  # Dutch
ORDINAL_SUFFIXES = {"er", "re", "ère", "e", "ème", "eme", "nd", "nde", "d", "de", "st", "rd", "th"}
NUMERAL = re.compile(r"\d+(?:[.,\u00a0\u202f ]\d+)*")
# "1er janvier", "1. März" (German), "1 de marzo" (Spanish, Portuguese), "1 March"
DAY_BEFORE_MONTH = re.compile(r"^\s*(?:er\s+|\.\s*)?(?:de\s+)?(?:" + MONTHS + r")\b", re.IGNORECASE)
# Not prose: a link's address, a tag, a web address, a footnote mark, a list marker, a box's type, a
# reference link's label (`[the guide][2]`) and a reference definition line (`  [2]: https://…`).
NOT_PROSE = re.compile(r"\]\([^)]*\)|<[^>\n]+>|https?://\S+|\[\^[^\]]*\]|^\s*(?:\d+[.)]|[-*+])\s+|^\s*!!!.*?(?=\")"
                       r"|\]\[[^\]]*\]|^ {0,3}\[[^\]^][^\]]*\]:\s*\S.*$")


@dataclass(frozen=True)
class FrontMatter:
    text: str | None  # the YAML between the `---` lines, or None when there is none
    body: str
    body_offset: int  # lines of the file before the body


def split_front_matter(text: str, path: str) -> tuple[FrontMatter, list[Diagnostic]]:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return FrontMatter(None, text, 0), []
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            return FrontMatter("\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 1), []
    return FrontMatter(None, text, 0), [error(
        "front-matter-unclosed", "front matter is not closed", SourceLocation(path, 1, 1),
        "end the front matter with a line holding only `---`")]


NESTED_FENCE = re.compile(r"^((?: {4})+)(`{3,}|~{3,})[^`]*$")


def nested_fences(lines: list[str]) -> list[tuple[int, int, str]]:
    """(opening, closing, indent) of each fenced code block indented under a box or a list item
    (`!!! note` then `    ``` python`, as MkDocs writes it): closed at the same indent with the same
    marker, every line between indented as much or blank. Python-Markdown's fenced_code reads
    fences at the start of a line only; the renderer makes these indented code (see _NestedFences)
    and the checks read them as code."""
    found, index = [], 0
    while index < len(lines):
        opening = NESTED_FENCE.match(lines[index])
        if opening:
            indent, marker = opening.group(1), opening.group(2)
            for end in range(index + 1, len(lines)):
                if lines[end].rstrip(" ") == indent + marker:
                    found.append((index, end, indent))
                    index = end
                    break
                if lines[end].strip() and not lines[end].startswith(indent):
                    break
        index += 1
    return found


def _fenced_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks (a fence counts only once it is closed,
    with the same marker, as Python-Markdown's fenced_code reads it), and of those indented under
    a box or a list item (nested_fences)."""
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening:
            marker = opening.group(1)
            closing = next((j for j in range(index + 1, len(lines)) if lines[j].rstrip(" ") == marker), None)
            if closing is not None:
                inside.update(range(index, closing + 1))
                index = closing + 1
                continue
        index += 1
    outside = [line if index not in inside else "" for index, line in enumerate(lines)]
    for opening, closing, _ in nested_fences(outside):
        inside.update(range(opening, closing + 1))
    return inside


def prose_lines(text: str) -> Iterator[tuple[int, str]]:
    """(0-based line index, line with code spans blanked) for lines outside fenced code and other
    than the fence lines of other tools' blocks (`::: {.callout-note}`, foreign_syntax.py)."""
    lines = text.split("\n")
    fenced = _fenced_lines(lines) | foreign_divs(lines)
    for index, line in enumerate(lines):
        if index in fenced:
            continue
        line = line.replace("\\`", "  ")  # an escaped backtick opens no code span
        yield index, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


def scan_nesting(lines, path: str, line_offset: int) -> list[Diagnostic]:
    """The first line whose lists or quotes nest deeper than MAX_MARKDOWN_DEPTH (one pass, linear)."""
    for index, line in lines:
        start = NESTING.match(line).group(0)
        if len(start) < MAX_MARKDOWN_DEPTH:
            continue
        head = start.expandtabs(4)
        depth = head.count(">") + len(LIST_MARKER.findall(head)) + (len(head) - len(head.lstrip(" "))) // 4
        if depth > MAX_MARKDOWN_DEPTH:
            return [error("markdown-too-deep", f"lists or quotes are nested {depth} levels deep here "
                          f"(at most {MAX_MARKDOWN_DEPTH})", SourceLocation(path, index + 1 + line_offset, 1),
                          "flatten the nesting (a few levels are plenty); text indented this far "
                          "is read as nested lists or code")]
    return []


def scan_brackets(lines, path: str, line_offset: int) -> list[Diagnostic]:
    """The first place where a paragraph holds more than MAX_MARKDOWN_DEPTH `[` (or link addresses
    `](`) still open: Python-Markdown looks for the end of each from each, in time quadratic in
    their number (4,000 of them took 20 s). One pass, linear."""
    opened = addresses = 0
    for index, line in lines:
        if not line.strip():
            opened = addresses = 0
            continue
        for match in BRACKET.finditer(line):
            token = match.group(0)
            if token == "[":
                opened += 1
            elif token in ("]", "]("):
                opened = max(0, opened - 1)
                addresses += token == "]("
            elif token == ")":
                addresses = max(0, addresses - 1)
            if opened > MAX_MARKDOWN_DEPTH or addresses > MAX_MARKDOWN_DEPTH:
                what = "`[`" if opened > MAX_MARKDOWN_DEPTH else "link addresses `](`"
                return [error("markdown-too-deep", f"this paragraph opens more than {MAX_MARKDOWN_DEPTH} {what} "
                              "without closing them", SourceLocation(path, index + 1 + line_offset, match.start() + 1),
                              "close each `[` with `]` and each `](` with `)`; a bracket meant as text is written `\\[`")]
    return []


IMAGE_NO_ALT = re.compile(r"!\[\s*\]\(")


def scan_images(text: str, path: str, line_offset: int) -> list[Diagnostic]:
    """An image with no description (`![](media/photo.jpg)`): readers who cannot see it get nothing."""
    return [warning("image-no-alt", "this image has no description", SourceLocation(path, index + 1 + line_offset,
                                                                                     match.start() + 1),
                    "write what the picture shows between the brackets: ![Des annotateurs au travail à Nairobi]"
                    "(media/photo.jpg)")
            for index, line in prose_lines(text) for match in IMAGE_NO_ALT.finditer(line)]


def scan_directives(text: str, path: str, line_offset: int) -> tuple[tuple[Directive, ...], list[Diagnostic]]:
    """Every directive in a Markdown text, and the problems with their spelling (and a text nested
    too deeply to render, see `scan_nesting`)."""
    found: list[Directive] = []
    problems: list[Diagnostic] = scan_nesting(prose_lines(text), path, line_offset) \
        or scan_brackets(prose_lines(text), path, line_offset)
    for index, line in prose_lines(text):
        lineno = index + 1 + line_offset
        closed_spans = []
        for match in DIRECTIVE.finditer(line):
            closed_spans.append(match.span())
            kind, name = match.group(1), match.group(2).strip()
            where = SourceLocation(path, lineno, match.start() + 1)
            if kind not in KINDS:
                problems.append(error("directive-unknown", f"unknown directive '{{{kind}:'", where,
                                      f"{did_you_mean(kind, KINDS)}Broadsheet knows {{fact:key}}, {{scenario:key}}, "
                                      "{chart:id}, {literal:text} and {js:text}; to show braces, put the text in "
                                      "`backticks`"))
                continue
            if kind in ("literal", "js"):
                continue
            if kind in ("fact", "scenario"):
                parsed = FACT_NAME.match(name)
                if not parsed:
                    problems.append(error("directive-syntax", f"'{match.group(0)}' is not a fact reference", where,
                                          f"write {{{kind}:key}} or {{{kind}:key|number}} / {{{kind}:key|compact}}"))
                    continue
                style = parsed.group(2) or ""
                if style not in FACT_STYLES:
                    problems.append(error("fact-style", f"unknown fact format '{style}'", where,
                                          f"{did_you_mean(style, FACT_STYLES)}formats are |number and |compact"))
                    continue
                found.append(Directive(kind, parsed.group(1), style, where))
            else:
                if not CHART_NAME.match(name):
                    problems.append(error("directive-syntax", f"'{match.group(0)}' is not a chart reference", where,
                                          "write {chart:id} where charts/id.py or charts/id.vl.json exists"))
                    continue
                if line.strip() != match.group(0):
                    problems.append(error("chart-inline", f"chart '{name}' must stand alone on its line", where,
                                          "put {chart:" + name + "} on a line of its own, with blank lines around it"))
                    continue
                found.append(Directive("chart", name, "", where))
        for match in LINK_TARGET.finditer(line):
            group = next(g for g in (1, 2, 3) if match.group(g) is not None)
            for inner in DIRECTIVE.finditer(line, match.start(group), match.end(group)):
                if inner.group(1) in KINDS:
                    problems.append(error("directive-in-link", f"'{inner.group(0)}' is written in a link's address",
                                          SourceLocation(path, lineno, inner.start() + 1),
                                          "a fact cannot be a link address: put it in the link's text, "
                                          "[{fact:key}](https://…), or outside the link"))
        for match in UNSAFE_LINK.finditer(line):
            problems.append(error("link-unsafe", f"link '{match.group(1)[:40]}…' would run code in readers' browsers",
                                  SourceLocation(path, lineno, match.start(1) + 1),
                                  "link to a web address (https://…) or to a page of the site"))
        for match in OPENING.finditer(line):
            if not any(start <= match.start() < end for start, end in closed_spans):
                problems.append(error("directive-syntax", f"'{{{match.group(1)}' is not closed", SourceLocation(
                    path, lineno, match.start() + 1), "close it on the same line: {" + match.group(1) + ":name}"))
    return tuple(found), problems + scan_scenario_mixing(found, text, line_offset)


def scan_scenario_mixing(found, text: str, line_offset: int) -> list[Diagnostic]:
    """A paragraph (lines up to a blank one) holding both a reader's value ({scenario:…}) and a
    sourced fact ({fact:…}): the reader would read their own number beside a source's, as if the
    source had said it. Each is the reader's or the source's, in paragraphs of their own."""
    if not any(directive.kind == "scenario" for directive in found):
        return []
    blank = [index + 1 + line_offset for index, line in enumerate(text.split("\n")) if not line.strip()]
    paragraphs: dict[int, list[Directive]] = {}
    for directive in found:
        if directive.kind in ("fact", "scenario"):  # paragraph = the number of blank lines before it
            paragraphs.setdefault(bisect.bisect_left(blank, directive.location.line), []).append(directive)
    problems = []
    for directives in paragraphs.values():
        scenario = next((d for d in directives if d.kind == "scenario"), None)
        if scenario is None:
            continue
        for fact in (d for d in directives if d.kind == "fact"):
            problems.append(error("scenario-mixed", f"{{fact:{fact.name}}} (a published figure, with its source) is in "
                                  f"the same paragraph as {{scenario:{scenario.name}}} (the reader's own scenario)",
                                  fact.location, "keep the sourced sentence in a paragraph of its own; the scenario's "
                                  "paragraph holds only {scenario:…} values and words, with a blank line between them"))
    return problems


def scan_bare_numbers(text: str, path: str, line_offset: int) -> list[Diagnostic]:
    """Numerals in prose that are not facts: readers cannot see where they come from.

    Years, day numbers in dates, ordinals (1er, 2e), names with digits (A100, GPT-4), headings
    and anything inside a directive or code are not counted.
    """
    problems = []
    for index, line in prose_lines(text):
        if line.lstrip().startswith("#") or STEPS_OPEN.match(line):
            continue
        if STEP_OPEN.match(line):  # a step's settings are values of the chart's params; its alt text is prose
            alt = re.search(r'\balt\s*=\s*"[^"]*"', line)
            line = " " * alt.start() + alt.group(0) + " " * (len(line) - alt.end()) if alt else ""
        line = DIRECTIVE.sub(lambda m: " " * len(m.group(0)), line)
        line = NOT_PROSE.sub(lambda m: " " * len(m.group(0)), line)
        line = EXPRESSION.sub(lambda m: " " * len(m.group(0)), ATTRIBUTES.sub(lambda m: " " * len(m.group(0)), line))
        for match in NUMERAL.finditer(line):
            start, end, token = match.start(), match.end(), match.group(0).rstrip(" \u00a0\u202f")
            before = line[start - 1] if start else " "
            before2 = line[start - 2] if start > 1 else " "
            after = line[end:end + 1] if end < len(line) else " "
            if before.isalpha() or before in "_/#@" or (before == "-" and before2.isalpha()):
                continue  # part of a name: A100, GPT-4, #3
            glued = re.match(r"[^\W\d_]+", line[end:])
            if glued and glued.group(0).lower() in ORDINAL_SUFFIXES:
                continue  # an ordinal: 1er, 2e, XIXe, 3rd
            if after == "_":
                continue
            plain = token.replace(" ", "")
            if plain.isdigit() and len(plain) == 4 and 1800 <= int(plain) <= 2100:
                continue
            if plain.isdigit() and len(plain) <= 2 and 1 <= int(plain) <= 31 and DAY_BEFORE_MONTH.match(line[end:]):
                continue
            problems.append(warning(
                "number-bare", f"number '{token}' in the text is not a fact", SourceLocation(path, index + 1 + line_offset,
                                                                                            start + 1),
                "define it in facts.yaml with its source and write {fact:key}; "
                "if it really needs no source, write {literal:" + token + "}"))
    return problems


STEPS_OPEN = re.compile(r"^:::\s*steps\b\s*(.*?)\s*$")
STEP_OPEN = re.compile(r"^:::\s*step\b(.*)$")
STEPS_CLOSE = re.compile(r"^:::\s*$")
STEP_SETTING = re.compile(r'\s*([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|(\S+))')


def _step_settings(rest: str, where: SourceLocation, column: int, problems: list[Diagnostic]):
    """`name=value name="two words"` -> [(name, value, where)]; what is not such a pair is an error."""
    settings, position = [], 0
    while rest[position:].strip():
        match = STEP_SETTING.match(rest, position)
        if match is None:
            problems.append(error("steps-syntax", f"'{rest[position:].strip()}' is not a setting of the step",
                                  SourceLocation(where.path, where.line, column + position + 1),
                                  'write name=value pairs after `::: step`: a param of the chart (focus=Kenya, '
                                  'zoom=12), chart=<id> for another chart, alt="…" for the picture\'s alt text; '
                                  'quote a value with spaces'))
            return settings
        value = match.group(2) if match.group(2) is not None else match.group(3)
        settings.append((match.group(1), value, SourceLocation(where.path, where.line, column + match.start(1) + 1)))
        position = match.end()
    return settings


def scan_steps(text: str, path: str, line_offset: int) -> tuple[tuple[StepBlock, ...], list[Diagnostic]]:
    """The scrolly blocks of a text (`::: steps chart`, then `::: step …` headers, then `:::`) and
    the problems with their shape: a block with fewer than two steps, a step with no text, no alt
    text, text before the first step, a block left open. Whether the chart has the params the
    steps set is checked once charts are compiled (steps.py)."""
    blocks: list[StepBlock] = []
    problems: list[Diagnostic] = []
    block = None  # [chart, where, steps, current step (dict) or None, loose text lines]
    for index, line in prose_lines(text):
        where = SourceLocation(path, index + 1 + line_offset, 1)
        opening, step, closing = STEPS_OPEN.match(line), STEP_OPEN.match(line), STEPS_CLOSE.match(line)
        if opening:
            if block is not None:
                problems.append(_unclosed(block))
            chart = opening.group(1)
            if not CHART_NAME.match(chart):
                problems.append(error("steps-syntax", f"`::: steps` names no chart ('{chart}')", where,
                                      "write `::: steps <chart id>`, the id of a file of charts/"))
            block = [chart, where, [], None, []]
        elif block is None and (step or closing):
            problems.append(error("steps-syntax", "`" + line.strip() + "` outside a block of steps", where,
                                  "open the block with `::: steps <chart id>` before its first `::: step`"))
        elif step:
            _end_step(block, problems)
            rest = step.group(1)
            settings = _step_settings(rest, where, len(line) - len(rest), problems)
            block[3] = {"where": where, "settings": settings, "lines": [], "first": None}
        elif closing:
            _end_step(block, problems)
            blocks.append(_close(block, problems))
            block = None
        elif block is not None:
            if block[3] is not None:
                block[3]["lines"].append(line if "`" not in line else text.split("\n")[index])
                if line.strip() and block[3]["first"] is None:
                    block[3]["first"] = index
            elif line.strip():
                problems.append(error("steps-syntax", "text in a block of steps before its first step", where,
                                      "start each step with a line `::: step name=value …`, then its paragraphs"))
    if block is not None:
        problems.append(_unclosed(block))
    return tuple(blocks), problems


def _unclosed(block) -> Diagnostic:
    return error("steps-unclosed", f"the block of steps on chart '{block[0]}' is not closed", block[1],
                 "end the block with a line holding only `:::`")


def _end_step(block, problems: list[Diagnostic]) -> None:
    step = block[3]
    if step is None:
        return
    block[3] = None
    settings = [s for s in step["settings"] if s[0] not in ("chart", "alt")]
    chart = next((value for name, value, _ in step["settings"] if name == "chart"), block[0])
    alt = next((value for name, value, _ in step["settings"] if name == "alt"), "")
    text = "\n".join(step["lines"]).strip("\n")
    if not text.strip():
        problems.append(error("steps-no-text", "this step has no text", step["where"],
                              "write the paragraph(s) the reader reads while the chart shows this state, "
                              "under the `::: step` line"))
    if not alt.strip():
        problems.append(error("steps-no-alt", "this step's picture has no alt text", step["where"],
                              'add alt="…" to the `::: step` line: one sentence saying what the chart shows '
                              "in this state, for readers who cannot see it"))
    block[2].append(Step(chart, tuple(settings), alt, text, step["where"]))


def _close(block, problems: list[Diagnostic]) -> StepBlock:
    if len(block[2]) < 2:
        problems.append(error("steps-one-step", f"the block of steps on chart '{block[0]}' has "
                              f"{len(block[2])} step{'s' if len(block[2]) != 1 else ''}", block[1],
                              "a block walks through at least two states of the chart; for one state, place "
                              "the chart with {chart:" + block[0] + "} and write the text around it"))
    return StepBlock(block[0], tuple(block[2]), block[1])


class _StepBlocks(Preprocessor):
    """A block of steps becomes raw HTML around each step's paragraphs, which stay Markdown:
    `steps_html(part, block number, step number)` gives the HTML of each part ("open", "step",
    "end-step", "close"). Blocks are numbered in text order, as scan_steps found them."""

    def __init__(self, md, steps_html):
        super().__init__(md)
        self.steps_html = steps_html

    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        block, step = -1, -1
        inside = False
        for line in lines:
            if STEPS_OPEN.match(line):
                block, step, inside = block + 1, -1, True
                out.extend(self._html("open", block, step))
            elif inside and STEP_OPEN.match(line):
                if step >= 0:
                    out.extend(self._html("end-step", block, step))
                step += 1
                out.extend(self._html("step", block, step))
            elif inside and STEPS_CLOSE.match(line):
                if step >= 0:
                    out.extend(self._html("end-step", block, step))
                out.extend(self._html("close", block, step))
                inside = False
            else:
                out.append(line)
        return out

    def _html(self, part: str, block: int, step: int) -> list[str]:
        return ["", self.md.htmlStash.store(self.steps_html(part, block, step)), ""]


class _ForeignDivs(Preprocessor):
    """The fence lines of other tools' blocks are left out (their paragraphs stay), and MkDocs'
    folded boxes and tabs are drawn as boxes, as the build warned (foreign_syntax.py); code fences
    are stashed before this runs."""

    def run(self, lines: list[str]) -> list[str]:
        lines = mkdocs_blocks_as_boxes(lines)
        dropped = foreign_divs(lines)
        return [line for index, line in enumerate(lines) if index not in dropped] if dropped else lines


class _NestedFences(Preprocessor):
    """A fenced code block indented under a box or a list item (nested_fences) becomes an indented
    code block there: its fence lines blank, its lines four spaces further in."""

    def run(self, lines: list[str]) -> list[str]:
        out = list(lines)
        for opening, closing, indent in nested_fences(lines):
            out[opening] = out[closing] = ""
            for index in range(opening + 1, closing):
                out[index] = indent + "    " + lines[index][len(indent):] if lines[index].strip() else ""
        return out


class _ChartBlocks(Preprocessor):
    """Lines holding only {chart:id} become raw HTML blocks."""

    def __init__(self, md, chart_html: Callable[[str], str]):
        super().__init__(md)
        self.chart_html = chart_html

    def run(self, lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            match = DIRECTIVE.fullmatch(line.strip())
            if match and match.group(1) == "chart":
                out.extend(["", self.md.htmlStash.store(self.chart_html(match.group(2).strip())), ""])
            else:
                out.append(line)
        return out


class _InlineDirective(InlineProcessor):
    def __init__(self, md, fact_html: Callable[[str, str], str], typography=None, fact_text=None, texts=None,
                 scenario_html=None, scenarios=None):
        super().__init__(r"\{(fact|scenario|literal|js):([^{}\n]*)\}", md)
        self.fact_html = fact_html
        self.scenario_html = scenario_html or (lambda key, style: html.escape(self.fact_text(key, style)))
        self.scenarios = scenarios if scenarios is not None else set()  # placeholders of the reader's values
        self.typography = typography
        self.fact_text = fact_text or (lambda key, style: re.sub(r"<[^>]*>", "", fact_html(key, style)))
        self.texts = texts if texts is not None else {}  # placeholder -> the same as plain text

    def handleMatch(self, m, data):  # noqa: N802 - Python-Markdown's name
        if m.group(1) in ("literal", "js"):  # {js:…}: words shown only with JavaScript (see controls.py)
            text = self.typography(m.group(2), data[m.start(0) - 1:m.start(0)] or " ") \
                if m.group(1) == "js" and self.typography else m.group(2)
            shown = html.escape(text) if m.group(1) == "literal" else f'<span class="js-only">{html.escape(text)}</span>'
            placeholder = self.md.htmlStash.store(shown)
            self.texts[placeholder] = text
            return placeholder, m.start(0), m.end(0)
        parsed = FACT_NAME.match(m.group(2).strip())
        if parsed is None:  # the checks reported it; here it stays text
            return None, None, None
        scenario = m.group(1) == "scenario"
        html_ = (self.scenario_html if scenario else self.fact_html)(parsed.group(1), parsed.group(2) or "")
        end = m.end(0)
        # A fact is a button, and Chromium may break a line after a button even before a comma
        # or a no-break space, leaving ", " or " ?" at the start of the next line (a word joiner
        # does not stop it). The punctuation that follows goes with the fact in an unbreakable span.
        glued = TRAILING.match(data, end) or (self.typography and TRAILING_SPACED.match(data, end))
        if glued:
            text = self.typography(glued.group(0), "x") if self.typography else glued.group(0)
            html_ = f'<span class="nowrap">{html_}{html.escape(text, quote=False)}</span>'
            end = glued.end()
        placeholder = self.md.htmlStash.store(html_)
        self.texts[placeholder] = lambda: self.fact_text(parsed.group(1), parsed.group(2) or "") + data[m.end(0):end]
        if scenario:
            self.scenarios.add(placeholder)
        return placeholder, m.start(0), end


class _ScenarioBlocks(Treeprocessor):
    """The block (paragraph, list item, cell…) holding a reader's value ({scenario:…}) is the
    reader's scenario: marked as such for the eye (a class and a label) and for screen readers (a
    polite live region: the new numbers are read out when a slider moves). Runs after the inline
    patterns, before typography (which then spaces the label's colon)."""

    BLOCKS = {"p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "div"}

    def __init__(self, md, scenarios: set, label: str):
        super().__init__(md)
        self.scenarios, self.label = scenarios, label

    def run(self, root):
        if not self.scenarios:
            return
        marked: dict = {}
        self._walk(root, None, marked)
        for block in marked.values():
            block.set("class", "scenario")
            block.set("aria-live", "polite")
            label = block.makeelement("span", {"class": "scenario-label"})
            label.text, label.tail, block.text = self.label, block.text, ""
            block.insert(0, label)

    def _holds(self, text) -> bool:
        return bool(text) and "\x02" in text and any(p in self.scenarios for p in PLACEHOLDER.findall(text))

    def _walk(self, element, block, marked: dict) -> None:
        if element.tag in self.BLOCKS:
            block = element
        if self._holds(element.text) and block is not None:
            marked[id(block)] = block
        for child in element:
            self._walk(child, block, marked)
            if self._holds(child.tail) and block is not None:
                marked[id(block)] = block


class _PlainAttributes(Treeprocessor):
    """A fact in an image's alt text or a link's title is printed there as plain text (an attribute
    cannot hold the fact's button); in a link's address it was reported (`directive-in-link`) and
    the address becomes '#'. Runs right after the inline patterns."""

    def __init__(self, md, texts: dict):
        super().__init__(md)
        self.texts = texts

    def run(self, root):
        if not self.texts:
            return
        for element in root.iter():
            for name, value in element.items():
                if "\x02" not in value:
                    continue
                if name in ("href", "src"):
                    if any(placeholder in value for placeholder in self.texts):
                        element.set(name, "#")
                    continue
                element.set(name, re.sub("\x02wzxhzdk:\\d+\x03", self._text, value))

    def _text(self, match: re.Match) -> str:
        text = self.texts.get(match.group(0))
        if text is None:
            return match.group(0)
        return text() if callable(text) else text


class _Typography(Treeprocessor):
    """Applies a language's typography to the text of the document, in reading order: never to
    code, never to attributes, never to stashed HTML (facts and charts are rendered by their own
    templates). Runs after the inline patterns (so code spans are elements) and after the table
    of contents has made the heading ids (so anchors do not change)."""

    SKIP = {"code", "pre", "kbd", "samp", "var", "script", "style", "math"}
    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "blockquote", "div",
              "ol", "ul", "table", "tr", "figcaption"}

    def __init__(self, md, typography: Callable[[str, str], str]):
        super().__init__(md)
        self.typography = typography

    def run(self, root):
        self._walk(root, " ")

    def _fix(self, text, before: str) -> tuple[str, str]:
        if not text:
            return text, before
        fixed = self.typography(text, before)
        if isinstance(text, AtomicString):
            fixed = AtomicString(fixed)
        return fixed, fixed[-1]

    def _walk(self, element, before: str) -> str:
        if element.tag in self.BLOCKS:
            before = " "
        if element.tag in self.SKIP:
            before = "x"  # code reads as a word: `x`?  gets its space before the mark
        else:
            element.text, before = self._fix(element.text, before)
            for child in element:
                before = self._walk(child, before)
                child.tail, before = self._fix(child.tail, before)
        return " " if element.tag in self.BLOCKS else before


class _Directives(Extension):
    def __init__(self, fact_html, chart_html, typography=None, fact_text=None, scenario_html=None,
                 scenario_label: str = "Your scenario: ", steps_html=None):
        super().__init__()
        self.fact_html, self.chart_html, self.typography, self.fact_text = fact_html, chart_html, typography, fact_text
        self.steps_html = steps_html
        self.scenario_html, self.scenario_label = scenario_html, scenario_label
        self.texts: dict = {}
        self.scenarios: set = set()

    def reset(self):
        self.texts.clear()
        self.scenarios.clear()

    def extendMarkdown(self, md):  # noqa: N802 - Python-Markdown's name
        md.registerExtension(self)
        md.preprocessors.register(_ForeignDivs(md), "broadsheet-foreign-divs", 22)  # after fences, before steps
        md.preprocessors.register(_NestedFences(md), "broadsheet-nested-fences", 23)  # after top-level fences
        md.preprocessors.register(_ChartBlocks(md, self.chart_html), "broadsheet-charts", 20)  # after fences
        if self.steps_html is not None:
            md.preprocessors.register(_StepBlocks(md, self.steps_html), "broadsheet-steps", 21)
        md.inlinePatterns.register(_InlineDirective(md, self.fact_html, self.typography, self.fact_text, self.texts,
                                                    self.scenario_html, self.scenarios), "broadsheet-inline", 175)
        md.treeprocessors.register(_PlainAttributes(md, self.texts), "broadsheet-attributes", 19)  # after inline
        md.treeprocessors.register(_ScenarioBlocks(md, self.scenarios, self.scenario_label), "broadsheet-scenarios", 18)
        if self.typography is not None:  # after inline (20) and toc (5), before unescape (0)
            md.treeprocessors.register(_Typography(md, self.typography), "broadsheet-typography", 3)


def make_renderer(fact_html: Callable[[str, str], str], chart_html: Callable[[str], str],
                  backlink_title: str = "Back to the text",
                  typography: Callable[[str, str], str] | None = None,
                  fact_text: Callable[[str, str], str] | None = None,
                  scenario_html: Callable[[str, str], str] | None = None,
                  scenario_label: str = "Your scenario: ", steps_html=None) -> Callable[[str], str]:
    """A Markdown (already checked) -> HTML function for one page's texts. Raw HTML written by
    authors is escaped, not trusted. One parser serves every text of the page (building one costs
    more than converting a section); footnote ids stay unique across them. `typography(text,
    character before)` is applied to the prose (French spaces, see typography.py). `fact_text(key,
    style)` is a fact as plain text, for where HTML cannot go (an image's alt text, a link's title).
    `scenario_html(key, style)` is a reader's value ({scenario:…}): no source, as it is the reader's;
    its block is labelled `scenario_label`. `steps_html` gives the HTML around scrolly steps
    (see _StepBlocks)."""
    md = markdown.Markdown(
        extensions=["tables", "admonition", "footnotes", "sane_lists", "toc", "fenced_code",
                    _Directives(fact_html, chart_html, typography, fact_text, scenario_html, scenario_label,
                                steps_html)],
        extension_configs={"toc": {"slugify": _slugify, "permalink": False},
                           "footnotes": {"UNIQUE_IDS": True, "BACKLINK_TITLE": backlink_title}},
        output_format="html",
    )
    # Pandoc and CommonMark (Quarto, R Markdown, Observable) escape any ASCII punctuation: `\$15`, `\^`
    md.ESCAPED_CHARS.extend(c for c in "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~" if c not in md.ESCAPED_CHARS)
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    # CommonMark's hard line break: a backslash ending a line inside a paragraph (before the escapes)
    md.inlinePatterns.register(SubstituteTagInlineProcessor(r"\\\n", "br"), "backslash-linebreak", 185)

    def convert(text: str) -> str:
        md.reset()
        return md.convert(text)

    return convert


def render(text: str, fact_html: Callable[[str, str], str], chart_html: Callable[[str], str],
           typography: Callable[[str, str], str] | None = None) -> str:
    """One Markdown text -> HTML (see make_renderer)."""
    return make_renderer(fact_html, chart_html, typography=typography)(text)


def _slugify(value: str, separator: str) -> str:
    import unicodedata
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(r"[\s_-]+", separator, value)
