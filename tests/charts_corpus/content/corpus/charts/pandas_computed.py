import altair as alt
import pandas as pd

TITLE = "A table computed with pandas"
ALT = "Rain per city, summed in pandas before charting."


def chart(data, facts):
    weather = pd.DataFrame(data["weather"])
    totals = weather.groupby("city", as_index=False)["rain"].sum()
    return alt.Chart(totals).mark_bar().encode(x="city:N", y="rain:Q")
