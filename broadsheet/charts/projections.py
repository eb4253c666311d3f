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


def _conic_equidistant(parallels: tuple[float, float]) -> Raw:
    y0, y1 = (math.radians(p) for p in parallels)
    n = math.sin(y0) if abs(y0 - y1) < 1e-9 else (math.cos(y0) - math.cos(y1)) / (y1 - y0)
    if abs(n) < 1e-9:
        return _equirectangular
    g = math.cos(y0) / n + y0

    def project(lam: float, phi: float) -> tuple[float, float]:
        gy, nx = g - phi, n * lam
        return gy * math.sin(nx), g - gy * math.cos(nx)

    return project


def _azimuthal(scale: Callable[[float], float]) -> Raw:
    """d3's azimuthal family: the point's distance from the centre scaled by `scale(cos c)`."""
    def project(lam: float, phi: float) -> tuple[float, float]:
        cos_lam, cos_phi = math.cos(lam), math.cos(phi)
        k = scale(cos_lam * cos_phi)
        return k * cos_phi * math.sin(lam), k * math.sin(phi)

    return project


def _equidistant_scale(cos_c: float) -> float:
    c = math.acos(max(min(cos_c, 1.0), -1.0))
    return c / math.sin(c) if c > 1e-9 and math.sin(c) > 1e-9 else 1.0


def _natural_earth(lam: float, phi: float) -> tuple[float, float]:
    p2 = phi * phi
    p4 = p2 * p2
    return (lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4))),
            phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4))))


def _transverse_mercator(lam: float, phi: float) -> tuple[float, float]:
    """North up, as d3 turns its transverse Mercator (its 90° third rotation)."""
    b = max(min(math.cos(phi) * math.sin(lam), 1 - 1e-12), -1 + 1e-12)
    return 0.5 * math.log((1 + b) / (1 - b)), math.atan2(math.tan(phi), math.cos(lam))


# d3-geo's defaults: conicConformal's parallels [30, 30]; the other conics [0, 60]; albers its own.
_DEFAULT_PARALLELS = {"conicConformal": (30.0, 30.0), "albers": (29.5, 45.5)}
_AZIMUTHAL = {
    "azimuthalEqualArea": lambda cos_c: math.sqrt(2 / max(1 + cos_c, 1e-12)),
    "azimuthalEquidistant": _equidistant_scale,
    "orthographic": lambda cos_c: 1.0,
    "stereographic": lambda cos_c: 1 / max(1 + cos_c, 1e-12),
}
# How far from its centre d3 draws each projection (its clipAngle), in degrees; 180: the whole sphere.
CLIP_ANGLES = {"orthographic": 90.0, "gnomonic": 60.0, "stereographic": 142.0}


def _gnomonic(lam: float, phi: float) -> tuple[float, float]:
    k = math.cos(phi) * math.cos(lam)
    k = k if abs(k) > 1e-12 else 1e-12
    return math.cos(phi) * math.sin(lam) / k, math.sin(phi) / k


def raw(projection: dict) -> Raw | None:
    """The raw formula of a Vega projection (`{"type": …, "parallels": …}`), or None when not known here."""
    kind = projection.get("type") or "equalEarth"
    parallels = projection.get("parallels")
    parallels = tuple(parallels) if isinstance(parallels, (list, tuple)) and len(parallels) == 2 \
        else _DEFAULT_PARALLELS.get(kind, (0.0, 60.0))
    if kind == "conicConformal":
        return _conic_conformal(parallels)
    if kind in ("conicEqualArea", "albers"):
        return _conic_equal_area(parallels)
    if kind == "conicEquidistant":
        return _conic_equidistant(parallels)
    if kind in _AZIMUTHAL:
        return _azimuthal(_AZIMUTHAL[kind])
    return {"equalEarth": _equal_earth, "mercator": _mercator, "equirectangular": _equirectangular,
            "naturalEarth1": _natural_earth, "transverseMercator": _transverse_mercator,
            "gnomonic": _gnomonic}.get(kind)


def _rotation(projection: dict) -> Callable[[float, float], tuple[float, float]]:
    """d3's rotation of the sphere by the projection's `rotate` [λ, φ, γ] (degrees), on radians."""
    rotate = projection.get("rotate")
    angles = [float(a) if isinstance(a, (int, float)) and not isinstance(a, bool) else 0.0
              for a in (rotate if isinstance(rotate, (list, tuple)) else [])][:3]
    if not angles and projection.get("type") == "albers":
        angles = [96.0]  # d3's albers is turned to the United States
    d_lam, d_phi, d_gamma = (math.radians(a) for a in (angles + [0.0, 0.0, 0.0])[:3])
    cos_dp, sin_dp, cos_dg, sin_dg = math.cos(d_phi), math.sin(d_phi), math.cos(d_gamma), math.sin(d_gamma)

    def turn(lam: float, phi: float) -> tuple[float, float]:
        lam = (lam + d_lam + math.pi) % (2 * math.pi) - math.pi
        if not d_phi and not d_gamma:
            return lam, phi
        cos_phi = math.cos(phi)
        x, y, z = math.cos(lam) * cos_phi, math.sin(lam) * cos_phi, math.sin(phi)
        k = z * cos_dp + x * sin_dp
        return (math.atan2(y * cos_dg - k * sin_dg, x * cos_dp - z * sin_dp),
                math.asin(max(min(k * cos_dg + y * sin_dg, 1.0), -1.0)))

    return turn


def aspect(projection: dict, points: Iterable[tuple[float, float]]) -> float | None:
    """Height / width of the points' extent once projected (longitude and latitude in degrees),
    after the projection's `rotate`, leaving out what the projection clips (the far side of an
    orthographic globe); None when the projection is not known here."""
    project = raw(projection)
    if project is None:
        return None
    turn = _rotation(projection)
    clip = projection.get("clipAngle")
    clip = float(clip) if isinstance(clip, (int, float)) and not isinstance(clip, bool) and clip > 0 \
        else CLIP_ANGLES.get(projection.get("type") or "", 180.0)
    cos_clip = math.cos(math.radians(min(clip, 180.0))) if clip < 180 else -2.0
    xs: list[float] = []
    ys: list[float] = []
    for lon, lat in points:
        lam, phi = turn(math.radians(lon), math.radians(lat))
        if math.cos(lam) * math.cos(phi) < cos_clip:
            continue
        x, y = project(lam, phi)
        if math.isfinite(x) and math.isfinite(y):
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
