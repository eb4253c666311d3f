import altair as alt
import pandas as pd

TITLE = "A pandas frame made from a story table"
ALT = "Mean miles per gallon by origin, from a data frame."


def chart(data, facts):
    df = pd.DataFrame(data["cars.csv"])
    return alt.Chart(df).mark_bar().encode(
        x=alt.X("origin:N"), y=alt.Y("mean(mpg):Q"),
    )
