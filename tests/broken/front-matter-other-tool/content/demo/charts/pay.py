import altair as alt

TITLE = "Salaires"
ALT = "Deux barres : le salaire de Sama et celui de NBC, en dollars de l'heure."


def chart(data, facts):
    return alt.Chart(data["pay"]).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative"),
        y=alt.Y("who", type="nominal"),
        tooltip=[alt.Tooltip("usd_per_hour", type="quantitative")],
    )
