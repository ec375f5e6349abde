"""Walking in free space: a grid graph of free space, shortest paths and path smoothing.

:class:`WalkGraph` puts nodes on a square grid over free space F (cell
``cell_m``, chosen so the graph stays around ``GRID_NODES`` nodes) and joins
8-neighbours whose straight segment stays inside F, so walls, buildings and
obstacles are never crossed. Each edge carries its length and the length of
it that a given coverage polygon sees (estimated from ``SEEN_SAMPLES`` points
along it; routes report exact figures afterwards with :func:`seen_length`).

:func:`smooth` straightens a grid path by string pulling: from each point it
jumps to the farthest later point it can see in F, so reported paths are
close to true shortest paths (a grid path alone is up to 8 % longer).

Notes: passages narrower than about a cell may be missed by the grid; the
cell is at most ``MAX_CELL_M``. Building the graph is O(nodes) vectorised
shapely predicates.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import networkx as nx
import numpy as np
import shapely
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

GRID_NODES = 12_000
MIN_CELL_M = 0.5
MAX_CELL_M = 3.0
SEEN_SAMPLES = 5
EDGE_SLACK_M = 1e-6


def cell_size(space: BaseGeometry, *, nodes: int = GRID_NODES) -> float:
    """Grid step (m) so that free space holds about ``nodes`` grid points."""
    if space.is_empty or space.area <= 0:
        return 1.0
    return min(max(math.sqrt(space.area / nodes), MIN_CELL_M), MAX_CELL_M)


class WalkGraph:
    """A grid graph of free space; node attribute ``xy``, edge attributes ``length``, ``seen``."""

    def __init__(
        self, space: BaseGeometry, *, cell_m: float | None = None, seen: BaseGeometry | None = None
    ) -> None:
        self.space = space
        self.cell = cell_size(space) if cell_m is None else float(cell_m)
        self.walkable = space.buffer(EDGE_SLACK_M)
        shapely.prepare(self.walkable)
        x0, y0, x1, y1 = space.bounds
        xs = np.arange(x0 + self.cell / 2, x1, self.cell)
        ys = np.arange(y0 + self.cell / 2, y1, self.cell)
        gx, gy = np.meshgrid(xs, ys, indexing="ij")
        inside = shapely.contains_xy(self.walkable, gx, gy)
        ii, jj = np.nonzero(inside)
        self.ij = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(ii, jj, strict=True))}
        self.xy = np.column_stack([gx[ii, jj], gy[ii, jj]]) if len(ii) else np.zeros((0, 2))
        self.graph = nx.Graph()
        self.graph.add_nodes_from(range(len(self.xy)))
        a_list, b_list = [], []
        for di, dj in ((1, 0), (0, 1), (1, 1), (1, -1)):
            for (i, j), k in self.ij.items():
                m = self.ij.get((i + di, j + dj))
                if m is not None:
                    a_list.append(k)
                    b_list.append(m)
        if not a_list:
            self.tree = shapely.STRtree(shapely.points(self.xy)) if len(self.xy) else None
            return
        a, b = np.asarray(a_list), np.asarray(b_list)
        segs = shapely.linestrings(np.stack([self.xy[a], self.xy[b]], axis=1))
        ok = shapely.covers(self.walkable, segs)
        a, b = a[ok], b[ok]
        length = np.hypot(*(self.xy[a] - self.xy[b]).T)
        seen_len = np.zeros(len(a))
        if seen is not None and not seen.is_empty:
            prepared = seen.buffer(0)
            shapely.prepare(prepared)
            t = (np.arange(SEEN_SAMPLES) + 0.5) / SEEN_SAMPLES
            px = self.xy[a, 0][:, None] * (1 - t) + self.xy[b, 0][:, None] * t
            py = self.xy[a, 1][:, None] * (1 - t) + self.xy[b, 1][:, None] * t
            frac = shapely.contains_xy(prepared, px, py).mean(axis=1)
            seen_len = frac * length
        self.graph.add_edges_from(
            (int(u), int(v), {"length": float(d), "seen": float(s)})
            for u, v, d, s in zip(a, b, length, seen_len, strict=True)
        )
        self.tree = shapely.STRtree(shapely.points(self.xy))

    def __len__(self) -> int:
        return len(self.xy)

    def nearest(self, point: Point | tuple[float, float]) -> int | None:
        """The node nearest to ``point`` that it can walk to in a straight line (else the nearest)."""
        if self.tree is None or not len(self.xy):
            return None
        p = point if isinstance(point, Point) else Point(point)
        near = self.tree.query(p.buffer(self.cell * 2.5))
        if len(near) == 0:
            near = np.array([self.tree.nearest(p)])
        order = near[np.argsort(np.hypot(*(self.xy[near] - (p.x, p.y)).T))]
        for k in order[:8]:
            if self.walkable.covers(LineString([(p.x, p.y), tuple(self.xy[k])])):
                return int(k)
        return int(order[0])

    def nodes_near(self, geom: BaseGeometry, distance: float) -> list[int]:
        """Nodes within ``distance`` of ``geom``."""
        if self.tree is None:
            return []
        return sorted(int(k) for k in self.tree.query(geom, predicate="dwithin", distance=distance))

    def coords(self, path: Sequence[int]) -> list[tuple[float, float]]:
        return [(float(self.xy[k, 0]), float(self.xy[k, 1])) for k in path]


def smooth(
    points: Sequence[tuple[float, float]], walkable: BaseGeometry
) -> list[tuple[float, float]]:
    """String pulling: keep only the turning points needed to stay in ``walkable``."""
    pts = list(points)
    if len(pts) <= 2:
        return pts
    out = [pts[0]]
    i = 0
    while i < len(pts) - 1:
        j = len(pts) - 1
        while j > i + 1 and not walkable.covers(LineString([pts[i], pts[j]])):
            j -= 1
        out.append(pts[j])
        i = j
    return out


def seen_length(line: LineString, seen: BaseGeometry) -> float:
    """Exact length of ``line`` inside the coverage polygon ``seen``."""
    if seen.is_empty or line.is_empty:
        return 0.0
    return float(line.intersection(seen).length)
