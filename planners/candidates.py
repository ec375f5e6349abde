"""Candidate cameras: where a new camera may go and where it may look.

Mounting spots (SITE_FORMAT §3): the site's ``mount`` features if it has any
(points as given, lines sampled every ``spacing`` metres), else the building
facades and the boundary sampled every ``spacing`` metres plus their corners.
A spot on a facade stands on an obstacle edge, which §2 allows; positions are
rounded to the millimetre (what the site file will hold) and a camera stands
at its nearest point of free space, as in analysis.

Headings: every ``heading_step`` degrees (15) plus facade-aware ones — the
facade normal pointing into free space and the two headings that put one edge
of the field of view along the facade (normal ± (90° − α/2)); with
``into_free_space`` only headings whose central ray enters free space are kept.
Every (spot, heading, lens) whose footprint within the demand is empty is dropped.

Notes: one exact visibility polygon per spot (:func:`visible_region` on free
space clipped to a disc of the largest reach), reused for every heading, lens
and level; a footprint is then ``V ∩ demand ∩ sector``, computed in one
vectorised shapely call per spot. Mathematically equal to
:func:`camwatch.geometry.footprint.camera_footprints` restricted to the demand
(the planner's results are re-checked by a full :func:`analyze`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.geometry.footprint import sector
from camwatch.geometry.optics import ground_limits, reach
from camwatch.geometry.space import free_space as site_free_space
from camwatch.geometry.space import stand_point
from camwatch.geometry.visibility import visible_region
from camwatch.model import MOUNT_TOLERANCE_M, Camera, Site
from planners.lenses import Lens

POSITION_DECIMALS = 3  # millimetres: positions are written to the site file as they are planned
HEADING_DECIMALS = 1
NORMAL_PROBE_M = 0.5  # radius of the free-space disc whose centroid gives a facade's normal
HEADING_PROBE_M = 0.05  # a heading enters free space when this far along it is still in F
EMPTY = Polygon()


@dataclass(frozen=True)
class MountPoint:
    """A spot where a camera may be mounted."""

    position: tuple[float, float]  # as written to the site file (mm)
    stand: tuple[float, float]  # where the camera stands in free space (§2)
    normal_deg: float | None  # compass bearing into free space, None in the open
    source: str  # "mount", "facade" or "boundary"
    ref: str  # the feature it belongs to, for explanations


@dataclass(frozen=True)
class Candidate:
    """One candidate camera: a mount spot, a heading and a lens."""

    index: int
    mount: int
    position: tuple[float, float]
    heading_deg: float
    lens: int
    cost: float


@dataclass
class CandidateSet:
    """Candidates with their footprints within the demand, per level.

    ``footprints[level][i]`` is candidate ``i``'s footprint at ``level``
    clipped to ``within[level]`` (the area still to cover); ``areas`` the same
    as numbers.
    """

    mounts: list[MountPoint]
    lenses: list[Lens]
    candidates: list[Candidate]
    levels: tuple[str, ...]
    footprints: dict[str, np.ndarray]
    areas: dict[str, np.ndarray]
    skipped_mounts: list[str] = field(default_factory=list)
    spots_considered: int = 0
    spacing: float = 2.0

    def __len__(self) -> int:
        return len(self.candidates)

    def camera(self, i: int, camera_id: str, *, status: str = "planned") -> Camera:
        """Candidate ``i`` as a camera of the site."""
        cand = self.candidates[i]
        return self.lenses[cand.lens].camera(
            camera_id, cand.position, cand.heading_deg, status=status
        )

    def costs(self) -> np.ndarray:
        return np.array([c.cost for c in self.candidates], dtype=float)


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
    local = shapely.clip_by_rect(space, x0, y0, x1, y1).intersection(disc)
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
    """Headings (compass degrees, rounded to 0.1°) to try for a lens at a spot."""
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
    sx, sy = mount.stand
    keep = []
    for h in headings:
        r = math.radians(h)
        probe = Point(sx + HEADING_PROBE_M * math.sin(r), sy + HEADING_PROBE_M * math.cos(r))
        if space.covers(probe):
            keep.append(h)
    return keep


def _areal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polys = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and g.area > 0.0]
    if not polys:
        return EMPTY
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


def _disc(center: tuple[float, float], radius: float) -> Polygon:
    """A polygon containing the disc of ``radius`` (circumscribed 64-gon)."""
    segs = 16
    r = radius / math.cos(math.pi / (4 * segs)) * (1 + 1e-9) + 1e-6
    return Point(center).buffer(r, quad_segs=segs)


def _local(geom: BaseGeometry, disc: Polygon) -> BaseGeometry:
    x0, y0, x1, y1 = disc.bounds
    return shapely.clip_by_rect(geom, x0, y0, x1, y1)


def generate_candidates(
    site: Site,
    lenses: Sequence[Lens],
    *,
    space: BaseGeometry | None = None,
    spacing: float = 2.0,
    levels: Sequence[str] = ("detection",),
    within: Mapping[str, BaseGeometry] | None = None,
    heading_step: float = 15.0,
    into_free_space: bool = True,
) -> CandidateSet:
    """All candidate cameras with a non-empty footprint in ``within`` at some level.

    ``within`` maps a level to the area that still counts at that level (by
    default all of free space); footprints are clipped to it.
    """
    space = site_free_space(site) if space is None else space
    levels = tuple(levels)
    within = dict(within or {})
    mounts, skipped = mount_points(site, space, spacing=spacing)
    probes = [lens.camera("probe", (0.0, 0.0), 0.0) for lens in lenses]
    limits = [ground_limits(cam) for cam in probes]
    reaches = [{lv: reach(cam, lv) for lv in levels} for cam in probes]
    radius = max((max(r.values()) for r in reaches), default=0.0)
    radius = min(
        radius,
        max(
            site.boundary.bounds[2] - site.boundary.bounds[0],
            site.boundary.bounds[3] - site.boundary.bounds[1],
        )
        * 1.5,
    )

    cands: list[Candidate] = []
    fps: dict[str, list[BaseGeometry]] = {lv: [] for lv in levels}
    used_mounts: list[MountPoint] = []
    if radius <= 0.0:
        return CandidateSet(
            [],
            list(lenses),
            [],
            levels,
            {lv: np.empty(0, object) for lv in levels},
            {lv: np.empty(0) for lv in levels},
            skipped,
            len(mounts),
            spacing,
        )
    for mount in mounts:
        disc = _disc(mount.stand, radius)
        domain = _areal(_local(space, disc).intersection(disc))
        if domain.is_empty:
            continue
        vis = visible_region(mount.stand, domain, cutoff=radius)
        if vis.is_empty:
            continue
        seen: dict[str, BaseGeometry] = {}
        for lv in levels:
            region = within.get(lv)
            seen[lv] = vis if region is None else _areal(vis.intersection(_local(region, disc)))
        if all(g.is_empty for g in seen.values()):
            continue
        rows: list[tuple[int, float]] = []
        sectors: dict[str, list[BaseGeometry]] = {lv: [] for lv in levels}
        for li, lens in enumerate(lenses):
            near, _far = limits[li]
            for h in headings_for(
                mount, lens, space, heading_step=heading_step, into_free_space=into_free_space
            ):
                rows.append((li, h))
                for lv in levels:
                    r = reaches[li][lv]
                    ok = not seen[lv].is_empty and r > near
                    sectors[lv].append(
                        sector(mount.stand, h, lens.hfov_deg, near, r) if ok else EMPTY
                    )
        if not rows:
            continue
        per_level = {}
        for lv in levels:
            arr = np.empty(len(rows), dtype=object)
            arr[:] = sectors[lv]
            per_level[lv] = shapely.intersection(seen[lv], arr)
        mount_index = None
        for k, (li, h) in enumerate(rows):
            parts = {lv: _areal(per_level[lv][k]) for lv in levels}
            if all(p.is_empty for p in parts.values()):
                continue
            if mount_index is None:
                used_mounts.append(mount)
                mount_index = len(used_mounts) - 1
            cands.append(
                Candidate(len(cands), mount_index, mount.position, h, li, lenses[li].unit_cost)
            )
            for lv in levels:
                fps[lv].append(parts[lv])
    footprints = {}
    for lv in levels:
        arr = np.empty(len(cands), dtype=object)
        arr[:] = fps[lv]
        footprints[lv] = arr
    areas = {
        lv: shapely.area(footprints[lv]).astype(float) if len(cands) else np.empty(0)
        for lv in levels
    }
    return CandidateSet(
        used_mounts, list(lenses), cands, levels, footprints, areas, skipped, len(mounts), spacing
    )
