import altair as alt

TITLE = "Taux par département"
ALT = "Carte des départements, colorés selon le taux."


def chart(data, facts):
    deps = alt.topo_feature("data/departements.topojson", "departements")
    return alt.Chart(deps).mark_geoshape().transform_lookup(
        lookup="id", from_=alt.LookupData(data["taux"], key="code", fields=["taux"])
    ).encode(color=alt.Color("taux", type="quantitative")).project("conicConformal")
