import altair as alt

TITLE = "A JSON table read with data[...]"
ALT = "Horsepower against kilometres per litre for twenty models."
SOURCES = ["corpus"]


def chart(data, facts):
    return alt.Chart(data["cars.json"]).mark_circle().encode(x="hp:Q", y="kpl:Q", color="maker:N")
