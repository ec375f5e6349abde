"""Comparing two parsed sites field by field, geometries exactly (no shared code with the
loader: dataclass fields, shapely's ``equals_exact`` with tolerance 0, feature indexes)."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from shapely.geometry.base import BaseGeometry

from camwatch.model import Site

GROUPS = (
    "buildings",
    "obstacles",
    "walls",
    "zones",
    "cameras",
    "gates",
    "alarms",
    "intercoms",
    "mounts",
    "doors",
)


def _same_value(a: Any, b: Any, where: str) -> None:
    if isinstance(a, BaseGeometry) or isinstance(b, BaseGeometry):
        assert type(a) is type(b), where
        assert a.equals_exact(b, tolerance=0), where
        return
    if isinstance(a, float) and isinstance(b, float):  # -0.0 and 0.0 differ, NaN never here
        assert math.copysign(1.0, a) == math.copysign(1.0, b) and a == b, where
        return
    if isinstance(a, tuple | list) and isinstance(b, tuple | list):
        assert type(a) is type(b) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_value(x, y, f"{where}[{i}]")
        return
    assert type(a) is type(b) and a == b, f"{where}: {a!r} != {b!r}"


def _same_object(a: Any, b: Any, where: str) -> None:
    assert type(a) is type(b), where
    for f in dataclasses.fields(a):  # every field, ``index`` too (the dataclasses skip it in ==)
        _same_value(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")


def assert_same_site(a: Site, b: Site) -> None:
    """Everything the two sites hold is equal: info, boundary, each object of each kind in
    order with its feature index, and the kept members."""
    assert a.info == b.info
    assert a.extra == b.extra
    _same_value(a.boundary, b.boundary, "boundary")
    for group in GROUPS:
        items_a, items_b = getattr(a, group), getattr(b, group)
        assert len(items_a) == len(items_b), group
        for i, (x, y) in enumerate(zip(items_a, items_b, strict=True)):
            _same_object(x, y, f"{group}[{i}]")


def outcome(parse: Any, *args: Any, **kwargs: Any) -> tuple[str, Any]:
    """``("ok", site)`` or ``("error", (type, message, index, kind, ident))`` of a parse."""
    from camwatch.errors import SiteFormatError

    try:
        return "ok", parse(*args, **kwargs)
    except SiteFormatError as exc:
        return "error", (type(exc), str(exc), exc.index, exc.kind, exc.ident)


def assert_same_outcome(a: tuple[str, Any], b: tuple[str, Any]) -> None:
    assert a[0] == b[0], (a, b)
    if a[0] == "ok":
        assert_same_site(a[1], b[1])
    else:
        assert a[1] == b[1]
