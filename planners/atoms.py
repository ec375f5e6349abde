"""The exact atoms of the arrangement of a candidate pool's footprints (the demand is
:mod:`planners.demand`).

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
from dataclasses import dataclass

import numpy as np
import shapely

from planners.demand import Demand, Footprints

SNAP_GRID_M = 1e-9  # snap-rounding grid of the arrangement's noding


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
