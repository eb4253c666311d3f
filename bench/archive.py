"""A newsroom's archive for the benchmark, generated (never committed): many small stories.

    python bench/archive.py DEST [--stories 10000]

Each story has three sections citing five facts, a facts file with two sources, and one story in
twenty has two charts (a Vega-Lite bar chart and a Python line chart over a small CSV). Stories
are dated over twenty years, so the archive pages by year have something to list.
Everything comes from a seeded random generator: the same arguments give the same bytes.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

FACTS = {"habitants": "habitants", "budget": "EUR", "emplois": "emplois", "taux": "percent", "ecoles": "écoles"}
WORDS = ("la ville", "le conseil", "les habitants", "le budget", "la région", "les écoles", "le quartier",
         "les commerces", "le département", "les associations", "la mairie", "les transports")
PY_CHART = '''import altair as alt

TITLE = "L’évolution sur dix ans"
ALT = "Une courbe qui monte puis se stabilise sur dix ans."
SOURCES = ["releve"]


def chart(data, facts):
    return alt.Chart(alt.Data(values=data["series"])).mark_line().encode(
        x=alt.X("annee:O", title="Année"), y=alt.Y("valeur:Q", title="Valeur"))
'''


def _sentence(rng: random.Random, fact: str) -> str:
    return (f"Selon les relevés, {rng.choice(WORDS)} compte {{fact:{fact}}}, "
            f"un chiffre que {rng.choice(WORDS)} discute encore.")


def _facts(rng: random.Random, year: int) -> str:
    lines = ["facts:"]
    for index, (key, unit) in enumerate(FACTS.items()):
        value = round(rng.uniform(1, 90), 1) if unit == "percent" else rng.randrange(100, 900_000)
        lines += [f"  {key}:", f"    value: {value}", f"    unit: {unit}", f"    as_of: {year}-0{1 + index}-15",
                  f"    source: {'releve' if index % 2 else 'comptes'}", "    status: confirmed"]
    lines += ["sources:", "  releve:", '    name: "Relevé annuel"', '    publisher: "Insee"',
              f"    url: https://example.org/releve/{year}", f"    date: {year}-06-01",
              "  comptes:", '    name: "Comptes de la collectivité"', '    publisher: "DGFiP"',
              f"    url: https://example.org/comptes/{year}", f"    date: {year}-06-01"]
    return "\n".join(lines) + "\n"


def story(dest: Path, index: int, rng: random.Random, charts: bool) -> None:
    day = dt.date(2006, 1, 1) + dt.timedelta(days=(index * 7919) % 7300)
    folder = dest / f"article-{index:05d}"
    (folder / "sections").mkdir(parents=True)
    (folder / "index.md").write_text(
        f"---\ntitle: \"Article {index} sur {rng.choice(WORDS)}\"\ndek: \"Ce que disent les chiffres.\"\n"
        f"published: {day.isoformat()}\nlanguage: fr\n---\n{_sentence(rng, 'habitants')}\n", encoding="utf-8")
    keys = list(FACTS)
    for number in range(1, 4):
        text = f"## Partie {number}\n\n" + " ".join(_sentence(rng, keys[(number + k) % 5]) for k in range(2))
        if charts and number == 2:
            text += "\n\n{chart:barres}\n\n{chart:courbe}\n"
        (folder / "sections" / f"0{number}-partie.md").write_text(text + "\n", encoding="utf-8")
    (folder / "facts.yaml").write_text(_facts(rng, day.year), encoding="utf-8")
    if charts:
        (folder / "data").mkdir()
        (folder / "charts").mkdir()
        rows = "\n".join(f"{2010 + y},{rng.randrange(10, 99)}" for y in range(10))
        (folder / "data" / "series.csv").write_text("annee,valeur\n" + rows + "\n", encoding="utf-8")
        spec = {"$schema": "https://vega.github.io/schema/vega-lite/v6.json", "title": "Les valeurs par année",
                "description": "Des barres, une par année, de hauteurs variées.",
                "usermeta": {"source": "Relevé annuel"}, "data": {"url": "data/series.csv"}, "mark": "bar",
                "encoding": {"x": {"field": "annee", "type": "ordinal", "title": "Année"},
                             "y": {"field": "valeur", "type": "quantitative", "title": "Valeur"}}}
        (folder / "charts" / "barres.vl.json").write_text(json.dumps(spec, indent=2) + "\n", encoding="utf-8")
        (folder / "charts" / "courbe.py").write_text(PY_CHART, encoding="utf-8")


def generate(dest: Path, stories: int = 10_000, chart_every: int = 20, seed: int = 2026) -> dict:
    """Write a content folder into `dest`; returns what it holds."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "site.yaml").write_text(
        "title: Les archives\ndescription: Vingt ans d’articles, générés.\nlanguage: fr\nbase_url: /\n"
        "absolute_url: https://archives.example/\nnewsroom: La rédaction\n", encoding="utf-8")
    for index in range(1, stories + 1):
        story(dest, index, random.Random(seed * 100_000 + index), charts=index % chart_every == 0)
    return {"stories": stories, "charts": 2 * (stories // chart_every), "sections": 3 * stories}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--stories", type=int, default=10_000)
    arguments = parser.parse_args()
    print(generate(arguments.dest, arguments.stories))
