"""Candidate cameras: a mounting spot × a heading × a lens, with its footprint in the demand.

Spots and headings come from :mod:`planners.mounts`. Every (spot, heading,
lens) whose footprint misses every demand piece is dropped.

Notes: one exact visibility polygon per spot (free space clipped to a disc of the
largest reach), reused for every heading, lens and level — in the standing model
one per distinct camera and target height (:mod:`planners.sight`); a footprint is
then ``V ∩ demand ∩ sector``, computed in one vectorised shapely call per spot,
lens and region. Mathematically equal to the engine's footprints (ground:
:func:`camwatch.geometry.footprint.camera_footprints`, standing:
:func:`camwatch.geometry.heights.standing_footprints`) restricted to the demand
(the planner's results are re-checked by a full :func:`analyze`).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from camwatch.geometry.space import free_space as site_free_space
from camwatch.i18n import Said
from camwatch.model import Camera, Site
from planners.lenses import Lens
from planners.mounts import MountPoint, geometry_error, lowest_lens, mount_points
from planners.spots import _Spots

PARALLEL_MIN_SPOTS = 400  # below this, forking costs more than it saves


@dataclass(frozen=True)
class Candidate:
    """One candidate camera: a mount spot, a heading and a lens."""

    index: int
    mount: int
    position: tuple[float, float]
    heading_deg: float
    lens: int
    cost: float


class CandidateList:
    """What every candidate set offers: its length, a candidate as a camera, the costs."""

    candidates: list[Candidate]
    lenses: list[Lens]

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


@dataclass
class CandidateSet(CandidateList):
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
    skipped_mounts: list[Said] = field(default_factory=list)  # English; worded for a reader
    spots_considered: int = 0
    spacing: float = 2.0
    unvisited_spots: int = 0  # spots left out by a generation bound (limit or seconds)

    def mounts_near(self, geom: BaseGeometry, distance: float) -> list[MountPoint]:
        """Spots (with a candidate) whose stand point is within ``distance`` of ``geom``."""
        return [m for m in self.mounts if geom.distance(Point(m.stand)) <= distance]


_ACTIVE: tuple[_Spots, list[MountPoint]] | None = None  # shared with forked workers


SpotRows = list[tuple[int, float, list[BaseGeometry]]] | None  # None: GEOS failed on the spot


def _work(chunk: list[int]) -> list[tuple[int, SpotRows]]:
    assert _ACTIVE is not None
    spots, mounts = _ACTIVE
    return [(i, spots.safe_candidates_at(mounts[i])) for i in chunk]


def spread_order(n: int) -> list[int]:
    """0..n-1 in bit-reversed (van der Corput) order: every prefix is spread along the list.

    The first 2^b visited are every (n / 2^b)-th spot, so stopping anywhere leaves
    spots evenly spread along every facade and the boundary (the mount list runs
    ring by ring, docs/planners.md "Bounding candidate generation").
    """
    bits = max(n - 1, 0).bit_length()
    return sorted(range(n), key=lambda i: (int(f"{i:0{bits}b}"[::-1], 2) if bits else 0, i))


def _run_bounded(
    spots: _Spots, mounts: list[MountPoint], limit: int | None, seconds: float | None
) -> tuple[list[SpotRows], int]:
    """Spots visited in :func:`spread_order` until ``limit`` candidates or ``seconds`` are used.

    Returns rows per mount (``[]`` for spots not visited) and how many spots were
    not visited. A spot whose candidates would pass ``limit`` is not taken, and
    generation stops there (whole spots only: never more than ``limit``).
    """
    out: list[SpotRows] = [[] for _ in mounts]
    deadline = None if seconds is None else time.perf_counter() + seconds
    made = 0
    order = spread_order(len(mounts))
    for visited, i in enumerate(order):
        if deadline is not None and time.perf_counter() > deadline:
            return out, len(order) - visited
        rows = spots.safe_candidates_at(mounts[i])
        if limit is not None and rows and made + len(rows) > limit:
            return out, len(order) - visited
        out[i] = rows
        made += len(rows) if rows else 0
    return out, 0


def _run(spots: _Spots, mounts: list[MountPoint], workers: int) -> list[SpotRows]:
    """Candidates of every mount, in mount order; forked worker processes when asked."""
    global _ACTIVE
    if workers <= 1 or len(mounts) < PARALLEL_MIN_SPOTS:
        return [spots.safe_candidates_at(m) for m in mounts]
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
    out: list[SpotRows] = [[] for _ in mounts]
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
    coverage_model: str | None = None,
    limit: int | None = None,
    seconds: float | None = None,
) -> CandidateSet:
    """All candidate cameras whose footprint meets some region.

    ``regions`` lists ``(level, area)`` pairs — the demand pieces; a
    candidate's footprint at the region's level is clipped to the area
    (``None``: all of free space). ``footprints[r][i]`` is candidate ``i``'s
    part of region ``r``. ``workers`` > 1 spreads the spots over forked
    processes (for sites with many spots); the result is the same. Footprints are in
    the site's coverage model (``coverage_model`` overrides it; :mod:`planners.sight`).

    ``limit`` (candidates) and ``seconds`` bound generation: spots are then
    visited in :func:`spread_order` and generation stops at the first bound
    reached (one process); ``CandidateSet.unvisited_spots`` says how many spots
    were left out. Without a bound reached, the result is the unbounded one.
    """
    space = site_free_space(site) if space is None else space
    regions = list(regions)
    lowest = lowest_lens(site, list(lenses), coverage_model)
    mounts, skipped = mount_points(site, space, spacing=spacing, lowest=lowest)
    spots = _Spots(site, space, lenses, regions, heading_step, into_free_space, coverage_model)
    if workers is None:
        # one process by default: on a loaded 2-core machine forking measured slower
        # (pickling ~50k footprints back costs more than the second core saves)
        workers = 1
    unvisited = 0
    if limit is not None or seconds is not None:
        per_mount, unvisited = _run_bounded(spots, mounts, limit, seconds)
    else:
        per_mount = _run(spots, mounts, workers)
    cands: list[Candidate] = []
    fps: list[list[BaseGeometry]] = [[] for _ in regions]
    used_mounts: list[MountPoint] = []
    for mount, rows in zip(mounts, per_mount, strict=True):
        if rows is None:
            skipped.append(geometry_error(mount))
            continue
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
        used_mounts,
        list(lenses),
        cands,
        regions,
        footprints,
        areas,
        skipped,
        len(mounts),
        spacing,
        unvisited,
    )
