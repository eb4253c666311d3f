import altair as alt

TITLE = "A chain of transforms"
ALT = "The best ranked value of each measure per origin."


def chart(data, facts):
    return alt.Chart(data["cars.csv"]).transform_fold(
        ["horsepower", "mpg"], as_=["measure", "amount"]
    ).transform_window(
        rank="rank(amount)", groupby=["measure"], sort=[alt.SortField("amount", order="descending")]
    ).transform_filter(
        alt.datum.rank <= 5
    ).transform_calculate(
        label="datum.name + ' (' + datum.origin + ')'"
    ).mark_bar().encode(
        x="amount:Q", y=alt.Y("label:N", sort="-x"), row="measure:N",
    ).resolve_scale(y="independent")
