"""A content-addressed cache on disk: compiled charts, checked CSVs, cards, the Vega runtime, keyed by input hash.

The key is the hash of everything an artefact depends on, so there is nothing to invalidate:
a changed input is a new key. Entries are written to a temporary file and renamed into place,
so a build killed mid-write leaves no half entry behind.

One object serves the whole build. What depends on no project (the chart runtime, the Vega
engine's bundle, font widths: `USER_NAMESPACES`) lives in the per-user folder, kept once for every
project; the rest in the project's `.cache/broadsheet/`. `NoCache` (`--no-cache`, tests) is the
same interface remembering nothing, so `--no-cache` ignores both folders.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def user_cache_dir(env) -> Path:
    """The per-user cache: $BROADSHEET_USER_CACHE, else $XDG_CACHE_HOME/broadsheet, else
    ~/.cache/broadsheet. It holds what no project changes (the chart runtime of a vl-convert version)."""
    if env.get("BROADSHEET_USER_CACHE"):
        return Path(env["BROADSHEET_USER_CACHE"])
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "broadsheet"


USER_NAMESPACES = frozenset({"runtime", "engine", "advances"})  # the same for every project of a user


class DiskCache:
    """The project's cache folder, and the user's for `USER_NAMESPACES` (when given)."""

    def __init__(self, root: Path, user_root: Path | None = None):
        self.root = Path(root)
        self.user_root = Path(user_root) if user_root is not None else None

    def holds(self, namespace: str) -> bool:
        """Whether any entry of `namespace` was ever written here."""
        return (self.root / namespace).is_dir()

    def folder(self, namespace: str) -> Path:
        """A folder of the project cache for what another library keeps itself (Jinja's bytecode)."""
        return self.root / namespace

    def _paths(self, namespace: str, key: str) -> list[Path]:
        """Where an entry goes, in order: the user's folder for what no project changes (the
        project's when that one cannot be written), else the project's."""
        roots = [self.user_root, self.root] if namespace in USER_NAMESPACES and self.user_root else [self.root]
        return [root / namespace / key[:2] / key[2:] for root in roots]

    def get(self, namespace: str, key: str) -> bytes | None:
        for path in self._paths(namespace, key):
            try:
                return path.read_bytes()
            except OSError:
                continue
        return None

    def put(self, namespace: str, key: str, content: bytes) -> bool:
        """Store an entry; False when no folder can be written (the next build is only slower)."""
        return any(_write(path, content) for path in self._paths(namespace, key))


def _write(target: Path, content: bytes) -> bool:
    try:
        try:
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        except FileNotFoundError:  # the folder is made once, not checked before every entry
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except OSError:
        return False
    return True


class NoCache:
    """For tests and `--no-cache`: the same interface, remembering nothing (and no folder)."""

    def get(self, namespace: str, key: str) -> bytes | None:
        return None

    def holds(self, namespace: str) -> bool:
        return False

    def folder(self, namespace: str) -> None:
        return None

    def put(self, namespace: str, key: str, content: bytes) -> bool:
        return False
