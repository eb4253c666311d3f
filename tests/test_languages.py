"""A site in English (tests/sites/english, written as a newsroom new to Broadsheet would) and the
same site in German and French: every page, the feed, the 404, the embed pages, the page script's
words and the chart pictures speak the site's language, with its punctuation; chart numbers are
formatted with its d3 locale exactly as vl_convert draws them with the same locale; years are
never grouped. Also `new` in the site's language, and the diagnostics for languages."""
from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import SITE_SRC, run_cli

FIXTURE = Path(__file__).parent / "sites" / "english" / "content"

FRENCH_WORDS = ["Source :", "Source\u00a0:", "Voir les données", "Télécharger", "Publié", "mis à jour", "Articles",
                "Flux Atom", "Aller au contenu", "Navigation du site", "Retour", "Intégrer", "Copiez", "chiffre d",
                "Calcul de la rédaction", "confirmé", "rapporté", "estimation", "lignes de plus", "Page introuvable",
                "Lire l’article", "Site généré", "Par ", "Mises à jour", "Chaque nombre", "«", "»", "janvier",
                "février", "décembre", "Liste des sources"]
GERMAN_WORDS = ["Quelle: ", "Daten anzeigen", "Daten herunterladen (CSV)", "Veröffentlicht am", "Von Dana",
                "Zum Inhalt springen", "Aktualisierungen und Korrekturen", "Stand: ", "bestätigt", "„"]
ENGLISH_WORDS = ["Source: ", "Show the data", "Download the data (CSV)", "Published January 20, 2025",
                 "By Dana Whitfield", "Skip to content", "Updates and corrections", "figure as of December 2024",
                 "confirmed", "Our calculation from: ", "15 more rows in the CSV file", "“"]
FRENCH_SPACING = re.compile(r"[\u00a0\u202f ][:;!?»]|«[\u00a0\u202f ]")
GROUPED_YEAR = re.compile(r"(?<![\d,.\u00a0\u202f])2[,.\u00a0\u202f]0(?:1[5-9]|2[0-4])(?![\d]|[,.\u00a0\u202f]\d)")  # 2,017


def build_in(language: str, work: Path, *extra: str):
    """The English fixture with its site and story set to `language`, built with the CLI."""
    shutil.copytree(FIXTURE, work / "content")
    if language != "en":
        for path in (work / "content" / "site.yaml", work / "content" / "bike-share" / "index.md"):
            path.write_text(path.read_text().replace("language: en", f"language: {language}"))
    return run_cli("build", "--site-src", str(SITE_SRC), "--strict", *extra, cwd=work)


@pytest.fixture(scope="module")
def sites(tmp_path_factory) -> dict[str, Path]:
    built = {}
    for language in ("en", "de", "fr"):
        work = tmp_path_factory.mktemp(f"site-{language}")
        result = build_in(language, work)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
        built[language] = work / "_site"
    return built


def reader_text(markup: str) -> str:
    """What a reader sees or hears: the text between tags, attribute values that are read aloud
    or shown (alt, title, aria-label, content, placeholder), and the page script's words."""
    said = re.findall(r'\s(?:alt|title|aria-label|content|data-words)="([^"]*)"', markup)
    body = re.sub(r"<script\b[^>]*>.*?</script>|<style\b[^>]*>.*?</style>", " ", markup, flags=re.S)
    body = re.sub(r"</?(?:time|a|span|button|em|strong|sup|abbr|code)\b[^>]*>", "", body)  # inline: no gap
    return html.unescape(re.sub(r"<[^>]+>", " ", body) + " " + " ".join(said))


def site_texts(site: Path) -> dict[str, str]:
    """Every page, embed page, the 404, the feed and the chart pictures' text."""
    texts = {p.relative_to(site).as_posix(): reader_text(p.read_text()) for p in site.rglob("*.html")}
    texts["feed.xml"] = html.unescape(re.sub(r"<[^>]+>", " ", (site / "feed.xml").read_text()))
    for svg in site.rglob("*.svg"):
        texts[svg.relative_to(site).as_posix()] = " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg.read_text()))
    return texts


@pytest.mark.parametrize("language", ["en", "de"])
def test_no_french_word_nor_french_spacing(sites, language):
    texts = site_texts(sites[language])
    assert {"404.html", "index.html", "bike-share/index.html", "bike-share/embed/trips/index.html", "feed.xml"} <= set(texts)
    for name, text in texts.items():
        for word in FRENCH_WORDS:
            assert word not in text, f"{language}: {name} says {word!r}"
        assert not FRENCH_SPACING.search(text), f"{language}: {name}: {FRENCH_SPACING.search(text).group(0)!r}"
        assert not GROUPED_YEAR.search(text), f"{language}: {name}: a grouped year {GROUPED_YEAR.search(text).group(0)!r}"


@pytest.mark.parametrize("language,words", [("en", ENGLISH_WORDS), ("de", GERMAN_WORDS)])
def test_the_page_speaks_the_sites_language(sites, language, words):
    page = reader_text((sites[language] / "bike-share" / "index.html").read_text())
    for word in words:
        assert word in page, f"{language}: {word!r} missing"
    for name in ("index.html", "404.html", "bike-share/index.html", "bike-share/embed/trips/index.html"):
        assert f'<html lang="{language}"' in (sites[language] / name).read_text()
    assert f'xml:lang="{language}"' in (sites[language] / "feed.xml").read_text()


def test_french_keeps_its_spaces(sites):
    page = reader_text((sites["fr"] / "bike-share" / "index.html").read_text())
    assert "Source\u00a0: Riverton Department of Transportation" in page
    assert "Publié le 20\u00a0janvier 2025" in page
    assert "Source: " not in page and "Show the data" not in page


def test_the_page_script_gets_its_words_in_the_language(sites):
    words = {}
    for language, site in sites.items():
        found = re.search(r'data-words="([^"]*)"', (site / "bike-share" / "index.html").read_text())
        words[language] = json.loads(html.unescape(found.group(1)))
    assert words["en"]["%(label)s:"] == "%(label)s:"
    assert words["de"]["%(label)s:"] == "%(label)s:"
    assert words["fr"]["%(label)s:"] == "%(label)s\u00a0:"


def chart_labels(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.mark.parametrize("language,million", [("en", "1,000,000"), ("fr", "1\u202f000\u202f000"),
                                              ("de", "1.000.000")])
def test_chart_numbers_match_vl_convert_with_the_same_locale(sites, language, million):
    """The build's static picture (its own V8) and vl_convert's drawing of the same compiled spec
    with the same d3 locale write the same labels; thousands grouped the language's way, years not."""
    import vl_convert

    from broadsheet import i18n

    site = sites[language]
    page = (site / "bike-share" / "index.html").read_text()
    spec_json = re.search(r'id="chart-trips".*?<script type="application/json" class="chart-spec">(.*?)</script>',
                          page, re.S).group(1)
    vega = json.loads(spec_json)
    locale = i18n.d3_locales(language)
    reference = vl_convert.vega_to_svg(vega, format_locale=locale["number"], time_format_locale=locale["time"])
    ours = next((site / "bike-share" / "charts").glob("trips.*.svg")).read_text()
    labels = chart_labels(ours)
    assert labels == chart_labels(reference)
    assert million in labels
    assert "2017" in labels and not any(GROUPED_YEAR.search(label) for label in labels)
    live_locale = json.loads(html.unescape(re.search(r'data-locale="([^"]*)"', page).group(1)))
    assert live_locale == json.loads(json.dumps(locale))  # the page hands Vega the locale the picture was drawn with


def test_new_writes_its_template_in_the_sites_language(tmp_path: Path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "site.yaml").write_text("title: Test\nlanguage: en\nabsolute_url: https://example.org/\n")
    assert run_cli("new", "first-story", cwd=tmp_path).returncode == 0
    story = tmp_path / "content" / "first-story"
    assert "language: en" in (story / "index.md").read_text()
    assert "Title of the story" in (story / "index.md").read_text()
    assert (story / "sections" / "01-start.md").read_text().startswith("## First subheading")
    assert run_cli("new", "zweite", "--language", "de", cwd=tmp_path).returncode == 0
    assert "language: de" in (tmp_path / "content" / "zweite" / "index.md").read_text()
    assert "Titel des Artikels" in (tmp_path / "content" / "zweite" / "index.md").read_text()
    result = run_cli("build", "--strict", "--drafts", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    page = reader_text((tmp_path / "_site" / "first-story" / "index.html").read_text())
    assert "The text, where every number is a fact: 42" in page
    for word in FRENCH_WORDS:
        assert word not in page, word


def test_new_refuses_an_unknown_language(tmp_path: Path):
    (tmp_path / "content").mkdir()
    result = run_cli("new", "story", "--language", "klingon", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown language 'klingon'" in result.stderr and "hint:" in result.stderr
    assert not (tmp_path / "content" / "story").exists()


def test_a_language_without_catalog_reads_in_english_and_says_so(tmp_path: Path):
    result = build_in("ja", tmp_path)
    assert result.returncode == 1
    assert "content/site.yaml:1: error[i18n-missing]: no catalog for language 'ja'" in result.stderr  # --strict
    assert "hint: add " in result.stderr and "site_src/locale/ja/LC_MESSAGES/messages.po" in result.stderr
    relaxed = run_cli("build", "--site-src", str(SITE_SRC), cwd=tmp_path)
    assert relaxed.returncode == 0 and "warning[i18n-missing]: no catalog for language 'ja'" in relaxed.stderr
    assert "Show the data" in (tmp_path / "_site" / "bike-share" / "index.html").read_text()


def test_an_unknown_language_is_an_error_with_a_hint(tmp_path: Path):
    result = build_in("xx-nowhere", tmp_path)
    assert result.returncode == 1
    assert "error[site-language]: unknown language 'xx-nowhere'" in result.stderr
    assert "front-matter-language" in result.stderr
    assert "hint: use a language code such as" in result.stderr
