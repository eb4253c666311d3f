import altair as alt

TITLE = "Rainfall against area, zoom and pan"
ALT = "A scatter of rainfall against area for twelve towns over three years; drag to pan, scroll to zoom."


def chart(data, facts):
    return alt.Chart(data["cities"], height=200).mark_point().encode(
        x=alt.X("area", type="quantitative"),
        y=alt.Y("rainfall", type="quantitative"),
        shape=alt.Shape("region", type="nominal"),
        tooltip=[alt.Tooltip("city", type="nominal"), alt.Tooltip("rainfall", type="quantitative")],
    ).interactive()
