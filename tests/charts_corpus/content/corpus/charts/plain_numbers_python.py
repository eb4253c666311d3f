import altair as alt

TITLE = "A JSON array of numbers, read with data[...]"
ALT = "A histogram of twelve counts."


def chart(data, facts):
    return alt.Chart(data["counts"]).mark_bar().encode(x=alt.X("data:Q", bin=True), y="count():Q")
