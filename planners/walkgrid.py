"""The walking grid of free space: a lattice turned with the site, its edges, remembered.

:func:`grid_of` puts nodes on a square lattice over free space F (cell
``cell_m``, chosen so the graph stays around ``GRID_NODES`` nodes), centred on
F's centroid and turned with F's outlines (:func:`grid_angle`), so a moved or
turned site gets the moved or turned lattice. Nodes and 8-neighbour edges lie
in F shrunk by ``CLEARANCE_M``: walls, buildings and obstacles are never
crossed nor touched. Each edge carries an integer length (``UNIT``; equal grid
paths tie exactly). The grid depends on free space only, so it is remembered
per exact free space and cell (``GRID_MEMO_ENTRIES``): after a camera moves,
the next routes and patrol reuse it. :class:`planners.paths.WalkGraph` walks it.
The memo is per thread: a grid holds prepared geometries, and GEOS's prepared
geometries are not safe to use from two threads at once (two threads routing
on one shared grid crashed the process).

Notes: passages narrower than about a cell may be missed by the grid; the
cell is at most ``MAX_CELL_M``. Building it is O(nodes) vectorised shapely
predicates; docs/planners.md §6 has the decisions and measurements.
"""

from __future__ import annotations

import hashlib
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

GRID_NODES = 12_000
MIN_CELL_M = 0.5
MAX_CELL_M = 3.0
EDGE_SLACK_M = 1e-6
CLEARANCE_M = 0.01  # grid nodes, grid edges and smoothed legs between them keep this off obstacles
UNIT = 1_000_000  # integer edge lengths: a straight edge is UNIT, a diagonal DIAGONAL (× cell)
DIAGONAL = 1_414_214  # round(√2 · UNIT): equal grid paths weigh exactly equal (no float ties)
MITRE_LIMIT = 20.0  # candidate corners: obstacles grown with sharp corners (one bend per corner)
GRID_MEMO_ENTRIES = 16  # grids remembered per exact free space and cell (a few MB each)


def cell_size(space: BaseGeometry, *, nodes: int = GRID_NODES) -> float:
    """Grid step (m) so that free space holds about ``nodes`` grid points."""
    if space.is_empty or space.area <= 0:
        return 1.0
    return min(max(math.sqrt(space.area / nodes), MIN_CELL_M), MAX_CELL_M)


def grid_angle(space: BaseGeometry) -> float:
    """Orientation (radians, in (-π/4, π/4]) of the grid: the dominant direction of the outlines.

    The mean of the edge directions modulo 90°, weighted by length
    (arg Σ Lᵢ·e^{4iθᵢ} / 4): it turns with the site, so a rotated site gets the
    rotated grid. 0 when the outlines have no dominant direction (|Σ| below
    1e-9 of the total length, e.g. a regular octagon).

    >>> from shapely.geometry import box
    >>> from shapely import affinity
    >>> round(math.degrees(grid_angle(affinity.rotate(box(0, 0, 40, 10), 17))), 9)
    17.0
    """
    rings = [r for p in shapely.get_parts(space) for r in (p.exterior, *p.interiors)]
    z, total = 0j, 0.0
    for ring in rings:
        xy = np.asarray(ring.coords)
        d = (xy[1:, 0] - xy[:-1, 0]) + 1j * (xy[1:, 1] - xy[:-1, 1])
        length = np.abs(d)
        keep = length > 0
        z += complex(np.sum(d[keep] ** 4 / length[keep] ** 3))
        total += float(np.sum(length))
    if total <= 0 or abs(z) < 1e-9 * total:
        return 0.0
    return float(np.angle(z)) / 4.0


@dataclass(frozen=True)
class Grid:
    """The part of a :class:`~planners.paths.WalkGraph` that depends on free space and the cell only."""

    cell: float
    walkable: BaseGeometry
    inner: BaseGeometry
    blocked: BaseGeometry
    corner_xy: np.ndarray
    corner_tree: shapely.STRtree | None
    xy: np.ndarray
    tree: shapely.STRtree | None
    a: np.ndarray  # edge ends (node indices), a < b not implied
    b: np.ndarray
    units: np.ndarray  # integer edge lengths (UNIT per cell, DIAGONAL per diagonal cell)


_GRIDS = threading.local()  # .memo: this thread's grids (prepared geometry is not thread-safe)


def grid_of(space: BaseGeometry, cell: float) -> Grid:
    """The grid of ``space`` at ``cell``, remembered per exact free space (``GRID_MEMO_ENTRIES``,
    per thread).

    A compound's free space does not change when its cameras do, so the routes
    and the patrol of every later analysis reuse the grid (docs/planners.md §6).
    """
    memo: OrderedDict[tuple[bytes, float], Grid] | None = getattr(_GRIDS, "memo", None)
    if memo is None:
        memo = _GRIDS.memo = OrderedDict()
    key = (hashlib.blake2b(shapely.to_wkb(space), digest_size=20).digest(), cell)
    found = memo.get(key)
    if found is not None:
        memo.move_to_end(key)
        return found
    grid = _build_grid(space, cell)
    memo[key] = grid
    while len(memo) > GRID_MEMO_ENTRIES:
        memo.popitem(last=False)
    return grid


def _build_grid(space: BaseGeometry, cell: float) -> Grid:
    walkable = space.buffer(EDGE_SLACK_M)
    inner = space.buffer(-CLEARANCE_M)
    shapely.prepare(walkable)
    shapely.prepare(inner)
    corner_xy = reflex_corners(
        space.buffer(-CLEARANCE_M - 0.001, join_style="mitre", mitre_limit=MITRE_LIMIT)
    )
    corner_tree = shapely.STRtree(shapely.points(corner_xy)) if len(corner_xy) else None
    none = np.zeros(0, dtype=np.int64)
    if space.is_empty:
        return Grid(
            cell, walkable, inner, shapely.Polygon(), corner_xy, corner_tree,
            np.zeros((0, 2)), None, none, none, none,
        )  # fmt: skip
    x0, y0, x1, y1 = space.bounds
    frame = shapely.box(x0, y0, x1, y1).buffer(max(cell, 1.0), join_style="mitre")
    blocked = frame.difference(space)
    shapely.prepare(blocked)
    ij, xy = _lattice(space, inner, cell)
    tree = shapely.STRtree(shapely.points(xy)) if len(xy) else None
    a, b, units = _lattice_edges(ij, xy, inner)
    return Grid(cell, walkable, inner, blocked, corner_xy, corner_tree, xy, tree, a, b, units)


def _lattice(
    space: BaseGeometry, inner: BaseGeometry, cell: float
) -> tuple[dict[tuple[int, int], int], np.ndarray]:
    """Lattice points inside ``inner``: their (i, j) → node index, and their coordinates."""
    centre = space.centroid
    angle = grid_angle(space)
    c, s = math.cos(angle), math.sin(angle)
    xy = shapely.get_coordinates(space) - (centre.x, centre.y)
    u = xy[:, 0] * c + xy[:, 1] * s
    v = -xy[:, 0] * s + xy[:, 1] * c
    h = cell
    i0, i1 = math.floor(u.min() / h - 0.5), math.ceil(u.max() / h - 0.5)
    j0, j1 = math.floor(v.min() / h - 0.5), math.ceil(v.max() / h - 0.5)
    gi, gj = np.meshgrid(np.arange(i0, i1 + 1), np.arange(j0, j1 + 1), indexing="ij")
    gu, gv = (gi + 0.5) * h, (gj + 0.5) * h
    gx = centre.x + gu * c - gv * s
    gy = centre.y + gu * s + gv * c
    inside = shapely.contains_xy(inner, gx, gy)
    ii, jj = np.nonzero(inside)
    ij = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(ii, jj, strict=True))}
    nodes = np.column_stack([gx[ii, jj], gy[ii, jj]]) if len(ii) else np.zeros((0, 2))
    return ij, nodes


def _lattice_edges(
    ij: dict[tuple[int, int], int], xy: np.ndarray, inner: BaseGeometry
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """8-neighbour edges covered by ``inner``: their ends and integer lengths."""
    a_list, b_list, diag = [], [], []
    for di, dj in ((1, 0), (0, 1), (1, 1), (1, -1)):
        for (i, j), k in ij.items():
            m = ij.get((i + di, j + dj))
            if m is not None:
                a_list.append(k)
                b_list.append(m)
                diag.append(di != 0 and dj != 0)
    a = np.asarray(a_list, dtype=np.int64)
    b = np.asarray(b_list, dtype=np.int64)
    d = np.asarray(diag, dtype=bool)
    if len(a):
        ok = shapely.covers(inner, shapely.linestrings(np.stack([xy[a], xy[b]], axis=1)))
        a, b, d = a[ok], b[ok], d[ok]
    return a, b, np.where(d, DIAGONAL, UNIT).astype(np.int64)


def reflex_corners(space: BaseGeometry) -> np.ndarray:
    """Vertices of ``space`` where it turns inward (interior angle > 180°): the only places a
    shortest walk inside it can bend.

    >>> sorted(reflex_corners(shapely.box(0, 0, 4, 4).difference(shapely.box(1, 1, 2, 2))).tolist())
    [[1.0, 1.0], [1.0, 2.0], [2.0, 1.0], [2.0, 2.0]]
    """
    out = []
    for part in shapely.get_parts(space):
        if part.is_empty or part.geom_type != "Polygon":
            continue
        part = shapely.orient_polygons(part)  # free space on the left of every ring
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)[:-1]
            if len(xy) < 3:
                continue
            d_in = xy - np.roll(xy, 1, axis=0)
            d_out = np.roll(xy, -1, axis=0) - xy
            cross = d_in[:, 0] * d_out[:, 1] - d_in[:, 1] * d_out[:, 0]
            out.append(xy[cross < 0])
    return np.concatenate(out) if out else np.zeros((0, 2))
