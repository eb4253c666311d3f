"""The ledger: every fact of a story as published (`<slug>/facts.json`), so a reader, a fact-checker
or the next build can see each number, where it comes from, how sure we are and where it is shown.
"""
from __future__ import annotations

import json

from typing import Callable

from . import i18n
from .model import Story

Words = Callable[[str], str]  # a catalog's gettext: the reader's words in the story's language
STATUS = {"confirmed": "confirmed", "reported": "reported", "estimate": "estimate", "computed": "our calculation",
          "assumption": "our assumption"}
STATUS_HELP = {"confirmed": "Read in the original source.",
               "reported": "Reported by a secondary source, or the original was not read.",
               "estimate": "An estimate by a third party, not a measurement.",
               "computed": "Calculated by us from other sourced figures.",
               "assumption": "Our own assumption, made for the calculation: not data."}


def entries(story: Story, gettext: Words = str) -> dict[str, dict]:
    """Fact key -> what the ledger says of it: value as stored and as printed, unit, as_of, status
    (key and the words readers see), sources, formula and inputs of a derived fact, and every
    place it appears: a section's file and line (`{fact:…}` or the reader's `{scenario:…}`), the
    front matter's title, dek or an update note (file and line), a chart."""
    places: dict[str, list[dict]] = {}
    for piece in ([story.intro] if story.intro else []) + list(story.sections):
        for directive in piece.directives:
            if directive.kind in ("fact", "scenario"):
                places.setdefault(directive.name, []).append(
                    {"file": directive.location.path, "line": directive.location.line, "as": directive.kind})
    for key, path, line, field in story.front_places:
        places.setdefault(key, []).append({"file": path, "line": line, "as": field})
    for chart in story.charts.values():
        for key in chart.facts_used:
            places.setdefault(key, []).append({"chart": chart.id, "file": chart.path})
    ledger = {}
    for key, fact in story.facts.facts.items():
        if fact.value is None:
            continue
        sources = [story.facts.sources[name] for name in fact.sources if name in story.facts.sources]
        ledger[key] = {
            "value": fact.value, "unit": fact.unit,
            "printed": i18n.format_value(fact.value, fact.unit, story.language),
            "as_of": fact.as_of, "status": fact.status,
            "status_words": gettext(STATUS[fact.status]) if fact.status in STATUS else fact.status,
            "status_explained": gettext(STATUS_HELP[fact.status]) if fact.status in STATUS_HELP else "",
            "note": fact.note,
            "sources": [{"key": s.key, "name": s.name, "publisher": s.publisher, "url": s.url, "date": s.date}
                        for s in sources],
            "formula": fact.formula or None, "inputs": list(fact.inputs),
            "query": fact.query.as_json() if fact.query is not None else None,
            "appears": places.get(key, []),
            "history": list(story.corrections.get(key, ())),
        }
    for key, history in story.corrections.items():  # a fact a correction removed: its history stays
        if key not in ledger:
            ledger[key] = {"removed": True, "value": None, "history": list(history)}
    return ledger


def facts_json(story: Story, gettext: Words = str) -> bytes:
    """`facts.json`: sorted, stable bytes (the same story gives the same file)."""
    document = {"story": story.slug, "title": story.title, "language": story.language,
                "published": story.published, "updated": story.updated, "facts": entries(story, gettext)}
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def page_path(story: Story, gettext: Words = str) -> str:
    """The reader's page of the ledger: "comment-nous-le-savons/" in French, "how-we-know/" in English."""
    return f"{story.slug}/{page_path_in(gettext)}/index.html"


def page_path_in(gettext: Words = str) -> str:
    """The folder name of the ledger's page in a language: "comment-nous-le-savons" in French."""
    return gettext("how-we-know")


def rows(story: Story, gettext: Words = str) -> list[dict]:
    """The reader's page, one row a fact shown on the page, in the order of first appearance: the
    number as printed, its sources, its status in words, and links to where it appears."""
    sections = {piece.path: piece.slug for piece in story.sections}
    ledger = entries(story, gettext)
    order: dict[str, int] = {}
    for index, key in enumerate(_all_places(story)):
        if key in ledger and ledger[key].get("appears"):
            order.setdefault(key, index)
    found = []
    for key in sorted(order, key=order.get):
        entry = ledger[key]
        places = []
        for place in entry["appears"]:
            if "chart" in place:
                chart = story.charts.get(place["chart"])
                places.append((gettext("chart: %(title)s") % {"title": chart.title if chart else place["chart"]},
                               f"#chart-{place['chart']}"))
            else:
                slug = sections.get(place["file"])
                label = gettext("your scenario") if place["as"] == "scenario" else gettext("text")
                places.append((label, f"#s-{slug}" if slug else "#updates" if place["as"] == "update" else ""))
        sources = [{**source, "language": getattr(story.facts.sources.get(source["key"]), "language", "")}
                   for source in entry["sources"]]  # a title in another language is marked `lang`
        found.append({"key": key, "printed": entry["printed"], "sources": sources, "note": entry["note"],
                      "status": entry["status_words"], "explained": entry["status_explained"],
                      "as_of": entry["as_of"], "places": list(dict.fromkeys(places))})
    return found


def _all_places(story: Story) -> list[str]:
    """Fact keys in reading order: the title and dek, the text, then the charts (and update notes)."""
    front = [key for key, _, _, field in story.front_places if field != "update"]
    keys = front + [d.name for piece in ([story.intro] if story.intro else []) + list(story.sections)
            for d in piece.directives if d.kind in ("fact", "scenario")]
    return keys + [key for chart in story.charts.values() for key in chart.facts_used] + \
        [key for key, _, _, field in story.front_places if field == "update"]
