import altair as alt

TITLE = "Units per month, with the average on demand"
ALT = "Monthly units of three products as bars; a check box shows the yearly average as a line."


def chart(data, facts):
    show = alt.param(name="show_mean", value=True, bind=alt.binding_checkbox(name="Show the average "))
    bars = alt.Chart(data["sales"]).mark_bar().encode(
        x=alt.X("month", type="ordinal", timeUnit="month", title=None),
        y=alt.Y("units", type="quantitative", aggregate="sum"),
    )
    mean = alt.Chart(data["sales"]).mark_rule(color="firebrick").encode(
        y=alt.Y("mean_units", type="quantitative"),
        opacity=alt.condition("show_mean", alt.value(1), alt.value(0)),
    ).transform_aggregate(total="sum(units)", groupby=["month"]).transform_aggregate(
        mean_units="mean(total)")
    return alt.layer(bars, mean).add_params(show).properties(height=180)
