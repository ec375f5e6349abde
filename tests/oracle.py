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
from shapely.affinity import translate
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

HAIR = 1e-7
GAP = 1e-6  # m: a gap this short next to the viewpoint does not block sight
NEAR_P = 1e-5  # m: how near the viewpoint such a gap must be
SAME_POINT = 1e-6  # m: a free-space corner this near the stand point is the stand point


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
    """How far a ray from p at angle theta travels before leaving the domain's closure.

    A gap shorter than ``GAP`` within ``NEAR_P`` of p is crossed: free space is
    snap-rounded to 0.1 µm, so where a building's corner touches another or the
    boundary, the two sides of a corner mount may meet a grid step apart.
    """
    d = (math.cos(theta), math.sin(theta))
    probe = Point(p[0] + d[0] * 1e-6, p[1] + d[1] * 1e-6)
    if not domain.buffer(1e-6).covers(probe):
        return 0.0
    ray = LineString([p, (p[0] + d[0] * far, p[1] + d[1] * far)])
    inside = ray.intersection(domain)
    parts = [inside] if isinstance(inside, LineString) else list(getattr(inside, "geoms", []))
    spans = []
    for part in parts:
        if isinstance(part, LineString) and not part.is_empty:
            ends = [(x - p[0]) * d[0] + (y - p[1]) * d[1] for x, y in part.coords]
            spans.append((min(ends), max(ends)))
    reached = 0.0
    for start, end in sorted(spans):
        # Only gaps right at p are crossed (within NEAR_P); elsewhere a ray stops at a gap.
        if start > reached + (GAP if reached <= NEAR_P else 1e-12 * far):
            break
        reached = max(reached, end)
    return reached


def ray_visibility(p: tuple[float, float], domain: BaseGeometry) -> BaseGeometry:
    """Visibility polygon of p in ``domain`` by the vertex-ray construction."""
    minx, miny, maxx, maxy = domain.bounds
    far = 2.0 * math.hypot(maxx - minx, maxy - miny) + 1.0
    angles = set()
    for vx, vy in _vertices(domain):
        if math.hypot(vx - p[0], vy - p[1]) < 1e-9:
            continue
        a = math.atan2(vy - p[1], vx - p[0])
        # angles kept in [-π, π): a hair past π wraps round, so no fan triangle spans ±π
        angles.update((b + math.pi) % (2.0 * math.pi) - math.pi for b in (a - HAIR, a, a + HAIR))
    angles.update(np.linspace(-math.pi, math.pi, 16, endpoint=False).tolist())
    pts = []
    for a in sorted(angles):
        dist = _exit_distance(p, a, domain, far)
        pts.append((p[0] + dist * math.cos(a), p[1] + dist * math.sin(a)))
    # The union of the fan triangles p, hit_i, hit_i+1 (one ring through p would cross
    # itself near p when the visible region is pinched there).
    fan = [Polygon([p, a, b]) for a, b in zip(pts, pts[1:] + pts[:1], strict=True)]
    seen = unary_union([t for t in fan if t.is_valid and t.area > 0.0])
    areal = [g for g in getattr(seen, "geoms", [seen]) if isinstance(g, Polygon) and g.area > 0]
    return MultiPolygon(areal) if areal else Polygon()


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


# -- an independent footprint: optics, sector, stand point, written again from docs/coverage.md

# Pixel densities at the target, px/m: EN 62676-4:2015 detection / observation / recognition /
# identification (restated here so a wrong table in camwatch.model would show).
PX_PER_M = (
    ("detection", 25.0),
    ("observation", 62.5),
    ("recognition", 125.0),
    ("identification", 250.0),
)
CHORD_DEG = 1.0  # docs/coverage.md: arcs are chords every 1° of bearing


def oracle_ground_limits(cam) -> tuple[float, float]:
    """(near, far) ground distances of the vertical field; panoramic lenses see (0, ∞)."""
    hfov = cam.hfov
    if hfov >= 180.0:
        return 0.0, math.inf
    w, h = cam.resolution
    beta = (
        cam.vfov_deg
        if cam.vfov_deg is not None
        else 2.0 * math.degrees(math.atan(h / w * math.tan(math.radians(hfov) / 2.0)))
    )
    low_edge = cam.tilt_deg + beta / 2.0  # depression of the lowest sight line
    high_edge = cam.tilt_deg - beta / 2.0  # depression of the highest sight line
    if low_edge <= 0.0:
        return 0.0, 0.0
    near = 0.0 if low_edge >= 90.0 else cam.height_m / math.tan(math.radians(low_edge))
    far = math.inf if high_edge <= 0.0 else cam.height_m / math.tan(math.radians(high_edge))
    return max(near, 0.0), far


def oracle_reach(cam, level: str) -> float:
    """min(DORI distance, far ground limit, range_m) for ``level``."""
    density = dict(PX_PER_M)[level]
    width_px = cam.resolution[0]
    hfov = math.radians(cam.hfov)
    if cam.hfov >= 180.0:
        dori = width_px / density / hfov
    else:
        dori = width_px / density / 2.0 / math.tan(hfov / 2.0)
    limits = [dori, oracle_ground_limits(cam)[1]]
    if cam.range_m is not None:
        limits.append(cam.range_m)
    return min(limits)


def _arc(cx: float, cy: float, r: float, first_deg: float, sweep_deg: float) -> list:
    steps = max(1, math.ceil(sweep_deg / CHORD_DEG))
    out = []
    for k in range(steps + 1):
        t = math.radians(first_deg + sweep_deg * k / steps)
        out.append((cx + r * math.sin(t), cy + r * math.cos(t)))
    return out


def oracle_sector(p, heading: float, hfov: float, near: float, far: float) -> BaseGeometry:
    """Chorded annular wedge of compass bearings heading ± hfov/2 between ``near`` and ``far``."""
    if far <= max(near, 0.0):
        return Polygon()
    if hfov >= 360.0:
        outer = Polygon(_arc(p[0], p[1], far, 0.0, 360.0)[:-1])
        if near <= 0.0:
            return outer
        return outer.difference(Polygon(_arc(p[0], p[1], near, 0.0, 360.0)[:-1]))
    first = heading - hfov / 2.0
    rim = _arc(p[0], p[1], far, first, hfov)
    inner = _arc(p[0], p[1], near, first, hfov)[::-1] if near > 0.0 else [tuple(p)]
    return Polygon(rim + inner)


def oracle_stand_point(position, space: BaseGeometry) -> tuple[float, float]:
    """The camera itself when in free space, else the closest point of free space's outline."""
    here = Point(position)
    if space.is_empty or space.intersects(here):
        return float(position[0]), float(position[1])
    edge = space.boundary
    q = edge.interpolate(edge.project(here))
    return q.x, q.y


def oracle_footprints(cam, space: BaseGeometry) -> dict[str, BaseGeometry]:
    """Per-level footprint: vertex-ray visibility in free space ∩ chorded sector.

    Computed in coordinates centred on the camera (a hair-angle ray from a
    facade mount must start on the facade to 1e-15 m, not to the 5e-10 m of
    CGCS2000-sized coordinates), then moved back.
    """
    ox, oy = cam.position
    local = translate(space, -ox, -oy)
    p = oracle_stand_point((0.0, 0.0), local)
    # A mount at an obstacle's corner stands on that corner of (snap-rounded) free space,
    # so hair-angle rays along its facades start on them. Where two corners touch (a
    # building's corner on the boundary or on another building) snap rounding may leave
    # them a grid step apart: the camera sees from both.
    views = {v for v in _vertices(local) if math.hypot(v[0] - p[0], v[1] - p[1]) <= SAME_POINT}
    near, _ = oracle_ground_limits(cam)
    reaches = {level: oracle_reach(cam, level) for level, _ in PX_PER_M}
    r = max(reaches.values()) + 1.0
    if not r > near + 1.0 or space.is_empty:
        return {level: Polygon() for level in reaches}
    window = Polygon(
        [(p[0] - r, p[1] - r), (p[0] + r, p[1] - r), (p[0] + r, p[1] + r), (p[0] - r, p[1] + r)]
    )
    domain = local.intersection(window)
    seen = unary_union([ray_visibility(v, domain) for v in sorted(views)] if views else [])
    if not views:
        seen = ray_visibility(p, domain)
    return {
        level: translate(
            seen.intersection(oracle_sector(p, cam.heading_deg, cam.hfov, near, reach)), ox, oy
        )
        for level, reach in reaches.items()
    }


def oracle_blind_spots(
    monitored: BaseGeometry,
    covers: list[BaseGeometry],
    *,
    opening: float = 0.001,
    min_m2: float = 1.0,
) -> list[float]:
    """Areas (largest first) of the unwatched parts of at least ``min_m2`` after a 1 mm opening.

    docs/coverage.md: parts joined by a point or a channel narrower than 2 mm are
    separate spots; watched slits narrower than 0.2 mm do not separate spots.
    """
    watched = Polygon()
    for c in covers:
        watched = watched.union(c)
    watched = watched.buffer(-1e-4, join_style="mitre").buffer(1e-4, join_style="mitre")
    rest = monitored.difference(watched)
    areas = []
    for core in getattr(rest.buffer(-opening, join_style="mitre"), "geoms", None) or [
        rest.buffer(-opening, join_style="mitre")
    ]:
        if core.is_empty:
            continue
        spot = core.buffer(opening, join_style="mitre").intersection(monitored)
        areas.append(spot.area)
    return sorted((a for a in areas if a >= min_m2), reverse=True)


def split_corner(position, space: BaseGeometry) -> bool:
    """True where snap rounding left two free-space corners within ``SAME_POINT`` of a camera
    mounted where two corners touch: its viewpoint is ambiguous by a grid step (~1.4e-7 m),
    so a shadow edge past an obstacle d metres away may swing by 1.4e-7/d rad."""
    x, y = position
    return sum(math.hypot(vx - x, vy - y) <= SAME_POINT for vx, vy in _vertices(space)) >= 2
