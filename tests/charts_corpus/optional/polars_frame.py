import altair as alt
import polars as pl

TITLE = "A polars frame made from a story table"
ALT = "Horsepower against miles per gallon, from a polars frame."


def chart(data, facts):
    df = pl.DataFrame(data["cars.csv"]).filter(pl.col("cylinders") > 4)
    return alt.Chart(df).mark_point().encode(x="horsepower:Q", y="mpg:Q", color="origin:N")
