"""A content-addressed cache on disk: compiled charts, checked CSVs, cards, the Vega runtime, keyed by input hash.

The key is the hash of everything an artefact depends on, so there is nothing to invalidate:
a changed input is a new key. Entries are written to a temporary file and renamed into place,
so a build killed mid-write leaves no half entry behind.
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


class DiskCache:
    def __init__(self, root: Path):
        self.root = Path(root)

    def holds(self, namespace: str) -> bool:
        """Whether any entry of `namespace` was ever written here."""
        return (self.root / namespace).is_dir()

    def _path(self, namespace: str, key: str) -> Path:
        return self.root / namespace / key[:2] / key[2:]

    def get(self, namespace: str, key: str) -> bytes | None:
        try:
            return self._path(namespace, key).read_bytes()
        except OSError:
            return None

    def put(self, namespace: str, key: str, content: bytes) -> bool:
        """Store an entry; False when the folder cannot be written (the next build is only slower)."""
        target = self._path(namespace, key)
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
    """For tests and `--no-cache`: remembers nothing."""

    def get(self, namespace: str, key: str) -> bytes | None:
        return None

    def holds(self, namespace: str) -> bool:
        return False

    def put(self, namespace: str, key: str, content: bytes) -> bool:
        return False
