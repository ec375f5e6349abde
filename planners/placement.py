"""Choosing cameras among candidates: lazy greedy and its budgeted form
(the evaluators it works on: :mod:`planners.evaluators`; local search:
:mod:`planners.local_search`).

Greedy needs a monotone submodular objective, which both of the evaluators'
modes are (weighted area newly covered, truncated coverage of targets).
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from planners.evaluators import Coverage

BOUND = -2  # greedy's heap stamp of an entry holding only an upper bound of the gain alone


@dataclass
class Placement:
    """A selection of candidates and how good it is.

    ``selected`` in selection order, ``gains`` the marginal objective gain of
    each in that order (they sum to ``objective``). ``bound`` is a proven
    upper bound on the optimum over the same candidates (exact method),
    ``gap`` = (bound − objective)/bound.
    """

    selected: list[int]
    gains: list[float]
    objective: float
    method: str
    bound: float | None = None
    gap: float | None = None
    optimal: bool = False
    seconds: float = 0.0
    evaluated: list[int] = field(default_factory=list)
    status: str = ""


def greedy_placement(
    coverage: Coverage,
    *,
    k: int | None,
    budget: float | None = None,
    costs: np.ndarray | None = None,
    by_ratio: bool = False,
    upper: np.ndarray | None = None,
    on_step: Callable[[float], None] | None = None,
) -> Placement:
    """Lazy greedy: repeatedly add the candidate of largest marginal gain.

    For a monotone submodular objective and a cardinality limit k, the result
    is within 1 − 1/e of the optimum (Nemhauser, Wolsey & Fisher 1978, "An
    analysis of approximations for maximizing submodular set functions").
    Lazy evaluation (Minoux 1978) keeps stale gains as upper bounds in a heap
    and only re-evaluates the top, which submodularity makes safe. With a
    budget, ``by_ratio`` ranks by gain per unit cost (see
    :func:`budgeted_greedy`). In target mode it stops when every need is met.
    Ties go to the lower candidate index, so the result is deterministic.
    ``on_step(value / total)`` is called before every evaluation (a progress
    report; it may raise to stop the run, which is how a caller cancels).

    Where ``upper`` is only an upper bound of a candidate's gain alone (footprints
    not computed yet, ``coverage.known()``), its entry is marked *bound*: when it
    reaches the top it is replaced by the exact gain alone, the entry the eager
    heap starts with. A bound entry sorts before that exact entry (its priority is
    at least as high, and its stamp lower), so the exact entries are popped in the
    same order as if every footprint had been computed first: the same picks, the
    same ``evaluated`` (docs/planners.md, "Lazy footprints").
    """
    start = time.perf_counter()
    coverage.reset()
    n = coverage.n
    costs = np.ones(n) if costs is None else np.asarray(costs, dtype=float)
    ub = coverage.upper_bounds() if upper is None else upper
    known = coverage.known()

    def key(g: float, c: int) -> float:
        return g / costs[c] if by_ratio and costs[c] > 0 else (g * 1e12 if by_ratio else g)

    heap = [
        (-key(float(ub[c]), c), c, -1 if known is None or known[c] else BOUND, float(ub[c]))
        for c in np.flatnonzero(ub > coverage.m.tol).tolist()
    ]
    heapq.heapify(heap)
    gains: list[float] = []
    spent = 0.0
    evaluated: set[int] = set()
    it = 0
    done = coverage.m.satisfied(coverage.covered)  # changes only when a camera is added
    reached = coverage.value()  # likewise
    while heap and (k is None or len(gains) < k):
        if done:
            break
        if on_step is not None:
            on_step(reached / coverage.m.total if coverage.m.total > 0 else 1.0)
        _, c, stamp, g = heapq.heappop(heap)
        if budget is not None and spent + costs[c] > budget + 1e-9:
            continue  # the budget only shrinks: never affordable again
        if stamp == BOUND:
            g = coverage.exact_upper(c)
            if g > coverage.m.tol:
                heapq.heappush(heap, (-key(g, c), c, -1, g))
            continue
        if stamp != it:
            g = coverage.gain(c)
            evaluated.add(c)
            if g > coverage.m.tol:
                heapq.heappush(heap, (-key(g, c), c, it, g))
            continue
        coverage.add(c)
        gains.append(g)
        spent += costs[c]
        it += 1
        done = coverage.m.satisfied(coverage.covered)
        reached = coverage.value()
    return Placement(
        list(coverage.selected),
        gains,
        coverage.value(),
        "greedy",
        seconds=time.perf_counter() - start,
        evaluated=sorted(evaluated),
    )


def budgeted_greedy(
    coverage: Coverage, *, k: int | None, budget: float, costs: np.ndarray
) -> Placement:
    """Best of greedy by gain, greedy by gain per cost and the best single candidate.

    Taking the better of the cost-benefit greedy and the best affordable single
    candidate is within ½(1 − 1/e) of the optimum under a budget (Khuller,
    Moss & Naor 1999, "The budgeted maximum coverage problem").
    """
    ub = coverage.upper_bounds()
    runs = [
        greedy_placement(coverage, k=k, budget=budget, costs=costs, upper=ub),
        greedy_placement(coverage, k=k, budget=budget, costs=costs, by_ratio=True, upper=ub),
    ]
    affordable = [c for c in range(coverage.n) if costs[c] <= budget + 1e-9]
    if affordable:
        best, value = _best_single(coverage, ub, affordable)
        runs.append(Placement([best], [value], value, "greedy"))
    chosen = max(runs, key=lambda p: p.objective)
    chosen.evaluated = sorted(set().union(*(r.evaluated for r in runs)))
    return chosen


def _best_single(coverage: Coverage, ub: np.ndarray, among: list[int]) -> tuple[int, float]:
    """The candidate of largest exact gain alone (lowest index on ties), computing only
    those whose upper bound could still beat the best found."""
    known = coverage.known()
    if known is None:
        best = max(among, key=lambda c: (ub[c], -c))
        return best, float(ub[best])
    found: tuple[float, int] | None = None
    for c in sorted(among, key=lambda c: (-ub[c], c)):
        if found is not None and ub[c] < found[0]:
            break  # every later exact gain is at most its bound, below the best
        value = coverage.exact_upper(c)
        if found is None or (value, -c) > (found[0], -found[1]):
            found = (value, c)
    assert found is not None
    return found[1], found[0]


def order_by_gain(coverage: Coverage, selection: Sequence[int]) -> tuple[list[int], list[float]]:
    """Order a selection greedily (largest marginal gain first) and give each its gain."""
    coverage.reset()
    left = list(selection)
    order, gains = [], []
    while left:
        scored = [(coverage.gain(c), -c, c) for c in left]
        g, _, c = max(scored)
        coverage.add(c)
        order.append(c)
        gains.append(g)
        left.remove(c)
    return order, gains
