import altair as alt

TITLE = "Salaire horaire, lieu par lieu"
ALT = "Barres horizontales du salaire horaire de quatre groupes de travailleurs, du Kenya aux États-Unis."
CAPTION = "En dollars par heure, avant impôts."
SOURCE = "TIME, NBC News, The Verge"


def chart(data, facts):
    # What the steps set: the place in focus, and how far the axis goes.
    focus = alt.param(name="focus", value="Tous",
                      bind=alt.binding_select(options=["Tous", "Kenya", "États-Unis"], name="Lieu "))
    zoom = alt.param(name="zoom", value=16, bind=alt.binding_range(min=4, max=16, step=1, name="Axe jusqu’à "))
    return alt.Chart(data["pay"], height=160).mark_bar(clip=True).encode(
        x=alt.X("usd_per_hour", type="quantitative", title="Dollars par heure",
                scale=alt.Scale(domain=[0, alt.ExprRef("zoom")], nice=False)),
        y=alt.Y("who", type="nominal", title=None, sort="-x"),
        color=alt.Color("place", type="nominal", title="Pays"),
        opacity=alt.condition("focus == 'Tous' || datum.place == focus", alt.value(1), alt.value(0.2)),
        tooltip=[alt.Tooltip("who", type="nominal", title="Qui"),
                 alt.Tooltip("usd_per_hour", type="quantitative", title="$ par heure", format=".2f")],
    ).add_params(focus, zoom)
