"""The first story's English edition (content/chatgpt, index.en.md and sections/en/): built from the
real content, its page shows no French page word and no French spacing, in its text, its
attributes and its charts' pictures; every page under /en/ (story, how we know, embeds, home) the
same, with its charts' specs and the CSVs it offers, while the French page, scanned the same way,
is caught; it is linked both ways with the French page (home pages and how-we-know pages too); it
has its own feed, its card, its sitemap entries and a home page of its own at /en/."""
from __future__ import annotations

import csv
import html
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import REPO, SITE_SRC, run_cli

ROOT = "https://broadsheet.example/"
# Words of French page furniture and prose that no English sentence of ours uses (a name such as
# "et al." or "Le Monde" is not furniture: the scan allows it).
FRENCH_WORDS = re.compile(r"\b(de|des|du|la|les|le|et|une|pour|sur|selon|avec|dans|chiffre|graphique|"
                          r"données|télécharger|afficher|période|statut|salariés|prestataires|heures|"
                          r"rédaction|publié|mis à jour|est|sont|aux|au|qui|mais|lieu|foyer|haut|bas|avant|apres|"
                          r"montant|poste|effectif|qualificatif|categorie|nombre|heure|moins|plus de|groupe|tous|toutes)\b", re.I)
# Words of French data and chart code a reader would see in a table header or a tooltip.
FRENCH_PHRASES = re.compile(r"de moins de|dollars de l’heure|dollars de l'heure|\d\u202f\d{3}|\d,\d\d\s?\$")
ALLOWED = re.compile(r"\bet al\.")
FRENCH_SPACING = re.compile(r"[\u202f\u00a0][;:!?»]|«[\u202f\u00a0]|\w [;:!?](?:\s|$)")
ATTRIBUTES = ("alt", "title", "aria-label", "aria-valuetext", "placeholder", "content")


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text outside scripts and styles, and the attributes read
    aloud or shown; an element in another language (`lang="fr"`: the switcher's name) is skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden, self.other_language, self.lines = 0, [], []

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if tag in ("script", "style"):
            self.hidden += 1
        if tag not in ("html", "meta", "link") and found.get("lang") not in (None, "en"):
            self.other_language.append(tag)
        elif self.other_language:
            self.other_language.append(tag)
        if not self.other_language:
            self.lines += [found[name] for name in ATTRIBUTES if found.get(name) and
                           not (tag == "meta" and found.get("name") in ("viewport", "color-scheme", "generator"))
                           and tag != "link" and not (tag == "meta" and "http-equiv" in found)]

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if self.other_language:
            self.other_language.pop()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden -= 1
        if self.other_language and tag == self.other_language[-1]:
            self.other_language.pop()

    def handle_data(self, data):
        if not self.hidden and not self.other_language and data.strip():
            self.lines.append(data.strip())


def visible(page: str) -> list[str]:
    parser = VisibleText()
    parser.feed(page)
    return parser.lines


def svg_text(svg: str) -> list[str]:
    return [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def french_in(lines: list[str]) -> list[str]:
    return [line for line in lines if FRENCH_WORDS.search(ALLOWED.sub("", line)) or FRENCH_SPACING.search(line)
            or FRENCH_PHRASES.search(line) or re.search(r"[éèêàùç«»]", ALLOWED.sub("", line))]


SPEC_TEXTS = {"title", "subtitle", "labels", "text", "description"}
QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def spec_words(spec) -> list[str]:
    """The strings of a Vega spec a reader sees: titles (axes, legends), labels, texts, a control's
    name and labels, the cells and column names of its inline data (the table under the chart),
    and the words a tooltip or a text mark writes in its expression."""
    found: list[str] = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if "values" in path and isinstance(value, (str, int, float)) and not key.startswith("_"):
                    found.append(key)  # a column name: the table's header
                walk(value, path + (key,))
        elif isinstance(node, list):
            for value in node:
                walk(value, path)
        elif isinstance(node, str):
            if path[-1] in SPEC_TEXTS or (path[-1] == "name" and "bind" in path) or "values" in path:
                found.append(node)
            elif path[-1] in ("signal", "expr") and ("tooltip" in path or "text" in path):
                found.extend(a or b for a, b in QUOTED.findall(node))

    walk(spec, ("",))
    return [text for text in found if text.strip()]


def page_specs(page: str) -> list:
    return [json.loads(html.unescape(text)) for text in
            re.findall(r'<script type="application/json" class="chart-(?:spec|narrow)"[^>]*>(.*?)</script>', page, re.S)]


def downloads(site: Path, page_path: Path) -> list[str]:
    """The header and cells of every CSV the page offers for download."""
    page = page_path.read_text()
    cells = []
    for href in re.findall(r'<a href="([^"]+\.csv)" download>', page):
        with (page_path.parent / href).open(newline="") as file:
            cells += [cell for row in csv.reader(file) for cell in row]
    return cells


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("english")
    shutil.copytree(REPO / "content", work / "content")
    result = run_cli("build", "--site-src", str(SITE_SRC), "--strict", cwd=work)
    assert result.returncode == 0, result.stderr
    return work / "_site"


def test_the_scan_finds_french_words_and_french_spacing():
    """The scan itself can fail: the French page's furniture and spacing are caught."""
    assert french_in(["Source\u00a0: TIME", "Afficher les données"]) == ["Source\u00a0: TIME", "Afficher les données"]
    assert french_in(["Source: TIME", "Christiano et al."]) == []
    assert visible('<p>Hello <a lang="fr" hreflang="fr">français</a> there</p>') == ["Hello", "there"]


def test_the_scan_finds_french_in_a_chart_spec():
    """A deliberately French chart: its axis title, tooltip, control, column names and cells are caught."""
    spec = {"axes": [{"title": "Dollars de l’heure"}], "data": [{"name": "t", "values": [
        {"groupe": "Travailleurs au Kenya", "bas": 1, "foyer": "Sama"}]}],
        "signals": [{"name": "g", "bind": {"input": "radio", "name": "Groupe : ", "labels": ["Tous"]}}],
        "marks": [{"encode": {"update": {"tooltip": {"signal": "{'Qui': datum.groupe, 'Montant': format(datum.bas, ',.2f') + ' $'}"},
                                         "text": {"signal": "datum.groupe + ' : ' + datum.montant"}}}}]}
    words = spec_words(spec)
    assert {"Dollars de l’heure", "groupe", "bas", "foyer", "Travailleurs au Kenya", "Groupe : ", "Tous", "Qui",
            "Montant", " : "} <= set(words)
    assert set(french_in(words)) >= {"Dollars de l’heure", "groupe", "bas", "foyer", "Travailleurs au Kenya",
                                     "Groupe : ", "Montant"}
    assert french_in(["7,25 $", "de moins de 2", "Le salaire est bas", "1\u202f000"]) == \
        ["7,25 $", "de moins de 2", "Le salaire est bas", "1\u202f000"]
    assert french_in(["$7.25", "under 2", "1,000", "Who", "low", "Status: confirmed"]) == []


def test_every_english_page_and_chart_is_in_english_and_the_french_is_not(site: Path):
    """Every page under /en/ (the story, how we know, the embeds, the home): its visible text and
    attributes, its charts' specs (axis and legend titles, tooltips, controls, the table's column
    names and cells) and the CSVs it offers. The French story scanned the same way is caught, so
    the scan can fail."""
    pages = sorted((site / "en").rglob("*.html"))
    assert len(pages) >= 7  # home, story, how we know, four embeds
    for path in pages:
        page = path.read_text()
        words = [w for spec in page_specs(page) for w in spec_words(spec)]
        assert french_in(visible(page)) == [], path
        assert french_in(words) == [], path
        assert french_in(downloads(site, path)) == [], path
    story = (site / "en" / "chatgpt" / "index.html").read_text()
    words = [w for spec in page_specs(story) for w in spec_words(spec)]
    assert len(page_specs(story)) >= 8 and {"Dollars an hour", "Who", "Status", "Group: ", "low", "high"} <= set(words)
    french_page = site / "chatgpt" / "index.html"
    french = [w for spec in page_specs(french_page.read_text()) for w in spec_words(spec)]
    assert {"Dollars de l’heure", "Qui", "Groupe : ", "bas", "foyer", "Salaire minimum fédéral (Kansas)"} <= set(french)
    assert len(french_in(french)) > 50 and len(french_in(downloads(site, french_page))) > 20
    assert len(french_in(visible(french_page.read_text().replace(' lang="fr"', "")))) > 100  # its text, all of it
    headers = re.findall(r'<th scope="col">([^<]*)</th>', story)
    assert "kind" in headers and "nature" not in headers and "foyer" not in headers


def test_the_english_page_has_no_french_word_nor_french_spacing(site: Path):
    page = (site / "en" / "chatgpt" / "index.html").read_text()
    lines = visible(page)
    assert "ChatGPT’s hidden workforce, and what the machines cost" in lines
    assert len(" ".join(lines).split()) > 2000  # the whole story, not an empty page
    assert french_in(lines) == []


def test_the_english_charts_are_drawn_in_english(site: Path):
    pictures = sorted((site / "en" / "chatgpt" / "charts").glob("*.svg"))
    assert len(pictures) >= 8  # four charts, wide and narrow
    for picture in pictures:
        texts = svg_text(picture.read_text())
        assert texts, picture.name
        assert french_in(texts) == [], picture.name
        assert not any(re.search(r"\d\u202f\d", t) for t in texts), picture.name  # 1,000, never 1 000
    french = " ".join(svg_text(next((site / "chatgpt" / "charts").glob("pay.*.svg")).read_text()))
    english = " ".join(svg_text(next((site / "en" / "chatgpt" / "charts").glob("pay.[!n]*.svg")).read_text()))
    assert "12,50 $" in french and "$12.50" in english  # the same value, each language's way


def test_the_english_page_links_and_is_linked(site: Path):
    french, english = (site / "chatgpt" / "index.html").read_text(), (site / "en" / "chatgpt" / "index.html").read_text()
    for page in (french, english):
        assert f'<link rel="alternate" hreflang="fr" href="{ROOT}chatgpt/">' in page
        assert f'<link rel="alternate" hreflang="en" href="{ROOT}en/chatgpt/">' in page
        assert f'<link rel="alternate" hreflang="x-default" href="{ROOT}chatgpt/">' in page
    assert 'hreflang="en"' in french and ">English<" in french  # the switcher names the other language
    assert '<meta property="og:locale" content="en_US">' in english
    # the English how-we-know page speaks English to link previews too (it took the site's fr_FR)
    assert '<meta property="og:locale" content="en_US">' in (site / "en/chatgpt/how-we-know/index.html").read_text()
    card = re.search(r'<meta property="og:image" content="([^"]+)"', english).group(1)
    assert card.startswith(ROOT + "en/chatgpt/card.") and (site / card[len(ROOT):]).is_file()
    assert card != re.search(r'<meta property="og:image" content="([^"]+)"', french).group(1)
    feed = (site / "en" / "feed.xml").read_text()
    assert 'xml:lang="en"' in feed and "ChatGPT’s hidden workforce" in feed and "petites mains" not in feed
    sitemap = (site / "sitemap.xml").read_text()
    assert f'<xhtml:link rel="alternate" hreflang="en" href="{ROOT}en/chatgpt/"/>' in sitemap
    assert f"<loc>{ROOT}en/</loc>" in sitemap


def test_an_english_home_page_lists_the_english_stories(site: Path):
    home = (site / "en" / "index.html").read_text()
    assert '<html lang="en"' in home
    assert '<a href="chatgpt/">ChatGPT’s hidden workforce, and what the machines cost</a>' in home
    assert "petites mains" not in home
    assert french_in(visible(home)) == []
    assert f'<link rel="alternate" hreflang="fr" href="{ROOT}">' in home
    assert f'<link rel="alternate" hreflang="x-default" href="{ROOT}">' in home
    french_home = (site / "index.html").read_text()
    assert f'<link rel="alternate" hreflang="en" href="{ROOT}en/">' in french_home
    english = (site / "en" / "chatgpt" / "index.html").read_text()
    assert '<a class="site-title" href="../">' in english  # the English page's header leads to /en/


def test_the_english_data_are_in_english_and_the_french_untouched(site: Path):
    english = (site / "en" / "chatgpt" / "data" / "pay.csv").read_text()
    french = (site / "chatgpt" / "data" / "pay.csv").read_text()
    assert "Federal minimum wage (Kansas)" in english and "Salaire minimum fédéral (Kansas)" in french
    page = (site / "en" / "chatgpt" / "index.html").read_text()
    assert 'href="data/pay.csv"' in page and 'href="data/workers-countries-en.csv"' in page


def test_the_home_pages_carry_the_switcher_and_hreflang_both_ways(site: Path):
    french, english = (site / "index.html").read_text(), (site / "en" / "index.html").read_text()
    for page in (french, english):
        assert f'<link rel="alternate" hreflang="fr" href="{ROOT}">' in page
        assert f'<link rel="alternate" hreflang="en" href="{ROOT}en/">' in page
        assert f'<link rel="alternate" hreflang="x-default" href="{ROOT}">' in page
    assert '<nav class="language-switcher" aria-label="Cette page dans d’autres langues">' in french
    assert '<a href="en/" hreflang="en" lang="en">English</a>' in french
    assert '<nav class="language-switcher" aria-label="This page in other languages">' in english
    assert '<a href="../" hreflang="fr" lang="fr">français</a>' in english
    assert '<span aria-current="page" lang="en">English</span>' in english


def test_the_sitemap_parses_and_every_alternate_exists(site: Path):
    from xml.etree import ElementTree

    spaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    root = ElementTree.parse(site / "sitemap.xml").getroot()  # valid XML, or this raises

    def built(url: str) -> bool:
        assert url.startswith(ROOT), url
        path = site / url[len(ROOT):]
        return (path / "index.html").is_file() if url.endswith("/") else path.is_file()

    alternates = {}
    for entry in root.findall("s:url", spaces):
        location = entry.find("s:loc", spaces).text
        assert built(location), location
        links = {link.get("hreflang"): link.get("href") for link in entry.findall("x:link", spaces)}
        assert all(link.get("rel") == "alternate" for link in entry.findall("x:link", spaces))
        assert all(built(url) for url in links.values()), links
        alternates[location] = links
    both = {"fr": ROOT, "en": ROOT + "en/", "x-default": ROOT}
    assert alternates[ROOT] == both and alternates[ROOT + "en/"] == both  # the home pages
    story = {"fr": ROOT + "chatgpt/", "en": ROOT + "en/chatgpt/", "x-default": ROOT + "chatgpt/"}
    assert alternates[ROOT + "chatgpt/"] == story and alternates[ROOT + "en/chatgpt/"] == story
    ledger = {"fr": ROOT + "chatgpt/comment-nous-le-savons/", "en": ROOT + "en/chatgpt/how-we-know/",
              "x-default": ROOT + "chatgpt/comment-nous-le-savons/"}
    assert alternates[ledger["fr"]] == ledger and alternates[ledger["en"]] == ledger  # each its own folder name
    assert all(links for links in alternates.values())  # every page of the site has its other language


def test_the_english_feed_is_a_feed_of_its_own(site: Path):
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    french, english = (ElementTree.parse(site / name).getroot() for name in ("feed.xml", "en/feed.xml"))

    def head(feed):
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{atom}link")}
        return feed.find(f"{atom}id").text, links["self"], links["alternate"]

    assert head(french) == (ROOT, ROOT + "feed.xml", ROOT)
    assert head(english) == (ROOT + "en/", ROOT + "en/feed.xml", ROOT + "en/")
    titles = [entry.find(f"{atom}title").text for entry in english.findall(f"{atom}entry")]
    assert titles == ["ChatGPT’s hidden workforce, and what the machines cost"]
    assert french_in(titles + [english.find(f"{atom}entry/{atom}summary").text]) == []
    assert [entry.find(f"{atom}id").text for entry in english.findall(f"{atom}entry")] == [ROOT + "en/chatgpt/"]


def test_how_we_know_marks_titles_in_another_language_and_separates_each_languages_way(site: Path):
    french = (site / "chatgpt" / "comment-nous-le-savons" / "index.html").read_text()
    english = (site / "en" / "chatgpt" / "how-we-know" / "index.html").read_text()
    assert '«\u00a0<span lang="en">Exclusive: OpenAI Used Kenyan Workers' in french
    assert "“Exclusive: OpenAI Used Kenyan Workers" in english and 'lang="en">Exclusive' not in english
    assert f'<link rel="alternate" hreflang="en" href="{ROOT}en/chatgpt/how-we-know/">' in french
    assert f'<link rel="alternate" hreflang="x-default" href="{ROOT}chatgpt/comment-nous-le-savons/">' in english
    assert '<a href="../../en/chatgpt/how-we-know/" hreflang="en" lang="en">English</a>' in french  # the switcher
    assert "\u202f; <a href=" in french  # two sources of one number, the French way
    assert "; <a href=" in english and " ; " not in english and "\u202f;" not in english
    assert french_in(visible(english)) == []
