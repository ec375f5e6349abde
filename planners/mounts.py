"""Mounting spots and the headings to try there (SITE_FORMAT §3 "mounting spot").

Spots: the site's ``mount`` features if it has any (points as given, lines
sampled every ``spacing`` metres plus their vertices), else every building
ring and the boundary rings sampled every ``spacing`` metres plus their
corners. A spot on a facade stands on an obstacle edge, which §2 allows;
positions are rounded to the millimetre (what the site file will hold) and a
camera stands at its nearest point of free space, as in analysis.

Headings: every ``heading_step`` degrees plus facade-aware ones — the normal
into free space and the two headings that put one edge of the field of view
along the facade (normal ± (90° − α/2)); with ``into_free_space`` only those
whose central ray enters free space.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.geometry.space import stand_point
from camwatch.model import MOUNT_TOLERANCE_M, Site
from planners.lenses import Lens

POSITION_DECIMALS = 3  # millimetres: positions are written to the site file as they are planned
HEADING_DECIMALS = 1
NORMAL_PROBE_M = 0.5  # radius of the free-space disc whose centroid gives a facade's normal
HEADING_PROBE_M = 0.05  # a heading enters free space when this far along it is still in F


@dataclass(frozen=True)
class MountPoint:
    """A spot where a camera may be mounted."""

    position: tuple[float, float]  # as written to the site file (mm)
    stand: tuple[float, float]  # where the camera stands in free space (§2)
    normal_deg: float | None  # compass bearing into free space, None in the open
    source: str  # "mount", "facade" or "boundary"
    ref: str  # the feature it belongs to, for explanations


def _round_xy(x: float, y: float) -> tuple[float, float]:
    return (round(float(x), POSITION_DECIMALS) + 0.0, round(float(y), POSITION_DECIMALS) + 0.0)


def _rings(poly: Polygon) -> list[LineString]:
    return [LineString(poly.exterior.coords)] + [LineString(r.coords) for r in poly.interiors]


def _sample_line(line: LineString, spacing: float, *, vertices: bool) -> list[tuple[float, float]]:
    """Points every ``spacing`` metres along ``line`` (and its vertices)."""
    if line.length <= 0.0:
        return [(line.coords[0][0], line.coords[0][1])] if not line.is_empty else []
    n = max(1, math.floor(line.length / spacing))
    dists = np.arange(n + 1) * spacing
    dists = dists[dists <= line.length + 1e-9]
    pts = shapely.line_interpolate_point(line, dists)
    out = list(zip(shapely.get_x(pts).tolist(), shapely.get_y(pts).tolist(), strict=True))
    if vertices:
        out += [(float(x), float(y)) for x, y in line.coords]
    else:
        out.append((line.coords[-1][0], line.coords[-1][1]))
    return out


def _normal(stand: tuple[float, float], space: BaseGeometry) -> float | None:
    """Compass bearing from ``stand`` into the free space around it (None in the open)."""
    disc = Point(stand).buffer(NORMAL_PROBE_M, quad_segs=16)
    x0, y0, x1, y1 = disc.bounds
    x0, y0, x1, y1 = disc.bounds
    try:
        near = shapely.clip_by_rect(space, x0, y0, x1, y1)
        if not near.is_valid:
            raise ValueError
    except (shapely.errors.GEOSException, ValueError):  # GEOS's fast clip can be invalid
        near = space.intersection(shapely.box(x0, y0, x1, y1))
    local = near.intersection(disc)
    if local.is_empty or local.area <= 0.0:
        return None
    c = local.centroid
    dx, dy = c.x - stand[0], c.y - stand[1]
    if math.hypot(dx, dy) < 0.02 * NORMAL_PROBE_M:
        return None
    return math.degrees(math.atan2(dx, dy)) % 360.0


def mount_points(
    site: Site, space: BaseGeometry, *, spacing: float = 2.0
) -> tuple[list[MountPoint], list[str]]:
    """Mounting spots of the site, and descriptions of mount features that cannot hold a camera."""
    raw: list[tuple[tuple[float, float], str, str]] = []
    skipped: list[str] = []
    if site.mounts:
        for i, mount in enumerate(site.mounts):
            ref = f"mount #{mount.index if mount.index is not None else i}" + (
                f" '{mount.name}'" if mount.name else ""
            )
            geom = mount.geometry
            if isinstance(geom, Point):
                raw.append(((geom.x, geom.y), "mount", ref))
            else:
                raw += [(p, "mount", ref) for p in _sample_line(geom, spacing, vertices=True)]
    else:
        for i, b in enumerate(site.buildings, 1):
            ref = (
                f"building '{b.name}'"
                if b.name
                else f"building #{b.index if b.index is not None else i}"
            )
            for ring in _rings(b.polygon):
                raw += [(p, "facade", ref) for p in _sample_line(ring, spacing, vertices=True)]
        for ring in _rings(site.boundary):
            raw += [(p, "boundary", "boundary") for p in _sample_line(ring, spacing, vertices=True)]

    seen: set[tuple[float, float]] = set()
    out: list[MountPoint] = []
    for (x, y), source, ref in raw:
        pos = _round_xy(x, y)
        if pos in seen:
            continue
        seen.add(pos)
        pt = Point(pos)
        if (
            pt.distance(site.boundary) > MOUNT_TOLERANCE_M * 0.5
            or pt.distance(space) > MOUNT_TOLERANCE_M * 0.5
        ):
            if source == "mount":
                skipped.append(f"{ref} at ({pos[0]:g}, {pos[1]:g}) is not in free space")
            continue
        stand = stand_point(pos, space)
        out.append(MountPoint(pos, stand, _normal(stand, space), source, ref))
    return out, skipped


def headings_for(
    mount: MountPoint,
    lens: Lens,
    space: BaseGeometry,
    *,
    heading_step: float = 15.0,
    into_free_space: bool = True,
) -> list[float]:
    """Headings (compass degrees, rounded to 0.1°) to try for a lens at a spot.

    ``space`` may be free space or any part of it around the spot (the probe
    is ``HEADING_PROBE_M`` away); a heading whose probe is not strictly inside
    (e.g. running along the facade) is dropped.
    """
    if lens.hfov_deg >= 360.0:
        base = [mount.normal_deg if mount.normal_deg is not None else 0.0]
    else:
        base = list(np.arange(0.0, 360.0, heading_step))
        if mount.normal_deg is not None:
            n = mount.normal_deg
            base.append(n)
            if lens.hfov_deg < 180.0:
                side = 90.0 - lens.hfov_deg / 2.0
                base += [n - side, n + side]
    headings = sorted({round(float(h) % 360.0, HEADING_DECIMALS) % 360.0 + 0.0 for h in base})
    if not into_free_space or lens.hfov_deg >= 360.0:
        return headings
    r = np.radians(np.asarray(headings))
    xs = mount.stand[0] + HEADING_PROBE_M * np.sin(r)
    ys = mount.stand[1] + HEADING_PROBE_M * np.cos(r)
    inside = shapely.contains_xy(space, xs, ys)
    if np.any(inside):  # a ray grazing the facade is not "into" free space
        probes = shapely.points(xs[inside], ys[inside])
        clear = shapely.distance(probes, space.boundary) > HEADING_PROBE_M * 1e-3
        inside[np.flatnonzero(inside)] = clear
    return [h for h, ok in zip(headings, inside.tolist(), strict=True) if ok]
