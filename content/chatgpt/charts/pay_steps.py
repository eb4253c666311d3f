"""Les mêmes fourchettes de salaire horaire que le graphique des salaires, parcourues pas à pas :
un lieu mis en avant, un axe resserré sur les petits montants."""
import altair as alt

TITLE = "Le même travail, d’un pays à l’autre"
ALT = (
    "Fourchettes de salaire horaire, en dollars, de travailleurs de la donnée au Kenya, aux États-Unis "
    "et sur les plateformes mondiales, à côté de salaires de référence américains, "
    "de {fact:sama_wage_low|number} à {fact:us_avg_hourly_earnings|number} dollars."
)
CAPTION = (
    "Chaque trait va du bas au haut de la fourchette rapportée ; un point seul indique un chiffre unique. "
    "Les étapes du texte mettent un lieu en avant et resserrent l’axe ; les commandes sous le graphique "
    "font de même."
)
SOURCE = (
    "TIME ; The Verge / New York Magazine ; NBC News ; Bloomberg ; Fast Company ; CNBC ; "
    "Hara et al. ; Bureau of Labor Statistics ; Missouri Department of Labor"
)


def chart(data, facts, layout):
    focus = alt.param(
        name="lieu_vu", value="Tous",
        bind=alt.binding_select(options=["Tous", "Kenya", "États-Unis", "Plateformes mondiales"],
                                name="Lieu mis en avant : "),
    )
    zoom = alt.param(
        name="axe_max", value=35,
        bind=alt.binding_range(min=5, max=35, step=1, name="Axe jusqu’à ($ de l’heure) : "),
    )
    y = alt.Y("groupe", type="nominal", title=None, axis=None,
              sort=alt.EncodingSortField(field="haut", op="max", order="descending"),
              scale=alt.Scale(paddingInner=0, paddingOuter=0.1))
    x_scale = alt.Scale(domain=[0, alt.ExprRef("axe_max")], nice=False)
    color = alt.Color("lieu", type="nominal", title="Lieu de travail",
                      scale=alt.Scale(domain=["Kenya", "États-Unis", "Plateformes mondiales"]),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400))
    opacity = alt.condition("lieu_vu == 'Tous' || datum.lieu == lieu_vu", alt.value(1), alt.value(0.15))
    tooltip = [alt.Tooltip("groupe", type="nominal", title="Qui"),
               alt.Tooltip("bas", type="quantitative", title="Bas ($ de l’heure)", format=",.2f"),
               alt.Tooltip("haut", type="quantitative", title="Haut ($ de l’heure)", format=",.2f"),
               alt.Tooltip("periode", type="nominal", title="Période")]
    base = alt.Chart(data["pay"])
    labels = base.mark_text(
        align="left", baseline="bottom", dy=-7, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(y=y, x=alt.XValue(0), text=alt.Text("groupe", type="nominal"), opacity=opacity)
    ranges = base.mark_rule(strokeWidth=5, strokeCap="round", clip=True).encode(
        y=y, x=alt.X("bas", type="quantitative", title="Dollars américains de l’heure", scale=x_scale,
                     axis=alt.Axis(format=",.0f", tickMinStep=1)),
        x2=alt.X2("haut"), color=color, opacity=opacity, tooltip=tooltip,
    )
    ends = base.mark_point(filled=True, size=60, clip=True).encode(
        y=y, x=alt.X("haut", type="quantitative", scale=x_scale), color=color, opacity=opacity, tooltip=tooltip,
    )
    return alt.layer(labels, ranges, ends, height=alt.Step(34)).add_params(focus, zoom)
