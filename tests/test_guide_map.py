"""The author guide's map section, followed to the letter on real shapes (issue 16's "done when"):
France's 96 départements (IGN ADMIN EXPRESS-COG 2017, tests/maps/departements-2017.topojson), the
guide's facts, CSV and chart copied into a story, built by the command line. The map draws every
département, the ones the CSV leaves out in the missing colour with the "no data" key, the table and
the downloads are there, and a key that lost its leading zero is named with the fix."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import REPO, SITE_SRC, run_cli

GUIDE = (REPO / "docs" / "author-guide.md").read_text(encoding="utf-8")
SHAPES = REPO / "tests" / "maps" / "departements-2017.topojson"
THEME = json.loads((SITE_SRC / "theme.json").read_text())
MISSING = THEME["maps"]["scale"]["invalid"]["fill"]["value"]


def guide_block(language: str, after: str) -> str:
    """The first ```language block after the guide's words `after`, as a journalist copies it."""
    start = GUIDE.index(f"```{language}\n", GUIDE.index(after)) + len(language) + 4
    return GUIDE[start:GUIDE.index("```", start)]


def guide_story(work: Path, table: str) -> None:
    """A site with one story made only of what the guide's map section says to write."""
    content = work / "content"
    folder = content / "chomage"
    for name in ("charts", "data", "sections"):
        (folder / name).mkdir(parents=True)
    (content / "site.yaml").write_text("title: Cartes\nlanguage: fr\n")
    (folder / "index.md").write_text("---\ntitle: Le chômage\npublished: 2024-03-01\n---\n\nLa carte.\n")
    (folder / "facts.yaml").write_text("facts: {}\n" + guide_block("yaml", "**1. The shapes.**"), encoding="utf-8")
    shutil.copy(SHAPES, folder / "data" / "departements.topojson")
    (folder / "data" / "chomage.csv").write_text(table, encoding="utf-8")
    (folder / "charts" / "chomage.py").write_text(guide_block("python", "**3. The chart**"), encoding="utf-8")
    (folder / "sections" / "01-carte.md").write_text("## La carte\n\n{chart:chomage}\n", encoding="utf-8")


def shape_fills(svg: str) -> list[str]:
    """The fill of each outline the geoshape mark draws (not the legend's)."""
    group = re.search(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    paths = re.findall(r'<path\b[^>]*\bd="M[^>]*>', group.group(1)) if group else []
    return [re.search(r'\bfill="([^"]+)"', path).group(1) for path in paths]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("guide-map")
    guide_story(work, guide_block("csv", "**2. The values.**"))
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=work)
    assert done.returncode == 0, done.stdout + done.stderr
    return work / "_site", done.stdout + done.stderr


def test_the_real_shapes_are_the_96_departements():
    geometries = json.loads(SHAPES.read_text())["objects"]["departements"]["geometries"]
    expected = sorted([f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"])
    assert sorted(g["id"] for g in geometries) == expected


def test_the_guide_map_draws_every_departement_and_the_missing_ones_in_grey(built):
    site, _ = built
    page = (site / "chomage" / "index.html").read_text(encoding="utf-8")
    wide = re.search(r'<img class="chart-static" src="([^"]+)"', page).group(1)
    narrow = re.search(r'<source media="[^"]*" srcset="([^"]+)"', page).group(1)
    rows = guide_block("csv", "**2. The values.**").strip().splitlines()[1:]
    for picture in (wide, narrow):
        svg = (site / "chomage" / html.unescape(picture)).read_text(encoding="utf-8")
        fills = shape_fills(svg)
        assert len(fills) == 96, picture  # one outline per département, Corsica's two included
        assert fills.count(MISSING) == 96 - len(rows) and len(set(fills) - {MISSING}) == len(rows)
        labels = [html.unescape(label) for label in re.findall(r'aria-label="([^"]*)"', svg)]
        assert any("AIN" in label and "5,9" in label for label in labels)  # the shapes' name, French numbers
        assert any("HAUTE-CORSE" in label and "donnée manquante" in label for label in labels)


def test_the_guide_map_has_its_key_table_and_downloads(built):
    site, _ = built
    page = (site / "chomage" / "index.html").read_text(encoding="utf-8")
    key = re.search(r'<p class="chart-key">(.*?)</p>', page, re.S)
    assert key and f'fill="{MISSING}"' in key.group(1) and "Pas de donnée" in key.group(1)
    table = re.search(r'<details class="chart-data">(.*?)</details>', page, re.S).group(1)
    assert "Corse-du-Sud" in table and table.count("<tr") == 1 + 3  # the header and the guide's three rows
    downloads = re.findall(r'<a href="([^"]+)" download>', page)
    assert any(url.endswith(".csv") for url in downloads) and any("shapes." in url for url in downloads)
    for url in downloads:
        assert (site / "chomage" / url).resolve().is_file(), url


def test_the_build_names_the_departements_left_without_a_value(built):
    _, output = built
    assert "map-shape-no-value" in output and "'03'" in output and "'2B'" in output
    assert "map-key-unmatched" not in output  # 01, 02 and 2A meet their shapes


def test_a_code_that_lost_its_leading_zero_is_named_with_the_fix(tmp_path: Path):
    table = guide_block("csv", "**2. The values.**").replace("\n01,", "\n1,").replace("\n02,", "\n2,")
    guide_story(tmp_path, table)
    done = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    warning = next(line for line in output.splitlines() if "map-key-unmatched" in line)
    assert "charts/chomage.py:" in warning and "'1', '2'" in warning
    assert "leading zeros" in output and "'01'" in output
