"""Hostile and degenerate chart files (issue 23, items 9 and 10): a `.vl.json` nested thousands of
levels deep, two files for one chart, one chart placed twice, `usermeta` of the wrong type or naming
an unknown source. Each ends within a time bound as the exact diagnostic, exit 1, the previous site
byte-identical, no staging folder, no process left, and no request to a listener on 127.0.0.1 that a
chart names.

The sites are the basic fixture (three charts) with one change each; the per-user cache (the chart
runtime, the engine's bundle) is shared by the module, so each build compiles only the charts."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from helpers import snapshot_of
from hostile_support import FIXTURE, build_args, cli, staging_left
from test_hostile_fetch import listener  # noqa: F401 - a fixture

TIMEOUT = 120
SHARE = json.loads((FIXTURE / "demo" / "charts" / "share.vl.json").read_text("utf-8"))
HOST = "http://127.0.0.1:{port}"  # the listener's address, filled in per test


def _vl(**changes) -> str:
    spec = {**SHARE, **changes}
    return json.dumps(spec, indent=2, ensure_ascii=False) + "\n"


def _usermeta(**changes) -> str:
    return _vl(usermeta={**SHARE["usermeta"], **changes})


def _deep_in_usermeta(opening: str, closing: str, levels: int, url: bool = False) -> str:
    """share.vl.json with a value nested `levels` deep in its usermeta (and a layer reading the listener)."""
    text = _vl(**({"layer": [{"data": {"url": HOST + "/deep.csv"}, "mark": "point"}]} if url else {}))
    return text.replace('"usermeta": {', '"usermeta": {"deep": ' + opening * levels + "1" + closing * levels + ",", 1)


def _section(extra: str) -> str:
    return (FIXTURE / "demo" / "sections" / "02-calcul.md").read_text("utf-8") + extra


SUMMARY = "1 error in 1 file (nothing was written)\n"
TOO_DEEP = ("content/demo/charts/share.vl.json:{where}: error[chart-too-deep]: chart 'share' nests arrays and objects "
            "more than 100 levels deep\n  hint: a Vega-Lite spec needs a dozen levels at most: close the brackets "
            "opened before this place, or keep deep data in a CSV of the story's data/\n")
META_HINT = '  hint: write "{name}": "…"\n'
SOURCES_TYPE = ("content/demo/charts/share.vl.json:{line}:5: error[chart-meta-type]: usermeta.sources in chart 'share' "
                "must be a list of source keys\n  hint: write \"sources\": [\"semianalysis\", \"nbc\"], keys of "
                "`sources:` in facts.yaml\n")
PLACED = ("content/demo/sections/{at}: error[chart-placed-twice]: chart '{chart}' is placed twice: here and at "
          "{first}\n  hint: remove one of the two lines; to show the chart again in another form, copy its file "
          "under another name\n")
TWO_FILES = ("content/demo/charts/{second}: error[chart-two-files]: chart '{chart}' has two files: "
             "content/demo/charts/{first} and content/demo/charts/{second}\n  hint: remove or rename one of them: "
             "{{chart:{chart}}} must name one file\n")

CASES = {
    # a .vl.json nested deeper than Python's JSON reader (and every walk over a spec) can recurse
    "vl-arrays-6000-deep": ({"charts/share.vl.json": _deep_in_usermeta("[", "]", 6000)},
                            TOO_DEEP.format(where="4:122") + SUMMARY),
    "vl-objects-6000-deep": ({"charts/share.vl.json": _deep_in_usermeta('{"a": ', "}", 6000)},
                             TOO_DEEP.format(where="4:612") + SUMMARY),
    "vl-arrays-6000-never-closed": ({"charts/share.vl.json": "{\n  \"title\": \"T\",\n  \"x\": " + "[" * 6000 + "\n"},
                                    TOO_DEEP.format(where="3:107") + SUMMARY),
    "vl-101-deep-in-data-values": ({"charts/share.vl.json": _vl(data={"values": [json.loads("[" * 99 + "]" * 99)]})},
                                   TOO_DEEP.format(where="107:201") + SUMMARY),
    "vl-deep-and-reading-the-listener": ({"charts/share.vl.json": _deep_in_usermeta("[", "]", 6000, url=True)},
                                         TOO_DEEP.format(where="4:122") + SUMMARY),
    "vl-deep-as-a-whole-file": ({"charts/share.vl.json": "[" * 100_000 + "]" * 100_000},
                                TOO_DEEP.format(where="1:101") + SUMMARY),
    # two files for one chart
    "vl-beside-py": ({"charts/pay.vl.json": _vl(data={"url": HOST + "/pay.csv"})},
                     TWO_FILES.format(chart="pay", first="pay.py", second="pay.vl.json") + SUMMARY),
    "py-beside-vl": ({"charts/share.py": (FIXTURE / "demo" / "charts" / "pay.py").read_text("utf-8")},
                     TWO_FILES.format(chart="share", first="share.py", second="share.vl.json") + SUMMARY),
    # one chart placed twice
    "placed-twice-in-one-section": ({"sections/02-calcul.md": _section("\n{chart:share}\n")},
                                    PLACED.format(at="02-calcul.md:12:1", chart="share",
                                                  first="content/demo/sections/02-calcul.md:10") + SUMMARY),
    "placed-in-two-sections": ({"sections/02-calcul.md": _section("\n{chart:pay}\n")},
                               PLACED.format(at="02-calcul.md:12:1", chart="pay",
                                             first="content/demo/sections/01-salaires.md:6") + SUMMARY),
    "placed-three-times": ({"sections/02-calcul.md": _section("\n{chart:calculator}\n\n{chart:calculator}\n")},
                           PLACED.format(at="02-calcul.md:12:1", chart="calculator",
                                         first="content/demo/sections/02-calcul.md:6") +
                           PLACED.format(at="02-calcul.md:14:1", chart="calculator",
                                         first="content/demo/sections/02-calcul.md:6") +
                           "2 errors in 1 file (nothing was written)\n"),
    # usermeta, the Vega-Lite side of a Python chart's CAPTION, SOURCE and SOURCES
    "usermeta-sources-unknown": ({"charts/share.vl.json": _usermeta(sources=["nbc", "wired"])},
                                 "content/demo/charts/share.vl.json:9:7: error[source-unknown]: chart 'share' names "
                                 "unknown source 'wired'\n  hint: sources are defined under `sources:` in "
                                 "content/demo/facts.yaml\n" + SUMMARY),
    "usermeta-sources-typo": ({"charts/share.vl.json": _usermeta(sources=["semianalysys"])},
                              "content/demo/charts/share.vl.json:8:7: error[source-unknown]: chart 'share' names "
                              "unknown source 'semianalysys'\n  hint: did you mean 'semianalysis'? sources are "
                              "defined under `sources:` in content/demo/facts.yaml\n" + SUMMARY),
    "usermeta-sources-a-string": ({"charts/share.vl.json": _usermeta(sources="nbc")},
                                  SOURCES_TYPE.format(line=7) + SUMMARY),
    "usermeta-sources-holds-a-number": ({"charts/share.vl.json": _usermeta(sources=["nbc", 7])},
                                        SOURCES_TYPE.format(line=7) + SUMMARY),
    "usermeta-caption-a-number": ({"charts/share.vl.json": _usermeta(caption=5)},
                                  "content/demo/charts/share.vl.json:5:5: error[chart-meta-type]: usermeta.caption in "
                                  "chart 'share' must be a string\n" + META_HINT.format(name="caption") + SUMMARY),
    "usermeta-source-an-object": ({"charts/share.vl.json": _usermeta(source={"name": "TIME"})},
                                  "content/demo/charts/share.vl.json:6:5: error[chart-meta-type]: usermeta.source in "
                                  "chart 'share' must be a string\n" + META_HINT.format(name="source") + SUMMARY),
}


def _site(work: Path, files: dict[str, str], host: str) -> None:
    shutil.copytree(FIXTURE, work / "content")
    for name, text in files.items():
        (work / "content" / "demo" / name).write_text(text.replace(HOST, host), encoding="utf-8")


@pytest.fixture(scope="module")
def user_cache(tmp_path_factory) -> dict:
    return {"BROADSHEET_USER_CACHE": str(tmp_path_factory.mktemp("user-cache"))}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_hostile_chart_file_is_a_diagnostic_in_bounded_time(name, tmp_path: Path, listener, user_cache):  # noqa: F811
    host, hits = listener
    files, expected = CASES[name]
    work = tmp_path / "work"
    work.mkdir()
    _site(work, files, host)
    previous = work / "_site"
    previous.mkdir()
    (previous / ".broadsheet-output").write_text("marker\n")
    (previous / "index.html").write_text("<p>the previous, good site</p>\n")
    before = snapshot_of(previous)
    result, seconds = cli(*build_args(), cwd=work, env=user_cache, timeout=TIMEOUT)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr == expected
    assert result.returncode == 1
    assert seconds < 60
    assert snapshot_of(previous) == before
    assert staging_left(work) == []
    assert hits == []


def _good(work: Path, files: dict[str, str], env: dict, *args: str) -> tuple[int, str, str]:
    _site(work, files, "http://127.0.0.1:9")
    result, seconds = cli(*build_args(*args), cwd=work, env=env, timeout=TIMEOUT)
    assert "Traceback" not in result.stderr and seconds < 60
    page = (work / "_site" / "demo" / "index.html").read_text("utf-8") if result.returncode == 0 else ""
    return result.returncode, result.stderr, page


def test_brackets_inside_strings_and_100_levels_are_not_too_deep(tmp_path: Path, user_cache):
    title = "[" * 6000 + " crochets"
    text = _deep_in_usermeta("[", "]", 98)  # with the spec and its usermeta: 100 levels
    text = text.replace('"title": "Qui gagne quoi"', f'"title": "{title}"')
    code, stderr, page = _good(tmp_path, {"charts/share.vl.json": text}, user_cache)
    assert code == 0, stderr
    assert "[" * 6000 in page  # the title, as written


def test_usermeta_sources_are_honored_as_a_python_charts_sources(tmp_path: Path, user_cache):
    facts = (FIXTURE / "demo" / "facts.yaml").read_text("utf-8") + (
        "  wired:\n    name: The Hidden Workforce\n    publisher: Wired Test\n    url: https://wired.example/x\n"
        "    date: 2023-02-01\n")
    code, stderr, _ = _good(tmp_path / "a", {"facts.yaml": facts}, user_cache, "--strict")
    assert code == 1 and "error[source-unused]: source 'wired' is cited by no fact and no chart" in stderr
    code, stderr, page = _good(tmp_path / "b", {"facts.yaml": facts, "charts/share.vl.json": _usermeta(sources=["wired"])},
                               user_cache, "--strict")
    assert code == 0, stderr
    assert "Wired Test" in page and "The Hidden Workforce" in page
