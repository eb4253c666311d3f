"""The projections a map's height is fitted with: the same formulas as d3-geo (which Vega draws
with), in plain Python, so the build knows the shapes' projected extent before Vega fits them.

Only the aspect of that extent matters (Vega-Lite scales and moves the projection so the shapes fill
the drawing), so each formula is the raw one: no scale, no translation. A projection not listed here
returns None and the caller falls back to an estimate.
"""
from __future__ import annotations

import math
from typing import Callable, Iterable

Raw = Callable[[float, float], tuple[float, float]]  # (λ, φ) in radians -> (x, y), y growing north

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796  # Equal Earth's polynomial (Šavrič et al. 2018)
_M = math.sqrt(3) / 2


def _equal_earth(lam: float, phi: float) -> tuple[float, float]:
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    return x, theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))


def _mercator(lam: float, phi: float) -> tuple[float, float]:
    phi = max(min(phi, math.radians(85)), math.radians(-85))
    return lam, math.log(math.tan(math.pi / 4 + phi / 2))


def _equirectangular(lam: float, phi: float) -> tuple[float, float]:
    return lam, phi


def _conic_conformal(parallels: tuple[float, float]) -> Raw:
    y0, y1 = (math.radians(p) for p in parallels)

    def tany(y: float) -> float:
        return math.tan((math.pi / 2 + y) / 2)

    n = math.sin(y0) if abs(y0 - y1) < 1e-9 else math.log(math.cos(y0) / math.cos(y1)) / math.log(tany(y1) / tany(y0))
    if abs(n) < 1e-9:
        return _mercator
    f = math.cos(y0) * tany(y0) ** n / n

    def project(lam: float, phi: float) -> tuple[float, float]:
        phi = max(min(phi, math.pi / 2 - 1e-6), -math.pi / 2 + 1e-6)
        r = f / tany(phi) ** n
        return r * math.sin(n * lam), f - r * math.cos(n * lam)

    return project


def _conic_equal_area(parallels: tuple[float, float]) -> Raw:
    s0, s1 = (math.sin(math.radians(p)) for p in parallels)
    n = (s0 + s1) / 2
    if abs(n) < 1e-9:
        return lambda lam, phi: (lam * math.cos(math.radians(parallels[0])), math.sin(phi) / math.cos(math.radians(parallels[0])))
    c = 1 + s0 * (2 * n - s0)
    r0 = math.sqrt(c) / n

    def project(lam: float, phi: float) -> tuple[float, float]:
        r = math.sqrt(max(c - 2 * n * math.sin(phi), 0.0)) / n
        return r * math.sin(lam * n), r0 - r * math.cos(lam * n)

    return project


_DEFAULT_PARALLELS = {"conicConformal": (30.0, 30.0), "conicEqualArea": (29.5, 45.5), "albers": (29.5, 45.5)}


def raw(projection: dict) -> Raw | None:
    """The raw formula of a Vega projection (`{"type": …, "parallels": …}`), or None when not known here."""
    kind = projection.get("type") or "equalEarth"
    parallels = projection.get("parallels")
    parallels = tuple(parallels) if isinstance(parallels, (list, tuple)) and len(parallels) == 2 \
        else _DEFAULT_PARALLELS.get(kind, (30.0, 30.0))
    if kind == "conicConformal":
        return _conic_conformal(parallels)
    if kind in ("conicEqualArea", "albers"):
        return _conic_equal_area(parallels)
    return {"equalEarth": _equal_earth, "mercator": _mercator, "equirectangular": _equirectangular}.get(kind)


def aspect(projection: dict, points: Iterable[tuple[float, float]]) -> float | None:
    """Height / width of the points' extent once projected (longitude and latitude in degrees),
    after the projection's `rotate` in longitude; None when the projection is not known here."""
    project = raw(projection)
    if project is None:
        return None
    rotate = projection.get("rotate")
    turn = float(rotate[0]) if isinstance(rotate, (list, tuple)) and rotate and isinstance(rotate[0], (int, float)) \
        else 96.0 if projection.get("type") == "albers" else 0.0  # d3's albers is turned to the United States
    xs: list[float] = []
    ys: list[float] = []
    for lon, lat in points:
        lam = math.radians((lon + turn + 180) % 360 - 180)
        x, y = project(lam, math.radians(lat))
        xs.append(x)
        ys.append(y)
    if not xs or max(xs) - min(xs) <= 0:
        return None
    return (max(ys) - min(ys)) / (max(xs) - min(xs))


# d3's albersUsa: the lower 48 states, Alaska (a third of the scale) and Hawaii, each a conic
# equal-area projection (rotation, centre, parallels), placed at fixed offsets and clipped to its box.
_ALBERS_USA = (  # (rotate λ, centre, parallels, scale, offset, clip box (x0, y0, x1, y1)), in units of the scale
    (96.0, (-0.6, 38.7), (29.5, 45.5), 1.0, (0.0, 0.0), (-.455, -.238, .455, .238)),
    (154.0, (-2.0, 58.5), (55.0, 65.0), 0.35, (-.307, .201), (-.425, .120, -.214, .234)),
    (157.0, (-3.0, 19.9), (8.0, 18.0), 1.0, (-.205, .212), (-.214, .166, -.115, .234)),
)


def albers_usa_aspect(points: Iterable[tuple[float, float]]) -> float | None:
    """Height / width of the points' extent in albersUsa (points outside its three boxes dropped, as d3 does)."""
    parts = [(turn, _conic_equal_area(parallels), centre, scale, offset, box)
             for turn, centre, parallels, scale, offset, box in _ALBERS_USA]
    parts = [(turn, project, project(math.radians(centre[0]), math.radians(centre[1])), scale, offset, box)
             for turn, project, centre, scale, offset, box in parts]
    xs: list[float] = []
    ys: list[float] = []
    for lon, lat in points:
        for turn, project, centre, scale, offset, box in parts:
            x, y = project(math.radians((lon + turn + 180) % 360 - 180), math.radians(lat))
            x, y = (x - centre[0]) * scale + offset[0], -(y - centre[1]) * scale + offset[1]
            if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                xs.append(x)
                ys.append(y)
                break
    if not xs or max(xs) - min(xs) <= 0:
        return None
    return (max(ys) - min(ys)) / (max(xs) - min(xs))
