import altair as alt

TITLE = "A GeoJSON file of the story"
ALT = "Three square regions coloured by their value."


def chart(data, facts):
    return alt.Chart(data["regions"]).mark_geoshape(stroke="white").encode(
        color="properties.value:Q", tooltip="properties.name:N",
    ).project("equirectangular")
