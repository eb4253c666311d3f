import altair as alt

TITLE = "Salaires"
ALT = "Deux barres : {literal:2} et {literal:15} dollars de l'heure."


def chart(data, facts):
    return alt.Chart(data["pay"]).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative"),
        y=alt.Y("who", type="nominal"),
        color=alt.Color("who", type="nominal", legend=alt.Legend(orient="none", legendX=220, legendY=0)),
    )
