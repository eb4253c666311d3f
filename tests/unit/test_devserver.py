"""The preview server in-process: paths that leave the site, MIME types, 404, reload script,
and requests during rebuilds that must see one whole version or the other, never a mix."""
from __future__ import annotations

import http.client
import threading

import pytest

from broadsheet import devserver
from broadsheet.diagnostics import BuildFailed, SourceLocation, error

SITE = {
    "index.html": b"<!doctype html><html><body><p>home</p></body></html>",
    "404.html": b"<!doctype html><html><body><p>not here</p></body></html>",
    "demo/index.html": b"<!doctype html><html><body><p>story</p></body></html>",
    "assets/site.css": b"body{}",
    "assets/app.js": b"1;",
    "demo/charts/a.svg": b"<svg/>",
    "demo/data/a.csv": b"a\n1\n",
}


@pytest.fixture
def server():
    state = devserver.PreviewState()
    state.publish(devserver.Snapshot(SITE, 1))
    httpd = devserver.make_server(state, "127.0.0.1", 0)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield state, httpd.server_address[1]
    state.stopping = True
    state.publish(state.snapshot)
    httpd.shutdown()
    httpd.server_close()


def get(port: int, path: str, method: str = "GET"):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request(method, path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Content-Type"), body, response


@pytest.mark.parametrize("path", ["/../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/demo/..%2f..%2fetc/passwd",
                                  "/demo/%2e%2e/%2e%2e/x", "/..\\..\\windows", "/a%00b"])
def test_paths_leaving_the_site_are_refused(server, path):
    _, port = server
    status, _, body, _ = get(port, path)
    assert status == 403 and b"root:" not in body


@pytest.mark.parametrize("path, mime", [("/assets/site.css", "text/css"), ("/assets/app.js", "text/javascript"),
                                        ("/demo/charts/a.svg", "image/svg+xml"), ("/demo/data/a.csv", "text/csv"),
                                        ("/demo/", "text/html")])
def test_mime_types(server, path, mime):
    _, port = server
    status, content_type, _, _ = get(port, path)
    assert status == 200 and content_type.startswith(mime)


def test_missing_page_gets_the_site_404_with_status_404(server):
    _, port = server
    status, _, body, _ = get(port, "/nothing/here")
    assert status == 404 and b"not here" in body


def test_folder_without_slash_redirects(server):
    _, port = server
    status, _, _, response = get(port, "/demo")
    assert status == 301 and response.getheader("Location") == "/demo/"


def test_live_script_is_injected_only_when_serving(server):
    _, port = server
    _, _, body, _ = get(port, "/demo/")
    assert body.count(devserver.LIVE_SCRIPT_TAG) == 1
    assert devserver.LIVE_SCRIPT_TAG not in SITE["demo/index.html"]
    _, _, css, _ = get(port, "/assets/site.css")
    assert css == SITE["assets/site.css"]


def test_failed_rebuild_keeps_the_last_good_site_and_reports(server):
    state, port = server

    def broken():
        raise BuildFailed((error("fact-unknown", "unknown fact 'x'", SourceLocation("a.md", 3, 1), "fix it"),))

    devserver.run_build(state, broken, devserver.error_page_text)
    assert state.snapshot.version == 1 and "a.md:3:1: error[fact-unknown]" in state.snapshot.errors
    assert get(port, "/demo/")[2].startswith(SITE["demo/index.html"][:20])
    devserver.run_build(state, lambda: SITE, devserver.error_page_text)
    assert state.snapshot.version == 2 and state.snapshot.errors == ""


def test_requests_during_rebuilds_see_whole_versions(server):
    state, port = server
    versions = [{path: content.replace(b"<p>", b"<p>v%d " % n) for path, content in SITE.items()} for n in range(30)]
    expected = {v["demo/index.html"] for v in versions} | {SITE["demo/index.html"]}
    seen, problems = [], []

    def reader():
        for _ in range(40):
            status, _, body, _ = get(port, "/demo/")
            page = body.replace(devserver.LIVE_SCRIPT_TAG, b"")
            (seen if status == 200 and page in expected else problems).append(page)

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for version in versions:
        devserver.run_build(state, lambda v=version: v, devserver.error_page_text)
    for thread in threads:
        thread.join()
    assert problems == [] and len(seen) == 320
