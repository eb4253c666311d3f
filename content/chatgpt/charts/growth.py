"""Temps mis pour atteindre 100 millions d'utilisateurs, selon l'application, avec la mesure utilisée."""
import altair as alt

TITLE = "Combien de temps pour atteindre 100 millions d’utilisateurs ?"
ALT = (
    "Barres horizontales du nombre de mois mis par des applications et services pour atteindre 100 millions "
    "d’utilisateurs tels que rapportés : 5 jours pour Threads (inscriptions), environ 2 mois pour ChatGPT "
    "(estimation UBS), 9 mois pour TikTok, environ 7 ans pour le Web. La couleur indique ce que mesure chaque chiffre."
)
CAPTION = (
    "Utilisateurs « tels que rapportés » : les chiffres ne mesurent pas la même chose. Ceux de ChatGPT sont des "
    "utilisateurs mensuels estimés par UBS à partir des données de Similarweb ; ceux de Threads et de Google+ des "
    "inscriptions ; pour beaucoup d’autres, la source ne précise pas la définition. Les durées anciennes sont "
    "des ordres de grandeur repris de compilations (PwC, World of Statistics)."
)
SOURCE = "UBS via Reuters ; Reuters (Zawya) ; PwC via Hindustan Times ; World of Statistics via Livemint ; Sensor Tower"

MESURES = [
    "Utilisateurs actifs mensuels (estimation)",
    "Utilisateurs actifs mensuels",
    "Inscriptions",
    "Utilisateurs (sans précision)",
]


def chart(data, facts):
    pick = alt.selection_point(name="mesure_choisie", fields=["mesure"], bind="legend")
    y = alt.Y(
        "application",
        type="nominal",
        title=None,
        sort=alt.EncodingSortField(field="mois", op="min", order="ascending"),
    )
    x = alt.X("mois", type="quantitative", title="Mois pour atteindre 100 millions d’utilisateurs (tels que rapportés)")
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
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400),
    )
    opacity = alt.OpacityValue(0.25, condition={"param": "mesure_choisie", "value": 1})
    bars = alt.Chart(data["growth"]).mark_bar().encode(
        y=y, x=x, color=color, opacity=opacity, tooltip=tooltip
    ).add_params(pick)
    labels = alt.Chart(data["growth"]).mark_text(align="left", dx=4, baseline="middle").encode(
        y=y,
        x=x,
        text=alt.Text("duree", type="nominal"),
        opacity=opacity,
        tooltip=tooltip,
    )
    return alt.layer(bars, labels, height=alt.Step(24))
