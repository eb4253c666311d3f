"""One story in two languages (tests/sites/bilingual: a French story, its English translation,
one chart with a slider): where each language is published, the links between them (hreflang,
the switcher, the sitemap), a feed per language, `lang` on a source title in another language,
the chart drawn in each language as vl_convert draws it with that language's locale, data
written once; and the drift checks, each able to fail."""
from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from helpers import SITE_SRC, run_cli

FIXTURE = Path(__file__).parent / "sites" / "bilingual" / "content"
STORY = "velos"
SPACES = str.maketrans({"\u202f": " ", "\u00a0": " "})


def build(work: Path, *extra: str):
    return run_cli("build", "--site-src", str(SITE_SRC), "--strict", *extra, cwd=work)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("bilingual")
    shutil.copytree(FIXTURE, work / "content")
    result = build(work)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return work / "_site"


def page(site: Path, path: str) -> str:
    return (site / path).read_text()


def test_each_language_at_its_address_the_data_once(site):
    french, english = page(site, f"{STORY}/index.html"), page(site, f"en/{STORY}/index.html")
    assert '<html lang="fr"' in french and '<html lang="en"' in english
    assert "<h1>Les vélos en libre-service, dix ans après</h1>" in french
    assert "<h1>Bike share, ten years on</h1>" in english
    assert (site / STORY / "data" / "trajets.csv").is_file()
    assert not (site / "en" / STORY / "data").exists()  # shared: the English page links to the French folder's
    assert 'href="../../velos/data/trajets.csv"' in english
    assert (site / "en" / STORY / "how-we-know" / "index.html").is_file()
    assert (site / STORY / "comment-nous-le-savons" / "index.html").is_file()
    cards = sorted(p.relative_to(site).as_posix() for p in site.rglob("card.*.png"))
    assert len(cards) == 2 and cards[0].startswith("en/velos/") and cards[1].startswith("velos/")  # one per language
    english_card = re.search(r'<meta property="og:image" content="([^"]+)"', english).group(1)
    assert english_card == "https://gazette.example/" + cards[0]


def test_hreflang_both_ways_with_x_default(site):
    expected = ['<link rel="alternate" hreflang="fr" href="https://gazette.example/velos/">',
                '<link rel="alternate" hreflang="x-default" href="https://gazette.example/velos/">',
                '<link rel="alternate" hreflang="en" href="https://gazette.example/en/velos/">']
    for path in (f"{STORY}/index.html", f"en/{STORY}/index.html"):
        links = re.findall(r'<link rel="alternate" hreflang="[^"]+" href="[^"]+">', page(site, path))
        assert links == expected, path


def test_the_switcher_is_plain_links(site):
    french, english = page(site, f"{STORY}/index.html"), page(site, f"en/{STORY}/index.html")
    assert '<a href="../en/velos/" hreflang="en" lang="en">English</a>' in french
    assert '<span aria-current="page" lang="fr">français</span>' in french
    assert '<a href="../../velos/" hreflang="fr" lang="fr">français</a>' in english
    assert 'aria-label="This story in other languages"' in english
    assert 'aria-label="Cet article dans d’autres langues"' in french


def test_the_sitemap_lists_each_language_with_its_alternates(site):
    space = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    alternates = {}
    for url in root.findall("s:url", space):
        loc = url.find("s:loc", space).text
        alternates[loc] = [(link.get("hreflang"), link.get("href")) for link in url.findall("x:link", space)]
    both = [("fr", "https://gazette.example/velos/"), ("en", "https://gazette.example/en/velos/"),
            ("x-default", "https://gazette.example/velos/")]
    assert alternates["https://gazette.example/velos/"] == both
    assert alternates["https://gazette.example/en/velos/"] == both
    homes = [("fr", "https://gazette.example/"), ("en", "https://gazette.example/en/"),
             ("x-default", "https://gazette.example/")]
    assert alternates["https://gazette.example/"] == homes  # each language's home page names the other
    assert alternates["https://gazette.example/en/"] == homes


def test_a_feed_per_language(site):
    space = {"a": "http://www.w3.org/2005/Atom"}
    french = ET.fromstring((site / "feed.xml").read_bytes())
    english = ET.fromstring((site / "en" / "feed.xml").read_bytes())
    assert [e.find("a:title", space).text for e in french.findall("a:entry", space)] == \
        ["Les vélos en libre-service, dix ans après"]
    assert [e.find("a:title", space).text for e in english.findall("a:entry", space)] == ["Bike share, ten years on"]
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert 'type="application/atom+xml" title="La Gazette de Rivière" href="../feed.xml"' in \
        page(site, f"en/{STORY}/index.html")  # en/velos/ -> en/feed.xml
    assert 'href="../feed.xml"' in page(site, f"{STORY}/index.html")  # velos/ -> feed.xml
    home = page(site, "index.html")
    assert "Les vélos en libre-service" in home and "Bike share, ten years on" not in home


def test_lang_on_a_source_title_in_another_language(site):
    french, english = page(site, f"{STORY}/index.html"), page(site, f"en/{STORY}/index.html")
    assert '<span lang="en">Bike share ridership report</span>' in french  # Sources list and popovers
    assert 'lang="en">Bike share ridership report' not in english
    # and the other way: a French title on the English page, in the text's sources and on "how we know"
    assert '<span lang="fr">Enquête sur les déplacements à vélo</span>' in english
    assert 'lang="fr">Enquête' not in french and "Enquête sur les déplacements à vélo" in french
    how = page(site, f"en/{STORY}/how-we-know/index.html")
    assert '“<span lang="fr">Enquête sur les déplacements à vélo</span>”' in how
    assert '<span lang="en">Bike share ridership report</span>' in page(site, f"{STORY}/comment-nous-le-savons/index.html")


def test_facts_words_per_language(site):
    french, english = page(site, f"{STORY}/index.html"), page(site, f"en/{STORY}/index.html")
    assert "412\u202f000\u00a0trajets" in french and "412,000\u00a0trips" in english
    assert "Trajets de plus de deux minutes." in french and "Trips longer than two minutes." in english
    assert "Kilometres ridden a day" in english and "Kilomètres parcourus par jour" in french


@pytest.mark.parametrize("language,folder,label", [("fr", STORY, "1 234,5"), ("en", f"en/{STORY}", "1,234.5")])
def test_the_chart_is_drawn_in_each_language_as_vl_convert_draws_it(site, language, folder, label):
    import vl_convert

    from broadsheet import i18n

    markup = page(site, f"{folder}/index.html")
    spec = re.search(r'id="chart-trajets".*?<script type="application/json" class="chart-spec">(.*?)</script>',
                     markup, re.S).group(1)
    locale = i18n.d3_locales(language)
    reference = vl_convert.vega_to_svg(json.loads(spec), format_locale=locale["number"],
                                       time_format_locale=locale["time"])
    ours = next((site / folder / "charts").glob("trajets.*.svg")).read_text()
    texts = lambda svg: [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]  # noqa: E731
    assert texts(ours) == texts(reference)
    assert label in [t.translate(SPACES) for t in texts(ours)]


def drift_case(tmp_path: Path, edit) -> str:
    shutil.copytree(FIXTURE, tmp_path / "content")
    edit(tmp_path / "content" / STORY)
    result = run_cli("check", "--site-src", str(SITE_SRC), cwd=tmp_path)
    return result.stderr


def test_a_missing_section_translation_is_said(tmp_path):
    said = drift_case(tmp_path, lambda story: (story / "sections" / "en" / "01-croissance.md").rename(
        story / "sections" / "en" / "01-growth.md"))
    assert "warning[translation-sections]: section '01-croissance.md' of the original has no translation in 'en'" \
        in said
    assert "warning[translation-sections]: 'content/velos/sections/en/01-growth.md' translates no section" in said


def test_a_translation_updated_later_is_not_stale(tmp_path):
    def newer(story: Path) -> None:
        index = story / "index.en.md"
        index.write_text(index.read_text().replace("updated: 2025-02-01", "updated: 2025-02-03"))
    assert "translation-stale" not in drift_case(tmp_path, newer)


def test_a_vega_lite_chart_takes_its_translations_from_usermeta(tmp_path):
    def as_json(story: Path) -> None:
        (story / "charts" / "trajets.py").unlink()
        spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "title": "Kilomètres par jour",
                "description": "Des barres.", "data": {"url": "data/trajets.csv"}, "mark": "bar",
                "encoding": {"x": {"field": "annee", "type": "ordinal"}, "y": {"field": "km", "type": "quantitative"}},
                "usermeta": {"broadsheet": {"translations": {"en": {"title": "Kilometres a day"}}}}}
        (story / "charts" / "trajets.vl.json").write_text(json.dumps(spec))
    said = drift_case(tmp_path, as_json)
    assert "error[translation-alt]: chart 'trajets' has no ALT in 'en', a language of the story" in said
    assert '"usermeta": {"broadsheet": {"translations": {"en": {"alt": "…"}}}}' in said


def test_with_the_archive_manifest_a_translated_story_is_built_again_and_the_site_equals_a_full_build(tmp_path):
    """A folder with translations is built by every build (its languages are not yet recorded
    together); an untranslated story beside it is still taken as it was. Either way the site is
    byte for byte the one a build from nothing makes."""
    from helpers import snapshot_of

    work = tmp_path / "work"
    shutil.copytree(FIXTURE, work / "content")
    alone = work / "content" / "seul"
    shutil.copytree(FIXTURE / STORY, alone)
    for path in [alone / "index.en.md", *(alone / "sections" / "en").iterdir()]:
        path.unlink()
    (alone / "sections" / "en").rmdir()
    assert build(work).returncode == 0
    kept = (work / "_site" / "seul" / "index.html").stat().st_ino
    section = work / "content" / STORY / "sections" / "en" / "01-croissance.md"
    section.write_text(section.read_text().replace("A decade of growth", "Ten years of growth"))
    assert build(work).returncode == 0
    assert "Ten years of growth" in page(work / "_site", f"en/{STORY}/index.html")
    assert (work / "_site" / "seul" / "index.html").stat().st_ino == kept  # untranslated: taken as it was
    fresh = tmp_path / "fresh"
    shutil.copytree(work / "content", fresh / "content")
    assert build(fresh, "--no-cache").returncode == 0
    assert snapshot_of(work / "_site") == snapshot_of(fresh / "_site")


def test_a_draft_translation_is_neither_built_nor_linked(tmp_path):
    work = tmp_path
    shutil.copytree(FIXTURE, work / "content")
    index = work / "content" / STORY / "index.en.md"
    index.write_text(index.read_text().replace("updated: 2025-02-01", "updated: 2025-02-01\ndraft: true"))
    result = build(work)
    assert result.returncode == 0, result.stderr
    assert not (work / "_site" / "en").exists()
    french = page(work / "_site", f"{STORY}/index.html")
    assert "hreflang" not in french and "language-switcher" not in french
    assert "content/velos/index.en.md is a draft" in result.stdout + result.stderr


def test_a_translated_story_is_kept_whole_and_an_edit_of_its_translation_rebuilds_it(tmp_path: Path):
    """The archive records every language of a story folder: an unchanged folder's French and
    English pages are taken as they were (the same files, linked); an edit of sections/en/ alone
    builds the folder again, the English page says the new words, and the site is byte for byte
    the site a build from nothing makes."""
    from helpers import snapshot_of

    work = tmp_path / "work"
    shutil.copytree(FIXTURE, work / "content")
    assert build(work).returncode == 0
    english, french = work / "_site" / "en" / STORY / "index.html", work / "_site" / STORY / "index.html"
    inodes = (english.stat().st_ino, french.stat().st_ino)
    again = build(work)
    assert again.returncode == 0, again.stderr
    assert (english.stat().st_ino, french.stat().st_ino) == inodes  # kept: neither page written again
    assert (work / "_site" / "en" / "index.html").is_file() and (work / "_site" / "en" / "feed.xml").is_file()
    section = work / "content" / STORY / "sections" / "en" / "01-croissance.md"
    section.write_text(section.read_text().replace("A decade of growth", "Ten years of journeys"), encoding="utf-8")
    edited = build(work)
    assert edited.returncode == 0, edited.stderr
    assert "journeys" in english.read_text() and english.stat().st_ino != inodes[0]
    fresh = tmp_path / "fresh"
    shutil.copytree(work / "content", fresh / "content")
    assert build(fresh, "--no-cache").returncode == 0
    assert snapshot_of(work / "_site") == snapshot_of(fresh / "_site")
