"""An in-memory LRU cache for derived data (sites, free space, footprints, analyses).

Keys include the versions of the rows the value was derived from (the
compound's ``version`` and every device's ``version``, see
:func:`web.ledger.state_key`), so a change anywhere makes a new key and a
stale value is never served; old entries simply age out. Values are
immutable (frozen dataclasses, shapely geometry), so sharing them between
request threads is safe. Concurrent misses of one key compute once: the
first thread computes, the others wait for it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask

T = TypeVar("T")


class LRUCache:
    """A thread-safe least-recently-used cache with single-flight computation."""

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._inflight: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computing (once) and storing it when missing."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return self._data[key]
            gate = self._inflight.setdefault(key, threading.Lock())
        with gate:
            with self._lock:
                if key in self._data:  # computed by another thread while we waited
                    self._data.move_to_end(key)
                    self.hits += 1
                    return self._data[key]
                self.misses += 1
            try:
                value = compute()
            finally:
                with self._lock:
                    self._inflight.pop(key, None)
            with self._lock:
                self._data[key] = value
                self._data.move_to_end(key)
                while len(self._data) > self.maxsize:
                    self._data.popitem(last=False)
            return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


def init_app(app: Flask) -> None:
    """Give the app its cache, sized for the footprints of a few hundred cameras plus the
    analyses of the ``ANALYSIS_CACHE_SIZE`` most recent compound states."""
    app.extensions["camwatch_cache"] = LRUCache(int(app.config["ANALYSIS_CACHE_SIZE"]) * 40)


def cache_for(app: Flask) -> LRUCache:
    """The app's cache."""
    return app.extensions["camwatch_cache"]
