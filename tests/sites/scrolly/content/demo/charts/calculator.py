import altair as alt

TITLE = "Une journée de calcul contre une journée de travail"
ALT = "Deux barres : le coût quotidien estimé du calcul et le coût quotidien des contractuels, réglable par curseurs."
CAPTION = "Déplacez les curseurs pour changer le nombre de contractuels et leur salaire."
SOURCE = "SemiAnalysis ; NBC News ; calcul de la rédaction"


def chart(data, facts):
    contractors = alt.param(name="contractors", value=facts["contractors"].value,
                            bind=alt.binding_range(min=100, max=10000, step=100, name="Contractuels "))
    wage = alt.param(name="hourly_wage", value=facts["hourly_wage"].value,
                     bind=alt.binding_range(min=1, max=50, step=1, name="Salaire horaire ($) "))
    rows = [{"poste": "Calcul (estimation)", "cout": facts["daily_cost"].value, "kind": "fixed"},
            {"poste": "Contractuels", "cout": 0, "kind": "labour"}]
    return alt.Chart(alt.InlineData(values=rows), height=120).mark_bar().encode(
        x=alt.X("montant", type="quantitative", title="Dollars par jour"),
        y=alt.Y("poste", type="nominal", title=None),
        tooltip=[alt.Tooltip("poste", type="nominal", title="Poste"),
                 alt.Tooltip("montant", type="quantitative", title="$ par jour", format=",.0f")],
    ).transform_calculate(
        montant="datum.kind === 'labour' ? contractors * hourly_wage * 8 : datum.cout"
    ).add_params(contractors, wage)
