"""A chart can name data or pictures by address; the build fetches none and reads no file outside
the story, whatever the path a chart takes (small or large tables, Altair or Vega-Lite, layers,
lookups, images). A listener on 127.0.0.1 proves that nothing was asked of it."""
from __future__ import annotations

import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest

from helpers import SITE_SRC, run_cli, snapshot_of

SECRET = "SECRET_ROW_7f3a"


@pytest.fixture
def listener():
    """An HTTP server on a free loopback port that records every request it gets."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the standard library's name
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(f"who,usd_per_hour\n{SECRET},5\n".encode())

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _vl(data, **view) -> dict:
    return {"title": "T", "description": "Une description.", "data": data, **view}


BAR = {"mark": "bar", "encoding": {"x": {"field": "usd_per_hour", "type": "quantitative", "bin": True},
                                  "y": {"aggregate": "count", "type": "quantitative"}}}
TEXT = {"mark": "text", "encoding": {"text": {"field": "who", "type": "nominal"}}}


def vegalite_cases(host: str, secret: Path) -> dict[str, dict]:
    story = {"url": "data/pay.csv"}
    return {
        "layer_http": {"title": "T", "description": "D.", "layer": [{"data": story, **BAR},
                                                                  {"data": {"url": f"{host}/a.csv"}, **TEXT}]},
        "lookup_file": _vl(story, transform=[{"lookup": "who", "from": {"data": {"url": secret.as_uri()}, "key": "who",
                                                                        "fields": ["usd_per_hour"]}, "as": ["leak"]}],
                           mark="bar", encoding={"y": {"field": "leak", "type": "nominal"},
                                                 "x": {"aggregate": "count", "type": "quantitative"}}),
        "protocol_relative": _vl({"url": host.replace("http:", "") + "/b.csv"}, **TEXT),
        "upper_case_scheme": _vl({"url": host.replace("http", "HTTP") + "/c.csv"}, **TEXT),
        "absolute_path": _vl({"url": str(secret)}, **TEXT),
        "concat_http": {"title": "T", "description": "D.", "hconcat": [{"data": story, **BAR},
                                                                      {"data": {"url": f"{host}/d.csv"}, **TEXT}]},
        "topojson_http": _vl({"url": f"{host}/e.json", "format": {"type": "topojson", "feature": "x"}},
                             mark="geoshape"),
    }


def python_cases(host: str, secret: Path, secret_png: Path) -> dict[str, str]:
    head = 'import altair as alt\nTITLE = "T"\nALT = "Une description."\n\ndef chart(data, facts):\n'
    big = '    big = alt.Chart(data["pay"]).mark_bar().encode(alt.X("usd_per_hour:Q", bin=True), y="count()")\n'
    return {
        "py_urldata": head + big + f'    return big + alt.Chart(alt.UrlData("{host}/f.csv")).mark_text().encode(text="who:N")\n',
        "py_string_url": head + f'    return alt.Chart("{host}/g.csv").mark_text().encode(text="who:N")\n',
        "py_lookup_file": head + '    return alt.Chart(data["pay"]).mark_bar().encode(y="leak:N", x="count()").transform_lookup(\n'
                          f'        lookup="who", from_=alt.LookupData(alt.UrlData("{secret.as_uri()}"), "who", ["usd_per_hour"]),\n'
                          '        as_=["leak"])\n',
        "py_image_http": head + f'    rows = alt.Data(values=[{{"u": "{host}/h.png"}}])\n'
                         '    return alt.Chart(rows).mark_image(width=20, height=20).encode(url="u:N")\n',
        "py_image_local": head + f'    rows = alt.Data(values=[{{"u": "{secret_png}"}}])\n'
                          '    return alt.Chart(rows).mark_image(width=20, height=20).encode(url="u:N")\n',
    }


def _site(root: Path, vegalite: dict[str, dict], python: dict[str, str]) -> Path:
    content = root / "content"
    story = content / "demo"
    (story / "charts").mkdir(parents=True)
    (story / "data").mkdir()
    (story / "sections").mkdir()
    (content / "site.yaml").write_text("title: Test\nlanguage: fr\nabsolute_url: https://example.org/\n")
    (story / "index.md").write_text("---\ntitle: Démo\npublished: 2024-01-01\n---\n")
    rows = "\n".join(f"p{i},{i % 30}" for i in range(800))  # over the 500 rows that go through VegaFusion
    (story / "data" / "pay.csv").write_text(f"who,usd_per_hour\n{rows}\n")
    (story / "facts.yaml").write_text("facts: {}\nsources: {}\n")
    for name, spec in vegalite.items():
        (story / "charts" / f"{name}.vl.json").write_text(json.dumps(spec, indent=1))
    for name, code in python.items():
        (story / "charts" / f"{name}.py").write_text(code)
    body = "## Section\n\n" + "".join(f"{{chart:{name}}}\n\n" for name in [*vegalite, *python])
    (story / "sections" / "01-texte.md").write_text(body)
    return content


def test_no_chart_can_fetch_or_read_outside_the_story(tmp_path, listener):
    host, hits = listener
    secret = tmp_path / "secret.csv"
    secret.write_text(f"who,usd_per_hour\n{SECRET},5\n")
    secret_png = tmp_path / "secret.png"
    import vl_convert
    secret_png.write_bytes(vl_convert.svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9">'
                                                 '<rect width="9" height="9" fill="red"/></svg>'))
    vegalite, python = vegalite_cases(host, secret), python_cases(host, secret, secret_png)
    work = tmp_path / "work"
    work.mkdir()
    _site(work, vegalite, python)
    previous = work / "_site"
    previous.mkdir()
    (previous / ".broadsheet-output").write_text("marker\n")
    (previous / "index.html").write_text("<p>the previous site</p>\n")
    before = snapshot_of(previous)

    result = run_cli("build", "--site-src", str(SITE_SRC), "--no-cache", cwd=work)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert hits == []
    for name in vegalite:
        assert f"content/demo/charts/{name}.vl.json:" in result.stderr, name
    for name in python:
        assert f"content/demo/charts/{name}.py:" in result.stderr, name
    errors = [line for line in result.stderr.splitlines() if ": error[" in line]
    assert len(errors) == len(vegalite) + len(python), result.stderr
    assert all("error[chart-data-unknown]" in line for line in errors), result.stderr
    assert "the build fetches nothing" in result.stderr and "readers would fetch it" in result.stderr
    assert snapshot_of(previous) == before
    assert sorted(p.name for p in work.iterdir()) == ["_site", "content"]


def test_the_chart_line_is_named(tmp_path, listener):
    """The message points at the address in the chart file, where the author fixes it."""
    host, hits = listener
    work = tmp_path / "work"
    work.mkdir()
    _site(work, {}, {"py_urldata": python_cases(host, tmp_path, tmp_path)["py_urldata"]})
    result = run_cli("check", "--site-src", str(SITE_SRC), "--no-cache", cwd=work)
    assert result.returncode == 1 and hits == []
    first = result.stderr.splitlines()[0]
    assert first.startswith("content/demo/charts/py_urldata.py:7:"), result.stderr
    assert f"reads data from '{host}/f.csv'" in first


def test_vegafusion_is_handed_no_address(listener):
    """The last guard: the large-table evaluator refuses a spec naming any address but its own."""
    from broadsheet.charts import large_tables

    host, hits = listener
    vega = {"data": [{"name": "t"}, {"name": "leak", "url": f"{host}/i.csv", "format": {"type": "csv"}}],
            "marks": [{"type": "group", "data": [{"name": "inner", "url": {"signal": f"'{host}/j.csv'"}}]}]}
    with pytest.raises(large_tables.PretransformFailed, match="names an address"):
        large_tables.evaluate(vega, {"t": (("a",), [{"a": 1}])})
    vega["data"] = vega["data"][:1]
    with pytest.raises(large_tables.PretransformFailed, match="names an address"):
        large_tables.evaluate(vega, {"t": (("a",), [{"a": 1}])})
    assert hits == []
