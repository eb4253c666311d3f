"""The story folder `broadsheet new` writes, in the site's language (or `--language`).

A newsroom that writes in English should not begin by deleting French. The starter's words are
author content (the author replaces them), not page furniture, so they live here rather than in
the page catalogs; a language without a starter gets the English one.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

STARTERS = {
    "en": {"title": "Title of the story", "dek": "One sentence that says what the reader will learn.",
           "section": "01-start.md", "heading": "First subheading",
           "text": "The text, where every number is a fact: {fact:example}.",
           "source_name": "Title of the source", "publisher": "Publisher"},
    "fr": {"title": "Titre de l'article", "dek": "Une phrase qui dit ce que le lecteur va apprendre.",
           "section": "01-debut.md", "heading": "Premier intertitre",
           "text": "Le texte, où chaque nombre est un fait : {fact:exemple}.",
           "source_name": "Titre de la source", "publisher": "Éditeur"},
    "de": {"title": "Titel des Artikels", "dek": "Ein Satz, der sagt, was die Leserin erfahren wird.",
           "section": "01-anfang.md", "heading": "Erste Zwischenüberschrift",
           "text": "Der Text, in dem jede Zahl ein Fakt ist: {fact:beispiel}.",
           "source_name": "Titel der Quelle", "publisher": "Herausgeber"},
}
FACT_KEYS = {"en": "example", "fr": "exemple", "de": "beispiel"}
SITE_WORDS = {"en": ("Our explainers", "Explainers in numbers, where every figure has its source.", "The newsroom"),
              "fr": ("Nos explications", "Des explications chiffrées, où chaque nombre a sa source.", "La rédaction"),
              "de": ("Unsere Erklärstücke", "Erklärstücke in Zahlen, jede mit ihrer Quelle.", "Die Redaktion")}


def starter_language(language: str) -> str:
    """The starter closest to `language` (pt-BR -> pt -> English)."""
    base = language.replace("_", "-").split("-")[0].lower()
    return base if base in STARTERS else "en"


def write_starter(folder: Path, language: str, today: dt.date) -> None:
    """index.md, one section, facts.yaml, and the empty data/, charts/, media/ folders."""
    words = STARTERS[starter_language(language)]
    key = FACT_KEYS[starter_language(language)]
    (folder / "sections").mkdir(parents=True)
    for name in ("data", "charts", "media"):
        (folder / name).mkdir()
    (folder / "index.md").write_text(
        f"---\ntitle: {words['title']}\ndek: {words['dek']}\npublished: {today.isoformat()}\n"
        f"language: {language}\ndraft: true\n---\n", encoding="utf-8")  # published once `draft: true` goes
    (folder / "sections" / words["section"]).write_text(
        f"## {words['heading']}\n\n{words['text']}\n", encoding="utf-8")
    (folder / "facts.yaml").write_text(
        f"facts:\n  {key}:\n    value: 42\n    unit: \"\"\n    as_of: {today.year}-01-01\n    source: {key}\n"
        f"    status: confirmed\nsources:\n  {key}:\n    name: {words['source_name']}\n"
        f"    publisher: {words['publisher']}\n    url: https://example.org/\n    date: {today.isoformat()}\n",
        encoding="utf-8")


def write_site_yaml(path: Path, language: str) -> None:
    """The project's site.yaml, for a first story in a folder that has none: the site's title, its
    language and newsroom to replace, and where it will be published (left for the author to say)."""
    title, description, newsroom = SITE_WORDS.get(starter_language(language), SITE_WORDS["en"])
    path.write_text(
        f"title: {title}\ndescription: {description}\nlanguage: {language}\nbase_url: /\n"
        "# where the site is published (canonical links, link previews, sitemap), e.g.:\n"
        "# absolute_url: https://explainers.example.org/\n"
        f"newsroom: {newsroom}\n", encoding="utf-8")
