"""An in-memory LRU cache for derived data (sites, free space, footprints, analyses),
capped in bytes.

Keys include the versions of the rows the value was derived from (the
compound's ``version`` and every device's ``version``, see
:func:`web.ledger.state_key`), so a change anywhere makes a new key and a
stale value is never served; old entries simply age out. Values are
immutable (frozen dataclasses, shapely geometry), so sharing them between
request threads is safe. Concurrent misses of one key compute once: the
first thread computes, the others wait for it.

The cap is on the estimated size of the values held (``CACHE_BYTES``, 256 MiB
by default; ``CAMWATCH_CACHE_BYTES``), not on their number: one analysis of a
large compound weighs as much as thousands of small JSON answers, so a count
cap let the process grow with every edit. :func:`estimate_size` walks a value
(containers, dataclasses, objects, shapely geometry) and adds up what it
holds; a value larger than the whole cap is returned but not kept.
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import shapely
from flask import Flask
from shapely.geometry.base import BaseGeometry

T = TypeVar("T")

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
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        if isinstance(obj, (str, bytes, bytearray, int, float, bool, type(None))):
            continue
        if isinstance(obj, BaseGeometry):
            coords = int(shapely.get_num_coordinates(obj))
            parts = int(shapely.get_num_geometries(obj)) + int(shapely.get_num_interior_rings(obj))
            total += coords * _GEOS_BYTES_PER_COORD + (parts + 1) * _GEOS_BYTES_PER_PART
            continue
        if isinstance(obj, dict):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            stack.extend(obj)
        else:
            attrs = getattr(obj, "__dict__", None)
            if attrs is not None:
                stack.append(attrs)
            for slot in getattr(type(obj), "__slots__", ()):
                if hasattr(obj, slot):
                    stack.append(getattr(obj, slot))
    return total


class LRUCache:
    """A thread-safe least-recently-used cache with single-flight computation, holding at
    most ``max_bytes`` (by :func:`estimate_size`)."""

    def __init__(self, max_bytes: int, *, sizeof: Callable[[Any], int] = estimate_size) -> None:
        self.max_bytes = max_bytes
        self._sizeof = sizeof
        self._data: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, threading.Lock] = {}
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing (once) and storing it when missing."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key][0]  # type: ignore[no-any-return]
            gate = self._inflight.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._data:  # computed by another thread while we waited
                    self._data.move_to_end(key)
                    self.hits += 1
                    return self._data[key][0]  # type: ignore[no-any-return]
                self.misses += 1
            try:
                value = compute()
                size = self._sizeof(value) + self._sizeof(key)
            except BaseException:
                with self._lock:
                    self._inflight.pop(key, None)
                raise
            with self._lock:  # stored before the gate goes: a newcomer finds the value
                self._store(key, value, size)
                self._inflight.pop(key, None)
            return value

    def _store(self, key: Hashable, value: Any, size: int) -> None:
        old = self._data.pop(key, None)
        if old is not None:
            self.bytes -= old[1]
        if size > self.max_bytes:
            return  # larger than the whole cache: served, not kept
        while self._data and self.bytes + size > self.max_bytes:
            _, (_, dropped) = self._data.popitem(last=False)
            self.bytes -= dropped
        self._data[key] = (value, size)
        self.bytes += size

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.bytes = 0

    def __len__(self) -> int:
        return len(self._data)


def init_app(app: Flask) -> None:
    """Give the app its cache of ``CACHE_BYTES`` bytes."""
    app.extensions["camwatch_cache"] = LRUCache(int(app.config["CACHE_BYTES"]))


def cache_for(app: Flask) -> LRUCache:
    """The app's cache."""
    return app.extensions["camwatch_cache"]
