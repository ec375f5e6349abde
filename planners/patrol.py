"""The patrol route (``camwatch patrol``; intruder routes: :mod:`planners.routes`).

A closed walk from a start point — a guard kiosk obstacle (name containing one
of ``KIOSK_WORDS``), else a gate — visiting every blind spot of at least
``min_area_m2`` (at its label point, which lies inside the spot). Distances are
shortest grid paths (:class:`planners.paths.WalkGraph`); the visiting order is
the best of networkx's Christofides and greedy TSP heuristics improved by
2-opt; legs are then smoothed. Length and time at ``speed_m_s`` (1.2 m/s, a
patrol's walking pace). docs/planners.md §6 has the decisions.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import numpy as np
from networkx.algorithms.approximation import traveling_salesman_problem
from shapely.geometry import LineString, Point
from shapely.ops import nearest_points

from camwatch.errors import PlanningError, UsageError
from camwatch.geometry.coverage import Analysis
from camwatch.i18n import msg
from camwatch.model import Site
from planners.paths import WalkGraph, json_xy, to_mm
from planners.words import reason

KIOSK_WORDS = ("岗亭", "门卫", "保安", "值班", "guard", "kiosk")  # in order of preference
WALK_SPEED_M_S = 1.2
MIN_PATROL_SPOT_M2 = 10.0


def patrol_start(site: Site, graph: WalkGraph) -> tuple[tuple[float, float], dict[str, Any]]:
    """A guard kiosk's door, else the first gate: a point walkable straight to the grid.

    The door is the point of the kiosk's outline facing free space nearest to
    the grid nodes closest to the kiosk (a kiosk between a lane and a narrow
    gap opens onto the lane).
    """
    for word in KIOSK_WORDS:
        for ob in site.obstacles:
            if word in (ob.name or "").lower():
                facing = ob.polygon.boundary.intersection(graph.walkable)
                found = graph.reach(facing, ob.polygon.representative_point())
                if found is not None:
                    return found[0], {"kind": "obstacle", "name": ob.name}
    for gate in sorted(site.gates, key=lambda g: (g.id is None, str(g.id), g.index or 0)):
        where = gate.geometry
        if not graph.walkable.covers(where):
            where = nearest_points(graph.space, where.representative_point())[0]
        found = graph.reach(where, where.representative_point())
        if found is not None:
            return found[0], {"kind": "gate", "id": gate.id, "name": gate.name}
    raise PlanningError(
        msg(
            "no start for a patrol: the site has no guard kiosk obstacle and no gate "
            "walkable from free space; give --start X,Y"
        )
    )


def _two_opt(order: list[int], d: np.ndarray) -> list[int]:
    """2-opt on a closed tour (first element fixed) until no reversal shortens it."""
    best = list(order)
    improved = True
    while improved:
        improved = False
        n = len(best)
        for i in range(1, n - 1):
            for j in range(i + 1, n):
                a, b = best[i - 1], best[i]
                c, e = best[j], best[(j + 1) % n]
                if d[a, c] + d[b, e] < d[a, b] + d[c, e] - 1e-9:
                    best[i : j + 1] = reversed(best[i : j + 1])
                    improved = True
    return best


def _tour_length(order: list[int], d: np.ndarray) -> float:
    return float(sum(d[order[i], order[(i + 1) % len(order)]] for i in range(len(order))))


def patrol_route(
    site: Site,
    analysis: Analysis,
    *,
    start: tuple[float, float] | None = None,
    min_area_m2: float = MIN_PATROL_SPOT_M2,
    speed_m_s: float = WALK_SPEED_M_S,
    cell_m: float | None = None,
) -> dict[str, Any]:
    """A closed patrol from the start through every blind spot ≥ ``min_area_m2``."""
    if not (math.isfinite(min_area_m2) and min_area_m2 >= 0):
        raise UsageError(
            msg(
                "%(option)s must be >= 0, got %(value)s",
                option="--min-area",
                value=format(min_area_m2, "g"),
            )
        )
    if not (math.isfinite(speed_m_s) and speed_m_s > 0):
        raise UsageError(
            msg(
                "%(option)s must be > 0, got %(value)s",
                option="--speed",
                value=format(speed_m_s, "g"),
            )
        )
    space = analysis.monitored
    graph = WalkGraph(space, cell_m=cell_m)
    if start is None:
        start_xy, start_info = patrol_start(site, graph)
    else:
        if space.distance(Point(start)) > 1.0:
            raise UsageError(
                msg(
                    "--start (%(x)s, %(y)s) is not in the compound's free space",
                    x=format(start[0], "g"),
                    y=format(start[1], "g"),
                )
            )
        # a start just outside free space (in a kiosk, on a facade) walks from its nearest point
        p = nearest_points(space, Point(start))[0]
        start_xy, start_info = to_mm((p.x, p.y)), {"kind": "point"}
    spots = [b for b in analysis.blind_spots if b.area_m2 >= min_area_m2]
    stops = [("start", start_xy)] + [(b.id, to_mm(b.label_point)) for b in spots]
    nodes = [graph.nearest(p) for _, p in stops]
    if nodes[0] is None:
        raise PlanningError(
            msg(
                "the patrol start (%(x)s, %(y)s) reaches no point of the walking grid in a "
                "straight line (no free space, or a passage narrower than a cell: give --cell)",
                x=format(start_xy[0], ".1f"),
                y=format(start_xy[1], ".1f"),
            )
        )
    found = sorted({n for n in nodes if n is not None})
    row = {n: r for r, n in enumerate(found)}  # one Dijkstra per distinct stop node
    dists, preds = graph.shortest(found)
    start_row = dists[row[nodes[0]]]
    reachable = [0] + [
        i
        for i in range(1, len(stops))
        if nodes[i] is not None and math.isfinite(start_row[nodes[i]])
    ]
    skipped = [
        {
            "blind_spot": stops[i][0],
            "point": json_xy(stops[i][1]),
            **reason(
                msg(
                    "not reachable on foot from the start (an enclosed or cut-off part of the compound)"
                )
                if nodes[i] is not None
                else msg("no point of the walking grid in a straight line from it (give --cell)")
            ),
        }
        for i in range(1, len(stops))
        if i not in reachable
    ]
    at = [int(nodes[i] or 0) for i in reachable]  # the grid node of each reachable stop
    n = len(reachable)
    d = np.zeros((n, n))  # integer grid lengths (see planners.paths.UNIT): exact ties
    for a in range(n):
        for b in range(n):
            d[a, b] = dists[row[at[a]], at[b]]
    if n <= 3:
        order = list(range(n))
    else:
        complete = nx.Graph()
        for a in range(n):
            for b in range(a + 1, n):
                complete.add_edge(a, b, weight=float(d[a, b]))
        tours = []
        for method in ("christofides", "greedy"):
            tour = traveling_salesman_problem(
                complete, weight="weight", cycle=True, method=_tsp_method(method)
            )
            tour = tour[:-1]
            k = tour.index(0)
            tours.append(_two_opt(tour[k:] + tour[:k], d))
        order = min(tours, key=lambda t: (_tour_length(t, d), t))
    coords: list[tuple[float, float]] = [start_xy]
    for a, b in zip(order, order[1:] + order[:1], strict=True):
        ia, ib = reachable[a], reachable[b]
        path = graph.path_to(preds[row[at[a]]], at[b])
        leg = [stops[ia][1], *graph.coords(path), stops[ib][1]]
        coords += graph.smooth(leg)[1:]
    line = LineString(coords) if len(coords) >= 2 else LineString([start_xy, start_xy])
    length = line.length
    return {
        "start": {**start_info, "point": json_xy(start_xy)},
        "stops": [
            {
                "blind_spot": stops[reachable[i]][0],
                "point": json_xy(stops[reachable[i]][1]),
                "area_m2": round(spots[reachable[i] - 1].area_m2, 2),
            }
            for i in order
            if i != 0
        ],
        "skipped": skipped,
        "min_area_m2": min_area_m2,
        "length_m": round(length, 2),
        "speed_m_s": speed_m_s,
        "time_min": round(length / speed_m_s / 60.0, 2),
        "path": [json_xy(p) for p in coords],
    }


def _tsp_method(name: str):  # type: ignore[no-untyped-def]
    from networkx.algorithms.approximation import christofides, greedy_tsp

    if name == "christofides":
        return lambda g, weight: christofides(g, weight=weight)
    return lambda g, weight: greedy_tsp(g, weight=weight)
