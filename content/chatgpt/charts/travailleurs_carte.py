"""Carte : les pays et régions où les enquêtes citées situent les travailleurs derrière les chatbots."""
import json

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
# The words drawn inside the map in English (layout.language); the data files hold the French.
ENGLISH = {
    "États-Unis": "United States", "Kenya": "Kenya", "Philippines": "Philippines",
    "Amérique latine": "Latin America", "Europe de l’Est": "Eastern Europe",
    "Formateurs d’OpenAI payés à l’heure, sans avantages sociaux (NBC News) ; annotateurs de Remotasks (The Verge)":
        "OpenAI trainers paid by the hour, with no benefits (NBC News); Remotasks annotators (The Verge)",
    "Salariés de Sama qui étiquetaient des textes violents pour OpenAI (TIME) ; annotateurs de Remotasks (The Verge)":
        "Sama employees who labelled violent texts for OpenAI (TIME); Remotasks annotators (The Verge)",
    "Annotateurs de Remotasks, la plateforme de Scale AI (The Washington Post)":
        "Annotators on Remotasks, Scale AI’s platform (The Washington Post)",
    "Prestataires recrutés à distance par OpenAI (Semafor)": "Contractors OpenAI hired remotely (Semafor)",
    "Pays": "Country", "Région": "Region", "Selon les sources": "According to the sources",
}


SOURCES = ["nbc", "time_sama", "verge_remotasks", "wapo_remotasks", "semafor", "natural_earth"]

# One colour per meaning in the story: this blue means only "a place the sources name"
# (red and dark blue are Kenya and the United States in the pay chart).
LIEU = "#4aa3c9"


def _said(field, language):
    """A Vega expression writing the data file's French `field` in `language` (the files are shared
    by every language of the story, so the words change as the chart draws them)."""
    if language != "en":
        return f"datum.{field}"
    expression = f"datum.{field}"
    for french, english in ENGLISH.items():
        expression = f"datum.{field} == {json.dumps(french)} ? {json.dumps(english)} : ({expression})"
    return expression


def chart(data, facts, layout):
    word = (lambda text: ENGLISH.get(text, text)) if layout.language == "en" else (lambda text: text)
    said = {field: _said(field, layout.language) for field in ("pays", "region", "qui")}
    countries = alt.Chart(data["travailleurs-pays"]).transform_calculate(nom=said["pays"], selon=said["qui"])
    regions_table = alt.Chart(data["travailleurs-regions"]).transform_calculate(nom=said["region"], selon=said["qui"])
    pays = alt.topo_feature("data/monde.topojson", "countries")
    fond = alt.Chart(pays).mark_geoshape(fill="#e6e3da", stroke="#ffffff", strokeWidth=0.5)
    nommes = (
        countries
        .transform_lookup(lookup="id", from_=alt.LookupData(pays, key="id"), as_="geo")
        .mark_geoshape(fill=LIEU, stroke="#ffffff", strokeWidth=0.5)
        .encode(
            shape=alt.Shape("geo", type="geojson"),
            tooltip=[alt.Tooltip("nom", type="nominal", title=word("Pays")),
                     alt.Tooltip("selon", type="nominal", title=word("Selon les sources"))],
        )
    )
    regions = regions_table.mark_circle(size=420, color=LIEU, opacity=0.75).encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        tooltip=[alt.Tooltip("nom", type="nominal", title=word("Région")),
                 alt.Tooltip("selon", type="nominal", title=word("Selon les sources"))],
    )
    noms_pays = countries.mark_text(dy=-14, fontSize=13, fontWeight="bold").encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        text=alt.Text("nom", type="nominal"),
    )
    noms_regions = regions_table.mark_text(dy=-20, fontSize=13).encode(
        longitude=alt.Longitude("lon", type="quantitative"),
        latitude=alt.Latitude("lat", type="quantitative"),
        text=alt.Text("nom", type="nominal"),
    )
    return alt.layer(fond, nommes, regions, noms_pays, noms_regions).project("equalEarth")
