"""Temps mis pour atteindre 100 millions d'utilisateurs, selon l'application, avec la mesure utilisée."""
import altair as alt

TITLE = "Combien de temps pour atteindre {literal:100} millions d’utilisateurs ?"
ALT = (
    "Barres horizontales du nombre de mois mis par des applications et services pour atteindre {literal:100} millions "
    "d’utilisateurs tels que rapportés : {fact:threads_days} pour Threads (inscriptions), environ {fact:chatgpt_months_to_100m} pour ChatGPT "
    "(estimation UBS), {fact:tiktok_months} pour TikTok, environ {literal:7} ans pour le Web. La couleur indique ce que mesure chaque chiffre."
)
CAPTION = (
    "Utilisateurs « tels que rapportés » : les chiffres ne mesurent pas la même chose. Ceux de ChatGPT sont des "
    "utilisateurs mensuels estimés par UBS à partir des données de Similarweb ; ceux de Threads et de Google+ des "
    "inscriptions ; pour beaucoup d’autres, la source ne précise pas la définition. Les durées anciennes sont "
    "des ordres de grandeur repris de compilations (PwC, World of Statistics). {js:Choisissez un type de chiffre "
    "sous le graphique pour le mettre en évidence.}"
)
SOURCE = "UBS via Reuters ; Reuters (Zawya) ; PwC via Hindustan Times ; World of Statistics via Livemint ; Sensor Tower"

MESURES = [
    "Utilisateurs actifs mensuels (estimation)",
    "Utilisateurs actifs mensuels",
    "Inscriptions",
    "Utilisateurs (sans précision)",
]


def chart(data, facts, layout):
    pick = alt.selection_point(
        name="mesure_choisie",
        fields=["mesure"],
        # Short labels: a choice must fit one line of a 320-pixel phone (the legend has the full names).
        bind=alt.binding_radio(
            options=[None, *MESURES],
            labels=["Tous", "Mensuels (estimation)", "Mensuels", "Inscriptions", "Sans précision"],
            name="Utilisateurs comptés : ",
        ),
    )
    y = alt.Y(
        "application",
        type="nominal",
        title=None,
        sort=alt.EncodingSortField(field="mois", op="min", order="ascending"),
    )
    # The title says what is counted; the axis only the unit (the caption says "as reported").
    x = alt.X("mois", type="quantitative", title="Mois depuis le lancement")
    tooltip = [
        alt.Tooltip("application", type="nominal", title="Application"),
        alt.Tooltip("lancement", type="nominal", title="Lancement"),
        alt.Tooltip("duree", type="nominal", title="Durée"),
        alt.Tooltip("mois", type="quantitative", title="Mois (approx.)", format=",.1f"),
        alt.Tooltip("mesure", type="nominal", title="Ce qui est compté"),
        alt.Tooltip("source", type="nominal", title="Source"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    color = alt.Color(
        "mesure",
        type="nominal",
        title="Ce qui est compté",
        scale=alt.Scale(domain=MESURES),
        # The legend starts under the plot, right of the names: smaller on a phone, to fit.
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40,
                          labelFontSize=12 if layout.narrow else 13, labelExpr=(
                              # on a phone, a parenthesis goes on a second line: the labels fit
                              "indexof(datum.label, ' (') > 0 ? [slice(datum.label, 0, indexof(datum.label, ' (')), "
                              "slice(datum.label, indexof(datum.label, ' (') + 1)] : datum.label")
                          if layout.narrow else "datum.label"),
    )
    opacity = alt.OpacityValue(0.25, condition={"param": "mesure_choisie", "value": 1, "empty": True})
    base = alt.Chart(data["growth"])
    bars = base.mark_bar().encode(
        y=y, x=x, color=color, opacity=opacity, tooltip=tooltip
    ).add_params(pick)
    # A duration is written after a short bar, and inside a long one (from four years and a half
    # on), where it could not fit after it on a phone.
    long = "datum.mois >= 50"
    size = 12 if layout.narrow else 13
    after = base.transform_filter(f"!({long})").mark_text(align="left", dx=4, baseline="middle", fontSize=size).encode(
        y=y,
        x=x,
        text=alt.Text("duree", type="nominal"),
        opacity=opacity,
        tooltip=tooltip,
    )
    inside = base.transform_filter(long).mark_text(
        align="right", dx=-4, baseline="middle", color="#ffffff", fontSize=size,
    ).encode(
        y=y,
        x=x,
        text=alt.Text("duree", type="nominal"),
        opacity=opacity,
        tooltip=tooltip,
    )
    return alt.layer(bars, after, inside, height=alt.Step(24))
