"""Shapely geometry to matplotlib paths, and where to put a label on a shape.

Only imported while rendering (it imports matplotlib).
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.path import Path
from shapely.errors import GEOSException
from shapely.geometry import LineString, MultiLineString, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import polylabel

from camwatch.areal import polygon_parts


def line_parts(geom: BaseGeometry | None) -> list[np.ndarray]:
    """Coordinate arrays (n×2) of the lines of any geometry; polygon rings count as lines."""
    if geom is None or geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [np.asarray(geom.coords)[:, :2]]
    if isinstance(geom, Polygon):
        return [np.asarray(r.coords)[:, :2] for r in (geom.exterior, *geom.interiors)]
    out: list[np.ndarray] = []
    for g in getattr(geom, "geoms", ()):
        out += line_parts(g)
    return out


def polygon_path(geom: BaseGeometry | None) -> Path | None:
    """One compound path for all polygons of ``geom`` (holes kept), or None if empty.

    Rings are oriented (shells counter-clockwise, holes clockwise) so the fill
    leaves holes open under either fill rule.
    """
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in polygon_parts(geom):
        poly = orient(poly, 1.0)
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 4:
                continue
            c = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            c[0] = Path.MOVETO
            c[-1] = Path.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def lines_path(geom: BaseGeometry | None) -> Path | None:
    """One open path for every line (and polygon ring) of ``geom``, or None if empty."""
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for xy in line_parts(geom):
        if len(xy) < 2:
            continue
        c = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
        c[0] = Path.MOVETO
        verts.append(xy)
        codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def label_anchor(geom: BaseGeometry) -> tuple[float, float]:
    """A point well inside the largest polygon of ``geom`` (pole of inaccessibility).

    For lines, the middle of the longest line; for points, the point.
    """
    polys = polygon_parts(geom)
    if polys:
        poly = max(polys, key=lambda p: p.area)
        tol = max(math.sqrt(poly.area) / 50.0, 1e-3)
        try:
            p = polylabel(poly, tolerance=tol)
        except (GEOSException, ValueError):  # degenerate shape: fall back to a point on its surface
            p = poly.representative_point()
        # polylabel picks any point of a long slab's midline (often one end); the
        # centroid reads better whenever it is nearly as deep inside
        c = poly.centroid
        depth = poly.boundary.distance(p) if poly.contains(p) else 0.0
        if poly.contains(c) and poly.boundary.distance(c) >= 0.8 * depth:
            return (c.x, c.y)
        return (p.x, p.y)
    if isinstance(geom, LineString | MultiLineString):
        lines = [LineString(xy) for xy in line_parts(geom) if len(xy) >= 2]
        line = max(lines, key=lambda g: g.length)
        p = line.interpolate(0.5, normalized=True)
        return (p.x, p.y)
    c = geom.centroid if not isinstance(geom, Point) else geom
    return (c.x, c.y)


def long_axis(poly: Polygon) -> tuple[float, float, float]:
    """(angle in degrees within (-90, 90], long side, short side) of the minimum rotated rectangle."""
    rect = poly.minimum_rotated_rectangle
    if not isinstance(rect, Polygon):
        return (0.0, 0.0, 0.0)
    xy = np.asarray(rect.exterior.coords)[:4]
    e1, e2 = xy[1] - xy[0], xy[2] - xy[1]
    l1, l2 = float(np.hypot(*e1)), float(np.hypot(*e2))
    edge, long_side, short_side = (e1, l1, l2) if l1 >= l2 else (e2, l2, l1)
    angle = math.degrees(math.atan2(edge[1], edge[0]))
    if angle > 90.0:
        angle -= 180.0
    elif angle <= -90.0:
        angle += 180.0
    return (angle, long_side, short_side)
