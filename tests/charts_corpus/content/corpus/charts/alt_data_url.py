import altair as alt

TITLE = "A TSV named by its address"
ALT = "Daily temperature in two cities, read from data/weather.tsv."


def chart(data, facts):
    source = alt.Data(url="data/weather.tsv")
    return alt.Chart(source).mark_line().encode(
        x="date:T", y="temp:Q", color="city:N",
    ).transform_filter(alt.datum.temp > 0)
