import altair as alt

TITLE = "Salaires"
ALT = "Deux barres : {literal:2} et {literal:15} dollars de l'heure."


def chart(data, facts):
    # A log scale over a domain that starts at zero: Vega warns, and draws what it can.
    return alt.Chart(data["pay"]).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative", scale=alt.Scale(type="log", domain=[0, 20])),
        y=alt.Y("who", type="nominal"),
    )
