"""Blind spots: the unwatched area cut into parts, their order and their label points.

The watched cover loses slits narrower than 2·``SLIT_M`` first (sight lines
grazing a corner), then the unwatched area is opened by ``OPENING_M`` so parts
joined only at a point or by a sliver are separate spots (docs/coverage.md,
"Blind spots"). Pure geometry, used by :func:`camwatch.geometry.coverage.analyze`
and the incremental engine alike.
"""

from __future__ import annotations

import numpy as np
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.areal import polygon_parts
from camwatch.geometry.footprint import EMPTY
from camwatch.model import MIN_BLIND_SPOT_M2

OPENING_M = 0.001  # morphological opening that separates parts joined by a point or < 2 mm sliver
# Watched slits narrower than 2 × SLIT_M (sight lines grazing a corner, rounding needles)
# do not cut a blind spot in two (see docs/coverage.md, "Blind spots").
SLIT_M = 1e-4
# Sections of a label point's scan line whose lengths differ by less than this are equal
# (the western one is taken), so a symmetric blind spot's label does not flip with rounding.
LABEL_TIE_M = 1e-6


def label_point(part: Polygon) -> tuple[float, float]:
    """A point inside ``part`` to label it: the middle of the longest section of a scan line.

    As GEOS's interior point: the line is horizontal, halfway between the two vertex
    heights nearest the middle of the bounding box (so it meets no vertex). Sections
    whose lengths differ by less than ``LABEL_TIE_M`` count as equal and the western one
    is taken, so a symmetric spot's label does not jump with rounding or a move.

    >>> from shapely.geometry import box
    >>> label_point(box(0, 0, 4, 2).union(box(6, 0, 10, 2)).union(box(0, 2, 10, 3)))
    (2.0, 1.0)
    >>> label_point(box(0, 0, 4, 2))
    (2.0, 1.0)
    """
    minx, miny, maxx, maxy = part.bounds
    centre = (miny + maxy) / 2.0
    # vertices within LABEL_TIE_M of a straight edge do not count: snap-rounding keeps or
    # drops such points depending on where the site sits, and they would move the line
    plain = part.simplify(LABEL_TIE_M, preserve_topology=True)
    if isinstance(plain, Polygon) and not plain.is_empty:
        part = plain
    rings = [np.asarray(part.exterior.coords)] + [np.asarray(r.coords) for r in part.interiors]
    ys = np.concatenate([r[:, 1] for r in rings])
    below = ys[(ys <= centre) & (ys > miny)]
    above = ys[(ys > centre) & (ys < maxy)]
    lo = float(below.max()) if below.size else miny
    hi = float(above.min()) if above.size else maxy
    y = (lo + hi) / 2.0
    xs = []
    for ring in rings:
        a, b = ring[:-1], ring[1:]
        crossing = (a[:, 1] > y) != (b[:, 1] > y)
        a, b = a[crossing], b[crossing]
        xs.append(a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1]))
    cuts = np.sort(np.concatenate(xs))
    if cuts.size < 2:  # degenerate: fall back on GEOS
        rep = part.representative_point()
        return (rep.x, rep.y)
    starts, ends = cuts[0::2], cuts[1::2]
    widths = ends - starts
    best = int(np.flatnonzero(widths >= widths.max() - LABEL_TIE_M)[0])
    return (float((starts[best] + ends[best]) / 2.0), y)


def without_slits(cover: BaseGeometry, *, width: float = SLIT_M) -> BaseGeometry:
    """``cover`` after a morphological opening by ``width``: slits narrower than 2·width go.

    Convex corners come back exactly (mitre joins); only corners sharper than
    about 23° lose a tip within 5·width of the vertex.

    >>> from shapely.geometry import box
    >>> needle = box(0, 0, 1, 1).union(box(1, 0.5, 9, 0.5 + 1e-6))
    >>> round(without_slits(needle).area, 9)
    1.0
    >>> without_slits(Polygon()).is_empty
    True
    """
    if cover.is_empty:
        return cover
    eroded = cover.buffer(-width, join_style="mitre")
    return eroded.buffer(width, join_style="mitre") if not eroded.is_empty else EMPTY


def blind_spot_parts(
    uncovered: BaseGeometry, *, min_area_m2: float = MIN_BLIND_SPOT_M2
) -> list[Polygon]:
    """Connected parts of the unwatched area after a 1 mm opening, largest first.

    >>> from shapely.geometry import box
    >>> [round(p.area, 3) for p in blind_spot_parts(box(0, 0, 2, 2).union(box(2, 2, 3, 3)))]
    [4.0, 1.0]
    >>> blind_spot_parts(Polygon())
    []
    """
    if uncovered.is_empty:
        return []
    eroded = uncovered.buffer(-OPENING_M, join_style="mitre")
    # Dilate each eroded part on its own, so parts that touch again after
    # dilation (joined at a point or by a < 2 mm sliver) stay separate spots.
    opened = (part.buffer(OPENING_M, join_style="mitre") for part in polygon_parts(eroded))
    parts = [p for g in opened for p in polygon_parts(g) if p.area >= min_area_m2]
    return sorted(parts, key=spot_order)


def spot_order(part: Polygon) -> tuple[float, float, float]:
    """Largest first; equal areas (to 1e-6 m²) north to south, then west to east."""
    c = part.centroid
    return (-round(part.area, 6), -round(c.y, 3), round(c.x, 3))
