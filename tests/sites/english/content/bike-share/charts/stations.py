import altair as alt

TITLE = "Docks per station"
ALT = "A histogram: most of the {literal:75} stations have between {literal:11} and {literal:19} docks; a few downtown have more than {literal:25}."
CAPTION = "Number of stations by number of docks."
SOURCE = "Riverton Department of Transportation"


def chart(data, facts):
    return alt.Chart(data["stations"], height=180).mark_bar().encode(
        x=alt.X("docks", type="quantitative", bin=alt.Bin(step=4), title="Docks"),
        y=alt.Y("count()", type="quantitative", title="Stations"),
    )
