import altair as alt

TITLE = {"fr": "Kilomètres parcourus par jour", "en": "Kilometres ridden a day"}
ALT = {"fr": "Des barres qui montent d’année en année jusqu’en 2024.",
       "en": "Bars rising year after year up to 2024."}
CAPTION = {"fr": "{js:Déplacez le curseur pour commencer plus tard.}", "en": "{js:Move the slider to start later.}"}
SOURCE = "Riverton Department of Transportation"


def chart(data, facts):
    start = alt.param(name="debut", value=2021,
                      bind=alt.binding_range(min=2021, max=2024, step=1, name="Année "))
    base = alt.Chart(data["trajets"], height=200).encode(
        x=alt.X("annee", type="ordinal", title=None),
        y=alt.Y("km", type="quantitative", title=None),
    ).transform_filter("datum.annee >= debut")
    bars = base.mark_bar().encode(tooltip=[alt.Tooltip("km", type="quantitative", format=",.1f")])
    labels = base.mark_text(dy=-6).encode(text=alt.Text("km", type="quantitative", format=",.1f"))
    return (bars + labels).add_params(start)
