"""The remote cache (Bazel's HTTP cache protocol): a real nginx with WebDAV PUT on 127.0.0.1, and a
small http.server for a cache that is down, slow or sends damaged bytes. A second machine (a second
project folder, its own cache) reads what the first one made and draws nothing; a bad cache costs a
warning and a local compile, never a wrong or failed build."""
from __future__ import annotations

import getpass
import hashlib
import http.server
import json
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from broadsheet.remote_cache import RemoteCache
from helpers import SITE_SRC, run_cli, snapshot_of
from test_archive import generated


def strict_clean(folder: Path, stories: int) -> Path:
    """A generated archive where every story has a chart (its bar chart), clean under --strict."""
    generated(folder, stories=stories)
    for story in (folder / "content").iterdir():
        if not story.is_dir():
            continue
        (story / "charts").mkdir(exist_ok=True)
        (story / "data").mkdir(exist_ok=True)
        for name in ("charts/courbe.py",):
            (story / name).unlink(missing_ok=True)
        (story / "charts" / "barres.vl.json").write_text(json.dumps(SPEC), encoding="utf-8")
        (story / "data" / "series.csv").write_text("annee,valeur\n" + "".join(
            f"{2010 + y},{(len(story.name) * 7 + y * 13) % 90 + 5}\n" for y in range(10)), encoding="utf-8")
        section = story / "sections" / "02-partie.md"
        text = section.read_text().replace("{chart:courbe}", "")
        section.write_text(text if "{chart:barres}" in text else text + "\n{chart:barres}\n", encoding="utf-8")
    return folder

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SPEC = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "title": "Les valeurs par année",
        "description": "Des barres, une par année, de hauteurs variées.", "usermeta": {"source": "Relevé annuel"},
        "data": {"url": "data/series.csv"}, "mark": "bar",
        "encoding": {"x": {"field": "annee", "type": "ordinal", "title": "Année"},
                     "y": {"field": "valeur", "type": "quantitative", "title": "Valeur"}}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """nginx on 127.0.0.1 with its own prefix and config: GET, and PUT through WebDAV, under /cache/."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed (.ci/run installs Debian's package)")
    prefix = tmp_path_factory.mktemp("nginx")
    (prefix / "store" / "cache").mkdir(parents=True)
    port = free_port()
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""  # as root, workers would be nobody
    temp = "".join(f"{kind}_temp_path {prefix}/{kind};\n" for kind in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(f"""{user}
daemon off; worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log {prefix}/access.log; {temp}
  server {{
    listen 127.0.0.1:{port};
    location /cache/ {{ root {prefix}/store; dav_methods PUT; create_full_put_path on; client_max_body_size 64m; }}
  }}
}}
""")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    else:
        process.kill()
        pytest.fail("nginx did not start: " + process.stderr.read().decode())
    yield {"url": f"http://127.0.0.1:{port}/cache/", "prefix": prefix}
    process.terminate()
    process.wait(timeout=10)


class Stub(http.server.BaseHTTPRequestHandler):
    """A cache that misbehaves as `mode` says: down (500), slow, or damaged bytes."""

    mode = "corrupt"
    store: dict = {}

    def do_GET(self):  # noqa: N802
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):  # the build gave up waiting: as it should
            pass

    def _answer(self):
        if self.mode == "slow":
            time.sleep(1.5)
        if self.mode == "down":
            self.send_error(500)
            return
        content = self.store.get(self.path)
        if content is None:
            self.send_error(404)
            return
        if self.mode == "corrupt" and "/cas/" in self.path:
            content = content[:-1] + bytes([content[-1] ^ 1])
        self.send_response(200)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    def do_PUT(self):  # noqa: N802
        self.store[self.path] = self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(201)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    Stub.store = {}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server, f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_entries_go_to_nginx_by_their_hash_and_come_back_checked(nginx):
    cache = RemoteCache(nginx["url"])
    assert cache.get("charts", "k1") is None and not cache.down  # a miss is no failure
    cache.put("charts", "k1", b"compiled chart")
    assert cache.get("charts", "k1") == b"compiled chart"
    name = hashlib.sha256(b"compiled chart").hexdigest()
    assert (nginx["prefix"] / "store" / "cache" / "cas" / name).read_bytes() == b"compiled chart"
    stored = list((nginx["prefix"] / "store" / "cache" / "ac").iterdir())
    assert any(p.read_bytes() == name.encode() for p in stored)
    assert all("k1" not in p.name and "charts" not in p.name for p in stored)  # keys are hashed again
    (nginx["prefix"] / "store" / "cache" / "cas" / name).write_bytes(b"compiled chart, altered")
    assert cache.get("charts", "k1") is None
    assert [d.code for d in cache.take_found()] == ["cache-remote-corrupt"]


@pytest.mark.parametrize("mode,said", [("down", "answered 500"), ("slow", "took more than 0.5 s")])
def test_a_cache_down_or_slow_is_asked_once_then_left(stub, mode, said):
    server, url = stub
    Stub.mode = mode
    cache = RemoteCache(url, timeout=0.5)
    started = time.monotonic()
    assert cache.get("charts", "k") is None and cache.get("cards", "k2") is None
    cache.put("charts", "k", b"x")
    assert time.monotonic() - started < 1.4  # one time limit, not one per request
    found = cache.take_found()
    assert [d.code for d in found] == ["cache-remote-down"] and said in found[0].message


def test_a_password_in_the_address_is_never_shown():
    cache = RemoteCache("http://robot:s3cret@127.0.0.1:1/cache/")
    assert cache.headers["Authorization"].startswith("Basic ")
    assert cache.get("charts", "k") is None
    assert "s3cret" not in str(cache.take_found()) and "s3cret" not in cache.where


def build(work: Path, *args: str, env: dict | None = None):
    done = run_cli("build", "--site-src", str(SITE_SRC), "--strict", *args, cwd=work,
                   env={"BROADSHEET_USER_CACHE": str(work / "user-cache"), **(env or {})})
    assert done.returncode == 0, done.stderr
    return done


def test_a_second_machine_reads_what_the_first_made_and_draws_nothing(nginx, tmp_path: Path):
    first = strict_clean(tmp_path / "first", stories=3)
    done = build(first, "--cache-url", nginx["url"])
    assert "(0 from cache)" in done.stdout
    second = tmp_path / "second"
    shutil.copytree(first / "content", second / "content")
    log = nginx["prefix"] / "access.log"
    before = log.read_text().count("\n")
    done = build(second, env={"BROADSHEET_CACHE_URL": nginx["url"]})
    charts = done.stdout.split("pages, ")[1].split(" charts")[0]
    assert f"({charts} from cache)" in done.stdout and int(charts) > 0, done.stdout
    asked = log.read_text().split("\n")[before:]
    assert not [line for line in asked if '"PUT ' in line]  # made nothing: sent nothing
    assert any('"GET /cache/cas/' in line and '" 200 ' in line for line in asked)
    assert snapshot_of(second / "_site") == snapshot_of(first / "_site")


def test_a_damaged_or_silent_cache_costs_a_warning_never_the_site(stub, tmp_path: Path):
    server, url = stub
    work = strict_clean(tmp_path / "work", stories=2)
    Stub.mode = "corrupt"
    build(work, "--cache-url", url, "--out", "first")  # fills the stub
    shutil.rmtree(work / ".cache")
    done = build(work, "--cache-url", url, "--out", "second")  # --strict: still a build
    assert "warning[cache-remote-corrupt]" in done.stderr and "Traceback" not in done.stderr
    Stub.mode = "down"
    shutil.rmtree(work / ".cache")
    done = build(work, "--cache-url", url, "--out", "third")
    assert "warning[cache-remote-down]" in done.stderr and "answered 500" in done.stderr
    assert snapshot_of(work / "second") == snapshot_of(work / "first") == snapshot_of(work / "third")
