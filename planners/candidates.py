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
from collections.abc import Sequence
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
PARALLEL_MIN_SPOTS = 400  # below this, forking costs more than it saves
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
    """Candidates with their footprints within the demand, per region.

    ``footprints[r][i]`` is candidate ``i``'s footprint at region ``r``'s level
    clipped to the region (the area still to cover); ``areas`` the same as
    numbers.
    """

    mounts: list[MountPoint]
    lenses: list[Lens]
    candidates: list[Candidate]
    regions: list[tuple[str, BaseGeometry | None]]
    footprints: list[np.ndarray]
    areas: list[np.ndarray]
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
    local = _local(space, disc).intersection(disc)
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


def _areal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    polys = [g for g in shapely.get_parts(geom) if isinstance(g, Polygon) and g.area > 0.0]
    if not polys:
        return EMPTY
    return polys[0] if len(polys) == 1 else MultiPolygon(polys)


class _CellClipper:
    """Geometries pre-cut to the cells of a coarse grid, so each spot clips a small piece.

    A spot in cell (i, j) (side ``step``) only needs what lies within ``radius``
    of the cell; that piece is cut once per cell and reused by every spot in it.
    """

    def __init__(self, geoms: Sequence[BaseGeometry | None], radius: float) -> None:
        self.geoms = list(geoms)
        self.step = max(radius, 1.0)
        self.pad = radius * 1.05 + 1.0
        self.cache: dict[tuple[int, int], list[BaseGeometry | None]] = {}

    def key(self, point: tuple[float, float]) -> tuple[int, int]:
        return (math.floor(point[0] / self.step), math.floor(point[1] / self.step))

    def around(self, point: tuple[float, float]) -> list[BaseGeometry | None]:
        key = self.key(point)
        if key not in self.cache:
            x0 = key[0] * self.step - self.pad
            y0 = key[1] * self.step - self.pad
            x1 = (key[0] + 1) * self.step + self.pad
            y1 = (key[1] + 1) * self.step + self.pad
            box = shapely.box(x0, y0, x1, y1)
            self.cache[key] = [None if g is None else _local_box(g, box) for g in self.geoms]
        return self.cache[key]


def _overlap(a: tuple[float, ...], b: tuple[float, ...] | None) -> bool:
    """Whether two (minx, miny, maxx, maxy) boxes meet (False for no box)."""
    return b is not None and a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _disc(center: tuple[float, float], radius: float) -> Polygon:
    """A polygon containing the disc of ``radius`` (circumscribed 64-gon)."""
    segs = 16
    r = radius / math.cos(math.pi / (4 * segs)) * (1 + 1e-9) + 1e-6
    return Point(center).buffer(r, quad_segs=segs)


def _local(geom: BaseGeometry, disc: Polygon) -> BaseGeometry:
    """``geom`` cut to the disc's bounding box."""
    return _local_box(geom, shapely.box(*disc.bounds))


def _local_box(geom: BaseGeometry, box: Polygon) -> BaseGeometry:
    """``geom`` cut to an axis-aligned box (fast clip; exact overlay if GEOS's clip is invalid)."""
    x0, y0, x1, y1 = box.bounds
    try:
        out = shapely.clip_by_rect(geom, x0, y0, x1, y1)
        if out.is_valid:
            return out
    except shapely.errors.GEOSException:  # a collapsed ring in the clipped output
        pass
    return _areal(geom.intersection(box))


class _Spots:
    """Per-run state of candidate generation; :meth:`candidates_at` handles one spot."""

    def __init__(
        self,
        space: BaseGeometry,
        lenses: Sequence[Lens],
        regions: list[tuple[str, BaseGeometry | None]],
        radius_cap: float,
        heading_step: float,
        into_free_space: bool,
    ) -> None:
        self.lenses, self.regions = list(lenses), regions
        self.heading_step, self.into_free_space = heading_step, into_free_space
        probes = [lens.camera("probe", (0.0, 0.0), 0.0) for lens in lenses]
        self.limits = [ground_limits(cam) for cam in probes]
        self.reaches = [{lv: reach(cam, lv) for lv, _ in regions} for cam in probes]
        radius = max((max(r.values(), default=0.0) for r in self.reaches), default=0.0)
        self.radius = min(radius, radius_cap)
        self.templates: dict[tuple[int, float, str], BaseGeometry] = {}
        self.bounds = [
            area.bounds if area is not None and not area.is_empty else None for _, area in regions
        ]
        self.cells = _CellClipper([space] + [area for _, area in regions], self.radius)

    def template(self, li: int, h: float, level: str) -> BaseGeometry:
        """The sector of lens ``li`` at heading ``h`` and ``level``, at the origin (cached)."""
        key = (li, h, level)
        if key not in self.templates:
            near, r = self.limits[li][0], self.reaches[li][level]
            hfov = self.lenses[li].hfov_deg
            self.templates[key] = sector((0.0, 0.0), h, hfov, near, r) if r > near else EMPTY
        return self.templates[key]

    def candidates_at(self, mount: MountPoint) -> list[tuple[int, float, list[BaseGeometry]]]:
        """(lens, heading, footprint per region) of every useful candidate at ``mount``."""
        if self.radius <= 0.0:
            return []
        disc = _disc(mount.stand, self.radius)
        near_parts = self.cells.around(mount.stand)
        domain = _areal(_local(near_parts[0], disc).intersection(disc))
        if domain.is_empty:
            return []
        vis = visible_region(mount.stand, domain, cutoff=self.radius)
        if vis.is_empty:
            return []
        vb = vis.bounds
        seen = [
            vis
            if area is None
            else EMPTY
            if not _overlap(vb, self.bounds[r])
            else _areal(vis.intersection(_local(near_parts[r + 1], disc)))
            for r, (_, area) in enumerate(self.regions)
        ]
        if all(g.is_empty for g in seen):
            return []
        rows = [
            (li, h)
            for li, lens in enumerate(self.lenses)
            for h in headings_for(
                mount,
                lens,
                domain,
                heading_step=self.heading_step,
                into_free_space=self.into_free_space,
            )
        ]
        if not rows:
            return []
        stand = np.asarray(mount.stand, dtype=float)
        parts = np.empty((len(self.regions), len(rows)), dtype=object)
        parts[:] = EMPTY
        for r, (level, _) in enumerate(self.regions):
            if seen[r].is_empty:
                continue
            shapes = np.empty(len(rows), dtype=object)
            shapes[:] = [self.template(li, h, level) for li, h in rows]
            # translating the template adds the same numbers sector(stand, ...) would
            placed = shapely.transform(shapes, lambda c, o=stand: c + o)
            parts[r] = [_areal(g) for g in shapely.intersection(seen[r], placed)]
        return [
            (li, h, list(parts[:, k]))
            for k, (li, h) in enumerate(rows)
            if not all(g.is_empty for g in parts[:, k])
        ]


_ACTIVE: tuple[_Spots, list[MountPoint]] | None = None  # shared with forked workers


def _work(chunk: list[int]) -> list[tuple[int, list[tuple[int, float, list[BaseGeometry]]]]]:
    assert _ACTIVE is not None
    spots, mounts = _ACTIVE
    return [(i, spots.candidates_at(mounts[i])) for i in chunk]


def _run(spots: _Spots, mounts: list[MountPoint], workers: int) -> list[list]:
    """Candidates of every mount, in mount order; forked worker processes when asked."""
    global _ACTIVE
    if workers <= 1 or len(mounts) < PARALLEL_MIN_SPOTS:
        return [spots.candidates_at(m) for m in mounts]
    import multiprocessing

    # contiguous chunks keep each worker's cell cache warm; more chunks than workers balance load
    order = sorted(range(len(mounts)), key=lambda i: spots.cells.key(mounts[i].stand) + (i,))
    n_chunks = workers * 4
    chunks = [
        order[len(order) * k // n_chunks : len(order) * (k + 1) // n_chunks]
        for k in range(n_chunks)
    ]
    _ACTIVE = (spots, mounts)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            done = pool.map(_work, chunks)
    finally:
        _ACTIVE = None
    out: list[list] = [[] for _ in mounts]
    for part in done:
        for i, rows in part:
            out[i] = rows
    return out


def generate_candidates(
    site: Site,
    lenses: Sequence[Lens],
    *,
    space: BaseGeometry | None = None,
    spacing: float = 2.0,
    regions: Sequence[tuple[str, BaseGeometry | None]] = (("detection", None),),
    heading_step: float = 15.0,
    into_free_space: bool = True,
    workers: int | None = None,
) -> CandidateSet:
    """All candidate cameras whose footprint meets some region.

    ``regions`` lists ``(level, area)`` pairs — the demand pieces; a
    candidate's footprint at the region's level is clipped to the area
    (``None``: all of free space). ``footprints[r][i]`` is candidate ``i``'s
    part of region ``r``. ``workers`` > 1 spreads the spots over forked
    processes (for sites with many spots); the result is the same.
    """
    space = site_free_space(site) if space is None else space
    regions = list(regions)
    mounts, skipped = mount_points(site, space, spacing=spacing)
    x0, y0, x1, y1 = site.boundary.bounds
    spots = _Spots(
        space, lenses, regions, math.hypot(x1 - x0, y1 - y0) * 1.01, heading_step, into_free_space
    )
    if workers is None:
        # one process by default: on a loaded 2-core machine forking measured slower
        # (pickling ~50k footprints back costs more than the second core saves)
        workers = 1
    per_mount = _run(spots, mounts, workers)
    cands: list[Candidate] = []
    fps: list[list[BaseGeometry]] = [[] for _ in regions]
    used_mounts: list[MountPoint] = []
    for mount, rows in zip(mounts, per_mount, strict=True):
        if not rows:
            continue
        used_mounts.append(mount)
        for li, h, parts in rows:
            cands.append(
                Candidate(
                    len(cands), len(used_mounts) - 1, mount.position, h, li, lenses[li].unit_cost
                )
            )
            for r in range(len(regions)):
                fps[r].append(parts[r])
    footprints = []
    for r in range(len(regions)):
        arr = np.empty(len(cands), dtype=object)
        arr[:] = fps[r]
        footprints.append(arr)
    areas = [shapely.area(f).astype(float) if len(f) else np.zeros(0) for f in footprints]
    return CandidateSet(
        used_mounts, list(lenses), cands, regions, footprints, areas, skipped, len(mounts), spacing
    )
