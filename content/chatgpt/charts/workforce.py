"""Effectifs : salariés d'OpenAI, contractuels qui travaillent pour elle, et autres réserves de main-d'œuvre."""
import altair as alt

TITLE = "Les salariés d’OpenAI, ses contractuels et les réserves de main-d’œuvre du secteur"
ALT = (
    "Barres horizontales sur une échelle logarithmique : OpenAI comptait {fact:openai_employees_jan2023} en janvier 2023, "
    "contre environ {fact:semafor_contractors} recrutés à distance, et plus de {fact:openai_employees_sep2024} en septembre 2024 ; "
    "les plateformes d’annotation se comptent en dizaines de milliers de travailleurs, voire en millions d’inscrits."
)
CAPTION = (
    "Échelle logarithmique : chaque graduation multiplie par dix. Les effectifs ne sont pas de même nature : "
    "salariés, contractuels recrutés, équipes ponctuelles, inscrits sur une plateforme ou estimations officieuses. "
    "Les contractuels comptés ici ne sont pas tous actifs en même temps et la plupart des travailleurs des "
    "plateformes ne travaillent pas pour OpenAI. Le chiffre d’Appen pour Google vient d’une chronique de presse "
    "dont le titre d’origine n’a pas été confirmé. Choisissez une catégorie sous le graphique pour la mettre en évidence."
)
SOURCE = (
    "Semafor ; The New York Times (via Newser et The Economic Times) ; TIME ; Business Insider ; "
    "Ouyang et al. (arXiv) ; The Washington Post ; Appen"
)

# Les nombres du texte sont ceux que dessinent les barres : la construction s’arrête sinon.
CHECK = {
    "openai_employees_jan2023": {"table": "workforce", "where": {"groupe": "Salariés d’OpenAI (janvier 2023)"},
                                 "value": "effectif"},
    "semafor_contractors": {"table": "workforce", "value": "effectif",
                            "where": {"groupe": "Contractuels à distance (Amérique latine, Europe de l’Est)"}},
    "openai_employees_sep2024": {"table": "workforce", "where": {"groupe": "Salariés d’OpenAI (septembre 2024)"},
                                 "value": "effectif"},
}

CATEGORIES = ["Salariés d’OpenAI", "Contractuels travaillant pour OpenAI", "Autres plateformes du secteur"]


def chart(data, facts, layout):
    # Each group's name is written above its bar, not beside it: the bars then get the whole
    # width of the column, on a phone as on a desktop.
    focus = alt.selection_point(
        name="categorie_choisie",
        fields=["categorie"],
        bind=alt.binding_radio(options=[None, *CATEGORIES], labels=["Toutes", *CATEGORIES], name="Catégorie : "),
    )
    y = alt.Y(
        "groupe",
        type="nominal",
        title=None,
        sort=alt.EncodingSortField(field="effectif", op="max", order="descending"),
        axis=None,
        scale=alt.Scale(paddingInner=0, paddingOuter=0.1),
    )
    # The scale goes on past the largest count (two million), so that its number fits after the
    # bar: a decade more on a phone, where a decade is only some fifty pixels wide.
    x = alt.X(
        "effectif",
        type="quantitative",
        title="Nombre de personnes (échelle logarithmique)",
        scale=alt.Scale(type="log", domain=[10, 50000000 if layout.narrow else 10000000]),
        stack=None,
        axis=alt.Axis(
            # every other decade on a phone, where "10 000" and "100 000" would touch
            values=[10, 1000, 100000, 10000000] if layout.narrow else [10, 100, 1000, 10000, 100000, 1000000, 10000000],
            format=",.0f",
            labelExpr="datum.value >= 1e6 ? format(datum.value / 1e6, ',.0f') + ' M' : datum.label",
        ),
    )
    tooltip = [
        alt.Tooltip("groupe", type="nominal", title="Groupe"),
        alt.Tooltip("effectif", type="quantitative", title="Effectif", format=",.0f"),
        alt.Tooltip("date", type="nominal", title="Date"),
        alt.Tooltip("categorie", type="nominal", title="Catégorie"),
        alt.Tooltip("source", type="nominal", title="Source"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    color = alt.Color(
        "categorie",
        type="nominal",
        title=None,
        scale=alt.Scale(domain=CATEGORIES),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40),
    )
    opacity = alt.OpacityValue(0.25, condition={"param": "categorie_choisie", "value": 1, "empty": True})
    base = alt.Chart(data["workforce"])
    names = base.mark_text(
        align="left", baseline="bottom", dy=-3, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(
        y=y,
        x=alt.XValue(0),
        text=alt.Text("groupe", type="nominal"),
        opacity=opacity,
    )
    # On a log scale a bar has no zero to start from: start it at the left edge (0 px).
    bars = base.mark_bar(height=14, yOffset=8).encode(
        y=y, x=x, x2=alt.X2Value(0), color=color, opacity=opacity, tooltip=tooltip
    ).add_params(focus)
    values = base.mark_text(align="left", dx=4, dy=8, baseline="middle").encode(
        y=y,
        x=x,
        text=alt.Text("effectif", type="quantitative", format=",.0f"),
        opacity=opacity,
        tooltip=tooltip,
    )
    return alt.layer(names, bars, values, height=alt.Step(40))
