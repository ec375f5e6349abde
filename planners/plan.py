"""``camwatch plan``: where to add cameras (issue 4 items 1–3).

:func:`plan_cameras` runs the whole pipeline: analyse the site with its
active and planned cameras (``before``), build the demand
(:mod:`planners.demand`) and the candidates (:mod:`planners.candidates`),
run lazy greedy over **every** candidate, then local search and the exact
programme over a *pool* (greedy's picks, their neighbours on the same and
adjacent mounts, the candidates greedy evaluated, then the best single
candidates, up to ``pool_size``), and keep the best. ``after`` is never
estimated: it is :func:`analyze` of :func:`site_with_suggestions` with
planned cameras counted, exactly what ``camwatch analyze --include-planned``
prints for the written site.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from camwatch.errors import UsageError
from camwatch.geometry.coverage import Analysis, analyze
from camwatch.geometry.space import free_space
from camwatch.model import LEVELS, ZONE_PASS_RATIO, Camera, Site
from planners.candidates import CandidateSet, generate_candidates
from planners.demand import (
    Demand,
    build_atoms,
    objective_demand,
    restrict_atoms,
    split_by_piece,
    target_demand,
)
from planners.lenses import Lens
from planners.placement import (
    AtomCoverage,
    GeometryCoverage,
    Placement,
    budgeted_greedy,
    greedy_placement,
    local_search,
    order_by_gain,
    prune_cover,
)

METHODS = ("auto", "greedy", "local", "exact")
DEFAULT_POOL = 300
MAX_EXACT_NNZ = 400_000  # incidence entries the exact programme gets; larger pools are cut down
EXACT_MAX_ATOMS = 4_000  # HiGHS proves max-coverage optimality in seconds up to about this size
EXACT_MIN_EXTRA = 40  # pool members beyond the current solution the exact programme always gets


@dataclass(frozen=True)
class Suggestion:
    """A camera to add, with the objective it adds in selection order."""

    camera: Camera
    gain_m2: float
    lens: Lens
    mount: str

    def to_dict(self) -> dict[str, Any]:
        cam, lens = self.camera, self.lens
        out: dict[str, Any] = {
            "id": cam.id,
            "position": [cam.position[0], cam.position[1]],
            "heading_deg": cam.heading_deg,
            "tilt_deg": cam.tilt_deg,
            "height_m": cam.height_m,
            "hfov_deg": round(cam.hfov, 6) if cam.hfov_deg is None else cam.hfov_deg,
            "resolution": [cam.resolution[0], cam.resolution[1]],
            "gain_m2": round(float(self.gain_m2), 2),
        }
        if cam.focal_mm is not None:
            out["focal_mm"] = cam.focal_mm
            out["sensor_width_mm"] = cam.sensor_width_mm
        if cam.range_m is not None:
            out["range_m"] = cam.range_m
        if lens.named:
            out["lens"] = lens.name
            out["unit_cost"] = lens.unit_cost
        return out


@dataclass
class PlanResult:
    """What ``camwatch plan`` prints; ``to_dict`` is the SITE_FORMAT §3 object."""

    site_id: str
    before: dict[str, float]
    after: dict[str, float]
    suggestions: list[Suggestion]
    note: str | None = None
    method: str = "greedy"
    objective: float = 0.0
    bound: float | None = None
    gap: float | None = None
    optimal: bool = False
    candidates: int = 0
    pool: int = 0
    atoms: int = 0
    exact_pool: int = 0
    seconds: float = 0.0
    runs: dict[str, float] = field(default_factory=dict)
    target: dict[str, Any] | None = None
    after_analysis: Analysis | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "before": self.before,
            "after": self.after,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }
        if self.note:
            out["note"] = self.note
        if self.target is not None:
            out["target"] = self.target
        out["planner"] = {
            "method": self.method,
            "objective": round(self.objective, 4),
            "bound": None if self.bound is None else round(self.bound, 4),
            "gap": None if self.gap is None else round(self.gap, 6),
            "optimal": self.optimal,
            "candidates": self.candidates,
            "pool": self.pool,
            "atoms": self.atoms,
            "exact_pool": self.exact_pool,
            "runs": {k: round(v, 4) for k, v in self.runs.items()},
            "seconds": round(self.seconds, 2),
        }
        return out


def site_with_suggestions(site: Site, result: PlanResult) -> Site:
    """The site with the suggestions added as ``planned`` cameras."""
    return site.with_cameras(tuple(site.cameras) + tuple(s.camera for s in result.suggestions))


def _check_options(
    add: int | None,
    target: float | None,
    budget: float | None,
    level: str,
    method: str,
    time_limit: float,
    spacing: float,
    lenses: Sequence[Lens] | None,
) -> None:
    if level not in LEVELS:
        raise UsageError(f"--level must be one of {', '.join(LEVELS)}, got {level!r}")
    if method not in METHODS:
        raise UsageError(f"--method must be one of {', '.join(METHODS)}, got {method!r}")
    if add is None and target is None and budget is None:
        raise UsageError("give --add K, --target RATIO or --budget B (with --lenses)")
    if target is not None and (add is not None or budget is not None):
        raise UsageError("--target cannot be combined with --add or --budget")
    if add is not None and add < 1:
        raise UsageError(f"--add must be at least 1, got {add}")
    if target is not None and not (0.0 < target <= 1.0):
        raise UsageError(f"--target must be a ratio in (0, 1], got {target:g}")
    if budget is not None and not (math.isfinite(budget) and budget > 0):
        raise UsageError(f"--budget must be positive, got {budget:g}")
    if budget is not None and not lenses:
        raise UsageError("--budget needs --lenses (a table with unit costs)")
    if not (math.isfinite(time_limit) and time_limit > 0):
        raise UsageError(f"--time-limit must be positive, got {time_limit:g}")
    if not (math.isfinite(spacing) and spacing >= 0.1):
        raise UsageError(f"--spacing must be at least 0.1 m, got {spacing:g}")


def _free_ids(site: Site, n: int) -> list[str]:
    used = {c.id for c in site.cameras}
    out: list[str] = []
    i = 0
    while len(out) < n:
        i += 1
        if f"P{i}" not in used:
            out.append(f"P{i}")
    return out


def candidate_pool(
    cset: CandidateSet, greedy: Placement, upper: np.ndarray, size: int
) -> list[int]:
    """Greedy's picks, their neighbours, what greedy evaluated, then the best singles."""
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
    order += sorted(greedy.evaluated, key=lambda c: (-upper[c], c))
    order += [int(c) for c in np.lexsort((np.arange(len(upper)), -upper))]
    seen: set[int] = set()
    pool: list[int] = []
    for c in order:
        if c in seen or upper[c] <= 0:
            continue
        seen.add(c)
        pool.append(c)
        if len(pool) >= max(size, len(picks)):
            break
    return pool


def plan_cameras(
    site: Site,
    *,
    add: int | None = None,
    target: float | None = None,
    level: str = "detection",
    lens: Lens | None = None,
    lenses: Sequence[Lens] | None = None,
    budget: float | None = None,
    method: str = "auto",
    time_limit: float = 20.0,
    spacing: float = 2.0,
    seed: int = 0,
    pool_size: int = DEFAULT_POOL,
    heading_step: float = 15.0,
) -> PlanResult:
    """Suggest cameras for ``site`` (see the module docstring); raises UsageError on bad options."""
    t0 = time.perf_counter()
    _check_options(add, target, budget, level, method, time_limit, spacing, lenses)
    types = list(lenses) if lenses else [lens or Lens()]
    space = free_space(site)
    before_an = analyze(site, include_planned=True, space=space)
    before = before_an.ratios()
    if target is not None:
        demand = target_demand(site, before_an, target=target, level=level)
    else:
        demand = objective_demand(site, before_an, level=level)
    mode = "target" if target is not None else "weighted"
    result = PlanResult(site.id, before, before, [], method=method)
    if not demand.pieces or demand.total_weight() <= 0:
        result.note = "nothing left to cover: no suggestion adds coverage"
        result.target = (
            _target_report(site, before_an, target, level) if target is not None else None
        )
        result.after_analysis = before_an
        result.seconds = time.perf_counter() - t0
        return result

    cset = generate_candidates(
        site,
        types,
        space=space,
        spacing=spacing,
        regions=demand.regions(),
        heading_step=heading_step,
    )
    pf = split_by_piece(demand, cset)
    costs = cset.costs()
    geo = GeometryCoverage(demand, pf, mode=mode)
    upper = geo.upper_bounds()
    result.candidates = len(cset)
    if mode == "target":
        greedy = greedy_placement(geo, k=None, upper=upper)
        if not geo.m.satisfied(geo.covered):
            # some needs cannot be met from these candidates: aim for the most they can reach
            # (greedy stopped only when no candidate adds anything, so it reached that most)
            demand = _capped(demand, geo.covered)
            selection = list(greedy.selected)
            geo = GeometryCoverage(demand, pf, mode=mode)
            for c in selection:
                geo.add(c)
    elif budget is not None:
        greedy = budgeted_greedy(geo, k=add, budget=budget, costs=costs)
    else:
        greedy = greedy_placement(geo, k=add, upper=upper)
    greedy_value = greedy.objective
    runs = {"greedy": greedy_value}
    best = greedy
    deadline = time.perf_counter() + time_limit  # the optimisation phases after greedy
    if method != "greedy" and greedy.selected:
        pool = candidate_pool(cset, greedy, upper, pool_size)
        atoms = build_atoms(demand, pf, pool)
        result.pool, result.atoms = len(pool), atoms.n_atoms
        ac = AtomCoverage(demand, atoms, mode=mode)
        local_of = {int(c): i for i, c in enumerate(atoms.pool.tolist())}
        priority = [local_of[c] for c in pool]
        start = [local_of[c] for c in greedy.selected]
        pool_costs = costs[atoms.pool]
        if mode == "target":
            current = prune_cover(ac, start)
            current_value = float(pool_costs[current].sum()) if current else 0.0
            runs["greedy"] = float(costs[greedy.selected].sum())
            runs["local"] = current_value
            best_local = Placement(current, [], current_value, "local")
            if method in ("auto", "exact"):
                from planners.exact import set_cover_ilp

                limit = max(deadline - time.perf_counter(), 1.0)
                sub, sub_ac = exact_subpool(demand, atoms, ac, priority, current, mode)
                ex = set_cover_ilp(
                    sub_ac,
                    demand,
                    costs=pool_costs[sub],
                    start=[sub.index(i) for i in current],
                    time_limit=limit,
                    seed=seed,
                )
                ex.selected = [sub[i] for i in ex.selected]
                result.exact_pool = len(sub)
                runs["exact"] = ex.objective
                if ex.objective < current_value - 1e-9:
                    best_local = ex
                else:
                    best_local.bound, best_local.gap, best_local.optimal = (
                        ex.bound,
                        ex.gap,
                        ex.optimal,
                    )
            best = _to_global(ac, atoms.pool, best_local, mode)
        else:
            current = start
            if method in ("auto", "local"):
                ls = local_search(
                    ac,
                    start,
                    k=add,
                    budget=budget,
                    costs=pool_costs,
                    time_limit=max(deadline - time.perf_counter(), 0.5),
                )
                runs["local"] = ls.objective
                current = ls.selected
                best_local = ls
            else:
                best_local = Placement(start, [], greedy_value, "greedy")
            if method in ("auto", "exact"):
                from planners.exact import max_coverage_ilp

                limit = max(deadline - time.perf_counter(), 1.0)
                sub, sub_ac = exact_subpool(demand, atoms, ac, priority, current, mode)
                ex = max_coverage_ilp(
                    sub_ac,
                    k=add,
                    budget=budget,
                    costs=pool_costs[sub],
                    start=[sub.index(i) for i in current],
                    time_limit=limit,
                    seed=seed,
                )
                ex.selected = [sub[i] for i in ex.selected]
                result.exact_pool = len(sub)
                runs["exact"] = ex.objective
                if ex.objective > best_local.objective + ac.m.tol:
                    best_local = ex
                else:  # keep the incumbent on ties (stable output), with the proven bound
                    best_local.bound, best_local.gap = ex.bound, ex.gap
                    best_local.optimal = (
                        ex.optimal and ex.objective <= best_local.objective + ac.m.tol
                    )
                    if ex.bound is not None and ex.bound > 0:
                        best_local.gap = max(ex.bound - best_local.objective, 0.0) / ex.bound
            best = _to_global(ac, atoms.pool, best_local, mode)
    result.runs = runs
    result.method, result.bound, result.gap, result.optimal = (
        best.method,
        best.bound,
        best.gap,
        best.optimal,
    )
    result.objective = best.objective
    _finish(result, site, cset, geo, best, before_an, space, mode)
    if target is not None:
        result.target = _target_report(site, result.after_analysis, target, level)
    elif not result.suggestions:
        result.note = "no candidate adds coverage"
    elif add is not None and len(result.suggestions) < add:
        why = (
            "the budget allows no more"
            if budget is not None
            else "no other candidate adds coverage"
        )
        result.note = f"{len(result.suggestions)} of {add} cameras suggested: {why}"
    elif add is None and budget is not None:
        result.note = f"{len(result.suggestions)} cameras within the budget"
    result.seconds = time.perf_counter() - t0
    return result


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


def _to_global(ac: AtomCoverage, pool: np.ndarray, placement: Placement, mode: str) -> Placement:
    order, gains = order_by_gain(ac, placement.selected)
    glob = [int(pool[i]) for i in order]
    objective = placement.objective if mode == "target" else float(sum(gains))
    return Placement(
        glob,
        gains,
        objective,
        placement.method,
        bound=placement.bound,
        gap=placement.gap,
        optimal=placement.optimal,
        seconds=placement.seconds,
        status=placement.status,
    )


def _finish(
    result: PlanResult,
    site: Site,
    cset: CandidateSet,
    geo: GeometryCoverage,
    best: Placement,
    before_an: Analysis,
    space: Any,
    mode: str,
) -> None:
    """Turn the chosen candidates into cameras and re-analyse the site to get ``after``."""
    saved_mode, saved_weight = geo.m.mode, geo.m.weight
    if mode == "target":
        # explain each camera by the area it adds at the planning level (zones only if M is met)
        whole = np.array([p.zone is None for p in geo.demand.pieces])
        geo.m.mode = "weighted"
        geo.m.weight = whole.astype(float) if whole.any() else np.ones(len(whole))
    try:
        # best.selected is already in greedy order (largest marginal gain first)
        geo.reset()
        order, gains = list(best.selected), []
        for c in order:
            gains.append(geo.gain(c))
            geo.add(c)
    finally:
        geo.m.mode, geo.m.weight = saved_mode, saved_weight
    ids = _free_ids(site, len(order))
    result.suggestions = [
        Suggestion(
            cset.camera(c, cid),
            g,
            cset.lenses[cset.candidates[c].lens],
            cset.mounts[cset.candidates[c].mount].ref,
        )
        for cid, c, g in zip(ids, order, gains, strict=True)
    ]
    known = {cam.id: cam.footprints for cam in before_an.cameras}
    new_site = site_with_suggestions(site, result)
    after_an = analyze(new_site, include_planned=True, space=space, footprints=known)
    result.after = after_an.ratios()
    result.after_analysis = after_an


def _capped(demand: Demand, reachable: np.ndarray) -> Demand:
    """The demand with each need lowered to what the candidates can reach at most."""
    pieces = [
        replace(p, need_m2=min(p.need_m2, float(reachable[j]) * (1.0 - 1e-7)))
        for j, p in enumerate(demand.pieces)
    ]
    return Demand(pieces, target=True)


def _target_report(
    site: Site, analysis: Analysis | None, target: float | None, level: str
) -> dict[str, Any]:
    """Whether the target is met after the plan, and what cannot be reached and why."""
    assert analysis is not None and target is not None
    ratio = analysis.levels[level].ratio
    failing = [z for z in analysis.zones if not z.passed]
    unreachable = []
    for z in failing:
        unreachable.append(
            {
                "zone": z.name,
                "level": z.required_level,
                "required_ratio": ZONE_PASS_RATIO,
                "best_ratio": round(z.ratio, 6),
                "reason": (
                    f"no candidate mount sees the rest of zone '{z.name}' at {z.required_level} level "
                    "(too far for the lens, behind obstacles, or outside every mount's view)"
                ),
            }
        )
    if ratio < target - 1e-9:
        unreachable.append(
            {
                "zone": None,
                "level": level,
                "required_ratio": target,
                "best_ratio": round(ratio, 6),
                "reason": (
                    f"the candidate mounts cannot see {(1 - ratio) * 100:.2f} % of the monitored area "
                    f"at {level} level"
                ),
            }
        )
    return {"ratio": target, "level": level, "reached": not unreachable, "unreachable": unreachable}
