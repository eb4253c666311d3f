"""A large site for the benchmark, generated (never committed): stories like content/chatgpt, many.

    python bench/largesite.py DEST [--stories 25]

Each story has the shape of a real one: a front matter, an introduction and eight sections of
prose citing facts with `{fact:key}` (derived facts included), a facts file with its sources, small
CSVs, and four charts (bars with a legend highlight, a monthly line with a hover, ranges drawn as
rules and points, a calculator whose sliders move facts in the text, or a plain Vega-Lite file).
Every fifth story also has a 100,000-row CSV of transactions, shown as a histogram and a monthly
mean (both aggregated at build time); the first of those has a chart whose slider filters the
rows, so the live view needs them all (they become a CSV file the page fetches).

Everything comes from a seeded random generator: the same arguments give the same bytes.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
from pathlib import Path

SECTIONS = ["contexte", "budget", "emploi", "logement", "ecoles", "climat", "tourisme", "bilan"]
HEADINGS = {
    "contexte": "Ce que l’on sait", "budget": "Où va l’argent", "emploi": "Le travail et les salaires",
    "logement": "Se loger", "ecoles": "Les écoles", "climat": "Les émissions", "tourisme": "Les visiteurs",
    "bilan": "Ce qu’il faut retenir",
}
PLACES = ["Brest", "Lorient", "Quimper", "Vannes", "Rennes", "Nantes", "Angers", "Tours", "Poitiers", "Limoges",
          "Niort", "Laval", "Le Mans", "Caen", "Rouen", "Amiens", "Lille", "Reims", "Metz", "Nancy", "Dijon",
          "Besançon", "Grenoble", "Annecy", "Valence", "Nîmes", "Pau", "Bayonne", "Agen", "Albi"]
TOPICS = ["la dépense publique", "le logement", "l’emploi local", "les écoles", "le climat", "le tourisme"]
REGIONS = ["Nord", "Sud", "Est", "Ouest", "Centre"]
CATEGORIES = ["Alimentation", "Transport", "Logement", "Loisirs", "Santé", "Éducation", "Énergie", "Services"]
GROUPS = ["Public", "Privé", "Associatif"]

# fact key -> (unit, low, high, decimals)
BASE_FACTS = {
    "population": ("habitants", 20_000, 900_000, 0),
    "budget_total": ("EUR", 50_000_000, 2_000_000_000, 0),
    "budget_social": ("EUR", 5_000_000, 40_000_000, 0),
    "emplois": ("emplois", 8_000, 300_000, 0),
    "salaire_moyen": ("EUR", 14, 32, 2),
    "heures_semaine": ("heures", 30, 39, 0),
    "taux_chomage": ("percent", 4, 14, 1),
    "prix_m2": ("EUR", 1_500, 6_000, 0),
    "loyer_moyen": ("EUR", 380, 1_100, 0),
    "ecoles": ("écoles", 12, 180, 0),
    "eleves": ("élèves", 3_000, 60_000, 0),
    "emissions": ("tonnes", 80_000, 4_000_000, 0),
    "visiteurs": ("visiteurs", 100_000, 9_000_000, 0),
    "nuitees": ("nuitées", 200_000, 20_000_000, 0),
    "croissance": ("percent", 0.2, 3.5, 1),
    "hotels": ("hôtels", 10, 400, 0),
}
DERIVED = {
    "part_sociale": ("budget_social / budget_total * 100", "percent"),
    "eleves_par_ecole": ("round(eleves / ecoles)", "élèves"),
    "emissions_habitant": ("round(emissions / population, 1)", "tonnes"),
    "cout_semaine": ("salaire_moyen * heures_semaine", "EUR"),
}
SOURCES = {
    "insee": ("Recensement de la population", "Insee"),
    "comptes": ("Comptes administratifs de la collectivité", "Direction générale des finances publiques"),
    "enquete": ("Enquête annuelle de la rédaction", "La rédaction"),
}
FACT_SOURCE = {key: ("insee" if i % 3 == 0 else "comptes" if i % 3 == 1 else "enquete")
               for i, key in enumerate(BASE_FACTS)}

SENTENCES = [
    "Selon les chiffres disponibles, on y compte {a}, un ordre de grandeur qu’il faut garder en tête.",
    "La valeur de référence est {a}, à comparer avec {b} pour la période la plus récente.",
    "Les responsables interrogés citent {a} ; les documents publiés donnent plutôt {b}.",
    "Ce chiffre, {a}, ne dit pas tout : il faut le lire à côté de {b}.",
    "En rapportant l’un à l’autre, on obtient {a}, ce que confirme la source officielle.",
    "Le niveau atteint, {a}, reste en deçà des attentes exprimées par les habitants.",
]
FILLERS = [
    "Les données détaillées figurent dans le graphique et dans le tableau qui l’accompagne.",
    "Chaque nombre renvoie à sa source, sa date et son statut : un clic suffit pour les voir.",
    "Les comparaisons d’une ville à l’autre demandent de la prudence, les périmètres variant.",
    "La rédaction a relu chaque document cité et signale ce qui relève de l’estimation.",
    "Les écarts tiennent souvent aux méthodes de comptage plus qu’aux réalités décrites.",
]


def _value(rng: random.Random, low: float, high: float, decimals: int) -> float | int:
    value = rng.uniform(low, high)
    return round(value, decimals) if decimals else int(round(value, -2 if high > 100_000 else 0))


def _facts_yaml(rng: random.Random, year: int) -> tuple[str, dict]:
    values = {}
    lines = ["facts:"]
    for index, (key, (unit, low, high, decimals)) in enumerate(BASE_FACTS.items()):
        values[key] = _value(rng, low, high, decimals)
        lines += [f"  {key}:", f"    value: {values[key]}", f"    unit: {unit}",
                  f"    as_of: {year}-{1 + index % 12:02d}-15", f"    source: {FACT_SOURCE[key]}",
                  f"    status: {['confirmed', 'reported', 'estimate'][index % 3]}"]
        if index % 4 == 0:
            lines.append("    note: Chiffre arrondi par la source.")
    for key, (formula, unit) in DERIVED.items():
        lines += [f"  {key}:", f"    formula: {formula}", f"    unit: {unit}", f"    as_of: {year}-12-31",
                  "    status: computed"]
    lines.append("sources:")
    for key, (name, publisher) in SOURCES.items():
        lines += [f"  {key}:", f'    name: "{name}"', f'    publisher: "{publisher}"',
                  f"    url: https://example.org/{key}/{year}", f"    date: {year}-06-01"]
    return "\n".join(lines) + "\n", values


def _paragraph(rng: random.Random, keys: list[str]) -> str:
    sentences = []
    for position in range(0, len(keys), 2):
        pair = keys[position:position + 2]
        template = rng.choice([s for s in SENTENCES if ("{b}" in s) == (len(pair) == 2)])
        styles = ["", "", "", "|number", "|compact"]
        facts = {name: "{fact:" + key + rng.choice(styles if BASE_FACTS.get(key, ("",))[0] != "percent" else [""]) + "}"
                 for name, key in zip("ab", pair)}
        sentences.append(template.format(**facts))
        sentences.append(rng.choice(FILLERS))
    return " ".join(sentences)


def _csv(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _small_data(rng: random.Random, year: int) -> dict[str, str]:
    categories = [[name, round(rng.uniform(5, 120), 1), GROUPS[i % 3]] for i, name in enumerate(
        CATEGORIES + ["Culture", "Sport", "Sécurité", "Numérique"])]
    monthly = []
    for series in ("Dépenses", "Recettes", "Investissement"):
        level = rng.uniform(20, 80)
        for month in range(36):
            level *= rng.uniform(0.95, 1.06)
            monthly.append([f"{year - 2 + month // 12}-{month % 12 + 1:02d}-01", series, round(level, 2)])
    ranges = []
    for i in range(8):
        low = round(rng.uniform(8, 25), 2)
        ranges.append([f"{CATEGORIES[i]} ({REGIONS[i % 5]})", REGIONS[i % 5], low, round(low + rng.uniform(0, 12), 2),
                       ["Salaire", "Tarif", "Référence"][i % 3]])
    return {"categories.csv": _csv(["categorie", "valeur", "groupe"], categories),
            "mensuel.csv": _csv(["mois", "serie", "valeur"], monthly),
            "fourchettes.csv": _csv(["groupe", "region", "bas", "haut", "nature"], ranges)}


def big_csv(rng: random.Random, rows: int, year: int) -> str:
    start = dt.date(year - 2, 1, 1).toordinal()
    out = [[(dt.date.fromordinal(start + rng.randrange(3 * 365))).isoformat(), rng.choice(REGIONS),
            rng.choice(CATEGORIES), round(rng.lognormvariate(3.2, 0.9), 2), rng.randint(1, 600)]
           for _ in range(rows)]
    return _csv(["date", "region", "categorie", "montant", "duree"], out)


HEAD = '''import altair as alt

TITLE = {title!r}
ALT = {alt!r}
CAPTION = {caption!r}
SOURCE = {source!r}
SOURCES = ["enquete"]

'''

CHARTS = {
    "barres": '''
def chart(data, facts):
    survol = alt.selection_point(name="groupe_choisi", fields=["groupe"], bind=alt.binding_radio(
        options=[None, "Public", "Privé", "Associatif"], labels=["Tous", "Public", "Privé", "Associatif"], name="Secteur : "))
    return alt.Chart(data["categories"], height=alt.Step(20)).mark_bar().encode(
        x=alt.X("valeur", type="quantitative", title="Millions d’euros"),
        y=alt.Y("categorie", type="nominal", title=None, sort="-x"),
        color=alt.Color("groupe", type="nominal", title="Secteur", legend=alt.Legend(orient="bottom", columns=3)),
        opacity=alt.OpacityValue(0.25, condition={"param": "groupe_choisi", "value": 1}),
        tooltip=[alt.Tooltip("categorie", type="nominal", title="Poste"),
                 alt.Tooltip("valeur", type="quantitative", title="Millions d’euros", format=",.1f"),
                 alt.Tooltip("groupe", type="nominal", title="Secteur")],
    ).add_params(survol)
''',
    "evolution": '''
def chart(data, facts):
    survol = alt.selection_point(name="mois_survole", fields=["mois"], on="pointerover", nearest=True,
                                 clear="pointerout")
    x = alt.X("mois", type="temporal", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%m/%Y"))
    y = alt.Y("valeur", type="quantitative", title="Millions d’euros")
    color = alt.Color("serie", type="nominal", title=None, legend=alt.Legend(orient="bottom", columns=3))
    base = alt.Chart(data["mensuel"])
    return alt.layer(
        base.mark_line().encode(x=x, y=y, color=color),
        base.mark_point(filled=True).encode(
            x=x, y=y, color=color,
            size=alt.SizeValue(20, condition={"param": "mois_survole", "value": 90, "empty": False}),
            tooltip=[alt.Tooltip("mois", type="temporal", timeUnit="yearmonth", title="Mois", format="%m/%Y"),
                     alt.Tooltip("serie", type="nominal", title="Série"),
                     alt.Tooltip("valeur", type="quantitative", title="Millions d’euros", format=",.2f")],
        ).add_params(survol),
        height=220,
    )
''',
    "fourchettes": '''
def chart(data, facts):
    y = alt.Y("groupe", type="nominal", title=None, sort=alt.EncodingSortField(field="haut", op="max",
                                                                             order="descending"))
    color = alt.Color("region", type="nominal", title="Région", legend=alt.Legend(orient="bottom", columns=2))
    tooltip = [alt.Tooltip("groupe", type="nominal", title="Qui"),
               alt.Tooltip("bas", type="quantitative", title="Bas (€ de l’heure)", format=",.2f"),
               alt.Tooltip("haut", type="quantitative", title="Haut (€ de l’heure)", format=",.2f")]
    base = alt.Chart(data["fourchettes"])
    return alt.layer(
        base.mark_rule(strokeWidth=5, strokeCap="round").encode(
            y=y, x=alt.X("bas", type="quantitative", title="Euros de l’heure"), x2=alt.X2("haut"),
            color=color, tooltip=tooltip),
        base.mark_point(filled=True, size=60).encode(y=y, x=alt.X("bas", type="quantitative"), color=color,
                                                     shape=alt.Shape("nature", type="nominal", title="Nature", legend=alt.Legend(columns=1)),
                                                     tooltip=tooltip),
        base.mark_point(filled=True, size=60).encode(y=y, x=alt.X("haut", type="quantitative"), color=color,
                                                     shape=alt.Shape("nature", type="nominal", title="Nature", legend=alt.Legend(columns=1)),
                                                     tooltip=tooltip),
        height=alt.Step(24),
    )
''',
    "calculateur": '''
def chart(data, facts):
    salaire = alt.param(name="salaire_moyen", value=facts["salaire_moyen"].value,
                        bind=alt.binding_range(min=10, max=40, step=0.01, name="Salaire horaire (€) "))
    heures = alt.param(name="heures_semaine", value=facts["heures_semaine"].value,
                       bind=alt.binding_range(min=20, max=45, step=1, name="Heures par semaine "))
    rows = [{"poste": "Coût d’une semaine de travail", "nature": "travail", "montant": 0},
            {"poste": "Loyer moyen (mois)", "nature": "loyer", "montant": facts["loyer_moyen"].value}]
    return alt.Chart(alt.InlineData(values=rows), height=alt.Step(40)).transform_calculate(
        cout="datum.nature == 'travail' ? salaire_moyen * heures_semaine : datum.montant"
    ).mark_bar().encode(
        x=alt.X("cout", type="quantitative", title="Euros"),
        y=alt.Y("poste", type="nominal", title=None),
        color=alt.Color("nature", type="nominal", legend=None),
        tooltip=[alt.Tooltip("poste", type="nominal", title="Poste"),
                 alt.Tooltip("cout", type="quantitative", title="Euros", format=",.2f")],
    ).add_params(salaire, heures)
''',
    "distribution": '''
def chart(data, facts):
    choix = alt.selection_point(name="region_choisie", fields=["region"], bind=alt.binding_radio(
        options=[None, "Nord", "Sud", "Est", "Ouest", "Centre"], labels=["Toutes", "Nord", "Sud", "Est", "Ouest", "Centre"], name="Région : "))
    return alt.Chart(data["transactions"], height=220).mark_bar().encode(
        x=alt.X("montant", type="quantitative", bin=alt.Bin(maxbins=40), title="Montant (euros)"),
        y=alt.Y(aggregate="count", type="quantitative", title="Transactions"),
        color=alt.Color("region", type="nominal", title="Région", legend=alt.Legend(orient="bottom", columns=3)),
        opacity=alt.OpacityValue(0.3, condition={"param": "region_choisie", "value": 1}),
        tooltip=[alt.Tooltip("region", type="nominal", title="Région"),
                 alt.Tooltip("count()", type="quantitative", title="Transactions", format=",d")],
    ).add_params(choix)
''',
    "moyenne_mensuelle": '''
def chart(data, facts):
    x = alt.X("date", type="temporal", timeUnit="yearmonth", title=None, axis=alt.Axis(format="%m/%Y"))
    y = alt.Y("montant", type="quantitative", aggregate="mean", title="Montant moyen (euros)")
    color = alt.Color("region", type="nominal", title="Région", legend=alt.Legend(orient="bottom", columns=3))
    base = alt.Chart(data["transactions"])
    return alt.layer(
        base.mark_line().encode(x=x, y=y, color=color),
        base.mark_point(filled=True, size=25).encode(
            x=x, y=y, color=color,
            tooltip=[alt.Tooltip("date", type="temporal", timeUnit="yearmonth", title="Mois", format="%m/%Y"),
                     alt.Tooltip("region", type="nominal", title="Région"),
                     alt.Tooltip("montant", type="quantitative", aggregate="mean", title="Moyenne", format=",.2f")]),
        height=220,
    )
''',
    "seuil": '''
def chart(data, facts):
    seuil = alt.param(name="seuil", value=20, bind=alt.binding_range(min=0, max=200, step=5, name="Montant minimal "))
    return alt.Chart(data["transactions"], height=alt.Step(22)).transform_filter(
        "datum.montant >= seuil"
    ).mark_bar().encode(
        x=alt.X("montant", type="quantitative", aggregate="mean", title="Montant moyen (euros)"),
        y=alt.Y("categorie", type="nominal", title=None, sort="-x"),
        tooltip=[alt.Tooltip("categorie", type="nominal", title="Catégorie"),
                 alt.Tooltip("montant", type="quantitative", aggregate="mean", title="Moyenne", format=",.2f")],
    ).add_params(seuil)
''',
}

VEGALITE = {
    "usermeta": {"caption": "Un graphique écrit directement en Vega-Lite.", "source": "Enquête de la rédaction",
                 "sources": ["enquete"]},
    "data": {"url": "data/categories.csv"},
    "mark": {"type": "point", "filled": True, "size": 70},
    "height": 160,
    "encoding": {
        "x": {"field": "valeur", "type": "quantitative", "title": "Millions d’euros"},
        "y": {"field": "groupe", "type": "nominal", "title": None},
        "color": {"field": "groupe", "type": "nominal", "legend": None},
        "tooltip": [{"field": "categorie", "type": "nominal", "title": "Poste"},
                    {"field": "valeur", "type": "quantitative", "title": "Millions d’euros", "format": ",.1f"}],
    },
}


def chart_plan(index: int, big_every: int, first_big: bool) -> list[str]:
    """The four charts of story `index` (1-based): file stems, '.vl.json' for Vega-Lite files."""
    big = big_every and index % big_every == 0
    if big:
        return ["distribution", "moyenne_mensuelle", "seuil" if first_big else "fourchettes", "calculateur"]
    return ["barres", "evolution", "fourchettes", "calculateur" if index % 2 == 0 else "nuage.vl.json"]


def generate(dest: Path, stories: int = 25, big_rows: int = 100_000, big_every: int = 5, seed: int = 2024,
             sections: int = 8) -> dict:
    """Write a content folder into `dest` (site.yaml + story folders); returns what it holds."""
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "site.yaml").write_text(
        "title: Broadsheet, grand format\ndescription: Un site de mesure, généré.\nlanguage: fr\nbase_url: /\n"
        "absolute_url: https://broadsheet.example/\nnewsroom: La rédaction de Broadsheet\n", encoding="utf-8")
    counts = {"stories": 0, "sections": 0, "charts": 0, "big_charts": 0, "big_rows": big_rows}
    first_big = True
    for index in range(1, stories + 1):
        rng = random.Random(seed * 1000 + index)
        year = 2020 + index % 5
        place = PLACES[(index - 1) % len(PLACES)]
        slug = f"enquete-{index:02d}"
        folder = dest / slug
        for sub in ("sections", "data", "charts"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        facts_text, values = _facts_yaml(rng, year)
        (folder / "facts.yaml").write_text(facts_text, encoding="utf-8")
        for name, text in _small_data(rng, year).items():
            (folder / "data" / name).write_text(text, encoding="utf-8")
        plan = chart_plan(index, big_every, first_big)
        if big_every and index % big_every == 0:
            (folder / "data" / "transactions.csv").write_text(big_csv(rng, big_rows, year), encoding="utf-8")
            counts["big_charts"] += 2 + (plan[2] == "seuil")
            first_big = False
        for stem in plan:
            title = f"{stem.split('.')[0].replace('_', ' ').capitalize()} à {place}"
            if stem.endswith(".vl.json"):
                spec = {"title": title, "description": f"Un point par poste de dépense à {place}, par secteur.",
                        **VEGALITE}
                (folder / "charts" / stem).write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
            else:
                head = HEAD.format(title=title, alt=f"Le graphique {stem.replace('_', ' ')} pour {place} : les "
                                   "valeurs les plus hautes et les plus basses sont lisibles dans le tableau.",
                                   caption="{js:Survolez le graphique pour le détail.}", source="Enquête de la rédaction")
                (folder / "charts" / f"{stem}.py").write_text(head + CHARTS[stem], encoding="utf-8")
        chart_ids = [stem.split(".")[0] for stem in plan]
        keys = list(BASE_FACTS) + list(DERIVED)
        (folder / "index.md").write_text(
            f'---\ntitle: "Ce que révèlent les comptes de {place} sur {TOPICS[index % len(TOPICS)]}"\n'
            f'dek: "Les chiffres, chacun avec sa source, pour comprendre {TOPICS[index % len(TOPICS)]} à {place}."\n'
            f"byline: La rédaction\npublished: {year}-{1 + index % 12:02d}-{1 + index % 27:02d}\nlanguage: fr\n"
            f"lead_chart: {chart_ids[0]}\n---\n\n" + _paragraph(rng, keys[:2]) + "\n", encoding="utf-8")
        order = keys[2:] + keys[2:]
        for number in range(sections):
            name = SECTIONS[number % len(SECTIONS)]
            cited = [order[(number * 5 + k) % len(order)] for k in range(5)]
            body = [f"## {HEADINGS[name]}", "", _paragraph(rng, cited[:2]), "", _paragraph(rng, cited[2:4]), "",
                    _paragraph(rng, cited[4:]) + " " + rng.choice(FILLERS)]
            if number % 2 == 1 and number // 2 < len(chart_ids):
                body += ["", "{chart:" + chart_ids[number // 2] + "}", "", rng.choice(FILLERS)]
            (folder / "sections" / f"{number + 1:02d}-{name}.md").write_text("\n".join(body) + "\n", encoding="utf-8")
        counts["stories"] += 1
        counts["sections"] += sections
        counts["charts"] += len(plan)
    return counts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--stories", type=int, default=25)
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    print(generate(args.dest, args.stories, args.rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
