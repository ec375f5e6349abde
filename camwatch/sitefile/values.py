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
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, overload

import numpy as np
import shapely
from shapely.geometry import LineString, Point, Polygon
from shapely.validation import explain_validity

from camwatch.errors import SiteFormatError, ValueRangeError, kind_word, named
from camwatch.i18n import Message, msg
from camwatch.properties import Property, show

MAX_COORDINATE = 1e7  # |x|, |y| limit of docs/site-format.md §1
# Limits on any value a site file carries, interpreted or kept (docs/ranges.md):
MAX_DEPTH = 32  # nesting of lists and objects below a feature or top-level member
MAX_INTEGER = 2**63  # an integer must fit 64 bits (JSON readers and databases round beyond)


@dataclass
class Ctx:
    """The feature an error is about: index in ``features`` (0-based), kind, id or name."""

    index: int | None = None
    kind: str | None = None
    ident: str | None = None

    def error(self, message: str | Message) -> SiteFormatError:
        if self.index is None and self.kind:  # a lone feature (e.g. from the registry)
            message = msg("%(who)s: %(detail)s", who=named(self.kind, self.ident), detail=message)
        return SiteFormatError(message, index=self.index, kind=self.kind, ident=self.ident)

    def located(self, exc: ValueRangeError) -> ValueRangeError:
        """A range error from :mod:`camwatch.properties`, about this feature."""
        if self.index is None and self.kind:
            who = named(self.kind, self.ident)
            return exc.located(kind=self.kind, ident=self.ident, where=who)
        return exc.located(index=self.index, kind=self.kind, ident=self.ident)


# -- any value: depth, text, integers -----------------------------------------------


def bad_text(text: str) -> str | None:
    """Why ``text`` cannot be stored as it is, or None: a lone surrogate (not Unicode, cannot
    be written as UTF-8) or a NUL character (PostgreSQL text and JSON refuse it)."""
    if "\x00" in text:
        return "contains a NUL character"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (lone surrogate)"
    return None


def check_tree(ctx: Ctx, value: Any, where: str) -> None:
    """Every value below ``value`` is writable JSON: at most MAX_DEPTH deep, text valid
    Unicode, integers within 64 bits, numbers finite. Iterative (no recursion limit).

    Notes: a tree of plain ``dict``/``list``/scalars that passes is recognised by a quick
    walk without paths (:func:`_all_writable`); anything else, and every failure, is
    walked again path by path (:func:`_walk_tree`), which words the error."""
    if _all_writable((value,), 0):
        return
    _walk_tree(ctx, value, where)


def _text_ok(text: str) -> bool:
    """``bad_text(text) is None``, without the encoding attempt for ASCII text."""
    return "\x00" not in text and (text.isascii() or bad_text(text) is None)


def _all_writable(values: Iterable[Any], depth: int) -> bool:
    """Whether :func:`_walk_tree` passes on each of ``values`` (found at ``depth``); True only
    for plain JSON types (``dict``, ``list``, ``str``, ``int``, ``float``, ``bool``, None),
    False for anything the walk must look at (subclasses, tuples, any failure)."""
    for item in values:
        kind = type(item)
        if kind is float:
            if not math.isfinite(item):
                return False
        elif kind is str:
            if not (item.isascii() and "\x00" not in item) and not _text_ok(item):
                return False
        elif kind is int:
            if not -MAX_INTEGER < item < MAX_INTEGER:
                return False
        elif kind is dict:
            if depth >= MAX_DEPTH:
                return False
            for key in item:
                if type(key) is not str:
                    return False
                if not (key.isascii() and "\x00" not in key) and not _text_ok(key):
                    return False
            if not _all_writable(item.values(), depth + 1):
                return False
        elif kind is list:
            if depth >= MAX_DEPTH or not _all_writable(item, depth + 1):
                return False
        elif kind is not bool and item is not None:
            return False
    return True


def _walk_tree(ctx: Ctx, value: Any, where: str) -> None:
    """:func:`check_tree`'s walk, path by path: raises on the first value at fault."""
    stack: list[tuple[Any, str, int]] = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            why = bad_text(item)
            if why:
                raise ctx.error(
                    msg("%(path)s: text %(item)s %(why)s", path=path, item=show(item), why=why)
                )
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int):
            if abs(item) >= MAX_INTEGER:
                raise ctx.error(
                    msg(
                        "%(path)s: integer %(item)s does not fit 64 bits",
                        path=path,
                        item=show(item),
                    )
                )
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise ctx.error(
                    msg("%(path)s: number %(item)s is not finite", path=path, item=show(item))
                )
        elif isinstance(item, Mapping | list | tuple):
            if depth >= MAX_DEPTH:
                raise ctx.error(
                    msg(
                        "%(path)s: nested more than %(MAX_DEPTH)s levels deep",
                        path=path,
                        MAX_DEPTH=MAX_DEPTH,
                    )
                )
            pairs = item.items() if isinstance(item, Mapping) else enumerate(item)
            for key, child in pairs:
                if isinstance(item, Mapping) and (not isinstance(key, str) or bad_text(key)):
                    raise ctx.error(
                        msg("%(path)s: key %(key)s is not valid text", path=path, key=show(key))
                    )
                child_path = f"{path}.{key}" if isinstance(item, Mapping) else f"{path}[{key}]"
                stack.append((child, child_path, depth + 1))
        else:
            raise ctx.error(
                msg(
                    "%(path)s: %(type_name)s is not a JSON value",
                    path=path,
                    type_name=type(item).__name__,
                )
            )


# -- numbers -------------------------------------------------------------------


@overload
def get_property(ctx: Ctx, props: Mapping[str, Any], prop: Property, default: float) -> float: ...
@overload
def get_property(
    ctx: Ctx, props: Mapping[str, Any], prop: Property, default: None
) -> float | None: ...
def get_property(
    ctx: Ctx, props: Mapping[str, Any], prop: Property, default: float | None
) -> float | None:
    """A numeric property checked against its range (:mod:`camwatch.properties`), or the default."""
    value = props.get(prop.name)
    if value is None:
        return default
    try:
        return prop.check(value)
    except ValueRangeError as exc:
        raise ctx.located(exc) from None


# -- text, ids, flags, enumerations ----------------------------------------------


def get_text(ctx: Ctx, props: Mapping[str, Any], key: str) -> str | None:
    """An optional string property."""
    value = props.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ctx.error(msg("%(key)s must be a string, got %(value)s", key=key, value=show(value)))


def get_ident(ctx: Ctx, props: Mapping[str, Any], key: str, *, required: bool) -> str | None:
    """An id: a non-empty string or an integer (kept as its decimal string)."""
    value = props.get(key)
    if value is None:
        if required:
            raise ctx.error(msg("%(key)s is required", key=key))
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if abs(value) >= MAX_INTEGER:
            raise ctx.error(
                msg(
                    "%(key)s must be a string or a 64-bit integer, got %(value)s",
                    key=key,
                    value=show(value),
                )
            )
        return str(value)
    if not isinstance(value, str):
        raise ctx.error(
            msg("%(key)s must be a string or an integer, got %(value)s", key=key, value=show(value))
        )
    if not value.strip():
        raise ctx.error(msg("%(key)s must not be empty", key=key))
    return value


def get_bool(ctx: Ctx, props: Mapping[str, Any], key: str, default: bool) -> bool:
    value = props.get(key)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ctx.error(
            msg("%(key)s must be true or false, got %(value)s", key=key, value=show(value))
        )
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
            raise ctx.error(
                msg("%(key)s is required (one of: %(names)s)", key=key, names=", ".join(allowed))
            )
        return default
    if not isinstance(value, str) or value not in allowed:
        raise ctx.error(
            msg(
                "unknown %(key)s %(value)s (expected one of: %(names)s)",
                key=key,
                value=show(value),
                names=", ".join(allowed),
            )
        )
    return value


# -- geometry ------------------------------------------------------------------


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
