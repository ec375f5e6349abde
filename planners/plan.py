"""``camwatch plan``: where to add cameras (issue 4 items 1–3).

:func:`plan_cameras` runs the whole pipeline: analyse the site with its
active and planned cameras (``before``), build the demand
(:mod:`planners.demand`) and the candidates (:mod:`planners.candidates`),
run lazy greedy over **every** candidate, then local search and the exact
programme over a *pool* (greedy's picks, their neighbours on the same and
adjacent mounts, the candidates greedy evaluated, then the best single
candidates, up to ``pool_size``), and keep the best; an ``add``/``budget`` plan's
cameras are then slid along their mounting lines and turned
(:mod:`planners.refine`, ``refine=False`` keeps the candidates). ``after`` is never
estimated: it is :func:`analyze` of :func:`site_with_suggestions` with
planned cameras counted, exactly what ``camwatch analyze --include-planned``
prints for the written site.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from camwatch import plan_notes
from camwatch.geometry.coverage import Analysis, analyze
from camwatch.geometry.space import free_space
from camwatch.i18n import Said, msg
from camwatch.model import Site
from planners.atoms import build_atoms
from planners.candidates import CandidateSet
from planners.demand import (
    objective_demand,
    planning_level,
    target_demand,
)
from planners.evaluators import AtomCoverage, GeometryCoverage
from planners.lazy import LazyCandidates, plan_candidates
from planners.lenses import Lens
from planners.local_search import local_search, prune_cover
from planners.placement import (
    Placement,
    budgeted_greedy,
    greedy_placement,
    order_by_gain,
)
from planners.plan_options import METHODS, check_options
from planners.pool import DEFAULT_POOL, candidate_pool, exact_subpool
from planners.reach import capped, explain_zones, unmet_zones, zone_reach
from planners.reach import unreachable_zones as unreachable_zones_of
from planners.refine import REFINE_SECONDS, Refinement, refine_cameras
from planners.result import PlanResult, Suggestion, site_with_suggestions, target_report

# a suggestion adding less than this (m²) to what a --target plan aims at adds nothing
MIN_GAIN_M2 = 0.05


def _free_ids(site: Site, n: int) -> list[str]:
    used = {c.id for c in site.cameras}
    out: list[str] = []
    i = 0
    while len(out) < n:
        i += 1
        if f"P{i}" not in used:
            out.append(f"P{i}")
    return out


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
    progress: Callable[[str, float], None] | None = None,
    candidate_limit: int | None = None,
    candidate_seconds: float | None = None,
    refine: bool = True,
    refine_seconds: float = REFINE_SECONDS,
) -> PlanResult:
    """Suggest cameras for ``site`` (see the module docstring); raises UsageError on bad options.

    ``progress(phase, fraction)`` is called between phases and before every
    greedy evaluation (``fraction`` of the greedy objective reached); an
    exception it raises stops the run there (cooperative cancel, docs/planners.md).
    ``candidate_limit``/``candidate_seconds`` bound candidate generation
    (:func:`planners.candidates.generate_candidates`). ``refine`` slides and turns the
    chosen cameras of an ``add``/``budget`` plan for at most ``refine_seconds``
    (:mod:`planners.refine`).
    """
    t0 = time.perf_counter()
    check_options(
        add,
        target,
        budget,
        level,
        method,
        time_limit,
        spacing,
        lenses,
        candidate_limit=candidate_limit,
        candidate_seconds=candidate_seconds,
        refine_seconds=refine_seconds,
    )
    report = progress or (lambda phase, fraction: None)

    def step(fraction: float) -> None:
        report("greedy", fraction)

    types = list(lenses) if lenses else [lens or Lens()]
    report("analysis", 0.0)
    space = free_space(site)
    before_an = analyze(site, include_planned=True, space=space)
    before = before_an.ratios()
    level = planning_level(before_an, level)
    report("candidates", 0.0)
    if target is not None:
        demand = target_demand(site, before_an, target=target, level=level)
    else:
        demand = objective_demand(site, before_an, level=level)
    mode = "target" if target is not None else "weighted"
    result = PlanResult(site.id, before, before, [], method=method)
    if not demand.pieces or demand.total_weight() <= 0:
        result.note = plan_notes.nothing_left()
        result.target = (
            target_report(site, before_an, target, level) if target is not None else None
        )
        result.after_analysis = before_an
        result.seconds = time.perf_counter() - t0
        return result

    cset, pf = plan_candidates(
        site,
        types,
        demand,
        space=space,
        spacing=spacing,
        heading_step=heading_step,
        limit=candidate_limit,
        seconds=candidate_seconds,
    )
    costs = cset.costs()
    unreachable_zones: list[str | None] = []
    if mode == "target":
        # A zone that cannot pass is not chased: cameras bringing it closer to a pass it
        # can never reach add nothing (docs/planners.md, "Target not reachable"). What the
        # candidates can reach of a zone is the union of their footprints in it (zones are
        # small), so such zones are dropped, and the other zones' needs capped to it,
        # before greedy runs.
        reach = zone_reach(demand, pf)
        dropped = unreachable_zones_of(demand, reach)
        if dropped:
            demand = capped(demand, reach, drop=dropped)
            unreachable_zones = [demand.pieces[j].zone for j in dropped]
    geo = GeometryCoverage(demand, pf, mode=mode)
    upper = geo.upper_bounds()
    result.candidates = len(cset)
    result.skipped_mounts = list(cset.skipped_mounts)
    if cset.unvisited_spots:
        result.unvisited = Said(
            msg(
                "%(n)s of %(total)s spots not visited: candidate generation bound reached "
                "(--candidate-limit/--candidate-seconds)",
                n=cset.unvisited_spots,
                total=cset.spots_considered,
            )
        )
    if mode == "target":
        # Wolsey (1982): greedy by gain per unit cost for submodular set cover
        greedy = greedy_placement(
            geo, k=None, upper=upper, costs=costs, by_ratio=True, on_step=step
        )
        if not geo.m.satisfied(geo.covered):
            # the monitored area's need cannot be met from these candidates (greedy stopped
            # only when no candidate adds anything, so it reached the most they can): it
            # aims for the most it can reach. Plan again for what is left.
            more = unmet_zones(demand, geo.covered)
            demand = capped(demand, geo.covered, drop=more)
            unreachable_zones += [demand.pieces[j].zone for j in more]
            geo = GeometryCoverage(demand, pf, mode=mode)
            upper = geo.upper_bounds()
            greedy = greedy_placement(
                geo, k=None, upper=upper, costs=costs, by_ratio=True, on_step=step
            )
        greedy.objective = float(costs[greedy.selected].sum())  # set cover: cameras (cost) used
    elif budget is not None:
        greedy = budgeted_greedy(geo, k=add, budget=budget, costs=costs)
    else:
        greedy = greedy_placement(geo, k=add, upper=upper, on_step=step)
    greedy_value = greedy.objective
    runs = {"greedy": greedy_value}
    best = greedy
    deadline = time.perf_counter() + time_limit  # the optimisation phases after greedy
    report("optimise", 1.0)
    if one_camera(mode, add, budget) and greedy.selected:
        # lazy greedy's one pick is the largest exact gain of all candidates: no search
        # over a pool of them can do better, so none runs (docs/planners.md, "One camera")
        best.bound, best.gap, best.optimal = greedy_value, 0.0, True
    elif method != "greedy" and greedy.selected:
        pool = candidate_pool(cset, greedy, upper, pool_size, exact=geo.exact_upper)
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
    refined = None
    if refine and mode == "weighted" and best.selected:  # docs/planners.md "Refinement"
        refined = refine_cameras(
            site, space, demand, [cset.camera(c, "r") for c in best.selected],
            seconds=refine_seconds,
        )  # fmt: skip
        result.runs["refine"] = result.objective = refined.objective
    report("after", 1.0)
    _finish(result, site, cset, geo, best, before_an, space, mode, refined)
    if target is not None:
        result.target = target_report(site, result.after_analysis, target, level)
        explain_zones(result.target, site, before_an, cset, types, unreachable_zones)
    elif not result.suggestions:
        result.note = plan_notes.no_candidate()
    elif add is not None and len(result.suggestions) < add:
        result.note = plan_notes.fewer(len(result.suggestions), add, budget=budget is not None)
    elif add is None and budget is not None:
        result.note = plan_notes.within_budget(len(result.suggestions))
    result.seconds = time.perf_counter() - t0
    return result


def one_camera(mode: str, add: int | None, budget: float | None) -> bool:
    """Whether the greedy plan is provably optimal: one camera for the most weighted
    coverage, without a budget (with one, the best affordable pick is a knapsack choice
    greedy by gain per cost need not make)."""
    return mode == "weighted" and add == 1 and budget is None


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
    cset: CandidateSet | LazyCandidates,
    geo: GeometryCoverage,
    best: Placement,
    before_an: Analysis,
    space: Any,
    mode: str,
    refined: Refinement | None = None,
) -> None:
    """Turn the chosen candidates (or their ``refined`` cameras) into cameras and
    re-analyse the site to get ``after``."""
    saved_mode, saved_weight = geo.m.mode, geo.m.weight
    if mode == "target":
        # explain each camera by the area it adds to what the plan aims at: the monitored
        # area at the planning level and each zone it tries to pass, at the zone's level
        geo.m.mode = "weighted"
        geo.m.weight = (geo.m.need > 0).astype(float)
    try:
        # best.selected is already in greedy order (largest marginal gain first)
        geo.reset()
        order, gains = [], []
        for c in best.selected:
            g = geo.gain(c)
            if mode == "target" and g < MIN_GAIN_M2:
                continue  # it adds nothing the plan aims at: never suggested
            order.append(c)
            gains.append(g)
            geo.add(c)
    finally:
        geo.m.mode, geo.m.weight = saved_mode, saved_weight
    if refined is not None:  # the refined cameras, in their own greedy order
        order, gains = [best.selected[i] for i in refined.order], refined.gains
    ids = _free_ids(site, len(order))
    cams = [
        cset.camera(c, cid) if refined is None else replace(refined.cameras[k], id=cid)
        for k, (cid, c) in enumerate(zip(ids, order, strict=True))
    ]
    result.suggestions = [
        Suggestion(
            cam,
            g,
            cset.lenses[cset.candidates[c].lens],
            cset.mounts[cset.candidates[c].mount].ref,
        )
        for cam, c, g in zip(cams, order, gains, strict=True)
    ]
    known = {cam.id: cam.footprints for cam in before_an.cameras}
    new_site = site_with_suggestions(site, result)
    after_an = analyze(new_site, include_planned=True, space=space, footprints=known)
    result.after = after_an.ratios()
    result.after_analysis = after_an


__all__ = [
    "METHODS",
    "PlanResult",
    "Suggestion",
    "plan_cameras",
    "site_with_suggestions",
    "DEFAULT_POOL",
    "candidate_pool",
    "exact_subpool",
]
