"""An in-memory LRU cache for derived data (sites, free space, footprints, analyses),
capped in bytes.

Keys include the versions of the rows the value was derived from (the
compound's ``version`` and every device's ``version``, see
:func:`web.ledger.state_key`), so a change anywhere makes a new key and a
stale value is never served; old entries simply age out. Values are
immutable (frozen dataclasses, shapely geometry), so sharing them between
request threads is safe. Concurrent misses of one key compute once: the
first thread computes, the others wait for it. Slow parts of a page can be
computed on the cache's own worker thread instead (:meth:`LRUCache.get_or_start`,
docs/web.md "Performance").

The cap is on the estimated size of the values held (``CACHE_BYTES``, 256 MiB
by default; ``CAMWATCH_CACHE_BYTES``), not on their number: one analysis of a
large compound weighs as much as thousands of small JSON answers, so a count
cap let the process grow with every edit. :func:`web.sizes.estimate_size` walks a value
(containers, dataclasses, objects, shapely geometry) and adds up what it
holds; a value larger than the whole cap is returned but not kept.
"""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import Flask, g

from web.sizes import estimate_size

T = TypeVar("T")

STOP_WAIT_S = 5.0  # how long the interpreter's exit waits for a worker's job (and a plan job)
_GROUPS_KEPT = 1024  # groups whose last queueing time is remembered (for settle_s)


class _ByteLRU:
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


class Pending(Exception):
    """The value is being computed in the background; ask again shortly."""


class _Job:
    __slots__ = ("compute", "done", "group", "key", "not_before", "urgent")

    def __init__(
        self,
        key: Hashable,
        compute: Callable[[], Any],
        group: Hashable,
        not_before: float,
        urgent: bool = False,
    ) -> None:
        self.key, self.compute, self.group = key, compute, group
        self.not_before = not_before  # time.monotonic() before which it is not started
        self.urgent = urgent  # started before every job that is not
        self.done = threading.Event()


class LRUCache(_ByteLRU):
    """The web's cache: a byte-capped LRU (:meth:`get_or_compute`, single flight) that can
    also compute a value on its own worker thread (:meth:`get_or_start`).

    :meth:`get_or_start` is for parts of a page that may take seconds (the
    analysis page's intruder and patrol routes): the request waits at most
    ``wait_s`` and otherwise gets :class:`Pending` and shows "still being
    computed" — it never holds a request slot for the whole computation. One
    worker thread computes one value at a time, so such work takes at most
    one thread's share of the CPU whatever the number of requests; a key
    queued or running is not queued twice (single flight); and per ``group``
    (e.g. one compound) only the newest queued key is computed — after ten
    quick edits, the nine states nobody will look at again are skipped.

    ``settle_s`` (per call) debounces a group under edits: a job whose group had
    another key queued less than ``settle_s`` ago starts only ``settle_s`` after it
    was queued, so while a compound is being edited (a camera dragged again and
    again) its routes wait for a pause instead of being computed for every state
    (docs/web.md, "Performance"). A caller that asks without ``settle_s`` (the JSON
    answers) starts a waiting job at once.
    """

    def __init__(self, max_bytes: int, *, sizeof: Callable[[Any], int] = estimate_size) -> None:
        super().__init__(max_bytes, sizeof=sizeof)
        self._jobs: dict[Hashable, _Job] = {}  # queued or running, by key
        self._newest: dict[Hashable, Hashable] = {}  # group -> newest key queued
        self._queue: list[_Job] = []
        self._wake = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None
        self.skipped = 0  # jobs dropped for a newer key of their group
        self._queued_at: OrderedDict[Hashable, float] = OrderedDict()  # group -> last queued
        self._stopping = False
        _CACHES.add(self)

    def get_or_start(
        self,
        key: Hashable,
        compute: Callable[[], T],
        *,
        wait_s: float,
        group: Hashable = None,
        settle_s: float = 0.0,
        urgent: bool = False,
    ) -> T:
        """The cached value of ``key``; else computed on the worker thread, waited for at
        most ``wait_s`` seconds, then :class:`Pending`. An exception of ``compute`` is
        cached like a value and raised to every caller. ``settle_s``: see the class;
        ``urgent``: the job starts before every queued job that is not (a short one that
        readers are about to need, queued behind seconds of routes)."""
        with self._lock:
            job = self._jobs.get(key)
            now = time.monotonic()
            if job is None:
                found = self._lookup(key)
                if found is not None:
                    return _unwrap(found)
                if self._stopping:  # nothing will run it: no wait
                    raise Pending(key)
                not_before = now
                if group is not None:
                    last = self._queued_at.pop(group, None)
                    if settle_s > 0 and last is not None and now - last < settle_s:
                        not_before = now + settle_s
                    self._queued_at[group] = now
                    while len(self._queued_at) > _GROUPS_KEPT:
                        self._queued_at.popitem(last=False)
                job = _Job(key, compute, group, not_before, urgent)
                self._jobs[key] = job
                if group is not None:
                    self._newest[group] = key
                self._queue.append(job)
            elif settle_s <= 0 and job.not_before > now:
                job.not_before = now  # asked for by a caller that waits for it
            self._wake.notify()
            if self._worker is None and not self._stopping:
                self._worker = threading.Thread(
                    target=self._work, name="camwatch-cache-worker", daemon=True
                )
                self._worker.start()
        if job.not_before - now < wait_s:  # a job held back by settle_s cannot be done in time
            job.done.wait(wait_s)
        with self._lock:
            found = self._lookup(key)
        if found is None:
            raise Pending(key)
        return _unwrap(found)

    def in_progress(self, group: Hashable) -> threading.Event | None:
        """The done event of ``group``'s newest job while it is queued or running, else None."""
        with self._lock:
            key = self._newest.get(group)
            job = self._jobs.get(key) if key is not None else None
            return job.done if job is not None else None

    def stop(self, timeout: float = STOP_WAIT_S) -> bool:
        """Let the worker finish the job it is running, then end; queued jobs are dropped
        (their waiters get :class:`Pending`). True if the worker ended within ``timeout``.

        Called for every cache at interpreter exit: a job still inside GEOS while the
        interpreter tears down the modules and objects it uses can crash the process
        (seen once in four runs of a script that exited right after a page queued routes)."""
        with self._lock:
            self._stopping = True
            dropped, self._queue = self._queue, []
            for job in dropped:
                self._jobs.pop(job.key, None)
                job.done.set()
            self._wake.notify_all()
            worker = self._worker
        if worker is None or worker is threading.current_thread():
            return True
        worker.join(timeout)
        return not worker.is_alive()

    def _next_job(self) -> _Job | None:
        """The first queued job that may start, urgent ones first (lock held; waits for one);
        None once the cache is stopping."""
        while True:
            if self._stopping:
                return None
            now = time.monotonic()
            ready = [
                i
                for i, job in enumerate(self._queue)
                if job.not_before <= now
                or (job.group is not None and self._newest.get(job.group) != job.key)
            ]  # due, or stale (skipped at once)
            if ready:
                first = next((i for i in ready if self._queue[i].urgent), ready[0])
                return self._queue.pop(first)
            if self._queue:
                self._wake.wait(min(j.not_before for j in self._queue) - now)
            else:
                self._wake.wait()

    def _lookup(self, key: Hashable) -> tuple[bool, Any] | None:
        """``(ok, value or exception)`` for a stored key, else None (lock held)."""
        if key not in self._data:
            return None
        self._data.move_to_end(key)
        self.hits += 1
        return self._data[key][0]  # type: ignore[no-any-return]

    def _work(self) -> None:
        while True:
            with self._lock:
                job = self._next_job()
                if job is None:
                    return
                stale = job.group is not None and self._newest.get(job.group) != job.key
                if stale:
                    self.skipped += 1
                    del self._jobs[job.key]
                    job.done.set()
                    continue
                self.misses += 1
            try:
                outcome: tuple[bool, Any] = (True, job.compute())
            except Exception as exc:  # handed to the callers; a worker never dies of it
                exc.__traceback__ = None
                outcome = (False, exc)
            size = self._sizeof(outcome) + self._sizeof(job.key)
            with self._lock:
                self._store(job.key, outcome, size)
                del self._jobs[job.key]
                if job.group is not None and self._newest.get(job.group) == job.key:
                    del self._newest[job.group]
            job.done.set()


_CACHES: weakref.WeakSet[LRUCache] = weakref.WeakSet()


@atexit.register
def _stop_workers() -> None:
    for cache in list(_CACHES):
        cache.stop()


def _unwrap(outcome: tuple[bool, Any]) -> Any:
    ok, value = outcome
    if not ok:
        raise value
    return value


def init_app(app: Flask) -> None:
    """Give the app its cache of ``CACHE_BYTES`` bytes."""
    app.extensions["camwatch_cache"] = LRUCache(int(app.config["CACHE_BYTES"]))


def wait_left(budget: str, seconds: float) -> float:
    """What is left of the request's one wait ``budget`` (started on first use, ``seconds``
    long): every wait of a page for the worker shares it, so N waits are not N × ``seconds``."""
    deadline = g.setdefault("_wait_" + budget, time.monotonic() + seconds)
    return max(0.0, deadline - time.monotonic())


def cache_for(app: Flask) -> LRUCache:
    """The app's cache."""
    return app.extensions["camwatch_cache"]  # type: ignore[no-any-return]
