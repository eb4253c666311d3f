"""Prix unitaires des GPU Nvidia en 2023, selon le type de prix et le marché."""
import altair as alt

TITLE = "Combien coûte un GPU ? Tout dépend du marché"
ALT = (
    "Prix unitaires de GPU Nvidia en 2023, en dollars : environ {fact:a100_price|number} pour un A100, {fact:h100_price_low|number} à {fact:h100_price_high|number} pour un H100 "
    "vendu à un client final, plus de {fact:h100_ebay|number} sur eBay et jusqu’à {fact:h100_pcie_china|number} dans la rue en Chine, pour un coût de "
    "fabrication estimé à environ {fact:h100_build_cost|number} dollars."
)
CAPTION = (
    "Nvidia ne publie pas de prix catalogue : tous ces chiffres sont des estimations ou des prix observés. "
    "Pour le H100 « client final », la barre va jusqu’au haut de la fourchette et un trait en marque le bas. "
    "Le prix eBay est celui d’annonces de "
    "revente en pleine pénurie, et le prix chinois un prix de rue. Le coût de fabrication est une estimation "
    "de la banque Raymond James. Les dates vont de février à août 2023."
)
SOURCE = "CNBC ; Raymond James via Barron’s (TechSpot) ; Tom’s Hardware citant le Financial Times ; The Times"

TYPES = ["Prix du neuf", "Marché parallèle et revente", "Coût de fabrication"]


def chart(data, facts, layout):
    # Each price's name is written above its bar, not beside it: the bars then get the whole
    # width of the column, on a phone as on a desktop.
    hover = alt.selection_point(name="type_survole", fields=["type_prix"], on="pointerover", clear="pointerout")
    base = alt.Chart(data["gpu_prices"]).transform_calculate(
        libelle="datum.modele + ' · ' + datum.prix",
    )
    y = alt.Y(
        "libelle",
        type="nominal",
        title=None,
        sort=alt.EncodingSortField(field="haut", op="max", order="descending"),
        axis=None,
        scale=alt.Scale(paddingInner=0, paddingOuter=0.1),
    )
    x_title = "Prix par GPU (dollars)"
    # The scale goes on past the highest price, so that the price written after its bar fits.
    x_scale = alt.Scale(domain=[0, 90000 if layout.narrow else 80000], nice=False)
    color = alt.Color(
        "type_prix",
        type="nominal",
        title="Type de prix",
        scale=alt.Scale(domain=TYPES),
        legend=alt.Legend(orient="bottom", direction="vertical", labelLimit=layout.width - 40),
    )
    opacity = alt.OpacityValue(0.35, condition={"param": "type_survole", "value": 1, "empty": True})
    tooltip = [
        alt.Tooltip("modele", type="nominal", title="Modèle"),
        alt.Tooltip("prix", type="nominal", title="Nature du prix"),
        alt.Tooltip("bas", type="quantitative", title="Bas ($)", format=",.0f"),
        alt.Tooltip("haut", type="quantitative", title="Haut ($)", format=",.0f"),
        alt.Tooltip("date", type="nominal", title="Date"),
        alt.Tooltip("source", type="nominal", title="Source"),
        alt.Tooltip("statut", type="nominal", title="Statut"),
    ]
    names = base.mark_text(
        align="left", baseline="bottom", dy=-3, fontSize=12 if layout.narrow else 13, color="#3b3b40",
        limit=layout.width - 12,
    ).encode(
        y=y,
        x=alt.XValue(0),
        text=alt.Text("libelle", type="nominal"),
        opacity=opacity,
    )
    bars = base.mark_bar(height=14, yOffset=8).encode(
        y=y,
        x=alt.X("haut", type="quantitative", title=x_title, scale=x_scale,
                axis=alt.Axis(format=",.0f", values=[0, 20000, 40000, 60000, 80000])),
        color=color,
        opacity=opacity,
        tooltip=tooltip,
    ).add_params(hover)
    low_end = base.mark_tick(thickness=3, size=18, yOffset=8, color="#222222").transform_filter(
        "datum.bas < datum.haut"
    ).encode(
        y=y,
        x=alt.X("bas", type="quantitative", title=x_title, scale=x_scale),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=4, dy=8, baseline="middle").transform_calculate(
        etiquette="datum.bas < datum.haut ? format(datum.bas, ',.0f') + ' à ' + format(datum.haut, ',.0f') + ' $' : format(datum.haut, ',.0f') + ' $'",
    ).encode(
        y=y,
        x=alt.X("haut", type="quantitative", title=x_title, scale=x_scale),
        text=alt.Text("etiquette", type="nominal"),
        opacity=opacity,
        tooltip=tooltip,
    )
    return alt.layer(names, bars, low_end, labels, height=alt.Step(40))
