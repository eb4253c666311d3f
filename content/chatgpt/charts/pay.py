"""Salaire horaire des travailleurs de la donnée, par lieu de travail, à côté de salaires de référence."""
import altair as alt

TITLE = "Ce que gagnent, de l’heure, ceux qui entraînent les IA"
ALT = (
    "Fourchettes de salaire horaire, en dollars, de travailleurs qui étiquettent des données pour l’IA, "
    "classées de la plus haute à la plus basse : de {fact:sama_wage_low|number} à {fact:sama_wage_high|number} dollars pour les Kényans de Sama, de {fact:remotasks_kenya_low|number} à {fact:remotasks_kenya_high|number} dollars "
    "chez Remotasks au Kenya, {fact:nbc_hourly_pay|number} dollars et plus pour les contractuels américains d’OpenAI, à comparer au salaire "
    "horaire moyen américain de {fact:us_avg_hourly_earnings|number} dollars et au minimum fédéral de {fact:federal_min_wage|number} dollars."
)
CAPTION = (
    "Chaque trait va du bas au haut de la fourchette rapportée ; un point seul indique un chiffre unique. "
    "Les fourchettes de Remotasks sont déclarées par les travailleurs, payés à la tâche. Les {fact:sama_billed_rate|number} dollars "
    "sont ce qu’OpenAI payait à Sama par heure de travail, pas ce que touchaient les salariés. Le taux de NBC "
    "est un plancher (« et plus ») pour quelques contractuels américains, pas une moyenne. Périodes différentes "
    "selon les lignes (de 2017 à 2023). {js:Choisissez un lieu sous le graphique pour le mettre en évidence.}"
)
SOURCE = (
    "TIME ; The Verge / New York Magazine ; NBC News ; Bloomberg ; Fast Company ; CNBC ; "
    "Hara et al. ; Bureau of Labor Statistics ; Missouri Department of Labor"
)


def chart(data, facts, layout):
    # Each row's name is written above its line, not beside it: the lines then get the whole
    # width of the column, on a phone as on a desktop.
    highlight = alt.selection_point(
        name="highlight",
        fields=["lieu"],
        bind=alt.binding_radio(
            options=[None, "Kenya", "États-Unis", "Plateformes mondiales"],
            labels=["Tous", "Kenya", "États-Unis", "Plateformes mondiales"],
            name="Lieu de travail : ",
        ),
    )
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
        axis=None,
        scale=alt.Scale(paddingInner=0, paddingOuter=0.1),
    )
    color = alt.Color(
        "lieu",
        type="nominal",
        title="Lieu de travail",
        scale=alt.Scale(domain=["Kenya", "États-Unis", "Plateformes mondiales"]),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )
    opacity = alt.OpacityValue(0.2, condition={"param": "highlight", "value": 1, "empty": True})
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
    x_scale = alt.Scale(domain=[0, 35], nice=False)

    base = alt.Chart(data["pay"])
    labels = base.mark_text(
        align="left", baseline="bottom", dy=-7, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(
        y=y,
        x=alt.XValue(0),
        text=alt.Text("groupe", type="nominal"),
        opacity=opacity,
    )
    ranges = base.mark_rule(strokeWidth=5, strokeCap="round").encode(
        y=y,
        x=alt.X("bas", type="quantitative", title=x_title, scale=x_scale),
        x2=alt.X2("haut"),
        color=color,
        opacity=opacity,
        tooltip=tooltip,
    ).add_params(highlight)
    low = base.mark_point(filled=True, size=70).encode(
        y=y,
        x=alt.X("bas", type="quantitative", title=x_title, scale=x_scale),
        color=color,
        shape=shape,
        opacity=opacity,
        tooltip=tooltip,
    )
    high = base.mark_point(filled=True, size=70).encode(
        y=y,
        x=alt.X("haut", type="quantitative", title=x_title, scale=x_scale),
        color=color,
        shape=shape,
        opacity=opacity,
        tooltip=tooltip,
    )
    return alt.layer(labels, ranges, low, high, height=alt.Step(38))
