"""Walking in free space: the walking grid's graph, shortest paths and straightened walks.

:class:`WalkGraph` takes the grid of :mod:`planners.walkgrid` (a lattice over
free space turned with the site, remembered per free space) and adds, per
call, how many of ``SEEN_SAMPLES`` points along each edge a coverage polygon
sees (routes report exact figures afterwards with :class:`SeenLength`).
Shortest paths are scipy's Dijkstra on the sparse adjacency (C, some 30×
networkx's on these grids).

:meth:`WalkGraph.smooth` straightens a walk by string pulling and taut passes
(vectorised in :mod:`planners.straighten`);
legs that touch an outline (a fence, a facade) are checked exactly
(:meth:`WalkGraph.leg_ok`) and walks stop ``STANDOFF_M`` short of them.
Reported points are rounded to the millimetre and checked as rounded;
docs/planners.md §6 has the decisions and measurements.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from scipy.sparse import csr_array
from scipy.sparse.csgraph import dijkstra
from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from planners.straighten import best_corner, pull
from planners.walkgrid import (
    cell_size,
    grid_of,
)

SEEN_SAMPLES = 5
STANDOFF_M = 0.02  # walks start and end this far from the fence, facade or kiosk they touch
LEG_TOL_M = 1e-7  # a leg to or from a point on an outline may run this long on blocked space
NEAREST_CANDIDATES = 24
TAUT_PASSES = 3  # densify-and-pull passes after string pulling: walks near the taut path
TAUT_STEP_CELLS = 0.25  # densify every quarter cell
TAUT_SLACK_M = 0.05  # obstacle corners in the triangle of a walk's corner (+ this) may replace it
TAUT_ROUNDS = 8


class WalkGraph:
    """A grid graph of free space.

    Nodes are indices into ``xy``; edge ``e`` joins ``a[e]`` and ``b[e]`` with
    integer length ``units[e]`` (see ``UNIT``) and ``n_seen[e]`` of its
    ``SEEN_SAMPLES`` points inside ``seen``. The grid is the lattice centre +
    R(angle)·((i+½)·cell, (j+½)·cell) with the centre at free space's centroid
    and the angle of :func:`grid_angle`: moving or turning the site moves the
    lattice with it (a quarter turn maps the lattice onto itself), so routes do
    not depend on where the site sits. Shortest paths are scipy's Dijkstra on
    the sparse adjacency (:meth:`shortest`).
    """

    def __init__(
        self, space: BaseGeometry, *, cell_m: float | None = None, seen: BaseGeometry | None = None
    ) -> None:
        self.space = space
        self.cell = cell_size(space) if cell_m is None else float(cell_m)
        grid = grid_of(space, self.cell)
        self.walkable, self.inner, self.blocked = grid.walkable, grid.inner, grid.blocked
        self.corner_xy, self.corner_tree = grid.corner_xy, grid.corner_tree
        self.xy, self.tree = grid.xy, grid.tree
        self.a, self.b, self.units = grid.a, grid.b, grid.units
        self._corner_memo: dict[tuple[tuple[float, float], ...], tuple[float, float]] = {}
        self.n_seen = np.zeros(len(self.a), dtype=np.int64)
        if seen is not None and not seen.is_empty and len(self.a):
            prepared = seen.buffer(0)
            shapely.prepare(prepared)
            t = (np.arange(SEEN_SAMPLES) + 0.5) / SEEN_SAMPLES
            a, b = self.a, self.b
            px = self.xy[a, 0][:, None] * (1 - t) + self.xy[b, 0][:, None] * t
            py = self.xy[a, 1][:, None] * (1 - t) + self.xy[b, 1][:, None] * t
            self.n_seen = shapely.contains_xy(prepared, px, py).sum(axis=1).astype(np.int64)

    def adjacency(self, weights: np.ndarray) -> csr_array:
        """The symmetric sparse adjacency with ``weights`` per edge (all > 0)."""
        n = len(self.xy)
        w = np.concatenate([weights, weights]).astype(np.float64)
        rows = np.concatenate([self.a, self.b])
        cols = np.concatenate([self.b, self.a])
        return csr_array((w, (rows, cols)), shape=(n, n))

    def shortest(
        self, sources: Sequence[int], weights: np.ndarray | None = None, *, nearest: bool = False
    ) -> tuple[np.ndarray, np.ndarray]:
        """Dijkstra from each of ``sources`` (``nearest``: from the nearest of them) with
        ``weights`` per edge (default ``units``): distances (inf where unreachable) and
        predecessors (-9999 at a source and where unreachable), one row per source, or one
        row for ``nearest``. Integer weights sum exactly (below 2⁵³)."""
        matrix = self.adjacency(self.units if weights is None else weights)
        found = dijkstra(matrix, indices=list(sources), return_predecessors=True, min_only=nearest)
        return np.atleast_2d(found[0]), np.atleast_2d(found[1])

    @staticmethod
    def path_to(pred: np.ndarray, target: int) -> list[int]:
        """The nodes from the source of a :meth:`shortest` row to ``target`` (reachable)."""
        out = [int(target)]
        while pred[out[-1]] >= 0:
            out.append(int(pred[out[-1]]))
        return out[::-1]

    def __len__(self) -> int:
        return len(self.xy)

    def leg_ok(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the straight leg a–b stays in free space, touching outlines at most at points.

        For legs with an end on an outline (a door on a facade, an entry on the
        fence): covered by free space (+``EDGE_SLACK_M``) and running on
        blocked space (obstacles, outside) for at most ``LEG_TOL_M``.
        """
        seg = LineString([a, b])
        if not self.walkable.covers(seg):
            return False
        return bool(seg.intersection(self.blocked).length <= LEG_TOL_M)

    def inner_ok(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the straight leg a–b keeps ``CLEARANCE_M`` off every obstacle."""
        return bool(self.inner.covers(LineString([a, b])))

    def nearest(self, point: Point | tuple[float, float]) -> int | None:
        """The nearest node that ``point`` reaches by a straight leg (:meth:`leg_ok`), else None."""
        if self.tree is None or not len(self.xy):
            return None
        p = point if isinstance(point, Point) else Point(point)
        for radius in (2.5, 8.0):
            near = self.tree.query(p.buffer(self.cell * radius))
            dist = np.hypot(*(self.xy[near] - (p.x, p.y)).T)
            order = sorted(zip(np.round(dist / self.cell, 9), near, strict=True))
            for _, k in order[:NEAREST_CANDIDATES]:
                if self.leg_ok((p.x, p.y), to_mm(self.xy[k])):
                    return int(k)
        return None

    def reach(self, target: BaseGeometry, around: Point) -> tuple[tuple[float, float], int] | None:
        """A point by ``target`` and a node joined by a clear leg, nodes nearest ``around`` first.

        For a start on an outline (a kiosk's facade facing free space, a gate):
        the point of ``target`` nearest each candidate node, until its leg is
        clear; the point returned is its :meth:`stand_off`.
        """
        if self.tree is None or target.is_empty:
            return None
        for radius in (2.5, 8.0, 20.0):
            near = self.tree.query(around.buffer(self.cell * radius + target.length / 2))
            dist = np.hypot(*(self.xy[near] - (around.x, around.y)).T)
            for _, k in sorted(zip(np.round(dist / self.cell, 9), near, strict=True))[:200]:
                node = (float(self.xy[k, 0]), float(self.xy[k, 1]))
                p = nearest_points(target, Point(node))[0]
                near_p = self.stand_off((p.x, p.y), int(k))
                if near_p is not None:
                    return near_p, int(k)
        return None

    def nodes_near(self, geom: BaseGeometry, distance: float) -> list[int]:
        """Nodes within ``distance`` of ``geom``."""
        if self.tree is None:
            return []
        return sorted(int(k) for k in self.tree.query(geom, predicate="dwithin", distance=distance))

    def coords(self, path: Sequence[int]) -> list[tuple[float, float]]:
        """Node coordinates to the millimetre (nodes keep ``CLEARANCE_M``, rounding moves < 1 mm)."""
        return [to_mm(self.xy[k]) for k in path]

    def smooth(self, points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
        """String-pull a walk: shortcuts must keep ``CLEARANCE_M`` (:meth:`inner_ok`).

        Consecutive input points must already be walkable (grid edges, and end
        legs checked with :meth:`leg_ok`); they are kept when no shortcut is clear.
        Then up to ``TAUT_PASSES`` passes densify the walk every
        ``TAUT_STEP_CELLS`` cells and pull it forward again: corners move
        towards the taut (locally shortest) walk, which does not depend on
        which of several equal grid paths Dijkstra returned.
        """
        walk = pull(self.inner, list(points), farthest=True)
        for _ in range(TAUT_PASSES):
            tighter = pull(self.inner, densify(walk, self.cell * TAUT_STEP_CELLS), farthest=False)
            if tighter == walk:
                break
            walk = tighter
        return walk

    def stand_off(self, on: tuple[float, float], node: int) -> tuple[float, float] | None:
        """:meth:`toward` the node ``node``."""
        return self.toward(on, to_mm(self.xy[node]))

    def toward(
        self, on: tuple[float, float], q: tuple[float, float], *, exact: bool = False
    ) -> tuple[float, float] | None:
        """The point ``STANDOFF_M`` from ``on`` (on an outline) towards ``q``, to the mm.

        None unless the leg ``on``–``q`` is clear (:meth:`leg_ok`) and the rounded
        point reaches ``q`` keeping ``CLEARANCE_M`` (so the reported walk,
        rounded to the millimetre, never touches an obstacle).
        """
        if not self.leg_ok(on, q):
            return None
        d = math.hypot(q[0] - on[0], q[1] - on[1])
        t = min(STANDOFF_M / d, 1.0) if d > 0 else 1.0
        p = (on[0] + t * (q[0] - on[0]), on[1] + t * (q[1] - on[1]))
        if not exact:
            p = to_mm(p)
        return p if self.inner_ok(p, q) else None

    def tighten(
        self, walk: list[tuple[float, float]], start_on: BaseGeometry, end_on: BaseGeometry
    ) -> list[tuple[float, float]]:
        """Slide the walk's ends along ``start_on`` / ``end_on`` to the points nearest its
        next / previous turning point, and smooth again, until nothing changes (≤ 4 times).

        The grid picks ends to within a cell; this makes a straight walk from a
        fence to a facade their shortest link, wherever the grid lies.
        """
        walk = self.taut(walk)
        for _ in range(4):
            if len(walk) <= 2:
                link = self.link(start_on, end_on, walk)
                return walk if link is None else link
            first = nearest_points(start_on, Point(walk[1]))[0]
            start = self.toward((first.x, first.y), walk[1], exact=True)
            last = nearest_points(end_on, Point(walk[-2]))[0]
            end = self.toward((last.x, last.y), walk[-2], exact=True)
            tighter = self.taut([start or walk[0], *walk[1:-1], end or walk[-1]])
            if tighter == walk:
                return walk
            walk = tighter
        return walk

    def link(
        self,
        start_on: BaseGeometry,
        end_on: BaseGeometry,
        walk: list[tuple[float, float]] | None = None,
    ) -> list[tuple[float, float]] | None:
        """The shortest straight link between ``start_on`` and ``end_on`` near a straight walk.

        Both outlines are clipped to the disc around the walk's middle that
        holds it (radius: half its length + a cell); the nearest points of the
        clipped parts, each moved ``STANDOFF_M`` towards the other, when the
        link is clear. A straight walk from a fence to a facade then depends
        on the outlines only, not on the grid node it came from. Without
        ``walk``: the shortest link of the whole outlines, when clear.
        """
        a_part, b_part = start_on, end_on
        if walk is not None:
            (ax, ay), (bx, by) = walk[0], walk[-1]
            half = math.hypot(bx - ax, by - ay) / 2 + STANDOFF_M
            disc = Point((ax + bx) / 2, (ay + by) / 2).buffer(half + self.cell)
            a_part, b_part = start_on.intersection(disc), end_on.intersection(disc)
        if a_part.is_empty or b_part.is_empty:
            return None
        p, q = nearest_points(a_part, b_part)
        d = p.distance(q)
        if d <= 2 * STANDOFF_M + 1e-3 or not self.leg_ok((p.x, p.y), (q.x, q.y)):
            return None
        ux, uy = (q.x - p.x) / d, (q.y - p.y) / d
        s = (p.x + STANDOFF_M * ux, p.y + STANDOFF_M * uy)
        e = (q.x - STANDOFF_M * ux, q.y - STANDOFF_M * uy)
        if not self.inner_ok(s, e):
            return None
        return [s, e]

    def taut(self, walk: list[tuple[float, float]]) -> list[tuple[float, float]]:
        """Move each corner of a walk to the obstacle corner that makes it shortest.

        A taut walk turns only at corners of free space shrunk by the
        clearance. For a corner c between a and b: dropped when a–b is clear,
        else moved to the vertex v of free space shrunk by ``CLEARANCE_M`` +
        1 mm (``corner_xy``: rounded to the mm it keeps the clearance) in the
        triangle a, c, b (+ ``TAUT_SLACK_M``) with the shortest clear a–v–b
        shorter than a–c–b (ties: the nearer to c, then coordinates; at most
        ``TAUT_TRIES`` tried) that jumps over no obstacle (:func:`planners.straighten.same_way`),
        until nothing changes (≤ ``TAUT_ROUNDS`` rounds): the walk's corners
        then lie at obstacle corners, not at grid points, and do not depend on
        the grid.
        """
        if len(walk) <= 2 or self.corner_tree is None:
            return walk
        walk = list(walk)
        for _ in range(TAUT_ROUNDS):
            changed = False
            i = 1
            while i < len(walk) - 1:
                a, c, b = walk[i - 1], walk[i], walk[i + 1]
                if self.inner_ok(a, b):
                    del walk[i]
                    changed = True
                    continue
                near = self.corner_tree.query(shapely.Polygon([a, c, b]).buffer(TAUT_SLACK_M))
                best = self._best_corner(a, c, b, near)
                if best != c:
                    walk[i] = best
                    changed = True
                i += 1
            if not changed:
                break
        return walk

    def _best_corner(
        self,
        a: tuple[float, float],
        c: tuple[float, float],
        b: tuple[float, float],
        near: np.ndarray,
    ) -> tuple[float, float]:
        """The candidate corner (indices ``near`` in ``corner_xy``) with the shortest clear a–v–b
        shorter than a–c–b, checked in vectorised chunks; else ``c``
        (:func:`planners.straighten.best_corner`, remembered per a, c, b)."""
        key = (a, c, b)
        if key not in self._corner_memo:
            self._corner_memo[key] = best_corner(
                self.inner, self.blocked, self.corner_xy, a, c, b, near
            )
        return self._corner_memo[key]


def densify(points: Sequence[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """The polyline with points inserted every ``step`` at most along each leg (to the mm).

    >>> densify([(0.0, 0.0), (1.0, 0.0)], 0.4)
    [(0.0, 0.0), (0.333, 0.0), (0.667, 0.0), (1.0, 0.0)]
    """
    out = [points[0]]
    for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
        n = max(1, math.ceil(math.hypot(bx - ax, by - ay) / step))
        out += [to_mm((ax + (bx - ax) * k / n, ay + (by - ay) * k / n)) for k in range(1, n)]
        out.append((bx, by))
    return out


def to_mm(p: Sequence[float]) -> tuple[float, float]:
    """A point rounded to the millimetre (how walks are reported)."""
    return (round(float(p[0]), 3) + 0.0, round(float(p[1]), 3) + 0.0)


def json_xy(p: Sequence[float]) -> list[float]:
    """A point as routes and the patrol give it in JSON: ``[x, y]`` to the millimetre."""
    return [round(float(p[0]), 3), round(float(p[1]), 3)]


class SeenLength:
    """Exact length of lines inside a coverage geometry, fast on large sites.

    The coverage's polygons (disjoint parts of a union; lines and points in a
    collection are not area and are dropped) go in an STR tree; a line is
    intersected with the parts its box meets only (one overlay with a whole
    large compound's coverage, a geometry collection, took ~35 ms; this ~0.3 ms).
    """

    def __init__(self, seen: BaseGeometry) -> None:
        parts = shapely.get_parts(seen) if not seen.is_empty else []
        self.parts = [p for p in parts if p.area > 0]
        self.tree = shapely.STRtree(self.parts) if self.parts else None

    def __call__(self, line: LineString) -> float:
        if self.tree is None or line.is_empty:
            return 0.0
        hits = self.tree.query(line)
        return float(sum(line.intersection(self.parts[k]).length for k in hits))


def seen_length(line: LineString, seen: BaseGeometry) -> float:
    """Exact length of ``line`` inside the coverage polygon ``seen``."""
    if seen.is_empty or line.is_empty:
        return 0.0
    return float(line.intersection(seen).length)
