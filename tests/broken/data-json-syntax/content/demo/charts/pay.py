import altair as alt

TITLE = "Salaires"
ALT = "Deux barres."


def chart(data, facts):
    return alt.Chart(data["pay"]).mark_bar().encode(x="usd_per_hour:Q", y="who:N")
