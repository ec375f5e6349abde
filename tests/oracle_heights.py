"""Independent brute force for the standing-person model (never used by camwatch itself).

Samples ground points q on a fine grid (cell centres) and tests each target point
Q = (q, z) directly in 3-D, sharing no code with :mod:`camwatch.geometry`:

* q in the monitored area (boundary minus every footprint, recomputed here);
* bearing within heading ± hfov/2; depression atan2(H − z, d) within the vertical
  frame (not for panoramic cameras) and at most the maximum depression;
* slant distance √(d² + (H − z)²) within the DORI distance and ``range_m``;
* the 3-D segment CQ against every obstacle prism: it is blocked where it crosses
  a footprint's outline at a point whose height is at most the prism's height
  (the lowest point of the segment inside a footprint is on its outline); the
  boundary blocks any crossing; ``see_through`` walls never block; a prism lower
  than the camera that contains the camera's foot does not block.

The area seen is the number of accepted samples (one per grid cell, jittered) times
the cell area.
"""

from __future__ import annotations

import math

import numpy as np
from shapely.geometry import Point, Polygon
from shapely.ops import nearest_points, unary_union

PX_PER_M = {"detection": 25.0, "observation": 62.5, "recognition": 125.0, "identification": 250.0}
EDGE_T = 1e-9  # crossings this near the camera's foot (parameter along pq) are the mount itself


def prisms(site) -> list[tuple[Polygon, float]]:
    """(footprint, height) of everything that can block sight."""
    out = [(b.polygon, b.height_m) for b in site.buildings]
    out += [(o.polygon, o.height_m) for o in site.obstacles]
    out += [
        (w.line.buffer(w.thickness_m / 2.0, cap_style="flat", join_style="mitre"), w.height_m)
        for w in site.walls
        if not w.see_through
    ]
    return out


def monitored(site):
    """Boundary minus every footprint (see-through walls too: nobody stands in them)."""
    feet = [b.polygon for b in site.buildings] + [o.polygon for o in site.obstacles]
    feet += [
        w.line.buffer(w.thickness_m / 2.0, cap_style="flat", join_style="mitre") for w in site.walls
    ]
    return site.boundary.difference(unary_union(feet))


def _edges(poly: Polygon) -> np.ndarray:
    rings = [poly.exterior, *poly.interiors]
    segs = []
    for ring in rings:
        c = np.asarray(ring.coords)
        segs.append(np.stack([c[:-1], c[1:]], axis=1))
    return np.concatenate(segs)


def _crossings(p: np.ndarray, q: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Parameters t ∈ [0, 1] along p→q (one row per q, NaN where none) of crossings with edges."""
    r = q - p  # (N, 2)
    a = edges[:, 0]  # (E, 2)
    s = edges[:, 1] - a
    denom = r[:, None, 0] * s[None, :, 1] - r[:, None, 1] * s[None, :, 0]  # (N, E)
    ap = a[None, :, :] - p
    with np.errstate(divide="ignore", invalid="ignore"):
        t = (ap[..., 0] * s[None, :, 1] - ap[..., 1] * s[None, :, 0]) / denom
        u = (ap[..., 0] * r[:, None, 1] - ap[..., 1] * r[:, None, 0]) / denom
    ok = (denom != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1)
    return np.where(ok, t, np.nan)


def _vfov(cam) -> float:
    if cam.vfov_deg is not None:
        return float(cam.vfov_deg)
    w, h = cam.resolution
    return math.degrees(2 * math.atan(math.tan(math.radians(cam.hfov) / 2) * h / w))


def dori(cam, level: str) -> float:
    a = math.radians(cam.hfov)
    w = cam.resolution[0]
    if cam.hfov >= 180.0:
        return w / (a * PX_PER_M[level])
    return w / (2 * PX_PER_M[level] * math.tan(a / 2))


def foot(cam, site, space) -> tuple[float, float]:
    """Where the camera stands: itself unless inside something at least as high (or outside)."""
    pt = Point(cam.position)
    inside_tall = any(poly.intersects(pt) and h >= cam.height_m for poly, h in prisms(site))
    if site.boundary.covers(pt) and not inside_tall:
        return cam.position
    near = nearest_points(space, pt)[0]
    return (near.x, near.y)


def seen_area(
    cam, site, level: str, z: float, max_depression: float | None, cell: float = 0.05, seed: int = 0
) -> float:
    """Area (m²) where a target at height ``z`` is seen at ``level`` (stratified sampling)."""
    space = monitored(site)
    px, py = foot(cam, site, space)
    p = np.array([px, py])
    limit = dori(cam, level) if cam.range_m is None else min(dori(cam, level), cam.range_m)
    drop = cam.height_m - z
    if limit <= abs(drop):
        return 0.0
    reach = math.sqrt(limit**2 - drop**2)
    xs = np.arange(px - reach + cell / 2, px + reach, cell)
    ys = np.arange(py - reach + cell / 2, py + reach, cell)
    gx, gy = np.meshgrid(xs, ys)
    # One point per cell, jittered (stratified sampling): a grid aligned with a straight
    # edge would count whole rows of cells in or out and bias the estimate.
    jitter = np.random.default_rng(seed).uniform(-cell / 2, cell / 2, size=(gx.size, 2))
    q = np.column_stack([gx.ravel(), gy.ravel()]) + jitter
    dx, dy = q[:, 0] - px, q[:, 1] - py
    d = np.hypot(dx, dy)
    keep = (d > 0) & (np.hypot(d, drop) <= limit)
    if cam.hfov < 360.0:
        bearing = np.degrees(np.arctan2(dx, dy))
        off = (bearing - cam.heading_deg + 180.0) % 360.0 - 180.0
        keep &= np.abs(off) <= cam.hfov / 2
    phi = np.degrees(np.arctan2(drop, d))
    if cam.hfov < 180.0:
        half = _vfov(cam) / 2
        keep &= (phi >= cam.tilt_deg - half) & (phi <= cam.tilt_deg + half)
    if max_depression is not None:
        keep &= phi <= max_depression
    q = q[keep]
    if len(q) == 0:
        return 0.0
    inside = np.zeros(len(q), dtype=bool)
    for part in getattr(space, "geoms", [space]):
        from shapely import contains_xy

        inside |= contains_xy(part, q[:, 0], q[:, 1])
    q = q[inside]
    ok = np.ones(len(q), dtype=bool)
    t = _crossings(p, q, _edges(site.boundary))
    ok &= ~np.any(t > EDGE_T, axis=1)
    for poly, h in prisms(site):
        if h < cam.height_m and poly.contains(Point(px, py)):
            continue
        live = np.flatnonzero(ok)
        if len(live) == 0:
            break
        t = _crossings(p, q[live], _edges(poly))
        height = cam.height_m + (z - cam.height_m) * t
        blocked = np.any((t > EDGE_T) & (height <= h), axis=1)
        ok[live[blocked]] = False
    return float(ok.sum()) * cell * cell
