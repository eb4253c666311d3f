import altair as alt

TITLE = "A layered chart over a generated sequence"
ALT = "A sine and a cosine wave computed in the chart."


def chart(data, facts):
    base = alt.Chart(alt.sequence(0, 6.3, 0.1, as_="t"))
    sine = base.transform_calculate(v="sin(datum.t)").mark_line().encode(x="t:Q", y="v:Q")
    cosine = base.transform_calculate(v="cos(datum.t)").mark_line(color="orange").encode(x="t:Q", y="v:Q")
    return sine + cosine
