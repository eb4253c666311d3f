"""Maps (issue 16): shapes read and checked, simplified and quantized, joins checked, pictures compacted,
and real boundary files (the 50 US states, us-atlas 10m; France's 96 départements, IGN ADMIN EXPRESS-COG
2017) within the page's budgets."""
from __future__ import annotations

import gzip
import json
import math
import re
from pathlib import Path

import pytest

from broadsheet import data, shapes
from broadsheet.charts import compiler, geometry, joins

REPO = Path(__file__).resolve().parents[2]
STATES = REPO / "tests" / "maps" / "us-states-10m.topojson"
DEPARTEMENTS = REPO / "tests" / "maps" / "departements-2017.topojson"
THEME = json.loads((REPO / "site_src" / "theme.json").read_text())


def square(x: float, y: float, size: float = 1.0) -> list:
    return [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]


def collection(*features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def feature(code: str, ring: list) -> dict:
    return {"type": "Feature", "id": code, "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def topology() -> dict:
    """Two squares side by side sharing one border (arc 1), coded "01" and "02", quantized on a 0.5° grid."""
    return {"type": "Topology", "transform": {"scale": [0.5, 0.5], "translate": [0, 40]},
            "objects": {"deps": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "id": "01", "arcs": [[0, 1]]},
                {"type": "Polygon", "id": "02", "arcs": [[2, ~1]]}]}},
            "arcs": [[[2, 0], [-2, 0], [0, 2], [2, 0]],  # the left square's outside, from its bottom right
                     [[2, 2], [0, -2]],  # the shared border, top to bottom
                     [[2, 2], [2, 0], [0, -2], [-2, 0]]]}


# --- reading -------------------------------------------------------------------------------------

def read(name: str, document) -> tuple:
    text = json.dumps(document, indent=1)
    return data.parse_data(text.encode(), f"content/s/data/{name}", name.split(".")[0])


def test_good_shapes_are_read_whole():
    dataset, problems = read("deps.topojson", topology())
    assert problems == [] and shapes.object_names(dataset.document) == ["deps"]
    dataset, problems = read("deps.geojson", collection(feature("01", square(0, 0))))
    assert problems == [] and dataset.document["features"][0]["id"] == "01"


def test_a_feature_without_geometry_is_an_error_at_its_line():
    document = collection(feature("01", square(0, 0)), {"type": "Feature", "id": "02", "properties": {}, "geometry": None})
    dataset, problems = read("deps.geojson", document)
    text = json.dumps(document, indent=1)
    expected_line = text[:text.rindex("{", 0, text.index('"id": "02"'))].count("\n") + 1  # the feature's "{"
    assert dataset is None and [p.code for p in problems] == ["geo-no-geometry"]
    assert problems[0].location.line == expected_line and "(02)" in problems[0].message


def drawn_with(name: str, document, projection: dict) -> list:
    """The problems of a Vega-Lite map of the file `data/<name>` drawn with `projection`."""
    from broadsheet.charts.sources import load_vegalite_chart

    dataset, problems = read(name, document)
    assert problems == []  # a projected file is not wrong in itself: the chart that draws it says
    fmt = {"type": "topojson", "feature": "deps"} if name.endswith(".topojson") else {"type": "json", "property": "features"}
    spec = {"title": "T", "description": "A map.", "data": {"url": f"data/{name}", "format": fmt},
            "projection": projection, "mark": "geoshape"}
    return load_vegalite_chart("m", "charts/m.vl.json", json.dumps(spec), {dataset.name: dataset}, THEME)[1]


def test_projected_coordinates_are_out_of_range_at_their_line_unless_drawn_flat():
    ring = [[652000, 6862000], [653000, 6862000], [653000, 6863000], [652000, 6862000]]
    document = collection(feature("75", square(2, 48)), feature("92", ring))
    text = json.dumps(document, indent=1)
    problems = drawn_with("deps.geojson", document, {"type": "mercator"})
    assert [p.code for p in problems] == ["geo-out-of-range"]
    assert problems[0].location.path == "content/s/data/deps.geojson"
    assert problems[0].location.line == text[:text.rindex("[", 0, text.index("652000"))].count("\n") + 1
    assert "EPSG:4326" in problems[0].hint and '"identity"' in problems[0].hint
    # Vega-Lite's way to draw coordinates already projected: as they are
    assert drawn_with("deps.geojson", document, {"type": "identity", "reflectY": True}) == []


def test_topojson_arcs_out_of_range_and_null_geometry():
    document = topology()
    document["transform"]["translate"] = [600000, 6800000]
    assert [p.code for p in drawn_with("deps.topojson", document, {"type": "conicConformal"})] == ["geo-out-of-range"]
    assert drawn_with("deps.topojson", document, {"type": "identity"}) == []
    document = topology()
    document["objects"]["deps"]["geometries"][1] = {"type": None}
    _, problems = read("deps.topojson", document)
    assert [p.code for p in problems] == ["geo-no-geometry"] and "object 'deps'" in problems[0].message


def test_topojson_null_objects_with_ids_are_read_and_named_unless_shaped_elsewhere():
    """TopoJSON's null objects, as Vega's us-10m.json holds hundreds: one whose id has a shape too
    leaves no hole (nothing said); places with no shape at all are named in a warning, the file
    read; a value joined to one of them is `map-key-unmatched`, its hint saying why."""
    document = topology()
    document["objects"]["deps"]["geometries"].append({"type": None, "id": "02"})
    dataset, problems = read("deps.topojson", document)
    assert dataset is not None and problems == []
    document["objects"]["deps"]["geometries"] += [{"type": None, "id": "X3"}, {"type": None, "id": "X4"}]
    dataset, problems = read("deps.topojson", document)
    assert dataset is not None and [(p.severity, p.code) for p in problems] == [("warning", "geo-unshaped")]
    assert "2 places of object 'deps'" in problems[0].message and "X3, X4" in problems[0].message
    spec = choropleth("code,taux\nX3,1\n")
    spec["data"]["values"] = document
    unmatched, _ = joins.key_problems(spec, "deps", "charts/deps.py", "")
    assert unmatched.code == "map-key-unmatched" and "'X3'" in unmatched.message
    assert "gives them no shape" in unmatched.hint


def test_a_geojson_file_that_is_not_geojson():
    _, problems = read("deps.geojson", {"rows": []})
    assert [p.code for p in problems] == ["geo-not-shapes"]


# --- simplifying and quantizing ------------------------------------------------------------------

def test_decoding_undoes_the_delta_encoding_and_the_transform():
    arcs = shapes.decoded_arcs(topology())
    assert arcs[1] == [(1.0, 41.0), (1.0, 40.0)]
    assert arcs[0][0] == (1.0, 40.0) and arcs[0][-1] == (1.0, 41.0)


def test_simplifying_keeps_the_ends_and_drops_what_a_pixel_cannot_show():
    wiggly = [(x / 100, 0.0001 * (-1) ** x) for x in range(101)]
    kept = geometry.simplify_line(wiggly, 0.01)
    assert kept[0] == wiggly[0] and kept[-1] == wiggly[-1] and len(kept) == 2
    ring = [(0, 0), (0.001, 0), (0.001, 0.001), (0, 0.001), (0, 0)]  # an island smaller than the tolerance
    kept = geometry.simplify_line(ring, 1)
    assert len(kept) >= 4 and kept[0] == kept[-1]  # still a ring Vega can draw


def test_quantizing_round_trips_within_half_a_step():
    arcs = [[(0.12, 0.5), (3.37, 2.26), (3.371, 2.261)], [(3.37, 2.26), (5.0, 5.0)]]
    encoded, transform = geometry.quantize(arcs, (0.0, 0.0, 5.0, 5.0), 0.05)
    assert all(isinstance(v, int) for arc in encoded for point in arc for v in point)
    assert len(encoded[0]) == 2  # the two last points share a grid cell: one point
    back = shapes.decoded_arcs({"transform": transform, "arcs": encoded})
    for original, decoded in zip([arcs[0][:2], arcs[1]], back):
        for (x, y), (u, v) in zip(original, decoded):
            assert abs(x - u) <= 0.025 + 1e-9 and abs(y - v) <= 0.025 + 1e-9


def test_a_light_topology_keeps_its_objects_and_its_shared_borders():
    original = json.loads(STATES.read_text())
    light = geometry.light(original)
    kept = original["objects"]["states"]["geometries"]
    made = light["objects"]["states"]["geometries"]
    assert [{**g, "arcs": None} for g in made] == [{**g, "arcs": None} for g in kept]  # ids, names, types
    # Every polygon keeps its arcs, but for the few islands simplifying turned over (winding): those
    # get arcs of their own, added after the file's.
    assert sum(g["arcs"] != k["arcs"] for g, k in zip(made, kept)) <= 3 and len(light["arcs"]) >= len(original["arcs"])
    before, after = shapes.decoded_arcs(original), shapes.decoded_arcs(light)
    step = light["transform"]["scale"][0]
    for arc, simple in zip(before, after):  # each arc keeps its ends (neighbours meet), to half a grid step
        for end in (0, -1):
            assert abs(arc[end][0] - simple[end][0]) <= step / 2 + 1e-9 and abs(arc[end][1] - simple[end][1]) <= step / 2 + 1e-9
    assert sum(map(len, after)) < sum(map(len, before)) / 3


# --- winding: the side of each ring d3-geo fills ---------------------------------------------------

def test_polygon_area_is_the_spherical_area_d3_reads_on_the_rings_right():
    from broadsheet.charts import winding

    clockwise = [[2, 49], [2, 50], [3, 50], [3, 49], [2, 49]]  # north up: up, right, down (d3's way)
    # The cell between two parallels, Δλ (sin φ2 − sin φ1); d3 joins the corners by great circles,
    # which bulge past the parallels by a hair: the two agree to 1e-3.
    cell = math.radians(1) * (math.sin(math.radians(50)) - math.sin(math.radians(49)))
    assert winding.polygon_area([clockwise]) == pytest.approx(cell, rel=1e-3)
    assert winding.polygon_area([clockwise[::-1]]) == pytest.approx(4 * math.pi - cell, rel=1e-9)
    assert not winding.turned_over([clockwise]) and winding.turned_over([clockwise[::-1]])
    hole = [[2.2, 49.2], [2.8, 49.2], [2.8, 49.8], [2.2, 49.8], [2.2, 49.2]]  # the other way round: a hole
    assert 0 < winding.polygon_area([clockwise, hole]) < cell


def test_rfc7946_rings_are_turned_to_the_side_d3_fills_holes_with_them():
    ring = [[2, 49], [3, 49], [3, 50], [2, 50], [2, 49]]  # counter-clockwise, as RFC 7946 asks
    hole = [[2.2, 49.2], [2.2, 49.8], [2.8, 49.8], [2.8, 49.2], [2.2, 49.2]]
    document = collection({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [ring, hole]}},
                          {"type": "Feature", "properties": {}, "geometry": {
                              "type": "MultiPolygon", "coordinates": [[square(5, 40)], [square(7, 40)[::-1]]]}})
    light = geometry.light(document)
    from broadsheet.charts import winding
    polygon = light["features"][0]["geometry"]["coordinates"]
    assert polygon == [ring[::-1], hole[::-1]] and not winding.turned_over(polygon)
    parts = light["features"][1]["geometry"]["coordinates"]
    assert all(not winding.turned_over(part) for part in parts)
    assert parts[1] == [square(7, 40)[::-1]]  # already d3's way: as it was


def test_no_polygon_of_a_light_file_is_turned_over_by_simplifying():
    """The US states file's small islands (Washington's, Alaska's) once came out of the grid wound the
    other way: each drew as the rest of the world, one colour over the whole map."""
    from broadsheet.charts import winding

    original = json.loads(STATES.read_text())
    light = geometry.light(original)
    for topology in (original, light):
        arcs = shapes.decoded_arcs(topology)
        for g in topology["objects"]["states"]["geometries"]:
            for polygon in g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]:
                assert not winding.turned_over([winding.arc_ring(ring, arcs) for ring in polygon]), g["properties"]


@pytest.mark.parametrize("transform", [None, {"scale": [0.001, 0.001], "translate": [1, 46]}])
def test_places_in_a_topology_stay_where_they_are_on_the_light_grid(transform):
    def at(x, y):
        return [round((x - 1) / 0.001), round((y - 46) / 0.001)] if transform else [x, y]

    arcs = [[at(1, 46), at(3, 46), at(3, 50), at(1, 50), at(1, 46)]]
    if transform:  # delta-encoded, as a quantized file is
        arcs = [[arcs[0][0]] + [[b[0] - a[0], b[1] - a[1]] for a, b in zip(arcs[0], arcs[0][1:])]]
    topology = {"type": "Topology", "arcs": arcs, **({"transform": transform} if transform else {}),
                "objects": {"zone": {"type": "Polygon", "arcs": [[~0]]},
                            "lieux": {"type": "GeometryCollection", "geometries": [
                                {"type": "Point", "coordinates": at(2.35, 48.85), "properties": {"nom": "Paris"}},
                                {"type": "MultiPoint", "coordinates": [at(1.5, 47.5), at(2.9, 49.9)]}]}}}
    light = geometry.light(topology)
    (kx, ky), (dx, dy) = light["transform"]["scale"], light["transform"]["translate"]
    paris, pair = light["objects"]["lieux"]["geometries"]
    assert paris["properties"] == {"nom": "Paris"}
    placed = [paris["coordinates"]] + pair["coordinates"]
    for (x, y), cell in zip([(2.35, 48.85), (1.5, 47.5), (2.9, 49.9)], placed):
        assert abs(cell[0] * kx + dx - x) <= kx / 2 + 1e-9 and abs(cell[1] * ky + dy - y) <= ky / 2 + 1e-9


def test_light_geojson_is_rounded_to_the_grid():
    document = collection(feature("01", [[0.123456789, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0], [0.123456789, 0.0]]))
    light = geometry.light(document)
    assert light["features"][0]["geometry"]["coordinates"][0][0] == [0.123, 0]  # a 0.001° grid for 10°
    assert light["features"][0]["id"] == "01"


def test_map_pictures_are_written_to_what_a_pixel_needs():
    svg = '<svg><path d="M10.04,20.06L13.5549,20.06L13.5549,25L13.6,25.1Z"/><path d="M0,0C1,2,3,4,5,6"/></svg>'
    assert geometry.compact_paths(svg) == '<svg><path d="M10,20l3.5,0l0,5Z"/><path d="M0,0C1,2,3,4,5,6"/></svg>'
    assert geometry.compact_paths(svg, 10) == \
        '<svg><path d="M10,20.1l3.6,0l0,4.9l0,.1Z"/><path d="M0,0C1,2,3,4,5,6"/></svg>'


def test_a_map_gets_the_height_its_shapes_need_at_each_width():
    spec = {"projection": {"type": "conicConformal"}, "data": {"values": topology(), "format": {"type": "topojson"}}}
    square_map = geometry.fit_height(spec, 340)["height"]
    assert square_map == pytest.approx(340 / 2 / 0.755, rel=0.02)  # 1° by 1°, at 40.5° north
    assert geometry.fit_height({**spec, "projection": {"type": "albersUsa"}}, 600)["height"] == 372
    assert geometry.fit_height({**spec, "height": 100}, 340)["height"] == 100


def drawn_box(svg: str) -> tuple[float, float, float, float]:
    """The extent of every point of the geoshape marks' outlines, as Vega drew them (absolute M/L commands)."""
    xs, ys = [], []
    for group in re.findall(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S):
        for outline in re.findall(r'\bd="([^"]+)"', group):
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", outline)]
            xs += numbers[0::2]
            ys += numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def france_outline() -> dict:
    """A rough hexagon for metropolitan France and a triangle for Corsica (clockwise, as d3 reads rings)."""
    mainland = [[-4.8, 48.4], [-1.6, 49.7], [2.5, 51.1], [8.2, 49.0], [7.6, 43.8], [3.1, 42.4], [-1.8, 43.4], [-4.8, 48.4]]
    corsica = [[8.6, 41.4], [9.5, 43.0], [9.6, 41.4], [8.6, 41.4]]
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "FR", "properties": {},
            "geometry": {"type": "MultiPolygon", "coordinates": [[mainland], [corsica]]}}]}


@pytest.mark.parametrize("name", ["france", "us", "world"])
def test_a_fitted_map_fills_its_drawing_at_every_width(name):
    """The height comes from the shapes projected with the map's own projection: the drawn shapes
    touch both sides of the drawing, with no empty band above and below (nor left and right)."""
    import vl_convert

    projection, data = {
        "france": ("conicConformal", {"values": france_outline(), "format": {"type": "json", "property": "features"}}),
        "us": ("albersUsa", {"values": json.loads(STATES.read_text()), "format": {"type": "topojson", "feature": "states"}}),
        "world": ("equalEarth", {"values": json.loads((REPO / "content/chatgpt/data/monde.topojson").read_text()),
                                 "format": {"type": "topojson", "feature": "countries"}}),
    }[name]
    for width in (335, 375, 660, 1280):
        spec = geometry.fit_height({"data": data, "mark": "geoshape", "projection": {"type": projection}, "width": width}, width)
        spec["config"] = {"view": {"stroke": None}, "padding": 0, "autosize": {"type": "none"}}
        x0, y0, x1, y1 = drawn_box(vl_convert.vegalite_to_svg(spec))
        assert width - (x1 - x0) <= 2 and spec["height"] - (y1 - y0) <= 2, (name, width, spec["height"], (x0, y0, x1, y1))


# --- joins ---------------------------------------------------------------------------------------

def choropleth(csv_text: str) -> dict:
    return {"data": {"values": topology(), "format": {"type": "topojson", "feature": "deps"}},
            "transform": [{"lookup": "id", "from": {"data": {"values": csv_text, "format": {"type": "csv"}},
                                                    "key": "code", "fields": ["taux"]}}],
            "mark": "geoshape"}


def test_keys_that_do_not_meet_are_named_both_ways():
    problems = joins.key_problems(choropleth("code,taux\n1,3.5\n03,4\n"), "deps", "charts/deps.py",
                                  "    lookup='id',\n")
    assert [p.code for p in problems] == ["map-key-unmatched", "map-shape-no-value"]
    assert "'1', '3'" in problems[0].message and "'01', '02'" in problems[1].message
    assert problems[0].severity == "warning" and problems[0].location.line == 1


def test_a_table_that_draws_the_map_names_the_shapes_it_leaves_out():
    """Vega-Lite's gallery way (geo_repeat, geo_trellis): the rows are drawn, each looking its shape up;
    a shape with no row is then not drawn at all."""
    table = {"values": "code,taux\n01,3.5\n03,4\n", "format": {"type": "csv", "parse": {"code": "string"}}}
    shapes_data = {"values": topology(), "format": {"type": "topojson", "feature": "deps"}}
    spec = {"data": table, "transform": [{"lookup": "code", "from": {"data": shapes_data, "key": "id"}, "as": "geo"}],
            "mark": "geoshape", "encoding": {"shape": {"field": "geo", "type": "geojson"}}}
    problems = joins.key_problems(spec, "deps", "charts/deps.vl.json", '"lookup": "code"\n')
    assert [p.code for p in problems] == ["map-key-unmatched", "map-shape-no-value"]
    assert "'03'" in problems[0].message and "'02'" in problems[1].message and "not drawn at all" in problems[1].message
    # Under a base map of the same shapes (the places a table picks out, over the whole map): no hole.
    based = {"layer": [{"data": shapes_data, "mark": "geoshape"}, spec]}
    assert [p.code for p in joins.key_problems(based, "deps", "p", "")] == ["map-key-unmatched"]
    spec["transform"][0]["from"]["fields"] = ["properties"]  # a lookup of fields draws no shape: no hole to name
    assert [p.code for p in joins.key_problems(spec, "deps", "p", "")] == ["map-key-unmatched"]


def test_keys_that_meet_say_nothing():
    assert joins.key_problems(choropleth('code,taux\n"01",3.5\n"02",4\n'.replace('"', "")), "d", "p", "") != []
    spec = choropleth("code,taux\nA,3.5\n")
    spec["data"]["values"]["objects"]["deps"]["geometries"] = [{"type": "Polygon", "id": "A", "arcs": [[0, 1]]}]
    assert joins.key_problems(spec, "d", "p", "") == []


# --- a real boundary file, compiled as the build compiles it -----------------------------------------

def states_job(tmp_path: Path, csv_rows: list[str], lookup: str = "id") -> compiler.ChartJob:
    chart = tmp_path / "states.py"
    chart.write_text(
        "import altair as alt\nTITLE = 'States'\nALT = 'A map of the states, shaded by a made-up value.'\n"
        "def chart(data, facts):\n"
        "    states = alt.topo_feature('data/states.topojson', 'states')\n"
        "    return alt.Chart(states).mark_geoshape().transform_lookup(\n"
        f"        lookup='{lookup}', from_=alt.LookupData(data['values'], key='key', fields=['value'])\n"
        "    ).encode(color=alt.Color('value', type='quantitative'),\n"
        "             tooltip=[alt.Tooltip('properties.name', type='nominal')]).project('albersUsa')\n")
    table = ("key,value\n" + "\n".join(csv_rows) + "\n").encode()
    csvs = (("states", "data/states.topojson", STATES.read_bytes(), b""), ("values", "data/values.csv", table, b""))
    return compiler.ChartJob("states", str(chart), "charts/states.py", chart.read_text(), csvs,
                             "facts: {}\n", "facts.yaml", THEME, "en")


def state_ids() -> list[tuple[str, str]]:
    geometries = json.loads(STATES.read_text())["objects"]["states"]["geometries"]
    return [(g["id"], g["properties"]["name"]) for g in geometries]


def shapes_drawn(svg: str) -> int:
    """The paths of the geoshape marks (not the legend's, nor the background)."""
    group = re.search(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    return len(re.findall(r"<path\b[^>]*\bd=\"M", group.group(1))) if group else 0


def test_us_states_choropleth_is_within_the_budgets_and_draws_every_state(tmp_path):
    import vl_convert

    rows = [f"{name},{len(name)}" for code, name in state_ids()]  # keyed by name: no zeros to lose
    result = compiler.compile_job(states_job(tmp_path, rows, "properties.name"))
    assert result.problems == ()
    assert result.entry is not None, result.problems
    picture = len(gzip.compress(result.entry.svg.encode(), 6))
    shapes_files = [content for path, content in result.files if "/shapes." in path]
    assert len(shapes_files) == 1
    assert picture <= 25 * 1024, picture
    assert len(gzip.compress(shapes_files[0], 6)) <= 60 * 1024
    # The reference: vl-convert draws the original, unsimplified file; as many shapes in both pictures.
    original = {"data": {"values": json.loads(STATES.read_text()), "format": {"type": "topojson", "feature": "states"}},
                "mark": "geoshape", "projection": {"type": "albersUsa"}, "width": 660, "height": 400}
    reference = vl_convert.vegalite_to_svg(original)
    drawn, expected = shapes_drawn(result.entry.svg), shapes_drawn(reference)
    assert drawn == expected and drawn >= 50
    drawing = geometry.fit_height({k: v for k, v in original.items() if k != "height"}, 660)["height"]
    assert drawing < result.entry.height < drawing + 90  # the drawing, and the legend under it
    # Each state as large as vl-convert draws it from the original file at the same size, to a few
    # pixels: none turned over by simplifying (a state drawn as the rest of the world fills the frame).
    same_size = vl_convert.vegalite_to_svg({**original, "height": drawing})
    for ours, theirs in zip(shape_boxes(result.entry.svg), shape_boxes(same_size), strict=True):
        assert abs(ours[0] - theirs[0]) <= 3 + theirs[0] * 0.05 and abs(ours[1] - theirs[1]) <= 3 + theirs[1] * 0.05


def shape_boxes(svg: str) -> list[tuple[float, float]]:
    """The width and height of each geoshape path, read from its outline (absolute or relative steps)."""
    group = re.search(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', svg, re.S)
    boxes = []
    for d in re.findall(r'<path\b[^>]*\bd="(M[^"]*)"', group.group(1)):
        xs, ys, x, y, start = [], [], 0.0, 0.0, (0.0, 0.0)
        for command, numbers in re.findall(r"([MmLlZz])([^MmLlZz]*)", d):
            values = [float(v) for v in re.findall(r"-?[0-9.]+(?:e-?\d+)?", numbers)]
            for dx, dy in zip(values[::2], values[1::2]):
                x, y = (x + dx, y + dy) if command.islower() else (dx, dy)
                if command in "Mm" and (dx, dy) == (values[0], values[1]):
                    start = (x, y)
                xs.append(x)
                ys.append(y)
            if command in "Zz":
                x, y = start
        boxes.append((max(xs) - min(xs), max(ys) - min(ys)))
    return boxes


def departements_job(tmp_path: Path) -> compiler.ChartJob:
    """The guide's choropleth of the départements (conicConformal), every département given a made-up value."""
    chart = tmp_path / "chomage.py"
    chart.write_text(guide_block("python", "**3. The chart**"))
    codes = [g["id"] for g in json.loads(DEPARTEMENTS.read_text())["objects"]["departements"]["geometries"]]
    table = "code,departement,taux\n" + "".join(f"{code},,{4 + index % 9}.5\n" for index, code in enumerate(codes))
    csvs = (("departements", "data/departements.topojson", DEPARTEMENTS.read_bytes(), b""),
            ("chomage", "data/chomage.csv", table.encode(), b""))
    facts = "facts: {}\n" + guide_block("yaml", "**1. The shapes.**")
    return compiler.ChartJob("chomage", str(chart), "charts/chomage.py", chart.read_text(), csvs, facts, "facts.yaml",
                             THEME, "fr")


def test_departements_choropleth_is_within_the_budgets_and_draws_every_departement(tmp_path):
    """Issue 16's budget, on the real shapes: France's 96 départements, wide and narrow pictures at
    25 KB gzip or less, the live view's geometry at 60 KB or less, as many shapes as the original draws."""
    import vl_convert

    result = compiler.compile_job(departements_job(tmp_path))
    assert result.problems == () and result.entry is not None and result.entry.narrow is not None
    for svg in (result.entry.svg, result.entry.narrow.svg):
        assert len(gzip.compress(svg.encode(), 6)) <= 25 * 1024
        assert shapes_drawn(svg) == 96
    (geometry,) = [content for path, content in result.files if "/shapes." in path]
    assert len(gzip.compress(geometry, 6)) <= 60 * 1024
    original = {"data": {"values": json.loads(DEPARTEMENTS.read_text()), "format": {"type": "topojson", "feature": "departements"}},
                "mark": "geoshape", "projection": {"type": "conicConformal"}, "width": 660, "height": 640}
    assert shapes_drawn(vl_convert.vegalite_to_svg(original)) == 96


def test_us_states_with_a_leading_zero_lost_warns_with_the_keys(tmp_path):
    rows = [f"{code},{len(name)}" for code, name in state_ids()]  # "01": read as the number 1
    result = compiler.compile_job(states_job(tmp_path, rows))
    codes = [p.code for p in result.problems]
    assert "map-key-unmatched" in codes and "map-shape-no-value" in codes
    unmatched = next(p for p in result.problems if p.code == "map-key-unmatched")
    assert "'1', '2', '4'" in unmatched.message and "leading zeros" in unmatched.hint and "'01', '02', '04'" in unmatched.hint


def test_a_state_without_a_value_is_named_and_drawn_in_the_missing_colour(tmp_path):
    rows = [f"{name},{len(name)}" for code, name in state_ids() if name != "Texas"]
    result = compiler.compile_job(states_job(tmp_path, rows, "properties.name"))
    assert [p.code for p in result.problems] == ["map-shape-no-value"]
    assert "'Texas'" in result.problems[0].message
    group = re.search(r'<g class="mark-shape role-mark[^"]*"[^>]*>(.*?)</g>', result.entry.svg, re.S).group(1)
    fills = re.findall(r'fill="([^"]+)"', group)
    missing = THEME["maps"]["scale"]["invalid"]["fill"]["value"]
    assert fills.count(missing) == 1 and len(set(fills)) > 10  # one state missing, the others shaded


# --- the author guide's choropleth, as a journalist copies it ------------------------------------------

def guide_block(language: str, after: str) -> str:
    guide = (REPO / "docs" / "author-guide.md").read_text()
    start = guide.index(f"```{language}\n", guide.index(after)) + len(language) + 4
    return guide[start:guide.index("```", start)]


def departements() -> dict:
    """Four départements as squares in a row (Ain, Aisne, Corse-du-Sud, Haute-Corse), sharing borders."""
    geometries, arcs = [], []
    for index, (code, name) in enumerate([("01", "Ain"), ("02", "Aisne"), ("2A", "Corse-du-Sud"), ("2B", "Haute-Corse")]):
        arcs.append([[index * 2, 0], [2, 0], [0, 2], [-2, 0], [0, -2]])
        geometries.append({"type": "Polygon", "id": code, "properties": {"nom": name}, "arcs": [[index]]})
    return {"type": "Topology", "transform": {"scale": [0.5, 0.5], "translate": [2, 42]},
            "objects": {"departements": {"type": "GeometryCollection", "geometries": geometries}}, "arcs": arcs}


def test_the_author_guide_choropleth_builds_as_written(tmp_path):
    code = guide_block("python", "**3. The chart**")
    table = guide_block("csv", "**2. The values.**")
    chart = tmp_path / "chomage.py"
    chart.write_text(code)
    facts = ("facts: {}\nsources:\n  insee:\n    name: Taux de chômage\n    publisher: Insee\n    date: 2024-01-01\n"
             "  ign_admin_express:\n    name: ADMIN EXPRESS\n    publisher: IGN\n    date: 2024-01-01\n")
    csvs = (("departements", "data/departements.topojson", json.dumps(departements()).encode(), b""),
            ("chomage", "data/chomage.csv", table.encode(), b""))
    job = compiler.ChartJob("chomage", str(chart), "charts/chomage.py", code, csvs, facts, "facts.yaml", THEME, "fr")
    result = compiler.compile_job(job)
    assert result.entry is not None, result.problems
    assert [p.code for p in result.problems] == ["map-shape-no-value"] and "'2B'" in result.problems[0].message
    labels = re.findall(r'aria-label="([^"]*)"', result.entry.svg)
    assert any("Haute-Corse" in label and "donnée manquante" in label for label in labels)
    assert any("Ain" in label and "5,9" in label for label in labels)  # the French number format
    assert result.entry.narrow is not None and result.entry.narrow.height < result.entry.height


def test_data_by_name_is_an_altair_geo_source(tmp_path):
    """`data["departements"]` from Python: the TopoJSON file's first object, as features."""
    code = ("import altair as alt\nTITLE = 'D'\nALT = 'Quatre départements.'\n"
            "def chart(data, facts):\n"
            "    return alt.Chart(data['departements']).mark_geoshape().encode(\n"
            "        tooltip=[alt.Tooltip('properties.nom', type='nominal')]).project('mercator')\n")
    chart = tmp_path / "d.py"
    chart.write_text(code)
    csvs = (("departements", "data/departements.topojson", json.dumps(departements()).encode(), b""),)
    result = compiler.compile_job(compiler.ChartJob("d", str(chart), "charts/d.py", code, csvs, "facts: {}\n",
                                                    "facts.yaml", THEME, "fr"))
    assert result.problems == () and shapes_drawn(result.entry.svg) == 4
    assert "Haute-Corse" in result.entry.svg


def test_a_bare_geometry_is_geojson_too():
    _, problems = read("zone.geojson", {"type": "Polygon", "coordinates": [square(2, 48)]})
    assert problems == []
    dataset, problems = read("zone.geojson", {"type": "Polygon", "coordinates": [square(700000, 48)]})
    assert problems == [] and dataset is not None  # in metres: said by a chart that reads it as degrees


def test_a_base_map_is_decoration_for_screen_readers():
    spec = {"layer": [{"mark": "geoshape"}, {"mark": {"type": "geoshape", "fill": "red"}, "encoding": {"tooltip": {}}}]}
    quiet = geometry.quiet_base_layers(spec)
    assert quiet["layer"][0]["mark"] == {"type": "geoshape", "aria": False}
    assert quiet["layer"][1] == spec["layer"][1]


def mesh_job(tmp_path: Path, name: str) -> compiler.ChartJob:
    code = ("import altair as alt\nTITLE = 'D'\nALT = 'Les limites de quatre départements.'\n"
            "def chart(data, facts):\n"
            "    limites = alt.Data(url='data/departements.topojson',\n"
            f"                       format=alt.DataFormat(type='topojson', mesh='{name}'))\n"
            "    return alt.Chart(limites).mark_geoshape(filled=False).project('mercator')\n")
    chart = tmp_path / "d.py"
    chart.write_text(code)
    csvs = (("departements", "data/departements.topojson", json.dumps(departements()).encode(), b""),)
    return compiler.ChartJob("d", str(chart), "charts/d.py", code, csvs, "facts: {}\n", "facts.yaml", THEME, "fr")


def test_a_mesh_draws_the_borders_once_and_an_unknown_object_is_named(tmp_path):
    result = compiler.compile_job(mesh_job(tmp_path, "departements"))
    assert result.problems == () and shapes_drawn(result.entry.svg) == 1  # one path: every border, once
    result = compiler.compile_job(mesh_job(tmp_path, "communes"))
    assert [p.code for p in result.problems] == ["geo-object-unknown"]
    assert result.problems[0].location.line == 6 and "departements" in result.problems[0].hint


def test_a_map_with_a_shape_drawn_as_missing_carries_the_missing_colour_for_its_key(tmp_path):
    names = [name for code, name in state_ids()]
    missing = THEME["maps"]["scale"]["invalid"]["fill"]["value"]
    without_texas = compiler.compile_job(states_job(tmp_path, [f"{n},{len(n)}" for n in names if n != "Texas"],
                                                    "properties.name"))
    empty_texas = compiler.compile_job(states_job(tmp_path, [f"{n},{'' if n == 'Texas' else len(n)}" for n in names],
                                                  "properties.name"))
    every_state = compiler.compile_job(states_job(tmp_path, [f"{n},{len(n)}" for n in names], "properties.name"))
    assert without_texas.entry.missing == missing and empty_texas.entry.missing == missing
    assert every_state.entry.missing == ""
    assert type(every_state.entry).from_json(without_texas.entry.to_json()).missing == missing  # kept in the cache


def test_the_missing_key_turns_dark_with_the_map():
    from broadsheet.charts import drawing

    missing = THEME["maps"]["scale"]["invalid"]["fill"]["value"]
    style = drawing.live_chart_style(THEME)
    assert f'.chart-key [fill="{missing}" i]{{fill:{THEME["dark"][missing]}}}' in style
    assert style.count(".chart-key ") == 2 * 3  # that colour alone (fill, stroke, stop-color), in both scopes


VEGA_PROJECTIONS = ["albers", "azimuthalEqualArea", "azimuthalEquidistant", "conicConformal", "conicEqualArea",
                    "conicEquidistant", "equalEarth", "equirectangular", "gnomonic", "mercator", "naturalEarth1",
                    "orthographic", "stereographic", "transverseMercator"]


@pytest.mark.parametrize("projection", [{"type": kind} for kind in VEGA_PROJECTIONS] + [
    {"type": "orthographic", "rotate": [-2, -46]}, {"type": "azimuthalEqualArea", "rotate": [-2, -46, 10]},
    {"type": "conicConformal", "parallels": [44, 49]}, {"type": "stereographic", "rotate": [0, -90]}],
    ids=lambda p: "-".join(str(v) for v in p.values()))
def test_every_vega_projection_fills_its_drawing_at_both_layouts(projection):
    """Every projection Vega has (albersUsa apart: it draws only the United States, tested above),
    with d3's defaults or its own `rotate` and `parallels`: France drawn edge to edge at the phone's
    and the desktop's widths, as vl-convert draws it."""
    import vl_convert

    for width in (335, 660):
        data = {"values": france_outline(), "format": {"type": "json", "property": "features"}}
        spec = geometry.fit_height({"data": data, "mark": "geoshape", "projection": projection, "width": width}, width)
        spec["config"] = {"view": {"stroke": None}, "padding": 0, "autosize": {"type": "none"}}
        x0, y0, x1, y1 = drawn_box(vl_convert.vegalite_to_svg(spec))
        assert width - (x1 - x0) <= 2 and spec["height"] - (y1 - y0) <= 2, (projection, width, spec["height"], (x0, y0, x1, y1))


def test_a_heavy_map_is_told_whether_its_shapes_or_the_places_over_them_weigh():
    from broadsheet.charts import checks

    def picture(shapes: int, places: int) -> str:
        return ('<svg><g class="mark-shape role-mark marks">' + '<path d="M0,0L9,9L0,9Z"/>' * shapes + "</g>"
                '<g class="mark-symbol role-mark marks">' + '<path d="M1,1m-2,0a2,2 0 1,0 4,0"/>' * places
                + "</g></svg>")

    assert checks.shapes_share(picture(50, 3376)) < 0.1  # airports over the states: the places weigh
    assert checks.shapes_share(picture(3000, 5)) > 0.9  # counties with five towns: the shapes weigh
    assert checks.shapes_share("<svg/>") == 1.0
