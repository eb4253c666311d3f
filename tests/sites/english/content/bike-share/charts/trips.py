import altair as alt

TITLE = "Trips per year on Riverton Bikes"
ALT = "A line rising from {literal:412,000} trips in 2015 to {literal:1.9} million in 2024, with a dip in 2020."
CAPTION = "{js:Move the slider to start the line at a later year.}"
SOURCE = "Riverton Department of Transportation"


def chart(data, facts):
    start = alt.param(name="start_year", value=2015,
                      bind=alt.binding_range(min=2015, max=2023, step=1, name="First year "))
    return alt.Chart(data["trips"], height=220).mark_line(point=True).encode(
        x=alt.X("year", type="quantitative", title="Year", scale=alt.Scale(zero=False)),
        y=alt.Y("trips", type="quantitative", title="Trips"),
        tooltip=[alt.Tooltip("year", type="quantitative", title="Year"),
                 alt.Tooltip("trips", type="quantitative", title="Trips", format=",")],
    ).transform_filter("datum.year >= start_year").add_params(start)
