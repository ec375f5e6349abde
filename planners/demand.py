"""What new cameras should cover: demand pieces and the exact atoms of their arrangement.

Formulation (issue 4 item 1). Let M be the monitored area, C_L the coverage
at level L of the cameras already counted (active and planned), and F_c^L a
candidate's footprint at level L. The demand is a list of *pieces*
(region U_j, level L_j, weight w_j):

- each zone z with weight w_z > 0: U = (z ∩ M) − C_{L_z} at its required level L_z;
- the rest of the monitored area: U = (M − ∪ zones) − C_L at the requested level L (weight 1).

The objective of a set S of candidates is the weighted area newly covered,
f(S) = Σ_j w_j · area(U_j ∩ ∪_{c∈S} F_c^{L_j}), a weighted coverage function:
monotone and submodular. For ``--target`` each piece instead carries the area
``need_j`` it still lacks (zones: to pass at 98 %; the whole of M: to reach the
target ratio at L).

Atoms make f exact and finite: within each piece, the footprints
D_cj = U_j ∩ F_c^{L_j} of a candidate pool cut U_j into faces (the cells of
their arrangement: every boundary is noded with GEOS ``node`` and the faces
are rebuilt with ``polygonize``). A face lies inside or outside each footprint,
so a representative point tells which candidates cover it. Faces covered by
the same candidates are merged into one atom of weight w_j · area. Then
f(S) = Σ_a weight_a · [some c ∈ S covers a] exactly, up to float rounding
(checked: Σ of a candidate's atoms equals its footprint area).

Notes: the arrangement of n footprints has O(n²) faces in the worst case; it
is built over a pool of a few hundred candidates (see :mod:`planners.plan`),
and only inside the still-uncovered area, never over free space already seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.errors import UsageError
from camwatch.geometry.coverage import Analysis, union
from camwatch.i18n import msg
from camwatch.ladders import DORI, ladder, not_in_ladder
from camwatch.model import ZONE_PASS_RATIO, Site
from planners.candidates import CandidateSet

MIN_PIECE_M2 = 1e-6  # pieces (and atoms) smaller than this are float noise
SNAP_GRID_M = 1e-9  # snap-rounding grid of the arrangement's noding
NEED_MARGIN = 1e-7  # relative margin added to targets so float rounding cannot miss them


@dataclass(frozen=True)
class Piece:
    """One part of the demand: an uncovered region counted at a level with a weight."""

    name: str
    level: str
    weight: float
    region: BaseGeometry = field(repr=False)
    total_m2: float  # area of the whole region (zone ∩ M, or M − zones), covered or not
    covered_m2: float  # of which already covered at ``level``
    need_m2: float = 0.0  # target mode: area still to cover
    zone: str | None = None


@dataclass
class Demand:
    pieces: list[Piece]
    target: bool = False

    def levels(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(p.level for p in self.pieces))

    def regions(self) -> list[tuple[str, BaseGeometry]]:
        """(level, region) of every piece, for :func:`planners.candidates.generate_candidates`."""
        return [(p.level, p.region) for p in self.pieces]

    def total_weight(self) -> float:
        return float(sum(p.weight * p.region.area for p in self.pieces))


def planning_level(analysis: Analysis, level: str) -> str:
    """The level the rest of the area is planned at: ``level`` if the site's ladder has it.

    ``detection`` (the default, DORI's lowest level) means the lowest level of the site's
    ladder, the level blind spots are measured at (docs/coverage.md, "Ladders"); a level
    of another ladder is a UsageError naming the site's ladder.
    """
    chosen = ladder(analysis.ladder)
    if level in chosen.names:
        return level
    if level == DORI.lowest:
        return chosen.lowest
    raise UsageError(msg("%(who)s: %(detail)s", who="--level", detail=not_in_ladder(level, chosen)))


def _uncovered(region: BaseGeometry, covered: BaseGeometry) -> BaseGeometry:
    if region.is_empty or covered.is_empty:
        return region
    return region.difference(covered)


def objective_demand(site: Site, analysis: Analysis, *, level: str = "detection") -> Demand:
    """Pieces for ``plan --add``: zones at their level and weight, the rest at ``level``.

    ``analysis`` is the site analysed with the cameras already counted
    (``include_planned=True``).
    """
    monitored = analysis.monitored
    pieces: list[Piece] = []
    for zone in site.zones:
        if zone.weight <= 0:
            continue
        region = zone.polygon.intersection(monitored)
        cover = analysis.levels[zone.required_level].geometry
        left = _uncovered(region, cover)
        pieces.append(
            Piece(
                f"zone '{zone.name}'",
                zone.required_level,
                float(zone.weight),
                left,
                region.area,
                region.area - left.area,
                zone=zone.name,
            )
        )
    rest = monitored.difference(union(z.polygon for z in site.zones)) if site.zones else monitored
    left = _uncovered(rest, analysis.levels[level].geometry)
    pieces.append(
        Piece("rest of the monitored area", level, 1.0, left, rest.area, rest.area - left.area)
    )
    return Demand([p for p in pieces if p.region.area > MIN_PIECE_M2])


def target_demand(
    site: Site,
    analysis: Analysis,
    *,
    target: float,
    level: str = "detection",
    zone_pass_ratio: float = ZONE_PASS_RATIO,
) -> Demand:
    """Pieces for ``plan --target``: each failing zone, and M at ``level`` below ``target``."""
    monitored = analysis.monitored
    pieces: list[Piece] = []
    for zone in site.zones:
        region = zone.polygon.intersection(monitored)
        cover = analysis.levels[zone.required_level].geometry
        left = _uncovered(region, cover)
        need = zone_pass_ratio * region.area - (region.area - left.area)
        if need > 0.0 and region.area > MIN_PIECE_M2:
            need = min(need + NEED_MARGIN * region.area, left.area)
            pieces.append(
                Piece(
                    f"zone '{zone.name}'",
                    zone.required_level,
                    1.0,
                    left,
                    region.area,
                    region.area - left.area,
                    need_m2=need,
                    zone=zone.name,
                )
            )
    left = _uncovered(monitored, analysis.levels[level].geometry)
    need = target * monitored.area - (monitored.area - left.area)
    if need > 0.0:
        need = min(need + NEED_MARGIN * monitored.area, left.area)
        pieces.append(
            Piece(
                "monitored area",
                level,
                1.0,
                left,
                monitored.area,
                monitored.area - left.area,
                need_m2=need,
            )
        )
    return Demand(pieces, target=True)


@dataclass
class PieceFootprints:
    """Each candidate's footprint within each piece: D_cj = U_j ∩ F_c^{L_j}.

    ``by_piece[j] = (candidate indices, geometries, areas)``; ``by_candidate[c]``
    lists ``(j, position in by_piece[j])``.
    """

    by_piece: list[tuple[np.ndarray, np.ndarray, np.ndarray]]
    by_candidate: list[list[tuple[int, int]]]

    @property
    def n(self) -> int:
        """How many candidates."""
        return len(self.by_candidate)

    def known(self) -> np.ndarray | None:
        """Which rows of :meth:`upper_areas` are exact (None: all of them)."""
        return None

    def upper_areas(self) -> np.ndarray:
        """(candidates × pieces) areas of D_cj: exact here (upper bounds in a lazy set)."""
        out = np.zeros((self.n, len(self.by_piece)))
        for j, (idx, _, areas) in enumerate(self.by_piece):
            out[idx, j] = areas
        return out

    def areas(self, c: int) -> list[tuple[int, float]]:
        return [(j, float(self.by_piece[j][2][k])) for j, k in self.by_candidate[c]]

    def parts(self, c: int) -> list[tuple[int, BaseGeometry, float]]:
        """(piece, D_cj, its area) for every piece candidate ``c`` meets."""
        return [
            (j, self.by_piece[j][1][k], float(self.by_piece[j][2][k]))
            for j, k in self.by_candidate[c]
        ]

    def piece_members(self, j: int, pool: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The members of ``pool`` (sorted candidate indices) meeting piece ``j``, in index
        order, with their D_cj and areas."""
        idx, geoms, areas = self.by_piece[j]
        sel = np.flatnonzero(np.isin(idx, pool))
        return idx[sel], geoms[sel], areas[sel]

    def geometry(self, c: int, j: int) -> BaseGeometry:
        for jj, k in self.by_candidate[c]:
            if jj == j:
                return self.by_piece[j][1][k]
        return Polygon()


class Footprints(Protocol):
    """What the evaluators read of the candidates' D_cj: :class:`PieceFootprints` (all
    computed) or :class:`planners.lazy.LazyCandidates` (computed per spot on first use)."""

    @property
    def n(self) -> int: ...

    def known(self) -> np.ndarray | None: ...

    def upper_areas(self) -> np.ndarray: ...

    def areas(self, c: int) -> list[tuple[int, float]]: ...

    def parts(self, c: int) -> list[tuple[int, BaseGeometry, float]]: ...

    def geometry(self, c: int, j: int) -> BaseGeometry: ...

    def piece_members(
        self, j: int, pool: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...


def split_by_piece(demand: Demand, cset: CandidateSet) -> PieceFootprints:
    """Index the candidates' footprints by piece (``cset`` built with :meth:`Demand.regions`)."""
    n = len(cset)
    by_piece = []
    by_candidate: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for j in range(len(demand.pieces)):
        idx = np.flatnonzero(cset.areas[j] > MIN_PIECE_M2) if n else np.zeros(0, dtype=np.int64)
        by_piece.append((idx, cset.footprints[j][idx], cset.areas[j][idx]))
        for k, c in enumerate(idx.tolist()):
            by_candidate[c].append((j, k))
    return PieceFootprints(by_piece, by_candidate)


@dataclass
class Atoms:
    """The exact atoms of a pool's arrangement, with a sparse incidence matrix.

    ``pool[i]`` is the candidate index of pool member ``i``; ``cand_ptr/cand_atoms``
    list, per pool member, the atoms it covers (CSR); ``atom_ptr/atom_cands`` the
    reverse. ``piece[a]``, ``area[a]`` and ``weight[a] = w_piece · area`` per atom.
    ``max_error_m2`` is the largest gap between a footprint's area and the sum
    of its atoms (a self-check of the arrangement).
    """

    pool: np.ndarray
    piece: np.ndarray
    area: np.ndarray
    weight: np.ndarray
    cand_ptr: np.ndarray
    cand_atoms: np.ndarray
    atom_ptr: np.ndarray
    atom_cands: np.ndarray
    faces: int = 0
    max_error_m2: float = 0.0

    @property
    def n_atoms(self) -> int:
        return len(self.area)

    def atoms_of(self, i: int) -> np.ndarray:
        return self.cand_atoms[self.cand_ptr[i] : self.cand_ptr[i + 1]]


def _segments(geoms: np.ndarray) -> np.ndarray:
    """Every boundary segment of the polygons, once (shared edges are common: same mount, same U)."""
    lines = shapely.get_parts(shapely.get_parts(shapely.boundary(geoms)))
    lines = lines[shapely.get_type_id(lines) == 1]  # LineStrings only
    coords, owner = shapely.get_coordinates(lines, return_index=True)
    same = owner[1:] == owner[:-1]
    segs = np.stack([coords[:-1][same], coords[1:][same]], axis=1)
    flip = (segs[:, 0, 0] > segs[:, 1, 0]) | (
        (segs[:, 0, 0] == segs[:, 1, 0]) & (segs[:, 0, 1] > segs[:, 1, 1])
    )
    segs[flip] = segs[flip][:, ::-1]
    segs = np.unique(segs.reshape(-1, 4), axis=0).reshape(-1, 2, 2)
    segs = segs[np.any(segs[:, 0] != segs[:, 1], axis=1)]
    return shapely.linestrings(segs)


def _faces(geoms: np.ndarray) -> np.ndarray:
    """Faces of the arrangement of polygons: node every boundary segment, then polygonize.

    Noding uses GEOS snap-rounding on a 1e-9 m grid (scaled up for huge
    coordinates): exact floating-point noding leaves nearly coincident
    segments (footprints running along the same wall) unclosed, and
    ``polygonize`` would drop their faces. Snapping moves vertices by at most
    half a grid cell, far below any reported precision.
    """
    segs = _segments(geoms)
    scale = float(np.abs(shapely.get_coordinates(segs)).max(initial=1.0))
    grid = max(SNAP_GRID_M, scale * 1e-14)
    noded = shapely.union_all(segs, grid_size=grid)
    return shapely.get_parts(shapely.polygonize(shapely.get_parts(noded)))


def _assemble(
    demand: Demand,
    pool: np.ndarray,
    unit_piece: np.ndarray,
    unit_area: np.ndarray,
    pair_unit: np.ndarray,
    pair_cand: np.ndarray,
    *,
    faces: int,
    max_error: float,
) -> Atoms:
    """Merge units (faces, or coarser atoms) covered by the same candidates of the same piece."""
    order = np.lexsort((pair_cand, pair_unit))
    pair_unit, pair_cand = pair_unit[order], pair_cand[order]
    starts = np.searchsorted(pair_unit, np.arange(len(unit_area) + 1))
    index: dict[bytes, int] = {}
    a_piece: list[int] = []
    a_area: list[float] = []
    members: list[np.ndarray] = []
    for u in range(len(unit_area)):
        lo, hi = starts[u], starts[u + 1]
        if lo == hi or unit_area[u] <= 0.0:
            continue
        sig = pair_cand[lo:hi]
        key = int(unit_piece[u]).to_bytes(4, "little") + sig.tobytes()
        a = index.get(key)
        if a is None:
            index[key] = len(a_area)
            a_piece.append(int(unit_piece[u]))
            a_area.append(float(unit_area[u]))
            members.append(sig)
        else:
            a_area[a] += float(unit_area[u])
    piece = np.asarray(a_piece, dtype=np.int64)
    area = np.asarray(a_area, dtype=float)
    w = np.array([p.weight for p in demand.pieces], dtype=float)
    weight = area * w[piece] if len(piece) else np.zeros(0)
    atom_ptr = np.zeros(len(members) + 1, dtype=np.int64)
    atom_ptr[1:] = np.cumsum([len(m) for m in members])
    atom_cands = np.concatenate(members) if members else np.zeros(0, dtype=np.int64)
    atom_of = np.repeat(np.arange(len(members)), np.diff(atom_ptr))
    by_cand = np.argsort(atom_cands, kind="stable")
    cand_atoms = atom_of[by_cand]
    cand_ptr = np.zeros(len(pool) + 1, dtype=np.int64)
    np.add.at(cand_ptr, atom_cands + 1, 1)
    cand_ptr = np.cumsum(cand_ptr)
    return Atoms(
        pool, piece, area, weight, cand_ptr, cand_atoms, atom_ptr, atom_cands, faces, max_error
    )


def build_atoms(demand: Demand, pf: Footprints, pool: Sequence[int]) -> Atoms:
    """Atoms of the arrangement of the pool's footprints, piece by piece, merged by covering set."""
    pool_arr = np.asarray(sorted(set(int(c) for c in pool)), dtype=np.int64)
    local = {int(c): i for i, c in enumerate(pool_arr.tolist())}
    u_piece, u_area, p_unit, p_cand = [], [], [], []
    n_units = 0
    max_err = 0.0
    for j in range(len(demand.pieces)):
        members, g, areas = pf.piece_members(j, pool_arr)
        if len(members) == 0:
            continue
        cands = np.array([local[int(c)] for c in members], dtype=np.int64)
        if len(members) == 1:
            faces = np.array([g[0]], dtype=object)
            cover = [np.array([0])]
        else:
            faces = _faces(g)
            pts = shapely.point_on_surface(faces)
            xs, ys = shapely.get_x(pts), shapely.get_y(pts)
            tree = shapely.STRtree(pts)
            cover = []
            for geom in g:
                near = tree.query(geom)
                shapely.prepare(geom)
                cover.append(near[shapely.contains_xy(geom, xs[near], ys[near])])
        face_area = shapely.area(faces)
        for k, hit in enumerate(cover):
            max_err = max(max_err, abs(float(face_area[hit].sum()) - float(areas[k])))
        u_piece.append(np.full(len(faces), j))
        u_area.append(face_area)
        p_unit += [hit + n_units for hit in cover]
        p_cand += [np.full(len(hit), cands[k]) for k, hit in enumerate(cover)]
        n_units += len(faces)
    cat = lambda parts, dt: np.concatenate(parts).astype(dt) if parts else np.zeros(0, dt)  # noqa: E731
    return _assemble(
        demand,
        pool_arr,
        cat(u_piece, np.int64),
        cat(u_area, float),
        cat(p_unit, np.int64),
        cat(p_cand, np.int64),
        faces=n_units,
        max_error=max_err,
    )


def restrict_atoms(demand: Demand, atoms: Atoms, members: Sequence[int]) -> Atoms:
    """The atoms of a sub-pool (``members`` are pool-local indices), merged again by covering set.

    Exact: an atom of the sub-pool's arrangement is a union of atoms of the
    full pool's arrangement with the same restricted covering set.
    """
    keep = np.zeros(len(atoms.pool), dtype=bool)
    keep[list(members)] = True
    new_index = np.cumsum(keep) - 1
    owner = np.repeat(np.arange(atoms.n_atoms), np.diff(atoms.atom_ptr))
    mask = keep[atoms.atom_cands]
    return _assemble(
        demand,
        atoms.pool[keep],
        atoms.piece,
        atoms.area,
        owner[mask],
        new_index[atoms.atom_cands[mask]],
        faces=atoms.faces,
        max_error=atoms.max_error_m2,
    )
