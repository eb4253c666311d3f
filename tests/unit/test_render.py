from broadsheet.render import json_for_script, relative


def test_relative_urls_work_from_any_depth():
    assert relative("index.html", "") == "./"
    assert relative("demo/index.html", "") == "../"
    assert relative("demo/index.html", "assets/site.css") == "../assets/site.css"
    assert relative("demo/index.html", "demo/charts/a.svg") == "charts/a.svg"
    assert relative("index.html", "demo/") == "demo/"


def test_json_in_script_cannot_close_the_tag():
    text = json_for_script({"title": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text
