"""Exact visibility polygons in free space with holes.

Method (exact, not sampled): the region visible from p inside a polygonal
domain D is D minus the union of the *shadows* of D's boundary edges that face
p. The shadow of an edge ab is the part of the plane behind ab as seen from p:
the polygon a, b, and points on the rays p→b and p→a pushed beyond D. A ray
from p that leaves D must first cross a front-facing edge (p on the domain's
side of it), and everything behind that crossing is in that edge's shadow, so
back-facing edges are culled without loss. Edges collinear with p (p on a
facade, or on the line of a wall) cast no shadow. Where p lies on D's boundary,
exit cones remove the directions that leave D at p itself; each part of D
touching p is treated on its own (see docs/coverage.md, "Exact visibility").

The result is exact up to floating-point rounding: every vertex is an input
vertex, an input point moved along a ray, or an intersection of such segments.

Notes: O(n) shadows built in one numpy pass and merged by GEOS's cascaded
union, O(n log n) in practice for n edges. Callers clip D to the camera's
reach first (a wedge star-shaped from p, so visibility inside ``D ∩ wedge``
equals ``V_D(p) ∩ wedge``), which keeps n small. Computed in coordinates local
to p; needles (mean width < 1 µm) dropped. Measured agreement with an
independent vertex-ray construction: ≤ 3e-6 relative (docs/coverage.md, "Accuracy").
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely import orient_polygons
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import polygon_parts

# Relative tolerance under which p counts as collinear with an edge.
COLLINEAR_EPS = 1e-10
# Distance under which a part of the domain counts as containing p.
# (free space is snap-rounded to 1e-7 m, so corners that touch may meet a grid step apart).
TOUCH_EPS = 1e-6
# How far out a probe tells whether a sector at the viewpoint is inside the domain.
PROBE_M = 1e-5
# Visible parts whose mean width (2·area/perimeter) is below this are needles: rounding
# leftovers between the shadows of vertices collinear with p, not something seen.
NEEDLE_WIDTH_M = 1e-6


def _component_at(domain: BaseGeometry, origin: Point) -> list[Polygon]:
    """The parts of ``domain`` that contain or touch ``origin``."""
    return [p for p in polygon_parts(domain) if p.distance(origin) <= TOUCH_EPS]


def _segment_distance(px: float, py: float, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    ap = np.array([px, py]) - a
    denom = np.einsum("ij,ij->i", ab, ab)
    t = np.clip(np.einsum("ij,ij->i", ap, ab) / np.where(denom > 0, denom, 1.0), 0.0, 1.0)
    closest = a + ab * t[:, None]
    return np.hypot(closest[:, 0] - px, closest[:, 1] - py)


def shadows(origin: tuple[float, float], edges: np.ndarray, far: float) -> np.ndarray:
    """Shadow polygons (shapely array) of the front-facing edges as seen from ``origin``.

    ``far`` is a distance beyond which nothing matters; every shadow covers its
    wedge out to at least that distance.
    """
    px, py = origin
    a, b = edges[:, 0, :], edges[:, 1, :]
    pa = a - (px, py)
    pb = b - (px, py)
    la = np.hypot(pa[:, 0], pa[:, 1])
    lb = np.hypot(pb[:, 0], pb[:, 1])
    # cross((b - a), (p - a)) > 0  <=>  p on the left of a→b, i.e. on the domain side.
    cross = pa[:, 0] * pb[:, 1] - pa[:, 1] * pb[:, 0]
    front = cross > COLLINEAR_EPS * np.maximum(la * lb, 1e-300)
    if not np.any(front):
        return np.empty(0, dtype=object)
    pa, pb, la, lb = pa[front], pb[front], la[front], lb[front]
    a, b = a[front], b[front]
    ua = pa / la[:, None]
    ub = pb / lb[:, None]
    mid = ua + ub
    mid /= np.hypot(mid[:, 0], mid[:, 1])[:, None]
    # The wedge spans < 180°, so two chords of < 90° each; their distance from p
    # is at least R·cos(45°), hence R = far·√2 (plus margin) clears ``far``.
    reach = far * math.sqrt(2.0) * 1.01 + 1.0
    origin_arr = np.array([px, py])
    ring = np.stack(
        [a, b, origin_arr + ub * reach, origin_arr + mid * reach, origin_arr + ua * reach, a],
        axis=1,
    )
    return shapely.polygons(ring)


def _rings(polys: list[Polygon]) -> list[np.ndarray]:
    """Each ring's vertices (without the closing repeat), domain on the left."""
    rings = []
    for poly in polys:
        oriented = orient_polygons(poly, exterior_cw=False)
        rings.append(np.asarray(oriented.exterior.coords)[:-1])
        rings.extend(np.asarray(r.coords)[:-1] for r in oriented.interiors)
    return rings


def _fan(origin: np.ndarray, start: float, sweep: float, far: float) -> Polygon:
    """The wedge of bearings [start, start + sweep] (radians, CCW) from origin out past ``far``."""
    steps = max(1, math.ceil(sweep / (math.pi / 4)))
    radius = far / math.cos(math.pi / 8) * 1.01 + 1.0
    angles = start + sweep * np.arange(steps + 1) / steps
    arc = origin + radius * np.column_stack([np.cos(angles), np.sin(angles)])
    return Polygon(np.vstack([origin, arc]))


def _incident_directions(rings: list[np.ndarray]) -> list[float]:
    """Directions (radians) of the boundary edges that leave the viewpoint (0, 0).

    A ring vertex within ``TOUCH_EPS`` of the viewpoint counts as at it (free space is
    snap-rounded, so two obstacles touching at a corner may meet a grid step apart);
    its directions are those to the nearest ring vertices on each side that are not.
    A viewpoint inside an edge gives that edge's two directions.
    """
    dirs: list[float] = []
    for ring in rings:
        n = len(ring)
        if n < 3:
            continue
        nxt = np.roll(ring, -1, axis=0)
        at_vertex = np.hypot(ring[:, 0], ring[:, 1]) <= TOUCH_EPS
        on_edge = (_segment_distance(0.0, 0.0, ring, nxt) <= TOUCH_EPS) & ~at_vertex
        on_edge &= ~np.roll(at_vertex, -1)
        ends = [ring[i] for i in np.flatnonzero(on_edge)] + [
            nxt[i] for i in np.flatnonzero(on_edge)
        ]
        for i in np.flatnonzero(at_vertex):
            for step in (-1, 1):
                k = next((k for k in range(1, n) if not at_vertex[(i + step * k) % n]), None)
                if k is not None:
                    ends.append(ring[(i + step * k) % n])
        dirs.extend(math.atan2(y, x) for x, y in ends)
    return dirs


def exit_cones(part: Polygon, rings: list[np.ndarray], far: float, probe: float) -> list[Polygon]:
    """Directions in which a line of sight leaves the domain at the viewpoint (0, 0) itself.

    When the viewpoint lies on the domain's boundary (a facade mount, the apex
    of a clipping wedge, a corner where two buildings touch) the boundary edges
    leaving it cut the directions into sectors; each sector is wholly inside or
    wholly outside the domain near the viewpoint, and a point on its bisector
    tells which: ``PROBE_M`` out, farther for a narrow sector (clear of the touch
    tolerance), never beyond ``probe`` (half the distance to the nearest other
    edge). The outside sectors are the exit cones.
    """
    dirs = sorted(set(_incident_directions(rings)))
    if not dirs:
        return []
    starts = np.array(dirs)
    sweeps = (np.roll(starts, -1) - starts) % (2.0 * math.pi)
    if len(dirs) == 1:
        sweeps[:] = 2.0 * math.pi
    mids = starts + sweeps / 2.0
    # A narrow sector needs a farther probe to clear the touch tolerance around (0, 0).
    half = np.minimum(sweeps / 2.0, math.pi / 2.0)
    dist = np.minimum(
        probe, np.maximum(PROBE_M, 10.0 * TOUCH_EPS / np.maximum(np.sin(half), 1e-300))
    )
    inside = shapely.contains_xy(part, dist * np.cos(mids), dist * np.sin(mids))
    origin = np.zeros(2)
    return [
        _fan(origin, start, sweep, far)
        for start, sweep, seen in zip(starts, sweeps, inside, strict=True)
        if not seen and sweep > 1e-12
    ]


def _needle(poly: Polygon) -> bool:
    """True for a part of negligible width: mean width 2·area/perimeter below NEEDLE_WIDTH_M."""
    return 2.0 * poly.area < NEEDLE_WIDTH_M * poly.length


def _visible_in_part(part: Polygon, cutoff: float | None) -> list[Polygon]:
    """Visible parts of one component ``part``, in coordinates local to the viewpoint (0, 0).

    Shadows and exit cones come from this component's own rings only: another
    component meeting it at the viewpoint is not in the way of its sight lines.
    """
    rings = _rings([part])
    edges = np.concatenate([np.stack([r, np.roll(r, -1, axis=0)], axis=1) for r in rings])
    dist = _segment_distance(0.0, 0.0, edges[:, 0], edges[:, 1])
    keep = dist > TOUCH_EPS
    if cutoff is not None:
        keep &= dist <= cutoff
    minx, miny, maxx, maxy = part.bounds
    far = max(math.hypot(x, y) for x in (minx, maxx) for y in (miny, maxy))
    blockers = list(shadows((0.0, 0.0), edges[keep], far)) if np.any(keep) else []
    if np.any(dist <= TOUCH_EPS):
        # Probe well beyond the touch tolerance, but nearer than any other edge.
        nearest = float(dist[dist > TOUCH_EPS].min()) if np.any(dist > TOUCH_EPS) else far
        blockers += exit_cones(part, rings, far, nearest / 2.0)
    seen = part.difference(shapely.union_all(blockers)) if blockers else part
    return [p for p in polygon_parts(seen) if p.area > 0.0 and not _needle(p)]


def visible_region(
    origin: tuple[float, float], domain: BaseGeometry, *, cutoff: float | None = None
) -> Polygon | MultiPolygon:
    """The part of ``domain`` visible from ``origin`` (lines of sight stay in ``domain``).

    ``origin`` must lie in the domain or on its boundary. With ``cutoff``, only
    the result within that distance of ``origin`` is guaranteed exact (edges
    wholly farther away are skipped); callers pass a domain already clipped to
    that disc. Each part of the domain that contains or touches ``origin`` is
    treated on its own (parts meeting at the origin, e.g. a view wedge pinched
    at the mount, do not hide each other), in coordinates local to ``origin``
    so the result does not depend on where the site sits; parts of negligible
    width (needles, mean width < ``NEEDLE_WIDTH_M``) are dropped.

    >>> from shapely.geometry import box
    >>> wedge = Polygon([(0, 0), (10, 10), (10, 0)]).union(Polygon([(0, 0), (-10, 10), (-10, 0)]))
    >>> round(visible_region((0.0, 0.0), wedge).area, 6)   # two triangles meeting at the viewpoint
    100.0
    """
    point = Point(origin)
    parts = _component_at(domain, point)
    if not parts:
        return Polygon()
    ox, oy = float(origin[0]), float(origin[1])
    polys: list[Polygon] = []
    for part in parts:
        local = shapely.transform(part, lambda xy: xy - (ox, oy))
        seen = _visible_in_part(local, cutoff)
        polys.extend(shapely.transform(p, lambda xy: xy + (ox, oy)) for p in seen)
    if not polys:
        return Polygon()
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def visibility_polygon(
    origin: tuple[float, float] | Point, free_space: BaseGeometry
) -> Polygon | MultiPolygon:
    """Exact visibility polygon V(p) of a point in free space (holes block sight).

    >>> from shapely.geometry import box
    >>> room = box(0, 0, 10, 10).difference(box(4, 4, 6, 6))
    >>> round(visibility_polygon((1, 1), room).area, 3)
    73.6
    >>> visibility_polygon((20, 20), room).is_empty   # outside free space: sees nothing
    True
    """
    if isinstance(origin, Point):
        origin = (origin.x, origin.y)
    return visible_region((float(origin[0]), float(origin[1])), free_space)
