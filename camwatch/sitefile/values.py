"""Checked reading of single values and geometries from a site file (docs/site-format.md §1).

The helpers here are the vocabulary of :mod:`camwatch.sitefile.features`: each
reads one property or geometry, checks it strictly (no silent coercion: a
number given as a string is an error) and raises :class:`SiteFormatError`
through a :class:`Ctx`, which knows which feature the value belongs to so the
message names it: ``feature #7 (camera 'C3'): hfov_deg must be in (0, 360], got 0``.

A property that is absent or JSON ``null`` takes its default.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, overload

from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.validation import explain_validity

from camwatch.errors import SiteFormatError

MAX_COORDINATE = 1e7  # |x|, |y| limit of docs/site-format.md §1


@dataclass
class Ctx:
    """The feature an error is about: index in ``features`` (0-based), kind, id or name."""

    index: int | None = None
    kind: str | None = None
    ident: str | None = None

    def error(self, message: str) -> SiteFormatError:
        if self.index is None and self.kind:  # a lone feature (e.g. from the registry)
            who = self.kind + (f" '{self.ident}'" if self.ident is not None else "")
            message = f"{who}: {message}"
        return SiteFormatError(message, index=self.index, kind=self.kind, ident=self.ident)


def show(value: Any) -> str:
    """A short readable rendering of a bad value for messages."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


# -- numbers -------------------------------------------------------------------


def as_number(ctx: Ctx, name: str, value: Any) -> float:
    """A finite real number (int or float, never bool or str)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.error(f"{name} must be a number, got {show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ctx.error(f"{name} must be finite, got {show(value)}")
    return number


@overload
def get_number(ctx: Ctx, props: Mapping[str, Any], key: str, default: float) -> float: ...
@overload
def get_number(ctx: Ctx, props: Mapping[str, Any], key: str, default: None) -> float | None: ...
def get_number(ctx: Ctx, props: Mapping[str, Any], key: str, default: float | None) -> float | None:
    """A number property, or ``default`` when absent or null."""
    value = props.get(key)
    return default if value is None else as_number(ctx, key, value)


@overload
def get_positive(ctx: Ctx, props: Mapping[str, Any], key: str, default: float) -> float: ...
@overload
def get_positive(ctx: Ctx, props: Mapping[str, Any], key: str, default: None) -> float | None: ...
def get_positive(
    ctx: Ctx, props: Mapping[str, Any], key: str, default: float | None
) -> float | None:
    """A number > 0 (or the default when absent)."""
    value = get_number(ctx, props, key, default)
    if value is not None and value <= 0:
        raise ctx.error(f"{key} must be > 0, got {show(props[key])}")
    return value


# -- text, ids, flags, enumerations ----------------------------------------------


def get_text(ctx: Ctx, props: Mapping[str, Any], key: str) -> str | None:
    """An optional string property."""
    value = props.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ctx.error(f"{key} must be a string, got {show(value)}")


def get_ident(ctx: Ctx, props: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    """An id: a non-empty string or an integer (kept as its decimal string)."""
    value = props.get(key)
    if value is None:
        if required:
            raise ctx.error(f"{key} is required")
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ctx.error(f"{key} must be a string or an integer, got {show(value)}")
    if not value.strip():
        raise ctx.error(f"{key} must not be empty")
    return value


def get_bool(ctx: Ctx, props: Mapping[str, Any], key: str, default: bool) -> bool:
    value = props.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ctx.error(f"{key} must be true or false, got {show(value)}")
    return value


def get_enum(
    ctx: Ctx,
    props: Mapping[str, Any],
    key: str,
    allowed: Collection[str],
    default: str | None,
) -> str:
    """One of ``allowed``; an unknown value is an error, never replaced by the default."""
    value = props.get(key)
    if value is None:
        if default is None:
            raise ctx.error(f"{key} is required (one of: {', '.join(allowed)})")
        return default
    if not isinstance(value, str) or value not in allowed:
        raise ctx.error(f"unknown {key} {show(value)} (expected one of: {', '.join(allowed)})")
    return value


# -- geometry ------------------------------------------------------------------


def geometry_coords(ctx: Ctx, geometry: Any, allowed: tuple[str, ...]) -> tuple[str, Any]:
    """Check a GeoJSON geometry object's type; return (type, coordinates)."""
    expected = " or ".join(allowed)
    if geometry is None:
        raise ctx.error(f"geometry is missing (expected {expected})")
    if not isinstance(geometry, Mapping):
        raise ctx.error(f"geometry must be a GeoJSON object, got {show(geometry)}")
    gtype = geometry.get("type")
    if gtype not in allowed:
        raise ctx.error(f"geometry must be a {expected}, got {show(gtype)}")
    if "coordinates" not in geometry:
        raise ctx.error(f"{gtype} geometry has no coordinates")
    return gtype, geometry["coordinates"]


def _coordinate(ctx: Ctx, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ctx.error(f"coordinates must be numbers, got {show(value)}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ctx.error(f"coordinate {show(value)} is not finite")
    if abs(number) > MAX_COORDINATE:
        raise ctx.error(f"coordinate {show(value)} is out of range (|x|, |y| must be <= 1e7 m)")
    return number


def position(ctx: Ctx, value: Any) -> tuple[float, float]:
    """A GeoJSON position [x, y] (an optional third value, altitude, is dropped)."""
    if not isinstance(value, list | tuple) or len(value) not in (2, 3):
        raise ctx.error(f"a position must be [x, y], got {show(value)}")
    x, y = (_coordinate(ctx, v) for v in value[:2])
    if len(value) == 3:
        _coordinate(ctx, value[2])
    return (x, y)


def positions(ctx: Ctx, value: Any, what: str) -> list[tuple[float, float]]:
    if not isinstance(value, list | tuple):
        raise ctx.error(f"{what} must be a list of positions, got {show(value)}")
    return [position(ctx, v) for v in value]


def parse_point(ctx: Ctx, coords: Any) -> Point:
    return Point(position(ctx, coords))


def parse_linestring(ctx: Ctx, coords: Any) -> LineString:
    """A line with at least two distinct points."""
    pts = positions(ctx, coords, "LineString coordinates")
    if len(set(pts)) < 2:
        raise ctx.error("line needs at least 2 distinct points")
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
        raise ctx.error(f"{what} has fewer than 3 distinct points")
    return pts


def parse_polygon(ctx: Ctx, geometry: Any, *, holes: bool) -> Polygon:
    """A valid, non-empty Polygon; holes only where the format allows them."""
    _, coords = geometry_coords(ctx, geometry, ("Polygon",))
    if not isinstance(coords, list | tuple):
        raise ctx.error(f"Polygon coordinates must be a list of rings, got {show(coords)}")
    if not coords or not coords[0]:
        raise ctx.error("polygon is empty")
    if len(coords) > 1 and not holes:
        raise ctx.error(f"an {ctx.kind} polygon cannot have holes (draw it as a building)")
    shell = _ring(ctx, coords[0], "polygon")
    inner = [_ring(ctx, ring, f"hole {i}") for i, ring in enumerate(coords[1:], start=1)]
    if MultiPoint(shell).convex_hull.area == 0.0:
        raise ctx.error("polygon has zero area (its points are collinear)")
    polygon = Polygon(shell, inner)
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        if reason.startswith("Self-intersection"):
            raise ctx.error(f"polygon is self-intersecting ({reason})")
        raise ctx.error(f"polygon is invalid ({reason})")
    return polygon
