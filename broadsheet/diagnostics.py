"""Author-facing problems: where they are, what they are, how to fix them.

Every stage reports problems as `Diagnostic` values instead of raising, so a build can
show all of them at once (house rule 6). Only the CLI prints them.
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

ERROR = "error"
WARNING = "warning"
# Warnings about this machine, not the content (the cache): --strict does not make them errors,
# since the site built is whole and the same.
NOT_STRICT = frozenset({"cache-corrupt", "cache-unusable", "cache-remote-down", "cache-remote-corrupt"})


@dataclass(frozen=True, order=True)
class SourceLocation:
    """A place in a file of the project; `line` and `column` are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        text = self.path
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Diagnostic:
    severity: str
    code: str
    message: str
    location: SourceLocation
    hint: str = ""

    def counts_as_error(self, strict: bool = False) -> bool:
        """An error, or a warning under --strict (but for what `NOT_STRICT` names)."""
        return self.severity == ERROR or (strict and self.code not in NOT_STRICT)

    def render(self, *, strict: bool = False) -> str:
        severity = ERROR if self.counts_as_error(strict) else self.severity
        text = f"{self.location}: {severity}[{self.code}]: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def error(code: str, message: str, location: SourceLocation, hint: str = "") -> Diagnostic:
    return Diagnostic(ERROR, code, message, location, hint)


def warning(code: str, message: str, location: SourceLocation, hint: str = "") -> Diagnostic:
    return Diagnostic(WARNING, code, message, location, hint)


class BuildFailed(Exception):
    """Raised by the pipeline when author errors stop the build; carries every diagnostic."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...], strict: bool = False):
        super().__init__(f"{len(diagnostics)} problem(s)")
        self.diagnostics = diagnostics
        self.strict = strict


@dataclass
class Report:
    """Collects diagnostics from every stage; the one mutable thing passed around, on purpose."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(self, diagnostic: Diagnostic) -> None:
        self.items.append(diagnostic)

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    def errors(self, strict: bool = False) -> list[Diagnostic]:
        return [d for d in self.items if d.counts_as_error(strict)]

    def sorted(self) -> tuple[Diagnostic, ...]:
        unique = dict.fromkeys(self.items)  # keep one of each, first seen wins
        return tuple(sorted(unique, key=lambda d: (d.location, d.code, d.message)))


def summarize(diagnostics: Iterable[Diagnostic], *, strict: bool, wrote: bool) -> str:
    """The closing line under a list of problems: counts, files, and whether anything was written."""
    items = list(diagnostics)
    errors = [d for d in items if d.counts_as_error(strict)]
    warnings = [d for d in items if not d.counts_as_error(strict)]
    files = {d.location.path for d in items}
    parts = []
    if errors:
        parts.append(f"{len(errors)} error{'s' if len(errors) != 1 else ''}")
    if warnings:
        parts.append(f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    text = " and ".join(parts) + f" in {len(files)} file{'s' if len(files) != 1 else ''}"
    if errors:
        text += " (nothing was written)" if not wrote else ""
    return text


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """'did you mean 'x'?' for the closest candidate, or '' when nothing is close."""
    matches = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return f"did you mean '{matches[0]}'? " if matches else ""


def relative_path(path: Path, root: Path) -> str:
    """A path as the author knows it: relative to the project root when possible, with '/'.
    Links are not followed: a link is named by its own name, not by where it points."""
    relative = os.path.relpath(os.path.abspath(path), os.path.abspath(root))
    return Path(path).as_posix() if relative.startswith("..") else Path(relative).as_posix()


def decode_utf8(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Text of a file that must be UTF-8 (a byte-order mark is accepted), or the line that is not."""
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error("file-encoding", "file is not UTF-8", SourceLocation(path, line),
                            "save it as UTF-8 (in most editors: File, Save with encoding, UTF-8)")]


def unreadable(path: str, exc: OSError, *, folder: bool = False) -> Diagnostic:
    """A file or folder the build must read but the system will not give."""
    import errno

    if exc.errno == errno.ELOOP:  # the same words as story._read, which meets loops further on
        return error("file-unreadable", f"'{path}' cannot be read: it is a link that leads back to itself (a loop)",
                     SourceLocation(path), "replace the link with the file itself")
    what = "folder" if folder else "file"
    why = exc.strerror or type(exc).__name__
    return error("file-unreadable", f"cannot read {what} '{path}': {why}", SourceLocation(path),
                 "give this user read access (e.g. `chmod -R u+rX` on the story folder), or remove it")
