import altair as alt

TITLE = "Cities above a population threshold"
ALT = "Area and population of twelve towns; a slider sets the threshold, and the title follows it."


def chart(data, facts):
    floor = alt.param(name="floor", value=30000,
                      bind=alt.binding_range(min=0, max=100000, step=5000, name="Population at least "))
    return alt.Chart(data["cities"], height=180).mark_circle(size=80).encode(
        x=alt.X("area", type="quantitative"),
        y=alt.Y("population", type="quantitative"),
        color=alt.Color("region", type="nominal"),
        opacity=alt.condition("datum.population >= floor", alt.value(1), alt.value(0.15)),
    ).add_params(floor).properties(
        title=alt.Title(alt.expr("'Towns of at least ' + format(floor, ',') + ' people'")))
