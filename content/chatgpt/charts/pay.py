"""Salaire horaire des travailleurs de la donnée, par lieu de travail, à côté de salaires de référence."""
import altair as alt

TITLE = "Ce que gagnent, de l’heure, ceux qui entraînent les IA"
ALT = (
    "Fourchettes de salaire horaire, en dollars, de travailleurs qui étiquettent des données pour l’IA, "
    "classées de la plus haute à la plus basse : de 1,32 à 2 dollars pour les Kényans de Sama, de 1 à 3 dollars "
    "chez Remotasks au Kenya, 15 dollars et plus pour les contractuels américains d’OpenAI, à comparer au salaire "
    "horaire moyen américain de 33,20 dollars et au minimum fédéral de 7,25 dollars."
)
CAPTION = (
    "Chaque trait va du bas au haut de la fourchette rapportée ; un point seul indique un chiffre unique. "
    "Les fourchettes de Remotasks sont déclarées par les travailleurs, payés à la tâche. Les 12,50 dollars "
    "sont ce qu’OpenAI payait à Sama par heure de travail, pas ce que touchaient les salariés. Le taux de NBC "
    "est un plancher (« et plus ») pour quelques contractuels américains, pas une moyenne. Périodes différentes "
    "selon les lignes (de 2017 à 2023). Cliquez sur un lieu dans la légende pour le mettre en évidence."
)
SOURCE = (
    "TIME ; The Verge / New York Magazine ; NBC News ; Bloomberg ; Fast Company ; CNBC ; "
    "Hara et al. ; Bureau of Labor Statistics ; Missouri Department of Labor"
)


def chart(data, facts):
    highlight = alt.selection_point(name="highlight", fields=["lieu"], bind="legend")
    tooltip = [
        alt.Tooltip("groupe", type="nominal", title="Qui"),
        alt.Tooltip("lieu", type="nominal", title="Lieu"),
        alt.Tooltip("categorie", type="nominal", title="Nature du chiffre"),
        alt.Tooltip("bas", type="quantitative", title="Bas ($ de l’heure)", format=",.2f"),
        alt.Tooltip("haut", type="quantitative", title="Haut ($ de l’heure)", format=",.2f"),
        alt.Tooltip("periode", type="nominal", title="Période"),
        alt.Tooltip("source", type="nominal", title="Source"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    y = alt.Y(
        "groupe",
        type="nominal",
        title=None,
        sort=alt.EncodingSortField(field="haut", op="max", order="descending"),
        axis=alt.Axis(labelLimit=360),
    )
    color = alt.Color(
        "lieu",
        type="nominal",
        title="Lieu de travail",
        scale=alt.Scale(domain=["Kenya", "États-Unis", "Plateformes mondiales"]),
        legend=alt.Legend(orient="bottom", labelLimit=400),
    )
    opacity = alt.OpacityValue(0.2, condition={"param": "highlight", "value": 1})
    shape = alt.Shape(
        "categorie",
        type="nominal",
        title="Nature du chiffre",
        scale=alt.Scale(
            domain=["Travailleurs de la donnée", "Tarif facturé au client", "Salaire de référence"],
            range=["circle", "square", "diamond"],
        ),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )
    x_title = "Dollars américains de l’heure"

    ranges = alt.Chart(data["pay"]).mark_rule(strokeWidth=5, strokeCap="round").encode(
        y=y,
        x=alt.X("bas", type="quantitative", title=x_title),
        x2=alt.X2("haut"),
        color=color,
        opacity=opacity,
        tooltip=tooltip,
    ).add_params(highlight)
    low = alt.Chart(data["pay"]).mark_point(filled=True, size=70).encode(
        y=y,
        x=alt.X("bas", type="quantitative", title=x_title),
        color=color,
        shape=shape,
        opacity=opacity,
        tooltip=tooltip,
    )
    high = alt.Chart(data["pay"]).mark_point(filled=True, size=70).encode(
        y=y,
        x=alt.X("haut", type="quantitative", title=x_title),
        color=color,
        shape=shape,
        opacity=opacity,
        tooltip=tooltip,
    )
    return alt.layer(ranges, low, high, height=alt.Step(24))
