"""Effectifs : salariés d'OpenAI, prestataires qui ont travaillé pour elle, et réserves de main-d'œuvre des plateformes."""
import altair as alt

TITLE = "Les salariés d’OpenAI, ses prestataires et les travailleurs des plateformes"
ALT = (
    "Points sur une échelle logarithmique : OpenAI comptait {fact:openai_employees_jan2023} en janvier 2023 et plus de "
    "{fact:openai_employees_sep2024} en septembre 2024, contre environ {fact:semafor_contractors} recrutés à distance ; "
    "aux Philippines, au moins {fact:remotasks_philippines} sur Remotasks et, selon une estimation officieuse, "
    "plus de {fact:ph_crowdworkers} de travailleurs du clic."
)
CAPTION = "Nombre de personnes, échelle logarithmique ; un cercle vide signale une estimation. {js:Choisissez un groupe sous le graphique pour le mettre en évidence.}"
SOURCE = "Ouyang et al. (arXiv) ; TIME ; Semafor ; The New York Times ; The Washington Post"

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


def rows(table, facts):
    """The counts of data/workforce.csv with the status of the fact the text cites (its `fait`),
    shown in the tooltip. A fact counted in millions is compared here, CHECK compares the others."""
    out = []
    for row in table:
        fact = facts[row["fait"]]
        scale = 1000000 if fact.unit.startswith("million") else 1
        if scale != 1 and float(row["effectif"]) != fact.value * scale:
            raise ValueError(f"workforce.csv, {row['groupe']}: {row['effectif']} is not {row['fait']} "
                             f"({fact.value} {fact.unit}); change the one that is wrong")
        out.append({
            "groupe": row["groupe"], "categorie": row["categorie"], "periode": row["periode"],
            "effectif": float(row["effectif"]), "qualificatif": row["qualificatif"] or "",
            "statut": STATUS_WORDS[fact.status], "estimation": fact.status == "estimate",
        })
    return out


def chart(data, facts, layout):
    names = list(CATEGORIES)
    focus = alt.selection_point(
        name="categorie_choisie", fields=["categorie"],
        bind=alt.binding_radio(options=[None, *names], labels=["Toutes", "Salariés", "Prestataires", "Plateformes"],
                               name="Catégorie : "),
    )
    # Small dots are hard to reach: the nearest one answers the pointer.
    nearest = alt.selection_point(name="survol_effectif", fields=["groupe"], on="pointerover", nearest=True)
    base = alt.Chart(alt.InlineData(values=rows(data["workforce"].values, facts))).transform_calculate(
        nombre="(datum.qualificatif ? datum.qualificatif + ' ' : '') + format(datum.effectif, ',.0f')",
        etiquette="datum.groupe + ' : ' + datum.nombre",
    )
    y = alt.Y("groupe", type="nominal", title=None, sort=None, axis=None, scale=alt.Scale(padding=0.6))
    # Dots, not bars: on a log scale a bar's length means nothing.
    x = alt.X(
        "effectif", type="quantitative", title="Nombre de personnes (échelle logarithmique)",
        scale=alt.Scale(type="log", domain=[10, 10000000]),
        axis=alt.Axis(
            values=[10, 1000, 100000, 10000000] if layout.narrow else [10, 100, 1000, 10000, 100000, 1000000, 10000000],
            format=",.0f",
            labelExpr="datum.value >= 1e6 ? format(datum.value / 1e6, ',.0f') + ' M' : datum.label",
        ),
    )
    tooltip = [
        alt.Tooltip("groupe", type="nominal", title="Groupe"),
        alt.Tooltip("nombre", type="nominal", title="Effectif"),
        alt.Tooltip("periode", type="nominal", title="Période"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    scale = alt.Scale(domain=names, range=list(CATEGORIES.values()))
    legend = alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40)
    color = alt.Color("categorie", type="nominal", title=None, scale=scale, legend=legend)
    opacity = alt.OpacityValue(0.25, condition={"param": "categorie_choisie", "value": 1, "empty": True})
    labels = base.mark_text(
        align="left", baseline="bottom", dy=-6, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(y=y, x=alt.XValue(0), text=alt.Text("etiquette", type="nominal"), opacity=opacity)
    # An estimate is an empty ring, a count a full dot; the legend shows full dots.
    dots = base.mark_point(size=120, strokeWidth=2.5, filled=True).encode(
        y=y, x=x, color=color, opacity=opacity, tooltip=tooltip,
        stroke=alt.Stroke("categorie", type="nominal", title=None, scale=scale, legend=legend),
        fillOpacity=alt.condition("datum.estimation", alt.value(0), alt.value(1)),
    ).add_params(focus, nearest)
    return alt.layer(labels, dots, height=alt.Step(40))
