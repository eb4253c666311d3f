"""The ledger: every fact of a story as published (`<slug>/facts.json`), so a reader, a fact-checker
or the next build can see each number, where it comes from, how sure we are and where it is shown.
"""
from __future__ import annotations

import json

from . import i18n
from .model import Story


def entries(story: Story) -> dict[str, dict]:
    """Fact key -> what the ledger says of it: value as stored and as printed, unit, as_of, status
    (key and the words readers see), sources, formula and inputs of a derived fact, and every
    place it appears: a section's file and line (`{fact:…}` or the reader's `{scenario:…}`), a chart."""
    words = i18n.messages(story.language)
    places: dict[str, list[dict]] = {}
    for piece in ([story.intro] if story.intro else []) + list(story.sections):
        for directive in piece.directives:
            if directive.kind in ("fact", "scenario"):
                places.setdefault(directive.name, []).append(
                    {"file": directive.location.path, "line": directive.location.line, "as": directive.kind})
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
            "status_words": words["status"].get(fact.status, fact.status),
            "status_explained": words["status_help"].get(fact.status, ""), "note": fact.note,
            "sources": [{"key": s.key, "name": s.name, "publisher": s.publisher, "url": s.url, "date": s.date}
                        for s in sources],
            "formula": fact.formula or None, "inputs": list(fact.inputs),
            "appears": places.get(key, []),
        }
    return ledger


def facts_json(story: Story) -> bytes:
    """`facts.json`: sorted, stable bytes (the same story gives the same file)."""
    document = {"story": story.slug, "title": story.title, "language": story.language,
                "published": story.published, "updated": story.updated, "facts": entries(story)}
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def page_path(story: Story) -> str:
    """The reader's page of the ledger: "comment-nous-le-savons/" in French, "how-we-know/" otherwise."""
    return f"{story.slug}/{i18n.messages(story.language)['how_we_know_slug']}/index.html"


def rows(story: Story) -> list[dict]:
    """The reader's page, one row a fact shown on the page, in the order of first appearance: the
    number as printed, its sources, its status in words, and links to where it appears."""
    words = i18n.messages(story.language)
    sections = {piece.path: piece.slug for piece in story.sections}
    ledger = entries(story)
    order: dict[str, int] = {}
    for index, key in enumerate(_all_places(story)):
        if key in ledger and ledger[key]["appears"]:
            order.setdefault(key, index)
    found = []
    for key in sorted(order, key=order.get):
        entry = ledger[key]
        places = []
        for place in entry["appears"]:
            if "chart" in place:
                chart = story.charts.get(place["chart"])
                places.append((f"{words['in_chart']} {chart.title if chart else place['chart']}",
                               f"#chart-{place['chart']}"))
            else:
                slug = sections.get(place["file"])
                label = words["in_scenario"] if place["as"] == "scenario" else words["in_text"]
                places.append((label, f"#s-{slug}" if slug else ""))
        found.append({"key": key, "printed": entry["printed"], "sources": entry["sources"], "note": entry["note"],
                      "status": entry["status_words"], "explained": entry["status_explained"],
                      "as_of": entry["as_of"], "places": list(dict.fromkeys(places))})
    return found


def _all_places(story: Story) -> list[str]:
    """Fact keys in reading order: the text, then the charts."""
    keys = [d.name for piece in ([story.intro] if story.intro else []) + list(story.sections)
            for d in piece.directives if d.kind in ("fact", "scenario")]
    return keys + [key for chart in story.charts.values() for key in chart.facts_used]
