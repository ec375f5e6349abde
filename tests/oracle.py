"""Independent oracles for the geometry tests (never used by camwatch itself).

- :func:`ray_visibility`: the classical vertex-ray construction of a visibility
  polygon — shoot a ray at every boundary vertex (and a hair to each side),
  take the first exit from the domain, join the hit points in angular order.
  Exact for polygonal domains up to the hair angle; a different algorithm from
  camwatch's shadow union.
- :func:`sampled_area`: Monte Carlo estimate of the area a camera sees, testing
  each sample point's line of sight with a segment-in-polygon check.
"""

from __future__ import annotations

import math

import numpy as np
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.validation import make_valid

HAIR = 1e-7


def _vertices(geom: BaseGeometry) -> list[tuple[float, float]]:
    if isinstance(geom, Polygon):
        polys = [geom]
    else:
        polys = [p for g in getattr(geom, "geoms", []) for p in getattr(g, "geoms", [g])]
        polys = [p for p in polys if isinstance(p, Polygon)]
    pts = []
    for poly in polys:
        pts.extend(poly.exterior.coords[:-1])
        for ring in poly.interiors:
            pts.extend(ring.coords[:-1])
    return pts


def _exit_distance(p: tuple[float, float], theta: float, domain: BaseGeometry, far: float) -> float:
    """How far a ray from p at angle theta travels before leaving the domain's closure."""
    d = (math.cos(theta), math.sin(theta))
    probe = Point(p[0] + d[0] * 1e-6, p[1] + d[1] * 1e-6)
    if not domain.buffer(1e-9).covers(probe):
        return 0.0
    ray = LineString([p, (p[0] + d[0] * far, p[1] + d[1] * far)])
    inside = ray.intersection(domain)
    parts = [inside] if isinstance(inside, LineString) else list(getattr(inside, "geoms", []))
    origin = Point(p)
    for part in parts:
        if isinstance(part, LineString) and part.distance(origin) < 1e-7:
            return part.length
    return 0.0


def ray_visibility(p: tuple[float, float], domain: BaseGeometry) -> BaseGeometry:
    """Visibility polygon of p in ``domain`` by the vertex-ray construction."""
    minx, miny, maxx, maxy = domain.bounds
    far = 2.0 * math.hypot(maxx - minx, maxy - miny) + 1.0
    angles = set()
    for vx, vy in _vertices(domain):
        if math.hypot(vx - p[0], vy - p[1]) < 1e-9:
            continue
        a = math.atan2(vy - p[1], vx - p[0])
        angles.update((a - HAIR, a, a + HAIR))
    angles.update(np.linspace(-math.pi, math.pi, 16, endpoint=False).tolist())
    pts = []
    for a in sorted(angles):
        dist = _exit_distance(p, a, domain, far)
        pts.append((p[0] + dist * math.cos(a), p[1] + dist * math.sin(a)))
    poly = make_valid(Polygon(pts))
    areal = [g for g in getattr(poly, "geoms", [poly]) if isinstance(g, Polygon | MultiPolygon)]
    return (
        MultiPolygon([q for g in areal for q in getattr(g, "geoms", [g])]) if areal else Polygon()
    )


def sampled_area(
    p: tuple[float, float], region: BaseGeometry, domain: BaseGeometry, n: int, seed: int = 0
) -> tuple[float, float]:
    """Monte Carlo area of the points of ``region`` that see p within ``domain``.

    Returns (estimate, standard error).
    """
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = region.bounds
    box_area = (maxx - minx) * (maxy - miny)
    if box_area == 0:
        return 0.0, 0.0
    tol_domain = domain.buffer(1e-7)
    hits = 0
    xs = rng.uniform(minx, maxx, n)
    ys = rng.uniform(miny, maxy, n)
    for x, y in zip(xs, ys, strict=True):
        q = Point(x, y)
        if region.contains(q) and tol_domain.covers(LineString([p, (x, y)])):
            hits += 1
    frac = hits / n
    return frac * box_area, math.sqrt(frac * (1 - frac) / n) * box_area
