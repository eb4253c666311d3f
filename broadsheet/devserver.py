"""The preview server: serves the last good build from memory, rebuilds on change, reloads the page.

It knows nothing of the build but a callable (house rule 4): `rebuild()` returns the site's files
as `{path: bytes}` or raises `BuildFailed`; on a change it is told the paths the watcher saw change. Each build is one immutable snapshot swapped in by a
single assignment, so a request sees the old site or the new one, never a mix. A failed rebuild
keeps the last good site and shows its diagnostics over the page until the next good build.

It answers only to the names it listens on (a DNS-rebinding page gets 421), drops a connection
idle for `IDLE_TIMEOUT` seconds, queues up to `BACKLOG` connections, and a client that goes away
mid-answer ends that answer, quietly.
"""
from __future__ import annotations

import ipaddress
import json
import mimetypes
import posixpath
import re
import socket
import socketserver
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping
from urllib.parse import unquote, urlsplit

from .diagnostics import BuildFailed

LIVE_PREFIX = "/__broadsheet/"
IDLE_TIMEOUT = 10.0  # seconds a connection may stay silent (BROADSHEET_IDLE_TIMEOUT)
BACKLOG = 1024  # connections the system queues before the server takes them (BROADSHEET_BACKLOG)
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
HASHED_NAME = re.compile(r"\.[0-9a-f]{10}\.[a-z0-9]+$")
LIVE_SCRIPT_TAG = b'<script src="/__broadsheet/live.js"></script>'
MIME = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
        ".csv": "text/csv; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
        ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".webp": "image/webp",
        ".woff2": "font/woff2", ".ico": "image/x-icon"}

LIVE_JS = r"""(function () {
  "use strict";
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "broadsheet-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;" +
        "margin:0;padding:1rem 1.25rem;background:#2b0b0b;color:#ffd7d5;font:13px/1.5 ui-monospace,monospace;" +
        "white-space:pre-wrap;border-top:4px solid #ff5449";
      document.body.appendChild(overlay);
    }
    overlay.textContent = text;
  }
  function clear() { if (overlay) { overlay.remove(); overlay = null; } }
  function signature(doc) {
    return Array.prototype.map.call(doc.querySelectorAll("link[rel=stylesheet], script[src]"), function (el) {
      return el.getAttribute("href") || el.getAttribute("src");
    }).filter(function (url) { return url.indexOf("/__broadsheet/") < 0; }).join("|");
  }
  /* Swap in the new <main> when only the content changed (no flash, scroll kept, the chart
     runtime stays loaded); reload the whole page when styles or scripts changed. */
  function refresh() {
    fetch(location.href, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.text();
    }).then(function (text) {
      var doc = new DOMParser().parseFromString(text, "text/html");
      var fresh = doc.querySelector("main"), current = document.querySelector("main");
      if (!fresh || !current || signature(doc) !== signature(document)) { location.reload(); return; }
      current.replaceWith(document.adoptNode(fresh));
      document.title = doc.title;
      document.dispatchEvent(new CustomEvent("broadsheet:refresh"));
    }).catch(function () { location.reload(); });
  }
  var source = new EventSource("/__broadsheet/events");
  var version = null;
  source.addEventListener("state", function (event) {
    var state = JSON.parse(event.data);
    if (version !== null && state.version !== version) { version = state.version; clear(); refresh(); return; }
    version = state.version;
    if (state.errors) show("Broadsheet: the last change did not build; this is the last good version.\n\n" +
                           state.errors);
    else clear();
  });
})();
"""


@dataclass(frozen=True)
class Snapshot:
    """One good build: what every request of that moment is served from."""

    files: Mapping[str, bytes]
    version: int
    errors: str = ""  # diagnostics of the latest failed rebuild, shown over this version


@dataclass
class PreviewState:
    """The current snapshot plus a condition that wakes the event streams when it changes."""

    snapshot: Snapshot = field(default_factory=lambda: Snapshot({}, 0))
    changed: threading.Condition = field(default_factory=threading.Condition)
    stopping: bool = False

    def publish(self, snapshot: Snapshot) -> None:
        with self.changed:
            self.snapshot = snapshot
            self.changed.notify_all()

    def wait_for_change(self, seen: Snapshot, timeout: float) -> Snapshot:
        with self.changed:
            self.changed.wait_for(lambda: self.snapshot is not seen or self.stopping, timeout=timeout)
            return self.snapshot


def run_build(state: PreviewState, rebuild: Callable[[], Mapping[str, bytes]],
              render_errors: Callable[[BuildFailed], str]) -> float:
    """Rebuild once and publish the outcome; returns the seconds it took."""
    started = time.perf_counter()
    current = state.snapshot
    try:
        files = rebuild()
    except BuildFailed as failed:
        state.publish(Snapshot(current.files, current.version, render_errors(failed) or "build failed"))
    except Exception:  # a bug in Broadsheet: show it, keep serving the last good site
        report = traceback.format_exc()
        state.publish(Snapshot(current.files, current.version,
                               "internal error: this is a bug in Broadsheet, please report it\n\n" + report))
    else:
        state.publish(Snapshot(dict(files) if isinstance(files, dict) else files, current.version + 1))
    return time.perf_counter() - started


def safe_site_path(raw_path: str) -> str | None:
    """The site file a URL path names, or None when it tries to leave the site."""
    path = unquote(urlsplit(raw_path).path)
    if "\x00" in path or "\\" in path:
        return None
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts):
        return None
    clean = "/".join(parts)
    if path.endswith("/") or not clean:
        clean = posixpath.join(clean, "index.html") if clean else "index.html"
    return clean


class PreviewHandler(BaseHTTPRequestHandler):
    state: PreviewState  # set on the subclass made by make_server
    server_version = "BroadsheetPreview"
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def handle_one_request(self):
        """One request, whose line and headers must all arrive within the idle timeout (a client
        that sends a byte now and then is let go too, not only a silent one)."""
        self.server.reading(self.connection, self.timeout)
        try:
            super().handle_one_request()
        finally:
            self.server.done_reading(self.connection)

    def do_HEAD(self):  # noqa: N802 - http.server's name
        self.do_GET(head=True)

    def do_GET(self, head: bool = False):  # noqa: N802
        self.server.done_reading(self.connection)  # the request is read: the answer may take its time
        if not self.server.host_allowed(self.headers.get("Host")):
            return self._send(HTTPStatus.MISDIRECTED_REQUEST,
                              b"Misdirected Request: this preview answers only to the names it listens on\n",
                              "text/plain; charset=utf-8", head, {"Connection": "close"})
        if self.path.startswith(LIVE_PREFIX):
            return self._live(self.path[len(LIVE_PREFIX):].split("?")[0], head)
        snapshot = self.state.snapshot  # one snapshot for the whole request
        path = safe_site_path(self.path)
        if path is None:
            return self._send(HTTPStatus.FORBIDDEN, b"Forbidden: this path leaves the site\n",
                              "text/plain; charset=utf-8", head)
        content = snapshot.files.get(path)
        if content is None and f"{path}/index.html" in snapshot.files:
            location = urlsplit(self.path).path + "/"
            return self._send(HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain", head, {"Location": location})
        status = HTTPStatus.OK
        if content is None:
            status, path = HTTPStatus.NOT_FOUND, "404.html"
            content = snapshot.files.get(path, b"<!doctype html><title>404</title><h1>404</h1>\n")
        suffix = posixpath.splitext(path)[1].lower()
        mime = MIME.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
        if suffix == ".html":
            content = inject_live_script(content)
        immutable = status == HTTPStatus.OK and HASHED_NAME.search(path)  # content-named: never changes
        cache = "public, max-age=31536000, immutable" if immutable else "no-store"
        self._send(status, content, mime, head, {"Cache-Control": cache})

    def _live(self, name: str, head: bool):
        if name == "live.js":
            return self._send(HTTPStatus.OK, LIVE_JS.encode(), MIME[".js"], head, {"Cache-Control": "no-store"})
        if name != "events":
            return self._send(HTTPStatus.NOT_FOUND, b"", "text/plain", head)
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if head:  # the headers alone: no stream
            return
        snapshot = self.state.snapshot
        try:
            while not self.state.stopping:
                payload = json.dumps({"version": snapshot.version, "errors": snapshot.errors})
                self.wfile.write(f"event: state\ndata: {payload}\n\n".encode())
                self.wfile.flush()
                snapshot = self.state.wait_for_change(snapshot, timeout=15)
        except (ConnectionError, TimeoutError):  # the page went away
            return

    def _send(self, status, content: bytes, mime: str, head: bool, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if head:
            return
        self.wfile.write(content)
        if headers and headers.get("Connection") == "close":
            self.close_connection = True


def inject_live_script(page: bytes) -> bytes:
    """Add the reload script to a served page (never to built files)."""
    index = page.rfind(b"</body>")
    return page[:index] + LIVE_SCRIPT_TAG + page[index:] if index >= 0 else page + LIVE_SCRIPT_TAG


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allowed: frozenset[str] = LOOPBACK_NAMES
    any_address = False  # listening on every address: any IP literal is one of ours
    on_error: Callable[[str], None] | None = None

    def __init__(self, *args, **kwargs):
        self._reading: dict[socket.socket, float] = {}  # connection -> when its request must be read by
        self._reading_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def reading(self, connection: socket.socket, timeout: float | None) -> None:
        if timeout:
            with self._reading_lock:
                self._reading[connection] = time.monotonic() + timeout

    def done_reading(self, connection: socket.socket) -> None:
        with self._reading_lock:
            self._reading.pop(connection, None)

    def service_actions(self):  # serve_forever calls it at every poll: close what is late
        now = time.monotonic()
        with self._reading_lock:
            late = [connection for connection, deadline in self._reading.items() if deadline < now]
            for connection in late:
                del self._reading[connection]
        for connection in late:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def server_bind(self):  # http.server asks DNS for the host's full name here: not needed, and slow offline
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def host_allowed(self, header: str | None) -> bool:
        """Whether a request's Host names this server (no Host: a client that is not a browser)."""
        if header is None:
            return True
        name = _host_name(header)
        if name in self.allowed:
            return True
        return self.any_address and _ip(name) is not None

    def handle_error(self, request, client_address):
        failure = sys.exc_info()[1]
        if isinstance(failure, (ConnectionError, TimeoutError)):  # the client went away or stalled
            return
        if self.on_error is not None:
            self.on_error(f"a preview request failed: {type(failure).__name__}: {failure}")


def _ip(text: str) -> str | None:
    try:
        return ipaddress.ip_address(text).compressed
    except ValueError:
        return None


def _host_name(header: str) -> str:
    """'LocalHost.:8000' -> 'localhost', '[::1]:8000' -> '::1' (IP literals in their short form)."""
    header = header.strip().lower()
    if header.startswith("["):
        name = header[1:].partition("]")[0]
    else:
        name, colon, port = header.rpartition(":")
        if not colon or not port.isdigit() or ":" in name:
            name = header
    name = name.rstrip(".")
    return _ip(name) or name


def allowed_names(host: str, bound: str) -> tuple[frozenset[str], bool]:
    """The Host names a server listening on `host` (which is `bound`) answers to, and whether any
    IP literal is one (listening on every address). Loopback adds localhost, 127.0.0.1 and ::1."""
    names = {_host_name(host), _ip(bound) or bound}
    address = ipaddress.ip_address(bound)
    if address.is_loopback:
        names |= LOOPBACK_NAMES
    everywhere = address.is_unspecified
    if everywhere:
        machine = socket.gethostname().lower()
        names |= LOOPBACK_NAMES | {machine, f"{machine}.local"}
    return frozenset(names), everywhere


def make_server(state: PreviewState, host: str, port: int, *, idle_timeout: float = IDLE_TIMEOUT,
                backlog: int = BACKLOG, on_error: Callable[[str], None] | None = None) -> PreviewServer:
    """Listen on `host` (a name or an IPv4 or IPv6 address); raises OSError (socket.gaierror for a
    name that does not resolve) when it cannot."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, _, _, _, address = next((info for info in found if info[0] == socket.AF_INET), found[0])
    handler = type("BoundPreviewHandler", (PreviewHandler,), {"state": state, "timeout": idle_timeout or None})
    names, everywhere = allowed_names(host, address[0])
    server_class = type("BoundPreviewServer", (PreviewServer,), {
        "address_family": family, "request_queue_size": backlog, "allowed": names, "any_address": everywhere,
        "on_error": staticmethod(on_error) if on_error else None})
    return server_class(address[:2] if family == socket.AF_INET else address, handler)


def address_url(host: str, port: int) -> str:
    """The address to print: localhost for loopback, brackets around an IPv6 address."""
    ip = _ip(host)
    if ip is not None and ipaddress.ip_address(ip).is_loopback:
        return f"http://localhost:{port}/"
    return f"http://[{host}]:{port}/" if ip is not None and ":" in ip else f"http://{host}:{port}/"


def open_watch(paths: Iterable[Path], stop: threading.Event) -> Iterator[set]:
    """Batches of changes under `paths`, already listening when this returns: watchfiles starts
    listening only when its generator is first advanced, so a watch opened lazily after `Serving …`
    missed an edit made just after that line (and any made during the first build). An empty batch
    is a quiet moment (the watch wakes every 100 ms to look at `stop`)."""
    import itertools

    import watchfiles

    changes = watchfiles.watch(*paths, stop_event=stop, debounce=20, step=5, rust_timeout=100,
                               yield_on_timeout=True, watch_filter=_interesting)
    first = next(changes, set())  # opens the watcher (and waits at most rust_timeout)
    return itertools.chain([first], changes)


def watch_and_rebuild(state: PreviewState, changes: Iterable[set], rebuild: Callable[..., Mapping[str, bytes]],
                      render_errors: Callable[[BuildFailed], str], on_build: Callable[[float, Snapshot], None]) -> None:
    """Rebuild whenever a watched file changes (watchfiles batches bursts of saves); `changes`
    comes from open_watch, opened before the first build."""
    for batch in changes:
        if batch:
            seconds = run_build(state, lambda: rebuild({path for _, path in batch}), render_errors)
            on_build(seconds, state.snapshot)


def _interesting(change, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp", ".pyc")) or "__pycache__" in path)


def error_page_text(failed: BuildFailed) -> str:
    return "\n".join(d.render(strict=failed.strict) for d in failed.diagnostics)
