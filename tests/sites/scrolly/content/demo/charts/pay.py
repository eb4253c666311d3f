import altair as alt

TITLE = "Salaire horaire des travailleurs de la donnée"
ALT = "Barres horizontales : {fact:kenya_high} au Kenya chez Sama, {fact:hourly_wage} pour les contractuels américains d'OpenAI."
CAPTION = "En dollars par heure, avant impôts."
SOURCE = "TIME, NBC News, The Verge"


def chart(data, facts):
    highlight = alt.selection_point(name="highlight", fields=["place"], on="pointerover")
    return alt.Chart(data["pay"], height=160).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative", title="Dollars par heure"),
        y=alt.Y("who", type="nominal", title=None, sort="-x"),
        color=alt.Color("place", type="nominal", title="Pays"),
        opacity=alt.OpacityValue(1, condition={"param": "highlight", "value": 1, "empty": True}),
        tooltip=[alt.Tooltip("who", type="nominal", title="Qui"),
                 alt.Tooltip("usd_per_hour", type="quantitative", title="$ par heure", format=".2f")],
    ).add_params(highlight)
