"""Light geometry: a map's shapes simplified for the size they are drawn at, and quantized, at build
time (Shapely lives here: GEOS's Douglas-Peucker, maintained and fast).

A boundary file made for print or GIS holds thousands of points a 640-pixel map cannot show: they
weigh on the page twice, in the static picture and in the geometry the live view fetches. Here each
line is simplified to a fraction of a pixel of the widest drawing (`DETAIL_PX`, a wide chart on a
screen of double density), then its coordinates are put on a grid no finer than that.

TopoJSON keeps its topology: each arc is simplified once, its two ends kept, so two neighbours
still share the same border and no gap opens between them. GeoJSON has no shared borders: each
shape is simplified on its own (topology kept within it), which may leave a hairline between
neighbours; the author guide says to prefer TopoJSON.
"""
from __future__ import annotations

import math
import re
from typing import Any

from .. import shapes
from . import projections, winding

DETAIL_PX = 1320  # the widest drawing, in device pixels: the wide layout at double density
TOLERANCE_PX = 1.0  # how far a simplified line may move, in those pixels (half a CSS pixel)


def light(document: Any) -> Any:
    """The document simplified and quantized for drawing (the same objects, ids and properties),
    or the document itself when it is not shapes."""
    if shapes.is_topology(document):
        return _light_topology(document)
    if shapes.is_geojson(document):
        return _light_geojson(document)
    return document


def _extent(points) -> tuple[float, float, float, float]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys)) if xs else (0.0, 0.0, 1.0, 1.0)


def tolerance_for(extent: tuple[float, float, float, float]) -> float:
    """The distance, in the file's units, that half a device pixel stands for when the shapes'
    widest side fills the widest drawing."""
    span = max(extent[2] - extent[0], extent[3] - extent[1]) or 1.0
    return span / DETAIL_PX * TOLERANCE_PX


def simplify_line(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on one line, its ends kept; a closed line keeps at least four points (a ring)."""
    import shapely

    if len(points) <= 2:
        return list(points)
    kept = [tuple(p) for p in shapely.simplify(shapely.linestrings(points), tolerance).coords]
    closed = points[0] == points[-1]
    if closed and len(kept) < 4:
        step = max(1, (len(points) - 1) // 3)
        kept = [points[0], points[step], points[min(2 * step, len(points) - 2)], points[-1]]
    return kept


def quantize(arcs: list[list[tuple[float, float]]], extent, step: float) -> tuple[list[list[list[int]]], dict]:
    """Arcs on a grid of `step` (in the file's units), delta-encoded as TopoJSON writes them, and
    the `transform` that reads them back; points that fall on the same grid cell are merged."""
    x0, y0 = extent[0], extent[1]
    encoded = []
    for arc in arcs:
        cells: list[tuple[int, int]] = []
        for x, y in arc:
            cell = (round((x - x0) / step), round((y - y0) / step))
            if not cells or cell != cells[-1]:
                cells.append(cell)
        if len(cells) == 1:
            cells.append(cells[0])
        if arc and arc[0] == arc[-1] and len(arc) >= 4 and len(cells) < 4:
            cells = (cells + cells[:1] * 4)[:4]  # a ring smaller than a cell: a dot, kept so its shape draws
        previous = (0, 0)
        deltas = []
        for cell in cells:
            deltas.append([cell[0] - previous[0], cell[1] - previous[1]])
            previous = cell
        encoded.append(deltas)
    return encoded, {"scale": [step, step], "translate": [x0, y0]}


def _light_topology(topology: dict) -> dict:
    arcs = shapes.decoded_arcs(topology)
    positions = [p for arc in arcs for p in arc]
    positions += [p for geometry in _leaf_geometries(topology) for p in _place_positions(geometry, topology)]
    extent = _extent(positions)
    tolerance = tolerance_for(extent)
    step = _step(tolerance)
    encoded, transform = quantize([simplify_line(arc, tolerance) for arc in arcs], extent, step)
    light = _Light(arcs, encoded, transform, extent, step, winding.in_degrees(positions))
    objects = {name: light.geometry(top, topology) for name, top in topology["objects"].items()}
    rest = {key: value for key, value in topology.items() if key not in ("arcs", "transform", "bbox", "objects")}
    return {**rest, "objects": objects, "transform": transform, "arcs": encoded}


def _leaf_geometries(topology: dict):
    for top in topology["objects"].values():
        yield from shapes.geometries_of(top)


def _place_positions(geometry: dict, topology: dict) -> list[tuple[float, float]]:
    """The positions of a Point or MultiPoint geometry in the file's coordinates (its `transform` undone)."""
    coordinates = geometry.get("coordinates")
    found = [coordinates] if geometry.get("type") == "Point" else coordinates if geometry.get("type") == "MultiPoint" else []
    transform = topology.get("transform") if isinstance(topology.get("transform"), dict) else None
    (kx, ky), (dx, dy) = (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    return [(p[0] * kx + dx, p[1] * ky + dy) for p in found or [] if isinstance(p, list) and len(p) >= 2
            and all(isinstance(v, (int, float)) for v in p[:2])]


class _Light:
    """The objects of a topology made light: places put on the new grid, and polygons kept on the
    side d3-geo fills (winding): turned the right way when the file winds them the RFC 7946 way,
    and, when simplifying turned one over (an island smaller than a few pixels), that polygon
    kept unsimplified, or left out when even the grid turns it over (it would be under a pixel)."""

    def __init__(self, arcs, encoded, transform, extent, step, spherical: bool):
        self.arcs, self.encoded, self.extent, self.step, self.spherical = arcs, encoded, extent, step, spherical
        self.scale, self.translate = transform["scale"], transform["translate"]
        self.light_arcs = [self._decoded(arc) for arc in encoded]

    def _decoded(self, deltas) -> list[tuple[float, float]]:
        x = y = 0
        points = []
        for dx, dy in deltas:
            x, y = x + dx, y + dy
            points.append((x * self.scale[0] + self.translate[0], y * self.scale[1] + self.translate[1]))
        return points

    def _cell(self, point) -> list[int]:
        return [round((point[0] - self.extent[0]) / self.step), round((point[1] - self.extent[1]) / self.step)]

    def geometry(self, node: Any, topology: dict) -> Any:
        if not isinstance(node, dict):
            return node
        kind = node.get("type")
        if kind == "GeometryCollection" and isinstance(node.get("geometries"), list):
            return {**node, "geometries": [self.geometry(child, topology) for child in node["geometries"]]}
        if kind in ("Point", "MultiPoint"):
            cells = [self._cell(p) for p in _place_positions(node, topology)]
            return {**node, "coordinates": cells[0] if kind == "Point" and cells else cells}
        if self.spherical and kind == "Polygon" and isinstance(node.get("arcs"), list):
            polygon = self._polygon(node["arcs"])
            return {**node, "arcs": polygon or []}
        if self.spherical and kind == "MultiPolygon" and isinstance(node.get("arcs"), list):
            polygons = [self._polygon(polygon) for polygon in node["arcs"]]
            return {**node, "arcs": [polygon for polygon in polygons if polygon]}
        return node

    def _polygon(self, rings: list) -> list | None:
        if not all(isinstance(ring, list) and all(isinstance(i, int) and -len(self.arcs) <= i < len(self.arcs)
                                                  for i in ring) for ring in rings):
            return rings  # not arcs of this file: left as the file has it
        if winding.turned_over([winding.arc_ring(ring, self.arcs) for ring in rings]):
            rings = [winding.reversed_arc_ring(ring) for ring in rings]  # wound the RFC 7946 way
        if not winding.turned_over([winding.arc_ring(ring, self.light_arcs) for ring in rings]):
            return rings
        kept = []
        for ring in rings:  # turned over by simplifying: each ring an arc of its own, every point kept
            deltas, _ = quantize([winding.arc_ring(ring, self.arcs)], self.extent, self.step)
            self.encoded.append(deltas[0])
            self.light_arcs.append(self._decoded(deltas[0]))
            kept.append([len(self.encoded) - 1])
        return None if winding.turned_over([self.light_arcs[ring[0]] for ring in kept]) else kept


def _step(tolerance: float) -> float:
    """A grid step a little finer than the tolerance, rounded to a power of ten's 1, 2 or 5 (short numbers)."""
    target = tolerance / 2
    power = 10 ** math.floor(math.log10(target))
    return max(f * power for f in (1, 2, 5) if f * power <= target)


def _light_geojson(document: dict) -> dict:
    positions = list(shapes.positions_of(document))
    extent = _extent(positions)
    tolerance = tolerance_for(extent)
    digits = max(0, -math.floor(math.log10(_step(tolerance))))
    spherical = winding.in_degrees(positions)

    def geometry(node: Any) -> Any:
        if not isinstance(node, dict) or not node.get("type"):
            return node
        if node["type"] == "GeometryCollection":
            return {**node, "geometries": [geometry(g) for g in node.get("geometries") or []]}
        if node["type"] in ("Point", "MultiPoint"):
            return {**node, "coordinates": _rounded(node.get("coordinates"), digits)}
        if spherical and winding.geojson_polygons(node):
            return _polygons_light(node, tolerance, digits)
        return {**node, "coordinates": _rounded(_simplified(node, tolerance), digits)}

    def feature(node: Any) -> Any:
        return {**node, "geometry": geometry(node.get("geometry"))} if isinstance(node, dict) else node

    if document.get("type") == "FeatureCollection":
        return {**document, "features": [feature(f) for f in document.get("features") or []]}
    if document.get("type") == "Feature":
        return feature(document)
    return geometry(document)


def _polygons_light(node: dict, tolerance: float, digits: int) -> dict:
    """A Polygon or MultiPolygon made light on the side d3-geo fills (winding): turned the right
    way when the file winds it the RFC 7946 way; a polygon that simplifying turned over (a ring of
    a few pixels) keeps its every point."""
    polygons = [winding.reversed_rings(polygon) if winding.turned_over(polygon) else polygon
                for polygon in winding.geojson_polygons(node)]
    single = node["type"] == "Polygon"
    source = {**node, "coordinates": polygons[0] if single else polygons}
    light = _rounded(_simplified(source, tolerance), digits)
    light_polygons = [light] if single else light
    if not isinstance(light_polygons, list) or len(light_polygons) != len(polygons):
        light_polygons = [_rounded(polygon, digits) for polygon in polygons]
    kept = []
    for simple, whole in zip(light_polygons, polygons):
        if winding.turned_over(simple):
            simple = _rounded(whole, digits)
            simple = whole if winding.turned_over(simple) else simple
        kept.append(simple)
    return {**node, "coordinates": kept[0] if single else kept}


def _simplified(node: dict, tolerance: float) -> Any:
    import shapely
    from shapely.geometry import mapping, shape

    try:
        simple = shapely.simplify(shape(node), tolerance, preserve_topology=True)
    except (ValueError, TypeError, AttributeError, shapely.errors.ShapelyError):
        return node.get("coordinates")  # a shape GEOS cannot read is drawn as it is
    return _lists(mapping(simple)["coordinates"]) if not simple.is_empty else node.get("coordinates")


def _lists(value: Any) -> Any:
    return [_lists(item) for item in value] if isinstance(value, (list, tuple)) else value


def _rounded(value: Any, digits: int) -> Any:
    if isinstance(value, list):
        return [_rounded(item, digits) for item in value]
    if isinstance(value, float):
        rounded = round(value, digits)
        return int(rounded) if rounded.is_integer() else rounded
    return value


_POLYLINE = re.compile(r'(<path\b[^>]*?\bd=")([MLZ0-9.,\-e ]+)(")')
_COMMAND = re.compile(r"([MLZ])([^MLZ]*)")


def compact_paths(svg: str, per_pixel: int = 2) -> str:
    """A map's picture with each polygon's outline (`M x,y L x,y … Z`, as Vega draws a geoshape)
    written in relative steps of 1/`per_pixel` of a CSS pixel (half: one device pixel on a screen
    of double density), points that fall together dropped: what a pixel needs, at a third of the
    bytes. Paths with curves or arcs are left as they are."""
    return _POLYLINE.sub(lambda m: m.group(1) + _compact(m.group(2), per_pixel) + m.group(3), svg)


def _compact(d: str, per_pixel: int) -> str:
    out: list[str] = []
    x = y = 0
    for command, body in _COMMAND.findall(d):
        if command == "Z":
            out.append("Z")
            continue
        numbers = body.replace(",", " ").split()
        if len(numbers) != 2:
            return d
        nx, ny = round(float(numbers[0]) * per_pixel), round(float(numbers[1]) * per_pixel)
        if command == "M":
            out.append(f"M{_n(nx, per_pixel)},{_n(ny, per_pixel)}")
        elif (nx, ny) != (x, y):
            out.append(f"l{_n(nx - x, per_pixel)},{_n(ny - y, per_pixel)}")
        x, y = nx, ny
    return "".join(out)


def _n(value: int, per_pixel: int) -> str:
    """A count of 1/per_pixel pixels written short: 12 tenths -> "1.2", -5 -> "-.5", 30 -> "3"."""
    text = f"{value / per_pixel:.3f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


ALBERS_USA_ASPECT = 0.62  # height / width of Vega's albersUsa composite (the 48 states, Alaska, Hawaii)


def fit_height(spec: dict, width: int) -> dict:
    """A map with no height of its own gets the height its shapes need at this width, so the
    projection (fitted to the shapes by Vega-Lite) fills the drawing on a phone as on a desktop,
    instead of a world shrunk into a tall empty box. The shapes' points are projected with the
    map's own projection (projections.py: d3-geo's formulas) and the height follows their extent;
    a projection not known there falls back to the extent in longitude and latitude, corrected for
    the narrowing of meridians."""
    projection = projection_of(spec)
    if projection is None or "height" in spec or any(k in spec for k in ("hconcat", "vconcat", "concat", "facet")):
        return spec
    points = _shapes_points(spec)
    if projection.get("type") == "identity" and points:  # coordinates already projected: drawn as they are
        extent = _extent(points)
        aspect = (extent[3] - extent[1]) / max(extent[2] - extent[0], 1e-9)
    elif projection.get("type") == "albersUsa":
        aspect = (projections.albers_usa_aspect(points) if points else None) or ALBERS_USA_ASPECT
    elif not points:
        return spec
    else:
        aspect = projections.aspect(projection, points) or _plain_aspect(_extent(points))
    return {**spec, "height": round(width * min(max(aspect, 0.3), 1.4))}


def _plain_aspect(extent) -> float:
    middle = math.radians((extent[1] + extent[3]) / 2)
    across = max(extent[2] - extent[0], 1e-9) * max(math.cos(middle), 0.2)
    return (extent[3] - extent[1]) / across


def projection_of(spec: dict) -> dict | None:
    from . import walk

    for node in walk.nodes(spec, skip={"datasets", "values"}):
        if isinstance(node.get("projection"), dict):
            return node["projection"]
    return None


def _shapes_points(spec: dict) -> list:
    """Every point of the first shapes the spec draws (longitude, latitude), or []."""
    from . import walk

    for node in walk.nodes(spec, skip={"datasets", "values"}):
        data = node.get("data")
        values = data.get("values") if isinstance(data, dict) else None
        if shapes.is_topology(values):
            return [p for arc in shapes.decoded_arcs(values) for p in arc]
        if shapes.is_geojson(values):
            return list(shapes.positions_of(values))
    return []


def quiet_base_layers(spec: Any) -> Any:
    """Shapes drawn with no field (a base map, a land mass) say nothing to a screen reader: Vega
    would give each an image role with no name (axe's svg-img-alt). They are marked decoration
    (`aria: false`); the chart's alt text and its table say what the map shows. Only the views
    are visited, never the shapes' coordinates."""
    if not isinstance(spec, dict):
        return spec
    mark = spec.get("mark")
    kind = mark.get("type") if isinstance(mark, dict) else mark
    if kind == "geoshape" and not spec.get("encoding"):
        spec = {**spec, "mark": {**(mark if isinstance(mark, dict) else {"type": "geoshape"}), "aria": False}}
    for key in ("layer", "hconcat", "vconcat", "concat"):
        if isinstance(spec.get(key), list):
            spec = {**spec, key: [quiet_base_layers(view) for view in spec[key]]}
    if isinstance(spec.get("spec"), dict):
        spec = {**spec, "spec": quiet_base_layers(spec["spec"])}
    return spec
