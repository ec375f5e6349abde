"""How many bytes a cached value holds, estimated by walking it once (docs/web.md,
"Caching"): the web cache's cap (:mod:`web.cache`) and the incremental states' cap
(:mod:`web.incremental`) are on this estimate, not on counts of entries.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

# GEOS keeps a coordinate as 2–3 doubles plus per-geometry headers
_GEOS_BYTES_PER_COORD = 24
_GEOS_BYTES_PER_PART = 120


def estimate_size(value: Any) -> int:
    """Bytes ``value`` holds in memory, estimated by walking it once.

    Python objects count ``sys.getsizeof`` each (shared objects once); a
    shapely geometry counts its GEOS coordinates and parts. Notes: an
    estimate — within a factor of about 1.5 of the process's measured growth
    for cached analyses (tested in ``tests/web/test_cache.py``).

    >>> estimate_size("abc") == sys.getsizeof("abc")
    True
    >>> estimate_size(()) == sys.getsizeof(())
    True
    """
    seen: set[int] = set()
    total = 0
    stack = [value]
    geoms: list[BaseGeometry] = []  # counted at the end, in one vectorised call each
    # the exact types first (most objects; a dict or a tuple of a cached value is walked
    # every time it is stored), then subclasses as their base classes
    getsizeof, push, extend, mark = sys.getsizeof, stack.append, stack.extend, seen.add
    while stack:
        obj = stack.pop()
        ident = id(obj)
        if ident in seen:
            continue
        mark(ident)
        total += getsizeof(obj)
        kind = type(obj)
        if kind in _ATOMS:
            continue
        if kind is dict:
            extend(obj.keys())
            extend(obj.values())
            continue
        if kind is list or kind is tuple:
            if _positions(obj):  # a GeoJSON ring or line: counted without a walk
                total += len(obj) * _POSITION_BYTES
            else:
                extend(obj)
            continue
        if isinstance(obj, _ATOM_TYPES):
            continue
        if isinstance(obj, BaseGeometry):
            geoms.append(obj)
            continue
        if isinstance(obj, dict):
            extend(obj.keys())
            extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            if _positions(obj):
                total += len(obj) * _POSITION_BYTES
                continue
            extend(obj)
        else:
            attrs = getattr(obj, "__dict__", None)
            if attrs is not None:
                push(attrs)
            for slot in _slots(kind):
                if hasattr(obj, slot):
                    push(getattr(obj, slot))
    if geoms:
        array = np.asarray(geoms, dtype=object)
        coords = int(shapely.get_num_coordinates(array).sum())
        parts = int(shapely.get_num_geometries(array).sum())
        parts += int(shapely.get_num_interior_rings(array).sum())
        total += coords * _GEOS_BYTES_PER_COORD + (parts + len(geoms)) * _GEOS_BYTES_PER_PART
    return total


_POSITION_BYTES = sys.getsizeof([0.0, 0.0]) + 2 * sys.getsizeof(0.0)
_ATOM_TYPES: tuple[type, ...] = (str, bytes, bytearray, int, float, bool, type(None))
_ATOMS = frozenset(_ATOM_TYPES)


_SLOTS: dict[type, tuple[str, ...]] = {}


def _slots(kind: type) -> tuple[str, ...]:
    """A class's ``__slots__`` as a tuple (remembered per class)."""
    found = _SLOTS.get(kind)
    if found is None:
        slots = getattr(kind, "__slots__", ())
        found = _SLOTS[kind] = (slots,) if isinstance(slots, str) else tuple(slots)
    return found


def _positions(obj: Any) -> bool:
    """True for a list of ``[x, y]`` float lists (judged by its first and last item)."""
    if type(obj) is not list or not obj:
        return False
    first, last = obj[0], obj[-1]
    return (
        type(first) is list
        and type(last) is list
        and len(first) == 2
        and len(last) == 2
        and type(first[0]) is float
        and type(last[1]) is float
    )
