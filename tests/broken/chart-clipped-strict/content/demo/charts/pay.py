import altair as alt

TITLE = "Salaires"
ALT = "Deux barres : {literal:2} et {literal:15} dollars de l'heure."


def chart(data, facts):
    # A label written at a fixed place far right of the plot: beyond the picture's edge.
    bars = alt.Chart(data["pay"]).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative"),
        y=alt.Y("who", type="nominal"),
    )
    note = alt.Chart(data["pay"]).mark_text(align="left", clip=False).encode(
        x=alt.XValue(2000), y=alt.Y("who", type="nominal"), text=alt.Text("who", type="nominal"))
    return bars + note
