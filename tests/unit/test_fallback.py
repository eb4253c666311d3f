import gzip
import subprocess
import shutil

import pytest

from broadsheet import fallback, i18n

SPEC = {"data": {"values": [{"a": "x", "b": 1200}, {"a": "y", "b": 2}]}, "mark": "bar",
        "encoding": {"y": {"field": "a", "type": "nominal"}, "x": {"field": "b", "type": "quantitative"}}}


def test_compile_gives_vega_and_an_svg_of_the_same_size_in_french():
    vega, svg, problems = fallback.compile_chart("t", "charts/t.py", SPEC, i18n.d3_locales("fr"))
    assert problems == []
    assert vega["$schema"].endswith("vega/v6.json")
    width, height = fallback.svg_size(svg)
    assert width > 0 and height > 0
    assert "1\u202f200" in svg  # the axis is formatted like the prose


def test_external_data_is_never_fetched():
    spec = dict(SPEC, data={"url": "https://example.org/data.csv"})
    vega, _, problems = fallback.compile_chart("t", "charts/t.py", spec, i18n.d3_locales("fr"))
    assert vega is None and problems[0].code == "chart-render"


def test_runtime_is_one_wrapped_script_defining_vega_embed():
    runtime = fallback.vega_runtime()
    assert runtime.startswith(b"/* Vega ") and runtime.rstrip().endswith(b"})();")
    assert b"window.vegaEmbed=" in runtime
    assert len(gzip.compress(runtime)) < 330_000


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node to evaluate the bundle")
def test_vl_convert_vega_only_bundle_still_exports_null(tmp_path):
    """Why the page loads vega-embed: vl-convert 1.9's `window.vega = vega;` bundle sets window.vega
    to null. When this test fails, vl-convert has fixed it and the page can drop 100 KB gz."""
    import vl_convert
    bundle = tmp_path / "vega.js"
    bundle.write_text("(function(){" + vl_convert.javascript_bundle("window.vega = vega;") + "\n})();")
    probe = f"global.window=global;require({str(bundle)!r});console.log(String(window.vega));"
    out = subprocess.run(["node", "-e", probe], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "null"
