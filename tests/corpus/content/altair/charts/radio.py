import altair as alt

TITLE = "One region at a time, chosen with buttons"
ALT = "Population of twelve towns by year; radio buttons keep one region."


def chart(data, facts):
    region = alt.selection_point(name="region_pick", fields=["region"],
                                 bind=alt.binding_radio(options=[None, "North", "South", "West"],
                                                        labels=["All", "North", "South", "West"], name="Region "))
    return alt.Chart(data["cities"], height=220).mark_bar().encode(
        x=alt.X("population", type="quantitative", aggregate="sum"),
        y=alt.Y("city", type="nominal", sort="-x", title=None),
        color=alt.Color("region", type="nominal"),
    ).add_params(region).transform_filter(region)
