"""Effectifs : salariés d'OpenAI, prestataires qui ont travaillé pour elle, et réserves de main-d'œuvre des plateformes."""
import altair as alt

TITLE = {
    "fr": "Les salariés d’OpenAI, ses prestataires et les travailleurs des plateformes",
    "en": "OpenAI’s staff, its contractors and the platforms’ workers",
}
ALT = {"fr": (
    "Points sur une échelle logarithmique : OpenAI comptait {fact:openai_employees_jan2023} en janvier 2023 et plus de "
    "{fact:openai_employees_sep2024} en septembre 2024, contre environ {fact:semafor_contractors} recrutés à distance ; "
    "aux Philippines, au moins {fact:remotasks_philippines} sur Remotasks et, selon une estimation officieuse, "
    "plus de {fact:ph_crowdworkers} de travailleurs du clic."
), "en": (
    "Dots on a logarithmic scale: OpenAI had {fact:openai_employees_jan2023} in January 2023 and more than "
    "{fact:openai_employees_sep2024} in September 2024, against about {fact:semafor_contractors} hired remotely; "
    "in the Philippines, at least {fact:remotasks_philippines} on Remotasks and, by an informal estimate, "
    "more than {fact:ph_crowdworkers} doing online crowdwork."
)}
CAPTION = {
    "fr": "Nombre de personnes, échelle logarithmique ; un cercle vide signale une estimation. {js:Choisissez un groupe sous le graphique pour le mettre en évidence.}",
    "en": "Number of people, logarithmic scale; an empty circle marks an estimate. {js:Choose a group below the chart to highlight it.}",
}
SOURCE = "Ouyang et al. (arXiv) ; TIME ; Semafor ; The New York Times ; The Washington Post"
SOURCE = {"fr": SOURCE, "en": SOURCE.replace(" ; ", "; ")}

# The counts of the text are the ones the dots draw: the build stops otherwise. (The Philippine
# estimate, a fact in millions, is checked in rows() below: a query cannot rescale a column.)
CHECK = {
    "instructgpt_labelers": {"table": "workforce", "where": {"fait": "instructgpt_labelers"}, "value": "effectif"},
    "sama_team": {"table": "workforce", "where": {"fait": "sama_team"}, "value": "effectif"},
    "openai_employees_jan2023": {"table": "workforce", "where": {"fait": "openai_employees_jan2023"},
                                 "value": "effectif"},
    "openai_employees_nov2023": {"table": "workforce", "where": {"fait": "openai_employees_nov2023"},
                                 "value": "effectif"},
    "openai_employees_sep2024": {"table": "workforce", "where": {"fait": "openai_employees_sep2024"},
                                 "value": "effectif"},
    "remotasks_philippines": {"table": "workforce", "where": {"fait": "remotasks_philippines"}, "value": "effectif"},
}

# One colour per meaning, the same in every chart of the story (orange: human work for OpenAI).
CATEGORIES = {
    "Salariés d’OpenAI": "#2e7d5b",
    "Prestataires travaillant pour OpenAI": "#d9774b",
    "Plateformes, tous clients confondus": "#e0a100",
}
STATUS_WORDS = {"confirmed": "confirmé", "reported": "rapporté", "estimate": "estimation",
                "computed": "calcul de la rédaction", "assumption": "hypothèse de la rédaction"}
# The words drawn inside the chart in English (layout.language); data/workforce.csv holds the French.
ENGLISH = {
    "statuses": {"confirmed": "confirmed", "reported": "reported", "estimate": "estimate",
                 "computed": "newsroom calculation", "assumption": "newsroom assumption"},
    "labels": {
        "Annotateurs d’InstructGPT": "InstructGPT’s labellers",
        "Sama, équipe du projet OpenAI (Kenya)": "Sama, OpenAI project team (Kenya)",
        "Prestataires à distance d’OpenAI": "OpenAI’s remote contractors",
        "Salariés d’OpenAI, janvier 2023": "OpenAI staff, January 2023",
        "Salariés d’OpenAI, novembre 2023": "OpenAI staff, November 2023",
        "Salariés d’OpenAI, septembre 2024": "OpenAI staff, September 2024",
        "Remotasks, Philippines": "Remotasks, Philippines",
        "Travailleurs du clic, Philippines": "Online crowdworkers, Philippines",
        "Salariés d’OpenAI": "OpenAI staff", "Prestataires travaillant pour OpenAI": "Contractors working for OpenAI",
        "Plateformes, tous clients confondus": "Platforms, all clients",
        "environ": "about", "plus de": "more than", "au moins": "at least",
        "janvier 2023": "January 2023", "novembre 2023": "November 2023", "septembre 2024": "September 2024",
    },
    "choices": ["All", "Staff", "Contractors", "Platforms"], "choose": "Category: ",
    "axis": "Number of people (logarithmic scale)", "millions": " M",
    "tooltips": ["Group", "Headcount", "Period", "Status"],
}
# The names of the rows' columns, the headers of the table under the chart and of the CSV readers
# download: the French are data/workforce.csv's, the English the English reader's.
FIELDS = {
    "fr": {name: name for name in ("groupe", "categorie", "periode", "effectif", "qualificatif", "statut")},
    "en": {"groupe": "group", "categorie": "category", "periode": "period", "effectif": "headcount",
           "qualificatif": "qualifier", "statut": "status"},
}
FRENCH = {"choices": ["Toutes", "Salariés", "Prestataires", "Plateformes"], "choose": "Catégorie : ",
          "axis": "Nombre de personnes (échelle logarithmique)", "millions": " M",
          "tooltips": ["Groupe", "Effectif", "Période", "Statut"]}


def rows(table, facts, language=""):
    """The counts of data/workforce.csv with the status of the fact the text cites (its `fait`),
    shown in the tooltip. A fact counted in millions is compared here, CHECK compares the others."""
    words = (lambda text: ENGLISH["labels"].get(text, text)) if language == "en" else (lambda text: text)
    statuses = ENGLISH["statuses"] if language == "en" else STATUS_WORDS
    field = FIELDS["en" if language == "en" else "fr"]
    out = []
    for row in table:
        fact = facts[row["fait"]]
        scale = 1000000 if fact.unit.startswith("million") else 1
        if scale != 1 and float(row["effectif"]) != fact.value * scale:
            raise ValueError(f"workforce.csv, {row['groupe']}: {row['effectif']} is not {row['fait']} "
                             f"({fact.value} {fact.unit}); change the one that is wrong")
        out.append({field[name]: value for name, value in {
            "groupe": words(row["groupe"]), "categorie": words(row["categorie"]), "periode": words(row["periode"]),
            "effectif": float(row["effectif"]), "qualificatif": words(row["qualificatif"] or ""),
            "statut": statuses[fact.status],
        }.items()})
    return out


def chart(data, facts, layout):
    english = layout.language == "en"
    words = ENGLISH if english else FRENCH
    f = FIELDS["en" if english else "fr"]
    categories = {ENGLISH["labels"][name] if english else name: colour for name, colour in CATEGORIES.items()}
    names = list(categories)
    focus = alt.selection_point(
        name="categorie_choisie", fields=[f["categorie"]],
        bind=alt.binding_radio(options=[None, *names], labels=words["choices"], name=words["choose"]),
    )
    # Small dots are hard to reach: the nearest one answers the pointer.
    nearest = alt.selection_point(name="survol_effectif", fields=[f["groupe"]], on="pointerover", nearest=True)
    base = alt.Chart(alt.InlineData(values=rows(data["workforce"].values, facts, layout.language))).transform_calculate(
        count=f"(datum.{f['qualificatif']} ? datum.{f['qualificatif']} + ' ' : '') + format(datum.{f['effectif']}, ',.0f')",
        label=f"datum.{f['groupe']} + '" + (": " if english else " : ") + "' + datum.count",
    )
    y = alt.Y(f["groupe"], type="nominal", title=None, sort=None, axis=None, scale=alt.Scale(padding=0.6))
    # Dots, not bars: on a log scale a bar's length means nothing.
    x = alt.X(
        f["effectif"], type="quantitative", title=words["axis"],
        scale=alt.Scale(type="log", domain=[10, 10000000]),
        axis=alt.Axis(
            values=[10, 1000, 100000, 10000000] if layout.narrow else [10, 100, 1000, 10000, 100000, 1000000, 10000000],
            format=",.0f",
            labelExpr="datum.value >= 1e6 ? format(datum.value / 1e6, ',.0f') + ' M' : datum.label",
        ),
    )
    tooltip = [
        alt.Tooltip(f["groupe"], type="nominal", title=words["tooltips"][0]),
        alt.Tooltip("count", type="nominal", title=words["tooltips"][1]),
        alt.Tooltip(f["periode"], type="nominal", title=words["tooltips"][2]),
        alt.Tooltip(f["statut"], type="nominal", title=words["tooltips"][3]),
    ]
    scale = alt.Scale(domain=names, range=list(categories.values()))
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40)
    color = alt.Color(f["categorie"], type="nominal", title=None, scale=scale, legend=legend)
    opacity = alt.OpacityValue(0.25, condition={"param": "categorie_choisie", "value": 1, "empty": True})
    labels = base.mark_text(
        align="left", baseline="bottom", dy=-6, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(y=y, x=alt.XValue(0), text=alt.Text("label", type="nominal"), opacity=opacity)
    # An estimate is an empty ring, a count a full dot; the legend shows full dots.
    estimate = (ENGLISH["statuses"] if english else STATUS_WORDS)["estimate"]
    dots = base.mark_point(size=120, strokeWidth=2.5, filled=True).encode(
        y=y, x=x, color=color, opacity=opacity, tooltip=tooltip,
        stroke=alt.Stroke(f["categorie"], type="nominal", title=None, scale=scale, legend=legend),
        fillOpacity=alt.condition(f"datum.{f['statut']} == '{estimate}'", alt.value(0), alt.value(1)),
    ).add_params(focus, nearest)
    return alt.layer(labels, dots, height=alt.Step(40))
