"""Calculateur : une journée de calcul (estimation SemiAnalysis) contre une journée de travail des contractuels."""
import altair as alt

TITLE = "Une journée de calcul contre une journée de travail humain"
ALT = (
    "Deux barres horizontales en dollars par jour : le coût estimé du calcul pour servir ChatGPT, {fact:daily_cost|number} dollars, "
    "et le coût salarial d’une journée de contractuels, {fact:contractor_day_cost|number} dollars dans l’hypothèse de départ de {fact:contractors|number} "
    "contractuels à {fact:hourly_wage|number} dollars de l’heure pendant huit heures. Deux curseurs permettent de changer l’effectif et le salaire."
)
CAPTION = (
    "Calcul de la rédaction. Le coût du calcul est une estimation extérieure (SemiAnalysis, février 2023) du seul "
    "matériel nécessaire pour servir ChatGPT, à {fact:gpu_hour_price|number} dollar l’heure de GPU, avant le déploiement de GPT-4. L’effectif "
    "(Semafor) et le salaire (NBC News) viennent d’enquêtes différentes ; la journée de huit heures, sans cotisations "
    "ni marge d’agence, est notre hypothèse. L’entraînement des modèles et les salariés d’OpenAI ne sont pas comptés."
)
SOURCE = "SemiAnalysis, février 2023 ; Semafor, janvier 2023 ; NBC News, mai 2023 ; calcul de la rédaction"


def chart(data, facts, layout):
    daily_cost = facts["daily_cost"].value
    hours = facts["workday_hours"].value
    contractors = alt.param(
        name="contractors",
        value=facts["contractors"].value,
        bind=alt.binding_range(min=100, max=10000, step=100, name="Contractuels "),
    )
    hourly_wage = alt.param(
        name="hourly_wage",
        value=facts["hourly_wage"].value,
        bind=alt.binding_range(min=1, max=40, step=0.5, name="Salaire horaire ($) "),
    )
    rows = [
        {"poste": "Calcul pour servir ChatGPT (estimation)", "nature": "calcul", "montant": daily_cost},
        {"poste": "Salaires des contractuels (hypothèse)", "nature": "travail", "montant": 0},
    ]
    base = alt.Chart(alt.InlineData(values=rows)).transform_calculate(
        cout=f"datum.nature == 'travail' ? contractors * hourly_wage * {hours} : datum.montant",
    ).transform_calculate(
        part=f"datum.cout / {daily_cost}",
    )
    # Each item's name is written above its bar, not beside it: the bars then get the whole
    # width of the column, on a phone as on a desktop.
    y = alt.Y("poste", type="nominal", title=None, sort=None, axis=None,
              scale=alt.Scale(paddingInner=0, paddingOuter=0.1))
    # The scale reaches a third past the longer bar, whatever the sliders say, so that the
    # amount written after it is never cut.
    x = alt.X(
        "cout", type="quantitative", title="Dollars par jour",
        scale=alt.Scale(domainMin=0, domainMax=alt.ExprRef(
            f"1.35 * max({daily_cost}, contractors * hourly_wage * {hours})")),
        axis=alt.Axis(format=",.0f", tickCount=3 if layout.narrow else 6),
    )
    tooltip = [
        alt.Tooltip("poste", type="nominal", title="Poste"),
        alt.Tooltip("cout", type="quantitative", title="Coût par jour ($)", format=",.0f"),
        alt.Tooltip("part", type="quantitative", title="Part d’une journée de calcul", format=".1%"),
    ]
    names = base.mark_text(
        align="left", baseline="bottom", dy=-3, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(
        y=y,
        x=alt.XValue(0),
        text=alt.Text("poste", type="nominal"),
    )
    bars = base.mark_bar(height=24, yOffset=13).encode(
        y=y,
        x=x,
        color=alt.Color(
            "nature",
            type="nominal",
            legend=None,
            scale=alt.Scale(domain=["calcul", "travail"]),
        ),
        tooltip=tooltip,
    ).add_params(contractors, hourly_wage)
    labels = base.mark_text(align="left", dx=4, dy=13, baseline="middle").encode(
        y=y,
        x=x,
        text=alt.Text("cout", type="quantitative", format=",.0f"),
        tooltip=tooltip,
    )
    return alt.layer(names, bars, labels, height=alt.Step(52))
