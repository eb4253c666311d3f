"""Salaire horaire des travailleurs de la donnée, au Kenya et aux États-Unis, à côté de salaires de référence."""
import altair as alt

TITLE = {
    "fr": "De moins d’un dollar à {fact:remotasks_us_high|number} dollars de l’heure",
    "en": "From under a dollar to {fact:remotasks_us_high} an hour",
}
ALT = {"fr": (
    "Fourchettes de salaire horaire, en dollars, de travailleurs qui entraînent des IA, en 2023 ou avant : "
    "de moins de {fact:sama_wage_floor|number} à {fact:sama_wage_high|number} dollars pour les Kényans de Sama, "
    "de {fact:remotasks_kenya_low|number} à {fact:remotasks_kenya_high|number} dollars chez Remotasks au Kenya, "
    "{fact:nbc_hourly_pay|number} dollars et plus pour les formateurs américains d’OpenAI, "
    "à côté du minimum fédéral américain de {fact:federal_min_wage|number} dollars et des {fact:sama_billed_rate|number} dollars "
    "de l’heure qu’OpenAI payait à Sama."
), "en": (
    "Hourly pay ranges, in dollars, of workers who train AI, in 2023 or earlier: "
    "from under {fact:sama_wage_floor} to {fact:sama_wage_high} for Sama’s Kenyan workers, "
    "{fact:remotasks_kenya_low} to {fact:remotasks_kenya_high} at Remotasks in Kenya, "
    "{fact:nbc_hourly_pay} and up for OpenAI’s American trainers, "
    "beside the US federal minimum of {fact:federal_min_wage} and the {fact:sama_billed_rate} "
    "an hour that OpenAI paid Sama."
)}
CAPTION = {
    "fr": "Salaire horaire, en dollars, avant impôts et sans correction de l’inflation. {js:Choisissez un groupe sous le graphique pour le mettre en évidence.}",
    "en": "Hourly pay, in dollars, before tax and not adjusted for inflation. {js:Choose a group below the chart to highlight it.}",
}
SOURCE = "TIME ; Alex Kantrowitz ; The Verge / New York Magazine ; NBC News ; Bloomberg ; Fast Company ; NewsBreak"
SOURCE = {"fr": SOURCE, "en": SOURCE.replace(" ; ", "; ")}

# One colour per meaning, the same in every chart of the story.
NATURES = {
    "Travailleurs au Kenya": "#b3261e",
    "Travailleurs aux États-Unis": "#1a4f9c",
    "Tarif payé par OpenAI à Sama": "#7b4fa3",
    "Minimums de référence": "#8a8a8a",
}
STATUS_WORDS = {"confirmed": "confirmé", "reported": "rapporté", "estimate": "estimation",
                "computed": "calcul de la rédaction", "assumption": "hypothèse de la rédaction"}
# The words drawn inside the chart in English (layout.language); data/pay.csv holds the French.
ENGLISH = {
    "statuses": {"confirmed": "confirmed", "reported": "reported", "estimate": "estimate",
                 "computed": "newsroom calculation", "assumption": "newsroom assumption"},
    "labels": {
        "Sama, étiqueteurs pour OpenAI (net)": "Sama labellers for OpenAI (take-home)",
        "Remotasks, annotateurs au Kenya, en 2023": "Remotasks, Kenya annotators in 2023",
        "Remotasks, annotateurs au Kenya, à leur arrivée": "Remotasks, Kenya annotators on joining",
        "Sama, tarif payé par OpenAI par heure": "Sama, rate OpenAI paid per hour",
        "Remotasks, annotateurs aux États-Unis": "Remotasks, annotators in the US",
        "Appen, évaluateurs pour Google (certains)": "Appen, raters for Google (some)",
        "Bard, évaluateurs Appen et Accenture (certains)": "Bard, Appen and Accenture raters (some)",
        "OpenAI, formateurs américains (NBC News)": "OpenAI, American trainers (NBC News)",
        "Google, minimum exigé de ses prestataires": "Google, minimum required of its contractors",
        "Salaire minimum du Missouri": "Missouri minimum wage",
        "Salaire minimum fédéral (Kansas)": "Federal minimum wage (Kansas)",
        "Travailleurs au Kenya": "Workers in Kenya", "Travailleurs aux États-Unis": "Workers in the US",
        "Tarif payé par OpenAI à Sama": "Rate OpenAI paid Sama", "Minimums de référence": "Minimum wages for reference",
        "États-Unis": "United States", "moins de": "under", "de moins de": "under", "et plus": "and up",
        "début 2023": "early 2023", "vers 2019": "around 2019",
    },
    "tooltips": ["Who", "Dollars an hour", "Period", "Status"], "group": "Group: ", "all": "All",
}
# The names of the rows' columns, the headers of the table under the chart and of the CSV readers
# download: the French are data/pay.csv's, the English the English reader's (the code says f["bas"]).
FIELDS = {
    "fr": {name: name for name in ("groupe", "nature", "lieu", "foyer", "bas", "haut", "avant", "apres",
                                    "periode", "statut")},
    "en": {"groupe": "who", "nature": "kind", "lieu": "country", "foyer": "group", "bas": "low", "haut": "high",
           "avant": "before", "apres": "after", "periode": "period", "statut": "status"},
}


def rows(table, facts, language=""):
    """The chart's rows: labels from data/pay.csv, every number and status from facts.yaml, so the
    picture, its table and the popovers cannot disagree."""
    english = language == "en"
    words = (lambda text: ENGLISH["labels"].get(text, text)) if english else (lambda text: text)
    statuses_in = ENGLISH["statuses"] if english else STATUS_WORDS
    field = FIELDS["en" if english else "fr"]
    out = []
    for row in table:
        low, high = facts[row["fait_bas"]], facts[row["fait_haut"]]
        statuses = {low.status, high.status}
        out.append({field[name]: value for name, value in {
            "groupe": words(row["groupe"]), "nature": words(row["nature"]), "lieu": words(row["lieu"]),
            "foyer": row["foyer"],  # a company or a city: the same name in every language
            "bas": low.value, "haut": high.value,
            "avant": words(row["avant"] or ""), "apres": words(row["apres"] or ""), "periode": words(row["periode"]),
            "statut": " / ".join(statuses_in[s] for s in sorted(statuses)),
        }.items()})
    return out


def chart(data, facts, layout):
    english = layout.language == "en"
    values = rows(data["pay"].values, facts, layout.language)
    f = FIELDS["en" if english else "fr"]
    # The group in focus: a reader picks it under the chart, and the steps of the section set it.
    groups = list(dict.fromkeys(row[f["foyer"]] for row in values))
    highlight = alt.selection_point(
        name="highlight", fields=[f["foyer"]],
        bind=alt.binding_radio(options=[None, *groups], labels=[ENGLISH["all"] if english else "Tous", *groups],
                               name=ENGLISH["group"] if english else "Groupe : "),
    )
    money = ("'$' + " if english else "") + "format(datum.{0}, datum.{0} % 1 ? ',.2f' : ',.0f')"
    before, after, low, high = (f"datum.{f[name]}" for name in ("avant", "apres", "bas", "haut"))
    base = alt.Chart(alt.InlineData(values=values)).transform_calculate(
        amount=(f"({before} ? {before} + ' ' : '') + " + money.format(f["bas"])
                 + f" + ({high} > {low} ? '{' to ' if english else ' à '}' + " + money.format(f["haut"]) + " : '')"
                 + ("" if english else " + ' $'") + f" + ({after} ? ' ' + {after} : '')"),
        label=f"datum.{f['groupe']} + '" + (": " if english else " : ") + "' + datum.amount",
    )
    titles = ENGLISH["tooltips"] if english else ["Qui", "Dollars de l’heure", "Période", "Statut"]
    tooltip = [
        alt.Tooltip(f["groupe"], type="nominal", title=titles[0]),
        alt.Tooltip("amount", type="nominal", title=titles[1]),
        alt.Tooltip(f["periode"], type="nominal", title=titles[2]),
        alt.Tooltip(f["statut"], type="nominal", title=titles[3]),
    ]
    natures = {ENGLISH["labels"][name] if english else name: colour for name, colour in NATURES.items()}
    y = alt.Y(f["groupe"], type="nominal", title=None, sort=None, axis=None,
              scale=alt.Scale(paddingInner=0, paddingOuter=0.1))
    x = alt.X(f["bas"], type="quantitative", title=titles[1], scale=alt.Scale(domain=[0, 26], nice=False))
    color = alt.Color(f["nature"], type="nominal", title=None,
                      scale=alt.Scale(domain=list(natures), range=list(natures.values())),
                      legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40))
    opacity = alt.OpacityValue(0.2, condition={"param": "highlight", "value": 1, "empty": True})
    label_opacity = alt.OpacityValue(0.5, condition={"param": "highlight", "value": 1, "empty": True})  # still legible
    # Each row's name and amount are written above its line, so the lines keep the whole width.
    labels = base.mark_text(
        align="left", baseline="bottom", dy=-7, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(y=y, x=alt.XValue(0), text=alt.Text("label", type="nominal"), opacity=label_opacity)
    ranges = base.mark_rule(strokeWidth=5, strokeCap="round").encode(
        y=y, x=x, x2=alt.X2(f["haut"]), color=color, opacity=opacity, tooltip=tooltip,
    ).add_params(highlight)
    low = base.mark_point(filled=True, size=110).encode(y=y, x=x, color=color, opacity=opacity, tooltip=tooltip)
    high = base.mark_point(filled=True, size=110).encode(
        y=y, x=alt.X(f["haut"], type="quantitative"), color=color, opacity=opacity, tooltip=tooltip)
    return alt.layer(labels, ranges, low, high, height=alt.Step(40))
