"""Which side of a ring is its inside, as d3-geo (Vega's maps) reads it, and rings turned to match.

On the sphere a ring has two sides, and d3-geo takes the one on the ring's right (clockwise, seen
from above) as the shape's inside. RFC 7946 asks GeoJSON for the opposite (counter-clockwise
exteriors), which is what ogr2ogr, QGIS and many tools write: drawn as they are, such shapes are
the rest of the world, and the map is one filled rectangle. A ring can also turn over when it is
simplified: a small island put on a grid may come out wound the other way, covering every
neighbour. A polygon that covers more than half the sphere is read here as turned over, as d3's
own users test it (`d3.geoArea(feature) > 2π`): no shape a newsroom maps is that large.

Rings are lists of (longitude, latitude) in degrees; a file in other units (metres) is not
spherical, and nothing here applies to it.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

Point = Sequence[float]
HEMISPHERE = 2 * math.pi  # steradians


def polygon_area(rings: Iterable[Sequence[Point]]) -> float:
    """The area d3.geoArea gives a polygon (its exterior ring and holes), in steradians, 0 to 4π."""
    total = 0.0
    for ring in rings:
        total += _ring_sum(ring)
    return 2 * (total + 2 * math.pi if total < 0 else total)


def _ring_sum(ring: Sequence[Point]) -> float:
    """d3-geo's area stream for one ring: the sum of each edge's signed spherical excess term."""
    if len(ring) < 2:
        return 0.0
    radians = math.pi / 180
    quarter = math.pi / 4
    lam0 = ring[0][0] * radians
    phi = ring[0][1] * radians / 2 + quarter
    cos0, sin0 = math.cos(phi), math.sin(phi)
    total = 0.0
    for point in list(ring[1:]) + [ring[0]]:
        lam = point[0] * radians
        phi = point[1] * radians / 2 + quarter
        delta = lam - lam0
        sign = 1.0 if delta >= 0 else -1.0
        absolute = sign * delta
        cos1, sin1 = math.cos(phi), math.sin(phi)
        k = sin0 * sin1
        total += math.atan2(k * sign * math.sin(absolute), cos0 * cos1 + k * math.cos(absolute))
        lam0, cos0, sin0 = lam, cos1, sin1
    return total


def turned_over(rings: Iterable[Sequence[Point]]) -> bool:
    """Whether d3-geo would draw the polygon as the rest of the sphere."""
    return polygon_area(rings) > HEMISPHERE


def in_degrees(positions: Iterable[Point]) -> bool:
    """Whether every position is a longitude and a latitude (a file in metres is drawn flat)."""
    return all(-180.0000001 <= p[0] <= 180.0000001 and -90.0000001 <= p[1] <= 90.0000001 for p in positions)


def reversed_rings(rings: list) -> list:
    """The polygon with every ring run the other way (holes stay holes: all turn together)."""
    return [list(reversed(ring)) for ring in rings]


def geojson_polygons(geometry: Any) -> list[list]:
    """The polygons (lists of rings) of a GeoJSON Polygon or MultiPolygon geometry."""
    if not isinstance(geometry, dict) or not isinstance(geometry.get("coordinates"), list):
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon for polygon in geometry["coordinates"] if isinstance(polygon, list)]
    return []


def arc_ring(ring: Sequence[int], arcs: Sequence[Sequence[Point]]) -> list[Point]:
    """A TopoJSON ring (arc indexes, ~i for arc i run backwards) as its points."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def reversed_arc_ring(ring: Sequence[int]) -> list[int]:
    """The TopoJSON ring run the other way."""
    return [~index for index in reversed(ring)]
