"""A map's light shapes are written once for the whole site (issue 16): two stories, and two maps in
one story, drawing the same shapes at the same simplification name one content-hashed file, which
every live view fetches; the pages and the downloads link to it."""
from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO, SITE_SRC, run_cli

STATES = REPO / "tests" / "maps" / "us-states-10m.topojson"

MAP = """import altair as alt

TITLE = "{title}"
ALT = "A map of the fifty states, shaded by the length of each state's name."


def chart(data, facts):
    states = alt.topo_feature("data/states.topojson", "states")
    return alt.Chart(states).mark_geoshape().transform_lookup(
        lookup="properties.name", from_=alt.LookupData(data["letters"], key="name", fields=["letters"])
    ).encode(color=alt.Color("letters", type="quantitative", title="Letters"),
             tooltip=[alt.Tooltip("properties.name", type="nominal", title="State")]).project("albersUsa")
"""


def story(content: Path, slug: str, charts: list[str], without: str = "") -> None:
    """A story whose maps shade the states by the length of their names (`without`: a state left out)."""
    folder = content / slug
    (folder / "charts").mkdir(parents=True)
    (folder / "sections").mkdir()
    (folder / "data").mkdir()
    (folder / "index.md").write_text(
        f"---\ntitle: Names of the states, {slug}\ndek: How long each state's name is.\nbyline: A. Writer\n"
        f"published: 2025-01-20\nlanguage: en\nlead_chart: {charts[0]}\n---\nThe states have {{fact:states}} names.\n")
    (folder / "facts.yaml").write_text(
        "facts:\n  states:\n    value: 50\n    unit: ''\n    as_of: 2025-01-01\n    source: census\n    status: confirmed\n"
        "sources:\n  census:\n    name: The states\n    publisher: US Census Bureau\n    date: 2025-01-01\n")
    (folder / "sections" / "01-map.md").write_text("## The map\n\n" + "\n\n".join(f"{{chart:{c}}}" for c in charts) + "\n")
    shutil.copy(STATES, folder / "data" / "states.topojson")
    names = [g["properties"]["name"] for g in json.loads(STATES.read_text())["objects"]["states"]["geometries"]]
    (folder / "data" / "letters.csv").write_text("name,letters\n" + "".join(f"{n},{len(n)}\n" for n in names if n != without))
    for chart in charts:
        (folder / "charts" / f"{chart}.py").write_text(MAP.format(title=f"States ({chart})"))


@pytest.fixture(scope="module")
def two_stories(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("shared-shapes")
    content = work / "content"
    content.mkdir()
    (content / "site.yaml").write_text("title: Maps\ndescription: Two stories, one map.\nlanguage: en\n")
    story(content, "first", ["states_a", "states_b"])
    story(content, "second", ["states_c"], without="Texas")
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    return work / "_site"


def test_three_maps_in_two_stories_write_one_shapes_file(two_stories: Path):
    shared = sorted(p.relative_to(two_stories).as_posix() for p in two_stories.rglob("shapes.*.json"))
    assert len(shared) == 1 and re.fullmatch(r"assets/shapes\.[0-9a-f]{10}\.json", shared[0]), shared
    content = (two_stories / shared[0]).read_bytes()
    assert json.loads(content)["type"] == "Topology"
    assert len(gzip.compress(content, 6)) <= 60 * 1024  # the 50 states, light, within the live budget
    assert len(content) < STATES.stat().st_size / 2  # simplified and quantized, not the file as it came
    name = shared[0].split("/")[1]
    for slug, maps in (("first", 2), ("second", 1)):
        page = (two_stories / slug / "index.html").read_text()
        assert page.count('data-shapes="../assets/"') == maps  # each live view resolves the shapes there
        assert page.count(f'href="../assets/{name}" download') == maps  # and each download links to it
        assert f'"url":"data/{name}"' in page or f'data/{name}' in page  # the spec names the one file
        assert not list((two_stories / slug).rglob("shapes.*"))  # no copy in the story's folder


def test_a_story_taken_as_it_is_keeps_the_shapes_it_fetches(two_stories: Path):
    """The next build into the same folder takes both stories unchanged; the one shapes file stays."""
    before = sorted(p.name for p in (two_stories / "assets").glob("shapes.*.json"))
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=two_stories.parent)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 charts (3 from cache)" in done.stdout  # both stories taken as they were
    assert sorted(p.name for p in (two_stories / "assets").glob("shapes.*.json")) == before and len(before) == 1


def test_a_map_with_a_state_drawn_as_missing_says_so_in_its_key(two_stories: Path):
    """Texas has no value in the second story: its map's key shows the missing colour and "No data"
    (the page's words, from the catalog), beside the picture and the live view alike."""
    theme = json.loads((SITE_SRC / "theme.json").read_text())
    missing = theme["maps"]["scale"]["invalid"]["fill"]["value"]
    second = (two_stories / "second" / "index.html").read_text()
    key = re.search(r'<p class="chart-key">(.*?)</p>', second, re.S)
    assert key and f'fill="{missing}"' in key.group(1) and "No data" in key.group(1)
    assert 'class="chart-key"' not in (two_stories / "first" / "index.html").read_text()  # every state has a value
