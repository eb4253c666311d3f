"""Carte : les pays et régions où les enquêtes citées situent les travailleurs derrière les chatbots."""
import altair as alt

TITLE = "Où travaillent les petites mains des chatbots"
ALT = (
    "Carte du monde. Les enquêtes citées dans cet article situent des travailleurs de l’annotation aux "
    "États-Unis, au Kenya et aux Philippines, pays colorés en rouge, et des contractuels recrutés à distance "
    "en Amérique latine et en Europe de l’Est, marqués d’un cercle bleu."
)
CAPTION = (
    "Pays et régions nommés par les sources de cet article, pas un recensement : la carte ne dit rien du "
    "nombre de personnes. Semafor ne nomme que des régions, d’où les cercles. Survolez un pays ou un cercle "
    "pour lire ce qu’en disent les sources."
)
SOURCE = "NBC News ; TIME ; The Verge ; The Washington Post ; Semafor. Fond de carte : Natural Earth (domaine public)"
SOURCES = ["nbc", "time_sama", "verge_remotasks", "wapo_remotasks", "semafor", "natural_earth"]

ROUGE = "#b3261e"
BLEU = "#1a4f9c"


def chart(data, facts):
    pays = alt.topo_feature("data/monde.topojson", "countries")
    fond = alt.Chart(pays).mark_geoshape(fill="#e6e3da", stroke="#ffffff", strokeWidth=0.5)
    nommes = (
        alt.Chart(data["travailleurs-pays"])
        .transform_lookup(lookup="id", from_=alt.LookupData(pays, key="id"), as_="geo")
        .mark_geoshape(fill=ROUGE, stroke="#ffffff", strokeWidth=0.5)
        .encode(
            shape=alt.Shape("geo", type="geojson"),
            tooltip=[alt.Tooltip("pays", type="nominal", title="Pays"),
                     alt.Tooltip("qui", type="nominal", title="Selon les sources")],
        )
    )
    regions = alt.Chart(data["travailleurs-regions"]).mark_circle(size=420, color=BLEU, opacity=0.75).encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        tooltip=[alt.Tooltip("region", type="nominal", title="Région"),
                 alt.Tooltip("qui", type="nominal", title="Selon les sources")],
    )
    noms_pays = alt.Chart(data["travailleurs-pays"]).mark_text(dy=-14, fontSize=13, fontWeight="bold").encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        text=alt.Text("pays", type="nominal"),
    )
    noms_regions = alt.Chart(data["travailleurs-regions"]).mark_text(dy=-20, fontSize=13).encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        text=alt.Text("region", type="nominal"),
    )
    return alt.layer(fond, nommes, regions, noms_pays, noms_regions).project("equalEarth")
