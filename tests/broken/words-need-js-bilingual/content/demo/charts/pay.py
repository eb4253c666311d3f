import altair as alt

TITLE = {"fr": "Salaires", "en": "Wages"}
ALT = "Deux barres : le salaire de Sama et celui de NBC, en dollars de l'heure."
CAPTION = {"fr": "En dollars de l’heure. {js:Survolez une barre du graphique pour lire sa valeur.}",
           "en": "In dollars an hour. Drag the slider "
                 "to see your own scenario."}


def chart(data, facts):
    return alt.Chart(data["pay"]).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative"),
        y=alt.Y("who", type="nominal"),
        tooltip=[alt.Tooltip("usd_per_hour", type="quantitative")],
    )
