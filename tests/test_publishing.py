"""What a deploy produces and how it is made: feeds and maps parse, link previews are there,
links are checked, and the deploy recipes run the same build command that passes here."""
from __future__ import annotations

import re
import shutil
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

from helpers import REPO, SITE_SRC, run_cli

FIXTURE = Path(__file__).parent / "sites" / "basic" / "content"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def built(tmp_path: Path, *args: str) -> Path:
    if not (tmp_path / "content").exists():
        shutil.copytree(FIXTURE, tmp_path / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    return tmp_path / "_site"


def test_sitemap_robots_and_atom_feed_parse(tmp_path: Path):
    site = built(tmp_path)
    urls = [u.findtext(f"{SITEMAP}loc") for u in ET.parse(site / "sitemap.xml").getroot()]
    assert urls == ["https://broadsheet.example/test/demo/comment-nous-le-savons/",  # the story's ledger page
                    "https://broadsheet.example/test/demo/", "https://broadsheet.example/test/"]
    assert "Sitemap: https://broadsheet.example/test/sitemap.xml" in (site / "robots.txt").read_text()
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    entry = feed.find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Les salaires des petites mains de l'IA"
    assert entry.findtext(f"{ATOM}updated") == "2023-06-01T00:00:00Z"
    assert entry.find(f"{ATOM}link").get("href") == "https://broadsheet.example/test/demo/"


def test_story_has_open_graph_twitter_canonical_and_a_social_card(tmp_path: Path):
    site = built(tmp_path)
    page = (site / "demo" / "index.html").read_text()
    assert '<link rel="canonical" href="https://broadsheet.example/test/demo/">' in page
    image = re.search(r'<meta property="og:image" content="https://broadsheet.example/test/(demo/card\.[0-9a-f]+\.png)">',
                      page).group(1)
    assert '<meta name="twitter:card" content="summary_large_image">' in page
    png = (site / image).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == (1200, 630)
    assert '<meta property="og:image"' in (site / "index.html").read_text()


def test_missing_absolute_url_is_a_warning(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    config = tmp_path / "content" / "site.yaml"
    config.write_text(re.sub(r"absolute_url:.*\n", "", config.read_text()))
    result = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0
    assert "content/site.yaml:1: warning[site-no-absolute-url]" in result.stderr
    assert not (tmp_path / "_site" / "sitemap.xml").exists()
    assert run_cli("build", "--strict", "--site-src", str(SITE_SRC), cwd=tmp_path).returncode == 1


def test_broken_internal_links_name_their_markdown_line(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    section = tmp_path / "content" / "demo" / "sections" / "02-calcul.md"
    section.write_text(section.read_text() + "\nVoir [plus haut](#ce-quils-gagnent), [le graphique](#chart-pay),"
                       " [rien](#nulle-part) et [ailleurs](../autre/).\n")
    result = run_cli("check", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "error[link-broken]" in line]
    assert lines == [
        "content/demo/sections/02-calcul.md:12:73: error[link-broken]: link '#nulle-part' points to no "
        "'#nulle-part' on demo/",
        "content/demo/sections/02-calcul.md:12:100: error[link-broken]: link '../autre/' points to no page or "
        "file of the site",
    ]


def test_external_links_are_skipped_with_a_note_when_there_is_no_network(tmp_path: Path):
    shutil.copytree(FIXTURE, tmp_path / "content")
    result = run_cli("check", "--check-external", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0
    assert re.search(r"^note: (skipped \d+ external links: no network answers from this machine|checked \d+ "
                     r"external links)$", result.stdout, re.M)


def test_every_chart_has_an_embed_page_and_snippet(tmp_path: Path):
    site = built(tmp_path)
    for chart in ("pay", "calculator", "share"):
        embed = (site / "demo" / "embed" / chart / "index.html").read_text()
        assert 'name="robots" content="noindex"' in embed and f'id="chart-{chart}"' in embed
        assert f'href="../../#chart-{chart}"' in embed  # back to the story
    story = (site / "demo" / "index.html").read_text()
    assert ("&lt;iframe src=&#34;https://broadsheet.example/test/demo/embed/pay/&#34;" in story
            and "assets/js/embed.js" in story)
    assert (site / "assets" / "js" / "embed.js").is_file()  # a stable name other sites can keep


def test_github_pages_workflow_runs_the_build_that_passes_here(tmp_path: Path):
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    command = next(step["run"] for step in steps if step.get("name") == "Build")
    upload = next(step for step in steps if "upload-pages-artifact" in step.get("uses", ""))
    assert upload["with"]["path"] == "_site"
    args = command.replace('"/${{ github.event.repository.name }}/"', "/broadsheet/").split()
    assert args[:2] == ["python", "build.py"]
    shutil.copytree(REPO / "content", tmp_path / "content")
    result = run_cli(*args[2:], "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "_site" / "chatgpt" / "index.html").is_file()


def test_netlify_recipe_runs_the_build_that_passes_here(tmp_path: Path):
    config = tomllib.loads((REPO / "netlify.toml").read_text())
    assert config["build"]["publish"] == "_site"
    build_command = config["build"]["command"].split("&&")[-1].split()
    assert build_command[:2] == ["python", "build.py"]
    shutil.copytree(REPO / "content", tmp_path / "content")
    result = run_cli(*build_command[2:], "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
