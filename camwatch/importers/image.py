"""A scanned or photographed site plan → a draft site (pure; docs/importers.md).

:func:`trace_plan` finds building footprints (filled or outlined) and the
boundary (the largest closed outline, or a padded hull of the buildings) in a
grey image; :func:`trace_to_site` writes them as a site FeatureCollection in
the metres of docs/site-format.md §8 (origin at the image's bottom-left corner, x
right, y up). The output is not rotated: the scan's skew is measured and used
to square the outlines in the skewed frame.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from shapely import affinity
from shapely.geometry import Polygon
from shapely.ops import unary_union

from camwatch.areal import polygon_parts
from camwatch.errors import UsageError
from camwatch.i18n import Message, msg, term_msg

MIN_BUILDING_M2 = 20.0  # smaller blobs are text, symbols or noise
MIN_BUILDING_SIDE_M = 2.0  # thinner shapes are lines (walls, dimension lines, scale bars)
FILLED_DENSITY = 0.5  # ink share of a filled footprint (outlines are far below)
RIGHT_ANGLE_TOL_DEG = 12.0  # building edges this close to the building's axes are squared
BOUNDARY_ANGLE_TOL_DEG = 3.0  # boundaries are often irregular: square only near-exact edges
# An outlined area nowhere this wide is a gap (between a house and the boundary line,
# an alley closed by walls), not a building.
MIN_OUTLINED_WIDTH_M = 3.0
MIN_RECTANGULARITY = 0.55  # area / minimum rotated rectangle: slivers and wedges are below
HULL_PAD_M = 5.0  # --boundary-from-buildings: hull of the buildings grown by this


@dataclass
class PlanTrace:
    """What :func:`trace_plan` found, in pixel coordinates (x right, y down, pixel centres)."""

    buildings: list[Polygon]
    boundary: Polygon
    boundary_source: str  # "outline" or "hull"
    skew_deg: float
    dropped: dict[str, int] = field(default_factory=dict)


# The reasons in PlanTrace.dropped and the boundary sources, as a reader says them.
DROPPED_WORDS: dict[str, Message] = {
    "text and noise": msg("text and noise"),
    "lines and small shapes": msg("lines and small shapes"),
    "narrow enclosed areas": msg("narrow enclosed areas"),
    "outside the boundary": msg("outside the boundary"),
}
SOURCE_WORDS: dict[str, Message] = {
    "outline": term_msg("trace", "outline"),
    "hull": term_msg("trace", "hull"),
}


def parse_scale(text: str) -> tuple[float, float, float, float, float]:
    """``X1,Y1,X2,Y2,METRES`` → numbers, refusing equal points or a non-positive distance.

    >>> parse_scale("10,20,110,20,25")
    (10.0, 20.0, 110.0, 20.0, 25.0)
    """
    try:
        values = tuple(float(v) for v in text.split(","))
    except ValueError:
        values = ()
    if len(values) != 5 or not all(math.isfinite(v) for v in values):
        raise UsageError(
            msg(
                "--scale must be X1,Y1,X2,Y2,METRES (five numbers), got %(value)s", value=repr(text)
            )
        )
    x1, y1, x2, y2, metres = values
    if math.hypot(x2 - x1, y2 - y1) < 1.0:
        raise UsageError(
            msg(
                "--scale: the two points are equal (or less than a pixel apart): %(value)s",
                value=text,
            )
        )
    if metres <= 0:
        raise UsageError(
            msg(
                "--scale: the distance must be positive metres, got %(value)s",
                value=format(metres, "g"),
            )
        )
    return x1, y1, x2, y2, metres


def _ink(gray: np.ndarray) -> np.ndarray:
    smooth = cv2.GaussianBlur(gray, (3, 3), 0)
    _, ink = cv2.threshold(smooth, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def orientation(poly: Polygon) -> float:
    """The polygon's axis direction in degrees, folded to [-45, 45): the length-weighted
    circular mean of its edge directions taken modulo 90°.

    >>> round(orientation(affinity.rotate(Polygon([(0, 0), (8, 0), (8, 3), (0, 3)]), 7)), 6)
    7.0
    """
    sx = sy = 0.0
    pts = list(poly.exterior.coords)
    for (x1, y1), (x2, y2) in zip(pts, pts[1:], strict=False):
        length = math.hypot(x2 - x1, y2 - y1)
        t = 4 * math.atan2(y2 - y1, x2 - x1)  # period 90° -> full circle
        sx, sy = sx + length * math.cos(t), sy + length * math.sin(t)
    return math.degrees(math.atan2(sy, sx)) / 4 if sx or sy else 0.0


def square_up(poly: Polygon, skew_deg: float, tol_deg: float = RIGHT_ANGLE_TOL_DEG) -> Polygon:
    """Make edges within ``tol_deg`` of the plan's axes exactly parallel to them.

    >>> square_up(Polygon([(0, 0), (10, 0.2), (10.1, 5), (0, 5)]), 0.0).bounds
    (0.0, 0.1, 10.05, 5.0)
    """
    p = affinity.rotate(poly, -skew_deg, origin=(0, 0))
    pts = list(p.exterior.coords)[:-1]
    n = len(pts)
    kinds = []
    for i in range(n):
        (x1, y1), (x2, y2) = pts[i], pts[(i + 1) % n]
        a = math.degrees(math.atan2(y2 - y1, x2 - x1)) % 180
        kinds.append("H" if min(a, 180 - a) <= tol_deg else "V" if abs(a - 90) <= tol_deg else "O")
    # merge runs of the same axis into one edge
    keep = [i for i in range(n) if kinds[i] == "O" or kinds[i] != kinds[i - 1]]
    if len(keep) < 3:
        return poly
    lines = []
    for j, i in enumerate(keep):
        end = keep[(j + 1) % len(keep)]
        seg = [pts[k % n] for k in range(i, end + (n if end <= i else 0) + 1)]
        if kinds[i] == "H":
            lines.append(("H", float(np.mean([q[1] for q in seg]))))
        elif kinds[i] == "V":
            lines.append(("V", float(np.mean([q[0] for q in seg]))))
        else:
            lines.append(("O", 0.0))
    out = []
    for j, i in enumerate(keep):
        x, y = pts[i]
        for kind, value in (lines[j - 1], lines[j]):
            if kind == "H":
                y = value
            elif kind == "V":
                x = value
        out.append((x, y))
    squared = Polygon(out)
    if not squared.is_valid or squared.area < 0.5 * p.area:
        return poly
    return affinity.rotate(squared, skew_deg, origin=(0, 0))


def _polygon(
    contours: Sequence[np.ndarray], outer: int, holes: Sequence[int], eps: float, min_hole_px: float
) -> Polygon | None:
    """A contour (and its large holes) simplified, as a valid polygon in pixel centres."""

    def ring(c: np.ndarray) -> np.ndarray | None:
        approx = cv2.approxPolyDP(c, eps, True).reshape(-1, 2).astype(float)
        return approx if len(approx) >= 3 else None

    shell = ring(contours[outer])
    if shell is None:
        return None
    inner = [
        r
        for h in holes
        if cv2.contourArea(contours[h]) >= min_hole_px and (r := ring(contours[h])) is not None
    ]
    parts = polygon_parts(Polygon(shell, inner).buffer(0))
    return max(parts, key=lambda q: q.area) if parts else None


def _squared(poly: Polygon, grow: float, tol_deg: float = RIGHT_ANGLE_TOL_DEG) -> Polygon:
    """Square ``poly`` to its own axes, then move its edges outward by ``grow`` pixels."""
    out = square_up(poly, orientation(poly), tol_deg).buffer(grow, join_style="mitre")
    parts = polygon_parts(out)
    return max(parts, key=lambda q: q.area) if parts else poly


def _stroke_width(contours: Sequence[np.ndarray], outer: int, holes: Sequence[int]) -> float:
    """Mean stroke width of an outline component: 2 × ink area / (outer + inner perimeter)."""
    ink = cv2.contourArea(contours[outer]) - sum(cv2.contourArea(contours[h]) for h in holes)
    perim = sum(cv2.arcLength(contours[i], True) for i in [outer, *holes])
    return max(1.0, 2 * ink / perim) if perim > 0 else 1.0


def _components(mask: np.ndarray) -> tuple[Sequence[np.ndarray], list[int], dict[int, list[int]]]:
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_NONE)
    if hierarchy is None:
        return contours, [], {}
    holes: dict[int, list[int]] = {}
    outers = []
    for i, h in enumerate(hierarchy[0]):
        if h[3] >= 0:
            holes.setdefault(int(h[3]), []).append(i)
        else:
            outers.append(i)
    return contours, outers, holes


def _narrow(poly: Polygon, s: float) -> bool:
    """Nowhere MIN_OUTLINED_WIDTH_M wide (``s`` pixels per metre)."""
    return bool(poly.buffer(-MIN_OUTLINED_WIDTH_M * s / 2).is_empty)


def _big_enough(poly: Polygon, s: float) -> bool:
    rect = poly.minimum_rotated_rectangle
    xs, ys = rect.exterior.coords.xy
    sides = [math.hypot(xs[i + 1] - xs[i], ys[i + 1] - ys[i]) for i in range(2)]
    return (
        poly.area >= MIN_BUILDING_M2 * s * s
        and min(sides) >= MIN_BUILDING_SIDE_M * s
        and poly.area >= MIN_RECTANGULARITY * rect.area
    )


def _courtyards(polys: Sequence[Polygon]) -> list[Polygon]:
    """An outline enclosed by a bigger one is its courtyard: cut it out, do not keep it.

    >>> from shapely.geometry import box
    >>> [p.area for p in _courtyards([box(4, 4, 6, 6), box(0, 0, 10, 10), box(20, 0, 25, 5)])]
    [96.0, 25.0]
    """
    kept: list[Polygon] = []
    for p in sorted(polys, key=lambda q: -q.area):
        hosts = [i for i, q in enumerate(kept) if q.contains(p.representative_point())]
        if hosts:
            kept[hosts[0]] = kept[hosts[0]].difference(p)
        else:
            kept.append(p)
    return kept


def trace_plan(
    gray: np.ndarray, *, px_per_m: float, boundary_from_buildings: bool = False
) -> PlanTrace:
    """Find buildings and the boundary in a grey plan image (dark ink on light paper).

    Filled footprints are what survives a morphological opening wider than the
    pen (text, lines and outlines do not); outlined footprints are the enclosed
    holes of thin-line components; the boundary is the biggest thin closed
    outline. Every outline is simplified (Douglas–Peucker, a quarter metre) and
    squared to its own axes; edges are moved from pixel centres to the ink edge
    (filled) or the pen's centre line (outlined). Notes: O(pixels).
    """
    s = px_per_m
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    ink = _ink(gray)
    contours, outers, holes = _components(ink)
    if not outers:
        raise UsageError(msg("the image is blank: no drawing found"))
    eps = max(1.0, 0.25 * s)
    min_px = MIN_BUILDING_M2 * s * s
    area = {i: cv2.contourArea(contours[i]) for i in outers}
    dropped = {"text and noise": 0, "lines and small shapes": 0}

    def density(i: int) -> float:
        ink_area = area[i] - sum(cv2.contourArea(contours[h]) for h in holes.get(i, []))
        return ink_area / area[i] if area[i] > 0 else 1.0

    # the boundary: the biggest thin closed outline
    boundary: Polygon | None = None
    site_hole = -1
    pen = 1.0
    for i in sorted(outers, key=lambda i: -area[i]):
        if area[i] < min_px:
            break
        inner = holes.get(i, [])
        if density(i) < 0.35 and inner:
            biggest = max(inner, key=lambda h: cv2.contourArea(contours[h]))
            if cv2.contourArea(contours[biggest]) >= 0.5 * area[i]:
                pen = _stroke_width(contours, i, inner)
                poly = _polygon(contours, i, [], eps, min_px)
                if poly is not None:
                    boundary = _squared(poly, 0.5 - pen / 2, BOUNDARY_ANGLE_TOL_DEG)
                    site_hole = biggest
                break
    buildings: list[Polygon] = []
    # filled footprints: opening removes strokes up to the pen width (and text)
    k = int(min(max(3, 2 * round(pen) + 1), MIN_BUILDING_SIDE_M * s / 2)) | 1
    solid = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    s_contours, s_outers, s_holes = _components(solid)
    solids: list[Polygon] = []
    for i in s_outers:
        poly = _polygon(s_contours, i, s_holes.get(i, []), eps, min_px)
        if poly is not None and _big_enough(poly, s):
            solids.append(_squared(poly, 0.5))
    # outlined footprints: holes of thin components (not the site's inside)
    outlined: list[Polygon] = []
    for i in outers:
        if area[i] < min_px:
            dropped["text and noise"] += 1
            continue
        if density(i) >= FILLED_DENSITY:
            continue
        inner = holes.get(i, [])
        width = _stroke_width(contours, i, inner)
        for h in inner:
            if h == site_hole or cv2.contourArea(contours[h]) < 0.5 * min_px:
                continue
            poly = _polygon(contours, h, [], eps, min_px)
            if poly is None:
                continue
            grown = _squared(poly, width / 2 - 0.5)
            if not _big_enough(grown, s):
                dropped["lines and small shapes"] += 1
            elif _narrow(grown, s):
                dropped["narrow enclosed areas"] = dropped.get("narrow enclosed areas", 0) + 1
            else:
                outlined.append(grown)
    buildings += _courtyards(outlined)
    # In a plan drawn in outline, a solid blob is usually lines run together (a house
    # outline close to the boundary line): it must be wide enough to be a building.
    outline_plan = len(outlined) > len(solids)
    for poly in solids:
        if outline_plan and _narrow(poly, s):
            dropped["narrow enclosed areas"] = dropped.get("narrow enclosed areas", 0) + 1
        else:
            buildings.append(poly)
    if boundary is not None:
        inside = [b for b in buildings if boundary.contains(b.representative_point())]
        if len(inside) < len(buildings):
            dropped["outside the boundary"] = len(buildings) - len(inside)
        buildings = inside
    if not buildings:
        raise UsageError(
            msg("no building footprints found in the image (filled or outlined shapes)")
        )
    source = "outline"
    if boundary_from_buildings:
        hull = unary_union(buildings).convex_hull.buffer(HULL_PAD_M * s, join_style="mitre")
        boundary, source = _squared(hull, 0.0), "hull"
    elif boundary is None:
        raise UsageError(
            msg("no closed boundary outline around the buildings; use --boundary-from-buildings")
        )
    skew = orientation(max(buildings, key=lambda b: b.area))
    return PlanTrace(buildings, boundary, source, skew, dropped)


def to_metres(poly: Polygon, *, px_per_m: float, image_height: int) -> Polygon:
    """Pixel-index polygon → §8 metres (pixel centres at index + 0.5, y up from the bottom)."""
    s = px_per_m
    return affinity.affine_transform(poly, [1 / s, 0, 0, -1 / s, 0.5 / s, (image_height - 0.5) / s])


def trace_to_site(
    trace: PlanTrace, *, px_per_m: float, image_height: int, site_id: str
) -> dict[str, Any]:
    """The traced plan as a site FeatureCollection (boundary and buildings, default heights)."""

    def ring(p: Polygon) -> list[list[list[float]]]:
        m = to_metres(p, px_per_m=px_per_m, image_height=image_height)
        return [[[round(x, 3), round(y, 3)] for x, y in m.exterior.coords]]

    features = [
        {
            "type": "Feature",
            "properties": {"kind": "boundary"},
            "geometry": {"type": "Polygon", "coordinates": ring(trace.boundary)},
        }
    ]

    # numbered in reading order: rows from the top (5 m bands across the drawing's
    # skew), left to right
    def reading(b: Polygon) -> tuple[int, float]:
        c = affinity.rotate(b.centroid, -trace.skew_deg, origin=(0, 0))
        return round(c.y / (5 * px_per_m)), c.x

    order = sorted(trace.buildings, key=reading)
    for n, b in enumerate(order, 1):
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": "building", "name": f"B{n}"},
                "geometry": {"type": "Polygon", "coordinates": ring(b)},
            }
        )
    return {
        "type": "FeatureCollection",
        "site": {"id": site_id, "units": "m", "draft": "import-image"},
        "features": features,
    }
