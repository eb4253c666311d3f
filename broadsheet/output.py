"""Where the built site goes: the only side effect of a build (house rule 3).

`DirWriter` writes every file into a fresh folder beside the target, then swaps it in with one
atomic rename (Linux `renameat2(RENAME_EXCHANGE)`), so a reader or a static server never sees a
half-written site, and a failed or killed build leaves the previous site exactly as it was.
`MemoryWriter` keeps files in a dict for tests.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterable

from .model import OutputFile

MARKER = ".broadsheet-output"  # in every folder Broadsheet writes: what makes it safe to replace
MARKER_TEXT = "This folder is written by Broadsheet; each build replaces it.\n"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def content_name(path: str, content: bytes) -> str:
    """'assets/site.css' -> 'assets/site.3f2a9c1b.css': a new name whenever the bytes change."""
    stem, dot, ext = path.rpartition(".")
    short = hashlib.sha256(content).hexdigest()[:10]
    return f"{stem}.{short}.{ext}" if dot else f"{path}.{short}"


def unsafe_output_reason(out: Path, content: Path, project: Path) -> str:
    """Why writing to `out` would destroy something ('' when it is safe)."""
    out_r, content_r, project_r = out.resolve(), content.resolve(), project.resolve()
    if out_r == Path(out_r.anchor):
        return "the output folder is the file-system root"
    if out_r == project_r:
        return "the output folder is the project folder itself"
    if out_r == content_r:
        return "the output folder is the content folder"
    if content_r.is_relative_to(out_r):
        return "the output folder holds the content folder"
    if out_r.is_relative_to(content_r):
        return "the output folder is inside the content folder"
    if out_r == Path.home().resolve():
        return "the output folder is the home folder"
    if out_r.is_dir() and any(out_r.iterdir()) and not (out_r / MARKER).is_file():
        return "the output folder holds files that Broadsheet did not write"
    return ""


_LINK_SIZE = 64 * 1024  # files this large are linked from the previous site when unchanged


def _link_unchanged(old: Path, new: Path, content: bytes) -> bool:
    """Give `new` the previous site's file when its bytes are the same (a hard link: no copy; the
    large CSVs and the chart runtime rarely change between builds). False when it cannot."""
    try:
        if old.stat().st_size != len(content) or old.read_bytes() != content:
            return False
        os.link(old, new)
    except OSError:
        return False
    return True


def _already_there(target: Path, files: list[OutputFile]) -> bool:
    """True when `target` holds exactly these files, with these bytes, and nothing else."""
    if not (target / MARKER).is_file():
        return False
    wanted = {item.path: item.content for item in files}
    folders = {parent for path in wanted for parent in PurePosixPath(path).parents} - {PurePosixPath(".")}
    try:
        present = {}
        for path in target.rglob("*"):
            name = path.relative_to(target).as_posix()
            if path.is_symlink() or not (path.is_file() or path.is_dir()):
                return False
            if path.is_dir():
                if PurePosixPath(name) not in folders:
                    return False
                folders.discard(PurePosixPath(name))
            else:
                present[name] = path
        if folders or set(present) != set(wanted) | {MARKER} or (target / MARKER).read_text() != MARKER_TEXT:
            return False
        return all(present[name].stat().st_size == len(content) and present[name].read_bytes() == content
                   for name, content in wanted.items())
    except OSError:
        return False


class MemoryWriter:
    def __init__(self):
        self.files: dict[str, bytes] = {}

    def write(self, files: Iterable[OutputFile]) -> None:
        self.files = {f.path: f.content for f in files}


class DirWriter:
    def __init__(self, out: Path):
        self.out = Path(out)

    def write(self, files: Iterable[OutputFile]) -> None:
        files = list(files)
        target = self.out.resolve()
        if _already_there(target, files):  # a build that changed nothing leaves the site (and its dates) alone
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in target.parent.glob(f".{target.name}.new-*"):  # left by a build that was killed
            shutil.rmtree(stale, ignore_errors=True)
        for stale in target.parent.glob(f".{target.name}.old-*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
        folders: set[Path] = {staging}
        try:
            for item in files:
                path = staging / item.path
                if path.parent not in folders:
                    path.parent.mkdir(parents=True, exist_ok=True)
                    folders.update(path.parents)
                if not (len(item.content) >= _LINK_SIZE and _link_unchanged(target / item.path, path, item.content)):
                    path.write_bytes(item.content)
            (staging / MARKER).write_text(MARKER_TEXT)
            os.chmod(staging, 0o755)
            self._swap_in(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    @staticmethod
    def _swap_in(staging: Path, target: Path) -> None:
        if not target.exists():
            os.rename(staging, target)
            return
        if _exchange(staging, target):  # staging now holds the old site
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.rename(target, old / "site")  # fallback: two renames, a brief moment with no site
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot (then the caller falls back)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
