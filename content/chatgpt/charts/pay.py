"""Salaire horaire des travailleurs de la donnée, au Kenya et aux États-Unis, à côté de salaires de référence."""
import altair as alt

TITLE = "De moins d’un dollar à {fact:remotasks_us_high|number} dollars de l’heure"
ALT = (
    "Fourchettes de salaire horaire, en dollars, de travailleurs qui entraînent des IA, en 2023 ou avant : "
    "de moins de {fact:sama_wage_floor|number} à {fact:sama_wage_high|number} dollars pour les Kényans de Sama, "
    "de {fact:remotasks_kenya_low|number} à {fact:remotasks_kenya_high|number} dollars chez Remotasks au Kenya, "
    "{fact:nbc_hourly_pay|number} dollars et plus pour les formateurs américains d’OpenAI, "
    "à côté du minimum fédéral américain de {fact:federal_min_wage|number} dollars et des {fact:sama_billed_rate|number} dollars "
    "de l’heure qu’OpenAI payait à Sama."
)
CAPTION = "Salaire horaire, en dollars, avant impôts et sans correction de l’inflation. {js:Choisissez un groupe sous le graphique pour le mettre en évidence.}"
SOURCE = "TIME ; Alex Kantrowitz ; The Verge / New York Magazine ; NBC News ; Bloomberg ; Fast Company ; NewsBreak"

# One colour per meaning, the same in every chart of the story.
NATURES = {
    "Travailleurs au Kenya": "#b3261e",
    "Travailleurs aux États-Unis": "#1a4f9c",
    "Tarif payé par OpenAI à Sama": "#7b4fa3",
    "Minimums de référence": "#8a8a8a",
}
STATUS_WORDS = {"confirmed": "confirmé", "reported": "rapporté", "estimate": "estimation",
                "computed": "calcul de la rédaction", "assumption": "hypothèse de la rédaction"}


def rows(table, facts):
    """The chart's rows: labels from data/pay.csv, every number and status from facts.yaml, so the
    picture, its table and the popovers cannot disagree."""
    out = []
    for row in table:
        low, high = facts[row["fait_bas"]], facts[row["fait_haut"]]
        statuses = {low.status, high.status}
        out.append({
            "groupe": row["groupe"], "nature": row["nature"], "lieu": row["lieu"], "foyer": row["foyer"],
            "bas": low.value, "haut": high.value,
            "avant": row["avant"] or "", "apres": row["apres"] or "", "periode": row["periode"],
            "statut": " / ".join(STATUS_WORDS[s] for s in sorted(statuses)),
        })
    return out


def chart(data, facts, layout):
    values = rows(data["pay"].values, facts)
    # The group in focus: a reader picks it under the chart, and the steps of the section set it.
    groups = list(dict.fromkeys(row["foyer"] for row in values))
    highlight = alt.selection_point(
        name="highlight", fields=["foyer"],
        bind=alt.binding_radio(options=[None, *groups], labels=["Tous", *groups], name="Groupe : "),
    )
    money = "format(datum.{0}, datum.{0} % 1 ? ',.2f' : ',.0f')"
    base = alt.Chart(alt.InlineData(values=values)).transform_calculate(
        montant=("(datum.avant ? datum.avant + ' ' : '') + " + money.format("bas")
                 + " + (datum.haut > datum.bas ? ' à ' + " + money.format("haut") + " : '')"
                 + " + ' $' + (datum.apres ? ' ' + datum.apres : '')"),
        etiquette="datum.groupe + ' : ' + datum.montant",
    )
    tooltip = [
        alt.Tooltip("groupe", type="nominal", title="Qui"),
        alt.Tooltip("montant", type="nominal", title="Dollars de l’heure"),
        alt.Tooltip("periode", type="nominal", title="Période"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    y = alt.Y("groupe", type="nominal", title=None, sort=None, axis=None,
              scale=alt.Scale(paddingInner=0, paddingOuter=0.1))
    x = alt.X("bas", type="quantitative", title="Dollars de l’heure", scale=alt.Scale(domain=[0, 26], nice=False))
    color = alt.Color("nature", type="nominal", title=None,
                      scale=alt.Scale(domain=list(NATURES), range=list(NATURES.values())),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40))
    opacity = alt.OpacityValue(0.2, condition={"param": "highlight", "value": 1, "empty": True})
    label_opacity = alt.OpacityValue(0.5, condition={"param": "highlight", "value": 1, "empty": True})  # still legible
    # Each row's name and amount are written above its line, so the lines keep the whole width.
    labels = base.mark_text(
        align="left", baseline="bottom", dy=-7, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(y=y, x=alt.XValue(0), text=alt.Text("etiquette", type="nominal"), opacity=label_opacity)
    ranges = base.mark_rule(strokeWidth=5, strokeCap="round").encode(
        y=y, x=x, x2=alt.X2("haut"), color=color, opacity=opacity, tooltip=tooltip,
    ).add_params(highlight)
    low = base.mark_point(filled=True, size=110).encode(y=y, x=x, color=color, opacity=opacity, tooltip=tooltip)
    high = base.mark_point(filled=True, size=110).encode(
        y=y, x=alt.X("haut", type="quantitative"), color=color, opacity=opacity, tooltip=tooltip)
    return alt.layer(labels, ranges, low, high, height=alt.Step(40))
