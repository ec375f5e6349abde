"""Pure geometry helpers shared by the importers: closing line chains, de-duplicating outlines.

>>> square = [[(0, 0), (10, 0)], [(10, 0.01), (10, 10)], [(10, 10), (0, 10), (0, 0.02)]]
>>> polys, dangles = close_chains(square, snap=0.05)
>>> [round(p.area, 1) for p in polys], dangles
([100.0], 0)
>>> close_chains([[(0, 0), (5, 0)]], snap=0.05)
([], 1)
"""

from __future__ import annotations

from collections.abc import Sequence

from shapely import make_valid
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import polygonize_full, unary_union

from camwatch.areal import polygon_parts

# Line ends closer than this (metres) are joined when chaining LINEs into outlines.
SNAP_M = 0.05
# Two outlines of one kind whose symmetric difference is below this share of their area
# are one outline drawn twice (e.g. a polyline and the hatch filling it).
DUPLICATE_SHARE = 0.01

COLLINEAR_M = 1e-6

Coords = Sequence[tuple[float, float]]


def _snap_points(lines: Sequence[Coords], snap: float) -> list[list[tuple[float, float]]]:
    """Move every line end to the first earlier end within ``snap`` (greedy clustering)."""
    anchors: list[tuple[float, float]] = []

    def anchor(p: tuple[float, float]) -> tuple[float, float]:
        for a in anchors:
            if abs(a[0] - p[0]) <= snap and abs(a[1] - p[1]) <= snap:
                return a
        anchors.append(p)
        return p

    out = []
    for line in lines:
        pts = [(float(x), float(y)) for x, y in line]
        if len(pts) < 2:
            continue
        pts[0] = anchor(pts[0])
        pts[-1] = anchor(pts[-1])
        out.append(pts)
    return out


def close_chains(lines: Sequence[Coords], *, snap: float = SNAP_M) -> tuple[list[Polygon], int]:
    """Outlines formed by open lines whose ends meet within ``snap``; and the number of
    lines that closed nothing (dangles, cut edges, invalid rings).

    Faces sharing an edge are merged, so an outline crossed by inner lines stays one
    polygon. Notes: O(n²) in the number of line ends (drawings have hundreds).
    """
    snapped = _snap_points(lines, snap)
    if not snapped:
        return [], 0
    noded = unary_union(MultiLineString(snapped))
    faces, cuts, dangles, invalid = polygonize_full(noded)
    polys = polygon_parts(unary_union(list(faces.geoms))) if not faces.is_empty else []
    used: BaseGeometry = unary_union([p.exterior for p in polys]) if polys else LineString()
    unused = sum(
        1
        for line in snapped
        if used.is_empty or not LineString(line).buffer(snap).within(used.buffer(snap * 2))
    )
    return polys, unused


def valid_polygon(shell: Coords, holes: Sequence[Coords] = ()) -> Polygon | None:
    """A valid polygon from a ring (and holes), repairing self-touching rings; None when
    nothing of positive area is left or the ring crosses itself into several pieces."""
    if len(shell) < 3:
        return None
    poly = Polygon(shell, [h for h in holes if len(h) >= 3])
    if poly.is_valid and poly.area > 0:
        # drop vertices within 1 µm of the line through their neighbours (flattened
        # straight splines, split polyline edges): the same shape, fewer vertices
        slim = poly.simplify(COLLINEAR_M, preserve_topology=True)
        return slim if isinstance(slim, Polygon) and slim.is_valid else poly
    parts = polygon_parts(make_valid(poly))
    if len(parts) == 1 and parts[0].area > 0:
        return parts[0]
    return None


def drop_duplicates(polys: Sequence[Polygon]) -> list[int]:
    """Indexes of the outlines to keep: the first of each group that are the same shape.

    >>> from shapely.geometry import box
    >>> drop_duplicates([box(0, 0, 10, 10), box(0, 0, 10, 10.05), box(20, 0, 30, 10)])
    [0, 2]
    """
    kept: list[int] = []
    for i, poly in enumerate(polys):
        if not any(
            poly.symmetric_difference(polys[k]).area
            <= DUPLICATE_SHARE * max(poly.area, polys[k].area)
            for k in kept
        ):
            kept.append(i)
    return kept
