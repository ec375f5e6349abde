"""Lazy candidates: every candidate bounded cheaply, its footprints computed on first use.

:func:`generate_candidates` computes the exact visibility region of every
mounting spot and every candidate's footprint — most of a plan's time on a large
compound, and most of its memory. Lazy greedy only needs a candidate's exact
footprint when its priority reaches the top of the heap, and a valid upper bound
of its gain is enough until then: the demand inside its unoccluded sector
(:mod:`planners.bounds`, no visibility computed). :func:`lazy_candidates` lists
the same (spot, heading, lens) candidates with such bounds; a spot's exact
footprints (:meth:`planners.spots._Spots.candidates_at`, the very function
eager generation runs, so the same polygons) are computed for all its candidates
the first time one of them is asked for. Greedy (:func:`planners.placement.greedy_placement`),
the pool (:func:`planners.pool.candidate_pool`) and the budget's best single ask
only for what the eager run would have looked at, so a plan is the same
(docs/planners.md, "Lazy footprints").

Differences from the eager set, by decision: a candidate whose sector meets the
demand but whose footprint turns out empty stays in the list (with nothing in
any piece; it is never picked and never enters the pool), so ``len()`` counts
candidates whose sector meets the demand; a spot where GEOS fails is reported
only if it is computed.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.i18n import Said
from camwatch.model import Site
from planners.candidates import Candidate, CandidateList, CandidateSet, generate_candidates
from planners.demand import MIN_PIECE_M2, Demand, Footprints, split_by_piece
from planners.lenses import Lens
from planners.mounts import MountPoint, geometry_error, lowest_lens, mount_points
from planners.spots import SpotBounds, _Spots, evaluate_bounds

LAZY = True  # plan_candidates' default (tests set it False to run the eager reference)
BATCH_SPOTS = 64  # spots whose bounds are evaluated in one numpy pass

Parts = list[tuple[int, BaseGeometry, float]]


class LazyCandidates(CandidateList):
    """Candidates with upper bounds of their areas per region; footprints computed per spot.

    Serves both as the candidate set (``candidates``, ``mounts``, ``camera()``, as
    :class:`planners.candidates.CandidateSet`) and as the footprints per demand piece
    (:class:`planners.demand.Footprints`; region ``j`` is piece ``j``).
    """

    def __init__(
        self,
        spots: _Spots,
        mounts: list[MountPoint],
        rows: list[tuple[list[tuple[int, float]], np.ndarray]],
        *,
        lenses: Sequence[Lens],
        spacing: float,
        skipped: list[Said],
        spots_considered: int,
    ) -> None:
        self.spots = spots
        self.lenses = list(lenses)
        self.regions = spots.regions
        self.spacing = spacing
        self.skipped_mounts = skipped
        self.spots_considered = spots_considered
        self.unvisited_spots = 0
        self.mounts = mounts
        self.candidates: list[Candidate] = []
        self._range: list[tuple[int, int]] = []
        bounds: list[np.ndarray] = []
        for m, (keys, bound) in enumerate(rows):
            first = len(self.candidates)
            for (li, h), _ in zip(keys, bound, strict=True):
                self.candidates.append(
                    Candidate(
                        len(self.candidates),
                        m,
                        mounts[m].position,
                        h,
                        li,
                        self.lenses[li].unit_cost,
                    )
                )
            self._range.append((first, len(self.candidates)))
            bounds.append(bound)
        n_regions = len(self.regions)
        self.bound = np.concatenate(bounds) if bounds else np.zeros((0, n_regions))
        self._known = np.zeros(len(self.candidates), dtype=bool)
        self._parts: dict[int, Parts] = {}
        self._exact_area = self.bound.copy()  # exact rows once known
        self._nonempty = np.zeros(len(self.candidates), dtype=bool)
        self.spots_computed = 0
        self.missed = 0  # candidates of computed spots missing from the list (tests: none)

    # --- the candidate set (length, camera(), costs(): CandidateList) ----------------

    def compute_spot(self, m: int) -> None:
        """Compute the exact footprints of every candidate at spot ``m`` (once)."""
        first, last = self._range[m]
        if first == last or self._known[first]:
            return
        mount = self.mounts[m]
        rows = self.spots.safe_candidates_at(mount)
        self.spots_computed += 1
        if rows is None:
            self.skipped_mounts.append(geometry_error(mount))
            rows = []
        exact = {(li, h): parts for li, h, parts in rows}
        for c in range(first, last):
            cand = self.candidates[c]
            parts = exact.pop((cand.lens, cand.heading_deg), None)
            mine: Parts = []
            self._exact_area[c] = 0.0
            if parts is not None:
                self._nonempty[c] = True
                areas = shapely.area(np.asarray(parts, dtype=object)).astype(float)
                for j, (g, a) in enumerate(zip(parts, areas.tolist(), strict=True)):
                    self._exact_area[c, j] = a
                    if a > MIN_PIECE_M2:
                        mine.append((j, g, a))
            self._parts[c] = mine
        self._known[first:last] = True
        # a candidate eager generation has and the bounds did not list (none expected: the
        # same headings, and a footprint inside a sector that meets no demand is empty)
        self.missed += sum(
            1 for parts in exact.values() if float(shapely.area(parts).max()) > MIN_PIECE_M2
        )

    def mounts_near(self, geom: BaseGeometry, distance: float) -> list[MountPoint]:
        """Spots within ``distance`` of ``geom`` with a candidate whose footprint is not empty."""
        out = []
        for m, mount in enumerate(self.mounts):
            if geom.distance(Point(mount.stand)) > distance:
                continue
            self.compute_spot(m)
            first, last = self._range[m]
            if self._nonempty[first:last].any():
                out.append(mount)
        return out

    @property
    def footprints(self) -> list[np.ndarray]:
        """Every candidate's footprint per region (computes every spot: compatibility only)."""
        for m in range(len(self.mounts)):
            self.compute_spot(m)
        out = []
        for j in range(len(self.regions)):
            arr = np.empty(len(self.candidates), dtype=object)
            arr[:] = [self.geometry(c, j) for c in range(len(self.candidates))]
            out.append(arr)
        return out

    # --- the footprints per piece (planners.demand.Footprints) -------------------------

    @property
    def n(self) -> int:
        return len(self.candidates)

    def known(self) -> np.ndarray:
        return self._known

    def upper_areas(self) -> np.ndarray:
        return self._exact_area

    def parts(self, c: int) -> Parts:
        if c not in self._parts:
            self.compute_spot(self.candidates[c].mount)
        return self._parts[c]

    def areas(self, c: int) -> list[tuple[int, float]]:
        return [(j, a) for j, _, a in self.parts(c)]

    def geometry(self, c: int, j: int) -> BaseGeometry:
        for jj, g, _ in self.parts(c):
            if jj == j:
                return g
        return Polygon()

    def piece_members(self, j: int, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        members, geoms, areas = [], [], []
        for c in sorted(int(c) for c in pool):
            for jj, g, a in self.parts(c):
                if jj == j:
                    members.append(c)
                    geoms.append(g)
                    areas.append(a)
        garr = np.empty(len(geoms), dtype=object)
        garr[:] = geoms
        return np.asarray(members, dtype=np.int64), garr, np.asarray(areas, dtype=float)


def lazy_candidates(
    site: Site,
    lenses: Sequence[Lens],
    *,
    space: BaseGeometry,
    spacing: float = 2.0,
    regions: Sequence[tuple[str, BaseGeometry | None]],
    heading_step: float = 15.0,
    into_free_space: bool = True,
    coverage_model: str | None = None,
) -> LazyCandidates:
    """The candidates :func:`generate_candidates` tries, with upper bounds of their areas.

    A candidate is listed when its sector meets some region (bound > 0); no
    visibility is computed here.
    """
    regions = list(regions)
    # point-in-polygon tests on free space (stand points) become indexed; results unchanged.
    # A copy is prepared: the caller's free space may be shared with other threads (the
    # web's cache, camwatch.model's memo), and GEOS's prepared geometry is not thread-safe
    space = shapely.from_wkb(shapely.to_wkb(space))
    shapely.prepare(space)
    lowest = lowest_lens(site, list(lenses), coverage_model)
    mounts, skipped = mount_points(site, space, spacing=spacing, lowest=lowest)
    spots = _Spots(site, space, lenses, regions, heading_step, into_free_space, coverage_model)
    used: list[MountPoint] = []
    rows: list[tuple[list[tuple[int, float]], np.ndarray]] = []
    batch: list[tuple[MountPoint, SpotBounds]] = []

    def flush() -> None:
        values = evaluate_bounds([b for _, b in batch], len(regions))
        for (mount, found), bound in zip(batch, values, strict=True):
            keep(mount, found.rows, bound)
        batch.clear()

    def keep(mount: MountPoint, keys: list[tuple[int, float]], bound: np.ndarray) -> None:
        meets = np.flatnonzero(bound.max(axis=1, initial=0.0) > 0.0)
        if len(meets):
            used.append(mount)
            rows.append(([keys[k] for k in meets], bound[meets]))

    for mount in mounts:
        found = spots.bounds_at(mount)
        if found is not None:
            batch.append((mount, found))
            if len(batch) >= BATCH_SPOTS:
                flush()
            continue
        flush()  # keep mount order
        exact = _exact_rows(spots, mount)  # GEOS failed on the bound: compute it exactly
        if exact is None:
            skipped.append(geometry_error(mount))
        else:
            keep(mount, *exact)
    flush()
    return LazyCandidates(
        spots,
        used,
        rows,
        lenses=lenses,
        spacing=spacing,
        skipped=skipped,
        spots_considered=len(mounts),
    )


def _exact_rows(
    spots: _Spots, mount: MountPoint
) -> tuple[list[tuple[int, float]], np.ndarray] | None:
    """Rows and exact areas of a spot (when the bound failed), or None when GEOS fails."""
    rows = spots.safe_candidates_at(mount)
    if rows is None:
        return None
    areas = np.array(
        [[float(shapely.area(g)) for g in parts] for _, _, parts in rows], dtype=float
    ).reshape(len(rows), len(spots.regions))
    return [(li, h) for li, h, _ in rows], areas * (1.0 + 1e-9)


def plan_candidates(
    site: Site,
    lenses: Sequence[Lens],
    demand: Demand,
    *,
    space: BaseGeometry,
    spacing: float,
    heading_step: float,
    limit: int | None = None,
    seconds: float | None = None,
    lazy: bool | None = None,
) -> tuple[CandidateSet | LazyCandidates, Footprints]:
    """The plan's candidates and their footprints per demand piece.

    Lazy (:func:`lazy_candidates`) unless a generation bound is given (``limit``,
    ``seconds``: eager, in spread order, docs/planners.md), the demand is a
    target's (its greedy runs down to gains so small that every spot is computed
    anyway: the bounds would only cost) or ``lazy`` (default ``LAZY``) is False.
    """
    lazy = LAZY if lazy is None else lazy
    if lazy and limit is None and seconds is None and not demand.target:
        cset = lazy_candidates(
            site,
            lenses,
            space=space,
            spacing=spacing,
            regions=demand.regions(),
            heading_step=heading_step,
        )
        return cset, cset
    eager = generate_candidates(
        site,
        lenses,
        space=space,
        spacing=spacing,
        regions=demand.regions(),
        heading_step=heading_step,
        limit=limit,
        seconds=seconds,
    )
    return eager, split_by_piece(demand, eager)
