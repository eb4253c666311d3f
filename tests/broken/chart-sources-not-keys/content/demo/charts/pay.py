import altair as alt

TITLE = "Salaires"
ALT = "Deux barres."
SOURCES = ["time", {"name": "NBC"}]


def chart(data, facts):
    return alt.Chart(data["pay"]).mark_bar().encode(x="usd_per_hour:Q", y="who:N")
