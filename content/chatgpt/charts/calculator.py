"""Calculateur : le coût du calcul pour servir ChatGPT (estimation SemiAnalysis) contre le coût du travail des formateurs."""
import altair as alt

TITLE = {
    "fr": "Le calcul contre le travail humain, sur un jour, une semaine ou un an",
    "en": "Computing against human work, over a day, a week or a year",
}
ALT = {"fr": (
    "Deux barres horizontales en dollars : le coût estimé du calcul pour servir ChatGPT, {fact:daily_cost|number} dollars par jour, "
    "et le coût salarial des formateurs, {fact:contractor_day_cost|number} dollars par journée de travail dans l’hypothèse de départ "
    "de {fact:contractors|number} prestataires à {fact:hourly_wage|number} dollars de l’heure pendant {fact:workday_hours|number} heures. "
    "Des curseurs changent l’effectif, le salaire et les heures ; des boutons comparent un jour, une semaine ou un an."
), "en": (
    "Two horizontal bars in dollars: the estimated cost of the computing that serves ChatGPT, {fact:daily_cost} a day, "
    "and the wage bill of the trainers, {fact:contractor_day_cost} per working day on the starting assumption "
    "of {fact:contractors|number} contractors at {fact:hourly_wage} an hour for {fact:workday_hours|number} hours. "
    "Sliders change the headcount, the wage and the hours; buttons compare a day, a week or a year."
)}
CAPTION = {
    "fr": "Dollars, calcul de la rédaction ; le travail compte {fact:workdays_per_week|number} jours par semaine, le calcul sept.",
    "en": "Dollars, newsroom calculation; work counts {fact:workdays_per_week|number} days a week, computing seven.",
}
SOURCE = {
    "fr": "SemiAnalysis, février 2023 ; hypothèses de la rédaction d’après Semafor et NBC News",
    "en": "SemiAnalysis, February 2023; newsroom assumptions based on Semafor and NBC News",
}
# The words drawn inside the chart, in each language of the story (layout.language).
WORDS = {
    "fr": {"contractors": "Prestataires ", "wage": "Dollars de l’heure ", "hours": "Heures par jour ",
           "period": "Période : ", "periods": ["jour", "semaine", "année"],
           "compute": "Calcul pour servir ChatGPT (estimation)", "labour": "Salaires des formateurs (hypothèse)",
           "axis": "Dollars sur la période choisie", "item": "Poste", "cost": "Coût",
           "share": "Part du calcul sur la même période",
           "amount": "format(datum.cout, ',.0f') + ' $'",
           # the rows' columns and kinds (the headers and cells of the table under the chart, and its CSV)
           "fields": {"item": "poste", "kind": "nature", "amount": "montant"}, "kinds": ["calcul", "travail"]},
    "en": {"contractors": "Contractors ", "wage": "Dollars an hour ", "hours": "Hours a day ",
           "period": "Period: ", "periods": ["day", "week", "year"],
           "compute": "Computing to serve ChatGPT (estimate)", "labour": "Trainers’ wages (assumption)",
           "axis": "Dollars over the chosen period", "item": "Item", "cost": "Cost",
           "share": "Share of computing over the same period",
           "amount": "'$' + format(datum.cout, ',.0f')",
           "fields": {"item": "item", "kind": "kind", "amount": "amount"}, "kinds": ["computing", "labour"]},
}

# One colour per meaning, the same in every chart of the story (orange: human work for OpenAI).
COLOURS = ["#3b3b40", "#d9774b"]  # computing, labour
# The machines run every day of a period, people five days a week (workdays_per_week).
PERIODS = ["jour", "semaine", "année"]


def chart(data, facts, layout):
    words = WORDS.get(layout.language, WORDS["fr"])
    daily_cost = facts["daily_cost"].value
    workdays = facts["workdays_per_week"].value
    contractors = alt.param(name="contractors", value=facts["contractors"].value,
                            bind=alt.binding_range(min=100, max=10000, step=100, name=words["contractors"]))
    hourly_wage = alt.param(name="hourly_wage", value=facts["hourly_wage"].value,
                            bind=alt.binding_range(min=1, max=40, step=0.5, name=words["wage"]))
    hours = alt.param(name="workday_hours", value=facts["workday_hours"].value,
                      bind=alt.binding_range(min=1, max=12, step=1, name=words["hours"]))
    period = alt.param(name="periode", value="jour",
                       bind=alt.binding_radio(options=PERIODS, labels=words["periods"], name=words["period"]))
    f, (computing, labour_kind) = words["fields"], words["kinds"]
    rows = [
        {f["item"]: words["compute"], f["kind"]: computing, f["amount"]: daily_cost},
        {f["item"]: words["labour"], f["kind"]: labour_kind, f["amount"]: 0},
    ]
    calendar_days = "(periode == 'jour' ? 1 : periode == 'semaine' ? 7 : 365)"
    work_days = f"(periode == 'jour' ? 1 : periode == 'semaine' ? {workdays} : {workdays} * 52)"
    labour = f"contractors * hourly_wage * workday_hours * {work_days}"
    base = alt.Chart(alt.InlineData(values=rows)).transform_calculate(
        cout=f"datum.{f['kind']} == '{labour_kind}' ? {labour} : datum.{f['amount']} * {calendar_days}",
    ).transform_calculate(
        part=f"datum.cout / ({daily_cost} * {calendar_days})",
        texte=words["amount"],
    )
    y = alt.Y(f["item"], type="nominal", title=None, sort=None, axis=None,
              scale=alt.Scale(paddingInner=0, paddingOuter=0.1))
    # The scale reaches a third past the longer bar, whatever the sliders say, so that the
    # amount written after it is never cut.
    x = alt.X(
        "cout", type="quantitative", title=words["axis"],
        scale=alt.Scale(domainMin=0, domainMax=alt.ExprRef(
            f"1.45 * max({daily_cost} * {calendar_days}, {labour})")),
        axis=alt.Axis(format=",.0f", tickCount=3 if layout.narrow else 5),
    )
    tooltip = [
        alt.Tooltip(f["item"], type="nominal", title=words["item"]),
        alt.Tooltip("texte", type="nominal", title=words["cost"]),
        alt.Tooltip("part", type="quantitative", title=words["share"], format=".1%"),
    ]
    names = base.mark_text(
        align="left", baseline="bottom", dy=-3, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(y=y, x=alt.XValue(0), text=alt.Text(f["item"], type="nominal"))
    bars = base.mark_bar(height=24, yOffset=13).encode(
        y=y, x=x,
        color=alt.Color(f["kind"], type="nominal", legend=None,
                        scale=alt.Scale(domain=[computing, labour_kind], range=COLOURS)),
        tooltip=tooltip,
    ).add_params(contractors, hourly_wage, hours, period)
    labels = base.mark_text(align="left", dx=4, dy=13, baseline="middle").encode(
        y=y, x=x, text=alt.Text("texte", type="nominal"), tooltip=tooltip,
    )
    return alt.layer(names, bars, labels, height=alt.Step(52))
