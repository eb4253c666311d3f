"""Story folders: which folders of content/ are stories, and what would make one vanish in silence
(a near miss of index.md, a part under a name the build does not read, a file that cannot be read).

Kept apart from story.py, which reads a story: a build that takes every story as it was surveys
the folders and never loads the reading of Markdown, facts and charts.
"""
from __future__ import annotations

import difflib
import os
import re
import stat
from pathlib import Path

from . import translations
from .diagnostics import Diagnostic, SourceLocation, error, relative_path, unreadable
from .manifest import scan


def discover(content: Path) -> list[Path]:
    """Story folders: every folder of content/ holding an index.md, in name order."""
    return sorted(p for p in content.iterdir() if p.is_dir() and (p / "index.md").is_file()
                  and not p.name.startswith((".", "_")))


STORY_PARTS = ("index.md", "sections", "facts.yaml", "data", "charts", "media")  # what a story folder may hold
_INDEX_LIKE = re.compile(r"^index(\.[a-z0-9]+)*$")  # Index.md, index.markdown, index.md.txt, index


def survey(content: Path, root: Path, settled=None, trusted=None) -> tuple[list[Path], list[Diagnostic]]:
    """`discover`, and what would make a story vanish in silence: a folder that looks like a story
    but has no index.md (a near miss such as Index.md, or sections/ and facts.yaml without it), a
    part of a story under a name the build does not read (section/, facts.yml), and a file or folder
    of a story that cannot be read (such a story is left out: the build fails on it anyway).
    `settled(folder, files)`, when given, names the stories a build takes as they were (`files`: the
    folder's files and their stats, from the one walk of it): their files are not opened again;
    `trusted(name)`: a folder the preview's watcher saw unchanged, not even walked."""
    problems: list[Diagnostic] = []

    def rel(path: Path) -> str:
        return relative_path(path, root)

    try:
        with os.scandir(content) as found:  # names and kinds in one read: no pathlib, no stat per folder
            entries = sorted((entry.name, entry.is_dir()) for entry in found)
    except OSError as exc:
        return [], [unreadable(rel(content), exc, folder=True)]
    base = os.fspath(content)
    stories = []
    for name, is_dir in entries:
        if name.startswith((".", "_")) or not is_dir:
            continue
        folder = content / name
        if trusted is not None and trusted(name) and settled(folder):  # the preview's watcher vouches for it
            stories.append(folder)
            continue
        try:
            names, files = _listed(os.path.join(base, name), settled is not None)
        except OSError as exc:
            problems.append(unreadable(rel(folder), exc, folder=True))
            continue
        if any(path == "index.md" for path, _ in files) if files is not None else (folder / "index.md").is_file():
            unread = [] if files is not None and settled(folder, files) else _unreadable_parts(folder, rel)
            found = unread + _misnamed_parts(folder, names, rel)
            problems.extend(found)
            if not any(d.code == "file-unreadable" for d in found):
                stories.append(folder)
            continue
        index = folder / "index.md"
        near = [n for n in names if n != "index.md" and _INDEX_LIKE.match(n.strip().lower())]
        parts = [n + ("/" if n not in ("index.md", "facts.yaml") else "") for n in STORY_PARTS[1:] if n in names]
        if "index.md" in names:
            problems.append(error("story-no-index", f"'{rel(index)}' is not a readable file", SourceLocation(rel(index)),
                                  "a story's index.md must be a plain Markdown file with its front matter"))
        elif near:
            problems.append(error("story-no-index", f"folder '{folder.name}' has no index.md, only '{near[0]}'",
                                  SourceLocation(rel(folder / near[0])),
                                  f"rename it to index.md (exactly: lowercase, .md): `mv '{rel(folder / near[0])}' "
                                  f"'{rel(index)}'`"))
        elif parts:
            problems.append(error("story-no-index", f"folder '{folder.name}' looks like a story ({', '.join(parts)}) "
                                  "but has no index.md", SourceLocation(rel(folder)),
                                  f"add {rel(index)} with its front matter (title, published), or start the "
                                  "folder's name with _ to keep it out of the site"))
    return stories, problems


def _listed(folder: str, walk: bool) -> tuple[list[str], list | None]:
    """(the folder's names, and with `walk` the stamps' walk of its files: one read of each of its
    folders, manifest.scan; None when not asked, or when a part cannot be read: the story's own
    reading says which). Raises OSError when the folder itself cannot be listed."""
    if walk:
        try:
            return scan(folder)
        except OSError:
            pass
    return sorted(os.listdir(folder)), None


def _misnamed_parts(folder: Path, names: list[str], rel) -> list[Diagnostic]:
    """'section/' or 'facts.yml' beside the story: a part the build would never read."""
    problems = []
    for name in names:
        if name in STORY_PARTS or name.startswith((".", "_")) or translations.TRANSLATION_INDEX.match(name):
            continue
        close = difflib.get_close_matches(name.lower(), STORY_PARTS, n=1, cutoff=0.8)
        if close:
            problems.append(error("story-layout", f"'{name}' is not read: did you mean '{close[0]}'?",
                                  SourceLocation(rel(folder / name)),
                                  f"rename it to {close[0]} (a story reads exactly {', '.join(STORY_PARTS)})"))
    return problems


def _unreadable_parts(folder: Path, rel) -> list[Diagnostic]:
    """Every folder of the story that cannot be listed and every file that cannot be opened (a named
    pipe or a device is not opened: reading it could wait forever)."""
    problems: list[Diagnostic] = []

    def folder_error(exc: OSError) -> None:
        problems.append(unreadable(rel(Path(exc.filename)), exc, folder=True))

    for top, dirs, files in os.walk(folder, onerror=folder_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            path = Path(top) / name
            try:
                mode = os.stat(path).st_mode
                if not stat.S_ISREG(mode):
                    problems.append(unreadable_file(rel(path), "it is not a regular file (a pipe, a socket or a device)",
                                                "replace it with an ordinary file"))
                    continue
                os.close(os.open(path, os.O_RDONLY | os.O_NONBLOCK))
            except FileNotFoundError:  # a link to nothing; one that points out is path-outside's
                if path.is_symlink() and inside(path, folder):
                    problems.append(error("file-unreadable", f"'{rel(path)}' is a link to nothing",
                                          SourceLocation(rel(path)), "remove the link, or copy the file in its place"))
            except OSError as exc:
                problems.append(unreadable(rel(path), exc))
    return problems


def inside(path: Path, folder: Path) -> bool:
    """Whether `path`, links followed, lies in `folder`."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def printable(text: str) -> str:
    """A path as it can be printed: bytes of a name that are not UTF-8 are shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def unreadable_file(rel_path: str, why: str, hint: str) -> Diagnostic:
    """file-unreadable, saying why (a link to nothing, a loop, a pipe)."""
    return error("file-unreadable", f"'{printable(rel_path)}' cannot be read: {why}", SourceLocation(printable(rel_path)),
                 hint)


