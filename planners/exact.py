"""Exact placement: integer programmes over the atoms, solved with HiGHS (``highspy``).

Maximum coverage (``plan --add K``, ``--budget B``)::

    max  Σ_a weight_a · y_a
    s.t. y_a ≤ Σ_{c covers a} x_c      for every atom a
         Σ_c x_c ≤ K                   (and/or Σ_c cost_c · x_c ≤ B)
         x_c ∈ {0, 1},  0 ≤ y_a ≤ 1

Set cover (``plan --target``)::

    min  Σ_c cost_c · x_c              (cost 1 each without a lenses table)
    s.t. y_a ≤ Σ_{c covers a} x_c
         Σ_{a in piece j} area_a · y_a ≥ need_j   for every piece j

Atoms (:mod:`planners.atoms`) are exact, so the optimum of these programmes
is the true optimum over the candidates given. A time limit stops HiGHS
early; the incumbent (warm-started from greedy/local search) is returned
with the proven bound and the relative MIP gap.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Iterator, Sequence

import numpy as np

from planners.atoms import Atoms
from planners.demand import Demand
from planners.evaluators import AtomCoverage
from planners.placement import Placement, order_by_gain


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """Silence C-level stdout (HiGHS prints a banner when created), keeping JSON output clean."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        yield
        return
    sys.stdout.flush()
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def _solver(time_limit: float, seed: int):  # type: ignore[no-untyped-def]
    import highspy

    with _quiet_stdout():
        h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", max(float(time_limit), 0.1))
    h.setOptionValue("random_seed", int(seed))
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_rel_gap", 1e-7)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("mip_feasibility_tolerance", 1e-9)
    return h


def _lp(atoms: Atoms, costs: np.ndarray, *, sense_max: bool):  # type: ignore[no-untyped-def]
    """Columns x (pool) then y (atoms); rows y_a − Σ x_c ≤ 0."""
    import highspy

    n, m = len(atoms.pool), atoms.n_atoms
    lp = highspy.HighsLp()
    lp.num_col_ = n + m
    lp.col_cost_ = np.concatenate(
        [np.zeros(n) if sense_max else costs, atoms.weight if sense_max else np.zeros(m)]
    )
    lp.col_lower_ = np.zeros(n + m)
    lp.col_upper_ = np.ones(n + m)
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n + [highspy.HighsVarType.kContinuous] * m
    lp.sense_ = highspy.ObjSense.kMaximize if sense_max else highspy.ObjSense.kMinimize
    counts = np.diff(atoms.atom_ptr)
    starts = np.concatenate([[0], np.cumsum(counts + 1)[:-1]]) if m else np.zeros(0, dtype=np.int64)
    index = np.empty(int(counts.sum()) + m, dtype=np.int32)
    value = np.empty(len(index))
    pos_y = starts + counts  # y_a goes last in its row
    mask = np.ones(len(index), dtype=bool)
    mask[pos_y] = False
    index[mask] = atoms.atom_cands
    value[mask] = -1.0
    index[pos_y] = n + np.arange(m)
    value[pos_y] = 1.0
    rows = {
        "start": list(starts) + [len(index)],
        "index": index,
        "value": value,
        "lower": np.full(m, -np.inf),
        "upper": np.zeros(m),
    }
    return lp, rows


def _add_row(rows: dict, lower: float, upper: float, cols: np.ndarray, vals: np.ndarray) -> None:
    rows["start"].append(rows["start"][-1] + len(cols))
    rows["index"] = np.concatenate([rows["index"], cols.astype(np.int32)])
    rows["value"] = np.concatenate([rows["value"], vals.astype(float)])
    rows["lower"] = np.append(rows["lower"], lower)
    rows["upper"] = np.append(rows["upper"], upper)


def _solve(lp, rows: dict, start: np.ndarray | None, time_limit: float, seed: int):  # type: ignore[no-untyped-def]
    import highspy

    h = _solver(time_limit, seed)
    lp.num_row_ = len(rows["lower"])
    lp.row_lower_ = rows["lower"]
    lp.row_upper_ = rows["upper"]
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.asarray(rows["start"], dtype=np.int32)
    lp.a_matrix_.index_ = rows["index"]
    lp.a_matrix_.value_ = rows["value"]
    lp.a_matrix_.num_col_ = lp.num_col_
    lp.a_matrix_.num_row_ = lp.num_row_
    h.passModel(lp)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start)
        sol.value_valid = True
        h.setSolution(sol)
    # HiGHS checks its time limit between phases; a watchdog cancels a long root LP too
    # (at most the longest wait a thread can do: a time limit of 1e308 s is allowed)
    wait_s = min(max(float(time_limit), 0.1) + 1.0, threading.TIMEOUT_MAX)
    watchdog = threading.Timer(wait_s, h.cancelSolve)
    watchdog.daemon = True
    watchdog.start()
    try:
        h.run()
    finally:
        watchdog.cancel()
    return h


def _result(h, n: int) -> tuple[list[int], str, float | None, float | None, bool]:  # type: ignore[no-untyped-def]
    import highspy

    status = h.getModelStatus()
    info = h.getInfo()
    sol = h.getSolution()
    values = np.asarray(sol.col_value[:n]) if sol.value_valid else np.zeros(n)
    chosen = [int(i) for i in np.flatnonzero(values > 0.5)]
    optimal = status == highspy.HighsModelStatus.kOptimal
    bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
    gap = float(info.mip_gap) if np.isfinite(info.mip_gap) else None
    return chosen, h.modelStatusToString(status), bound, gap, optimal


def _start_vector(atoms: Atoms, start: Sequence[int]) -> np.ndarray:
    x = np.zeros(len(atoms.pool) + atoms.n_atoms)
    x[list(start)] = 1.0
    for i in start:
        x[len(atoms.pool) + atoms.atoms_of(i)] = 1.0
    return x


def max_coverage_ilp(
    coverage: AtomCoverage,
    *,
    k: int | None,
    budget: float | None = None,
    costs: np.ndarray | None = None,
    start: Sequence[int] = (),
    time_limit: float = 10.0,
    seed: int = 0,
) -> Placement:
    """Optimal (or best within the time limit) K cameras / budget over the pool's atoms."""
    t0 = time.perf_counter()
    atoms = coverage.atoms
    n = len(atoms.pool)
    costs = np.ones(n) if costs is None else np.asarray(costs, dtype=float)
    everything = float(atoms.weight.sum())
    if start and _value(coverage, start) >= everything - coverage.m.tol:
        # the start already covers every atom: nothing can do better
        order, gains = order_by_gain(coverage, start)
        return Placement(
            order,
            gains,
            float(sum(gains)),
            "exact",
            bound=everything,
            gap=0.0,
            optimal=True,
            seconds=time.perf_counter() - t0,
            status="Optimal",
        )
    lp, rows = _lp(atoms, costs, sense_max=True)
    if k is not None:
        _add_row(rows, -np.inf, float(k), np.arange(n), np.ones(n))
    if budget is not None:
        _add_row(rows, -np.inf, float(budget), np.arange(n), costs)
    h = _solve(lp, rows, _start_vector(atoms, start) if start else None, time_limit, seed)
    chosen, status, bound, gap, optimal = _result(h, n)
    coverage.set_selection(start)
    if coverage.value() > _value(coverage, chosen) + coverage.m.tol:
        chosen = list(start)  # never return less than the warm start
    order, gains = order_by_gain(coverage, chosen)
    value = float(sum(gains))
    if bound is not None:
        bound = max(bound, value)
        gap = (bound - value) / bound if bound > 0 else 0.0
    return Placement(
        order,
        gains,
        value,
        "exact",
        bound=bound,
        gap=gap,
        optimal=optimal,
        seconds=time.perf_counter() - t0,
        status=status,
    )


def _value(coverage: AtomCoverage, selection: Sequence[int]) -> float:
    coverage.set_selection(selection)
    return coverage.value()


def set_cover_ilp(
    coverage: AtomCoverage,
    demand: Demand,
    *,
    costs: np.ndarray | None = None,
    start: Sequence[int] = (),
    time_limit: float = 10.0,
    seed: int = 0,
) -> Placement:
    """Fewest (cheapest) pool cameras meeting every piece's need; ``objective`` = number chosen."""
    t0 = time.perf_counter()
    atoms = coverage.atoms
    n = len(atoms.pool)
    costs = np.ones(n) if costs is None else np.asarray(costs, dtype=float)
    lp, rows = _lp(atoms, costs, sense_max=False)
    for j, piece in enumerate(demand.pieces):
        if piece.need_m2 <= 0:
            continue
        mine = np.flatnonzero(atoms.piece == j)
        _add_row(rows, float(piece.need_m2), np.inf, n + mine, atoms.area[mine])
    h = _solve(lp, rows, _start_vector(atoms, start) if start else None, time_limit, seed)
    chosen, status, bound, gap, optimal = _result(h, n)
    coverage.set_selection(chosen)
    feasible = coverage.m.satisfied(coverage.covered)
    start_ok = False
    if start:
        coverage.set_selection(start)
        start_ok = coverage.m.satisfied(coverage.covered)
    if not feasible or (start_ok and costs[list(start)].sum() < costs[chosen].sum() - 1e-9):
        chosen = list(start) if start_ok else chosen
    order, gains = order_by_gain(coverage, chosen)
    cost = float(costs[chosen].sum()) if chosen else 0.0
    if bound is not None and cost > 0:
        gap = max(cost - bound, 0.0) / cost
    return Placement(
        order,
        gains,
        cost,
        "exact",
        bound=bound,
        gap=gap,
        optimal=optimal and feasible,
        seconds=time.perf_counter() - t0,
        status=status,
    )
