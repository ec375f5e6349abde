"""Errors worded in the reader's language.

The core raises errors with English one-line messages; those that carry their
parts — a :class:`~camwatch.errors.ValueRangeError` names the property, its
range (``docs/ranges.md``) and the value — are worded here from the message
catalogue, so a Chinese page says ``摄像机 'C9'：焦距 focal_mm 应在 [0.5, 2000]
范围内，实际为 1e+308``. Other errors keep their message (it names the
offender), wrapped in a translated sentence by the caller.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from camwatch.errors import CamwatchError, ValueRangeError, short
from web.i18n import gettext as _

FEATURE_LABELS = {
    "camera": _l("Camera"),
    "gate": _l("Gate (access control)"),
    "alarm": _l("Alarm"),
    "intercom": _l("Intercom"),
    "building": _l("Building"),
    "obstacle": _l("Obstacle"),
    "wall": _l("Wall"),
    "zone": _l("Zone"),
    "boundary": _l("Boundary"),
    "mount": _l("Mounting spot"),
}
PROPERTY_LABELS = {
    "height_m": _l("height"),
    "heading_deg": _l("heading"),
    "tilt_deg": _l("tilt"),
    "hfov_deg": _l("horizontal field of view"),
    "focal_mm": _l("focal length"),
    "sensor_width_mm": _l("sensor width"),
    "vfov_deg": _l("vertical field of view"),
    "range_m": _l("range"),
    "resolution": _l("resolution"),
    "thickness_m": _l("thickness"),
    "weight": _l("weight"),
    "target_height_m": _l("target height"),
    "max_depression_deg": _l("maximum depression"),
    "hfov": _l("horizontal field of view from the lens"),
    "detection_distance": _l("detection distance"),
}


def _who(exc: ValueRangeError) -> str:
    """The feature the error is about, in the reader's language ('' when unnamed)."""
    label = str(FEATURE_LABELS.get(exc.kind or "", exc.kind or ""))
    name = f"{label} '{short(exc.ident)}'" if exc.ident is not None else label
    if exc.index is not None:
        return _("feature #%(n)d (%(name)s)", n=exc.index, name=name) if name else f"#{exc.index}"
    return name


def range_text(exc: ValueRangeError, *, with_who: bool = True) -> str:
    """A range error in the reader's language: who, which property, its range, the value."""
    label = PROPERTY_LABELS.get(exc.prop)
    prop = f"{label} {exc.prop}" if label is not None else exc.prop
    text = _(
        "%(prop)s must be in %(range)s, got %(value)s",
        prop=prop,
        range=exc.range_text,
        value=exc.value,
    )
    who = _who(exc) if with_who else ""
    return _("%(who)s: %(text)s", who=who, text=text) if who else text


def error_text(exc: BaseException, *, with_who: bool = True) -> str:
    """Any error as one line for a page: range errors worded here, others as they say."""
    if isinstance(exc, ValueRangeError):
        return range_text(exc, with_who=with_who)
    if isinstance(exc, CamwatchError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def analysis_failed(exc: BaseException) -> str:
    """Why a compound's analysis failed, for its pages and the lists."""
    return _("The analysis of this compound failed: %(reason)s", reason=error_text(exc))
