"""Shapes as a story's data/ folder holds them: GeoJSON and TopoJSON, checked where they are read.

A map drawn from a broken file fails far from its cause (Vega draws nothing, or a sliver of the
world): a feature without geometry, or coordinates in metres from a projected export, are told here
at the file's line, before a chart reads them. The TopoJSON decoding (arcs, transform) is here too,
so the checks and the build's simplification read the same numbers.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from .diagnostics import Diagnostic, SourceLocation, did_you_mean, error, warning

_FEATURE = re.compile(r'"type"\s*:\s*"Feature"')
_NUMBER = r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"


def is_topology(document: Any) -> bool:
    return isinstance(document, dict) and document.get("type") == "Topology" and isinstance(document.get("objects"), dict)


def is_geojson(document: Any) -> bool:
    return isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature", "Polygon",
                                                                   "MultiPolygon", "LineString", "MultiLineString",
                                                                   "Point", "MultiPoint", "GeometryCollection")


def object_names(document: Any) -> list[str]:
    """The objects a TopoJSON file offers to `feature` and `mesh`, in the file's order."""
    return list(document["objects"]) if is_topology(document) else []


def line_of(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


def problems(document: Any, text: str, path: str) -> list[Diagnostic]:
    """What makes a shapes file unusable for a map, each at its line (the first of each kind)."""
    if is_topology(document):
        return _topology_problems(document, text, path)
    if is_geojson(document):
        return _geojson_problems(document, text, path)
    if path.lower().endswith((".geojson", ".topojson")):
        kind = "TopoJSON" if path.lower().endswith(".topojson") else "GeoJSON"
        return [error("geo-not-shapes", f"{path.rsplit('/', 1)[-1]} is not {kind}: its top level has no "
                      f"\"type\": \"{'Topology' if kind == 'TopoJSON' else 'FeatureCollection'}\"",
                      SourceLocation(path, 1), "export the file again as " + kind + " (QGIS, ogr2ogr), "
                      "or give it the extension .json if it is a table")]
    return []


def _features(document: dict) -> list:
    if document.get("type") == "Feature":
        return [document]
    features = document.get("features")
    return features if isinstance(features, list) else []


def _geojson_problems(document: dict, text: str, path: str) -> list[Diagnostic]:
    found = []
    for index, feature in enumerate(_features(document)):
        geometry = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(geometry, dict) or not geometry.get("type"):
            line, column = _nth_feature(text, index)
            found.append(no_geometry(path, line, column, f"feature {index + 1}", _label(feature)))
            break
    for position in positions_of(document):
        if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            found.append(out_of_range(path, text, position))
            break
    return found


def _label(feature: Any) -> str:
    properties = feature.get("properties") if isinstance(feature, dict) else None
    properties = properties if isinstance(properties, dict) else {}
    name = feature.get("id") if isinstance(feature, dict) and "id" in feature else next(iter(properties.values()), None)
    return f" ({name})" if name is not None else ""


def _nth_feature(text: str, index: int) -> tuple[int, int]:
    for number, match in enumerate(_FEATURE.finditer(text)):
        if number == index:
            start = text.rfind("{", 0, match.start())
            return line_of(text, max(start, 0))
    return 1, 1


def no_geometry(path: str, line: int, column: int, which: str, label: str) -> Diagnostic:
    return error("geo-no-geometry", f"{which}{label} has no geometry: the map would leave a hole with no word why",
                 SourceLocation(path, line, column),
                 "give it its shape, or remove it from the file (a value for a place without a shape goes in the CSV)")


def out_of_range(path: str, text: str, position) -> Diagnostic:
    x, y = position[0], position[1]
    offset = _offset_of_pair(text, x, y)
    line, column = line_of(text, offset) if offset >= 0 else (1, 1)
    return error("geo-out-of-range", f"coordinates [{x:.10g}, {y:.10g}] are not a longitude and a latitude "
                 "(longitude goes from -180 to 180, latitude from -90 to 90)", SourceLocation(path, line, column),
                 "the file is probably projected (in metres, e.g. Lambert 93): export it again in WGS 84 "
                 "longitude/latitude (EPSG:4326), e.g. `ogr2ogr -t_srs EPSG:4326 out.geojson in.shp`, or QGIS's Export with that CRS"
                 f"; {_FLAT}")


_FLAT = ("or, to draw the file as it is, give the chart the projection "
         "`{\"type\": \"identity\", \"reflectY\": true}` (alt.Projection(type=\"identity\", reflectY=True))")


def _offset_of_pair(text: str, x: float, y: float) -> int:
    """Where the pair [x, y] is written in the file (the first number that reads as x followed by y)."""
    for match in re.finditer(rf"\[\s*({_NUMBER})\s*,\s*({_NUMBER})", text):
        if float(match.group(1)) == x and float(match.group(2)) == y:
            return match.start()
    return -1


def positions_of(document: Any) -> Iterator[list]:
    """Every [x, y] of a GeoJSON document, in order."""
    def walk(coordinates):
        if isinstance(coordinates, list) and coordinates and isinstance(coordinates[0], (int, float)):
            if len(coordinates) >= 2 and all(isinstance(c, (int, float)) for c in coordinates[:2]):
                yield coordinates
        elif isinstance(coordinates, list):
            for item in coordinates:
                yield from walk(item)

    stack = [document]
    while stack:
        node = stack.pop(0)
        if isinstance(node, dict):
            if "coordinates" in node:
                yield from walk(node["coordinates"])
            for key in ("features", "geometries"):
                if isinstance(node.get(key), list):
                    stack.extend(node[key])
            if isinstance(node.get("geometry"), dict):
                stack.append(node["geometry"])


def decoded_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs of a TopoJSON topology in the file's coordinates (delta decoding and `transform` undone)."""
    transform = topology.get("transform") if isinstance(topology.get("transform"), dict) else None
    (kx, ky), (dx, dy) = (transform["scale"], transform["translate"]) if transform else ((1, 1), (0, 0))
    arcs = []
    for arc in topology.get("arcs") or []:
        x = y = 0
        points = []
        for position in arc if isinstance(arc, list) else []:
            if transform:
                x, y = x + position[0], y + position[1]
                points.append((x * kx + dx, y * ky + dy))
            else:
                points.append((float(position[0]), float(position[1])))
        arcs.append(points)
    return arcs


def geometries_of(geometry: Any) -> Iterator[dict]:
    """The geometries of a TopoJSON object, GeometryCollections opened."""
    if isinstance(geometry, dict):
        if geometry.get("type") == "GeometryCollection":
            for child in geometry.get("geometries") or []:
                yield from geometries_of(child)
        else:
            yield geometry


def _null_shapes(name: str, geometries: list[dict], text: str, path: str) -> list[Diagnostic]:
    """TopoJSON's null objects (`"type": null`) in one object. One whose id is also a shape of the
    object leaves no hole (us-10m.json, Vega's own US map, holds hundreds): nothing to say. A
    place with no shape at all draws nothing: a warning naming them (most are places too small
    for the file's scale; a value for one in a table is `map-key-unmatched` at the chart's lookup).
    A null object with no id can be nothing but a hole: an error, as before."""
    shaped = {str(g["id"]) for g in geometries if g.get("type") and "id" in g}
    unshaped = [(index, g) for index, g in enumerate(geometries) if not g.get("type") and str(g.get("id")) not in shaped]
    if not unshaped:
        return []
    match = re.search(r'"type"\s*:\s*null', text)
    line, column = line_of(text, match.start()) if match else (1, 1)
    nameless = [(index, g) for index, g in unshaped if "id" not in g]
    if nameless:
        return [no_geometry(path, line, column, f"shape {nameless[0][0] + 1} of object '{name}'", "")]
    ids = [str(g["id"]) for _, g in unshaped]
    listed = ", ".join(ids[:8]) + (f" and {len(ids) - 8} more" if len(ids) > 8 else "")
    return [warning("geo-unshaped", f"{len(ids)} place{'s' if len(ids) > 1 else ''} of object '{name}' "
                    f"ha{'ve' if len(ids) > 1 else 's'} no shape (\"type\": null; {listed}): a map of it draws "
                    "nothing for them", SourceLocation(path, line, column),
                    "nothing is lost if they are places too small for the file's scale; otherwise export the file "
                    "again with their shapes. Removing them from the file silences this")]


def _topology_problems(topology: dict, text: str, path: str) -> list[Diagnostic]:
    found = []
    for name, top in topology["objects"].items():
        found += _null_shapes(name, list(geometries_of(top)), text, path)
        if found:
            break
    for arc in decoded_arcs(topology):
        bad = next((p for p in arc if not (-180.0000001 <= p[0] <= 180.0000001 and -90.0000001 <= p[1] <= 90.0000001)),
                   None)
        if bad is not None:
            match = re.search(r'"arcs"\s*:', text)
            line, column = line_of(text, match.start()) if match else (1, 1)
            found.append(error("geo-out-of-range", f"the arcs reach [{bad[0]:.10g}, {bad[1]:.10g}], which is not a "
                               "longitude and a latitude (longitude goes from -180 to 180, latitude from -90 to 90)",
                               SourceLocation(path, line, column),
                               "the file is probably projected (in metres, or pre-projected for albersUsa): "
                               f"export it again in WGS 84 longitude/latitude (EPSG:4326); {_FLAT}"))
            break
    return found


def unknown_object(name: str, document: dict, path: str, chart_path: str, line: int, column: int,
                   how: str) -> Diagnostic:
    names = object_names(document)
    return error("geo-object-unknown", f"{path.rsplit('/', 1)[-1]} has no object '{name}' for `{how}`",
                 SourceLocation(chart_path, line, column),
                 f"{did_you_mean(name, names)}its objects are: {', '.join(names) or 'none'}")
