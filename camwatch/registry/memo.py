"""Remembered answers of the ledger's validation (docs/registry.md, "Loader speed"): a
bounded least-recently-used map shared by the web's threads, and the digest that keys it."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


def digest(value: Any) -> bytes:
    """A 20-byte digest of a JSON value (keys sorted; ``default=str``: dates).

    >>> digest({"a": 1, "b": [2.0]}) == digest({"b": [2.0], "a": 1})
    True
    >>> len(digest(None))
    20
    """
    text = json.dumps(value, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=20).digest()


class Memo(Generic[K, V]):
    """At most ``entries`` answers by key, the least recently used dropped first; every
    method holds one lock, so threads may share it. Keep only immutable answers (every
    reader gets the same object).

    >>> memo: Memo[str, int] = Memo(1)
    >>> memo.put("a", 1); memo.put("b", 2)
    >>> memo.get("a"), memo.get("b"), len(memo)
    (None, 2, 1)
    """

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)
