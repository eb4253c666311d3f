"""Visites du site de ChatGPT et estimations d'utilisateurs, 2022-2023, chaque mesure en série séparée."""
import altair as alt

TITLE = "Visites et utilisateurs de ChatGPT : des mesures à ne pas confondre"
ALT = (
    "En haut, les visites mensuelles du site mesurées par Similarweb : {fact:visits_nov2022|number} millions en novembre 2022, {fact:visits_jan2023|number} millions "
    "en janvier 2023, environ {fact:visits_may2023|number} milliard en mai, {literal:1,43} milliard en août. En bas, les utilisateurs : {fact:chatgpt_mau_dec2022|number} puis "
    "{fact:chatgpt_mau_jan2023|number} millions d’utilisateurs mensuels estimés par UBS fin 2022 et début 2023, et {fact:chatgpt_wau_nov2023|number} millions d’utilisateurs "
    "hebdomadaires annoncés par OpenAI en novembre 2023."
)
CAPTION = (
    "Chaque couleur est une mesure distincte, à ne pas relier aux autres. Les visites ne sont connues que pour "
    "certains mois : les segments relient des points parfois éloignés de plusieurs mois et ne décrivent pas "
    "l’évolution intermédiaire. En juin 2023, les visites ont varié de {fact:visits_june_change} sur un mois selon Similarweb "
    "(niveau non publié dans nos sources). Les chiffres d’UBS sont des estimations d’audience du site web ; celui "
    "d’OpenAI, le seul officiel, est hebdomadaire."
)
SOURCE = "Similarweb (via Synthedia, Digital Information World) ; UBS (via Reuters et PCMag) ; OpenAI (via Mezha)"

DOMAIN = ["2022-10-15", "2023-12-15"]


def chart(data, facts, layout):
    # Two stacked panels cannot be fitted to the column automatically: each gets the layout's
    # width, less room for the y-axis labels and title (68 pixels, measured on the drawing).
    panel_width = layout.width - 68
    hover = alt.selection_point(
        name="mois_survole", fields=["mois"], on="pointerover", nearest=True, clear="pointerout"
    )
    x = alt.X(
        "mois",
        type="temporal",
        timeUnit="yearmonth",
        title=None,
        scale=alt.Scale(domain=DOMAIN),
        axis=alt.Axis(format="%b %Y", tickCount=3 if layout.narrow else 8),
    )
    tooltip = [
        alt.Tooltip("mois", type="temporal", timeUnit="yearmonth", title="Mois", format="%B %Y"),
        alt.Tooltip("mesure", type="nominal", title="Mesure"),
        alt.Tooltip("millions", type="quantitative", title="Millions", format=",.0f"),
        alt.Tooltip("source", type="nominal", title="Source"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    color = alt.Color(
        "mesure",
        type="nominal",
        title="Mesure",
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=400, labelExpr=(
            # on a phone, the source in parentheses goes on a second line: the labels fit the column
            "indexof(datum.label, ' (') > 0 ? [slice(datum.label, 0, indexof(datum.label, ' (')), "
            "slice(datum.label, indexof(datum.label, ' (') + 1)] : datum.label") if layout.narrow else "datum.label",
            rowPadding=6 if layout.narrow else 2),
        scale=alt.Scale(
            domain=[
                "Visites mensuelles du site (Similarweb)",
                "Utilisateurs actifs mensuels (estimation UBS)",
                "Utilisateurs actifs hebdomadaires (chiffre OpenAI)",
            ]
        ),
    )
    size = alt.SizeValue(60, condition={"param": "mois_survole", "value": 160, "empty": False})

    visits = alt.Chart(data["traffic"]).transform_filter(
        "datum.mesure == 'Visites mensuelles du site (Similarweb)'"
    )
    users = alt.Chart(data["traffic"]).transform_filter(
        "datum.mesure != 'Visites mensuelles du site (Similarweb)'"
    )
    y_visits = alt.Y("millions", type="quantitative", title="Visites par mois (millions)", axis=alt.Axis(format=",.0f"))
    y_users = alt.Y("millions", type="quantitative", title="Utilisateurs (millions)", axis=alt.Axis(format=",.0f"))

    top = alt.layer(
        visits.mark_line(point=False).encode(x=x, y=y_visits, color=color, detail=alt.Detail("mesure", type="nominal")),
        visits.mark_point(filled=True).encode(x=x, y=y_visits, color=color, size=size, tooltip=tooltip).add_params(hover),
        height=200,
        width=panel_width,
    )
    bottom = alt.layer(
        users.mark_line(point=False).encode(x=x, y=y_users, color=color, detail=alt.Detail("mesure", type="nominal")),
        users.mark_point(filled=True).encode(
            x=x, y=y_users, color=color, size=size, tooltip=tooltip,
        ),
        height=120,
        width=panel_width,
    )
    return alt.vconcat(top, bottom, spacing=16).resolve_scale(color="shared")
