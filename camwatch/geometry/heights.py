"""Exact footprints in the standing-person model (docs/site-format.md §4).

A ground position q is seen at level L when the target point (q, z_L) is in the
camera's frame, resolved (slant distance) and not hidden. Frame and resolution
are an annulus of horizontal distances (:func:`~camwatch.geometry.optics.standing_limits`).
Occlusion by an obstacle of height h seen from a camera at height H:

* h ≥ max(H, z): blocks as in the ground model (it is cut out of the domain);
* h ≤ min(H, z): never blocks;
* z < h < H: a *bounded* shadow. Along a ray from the camera's foot p the sight
  line falls, so it is lowest where it leaves the footprint (distance b); it
  clears the obstacle beyond distance k·b, k = (H − z)/(H − h). The shadow is
  the union over the footprint's exit edges ab (p on the footprint's side) of
  the quadrilateral a, b, p + k(b − p), p + k(a − p);
* H < h < z (a target above a low camera): the sight line rises, it is lowest
  where it enters the footprint (distance a) and is blocked beyond k·a: the
  unbounded shadow of the entry edges scaled by k about p.

Walls marked ``see_through`` never block. A camera standing inside the footprint
of an obstacle lower than itself (a pole on a wall) stands there, and that
obstacle does not block it. The boundary blocks as in the ground model.

Notes: per camera, one exact visibility computation per distinct target height
(usually one for all four levels) in the domain clipped to the widest wedge;
obstacles are found through one STRtree, and the domain (boundary minus the
obstacles that block fully) is cached per set of such obstacles. The result is
restricted to the monitored area M, so lower obstacles' footprints (which
sight crosses) are never counted as covered: those near the wedge are subtracted.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import shapely
from shapely import orient_polygons
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import ROBUST_GRID_M, areal, polygon_parts
from camwatch.geometry.footprint import EMPTY, clip_wedge, sector
from camwatch.geometry.optics import standing_limits
from camwatch.geometry.space import stand_point
from camwatch.geometry.visibility import COLLINEAR_EPS, shadows, visible_region
from camwatch.model import Camera, Site

Footprints = dict[str, Polygon | MultiPolygon]
STANDS_KEPT = 4096  # stand points a scene remembers (per camera position and height)


class Scene:
    """What the standing model needs of a site, computed once for all cameras.

    Every sight blocker (buildings, obstacles, walls that are not ``see_through``)
    with its height, an STRtree over their footprints, the monitored area M and a
    cache of domains (boundary minus the blockers that block fully). See-through walls
    are kept with height −∞: they never block, and their footprints are not watched.
    """

    def __init__(self, site: Site, monitored: BaseGeometry | None = None) -> None:
        blockers = [(b.polygon, b.height_m) for b in site.buildings]
        blockers += [(o.polygon, o.height_m) for o in site.obstacles]
        # A see-through wall never blocks (height −∞) but, like every footprint, is not watched.
        blockers += [(w.footprint, -math.inf if w.see_through else w.height_m) for w in site.walls]
        self.boundary = site.boundary
        self.polygons = [p for p, _ in blockers]
        self.heights = np.array([h for _, h in blockers], dtype=float)
        self.tree = shapely.STRtree(self.polygons)
        self.monitored = site.free_space() if monitored is None else monitored
        self._domains: dict[frozenset[int], BaseGeometry] = {}
        self._blocking: dict[float, frozenset[int]] = {}
        self.stands: dict[tuple[float, float, float], tuple[float, float]] = {}  # x, y, height

    def blocking(self, top: float) -> frozenset[int]:
        """Indices of the blockers at least ``top`` high (they block fully)."""
        found = self._blocking.get(top)
        if found is None:
            found = frozenset(np.flatnonzero(self.heights >= top).tolist())
            self._blocking[top] = found
        return found

    def domain(self, blocking: frozenset[int]) -> BaseGeometry:
        """Boundary minus the blockers ``blocking`` (indices), snap-rounded as free space is."""
        cached = self._domains.get(blocking)
        if cached is None:
            if len(blocking) == len(self.polygons):
                cached = self.monitored  # every opaque thing blocks: free space itself
            else:
                opaque = shapely.union_all(
                    [self.polygons[i] for i in sorted(blocking)], grid_size=ROBUST_GRID_M
                )
                cached = areal(self.boundary.difference(opaque, grid_size=ROBUST_GRID_M))
            self._domains[blocking] = cached
        return cached


def _exit_quads(origin: np.ndarray, poly: Polygon, ratio: float, far: float) -> list[Polygon]:
    """Quadrilaterals between each exit edge of ``poly`` (seen from ``origin``) and its image
    under the homothety about ``origin`` with ``ratio`` (capped where the image is beyond
    ``far``: the part within ``far`` of ``origin`` is unchanged)."""
    oriented = orient_polygons(poly, exterior_cw=False)  # the footprint on each edge's left
    rings = [np.asarray(oriented.exterior.coords)] + [
        np.asarray(r.coords) for r in oriented.interiors
    ]
    quads: list[Polygon] = []
    for ring in rings:
        a = ring[:-1] - origin
        b = ring[1:] - origin
        cross = a[:, 0] * b[:, 1] - a[:, 1] * b[:, 0]
        length = np.hypot(*(b - a).T)
        scale = np.maximum(np.hypot(*a.T) * np.hypot(*b.T), 1e-300)
        front = cross > COLLINEAR_EPS * scale  # origin on the footprint's side: an exit edge
        if not np.any(front):
            continue
        a, b = a[front], b[front]
        line_dist = cross[front] / length[front]
        k = np.minimum(ratio, np.maximum(1.0, far * 1.01 / line_dist))[:, None]
        ring4 = np.stack([a, b, b * k, a * k, a], axis=1) + origin
        quads.extend(shapely.polygons(ring4))
    return quads


def _entry_shadows(origin: np.ndarray, poly: Polygon, ratio: float, far: float) -> list[Polygon]:
    """Shadows beyond the entry edges of ``poly`` scaled by ``ratio`` about ``origin``."""
    oriented = orient_polygons(poly, exterior_cw=True)  # the footprint on each edge's right
    rings = [np.asarray(oriented.exterior.coords)] + [
        np.asarray(r.coords) for r in oriented.interiors
    ]
    edges = np.concatenate(
        [np.stack([(r[:-1] - origin) * ratio, (r[1:] - origin) * ratio], axis=1) for r in rings]
    )
    a, b = edges[:, 0], edges[:, 1]
    ab = b - a
    t = np.clip(
        -np.einsum("ij,ij->i", a, ab) / np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-300), 0, 1
    )
    edges = edges[np.hypot(*(a + ab * t[:, None]).T) <= far]  # edges wholly beyond reach: none
    if len(edges) == 0:
        return []
    # ``shadows`` needs every edge within its ``far``: the scaled edges may reach past it.
    out = shadows((0.0, 0.0), edges, max(far, float(np.abs(edges).max()) * math.sqrt(2.0)))
    return [shapely.transform(s, lambda xy: xy + origin) for s in out]


def _hidden(
    scene: Scene, near: list[int], origin: np.ndarray, camera_h: float, target_h: float, far: float
) -> list[Polygon]:
    """Shadows of the obstacles between the camera's and the target's heights."""
    out: list[Polygon] = []
    for i in near:
        h = float(scene.heights[i])
        if not (min(camera_h, target_h) < h < max(camera_h, target_h)):
            continue
        poly = scene.polygons[i]
        ratio = (camera_h - target_h) / (camera_h - h)
        if h < camera_h:
            if poly.contains(Point(origin)):
                continue  # the camera stands on it (a pole on a wall)
            out.extend(_exit_quads(origin, poly, ratio, far))
        else:
            out.extend(_entry_shadows(origin, poly, ratio, far))
    return out


def standing_stand_point(camera: Camera, scene: Scene) -> tuple[float, float]:
    """Where the camera stands: its own position when that is inside the boundary and
    inside no blocker at least as high as the camera; else as in the ground model.

    Remembered per position and height in the scene (the footprints and the
    analysis's camera result both ask)."""
    key = (float(camera.position[0]), float(camera.position[1]), float(camera.height_m))
    found = scene.stands.get(key)
    if found is None:
        if len(scene.stands) >= STANDS_KEPT:
            scene.stands.clear()  # bounded: a long-lived scene (the web's) sees many moves
        found = scene.stands[key] = _stand_point(camera, scene)
    return found


def _stand_point(camera: Camera, scene: Scene) -> tuple[float, float]:
    point = Point(camera.position)
    if scene.boundary.covers(point):
        hits = scene.tree.query(point, predicate="intersects")
        if not any(scene.heights[i] >= camera.height_m for i in hits):
            return (float(camera.position[0]), float(camera.position[1]))
    return stand_point(camera.position, scene.monitored)


def standing_footprints(
    camera: Camera,
    scene: Scene,
    targets: Mapping[str, float],
    depressions: Mapping[str, float | None],
) -> Footprints:
    """Footprint per level in the standing model (docs/site-format.md §4).

    ``targets`` gives z_L and ``depressions`` δ_L (None: no limit) per level; its keys are
    the levels computed (a ladder's names, camwatch.ladders).

    >>> from shapely.geometry import box
    >>> from camwatch.model import LEVELS, Camera, Obstacle, Site, SiteInfo
    >>> cam = Camera(id="c", position=(0.0, 5.0), height_m=4.0, heading_deg=90, hfov_deg=60)
    >>> hedge = Obstacle(box(3, 0, 4, 10), height_m=1.2)   # below a 1.6 m face: no shadow
    >>> site = Site(SiteInfo("s"), box(-1, 0, 30, 10), obstacles=(hedge,))
    >>> fps = standing_footprints(cam, Scene(site), dict.fromkeys(LEVELS, 1.6), {})
    >>> fps["detection"].area > 150
    True
    """
    origin_t = standing_stand_point(camera, scene)
    levels = tuple(targets)
    limits = {lv: standing_limits(camera, lv, targets[lv], depressions.get(lv)) for lv in levels}
    radius = max((far for near, far in limits.values() if far > near), default=0.0)
    result: Footprints = dict.fromkeys(levels, EMPTY)
    if not radius > 0.0 or not math.isfinite(radius):
        return result
    wedge = clip_wedge(camera, origin_t, radius)
    near_idx = [int(i) for i in scene.tree.query(wedge)]
    seen_by_height: dict[float, BaseGeometry] = {}
    for level in levels:
        near, far = limits[level]
        if not far > near:
            continue
        z = float(targets[level])
        if z not in seen_by_height:
            seen_by_height[z] = _visible_for(scene, camera, origin_t, wedge, near_idx, z, radius)
        seen = seen_by_height[z]
        if seen.is_empty:
            continue
        cone = sector(origin_t, camera.heading_deg, camera.hfov, near, far)
        result[level] = areal(seen.intersection(cone))
    return result


def _visible_for(
    scene: Scene,
    camera: Camera,
    origin: tuple[float, float],
    wedge: Polygon,
    near_idx: list[int],
    z: float,
    radius: float,
) -> BaseGeometry:
    """What the camera sees of targets at height ``z`` within its widest wedge, inside M."""
    blocking = scene.blocking(max(camera.height_m, z))
    domain = scene.domain(blocking)
    minx, miny, maxx, maxy = wedge.bounds
    local = areal(domain.intersection(shapely.box(minx, miny, maxx, maxy)).intersection(wedge))
    if local.is_empty:
        return EMPTY
    seen: BaseGeometry = visible_region(origin, local, cutoff=radius)
    hidden = _hidden(scene, near_idx, np.array(origin), camera.height_m, z, radius)
    if hidden and not seen.is_empty:
        seen = seen.difference(shapely.union_all(hidden))
    crossed = [scene.polygons[i] for i in near_idx if i not in blocking]
    if crossed and not seen.is_empty:
        # Lower footprints are crossed by sight, not watched (M excludes every footprint).
        seen = seen.difference(shapely.union_all(crossed))
    return areal(seen) if polygon_parts(seen) else EMPTY


def standing_visible(
    scene: Scene,
    camera: Camera,
    origin: tuple[float, float],
    region: Polygon,
    z: float,
    radius: float,
) -> BaseGeometry:
    """What ``camera`` standing at ``origin`` sees of targets at height ``z`` within
    ``region``, inside M, in the standing model (docs/site-format.md §4).

    ``region`` must be star-shaped from ``origin`` and within ``radius`` of it (the
    camera's widest wedge, or a disc, which serves every heading at once: the planners
    share it between candidates, docs/planners.md). Only the camera's height is used.
    A level's footprint is this region ∩ its annular sector (:func:`standing_limits`).
    """
    near_idx = [int(i) for i in scene.tree.query(region)]
    return _visible_for(scene, camera, origin, region, near_idx, z, radius)
