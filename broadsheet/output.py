"""Where the built site goes: the only side effect of a build (house rule 3).

`DirWriter` writes every file into a fresh folder beside the target, then swaps it in with one
atomic rename (Linux `renameat2(RENAME_EXCHANGE)`), so a reader or a static server never sees a
half-written site, and a failed or killed build leaves the previous site exactly as it was.
`MemoryWriter` keeps files in a dict for tests.

One build writes a given folder at a time: the writer holds a lock file beside it (`.<name>.lock`,
an advisory `flock` holding the holder's pid, released by the kernel when the holder dies), and a
second build waits for it, at most `lock_wait` seconds, then says who holds it. Staging folders
carry their owner's pid and start time; only those whose owner is gone are removed. A write that
fails (disk full, read-only disk, no permission) is a diagnostic, with nothing left behind.
"""
from __future__ import annotations

import functools
import errno
import fcntl
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterable, Mapping

from .diagnostics import BuildFailed, SourceLocation, error
from .model import OutputFile

MARKER = ".broadsheet-output"  # in every folder Broadsheet writes: what makes it safe to replace
MARKER_TEXT = "This folder is written by Broadsheet; each build replaces it.\n"
LOCK_WAIT = 60.0  # seconds a build waits for another one writing the same folder (BROADSHEET_LOCK_WAIT)
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
    for place in (out_r, *out_r.parents):  # the first part of the path that exists must be a folder
        if place.exists() or place.is_symlink():
            if not place.is_dir():
                shown = os.path.relpath(place) if place.is_relative_to(Path.cwd()) else str(place)
                return "it is a file, not a folder" if place == out_r else f"'{shown}' is a file, not a folder"
            break
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


def _keep(old: Path, new: Path) -> None:
    """The previous site's file, as it is (a hard link; a copy with its times where links fail)."""
    try:
        os.link(old, new)
    except OSError:
        shutil.copy2(old, new)


def _already_there(target: Path, files: list[OutputFile], strays: set[str] | None = None) -> bool:
    """True when `target` holds exactly these files, with these bytes, and nothing else. A file the
    build kept (`kept` >= 0) was checked when its story was taken as it was: its name is enough.
    `strays` collects the top-level entries that hold a file or folder this build does not make
    (known when the output was walked: when every file this build made was found as it is)."""
    if not (target / MARKER).is_file():
        return False
    try:  # the files this build made first: after one edit, one of them differs and the walk is saved
        if not all((item.kept >= 0 and not item.origin) or _same_bytes(target / item.path, item) for item in files):
            return False
        wanted = {item.path: item for item in files}
        folders = _all_parents({path.rsplit("/", 1)[0] for path in wanted if "/" in path})
        found_files, found_folders = _tree(target)
        if strays is not None:
            strays.update(path.split("/", 1)[0] for path in (found_files - set(wanted) - {MARKER})
                          | (found_folders - folders))
        return found_folders == folders and found_files == set(wanted) | {MARKER} \
            and (target / MARKER).read_text() == MARKER_TEXT
    except (OSError, _NotPlain):
        return False


def _unit_there(target: Path, name: str, items: list[OutputFile]) -> bool:
    """Whether a top-level entry of the site (`assets/`, `archives/`, `feed.xml`…) already holds
    exactly these files with these bytes: then it is not staged again (a story edited in an
    archive rewrites its year's pages, not all of them, nor the assets)."""
    entry = target / name
    try:
        if len(items) == 1 and items[0].path == name:  # a file at the top
            return entry.is_file() and not entry.is_symlink() and _same_bytes(entry, items[0])
        if entry.is_symlink() or not entry.is_dir():
            return False
        found_files, found_folders = _tree(entry)
        wanted = {item.path[len(name) + 1:] for item in items}
        folders = {path.rsplit("/", 1)[0] for path in wanted if "/" in path}
        return found_files == wanted and _all_parents(folders) == found_folders and all(
            (item.kept >= 0 and not item.origin) or _same_bytes(target / item.path, item) for item in items)
    except (OSError, _NotPlain):
        return False


def _all_parents(folders: set[str]) -> set[str]:
    """Every folder of these paths, with all the folders above them."""
    every = set()
    for folder in folders:
        while folder and folder not in every:
            every.add(folder)
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    return every


def _same_bytes(path: Path, item: OutputFile) -> bool:
    """Whether `path` holds the file's bytes: its content, or its part's file (`origin`)."""
    if item.origin:
        source = Path(item.origin) / item.path
        return path.stat().st_size == item.kept and path.read_bytes() == source.read_bytes()
    content = item.content
    return path.stat().st_size == len(content) and path.read_bytes() == content


class _NotPlain(Exception):
    """A link or a special file in the output: never a site this build would write."""


def _tree(root: Path) -> tuple[set[str], set[str]]:
    """(files, folders) under `root`, as '/'-separated paths; one directory read per folder."""
    files, folders, pending = set(), set(), [("", root)]
    while pending:
        prefix, folder = pending.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_symlink():
                    raise _NotPlain(name)
                if entry.is_dir(follow_symlinks=False):
                    folders.add(name)
                    pending.append((name + "/", entry.path))
                elif entry.is_file(follow_symlinks=False):
                    files.add(name)
                else:
                    raise _NotPlain(name)
    return files, folders


class FolderFiles(Mapping):
    """The files of a site a DirWriter wrote, each read from its folder when asked for: the preview
    of an archive (`serve`) does not hold 10,000 stories in memory, nor read the ones it kept."""

    def __init__(self, root: Path, paths: Iterable[str]):
        self.root, self.paths = Path(root), frozenset(paths)

    def __getitem__(self, path: str) -> bytes:
        if path not in self.paths:
            raise KeyError(path)
        try:
            return (self.root / path).read_bytes()
        except OSError:  # replaced by a rebuild meanwhile: the next snapshot has it
            raise KeyError(path) from None

    def __contains__(self, path) -> bool:
        return path in self.paths

    def __iter__(self):
        return iter(self.paths)

    def __len__(self) -> int:
        return len(self.paths)


class MemoryWriter:
    def __init__(self):
        self.files: dict[str, bytes] = {}

    def write(self, files: Iterable[OutputFile]) -> None:
        self.files = {f.path: f.content for f in files}


class DirWriter:
    def __init__(self, out: Path, lock_wait: float = LOCK_WAIT, on_wait: Callable[[str], None] | None = None):
        self.out = Path(out)
        self.lock_wait = lock_wait
        self.on_wait = on_wait  # told once, with who holds the lock, when this build has to wait
        self.published = False  # True once the new site is in place (an interruption after it wrote it all)

    def write(self, files: Iterable[OutputFile]) -> None:
        files = list(files)
        target = self.out.resolve()
        lock = _FolderLock(target.parent / f".{target.name}.lock", self.out, self.lock_wait, self.on_wait)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire()
        except OSError as exc:
            raise BuildFailed((write_failed(exc, self.out),)) from None
        try:
            strays: set[str] = set()
            if _already_there(target, files, strays):  # a build that changed nothing leaves the site (and its dates) alone
                return
            if any(item.kept >= 0 and not item.origin for item in files) and (target / MARKER).is_file():
                self._write_changed_units(files, target, strays)
            else:
                self._write(files, target)
        finally:
            lock.release()

    def _write(self, files: list[OutputFile], target: Path) -> None:
        staging = None
        try:
            _remove_orphans(target)
            staging = target.parent / f".{target.name}.new-{_owner_tag()}-{secrets.token_hex(4)}"
            staging.mkdir(mode=0o700)  # named first: an interruption in between still finds it to remove
            self._stage(files, staging, target)
            (staging / MARKER).write_text(MARKER_TEXT)
            os.chmod(staging, 0o755)
            self._swap_in(staging, target)
            self.published = True
        except OSError as exc:
            raise BuildFailed((write_failed(exc, self.out),)) from None
        finally:
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    def _write_changed_units(self, files: list[OutputFile], target: Path, strays: set[str] = frozenset()) -> None:
        """An archive where most stories were kept: each top-level entry of the site (a story's
        folder, assets/, archives/, index.html…) that changed is staged whole and swapped in on its
        own, assets first and the pages that list stories last; entries the site no longer has go
        at the end; an entry holding a file left there by hand (`strays`) is staged again too.
        Each entry changes at once; the site as a whole changes entry by entry."""
        units: dict[str, list[OutputFile]] = {}
        for item in files:
            units.setdefault(item.path.split("/", 1)[0], []).append(item)
        changed = [name for name, items in units.items() if name in strays or (
                   not all(item.kept >= 0 for item in items) and not _unit_there(target, name, items))]
        order = sorted(changed, key=lambda name: (name != "assets", "/" not in units[name][0].path, name))
        gone = [entry for entry in os.listdir(target) if entry not in units and entry != MARKER]
        staging = None
        try:
            _remove_orphans(target)
            staging = target.parent / f".{target.name}.new-{_owner_tag()}-{secrets.token_hex(4)}"
            staging.mkdir(mode=0o700)
            for name in order:
                self._stage(units[name], staging, target)
            for name in order:
                if (target / name).exists() and _exchange(staging / name, target / name):
                    continue
                if (target / name).is_dir():
                    shutil.rmtree(target / name)
                os.rename(staging / name, target / name)
            for name in gone:
                (shutil.rmtree if (target / name).is_dir() else os.remove)(target / name)
            self.published = True
        except OSError as exc:
            partly = "the site may hold some new stories and some old ones; build again"
            raise BuildFailed((write_failed(exc, self.out, kept=partly),)) from None
        finally:
            if staging is not None and staging.exists():
                shutil.rmtree(staging, ignore_errors=True)

    @staticmethod
    def _stage(items: list[OutputFile], staging: Path, target: Path) -> None:
        """Write `items` under `staging`: a kept file linked from `target`, an unchanged large one too."""
        folders: set[Path] = {staging}
        for item in items:
            path = staging / item.path
            if path.parent not in folders:
                path.parent.mkdir(parents=True, exist_ok=True)
                folders.update(path.parents)
            if item.kept >= 0:
                _keep(Path(item.origin or target) / item.path, path)
                continue
            content = item.content  # read once: a card's from the cache, a page's unpacked
            if not (len(content) >= _LINK_SIZE and _link_unchanged(target / item.path, path, content)):
                path.write_bytes(content)

    @staticmethod
    def _swap_in(staging: Path, target: Path) -> None:
        if not target.exists():
            os.rename(staging, target)
            return
        if _exchange(staging, target):  # staging now holds the old site
            return
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{_owner_tag()}-", dir=target.parent))
        os.rename(target, old / "site")  # fallback: two renames, a brief moment with no site
        os.rename(staging, target)
        shutil.rmtree(old, ignore_errors=True)


_WHY = {
    errno.ENOSPC: ("the disk is full", "free some space on that disk"),
    errno.EDQUOT: ("the disk quota is used up", "free some space"),
    errno.EROFS: ("the disk is read-only", "write to a writable disk"),
    errno.EACCES: ("permission denied", "make the folder writable for this user"),
    errno.EPERM: ("permission denied", "make the folder writable for this user"),
    errno.ENOTDIR: ("a part of the path is a file, not a folder", "name a folder"),
}


def write_failed(exc: OSError, out: Path, elsewhere: str = "choose another folder with --out",
                 kept: str = "the previous site, if any, is as it was"):
    """The diagnostic for a write the system refused; nothing is left half-written."""
    what, fix = _WHY.get(exc.errno, (exc.strerror or type(exc).__name__, "try again"))
    where = f" ({exc.filename})" if exc.filename and exc.errno in (errno.EACCES, errno.EPERM, errno.ENOTDIR) else ""
    return error("output-write", f"could not write: {what}{where}", SourceLocation(Path(out).as_posix()),
                 f"{fix}, or {elsewhere}; {kept}")


def _start_time(pid: int) -> str | None:
    """A process's start time (clock ticks since boot), which tells it from a later one with its pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]


def _owner_tag() -> str:
    return f"{os.getpid()}.{_start_time(os.getpid()) or 0}"


def _owner_alive(tag: str) -> bool:
    pid, _, started = tag.partition(".")
    if not pid.isdigit():
        return False
    if not Path("/proc/self/stat").exists():  # no /proc: the pid alone
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return _start_time(int(pid)) == started


def _remove_orphans(target: Path) -> None:
    """Remove the staging folders of builds that are gone (killed); never one whose owner runs."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(?:new|old)-(?:(\d+\.\d+)-)?")
    for stale in target.parent.iterdir():
        match = pattern.match(stale.name)
        if match and not (match.group(1) and _owner_alive(match.group(1))):
            shutil.rmtree(stale, ignore_errors=True)


class _FolderLock:
    """An exclusive lock on the output folder, for one build at a time. The file holds the
    holder's pid; the kernel releases the lock when its holder dies, so it is never stale."""

    def __init__(self, path: Path, out: Path, wait: float, on_wait):
        self.path, self.out, self.wait, self.on_wait = path, out, wait, on_wait
        self.fd: int | None = None

    def acquire(self) -> None:
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                os.close(fd)
                who = f"another build (pid {holder})" if holder.isdigit() else "another build"
                if time.monotonic() >= deadline:
                    raise BuildFailed((error(
                        "output-locked", f"{who} is writing this folder; waited {self.wait:g} s",
                        SourceLocation(Path(self.out).as_posix()),
                        "let that build finish (or stop it), then build again; or wait longer with "
                        "BROADSHEET_LOCK_WAIT=SECONDS"),)) from None
                if not told and self.on_wait:
                    self.on_wait(who)
                    told = True
                time.sleep(0.05)
                continue
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if not same:  # its holder removed the file as we took it: take the new one
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            self.fd = fd
            return

    def release(self) -> None:
        try:
            os.unlink(self.path)  # while still held: a build waiting on this file retries on the new one
        except OSError:
            pass
        os.close(self.fd)
        self.fd = None


@functools.lru_cache(maxsize=1)
def _renameat2():
    """libc's renameat2, found once: the process's own symbols first (find_library runs ldconfig,
    a fifth of a second, which a rebuild of one story in an archive paid at every swap). ctypes is
    imported here: a build that swaps nothing does without it."""
    import ctypes
    import ctypes.util

    for name in (None, "libc.so.6", "find"):
        try:
            function = ctypes.CDLL(ctypes.util.find_library("c") if name == "find" else name, use_errno=True).renameat2
        except (OSError, AttributeError, TypeError):
            continue
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        return function
    return None


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; False where the system cannot (then the caller falls back)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0
