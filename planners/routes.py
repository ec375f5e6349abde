"""Intruder routes (``camwatch routes``; the patrol route is :mod:`planners.patrol`).

An intruder enters from outside
the boundary, either over the perimeter where no alarm line stops him (the
boundary facing free space, minus LineString alarms and gates; stretches of at
least ``MIN_ENTRY_M``, shorter ones are overlay leftovers) or through a
gate without access control, and walks to a building. For every building,
the route reported is the one that *stays unseen longest*: on the free-space
grid (:class:`planners.paths.WalkGraph`) it minimises

    seen metres + ``EPSILON`` × metres walked

(seen = inside detection-level coverage of the counted cameras), so among
routes seen equally little it takes the shortest. The target is the
building's facade facing free space (doors are not part of the site format;
never a wall shared with another building), reached by a clear leg; walks
never enter an obstacle and stop 2 cm short of fence and facade
(docs/planners.md §6). Reported figures
are exact for the smoothed route geometry: ``seen_m``, ``unseen_m``,
``length_m``. Routes are sorted worst first (least seen, then most unseen
metres): those are what planners fix first.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from shapely import get_parts, line_merge, union_all
from shapely.geometry import LineString, MultiLineString, Point
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from camwatch.geometry.coverage import Analysis
from camwatch.geometry.space import obstacles_union
from camwatch.i18n import msg
from camwatch.model import Building, Site
from planners.paths import SEEN_SAMPLES, SeenLength, WalkGraph, json_xy, to_mm
from planners.walkgrid import DIAGONAL
from planners.words import reason

EPSILON = 1e-3  # metres walked are worth this many seen metres: ties go to the shorter route
SEEN_WEIGHT = round(1 / (EPSILON * SEEN_SAMPLES))  # a seen sample of an edge, in EPSILON units
NEAR_CELLS = 1.5  # entry and target nodes lie within this many cells of the entry or building
MAX_TIED_DOORS = 6  # target nodes of (nearly) equal grid weight compared by their exact walks
TIE_SLACK = 2 * DIAGONAL  # "nearly": within two unseen diagonal steps of the grid
ALARM_REACH_M = 1.0
GATE_GAP_M = 1.0
OUTSIDE_M = 1.0  # routes start this far outside the boundary
# Perimeter entry stretches shorter than this are ignored: overlay leftovers between buffered
# alarms, gates and buildings (sub-millimetre on rotated sites) are not a way in (docs/planners.md §6).
MIN_ENTRY_M = 0.5


def _stretches(geom: BaseGeometry) -> list[LineString]:
    """The maximal connected stretches of a linear geometry (pieces split at ring starts merged)."""
    lines = [g for g in get_parts(geom) if isinstance(g, LineString) and not g.is_empty]
    if not lines:
        return []
    merged = line_merge(MultiLineString(lines))
    return [g for g in get_parts(merged) if isinstance(g, LineString)]


def _entries(site: Site) -> list[tuple[BaseGeometry, dict[str, Any]]]:
    """Where an intruder can get in: unguarded perimeter, gates without access control."""
    rings = [LineString(site.boundary.exterior.coords)] + [
        LineString(r.coords) for r in site.boundary.interiors
    ]
    perimeter: BaseGeometry = union_all(rings)
    blocked = obstacles_union(site)
    if not blocked.is_empty:
        perimeter = perimeter.difference(blocked.buffer(0.05))
    stops = [
        a.geometry.buffer(ALARM_REACH_M) for a in site.alarms if isinstance(a.geometry, LineString)
    ]
    stops += [g.geometry.buffer(GATE_GAP_M) for g in site.gates]
    if stops:
        perimeter = perimeter.difference(union_all(stops))
    out: list[tuple[BaseGeometry, dict[str, Any]]] = []
    stretches = [line for line in _stretches(perimeter) if line.length >= MIN_ENTRY_M]
    if stretches:
        out.append((MultiLineString(stretches), {"kind": "perimeter"}))
    for gate in site.gates:
        if gate.access_control == "none":
            out.append((gate.geometry, {"kind": "gate", "id": gate.id, "name": gate.name}))
    return out


def _outside_point(site: Site, at: Point) -> tuple[float, float]:
    """A point ``OUTSIDE_M`` beyond the boundary next to ``at`` (where the route starts)."""
    rings = [site.boundary.exterior, *site.boundary.interiors]
    ring = min(rings, key=lambda r: r.distance(at))
    on = nearest_points(ring, at)[0]
    d = ring.project(on)
    a = ring.interpolate(max(d - 0.5, 0.0))
    b = ring.interpolate(min(d + 0.5, ring.length))
    tx, ty = b.x - a.x, b.y - a.y
    norm = math.hypot(tx, ty) or 1.0
    nx_, ny_ = ty / norm, -tx / norm  # right normal; pick the side outside the boundary
    cand = (on.x + nx_ * OUTSIDE_M, on.y + ny_ * OUTSIDE_M)
    if site.boundary.contains(Point(cand)):
        cand = (on.x - nx_ * OUTSIDE_M, on.y - ny_ * OUTSIDE_M)
    return cand


def _facing(building: Building, graph: WalkGraph) -> BaseGeometry:
    """The part of the building's outline that faces free space (where a door can be)."""
    outline = building.polygon.boundary
    facing = outline.intersection(graph.walkable)
    return facing if not facing.is_empty and facing.length > 0 else outline


def _doors(
    graph: WalkGraph, facing: BaseGeometry, targets: list[int], dist: np.ndarray
) -> list[tuple[int, tuple[float, float]]]:
    """The best target nodes with a clear leg to the facade, and their door points.

    Every such node within ``TIE_SLACK`` of the least grid weight (at most
    ``MAX_TIED_DOORS``): nodes the grid cannot tell apart (its lengths are a
    cell off at the ends); the caller compares their walks exactly.
    """
    found: list[tuple[int, tuple[float, float]]] = []
    for k in sorted(targets, key=lambda k: (dist[k], k)):
        if found and (dist[k] > dist[found[0][0]] + TIE_SLACK or len(found) >= MAX_TIED_DOORS):
            break
        door = nearest_points(facing, Point(graph.xy[k]))[0]
        end = graph.stand_off((door.x, door.y), k)
        if end is not None:
            found.append((k, end))
    return found


def _weights(graph: WalkGraph) -> np.ndarray:
    """Edge weights: seen metres + ``EPSILON`` × metres walked, as exact integers.

    units × (n_seen / SEEN_SAMPLES + EPSILON) scaled by 1 / EPSILON: integers add
    exactly, so equally good grid paths tie exactly whatever the site's position.
    """
    return graph.units * (SEEN_WEIGHT * graph.n_seen + 1)


def intruder_routes(
    site: Site, analysis: Analysis, *, cell_m: float | None = None
) -> list[dict[str, Any]]:
    """For every building, the way in from outside that stays unseen longest (worst first)."""
    seen = analysis.levels[site.info.ladder.lowest].geometry  # the blind-spot level
    seen_m_of = SeenLength(seen)
    graph = WalkGraph(analysis.monitored, cell_m=cell_m, seen=seen)
    if len(graph) == 0:
        return []
    entries = _entries(site)
    entry_of: dict[int, tuple[int, tuple[float, float]]] = {}  # node -> (entry, entry point)
    for e, (geom, _info) in enumerate(entries):
        for k in graph.nodes_near(geom, graph.cell * NEAR_CELLS):
            if k in entry_of:
                continue
            node = (float(graph.xy[k, 0]), float(graph.xy[k, 1]))
            on = nearest_points(geom, Point(node))[0]
            start = graph.stand_off((on.x, on.y), k)
            if start is not None:
                entry_of[k] = (e, start)
    if not entry_of:
        why = reason(
            msg("no way in: alarm lines cover the open perimeter and every gate has access control")
        )
        return [
            {
                "id": f"R{i}",
                "building": b.name or f"#{b.index if b.index is not None else i}",
                "reachable": False,
                **why,
            }
            for i, b in enumerate(site.buildings, 1)
        ]
    routes: list[dict[str, Any]] = []
    # from outside: Dijkstra from the nearest entry node
    dists, preds = graph.shortest(sorted(entry_of), _weights(graph), nearest=True)
    dist, pred = dists[0], preds[0]
    for i, b in enumerate(site.buildings, 1):
        name = b.name or f"#{b.index if b.index is not None else i}"
        near = graph.nodes_near(b.polygon, graph.cell * NEAR_CELLS)
        targets = [k for k in near if math.isfinite(dist[k])]
        facing = _facing(b, graph)
        doors = _doors(graph, facing, targets, dist) if targets else []
        if not doors:
            routes.append(
                {
                    "building": name,
                    "reachable": False,
                    **reason(msg("no way from outside reaches this building in free space")),
                }
            )
            continue
        walks = []
        for best, door in doors:
            nodes = graph.path_to(pred, best)
            e, start = entry_of[nodes[0]]
            walk = graph.smooth([start, *graph.coords(nodes), door])
            walk = graph.tighten(walk, entries[e][0], facing)
            line = LineString(walk)
            score = EPSILON * line.length + seen_m_of(line)
            walks.append((round(score, 9), best, e, walk))
        for e, (geom, _info) in enumerate(entries):  # a straight way in, when one is clear
            link = graph.link(geom, facing)
            if link is not None:
                line = LineString(link)
                walks.append((round(seen_m_of(line) + EPSILON * line.length, 9), -1, e, link))
        _, _, e, walk = min(walks)
        entry = entries[e][1]
        start = walk[0]
        outside = _outside_point(site, Point(start)) if entry["kind"] == "perimeter" else None
        line = LineString(walk)
        seen_m = seen_m_of(line)
        full = [to_mm(outside), *walk] if outside else walk
        routes.append(
            {
                "building": name,
                "reachable": True,
                "entry": entry,
                "entry_point": json_xy(nearest_points(entries[e][0], Point(start))[0].coords[0]),
                "length_m": round(LineString(full).length, 2),
                "seen_m": round(seen_m, 2),
                "unseen_m": round(line.length - seen_m, 2),
                "path": [json_xy(p) for p in full],
            }
        )
    routes.sort(
        key=lambda r: (
            not r["reachable"],
            r.get("seen_m", 0.0),
            -r.get("unseen_m", 0.0),
            r["building"],
        )
    )
    for k, r in enumerate(routes, 1):
        r["id"] = f"R{k}"
    return routes
