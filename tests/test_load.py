"""The preview server under load, on loopback: 200 concurrent requests while 20 real rebuilds run.
Bounded in count and time; every answer must be a whole page of one version."""
from __future__ import annotations

import concurrent.futures
import http.client
import shutil
import statistics
import threading
import time
from pathlib import Path

from broadsheet import devserver, pipeline
from broadsheet.output import MemoryWriter
from helpers import SITE_SRC

FIXTURE = Path(__file__).parent / "sites" / "basic" / "content"


def test_200_concurrent_requests_during_20_rebuilds(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    section = tmp_path / "content" / "demo" / "sections" / "01-salaires.md"
    original = section.read_text()
    options = pipeline.BuildOptions(project=tmp_path, content=tmp_path / "content", site_src=SITE_SRC,
                                    out=tmp_path / "_site", cache_dir=tmp_path / ".cache")

    def rebuild():
        writer = MemoryWriter()
        pipeline.build(options, writer)
        return writer.files

    state = devserver.PreviewState()
    devserver.run_build(state, rebuild, devserver.error_page_text)
    server = devserver.make_server(state, "127.0.0.1", 0)
    assert server.server_address[0] == "127.0.0.1"
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    port = server.server_address[1]
    versions = {state.snapshot.files["demo/index.html"]}

    def rebuilds():
        for number in range(20):
            section.write_text(original + f"\nVersion {{literal:{number}}}.\n")
            devserver.run_build(state, rebuild, devserver.error_page_text)
            versions.add(state.snapshot.files["demo/index.html"])

    def request(_):
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/demo/")
        response = connection.getresponse()
        body = response.read().replace(devserver.LIVE_SCRIPT_TAG, b"")
        connection.close()
        return response.status, body, time.perf_counter() - started

    builder = threading.Thread(target=rebuilds)
    builder.start()
    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(request, range(200)))
    builder.join(timeout=120)
    server.shutdown()
    server.server_close()

    assert state.snapshot.version == 21 and state.snapshot.errors == ""
    errors = [status for status, _, _ in results if status != 200]
    partial = [body[:60] for _, body, _ in results if body not in versions]
    latencies = sorted(seconds for _, _, seconds in results)
    print(f"200 requests, 20 rebuilds: {len(errors)} errors, {len(partial)} partial or mixed pages, "
          f"median {statistics.median(latencies) * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    assert errors == [] and partial == []
