import altair as alt

TITLE = "Two measures side by side, one brush for both"
ALT = "Population against area and against rainfall; a brush in either panel highlights the same towns in both."


def chart(data, facts):
    brush = alt.selection_interval(name="towns", resolve="global")
    return alt.Chart(data["cities"]).mark_point().encode(
        x=alt.X(alt.repeat("column"), type="quantitative"),
        y=alt.Y("population", type="quantitative"),
        color=alt.condition(brush, alt.Color("region", type="nominal"), alt.value("lightgray")),
    ).add_params(brush).properties(width=220, height=160).repeat(column=["area", "rainfall"])
