"""Carte : les pays et régions où les enquêtes citées situent les travailleurs derrière les chatbots."""
import altair as alt

TITLE = {"fr": "Où travaillent les petites mains des chatbots", "en": "Where the chatbots’ hidden workers are"}
ALT = {"fr": (
    "Carte du monde. Les enquêtes citées dans cet article situent des travailleurs de l’annotation aux "
    "États-Unis, au Kenya et aux Philippines, pays colorés, et des prestataires recrutés à distance "
    "en Amérique latine et en Europe de l’Est, marqués d’un cercle."
), "en": (
    "World map. The investigations cited in this story place annotation workers in the "
    "United States, Kenya and the Philippines, shaded, and contractors hired remotely "
    "in Latin America and Eastern Europe, marked with a circle."
)}
CAPTION = {
    "fr": "Pays et régions nommés par nos sources, pas un recensement ; survolez-les pour lire ce qu’elles en disent.",
    "en": "Countries and regions our sources name, not a census; hover over them to read what the sources say.",
}
SOURCE = {
    "fr": "NBC News ; TIME ; The Verge ; The Washington Post ; Semafor. Fond de carte : Natural Earth (domaine public)",
    "en": "NBC News; TIME; The Verge; The Washington Post; Semafor. Base map: Natural Earth (public domain)",
}
SOURCES = ["nbc", "time_sama", "verge_remotasks", "wapo_remotasks", "semafor", "natural_earth"]

# One colour per meaning in the story: this blue means only "a place the sources name"
# (red and dark blue are Kenya and the United States in the pay chart).
LIEU = "#4aa3c9"

# The English map reads the English copies of its two tables (data/*-en.csv), so that its labels,
# tooltips, data tables and downloads are in English: (country table, region table, field names).
TABLES = {
    "fr": ("travailleurs-pays", "travailleurs-regions",
           {"country": "pays", "region": "region", "who": "qui", "Country": "Pays", "Region": "Région",
            "Who": "Selon les sources"}),
    "en": ("workers-countries-en", "workers-regions-en",
           {"country": "country", "region": "region", "who": "according_to_sources", "Country": "Country",
            "Region": "Region", "Who": "According to the sources"}),
}


def chart(data, facts, layout):
    country_table, region_table, word = TABLES.get(layout.language, TABLES["fr"])
    countries, regions_table = alt.Chart(data[country_table]), alt.Chart(data[region_table])
    pays = alt.topo_feature("data/monde.topojson", "countries")
    fond = alt.Chart(pays).mark_geoshape(fill="#e6e3da", stroke="#ffffff", strokeWidth=0.5)
    nommes = (
        countries
        .transform_lookup(lookup="id", from_=alt.LookupData(pays, key="id"), as_="geo")
        .mark_geoshape(fill=LIEU, stroke="#ffffff", strokeWidth=0.5)
        .encode(
            shape=alt.Shape("geo", type="geojson"),
            tooltip=[alt.Tooltip(word["country"], type="nominal", title=word["Country"]),
                     alt.Tooltip(word["who"], type="nominal", title=word["Who"])],
        )
    )
    regions = regions_table.mark_circle(size=420, color=LIEU, opacity=0.75).encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        tooltip=[alt.Tooltip(word["region"], type="nominal", title=word["Region"]),
                 alt.Tooltip(word["who"], type="nominal", title=word["Who"])],
    )
    noms_pays = countries.mark_text(dy=-14, fontSize=13, fontWeight="bold").encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        text=alt.Text(word["country"], type="nominal"),
    )
    noms_regions = regions_table.mark_text(dy=-20, fontSize=13).encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        text=alt.Text(word["region"], type="nominal"),
    )
    return alt.layer(fond, nommes, regions, noms_pays, noms_regions).project("equalEarth")
