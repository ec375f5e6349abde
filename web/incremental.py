"""Coverage states the web keeps per compound, so an edit on the map re-analyses incrementally.

After a device is moved, turned, added or removed on the map the next analysis
is derived from the compound's previous one by
:meth:`camwatch.geometry.incremental.CoverageState.update` (only the tiles the
camera's old and new footprints reach are recomputed) instead of a full
:func:`~camwatch.geometry.coverage.analyze` (docs/web.md, "Incremental
re-analysis on the map"). Decisions:

* **Slots.** One slot per compound row (id and ``created_at``, as the state
  digests are kept), ``include_planned`` and coverage model. A slot remembers the
  site of its last analysis; its :class:`CoverageState` is only built when a
  second state of the same compound is analysed — the compound is being edited —
  so a compound that is only read is analysed by ``analyze()`` exactly as the CLI
  does, and keeps no state.
* **When it derives.** Only when everything but the cameras is the same
  (plan, zones, settings; gates, alarms and intercoms do not enter the analysis
  and are ignored) and at most ``INCREMENTAL_MAX_CHANGES`` cameras differ (each
  change recomputes a few tiles; a bulk import is cheaper as one analysis).
  Otherwise the full analysis runs and the slot's state is dropped.
* **Bounded.** At most ``INCREMENTAL_STATES`` slots (least recently used out)
  and at most ``INCREMENTAL_BYTES`` of states by :func:`web.sizes.estimate_size`
  measured when a state is built (a state of the 200-camera generated compound
  weighs ≈ 15 MB).
* **Concurrency.** A :class:`CoverageState` is mutable: each slot has a lock and
  one request at a time changes it; the diff is taken against the state's own
  cameras, so two edits analysed in either order both end right.
* **Level geometry.** The state's levels are tile pieces, not dissolved across
  tile seams; :class:`web.ledger.CompoundAnalysis` gives them to figures and
  dissolves them on first use of the geometry (:func:`dissolved_levels`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from shapely.geometry.base import BaseGeometry

from camwatch.geometry.coverage import Analysis, Footprints
from camwatch.geometry.incremental import CoverageState
from camwatch.model import Camera, Site
from web.sizes import estimate_size

# what the analysis reads of a site besides its cameras (gates, alarms, intercoms: nothing)
_GROUND = ("info", "boundary", "buildings", "obstacles", "walls", "zones", "mounts", "doors")


def same_ground(a: Site, b: Site) -> bool:
    """True when the two sites differ at most in their cameras (and devices the analysis
    does not read)."""
    return all(getattr(a, name) == getattr(b, name) for name in _GROUND) and a.extra == b.extra


@dataclass
class _Slot:
    lock: threading.Lock = field(default_factory=threading.Lock)
    site: Site | None = None  # the site of the slot's last analysis
    state: CoverageState | None = None
    size: int = 0  # the state's estimated bytes


@dataclass
class Counts:
    """What the store did (read by tests and the benchmark)."""

    full: int = 0  # full analyses (no usable state)
    built: int = 0  # states built
    derived: int = 0  # analyses derived from a state
    changes: int = 0  # cameras updated, added or removed in states
    dropped: int = 0  # states dropped for the bound or a change of the ground


class CoverageStates:
    """A bounded LRU of :class:`CoverageState`, one per compound, model and planned flag."""

    def __init__(self, *, max_states: int, max_bytes: int, max_changes: int) -> None:
        self.max_states = max_states
        self.max_bytes = max_bytes
        self.max_changes = max_changes
        self._slots: OrderedDict[Hashable, _Slot] = OrderedDict()
        self._lock = threading.Lock()
        self.counts = Counts()

    def _slot(self, key: Hashable) -> _Slot:
        with self._lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _Slot()
                while len(self._slots) > self.max_states:
                    _, old = self._slots.popitem(last=False)
                    if old.state is not None:
                        self.counts.dropped += 1
            self._slots.move_to_end(key)
            return slot

    @property
    def bytes(self) -> int:
        """Estimated bytes of the states held."""
        with self._lock:
            return sum(s.size for s in self._slots.values())

    def states(self) -> int:
        """The number of states held."""
        with self._lock:
            return sum(1 for s in self._slots.values() if s.state is not None)

    def _make_room(self, keep: _Slot, size: int) -> None:
        """Drop least recently used states until ``size`` more bytes fit (lock held)."""
        held = sum(s.size for s in self._slots.values() if s is not keep)
        for slot in list(self._slots.values()):
            if held + size <= self.max_bytes:
                break
            if slot is keep or slot.state is None:
                continue
            held -= slot.size
            slot.state, slot.size = None, 0  # its own lock is not needed: a reference swap
            self.counts.dropped += 1

    def analysis(
        self,
        key: Hashable,
        site: Site,
        space: BaseGeometry,
        footprints: Mapping[str, Footprints],
        *,
        include_planned: bool,
        model: str,
        full: Callable[[], Analysis],
    ) -> tuple[Analysis, bool]:
        """``(analysis of site, derived)`` — derived from the slot's state when it can be
        (level geometry: tile pieces), else ``full()`` — and the slot moved to ``site``."""
        slot = self._slot(key)
        with slot.lock:
            previous = slot.site
            if previous is None or not same_ground(previous, site):
                return self._full(slot, site, full)
            state = slot.state
            if state is not None:
                changed = _changes(state.cameras, site.cameras)
                if changed is None or len(changed) > self.max_changes:
                    return self._full(slot, site, full)
                try:
                    for camera_id, camera in changed:
                        if camera is None:
                            state.remove(camera_id)
                        elif camera_id in state.cameras:
                            state.update(camera, footprints[camera_id])
                        else:
                            state.add(camera, footprints[camera_id])
                except BaseException:
                    slot.site, slot.state, slot.size = None, None, 0  # half-changed: forget it
                    raise
                self.counts.changes += len(changed)
            else:
                changed = _changes({c.id: c for c in previous.cameras}, site.cameras)
                if changed is None or len(changed) > self.max_changes:
                    return self._full(slot, site, full)
                state = CoverageState(
                    site, space, footprints, include_planned=include_planned, coverage_model=model
                )
                size = estimate_size(state)
                with self._lock:
                    self._make_room(slot, size)
                slot.state, slot.size = state, size
                self.counts.built += 1
            state.site = site  # zones and identity as the new site has them (the same ground)
            slot.site = site
            self.counts.derived += 1
            return _in_site_order(state.analysis(), site), True

    def _full(self, slot: _Slot, site: Site, full: Callable[[], Analysis]) -> tuple[Analysis, bool]:
        if slot.state is not None:
            self.counts.dropped += 1
        slot.state, slot.size = None, 0
        result = full()
        slot.site = site
        self.counts.full += 1
        return result, False


def _changes(
    before: Mapping[str, Camera], cameras: tuple[Camera, ...]
) -> list[tuple[str, Camera | None]] | None:
    """Cameras to update, add (the camera) or remove (None), in that order; None when the
    site's camera ids repeat (left to the full analysis to report)."""
    after = {c.id: c for c in cameras}
    if len(after) != len(cameras):
        return None
    removed: list[tuple[str, Camera | None]] = [(cid, None) for cid in before if cid not in after]
    rest = [(c.id, c) for c in cameras if before.get(c.id) != c]
    return removed + rest  # type: ignore[return-value]


def _in_site_order(analysis: Analysis, site: Site) -> Analysis:
    """The analysis with its cameras in the site's order (a state appends added cameras)."""
    order = [c.id for c in site.cameras]
    if [c.id for c in analysis.cameras] == order:
        return analysis
    by_id = {c.id: c for c in analysis.cameras}
    return replace(analysis, cameras=tuple(by_id[cid] for cid in order))


def coverage_states(app: Any) -> CoverageStates:
    """The app's coverage states (made on first use)."""
    store = app.extensions.get("camwatch_coverage_states")
    if store is None:
        store = app.extensions.setdefault(
            "camwatch_coverage_states",
            CoverageStates(
                max_states=int(app.config.get("INCREMENTAL_STATES", 8)),
                max_bytes=int(app.config.get("INCREMENTAL_BYTES", 128 * 2**20)),
                max_changes=int(app.config.get("INCREMENTAL_MAX_CHANGES", 10)),
            ),
        )
    return store  # type: ignore[no-any-return]
