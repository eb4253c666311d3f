import altair as alt

TITLE = "Units by product, a click picks a month"
ALT = "Three small bar charts of monthly units, one per product; clicking a bar picks that month in all three."


def chart(data, facts):
    pick = alt.selection_point(name="picked", fields=["month"])
    return alt.Chart(data["sales"]).mark_bar().encode(
        x=alt.X("month", type="ordinal", timeUnit="month", title=None),
        y=alt.Y("units", type="quantitative"),
        opacity=alt.condition(pick, alt.value(1), alt.value(0.35)),
    ).add_params(pick).properties(width=160, height=100).facet(column=alt.Column("product", type="nominal"))
