import altair as alt

TITLE = "Taux par département"
ALT = "Carte des départements, colorés selon le taux."


def chart(data, facts):
    return alt.Chart(data["departements"]).mark_geoshape().encode(
        tooltip=[alt.Tooltip("properties.nom", type="nominal")]).project("conicConformal")
