import altair as alt

TITLE = "Salaires"
ALT = "Deux barres de salaire horaire."
SOURCE = "TIME, NBC News"


def chart(data, facts):
    focus = alt.param(name="focus", value="Tous", bind=alt.binding_select(options=["Tous", "Sama", "NBC"], name="Qui "))
    zoom = alt.param(name="zoom", value=16, bind=alt.binding_range(min=4, max=16, step=1, name="Axe "))
    return alt.Chart(data["pay"], height=80).mark_bar(clip=True).encode(
        x=alt.X("usd_per_hour", type="quantitative", title="Dollars par heure",
                scale=alt.Scale(domain=[0, alt.ExprRef("zoom")], nice=False)),
        y=alt.Y("who", type="nominal", title=None),
        opacity=alt.condition("focus == 'Tous' || datum.who == focus", alt.value(1), alt.value(0.2)),
    ).add_params(focus, zoom)
