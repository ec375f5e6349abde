"""Local search on a pool's atoms: swaps, pair moves and a short tabu walk from a start
(greedy's picks), and pruning a cover (docs/planners.md, "Algorithms").

Split from :mod:`planners.placement`, whose exact evaluator
:class:`~planners.evaluators.AtomCoverage` it works on.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from planners.atoms import Atoms
from planners.evaluators import AtomCoverage
from planners.placement import Placement, order_by_gain

TABU_ROUNDS = 100  # non-improving swaps the tabu walk makes from a local optimum
TABU_TENURE = 7  # a camera swapped out (or in) may not come back (or leave) for this many rounds


def _row_sums(atoms: Atoms, values: np.ndarray) -> np.ndarray:
    """Σ values[a] over each pool member's atoms (CSR row sums)."""
    out = np.zeros(len(atoms.pool))
    if len(atoms.cand_atoms) == 0:
        return out
    sums = np.add.reduceat(
        values[atoms.cand_atoms], atoms.cand_ptr[:-1].clip(max=len(atoms.cand_atoms) - 1)
    )
    nonempty = np.diff(atoms.cand_ptr) > 0
    out[nonempty] = sums[nonempty]
    return out


def local_search(
    coverage: AtomCoverage,
    start: Sequence[int],
    *,
    k: int | None,
    budget: float | None = None,
    costs: np.ndarray | None = None,
    time_limit: float = 10.0,
    max_rounds: int = 1000,
    pairs: bool = True,
    tabu_rounds: int = TABU_ROUNDS,
) -> Placement:
    """Best-improvement swap/add local search from ``start`` (weighted mode).

    Each round evaluates, for every selected camera i, every pool candidate c
    replacing it (a *move* when c is a neighbour of i, a *swap* otherwise)
    in one sparse product, plus adding c while fewer than k are chosen, and
    applies the best strictly improving change. At a single-swap local
    optimum, ``pairs`` tries every pair of chosen cameras replaced by the two
    best greedy additions (:func:`_pair_move`), then a short tabu walk
    (:func:`_tabu`) looks past the optimum; either resumes the search when it
    finds a better selection. The returned selection never has a lower
    objective than ``start``.
    """
    t0 = time.perf_counter()
    atoms = coverage.atoms
    costs = np.ones(coverage.n) if costs is None else np.asarray(costs, dtype=float)
    coverage.set_selection(start)
    sel = list(coverage.selected)
    w = atoms.weight
    tol = coverage.m.tol
    rounds = 0
    while rounds < max_rounds and time.perf_counter() - t0 < time_limit:
        rounds += 1
        count = coverage.count
        base = np.where(count == 0, w, 0.0)
        in_sel = np.zeros(coverage.n, dtype=bool)
        in_sel[sel] = True
        spent = float(costs[sel].sum()) if sel else 0.0
        best: tuple[float, int | None, int | None] = (tol, None, None)  # (delta, out, in)
        if k is None or len(sel) < k:
            gains = _row_sums(atoms, base)
            ok = ~in_sel
            if budget is not None:
                ok &= spent + costs <= budget + 1e-9
            if np.any(ok):
                c = int(np.flatnonzero(ok)[np.argmax(gains[ok])])
                if gains[c] > best[0]:
                    best = (float(gains[c]), None, c)
        for i in sel:
            own = atoms.atoms_of(i)
            only = own[count[own] == 1]
            loss = float(w[only].sum())
            freed = base.copy()
            freed[only] = w[only]
            gains = _row_sums(atoms, freed) - loss
            ok = ~in_sel
            if budget is not None:
                ok &= spent - costs[i] + costs <= budget + 1e-9
            if not np.any(ok):
                continue
            c = int(np.flatnonzero(ok)[np.argmax(gains[ok])])
            if gains[c] > best[0]:
                best = (float(gains[c]), i, c)
        _, out, new = best
        if new is None:
            improved = _pair_move(coverage, sel, costs, budget) if pairs else None
            if improved is None and tabu_rounds > 0:
                improved = _tabu(coverage, sel, costs, budget, tabu_rounds, t0 + time_limit)
            if improved is None:
                break
            sel = improved
            coverage.set_selection(sel)
            continue
        if out is not None:
            sel.remove(out)
        sel.append(new)
        coverage.set_selection(sel)
    order, gains_list = order_by_gain(coverage, sel)
    return Placement(
        order, gains_list, float(sum(gains_list)), "local", seconds=time.perf_counter() - t0
    )


def _pair_move(
    coverage: AtomCoverage, sel: list[int], costs: np.ndarray, budget: float | None
) -> list[int] | None:
    """Replace two chosen cameras by the two best greedy additions, if that improves.

    Tries every pair (i, j) of the selection: remove both, add greedily the
    best candidate and then the best one again (within the budget); returns the
    first selection strictly better than the current one, else None.
    """
    atoms = coverage.atoms
    w = atoms.weight
    base_count = coverage.count.copy()
    current = float(w[base_count > 0].sum())
    tol = coverage.m.tol
    spent = float(costs[sel].sum())
    for a in range(len(sel)):
        for b in range(a + 1, len(sel)):
            i, j = sel[a], sel[b]
            count = base_count.copy()
            count[atoms.atoms_of(i)] -= 1
            count[atoms.atoms_of(j)] -= 1
            chosen = [x for x in sel if x not in (i, j)]
            left = None if budget is None else budget - (spent - costs[i] - costs[j])
            for _ in range(2):
                gains = _row_sums(atoms, np.where(count == 0, w, 0.0))
                ok = np.ones(coverage.n, dtype=bool)
                ok[chosen] = False
                if left is not None:
                    ok &= costs <= left + 1e-9
                if not np.any(ok):
                    break
                c = int(np.flatnonzero(ok)[np.argmax(gains[ok])])
                if gains[c] <= 0:
                    break
                chosen.append(c)
                count[atoms.atoms_of(c)] += 1
                if left is not None:
                    left -= costs[c]
            if float(w[count > 0].sum()) > current + tol:
                return chosen
    return None


def _tabu(
    coverage: AtomCoverage,
    sel: list[int],
    costs: np.ndarray,
    budget: float | None,
    rounds: int,
    deadline: float,
) -> list[int] | None:
    """Tabu walk (Glover 1989): apply the best non-tabu swap even when it loses.

    Starts at a local optimum; cameras swapped out may not return, and those
    swapped in may not leave, for ``TABU_TENURE`` rounds. Returns the best
    selection seen if it beats the start, else None. Deterministic.
    """
    atoms = coverage.atoms
    w = atoms.weight
    current = list(sel)
    count = np.zeros(atoms.n_atoms, dtype=np.int64)
    for c in current:
        count[atoms.atoms_of(c)] += 1
    start_value = float(w[count > 0].sum())
    best_value, best_sel = start_value, None
    banned_in: dict[int, int] = {}
    banned_out: dict[int, int] = {}
    for r in range(rounds):
        if time.perf_counter() > deadline:
            break
        base = np.where(count == 0, w, 0.0)
        value = float(w[count > 0].sum())
        in_sel = np.zeros(coverage.n, dtype=bool)
        in_sel[current] = True
        spent = float(costs[current].sum())
        move: tuple[float, int, int] | None = None
        for i in current:
            if banned_out.get(i, -1) >= r:
                continue
            own = atoms.atoms_of(i)
            only = own[count[own] == 1]
            freed = base.copy()
            freed[only] = w[only]
            gains = _row_sums(atoms, freed) - float(w[only].sum())
            ok = ~in_sel
            for c, until in banned_in.items():
                if until >= r:
                    ok[c] = False
            if budget is not None:
                ok &= spent - costs[i] + costs <= budget + 1e-9
            if not np.any(ok):
                continue
            c = int(np.flatnonzero(ok)[np.argmax(gains[ok])])
            if move is None or gains[c] > move[0]:
                move = (float(gains[c]), i, c)
        if move is None:
            break
        _, i, c = move
        current.remove(i)
        current.append(c)
        count[atoms.atoms_of(i)] -= 1
        count[atoms.atoms_of(c)] += 1
        banned_in[i] = r + TABU_TENURE
        banned_out[c] = r + TABU_TENURE
        value = float(w[count > 0].sum())
        if value > best_value + coverage.m.tol:
            best_value, best_sel = value, list(current)
    return best_sel


def prune_cover(coverage: AtomCoverage, selection: Sequence[int]) -> list[int]:
    """Target mode: drop cameras (latest first) whose removal keeps every need met."""
    sel = list(selection)
    for c in reversed(list(selection)):
        trial = [x for x in sel if x != c]
        coverage.set_selection(trial)
        if coverage.m.satisfied(coverage.covered):
            sel = trial
    coverage.set_selection(sel)
    return sel
