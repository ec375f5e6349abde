"""The exact evaluators of the objective (:mod:`planners.demand`) that placement works on.

Two evaluators serve the same algorithms (:mod:`planners.placement`,
:mod:`planners.local_search`, :mod:`planners.exact`): :class:`GeometryCoverage`
works on the footprint polygons of any number of candidates (used by greedy
over every candidate), and :class:`AtomCoverage` on the atoms of a pool (fast
enough for local search and the integer programmes).

Modes: ``"weighted"`` maximises the weighted area newly covered;
``"target"`` is the truncated coverage Σ_j min(covered_j, need_j)/need_j used
for set cover (its maximum, the number of pieces, means every target is met).
Both are monotone submodular, which is what lazy greedy needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from planners.atoms import Atoms
from planners.demand import Demand, Footprints

REL_TOL = 1e-9  # improvements smaller than this fraction of the total demand are noise
LOCAL_UNIONS = 4096  # unions of nearby chosen footprints kept per piece by GeometryCoverage


class _Mode:
    def __init__(self, demand: Demand, mode: str) -> None:
        if mode not in ("weighted", "target"):
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self.weight = np.array([p.weight for p in demand.pieces], dtype=float)
        self.need = np.array([max(p.need_m2, 0.0) for p in demand.pieces], dtype=float)
        self.total = (
            float(np.sum(self.need > 0))
            if mode == "target"
            else float(sum(p.weight * p.region.area for p in demand.pieces))
        )
        self.tol = max(self.total, 1.0) * REL_TOL

    def value(self, covered: np.ndarray) -> float:
        if self.mode == "weighted":
            return float(np.dot(self.weight, covered))
        ok = self.need > 0
        return float(np.sum(np.minimum(covered[ok], self.need[ok]) / self.need[ok]))

    def gain(self, covered: np.ndarray, new: dict[int, float]) -> float:
        total = 0.0
        for j, a in new.items():
            if self.mode == "weighted":
                total += self.weight[j] * a
            elif self.need[j] > 0:
                total += min(a, max(self.need[j] - covered[j], 0.0)) / self.need[j]
        return total

    def gains_bound(self, areas: np.ndarray) -> np.ndarray:
        """Upper bounds of :meth:`gain` from nothing covered, for rows of areas that bound
        each piece's (vectorised; a relative 1e-12 above, against summation order)."""
        if self.mode == "weighted":
            g = areas @ self.weight
        else:
            ok = self.need > 0
            g = (np.minimum(areas[:, ok], self.need[ok]) / self.need[ok]).sum(axis=1)
        return np.asarray(g * (1.0 + 1e-12), dtype=float)

    def satisfied(self, covered: np.ndarray) -> bool:
        slack = 1e-9 * np.maximum(self.need, 1.0)  # float rounding of areas, far below the margins
        return self.mode == "target" and bool(np.all(covered >= self.need - slack))


class GeometryCoverage:
    """Exact objective from footprint polygons; candidates are global indices."""

    def __init__(self, demand: Demand, pf: Footprints, *, mode: str = "weighted") -> None:
        self.demand, self.pf = demand, pf
        self.m = _Mode(demand, mode)
        self.n = pf.n
        self._parts: dict[int, list[tuple[int, BaseGeometry, float, tuple[float, ...]]]] = {}
        self.reset()

    def reset(self) -> None:
        self.selected: list[int] = []
        self.covered = np.zeros(len(self.demand.pieces))
        self.cover_geom: list[list[BaseGeometry]] = [[] for _ in self.demand.pieces]
        self._union: list[BaseGeometry | None] = [None for _ in self.demand.pieces]
        self._boxes = [np.zeros((0, 4)) for _ in self.demand.pieces]
        self._local: list[dict[bytes, BaseGeometry]] = [{} for _ in self.demand.pieces]
        self._added: list[list[tuple[int, tuple[float, ...]]]] = []  # (piece, box) per add
        self._seen: dict[int, tuple[int, dict[int, float]]] = {}  # c: (adds then, new areas)

    def _boxed(self, c: int) -> list[tuple[int, BaseGeometry, float, tuple[float, ...]]]:
        """``pf.parts(c)`` with each part's bounding box (kept: greedy asks again and again)."""
        out = self._parts.get(c)
        if out is None:
            out = [(j, g, a, tuple(g.bounds)) for j, g, a in self.pf.parts(c)]
            self._parts[c] = out
        return out

    def _cover(self, j: int, near: tuple[float, ...] | None = None) -> BaseGeometry | None:
        """Union of the chosen footprints in piece ``j`` (those whose box meets the box ``near``)."""
        chosen = self.cover_geom[j]
        if not chosen:
            return None
        if near is not None:
            # only footprints whose bounding box meets the candidate's can meet it: the
            # intersection is the same, and the overlay far smaller than with the whole
            # cover once many cameras are chosen (docs/planners.md "Speed")
            x0, y0, x1, y1 = near
            b = self._boxes[j]
            hit = np.flatnonzero(
                (b[:, 0] <= x1) & (x0 <= b[:, 2]) & (b[:, 1] <= y1) & (y0 <= b[:, 3])
            )
            if len(hit) == 0:
                return None
            if len(hit) < len(chosen):
                key = hit.tobytes()
                cache = self._local[j]
                if key not in cache:
                    if len(cache) >= LOCAL_UNIONS:
                        cache.clear()  # bounded memory; a union is cheap to rebuild
                    cache[key] = shapely.union_all([chosen[i] for i in hit.tolist()])
                return cache[key]
        if self._union[j] is None:
            self._union[j] = shapely.union_all(chosen)
        return self._union[j]

    def new_areas(self, c: int) -> dict[int, float]:
        """Area of each of the candidate's pieces not yet covered: |D| − |D ∩ cover|."""
        out: dict[int, float] = {}
        for j, geom, a, box in self._boxed(c):
            cover = self._cover(j, box)
            if cover is not None:
                a -= shapely.area(shapely.intersection(geom, cover))
            out[j] = max(a, 0.0)
        return out

    def upper_bounds(self) -> np.ndarray:
        """Each candidate's gain alone: exact, or an upper bound where the footprints are
        not computed yet (:meth:`known`)."""
        zero = np.zeros(len(self.demand.pieces))
        known = self.pf.known()
        if known is None:
            return np.array([self.m.gain(zero, dict(self.pf.areas(c))) for c in range(self.n)])
        out = self.m.gains_bound(self.pf.upper_areas())
        for c in np.flatnonzero(known).tolist():
            out[c] = self.exact_upper(c)
        return out

    def known(self) -> np.ndarray | None:
        """Which entries of :meth:`upper_bounds` are exact (None: all)."""
        return self.pf.known()

    def exact_upper(self, c: int) -> float:
        """Candidate ``c``'s gain alone (computing its footprints if needed)."""
        return self.m.gain(np.zeros(len(self.demand.pieces)), dict(self.pf.areas(c)))

    def gain(self, c: int) -> float:
        """Marginal gain of ``c``. Its new areas are reused when no footprint added since
        they were computed has a box meeting one of ``c``'s: the chosen footprints
        :meth:`_cover` overlays are then the same, so the areas are the same numbers."""
        new = self._unchanged(c)
        if new is None:
            new = self.new_areas(c)
            self._seen[c] = (len(self._added), new)
        return self.m.gain(self.covered, new)

    def _unchanged(self, c: int) -> dict[int, float] | None:
        known = self._seen.get(c)
        if known is None:
            return None
        since, new = known
        if since < len(self._added):
            mine = {j: box for j, _, _, box in self._boxed(c)}
            for added in self._added[since:]:
                for j, (x0, y0, x1, y1) in added:
                    b = mine.get(j)
                    if b is not None and b[0] <= x1 and x0 <= b[2] and b[1] <= y1 and y0 <= b[3]:
                        return None
            self._seen[c] = (len(self._added), new)
        return new

    def add(self, c: int) -> None:
        parts = {j: (g, box) for j, g, _, box in self._boxed(c)}
        self._added.append([(j, box) for j, (_, box) in parts.items()])
        for j, a in self.new_areas(c).items():
            self.covered[j] += a
            self.cover_geom[j].append(parts[j][0])
            self._boxes[j] = np.vstack([self._boxes[j], [parts[j][1]]])
            self._union[j] = None
        self.selected.append(c)

    def value(self) -> float:
        return self.m.value(self.covered)


class AtomCoverage:
    """Exact objective from atoms; candidates are pool-local indices (``atoms.pool[i]``)."""

    def __init__(self, demand: Demand, atoms: Atoms, *, mode: str = "weighted") -> None:
        self.demand, self.atoms = demand, atoms
        self.m = _Mode(demand, mode)
        self.n = len(atoms.pool)
        self.reset()

    def reset(self) -> None:
        self.selected: list[int] = []
        self.count = np.zeros(self.atoms.n_atoms, dtype=np.int64)
        self.covered = np.zeros(len(self.demand.pieces))

    def new_areas(self, i: int) -> dict[int, float]:
        own = self.atoms.atoms_of(i)
        fresh = own[self.count[own] == 0]
        sums = np.bincount(
            self.atoms.piece[fresh], weights=self.atoms.area[fresh], minlength=len(self.covered)
        )
        return {int(j): float(sums[j]) for j in np.flatnonzero(sums)}

    def upper_bounds(self) -> np.ndarray:
        saved = self.count
        self.count = np.zeros_like(saved)
        try:
            return np.array(
                [self.m.gain(np.zeros(len(self.covered)), self.new_areas(i)) for i in range(self.n)]
            )
        finally:
            self.count = saved

    def known(self) -> np.ndarray | None:
        return None  # every upper bound is exact

    def exact_upper(self, i: int) -> float:
        saved, self.count = self.count, np.zeros_like(self.count)
        try:
            return self.m.gain(np.zeros(len(self.covered)), self.new_areas(i))
        finally:
            self.count = saved

    def gain(self, i: int) -> float:
        return self.m.gain(self.covered, self.new_areas(i))

    def add(self, i: int) -> None:
        for j, a in self.new_areas(i).items():
            self.covered[j] += a
        self.count[self.atoms.atoms_of(i)] += 1
        self.selected.append(i)

    def set_selection(self, selection: Sequence[int]) -> None:
        self.reset()
        for i in selection:
            self.add(i)

    def value(self) -> float:
        return self.m.value(self.covered)


Coverage = GeometryCoverage | AtomCoverage
