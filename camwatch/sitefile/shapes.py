"""Checked reading of GeoJSON geometries from a site file (docs/site-format.md §1): positions
within MAX_COORDINATE, lines of two distinct points, valid polygons of positive area, each
error raised through a :class:`~camwatch.sitefile.values.Ctx` naming the feature.

Notes: plain ``[x, y]`` positions are read in one loop and polygons built from one array
per ring (docs/registry.md, "Loader speed"); anything odd goes through :func:`position`,
whose messages name it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.validation import explain_validity

from camwatch.errors import kind_word
from camwatch.i18n import msg
from camwatch.sitefile.values import Ctx, show

MAX_COORDINATE = 1e7  # |x|, |y| limit of docs/site-format.md §1


def geometry_coords(ctx: Ctx, geometry: Any, allowed: tuple[str, ...]) -> tuple[str, Any]:
    """Check a GeoJSON geometry object's type; return (type, coordinates)."""
    expected = " or ".join(allowed)
    if geometry is None:
        raise ctx.error(msg("geometry is missing (expected %(expected)s)", expected=expected))
    if not isinstance(geometry, Mapping):
        raise ctx.error(
            msg("geometry must be a GeoJSON object, got %(geometry)s", geometry=show(geometry))
        )
    gtype = geometry.get("type")
    if gtype not in allowed:
        raise ctx.error(
            msg(
                "geometry must be a %(expected)s, got %(gtype)s",
                expected=expected,
                gtype=show(gtype),
            )
        )
    if "coordinates" not in geometry:
        raise ctx.error(msg("%(gtype)s geometry has no coordinates", gtype=gtype))
    return gtype, geometry["coordinates"]


def _coordinate(ctx: Ctx, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.error(msg("coordinates must be numbers, got %(value)s", value=show(value)))
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ctx.error(msg("coordinate %(value)s is not finite", value=show(value)))
    if abs(number) > MAX_COORDINATE:
        raise ctx.error(
            msg(
                "coordinate %(value)s is out of range (|x|, |y| must be <= 1e7 m)",
                value=show(value),
            )
        )
    return number


def position(ctx: Ctx, value: Any) -> tuple[float, float]:
    """A GeoJSON position [x, y] (an optional third value, altitude, is dropped)."""
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise ctx.error(msg("a position must be [x, y], got %(value)s", value=show(value)))
    x, y = (_coordinate(ctx, v) for v in value[:2])
    if len(value) == 3:
        _coordinate(ctx, value[2])
    return (x, y)


def positions(ctx: Ctx, value: Any, what: str) -> list[tuple[float, float]]:
    """A list of positions, each read by :func:`position` (plain ones by a quicker loop)."""
    if not isinstance(value, list | tuple):
        raise ctx.error(
            msg("%(what)s must be a list of positions, got %(value)s", what=what, value=show(value))
        )
    plain = _plain_positions(value)
    return plain if plain is not None else [position(ctx, v) for v in value]


def _plain_positions(value: list[Any] | tuple[Any, ...]) -> list[tuple[float, float]] | None:
    """What :func:`position` gives for each of ``value`` when every one is a plain
    ``[x, y]`` list of in-range ``float``/``int`` numbers; None otherwise (then each is read,
    and the first at fault named, by :func:`position`)."""
    out: list[tuple[float, float]] = []
    for item in value:
        if type(item) is not list or len(item) != 2:
            return None
        x, y = item
        kind_x, kind_y = type(x), type(y)
        if not (kind_x is float or kind_x is int) or not (kind_y is float or kind_y is int):
            return None
        # NaN fails both comparisons; an int is compared exactly, then converted exactly
        if not (-MAX_COORDINATE <= x <= MAX_COORDINATE and -MAX_COORDINATE <= y <= MAX_COORDINATE):
            return None
        out.append((float(x), float(y)))
    return out


def parse_point(ctx: Ctx, coords: Any) -> Point:
    return Point(position(ctx, coords))


def parse_linestring(ctx: Ctx, coords: Any) -> LineString:
    """A line with at least two distinct points."""
    pts = positions(ctx, coords, "LineString coordinates")
    if len(set(pts)) < 2:
        raise ctx.error(msg("line needs at least 2 distinct points"))
    return LineString(pts)


def parse_lineal(ctx: Ctx, geometry: Any, allowed: tuple[str, ...]) -> Point | LineString:
    """A Point or LineString geometry, whichever ``allowed`` permits and the file gives."""
    gtype, coords = geometry_coords(ctx, geometry, allowed)
    return parse_point(ctx, coords) if gtype == "Point" else parse_linestring(ctx, coords)


def _ring(ctx: Ctx, value: Any, what: str) -> list[tuple[float, float]]:
    pts = positions(ctx, value, what)
    if pts and pts[0] != pts[-1]:
        pts.append(pts[0])  # rings are closed automatically (docs/site-format.md §1)
    if len(set(pts)) < 3:
        raise ctx.error(msg("%(what)s has fewer than 3 distinct points", what=what))
    return pts


def parse_polygon(ctx: Ctx, geometry: Any, *, holes: bool) -> Polygon:
    """A valid, non-empty Polygon; holes only where the format allows them."""
    _, coords = geometry_coords(ctx, geometry, ("Polygon",))
    if not isinstance(coords, list | tuple):
        raise ctx.error(
            msg("Polygon coordinates must be a list of rings, got %(coords)s", coords=show(coords))
        )
    if not coords or not coords[0]:
        raise ctx.error(msg("polygon is empty"))
    if len(coords) > 1 and not holes:
        raise ctx.error(
            msg(
                "an %(kind)s polygon cannot have holes (draw it as a building)",
                kind=kind_word(ctx.kind or ""),
            )
        )
    shell = _ring(ctx, coords[0], "polygon")
    inner = [_ring(ctx, ring, f"hole {i}") for i, ring in enumerate(coords[1:], start=1)]
    # The geometries Polygon(shell, inner) and MultiPoint(shell) build, made from one array
    # per ring (shapely's constructors convert every position on their own).
    shell_xy = np.array(shell, dtype=float)
    if shapely.area(shapely.convex_hull(shapely.multipoints(shell_xy))) == 0.0:
        raise ctx.error(msg("polygon has zero area (its points are collinear)"))
    hole_rings = [shapely.linearrings(np.array(ring, dtype=float)) for ring in inner]
    polygon = shapely.polygons(shapely.linearrings(shell_xy), holes=hole_rings or None)
    if not shapely.is_valid(polygon):
        reason = explain_validity(polygon)
        if reason.startswith("Self-intersection"):
            raise ctx.error(msg("polygon is self-intersecting (%(reason)s)", reason=reason))
        raise ctx.error(msg("polygon is invalid (%(reason)s)", reason=reason))
    return polygon
