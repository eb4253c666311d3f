"""Symbol and locator maps (issue 16, point 3): points from latitude and longitude over a base layer,
sized and coloured by a field, labelled, on a composite projection (albersUsa puts Alaska and Hawaii
in insets), compiled as the build compiles them and checked against vl-convert's own drawing."""
from __future__ import annotations

import json
import re
from pathlib import Path

from broadsheet.charts import compiler

REPO = Path(__file__).resolve().parents[2]
STATES = REPO / "tests" / "maps" / "us-states-10m.topojson"
THEME = json.loads((REPO / "site_src" / "theme.json").read_text())
CITIES = [("Anchorage", 61.22, -149.90, 291), ("Honolulu", 21.31, -157.86, 350), ("Seattle", 47.61, -122.33, 737),
          ("Kansas City", 39.10, -94.58, 508), ("New York", 40.71, -74.01, 8336), ("Miami", 25.76, -80.19, 449)]
CHART = """import altair as alt
TITLE = 'Cities'
ALT = 'A map of six US cities, each circle sized by its population.'
def chart(data, facts):
    states = alt.topo_feature('data/states.topojson', 'states')
    base = alt.Chart(states).mark_geoshape(fill='#e6e3da', stroke='white')
    cities = alt.Chart(data['cities'])
    points = cities.mark_circle(opacity=0.8).encode(
        longitude='lon:Q', latitude='lat:Q',
        size=alt.Size('population:Q', title='Population (thousands)'),
        color=alt.Color('region:N'), tooltip=['city:N', 'population:Q'])
    labels = cities.mark_text(dy=-12, fontSize=11).encode(longitude='lon:Q', latitude='lat:Q', text='city:N')
    return alt.layer(base, points, labels).project('albersUsa')
"""


def test_a_symbol_map_draws_every_point_sized_and_labelled_over_its_base_layer(tmp_path):
    import vl_convert

    chart = tmp_path / "cities.py"
    chart.write_text(CHART)
    table = "city,lat,lon,population,region\n" + "".join(
        f"{city},{lat},{lon},{population},{'west' if lon < -100 else 'east'}\n" for city, lat, lon, population in CITIES)
    csvs = (("states", "data/states.topojson", STATES.read_bytes(), b""), ("cities", "data/cities.csv", table.encode(), b""))
    job = compiler.ChartJob("cities", str(chart), "charts/cities.py", CHART, csvs, "facts: {}\n", "facts.yaml", THEME, "en")
    result = compiler.compile_job(job)
    assert result.entry is not None and not [p for p in result.problems if p.severity == "error"], result.problems
    svg = result.entry.svg

    symbols = re.search(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S).group(1)
    points = re.findall(r'<path\b[^>]*>', symbols)
    assert len(points) == len(CITIES)  # Anchorage and Honolulu too: the composite projection's insets
    sizes = {re.search(r'\bd="M([-\d.]+)', point).group(1) for point in points}
    assert len(sizes) >= 4, "the circles are sized by the population"
    assert len({re.search(r'fill="([^"]+)"', point).group(1) for point in points}) == 2, "coloured by region"
    for city, *_ in CITIES:
        assert f">{city}</text>" in svg, f"{city} is not labelled"
    assert re.search(r'<g class="mark-shape role-mark', svg), "the base layer is drawn"

    reference = vl_convert.vegalite_to_svg({
        "layer": [{"data": {"values": json.loads(STATES.read_text()), "format": {"type": "topojson", "feature": "states"}},
                   "mark": "geoshape"},
                  {"data": {"values": [dict(zip(("city", "lat", "lon", "population"), row)) for row in CITIES]},
                   "mark": "circle", "encoding": {"longitude": {"field": "lon", "type": "quantitative"},
                                                  "latitude": {"field": "lat", "type": "quantitative"}}}],
        "projection": {"type": "albersUsa"}, "width": 660, "height": 400})
    drawn = re.search(r'<g class="mark-symbol role-mark[^"]*"[^>]*>(.*?)</g>', reference, re.S).group(1)
    assert len(re.findall(r"<path\b", drawn)) == len(points)


def test_a_choropleth_on_either_side_of_zero_takes_the_themes_diverging_colours(tmp_path):
    """A value above and below a midpoint (`domainMid`): the two ends of the theme's diverging range,
    its neutral middle in between, and the missing colour for a state with no value."""
    chart = tmp_path / "ecart.py"
    code = ("import altair as alt\nTITLE = 'Gap'\nALT = 'States shaded by a made-up gap, from minus five to plus five.'\n"
            "def chart(data, facts):\n"
            "    states = alt.topo_feature('data/states.topojson', 'states')\n"
            "    return alt.Chart(states).mark_geoshape().transform_lookup(\n"
            "        lookup='properties.name', from_=alt.LookupData(data['gaps'], key='name', fields=['gap'])\n"
            "    ).encode(color=alt.Color('gap:Q', scale=alt.Scale(domainMid=0))).project('albersUsa')\n")
    chart.write_text(code)
    names = [g["properties"]["name"] for g in json.loads(STATES.read_text())["objects"]["states"]["geometries"]]
    values = {names[0]: -5, names[1]: 0, names[2]: 5}
    table = "name,gap\n" + "".join(f"{name},{values.get(name, (index % 11) - 5)}\n"
                                   for index, name in enumerate(names[:-1]))  # the last state has no value
    csvs = (("states", "data/states.topojson", STATES.read_bytes(), b""), ("gaps", "data/gaps.csv", table.encode(), b""))
    result = compiler.compile_job(compiler.ChartJob("ecart", str(chart), "charts/ecart.py", code, csvs, "facts: {}\n",
                                                    "facts.yaml", THEME, "en"))
    assert result.entry is not None
    diverging = [colour.lower() for colour in THEME["maps"]["range"]["diverging"]]
    group = re.search(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', result.entry.svg, re.S).group(1)
    fills = [fill.lower() if fill.startswith("#") else "#{:02x}{:02x}{:02x}".format(*map(int, re.findall(r"\d+", fill)))
             for fill in re.findall(r'fill="(#[0-9a-fA-F]{6}|rgb\([^)]*\))"', group)]
    assert diverging[0] in fills and diverging[-1] in fills, (diverging, sorted(set(fills))[:12])
    assert any(problem.code.startswith("map-") for problem in result.problems), "the state with no value is named"
