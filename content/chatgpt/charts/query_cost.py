"""Coût d'une requête ChatGPT (estimations) face au revenu et au coût d'une recherche Google."""
import altair as alt

TITLE = "Une réponse de ChatGPT face à une recherche Google"
ALT = (
    "Barres horizontales en centimes de dollar par requête : 0,36 centime de calcul pour une réponse de ChatGPT "
    "selon SemiAnalysis, environ 1 centime selon un fil Twitter de décembre 2022, contre 1,61 centime de revenu "
    "moyen et 1,06 centime de coût complet pour une recherche Google en 2022. Une ligne marque le seuil de "
    "0,5 centime sous lequel une requête doit rester, selon SemiAnalysis, pour qu’un moteur de recherche fondé sur un modèle de langage soit rentable."
)
CAPTION = (
    "Les barres ne comptent pas la même chose : le coût de ChatGPT ne comprend que le calcul (à un tarif supposé "
    "de GPU), alors que celui de Google inclut tous les frais de la recherche. Ce sont des estimations extérieures, "
    "pas des chiffres publiés par OpenAI ou Google."
)
SOURCE = "SemiAnalysis, février 2023 ; fil Twitter de décembre 2022 (copie Thread Reader)"


def chart(data, facts):
    threshold = facts["llm_query_threshold"].value
    focus = alt.selection_point(name="famille_choisie", fields=["famille"], bind="legend")
    y = alt.Y("estimation", type="nominal", title=None, sort=None, axis=alt.Axis(labelLimit=320))
    x = alt.X("centimes", type="quantitative", title="Centimes de dollar par requête")
    tooltip = [
        alt.Tooltip("estimation", type="nominal", title="Estimation"),
        alt.Tooltip("centimes", type="quantitative", title="Centimes par requête", format=".2f"),
        alt.Tooltip("perimetre", type="nominal", title="Ce qui est compté"),
        alt.Tooltip("date", type="nominal", title="Date"),
        alt.Tooltip("source", type="nominal", title="Source"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    opacity = alt.OpacityValue(0.3, condition={"param": "famille_choisie", "value": 1})
    bars = alt.Chart(data["query_cost"]).mark_bar().encode(
        y=y,
        x=x,
        color=alt.Color("famille", type="nominal", title=None, legend=alt.Legend(orient="bottom", labelLimit=400)),
        opacity=opacity,
        tooltip=tooltip,
    ).add_params(focus)
    labels = alt.Chart(data["query_cost"]).mark_text(align="left", dx=4, baseline="middle").encode(
        y=y,
        x=x,
        text=alt.Text("centimes", type="quantitative", format=".2f"),
        opacity=opacity,
        tooltip=tooltip,
    )
    rule_data = alt.InlineData(values=[{
        "seuil": threshold,
        "libelle": "Seuil de rentabilité d’une requête (SemiAnalysis)",
    }])
    rule = alt.Chart(rule_data).mark_rule(strokeDash=[4, 3], color="#444444").encode(
        x=alt.X("seuil", type="quantitative"),
        tooltip=[
            alt.Tooltip("libelle", type="nominal", title="Repère"),
            alt.Tooltip("seuil", type="quantitative", title="Centimes", format=".2f"),
        ],
    )
    rule_label = alt.Chart(rule_data).mark_text(align="left", dx=4, dy=-6, baseline="bottom", fontSize=11).encode(
        x=alt.X("seuil", type="quantitative"),
        y=alt.YValue(0),
        text=alt.Text("libelle", type="nominal"),
    )
    return alt.layer(bars, labels, rule, rule_label, height=alt.Step(36))
