import altair as alt

TITLE = "Sales over the year, with a brush on the overview"
ALT = "Monthly units of tea, coffee and cocoa; dragging on the small chart zooms the large one."


def chart(data, facts):
    brush = alt.selection_interval(name="span", encodings=["x"])
    base = alt.Chart(data["sales"]).mark_area(opacity=0.7).encode(
        x=alt.X("month", type="temporal", title=None),
        y=alt.Y("units", type="quantitative", stack=True),
        color=alt.Color("product", type="nominal"),
    )
    detail = base.encode(alt.X("month", type="temporal", title=None).scale(domain={"param": "span"}))
    return alt.vconcat(detail.properties(height=180), base.properties(height=50).add_params(brush))
