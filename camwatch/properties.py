"""The physically sensible range of every numeric site property: one validator each.

Each :class:`Property` names a value, its :class:`Range` and its unit. It is
defined once here and used by every way a value gets in: the site loader
(:mod:`camwatch.sitefile.features`), hence the ledger (every device write is
checked by the loader), ``camwatch devices add|update``, the web forms and the
API. The table is in ``docs/ranges.md``; the properties themselves in
``docs/site-format.md``.

A value outside its range raises :class:`~camwatch.errors.ValueRangeError`
with one message naming the property, the range and the value::

    focal_mm must be in [0.5, 2000], got 1e+308

>>> CAMERA["focal_mm"].check(4)
4.0
>>> CAMERA["focal_mm"].check(1e308)
Traceback (most recent call last):
...
camwatch.errors.ValueRangeError: focal_mm must be in [0.5, 2000], got 1e+308

Notes: the ranges are wide enough for every real device (a 0.5 mm fisheye to a
2000 mm telephoto lens, a camera on a 100 m mast) and narrow enough that every
derived quantity (field of view, DORI distance) stays finite and well inside
floating point, so one typed value cannot make an analysis fail.
"""

from __future__ import annotations

import math
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from camwatch.errors import ValueRangeError
from camwatch.i18n import Message, msg
from camwatch.model import DEFAULT_RESOLUTION, DORI_PX_PER_M, hfov_from_lens

# A DORI distance beyond the largest coordinate a site may hold (docs/site-format.md §1:
# |x|, |y| <= 1e7 m) means nothing and breaks the geometry; a lens giving more is refused.
MAX_DORI_DISTANCE_M = 1e7


class _Short(reprlib.Repr):
    """repr cut short: a few levels and items deep, big integers by their size."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 200:
            return f"<an integer of {x.bit_length()} bits>"
        return repr(x)


_SHORT = _Short()
_SHORT.maxlevel, _SHORT.maxlist, _SHORT.maxdict, _SHORT.maxstring = 3, 4, 4, 40
_SHORT.maxlong, _SHORT.maxother = 60, 40


def show(value: Any) -> str:
    """A short readable rendering of a value for messages (never fails, never long).

    >>> show([[[[[1]]]]]), show(10**400)
    ('[[[[...]]]]', '<an integer of 1329 bits>')
    """
    try:
        text = _SHORT.repr(value)
    except (ValueError, RecursionError):  # pragma: no cover - reprlib bounds both
        text = f"<a {type(value).__name__}>"
    return text if len(text) <= 60 else text[:57] + "..."


def _num(x: float) -> str:
    return f"{x:g}"


@dataclass(frozen=True)
class Range:
    """An interval; ``None`` bounds are unbounded, ``*_open`` excludes the bound."""

    low: float | None = None
    high: float | None = None
    low_open: bool = False
    high_open: bool = False

    def __contains__(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            return False
        return not (
            self.high is not None and (value > self.high or (self.high_open and value == self.high))
        )

    def __str__(self) -> str:
        if self.low is None and self.high is None:
            return "any finite number"
        low = "-inf" if self.low is None else _num(self.low)
        high = "inf" if self.high is None else _num(self.high)
        left = "(" if self.low_open or self.low is None else "["
        right = ")" if self.high_open or self.high is None else "]"
        return f"{left}{low}, {high}{right}"


@dataclass(frozen=True)
class Property:
    """A numeric property: its name, range, unit and whether it is a whole number."""

    name: str
    range: Range
    unit: str
    meaning: str
    integer: bool = False

    def error(self, value: Any, *, wrong_type: bool = False) -> ValueRangeError:
        """The one message for a bad ``value`` of this property."""
        rng = str(self.range)
        need: Message
        if self.range.low is None and self.range.high is None:
            need = msg("a number") if wrong_type else msg("a finite number")
        elif self.integer:
            need = msg("an integer in %(range)s", range=rng)
        elif wrong_type:
            need = msg("a number in %(range)s", range=rng)
        else:
            need = msg("in %(range)s", range=rng)
        return ValueRangeError(
            msg(
                "%(prop)s must be %(need)s, got %(value)s",
                prop=self.name,
                need=need,
                value=show(value),
            ),
            prop=self.name,
            range_text=str(self.range),
            value=show(value),
        )

    def check(self, value: Any) -> float:
        """``value`` as a float if it is a number (never a bool or text) in range.

        Integers too large for a float are out of range, not an overflow.
        """
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(value, wrong_type=True)
        if self.integer and not isinstance(value, int):
            raise self.error(value, wrong_type=True)
        try:
            number = float(value)
        except OverflowError:
            raise self.error(value) from None
        if number not in self.range:
            raise self.error(value)
        return number


def _prop(name: str, rng: Range, unit: str, meaning: str, *, integer: bool = False) -> Property:
    return Property(name, rng, unit, meaning, integer)


CAMERA: dict[str, Property] = {
    p.name: p
    for p in (
        _prop("height_m", Range(0.1, 100), "m", "mounting height above the ground"),
        _prop("heading_deg", Range(), "deg", "compass heading, taken modulo 360"),
        _prop("tilt_deg", Range(-90, 90), "deg", "tilt below the horizontal"),
        _prop("hfov_deg", Range(0, 360, low_open=True), "deg", "horizontal field of view"),
        _prop("focal_mm", Range(0.5, 2000), "mm", "lens focal length"),
        _prop("sensor_width_mm", Range(0.5, 100), "mm", "sensor width"),
        _prop(
            "vfov_deg",
            Range(0, 180, low_open=True, high_open=True),
            "deg",
            "vertical field of view",
        ),
        _prop("range_m", Range(0, 2000, low_open=True), "m", "hard range cap (e.g. IR reach)"),
    )
}
RESOLUTION = _prop(
    "resolution", Range(160, 20000), "px", "image width and height, each", integer=True
)
BUILDING_HEIGHT = _prop("height_m", Range(0, 1000, low_open=True), "m", "building height")
OBSTACLE_HEIGHT = _prop("height_m", Range(0, 1000, low_open=True), "m", "obstacle height")
WALL_HEIGHT = _prop("height_m", Range(0, 1000, low_open=True), "m", "wall height")
TARGET_HEIGHT = _prop(
    "target_height_m", Range(0, 100), "m", "target height above the ground (standing model)"
)
MAX_DEPRESSION = _prop(
    "max_depression_deg",
    Range(0, 90, low_open=True),
    "deg",
    "steepest depression angle a target may be seen at (standing model)",
)
WALL_THICKNESS = _prop("thickness_m", Range(0, 10, low_open=True), "m", "wall thickness")
ZONE_WEIGHT = _prop("weight", Range(0, 1e6), "", "zone weight for the planners (0: ignored)")

# Every numeric property by feature kind (the loader, docs/ranges.md and the tests use it).
PROPERTIES: dict[str, dict[str, Property]] = {
    "camera": {**CAMERA, "resolution": RESOLUTION},
    "building": {"height_m": BUILDING_HEIGHT},
    "obstacle": {"height_m": OBSTACLE_HEIGHT},
    "wall": {"thickness_m": WALL_THICKNESS, "height_m": WALL_HEIGHT},
    "zone": {"weight": ZONE_WEIGHT},
}
# Derived from a lens: must leave a real, non-panoramic field of view.
LENS_HFOV = Range(0, 180, low_open=True, high_open=True)


def check_resolution(value: Any) -> tuple[int, int]:
    """``[width, height]``, both integers in :data:`RESOLUTION`'s range."""
    bad = ValueRangeError(
        msg(
            "resolution must be [width, height] in integer pixels, each in %(range)s, "
            "got %(value)s",
            range=str(RESOLUTION.range),
            value=show(value),
        ),
        prop="resolution",
        range_text=str(RESOLUTION.range),
        value=show(value),
    )
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise bad
    for v in value:
        try:
            RESOLUTION.check(v)
        except ValueRangeError:
            raise bad from None
    return (int(value[0]), int(value[1]))


def check_properties(kind: str, props: Mapping[str, Any]) -> None:
    """Check the numeric properties of a ``kind`` feature that ``props`` gives (None = unset).

    For callers that hold values before they reach the loader (CLI options,
    form fields), so the person hears about the value they typed first.
    """
    for name, prop in PROPERTIES.get(kind, {}).items():
        value = props.get(name)
        if value is None:
            continue
        if name == "resolution":
            check_resolution(value)
        else:
            prop.check(value)


def detection_distance(hfov_deg: float, width_px: int) -> float:
    """The detection DORI distance of docs/site-format.md §2 (the formula of ``optics.dori_distance``).

    >>> round(detection_distance(90, 1920), 2)
    38.4
    """
    density = DORI_PX_PER_M["detection"]
    alpha = math.radians(hfov_deg)
    if hfov_deg >= 180.0:
        return width_px / (alpha * density)
    tangent = math.tan(alpha / 2.0)
    return math.inf if tangent <= 0.0 else width_px / (2.0 * density * tangent)


def check_optics(
    *,
    hfov_deg: float | None,
    focal_mm: float | None,
    sensor_width_mm: float | None,
    resolution: tuple[int, int] = DEFAULT_RESOLUTION,
) -> float:
    """Derived checks of a camera whose values are each in range; returns its hfov.

    The hfov a lens gives must be in (0, 180); the detection distance finite and
    at most :data:`MAX_DORI_DISTANCE_M` (a tiny hfov at a high resolution would
    reach beyond any site).
    """
    source: Message | str
    if hfov_deg is not None:
        hfov, source = hfov_deg, f"hfov_deg {show(hfov_deg)}"
    elif focal_mm is not None and sensor_width_mm is not None:
        hfov = hfov_from_lens(focal_mm, sensor_width_mm)
        source = msg(
            "focal_mm %(focal)s with sensor_width_mm %(sensor)s",
            focal=show(focal_mm),
            sensor=show(sensor_width_mm),
        )
        if hfov not in LENS_HFOV:
            raise ValueRangeError(
                msg(
                    "%(source)s gives hfov_deg %(hfov)s, which must be in %(range)s",
                    source=source,
                    hfov=format(hfov, ".6g"),
                    range=str(LENS_HFOV),
                ),
                prop="hfov",
                range_text=str(LENS_HFOV),
                value=show(hfov),
            )
    else:
        return 90.0
    distance = detection_distance(hfov, resolution[0])
    if not distance <= MAX_DORI_DISTANCE_M:
        raise ValueRangeError(
            msg(
                "%(source)s at %(px)s px gives a detection distance of %(distance)s m, "
                "which must be at most %(max)s m",
                source=source,
                px=resolution[0],
                distance=format(distance, ".4g"),
                max=format(MAX_DORI_DISTANCE_M, "g"),
            ),
            prop="detection_distance",
            range_text=f"(0, {MAX_DORI_DISTANCE_M:g}]",
            value=f"{distance:.4g}",
        )
    return hfov
