import altair as alt

TITLE = "Salaires"
ALT = "Deux barres : {literal:2} et {literal:15} dollars de l'heure."


def chart(data, facts):
    seuil = alt.param(name="seuil", value=10, bind=alt.binding_range(min=0, max=20, step=1, name="Seuil : "))
    return alt.Chart(data["pay"]).mark_bar().encode(
        x=alt.X("usd_per_hour", type="quantitative"),
        y=alt.Y("who", type="nominal"),
        opacity=alt.condition("datum.usd_per_hour > seuil", alt.value(1), alt.value(0.3)),
    ).add_params(seuil)
