"""Coût d'une requête ChatGPT (estimations) face au revenu et au coût d'une recherche Google."""
import json

import altair as alt

TITLE = "Une réponse de ChatGPT face à une recherche Google"
ALT = (
    "Barres horizontales en centimes de dollar par requête : {fact:cost_per_query|number} centime de calcul pour une réponse de ChatGPT "
    "selon SemiAnalysis, environ {fact:thread_cost_per_query|number} centime selon un fil Twitter de décembre 2022, contre {fact:google_revenue_per_query|number} centime de revenu "
    "moyen et {fact:google_cost_per_query|number} centime de coût complet pour une recherche Google en 2022. Une ligne marque le seuil de "
    "{fact:llm_query_threshold|number} centime sous lequel une requête doit rester, selon SemiAnalysis, pour qu’un moteur de recherche fondé sur un modèle de langage soit rentable."
)
CAPTION = (
    "Les barres ne comptent pas la même chose : le coût de ChatGPT ne comprend que le calcul (à un tarif supposé "
    "de GPU), alors que celui de Google inclut tous les frais de la recherche. Ce sont des estimations extérieures, "
    "pas des chiffres publiés par OpenAI ou Google. La ligne pointillée marque le seuil de rentabilité d’une "
    "requête selon SemiAnalysis. {js:Choisissez un service sous le graphique pour le mettre en évidence.}"
)
SOURCE = "SemiAnalysis, février 2023 ; fil Twitter de décembre 2022 (copie Thread Reader)"


FAMILLES = ["ChatGPT (coût estimé)", "Recherche Google"]
LIBELLE_SEUIL = "Seuil de rentabilité d’une requête (SemiAnalysis)"


def chart(data, facts, layout):
    # Each estimate's name is written above its bar, not beside it: the bars then get the whole
    # width of the column, on a phone as on a desktop.
    threshold = facts["llm_query_threshold"].value
    focus = alt.selection_point(
        name="famille_choisie",
        fields=["famille"],
        bind=alt.binding_radio(options=[None, *FAMILLES], labels=["Tous", *FAMILLES], name="Service : "),
    )
    y = alt.Y(
        "estimation", type="nominal", title=None, sort=None, axis=None,
        scale=alt.Scale(paddingInner=0, paddingOuter=0.1),
    )
    x_scale = alt.Scale(domain=[0, 2], nice=False)
    x = alt.X(
        "centimes", type="quantitative", title="Centimes de dollar par requête", scale=x_scale,
        axis=alt.Axis(values=[0, 0.5, 1, 1.5, 2]),
    )
    tooltip = [
        alt.Tooltip("estimation", type="nominal", title="Estimation"),
        alt.Tooltip("centimes", type="quantitative", title="Centimes par requête", format=".2f"),
        alt.Tooltip("perimetre", type="nominal", title="Ce qui est compté"),
        alt.Tooltip("date", type="nominal", title="Date"),
        alt.Tooltip("source", type="nominal", title="Source"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    opacity = alt.OpacityValue(0.3, condition={"param": "famille_choisie", "value": 1, "empty": True})
    base = alt.Chart(data["query_cost"])
    names = base.mark_text(
        align="left", baseline="bottom", dy=-3, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(
        y=y,
        x=alt.XValue(0),
        text=alt.Text("estimation", type="nominal"),
        opacity=opacity,
    )
    bars = base.mark_bar(height=20, yOffset=11).encode(
        y=y,
        x=x,
        color=alt.Color(
            "famille", type="nominal", title=None, scale=alt.Scale(domain=FAMILLES),
            legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40),
        ),
        opacity=opacity,
        tooltip=tooltip,
    ).add_params(focus)
    # Each number is written inside its bar, at its end: none is cut at the right edge, and none
    # crosses the threshold line.
    labels = base.mark_text(align="right", dx=-4, dy=11, baseline="middle", color="#ffffff").encode(
        y=y,
        x=x,
        text=alt.Text("centimes", type="quantitative", format=".2f"),
        opacity=opacity,
        tooltip=tooltip,
    )
    # The line is drawn row by row, along the bars: it stops where a row's name is written.
    rule_base = base.transform_calculate(seuil=str(threshold), libelle=json.dumps(LIBELLE_SEUIL))
    rule = rule_base.mark_rule(strokeDash=[4, 3], color="#444444", yOffset=-1, y2Offset=8).encode(
        x=alt.X("seuil", type="quantitative", scale=x_scale),
        y=alt.Y("estimation", type="nominal", sort=None, axis=None, bandPosition=0.5,
                scale=alt.Scale(paddingInner=0, paddingOuter=0.1)),
        y2=alt.Y2("estimation", bandPosition=1),
        tooltip=[
            alt.Tooltip("libelle", type="nominal", title="Repère"),
            alt.Tooltip("seuil", type="quantitative", title="Centimes", format=".2f"),
        ],
    )
    # The line is named beside the bar that stops short of it (the first one); short on a phone.
    rule_label = rule_base.transform_filter(f"datum.centimes < {threshold}").mark_text(
        align="left", dx=4, dy=11, baseline="middle", fontSize=12 if layout.narrow else 13, color="#444444",
    ).encode(
        x=alt.X("seuil", type="quantitative", scale=x_scale),
        y=y,
        text=alt.value("Seuil de rentabilité" if layout.narrow else LIBELLE_SEUIL),
    )
    return alt.layer(names, bars, labels, rule, rule_label, height=alt.Step(46))
