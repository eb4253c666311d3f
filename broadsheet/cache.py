"""A content-addressed cache on disk: compiled charts, checked CSVs, cards, the Vega runtime, keyed by input hash.

The key is the hash of everything an artefact depends on, so there is nothing to invalidate:
a changed input is a new key. Entries are written to a temporary file and renamed into place,
so a build killed mid-write leaves no half entry behind.

Each entry also carries the hash of its own bytes, checked whenever it is read: a disk, a copy or
a hand that altered or cut an entry must not put a wrong chart or card on the site. A damaged
entry is made again, with a `cache-corrupt` warning. A cache folder this build must not trust
(another user's: it could hold anything) or cannot use (not readable, not writable) is left
alone with a `cache-unusable` warning: the build is slower, never wrong nor stopped.

One object serves the whole build. What depends on no project (the chart runtime, the Vega
engine's bundle, font widths: `USER_NAMESPACES`) lives in the per-user folder, kept once for every
project; the rest in the project's `.cache/broadsheet/`. `NoCache` (`--no-cache`, tests) is the
same interface remembering nothing, so `--no-cache` ignores both folders.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import stat
import tempfile
from dataclasses import replace
from pathlib import Path

from . import remote_cache
from .diagnostics import Diagnostic, SourceLocation, relative_path, warning


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.lru_cache(maxsize=None)
def engine_fingerprint() -> str:
    """A digest of Broadsheet's own code: what it computed and cached (a chart's picture, a story's
    pages) is kept under it, so a new release, or an edited engine, never serves an old result."""
    engine = Path(__file__).resolve().parent
    parts: list[bytes | str] = []
    for path in sorted(engine.rglob("*.py")):
        if "__pycache__" not in path.parts:
            parts += [path.relative_to(engine).as_posix(), path.read_bytes()]
    return digest(*parts)


def user_cache_dir(env) -> Path:
    """The per-user cache: $BROADSHEET_USER_CACHE, else $XDG_CACHE_HOME/broadsheet, else
    ~/.cache/broadsheet. It holds what no project changes (the chart runtime of a vl-convert version)."""
    if env.get("BROADSHEET_USER_CACHE"):
        return Path(env["BROADSHEET_USER_CACHE"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "broadsheet"


USER_NAMESPACES = frozenset({"runtime", "engine", "advances"})  # the same for every project of a user
SEAL = b"sha256:"  # an entry is SEAL, the hex hash of its content, a newline, then the content
SUFFIX = ".sealed"  # entries written before the seal have no suffix: never read, never reported


class DiskCache:
    """The project's cache folder, and the user's for `USER_NAMESPACES` (when given)."""

    def __init__(self, root: Path, user_root: Path | None = None, remote=None):
        self.root = Path(root)
        self.remote = remote  # remote_cache.RemoteCache: a second tier, shared by machines (--cache-url)
        self.user_root = Path(user_root) if user_root is not None else None
        self._verdicts: dict[Path, str] = {}  # root -> "" (usable) or why it is left alone
        self._found: list[tuple[Path, Diagnostic]] = []  # not yet reported; located when they are

    def holds(self, namespace: str) -> bool:
        """Whether any entry of `namespace` was ever written here (or may be in the remote cache)."""
        if self.remote is not None and namespace in remote_cache.SHARED and not self.remote.down:
            return True
        return self._usable(self.root) and (self.root / namespace).is_dir()

    def here(self) -> "DiskCache":
        """This cache without its remote tier: for a worker that keeps what it made on this machine;
        the build shares it (`share`), and says what the remote cache did wrong."""
        local = DiskCache(self.root, self.user_root)
        local._verdicts = dict(self._verdicts)
        return local

    def share(self, namespace: str, key: str) -> None:
        """Send the remote cache an entry a worker kept here."""
        if self.remote is not None and namespace in remote_cache.SHARED:
            content = self.get(namespace, key)
            if content is not None:
                self.remote.put(namespace, key, content)

    def holds_here(self, namespace: str, key: str) -> bool:
        """Whether this machine's cache has an entry for `key` (its bytes are checked when read)."""
        return any(path.is_file() for path in self._paths(namespace, key))

    def folder(self, namespace: str) -> Path | None:
        """A folder of the project cache for what another library keeps itself (Jinja's bytecode)."""
        return self.root / namespace if self._usable(self.root) else None

    def _paths(self, namespace: str, key: str) -> list[Path]:
        """Where an entry goes, in order: the user's folder for what no project changes (the
        project's when that one cannot be written), else the project's."""
        roots = [self.user_root, self.root] if namespace in USER_NAMESPACES and self.user_root else [self.root]
        return [root / namespace / key[:2] / (key[2:] + SUFFIX) for root in roots if self._usable(root)]

    def get(self, namespace: str, key: str) -> bytes | None:
        for path in self._paths(namespace, key):
            try:
                sealed = path.read_bytes()
            except (FileNotFoundError, NotADirectoryError):
                continue
            except OSError as exc:
                self._note(path, warning("cache-unusable", f"a cache entry cannot be read ({_why(exc)}): made again",
                                         _HERE, "give this user read access to the cache folder, or delete the entry"))
                continue
            content = _unsealed(sealed)
            if content is not None:
                return content
            self._note(path, warning("cache-corrupt", "a cache entry was damaged (its bytes do not match the hash it "
                                     "was written with): not used, made again", _HERE, "nothing to do: the entry "
                                     "is replaced; if this happens again, check the disk"))
        return self._from_remote(namespace, key)

    def _from_remote(self, namespace: str, key: str) -> bytes | None:
        """The remote cache's entry (checked against its hash there), kept here too."""
        if self.remote is None or namespace not in remote_cache.SHARED:
            return None
        content = self.remote.get(namespace, key)
        if content is not None:
            self._put_here(namespace, key, content)
        return content

    def put(self, namespace: str, key: str, content: bytes) -> bool:
        """Store an entry, here and in the remote cache; False when no folder here can be written
        (the next build is only slower)."""
        if self.remote is not None and namespace in remote_cache.SHARED:
            self.remote.put(namespace, key, content)
        return self._put_here(namespace, key, content)

    def _put_here(self, namespace: str, key: str, content: bytes) -> bool:
        sealed = SEAL + hashlib.sha256(content).hexdigest().encode("ascii") + b"\n" + content
        failures = []
        for path in self._paths(namespace, key):
            failure = _write(path, sealed)
            if failure is None:
                return True
            failures.append((path, failure))
        for path, failure in failures[-1:]:  # once per folder: the build goes on without it
            root = next(r for r in (self.root, self.user_root) if r is not None and r in path.parents)
            self._verdicts[root] = f"cannot be written ({_why(failure)})"
            self._note(root, warning("cache-unusable", f"the cache folder {self._verdicts[root]}: the build goes "
                                     "on without keeping what it makes", _HERE, _HINT))
        return False

    def _usable(self, root: Path) -> bool:
        """Whether a folder may be read and written: checked once. Another user's folder is left
        alone even when readable (its entries could be made to match their seal)."""
        if root not in self._verdicts:
            self._verdicts[root] = _verdict(root)
            if self._verdicts[root]:
                self._note(root, warning("cache-unusable", f"the cache folder {self._verdicts[root]}: the build "
                                         "goes on without it", _HERE, _HINT))
        return not self._verdicts[root]

    def _note(self, path: Path, diagnostic: Diagnostic) -> None:
        self._found.append((path, diagnostic))

    def diagnostics(self, project: Path) -> list[Diagnostic]:
        """The warnings about the cache found since the last call (each said once)."""
        found, self._found = self._found, []
        remote = [] if self.remote is None else self.remote.take_found()
        return [replace(diagnostic, location=SourceLocation(relative_path(path, project)))
                for path, diagnostic in sorted(dict.fromkeys(found), key=lambda f: (str(f[0]), f[1].code))] + remote

    def __getstate__(self):  # a worker process gets the verdicts, and reports nothing of its own
        return {**self.__dict__, "_found": []}


_HERE = SourceLocation("")  # replaced by the entry's or folder's path, relative to the project
_HINT = ("charts and pages are made afresh (slower, the same site): give the folder to this user "
         "(`chown -R`) or delete it, or build with --no-cache")


def _verdict(root: Path) -> str:
    """'' when `root` may be used (or does not exist yet), else why not."""
    try:
        info = os.stat(root)
    except FileNotFoundError:
        return ""
    except NotADirectoryError:
        return "cannot be made: a file stands where a folder of its path should be"
    except OSError as exc:
        return f"cannot be read ({_why(exc)})"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a folder"
    if hasattr(os, "geteuid") and info.st_uid != os.geteuid():
        return f"belongs to another user (uid {info.st_uid}), whose entries this build does not trust"
    if not os.access(root, os.R_OK | os.X_OK):
        return "cannot be read by this user"
    if not os.access(root, os.W_OK):
        return "cannot be written by this user"
    return ""


def _unsealed(sealed: bytes) -> bytes | None:
    """The content of an entry whose seal matches, else None."""
    head, _, content = sealed.partition(b"\n")
    if not head.startswith(SEAL) or head[len(SEAL):] != hashlib.sha256(content).hexdigest().encode("ascii"):
        return None
    return content


def _why(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _write(target: Path, content: bytes) -> OSError | None:
    """Write an entry whole, or not at all; the error when it cannot be written."""
    try:
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        except FileNotFoundError:  # the folder is made once, not checked before every entry
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, target)
        except OSError:
            with contextlib.suppress(OSError):  # a full disk: no half entry left behind
                os.unlink(temporary)
            raise
    except OSError as exc:
        return exc
    return None


def current(cache, namespace: str, slot: str, key: str):
    """The value the entry `slot` holds when it was kept for `key` (`keep_current`); None when it
    holds another's, none, or damaged bytes (made again, then)."""
    raw = cache.get(namespace, slot)
    try:
        held = json.loads(raw) if raw else None
    except ValueError:
        return None
    return held.get("value") if isinstance(held, dict) and held.get("key") == key else None


def keep_current(cache, namespace: str, slot: str, key: str, value) -> None:
    """Keep one value in the entry `slot`, replacing the one before: for what is megabytes and
    changes often (an archive's listing pages, its sitemap), where an entry per key would pile up."""
    cache.put(namespace, slot, json.dumps({"key": key, "value": value}, ensure_ascii=False).encode("utf-8"))


class NoCache:
    """For tests and `--no-cache`: the same interface, remembering nothing (and no folder)."""

    def get(self, namespace: str, key: str) -> bytes | None:
        return None

    def holds(self, namespace: str) -> bool:
        return False

    def holds_here(self, namespace: str, key: str) -> bool:
        return False

    def here(self) -> "NoCache":
        return self

    def share(self, namespace: str, key: str) -> None:
        return None

    def folder(self, namespace: str) -> None:
        return None

    def put(self, namespace: str, key: str, content: bytes) -> bool:
        return False

    def diagnostics(self, project: Path) -> list[Diagnostic]:
        return []
