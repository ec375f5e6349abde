"""Which candidates local search and the exact programme look at.

Greedy runs over every candidate; local search and HiGHS work on exact atoms,
whose number grows with the square of the candidates they come from, so they
get a *pool* (:func:`candidate_pool`) and the exact programme a sub-pool it
can prove optimal on (:func:`exact_subpool`).
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

import numpy as np

from planners.atoms import restrict_atoms
from planners.candidates import Candidate
from planners.demand import Demand
from planners.evaluators import AtomCoverage
from planners.mounts import MountPoint
from planners.placement import Placement

DEFAULT_POOL = 300
MAX_EXACT_NNZ = 400_000  # incidence entries the exact programme gets; larger pools are cut down
EXACT_MAX_ATOMS = 4_000  # HiGHS proves max-coverage optimality in seconds up to about this size
EXACT_MIN_EXTRA = 40  # pool members beyond the current solution the exact programme always gets


class Candidates(Protocol):
    """What the pool reads of a candidate set (eager or lazy)."""

    candidates: list[Candidate]
    mounts: list[MountPoint]
    spacing: float


def candidate_pool(
    cset: Candidates,
    greedy: Placement,
    upper: np.ndarray,
    size: int,
    *,
    exact: Callable[[int], float] | None = None,
) -> list[int]:
    """Greedy's picks, their neighbours, what greedy evaluated, then the best singles.

    ``upper`` is each candidate's gain alone; where it is only an upper bound
    (lazy footprints), ``exact(c)`` gives the exact value, and it is asked only for
    the candidates the pool looks at — the same pool as with every value exact.
    """
    value = (lambda c: float(upper[c])) if exact is None else exact
    picks = list(greedy.selected)
    order: list[int] = list(picks)
    by_mount: dict[int, list[int]] = {}
    for cand in cset.candidates:
        by_mount.setdefault(cand.mount, []).append(cand.index)
    pos = np.array([m.position for m in cset.mounts]) if cset.mounts else np.zeros((0, 2))
    for p in picks:
        order += by_mount.get(cset.candidates[p].mount, [])
    for p in picks:
        cand = cset.candidates[p]
        near = np.flatnonzero(np.hypot(*(pos - pos[cand.mount]).T) <= 2.5 * max(cset.spacing, 1.0))
        for m in near.tolist():
            for c in by_mount.get(m, []):
                dh = abs(
                    (cset.candidates[c].heading_deg - cand.heading_deg + 180.0) % 360.0 - 180.0
                )
                if dh <= 30.0:
                    order.append(c)
    order += sorted(greedy.evaluated, key=lambda c: (-value(c), c))
    seen: set[int] = set()
    pool: list[int] = []
    for c in itertools.chain(order, _best_singles(upper, exact)):
        if c in seen or value(c) <= 0:
            continue
        seen.add(c)
        pool.append(c)
        if len(pool) >= max(size, len(picks)):
            break
    return pool


def _best_singles(upper: np.ndarray, exact: Callable[[int], float] | None) -> Iterator[int]:
    """Every candidate by exact gain alone, largest first (lowest index on ties).

    With bounds, a heap of (−value, index, exact?) yields an exact entry only when
    every remaining bound is below it (or equal, with a higher index), so the order is
    that of the exact values while only the candidates reached are computed.
    """
    if exact is None:
        yield from (int(c) for c in np.lexsort((np.arange(len(upper)), -upper)))
        return
    heap = [(-float(upper[c]), c, False) for c in range(len(upper))]
    heapq.heapify(heap)
    while heap:
        neg, c, done = heapq.heappop(heap)
        if done:
            yield c
        else:
            heapq.heappush(heap, (-exact(c), c, True))


def exact_subpool(
    demand: Demand,
    atoms: Any,
    ac: AtomCoverage,
    priority: Sequence[int],
    current: Sequence[int],
    mode: str,
) -> tuple[list[int], AtomCoverage]:
    """The pool members (pool-local indices) the exact programme gets, and their atoms.

    The max-coverage LP relaxation is weak where many footprints overlap, so
    HiGHS proves optimality only on programmes of a few thousand atoms. The
    current solution always stays in; then pool members in ``priority`` order
    (greedy's picks and neighbours first) are added in doubling steps while
    the restricted arrangement has at most ``EXACT_MAX_ATOMS`` atoms and
    ``MAX_EXACT_NNZ`` incidence entries.
    """
    if atoms.n_atoms <= EXACT_MAX_ATOMS and len(atoms.cand_atoms) <= MAX_EXACT_NNZ:
        return list(range(len(atoms.pool))), ac
    order = list(dict.fromkeys([*current, *priority, *range(len(atoms.pool))]))
    size = min(len(order), len(current) + EXACT_MIN_EXTRA)
    best: tuple[list[int], Any] | None = None
    while True:
        sub = sorted(order[:size])
        restricted = restrict_atoms(demand, atoms, sub)
        fits = restricted.n_atoms <= EXACT_MAX_ATOMS and len(restricted.cand_atoms) <= MAX_EXACT_NNZ
        if fits or best is None:
            best = (sub, restricted)
        if not fits or size >= len(order):
            break
        size = min(len(order), size * 2)
    sub, restricted = best
    return sub, AtomCoverage(demand, restricted, mode=mode)
