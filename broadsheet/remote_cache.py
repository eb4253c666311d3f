"""A cache shared by several machines, over the protocol of Bazel's remote HTTP cache: `GET` and
`PUT` of `/ac/<key>` and `/cas/<sha256>` under one address. bazel-remote speaks it, and so does
any WebDAV server (nginx with `dav_methods PUT`), backed by a disk or by S3.

Only the entries whose key is the hash of everything they depend on go there: compiled charts,
what each chart read (its dependencies and data) and the cards (`SHARED`). An entry's bytes are put
under their SHA-256 in `/cas/`, and `/ac/<key>` holds that hash, 64 hex digits; `<key>` is itself a
hash of the namespace and the local key. Nothing else is sent: no path, no file name, no setting.
An entry read back is used only when its bytes hash to the name they were asked by.

A cache that is down, too slow (`REMOTE_TIMEOUT`) or answers with a server error is not asked again in
this build (one `cache-remote-down` warning); an entry whose bytes do not match is not used
(`cache-remote-corrupt`). Either way the chart or card is made here: the build is slower, never
wrong nor stopped. Only the standard library's http.client: no new dependency.
"""
from __future__ import annotations

import base64
import hashlib
import re
import time
from urllib.parse import unquote, urlsplit

from .diagnostics import Diagnostic, SourceLocation, warning

SHARED = frozenset({"charts", "chart-deps", "chart-data", "cards"})
REMOTE_TIMEOUT = 5.0  # seconds one request may take, answer included (BROADSHEET_CACHE_TIMEOUT)
LARGEST = 256 * 2**20  # bytes of one entry read back; past it the entry is not used
_HEX = re.compile(rb"[0-9a-f]{64}")
_WHERE = SourceLocation("--cache-url")


class BadCacheUrl(ValueError):
    """--cache-url or BROADSHEET_CACHE_URL is not an http(s) address (said before building)."""


class RemoteCache:
    """One remote cache for a build; its problems wait in `found` until the build reports them."""

    def __init__(self, url: str, timeout: float = REMOTE_TIMEOUT):
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise BadCacheUrl(f"'{shown(url)}' is not an http:// or https:// address")
        self.scheme, self.host, self.port = parts.scheme, parts.hostname, parts.port
        self.base = parts.path.rstrip("/") + "/"
        self.headers = {}
        if parts.username is not None:  # user:password@host: sent to that host only, never shown
            pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode("utf-8")
            self.headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
        self.where = shown(url)
        self.timeout = timeout
        self.down = ""  # why it is no longer asked in this build
        self.found: list[Diagnostic] = []  # said once each, when the build reports the cache's problems

    def get(self, namespace: str, key: str) -> bytes | None:
        if self.down:
            return None
        pointer = self._request("GET", "ac/" + _action(namespace, key))
        if pointer is None:
            return None
        if not _HEX.fullmatch(pointer.strip()):
            self._corrupt("an /ac/ entry is not a SHA-256")
            return None
        name = pointer.strip().decode("ascii")
        content = self._request("GET", "cas/" + name)
        if content is None:
            return None
        if hashlib.sha256(content).hexdigest() != name:
            self._corrupt("an entry's bytes do not match the hash it is stored under")
            return None
        return content

    def put(self, namespace: str, key: str, content: bytes) -> None:
        if self.down:
            return
        name = hashlib.sha256(content).hexdigest()
        if self._request("PUT", "cas/" + name, content) is not None:
            self._request("PUT", "ac/" + _action(namespace, key), name.encode("ascii"))

    def _request(self, method: str, path: str, body: bytes | None = None) -> bytes | None:
        """The answer's bytes (b"" for a PUT taken), or None: not there (404), or a failure, which
        stops this build from asking again."""
        import http.client  # here: a build without a remote cache does not pay for its import (0.15 s)

        deadline = time.monotonic() + self.timeout
        kind = http.client.HTTPSConnection if self.scheme == "https" else http.client.HTTPConnection
        connection = kind(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, self.base + path, body=body, headers=self.headers)
            answer = connection.getresponse()
            content = _read_until(answer, deadline)
        except TimeoutError:
            return self._stop(f"took more than {self.timeout:g} s to answer")
        except (OSError, http.client.HTTPException) as exc:
            return self._stop(f"could not be reached ({_why(exc)})")
        finally:
            connection.close()
        if content is None:
            return self._stop(f"took more than {self.timeout:g} s to send an entry (or sent more than "
                              f"{LARGEST // 2**20} MB)")
        if method == "GET" and answer.status == 404:
            return None
        if answer.status >= 300:
            return self._stop(f"answered {answer.status} {answer.reason} to a {method}")
        return content

    def _stop(self, why: str) -> None:
        self.down = why
        self.found.append(warning("cache-remote-down", f"the remote cache {self.where} {why}: not asked again in "
                                  "this build, charts and cards are made here", _WHERE,
                                  "nothing to do for this build (the same site, made here); check the cache server, "
                                  "or build without --cache-url and BROADSHEET_CACHE_URL"))
        return None

    def _corrupt(self, what: str) -> None:
        self.found.append(warning("cache-remote-corrupt", f"the remote cache {self.where} sent a damaged entry "
                                  f"({what}): not used, made here", _WHERE, "nothing to do for this build (the entry "
                                  "was made here); check the cache server's storage, or clear it"))

    def take_found(self) -> list[Diagnostic]:
        found, self.found = list(dict.fromkeys(self.found)), []
        return found


def shown(url: str) -> str:
    """The address as messages show it: without a user name or password."""
    parts = urlsplit(url.strip())
    host = parts.netloc.rsplit("@", 1)[-1]
    return f"{parts.scheme}://{host}{parts.path}" if parts.scheme else url.split("@")[-1]


def _action(namespace: str, key: str) -> str:
    return hashlib.sha256(f"broadsheet-remote-v1\0{namespace}\0{key}".encode("utf-8")).hexdigest()


def _read_until(answer, deadline: float) -> bytes | None:
    """The answer's body, or None when it is still coming at `deadline` or larger than LARGEST
    (each read has the socket's time limit; a trickle of bytes must not hold the build)."""
    chunks, size = [], 0
    while True:
        chunk = answer.read1(65536) if hasattr(answer, "read1") else answer.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if time.monotonic() > deadline or size > LARGEST:
            return None
        chunks.append(chunk)


def _why(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
