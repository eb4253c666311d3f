"""Footnotes checked where they are written: a note that no mark in the text calls, and a mark
with no note.

Python-Markdown lists a note that nothing calls with a link back to a mark that is not there: the
build's link check then failed on that link, named in the templates, far from its cause. A mark
with no note is printed as it is (`[^source]`). Both are said at their line in the section; a note
nobody calls is left out of the page (its lines kept, blank, so later lines keep their numbers).
"""
from __future__ import annotations

import re

from .diagnostics import Diagnostic, SourceLocation, warning

NOTE = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:")
MARK = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+).*?\1")


def checked_notes(text: str, path: str, offset: int) -> tuple[str, list[Diagnostic]]:
    """The text without the notes no mark calls, and a warning for each of them and for each mark
    with no note."""
    if "[^" not in text:
        return text, []
    lines = text.split("\n")
    notes: dict[str, int] = {}
    marks: dict[str, int] = {}
    fenced_by = None
    for index, line in enumerate(lines):
        fence = FENCE.match(line)
        if fence and (fenced_by is None or fence.group(1)[0] == fenced_by[0]):
            fenced_by = None if fenced_by else fence.group(1)
            continue
        if fenced_by:
            continue
        note = NOTE.match(line)
        if note:
            notes.setdefault(note.group(1), index)
        for label in MARK.findall(CODE_SPAN.sub("", line[note.end():] if note else line)):
            marks.setdefault(label, index)
    problems = []
    for label, index in notes.items():
        if label not in marks:
            problems.append(warning("footnote-unused", f"note [^{label}] is called nowhere in the text: it is left "
                                    "out of the page", SourceLocation(path, index + 1 + offset, 1),
                                    f"put [^{label}] in the text where the note belongs, or delete the note"))
            _blank_note(lines, index)
    for label, index in marks.items():
        if label not in notes:
            column = lines[index].find(f"[^{label}]") + 1
            problems.append(warning("footnote-missing", f"[^{label}] calls no note: readers see it as it is "
                                    "written", SourceLocation(path, index + 1 + offset, column),
                                    f"write the note on a line of its own, \"[^{label}]: …\", or delete the mark"))
    return "\n".join(lines), problems


def _blank_note(lines: list[str], index: int) -> None:
    """The note at `index` blanked, with its indented continuation lines."""
    lines[index] = ""
    following = index + 1
    while following < len(lines) and (lines[following].startswith(("    ", "\t")) or (
            not lines[following].strip() and following + 1 < len(lines)
            and lines[following + 1].startswith(("    ", "\t")))):
        lines[following] = ""
        following += 1
