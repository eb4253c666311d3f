"""The preview server against hostile clients and bad options: a foreign Host header (DNS
rebinding), 1,000 concurrent connections, silent clients, clients that hang up, HEAD on the
event stream, and a port or host it cannot have. Each case is bounded in time, ends without a
traceback, and leaves no process behind."""
from __future__ import annotations

import asyncio
import concurrent.futures
import posixpath
import re
import select
import socket
import struct
import subprocess
import time
from pathlib import Path

import pytest

from helpers import SITE_SRC
from hostile_support import Served, cli, copy_site


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    work = copy_site(tmp_path_factory.mktemp("serve"))
    server = Served(work, env={"BROADSHEET_IDLE_TIMEOUT": "1"})
    yield server
    code, out, err = server.stop()
    assert code == 0 and out.rstrip().endswith("Stopped."), (out, err)
    assert "Traceback" not in err and err == "", err  # no word on stderr: hang-ups are quiet


def raw(port: int, request: bytes, host: str = "127.0.0.1", timeout: float = 5.0) -> bytes:
    """Send bytes, read until the server closes the connection."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as connection:
        connection.settimeout(timeout)
        connection.connect((host, port))
        connection.sendall(request)
        chunks = []
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def get(port: int, path: str, host_header: str, method: str = "GET") -> tuple[int, bytes]:
    answer = raw(port, f"{method} {path} HTTP/1.1\r\nHost: {host_header}\r\nConnection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("header", ["evil.example:{port}", "evil.example", "127.0.0.1.nip.io:{port}",
                                    "localhost.evil.example:{port}", "0.0.0.0:{port}", "192.168.1.10:{port}"])
def test_a_foreign_host_header_gets_421_and_no_page(served, header):
    for path in ("/demo/", "/__broadsheet/events", "/__broadsheet/live.js", "/nothing"):
        status, body = get(served.port, path, header.format(port=served.port))
        assert status == 421, (header, path)
        assert body == b"Misdirected Request: this preview answers only to the names it listens on\n"


@pytest.mark.parametrize("header", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "LocalHost.:{port}",
                                    "localhost"])
def test_the_names_of_a_loopback_bind_are_answered(served, header):
    status, body = get(served.port, "/demo/", header.format(port=served.port))
    assert status == 200 and b"<main" in body


def test_head_on_the_event_stream_sends_headers_only(served):
    started = time.perf_counter()
    answer = raw(served.port, b"HEAD /__broadsheet/events HTTP/1.1\r\nHost: localhost\r\n\r\n", timeout=5)
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"text/event-stream" in head
    assert body == b"" and time.perf_counter() - started < 2


def test_a_silent_client_is_let_go_after_the_idle_timeout(served):
    for opening in (b"", b"GET /demo/ HT"):  # says nothing; starts a request and stalls
        started = time.perf_counter()
        answer = raw(served.port, opening, timeout=10)  # the fixture's idle timeout: 1 s
        assert answer == b"" and 0.8 < time.perf_counter() - started < 4


def test_a_client_that_trickles_its_request_is_let_go_too(served):
    """A byte every 0.1 s never trips a per-read timeout; the whole request has 1 s (the fixture's)."""
    started = time.perf_counter()
    request = b"GET /demo/ HTTP/1.1\r\nHost: localhost\r\nX-Slow: " + b"a" * 1000
    closed_after = None
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as connection:
        for byte in request:
            readable, _, _ = select.select([connection], [], [], 0.1)
            if readable:
                try:
                    if connection.recv(100) == b"":
                        closed_after = time.perf_counter() - started
                        break
                except ConnectionResetError:
                    closed_after = time.perf_counter() - started
                    break
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                closed_after = time.perf_counter() - started
                break
            if time.perf_counter() - started > 6:
                break
    assert closed_after is not None and 0.8 < closed_after < 2.5, closed_after


def test_clients_that_hang_up_mid_answer_leave_no_traceback(served):
    page = get(served.port, "/demo/", "localhost")[1].decode()
    runtime = re.search(r'data-vega-src="([^"]+)"', page).group(1)
    path = posixpath.normpath(posixpath.join("/demo/", runtime))
    assert get(served.port, path, "localhost")[0] == 200
    for _ in range(30):
        with socket.create_connection(("127.0.0.1", served.port), timeout=5) as connection:
            connection.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # reset, not close
    time.sleep(0.5)
    assert get(served.port, "/demo/", "localhost")[0] == 200  # and it still serves (the fixture checks stderr)


async def _many(port: int, count: int, timeout: float) -> tuple[int, int, float]:
    request = b"GET /demo/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"

    async def one() -> str:
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
            writer.write(request)
            answer = await asyncio.wait_for(reader.read(), timeout)
            writer.close()
            return "ok" if answer.startswith(b"HTTP/1.1 200") and answer.rstrip().endswith(b"</html>") else "bad"
        except (asyncio.TimeoutError, TimeoutError):
            return "timeout"
        except OSError:
            return "error"

    started = time.perf_counter()
    outcomes = await asyncio.gather(*(one() for _ in range(count)))
    return outcomes.count("timeout"), count - outcomes.count("ok"), time.perf_counter() - started


def _listen_backlog(port: int) -> int | None:
    """The backlog of the socket listening on `port`, as the kernel holds it (ss's Send-Q)."""
    try:
        listing = subprocess.run(["ss", "-ltnH", f"sport = :{port}"], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    fields = listing.split()
    return int(fields[2]) if len(fields) > 2 and fields[2].isdigit() else None


def test_1000_concurrent_requests_none_times_out(tmp_path: Path):
    """The queue of connections waiting for the server holds 1,024 (Python's default is 5: a burst
    of readers waited for the kernel's retransmissions, seconds each). Measured both ways: the
    kernel's own figure for the socket, and 1,000 requests at once, each given 15 s on a machine
    that may be busy with other tests."""
    work = copy_site(tmp_path)
    server = Served(work)
    try:
        backlog = _listen_backlog(server.port)
        with concurrent.futures.ThreadPoolExecutor(1) as own_loop:  # an event loop of its own, whatever runs here
            timed_out, failed, seconds = own_loop.submit(asyncio.run, _many(server.port, 1000, timeout=15)).result()
    finally:
        code, _, err = server.stop()
    if backlog is not None:
        assert backlog >= 1000, backlog
    print(f"1,000 concurrent requests: {timed_out} timed out, {failed} not answered in full, {seconds:.1f} s")
    assert timed_out == 0 and failed == 0
    assert code == 0 and "Traceback" not in err


def test_a_port_out_of_range_is_bad_usage(tmp_path: Path):
    result, seconds = cli("serve", "--site-src", str(SITE_SRC), "--port", "70000", cwd=copy_site(tmp_path), timeout=30)
    assert result.returncode == 2 and seconds < 10
    assert result.stderr.splitlines()[-2:] == [
        "broadsheet serve: error: argument --port: 70000 is not a port: ports go from 1 to 65535 (0: any free port)",
        "  hint: run `broadsheet serve --help` for the commands and options"]


def test_an_unresolvable_host_is_said_before_any_build(tmp_path: Path):
    result, seconds = cli("serve", "--site-src", str(SITE_SRC), "--host", "nosuch.invalid", cwd=copy_site(tmp_path),
                          timeout=60)
    assert result.returncode == 2 and seconds < 30 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"broadsheet: error: cannot listen on 'nosuch\.invalid': no address of that name \(.+\)", lines[0])
    assert lines[1:] == ["  hint: use an address of this machine: --host 127.0.0.1 (this machine only), --host ::1, "
                         "or --host 0.0.0.0 (your network)"]


def test_a_host_that_is_not_this_machine_is_bad_usage(tmp_path: Path):
    result, seconds = cli("serve", "--site-src", str(SITE_SRC), "--host", "192.0.2.1", cwd=copy_site(tmp_path),
                          timeout=60)
    assert result.returncode == 2 and seconds < 30 and "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "broadsheet: error: '192.0.2.1' is not an address of this machine",
        "  hint: use --host 127.0.0.1 (this machine only) or --host 0.0.0.0 (your network)"]


def test_ipv6_loopback_is_served(tmp_path: Path):
    if not socket.has_ipv6 or not Path("/proc/net/if_inet6").read_text().strip():
        pytest.skip("no IPv6 on this machine")
    server = Served(copy_site(tmp_path), "--host", "::1")
    try:
        assert server.url == f"http://localhost:{server.port}/"
        answer = raw(server.port, b"GET /demo/ HTTP/1.1\r\nHost: [::1]\r\nConnection: close\r\n\r\n", host="::1")
        assert answer.startswith(b"HTTP/1.1 200")
    finally:
        code, _, err = server.stop()
    assert code == 0 and "Traceback" not in err


def test_which_host_names_each_kind_of_bind_answers_to():
    from broadsheet import devserver

    state = devserver.PreviewState()
    cases = {"127.0.0.1": (["localhost:1", "127.0.0.1", "[::1]:8000", None], ["evil.example", "10.0.0.1", "[::2]"]),
             "0.0.0.0": (["localhost", "192.168.1.20:8000", "[fe80::1]:80", socket.gethostname(), None],
                         ["evil.example", "127.0.0.1.nip.io", "localhost.evil.example"])}
    for bind, (answered, refused) in cases.items():
        server = devserver.make_server(state, bind, 0)
        try:
            assert [server.host_allowed(h) for h in answered] == [True] * len(answered), bind
            assert [server.host_allowed(h) for h in refused] == [False] * len(refused), bind
        finally:
            server.server_close()
