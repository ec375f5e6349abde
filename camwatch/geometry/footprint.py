"""Camera footprints: what a camera sees on the ground at each DORI level.

footprint_L = V(p) ∩ Sector(p, heading, α, near, min(d_L, far, range_m))
(docs/site-format.md §2), with V the exact visibility polygon in free space.

Notes: arcs are chords every ``ARC_STEP_DEG`` (1°): the relative area
error of a chorded sector is 1 − sin(Δ)/Δ ≈ Δ²/6 = 5.1e-5 < 1e-4 (0.01 %,
docs/coverage.md "Decisions": half-degree chords cost a quarter to a third
more time in every overlay of the analysis and the planners).
One visibility computation per camera serves all four levels: the domain is
clipped first to the camera's widest wedge, which is star-shaped from p, so
visibility inside the clipped domain equals V(p) ∩ wedge exactly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import areal
from camwatch.geometry.optics import ground_limits, max_reach, reach
from camwatch.geometry.space import stand_point
from camwatch.geometry.visibility import visible_region
from camwatch.model import LEVELS, Camera

ARC_STEP_DEG = 1.0  # degrees of bearing per chord of every arc
APEX_BACK_M = 1e-3  # the clipping wedge's apex sits this far behind the camera
EMPTY = Polygon()


@functools.lru_cache(maxsize=4096)
def _bearing_units(start_deg: float, sweep_deg: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """sin and cos of the n + 1 compass bearings start .. start+sweep (read-only arrays).

    Remembered: a camera's wedge and every level's sector share their bearings.
    """
    bearings = np.radians(start_deg + sweep_deg * np.arange(n + 1) / n)
    sin, cos = np.sin(bearings), np.cos(bearings)
    sin.flags.writeable = cos.flags.writeable = False
    return sin, cos


def _bearing_points(
    origin: tuple[float, float], radius: float, start_deg: float, sweep_deg: float, n: int
) -> np.ndarray:
    """Points at ``radius`` on compass bearings start .. start+sweep (clockwise from north)."""
    sin, cos = _bearing_units(start_deg, sweep_deg, n)
    return np.column_stack([origin[0] + radius * sin, origin[1] + radius * cos])


def sector(
    origin: tuple[float, float], heading_deg: float, hfov_deg: float, near: float, far: float
) -> Polygon:
    """Annular wedge of bearings heading ± hfov/2 between radii ``near`` and ``far``.

    Compass bearings: 0 = north (+y), 90 = east (+x). hfov ≥ 360 gives a full
    annulus (a disc when near = 0). Empty when far ≤ near.

    >>> round(sector((0, 0), 0, 90, 0, 10).area, 1)   # quarter disc, π·100/4
    78.5
    >>> sector((0, 0), 0, 90, 5, 5).is_empty
    True
    """
    if not far > near or far <= 0.0:
        return EMPTY
    near = max(near, 0.0)
    if hfov_deg >= 360.0:
        n = math.ceil(360.0 / ARC_STEP_DEG)
        outer = _bearing_points(origin, far, 0.0, 360.0, n)[:-1]
        holes = [_bearing_points(origin, near, 0.0, 360.0, n)[:-1][::-1]] if near > 0 else []
        return Polygon(outer, holes)
    n = max(1, math.ceil(hfov_deg / ARC_STEP_DEG))
    start = heading_deg - hfov_deg / 2.0
    outer = _bearing_points(origin, far, start, hfov_deg, n)
    inner = (
        _bearing_points(origin, near, start, hfov_deg, n)[::-1]
        if near > 0
        else np.array([origin], dtype=float)
    )
    return Polygon(np.vstack([outer, inner]))


def clip_wedge(camera: Camera, origin: tuple[float, float], radius: float) -> Polygon:
    """The camera's widest wedge, grown to contain every level's sector and a neighbourhood of
    ``origin``.

    It circumscribes the true arc (radius / cos(Δ/2)) and its apex sits ``APEX_BACK_M``
    behind the camera, so the free space right around the camera is not cut by the
    wedge's edges: where two corners touch at the mount, snap rounding may have left
    them a grid step apart, and clipping at the camera itself would leave a sliver
    apex a few µm away, hidden behind that step. The grown wedge is still
    star-shaped from the camera (the camera lies in its kernel).
    """
    if camera.hfov > 180.0:
        # A reflex wedge with its apex moved back is no longer a safe clip: near the camera
        # its edges run a millimetre beside lines of sight, and at a touching corner a
        # visible sliver came out of it (docs/coverage.md, "Exact visibility"). The whole
        # disc is star-shaped from the camera and contains every sector.
        step = math.radians(ARC_STEP_DEG) / 2.0
        return sector(origin, 0.0, 360.0, 0.0, radius / math.cos(step) * (1 + 1e-9))
    n = max(1, math.ceil(min(camera.hfov, 360.0) / ARC_STEP_DEG))
    half_step = math.radians(min(camera.hfov, 360.0) / n) / 2.0
    back = math.radians(camera.heading_deg)
    apex = (origin[0] - APEX_BACK_M * math.sin(back), origin[1] - APEX_BACK_M * math.cos(back))
    far = (radius + APEX_BACK_M) / math.cos(half_step) * (1 + 1e-9)
    return sector(apex, camera.heading_deg, camera.hfov, 0.0, far)


def visible_wedge(
    camera: Camera,
    free_space: BaseGeometry,
    *,
    levels: Sequence[str] = LEVELS,
    origin: tuple[float, float] | None = None,
) -> Polygon | MultiPolygon:
    """V(p) ∩ the camera's widest wedge (of ``levels``): the part of free space the camera
    could see at all. ``origin`` may pass the camera's :func:`stand_point` in ``free_space``."""
    near, far = ground_limits(camera)
    radius = max_reach(camera, levels)
    if not radius > near or radius <= 0.0:
        return EMPTY
    if origin is None:
        origin = stand_point(camera.position, free_space)
    wedge = clip_wedge(camera, origin, radius)
    minx, miny, maxx, maxy = wedge.bounds
    # An exact overlay with the wedge's bounding box first keeps the wedge overlay small.
    # (GEOS's faster clip_by_rect is not used: it can return invalid or collapsed rings.)
    local = free_space.intersection(shapely.box(minx, miny, maxx, maxy))
    domain = areal(local.intersection(wedge))
    if domain.is_empty:
        return EMPTY
    return visible_region(origin, domain, cutoff=radius)


def camera_footprints(
    camera: Camera,
    free_space: BaseGeometry,
    *,
    visible: BaseGeometry | None = None,
    levels: Sequence[str] = LEVELS,
    origin: tuple[float, float] | None = None,
) -> dict[str, Polygon | MultiPolygon]:
    """Footprint per level of ``levels`` (a ladder's names, lowest first; default DORI:
    detection ⊇ observation ⊇ recognition ⊇ identification).

    ``visible`` may pass a precomputed :func:`visible_wedge` of the camera (of the same levels),
    ``origin`` its :func:`stand_point` in ``free_space`` (one nearest-point search, not two).

    >>> from shapely.geometry import box
    >>> from camwatch.model import Camera
    >>> cam = Camera(id="c", position=(0.0, 5.0), heading_deg=270, hfov_deg=90)
    >>> camera_footprints(cam, box(0, 0, 10, 10))["detection"].is_empty  # faces the wall
    True
    """
    near, _ = ground_limits(camera)
    if origin is None:
        origin = stand_point(camera.position, free_space)
    if visible is None:
        visible = visible_wedge(camera, free_space, levels=levels, origin=origin)
    result: dict[str, Polygon | MultiPolygon] = {}
    for level in levels:
        radius = reach(camera, level)
        if visible.is_empty or not radius > near:
            result[level] = EMPTY
            continue
        cone = sector(origin, camera.heading_deg, camera.hfov, near, radius)
        result[level] = areal(visible.intersection(cone))
    return result
