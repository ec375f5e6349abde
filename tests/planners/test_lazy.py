"""Lazy footprints (planners/lazy.py) give the plan eager generation gives.

The eager run (every footprint computed first, planners.candidates.generate_candidates)
is the reference: the same suggestions, gains, objective of every phase and
coverage after, for --add, --target and --budget, in both coverage models.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

import planners.lazy as lazy_module
from camwatch.geometry.coverage import analyze
from camwatch.geometry.space import free_space
from planners.atoms import build_atoms
from planners.candidates import generate_candidates
from planners.demand import objective_demand, split_by_piece, target_demand
from planners.evaluators import GeometryCoverage
from planners.lazy import lazy_candidates
from planners.lenses import Lens
from planners.placement import greedy_placement
from planners.plan import plan_cameras
from planners.pool import candidate_pool
from tests.planners.sites import small_compound


def _plans(monkeypatch, site, **options):
    out = []
    for lazy in (False, True):
        monkeypatch.setattr(lazy_module, "LAZY", lazy)
        out.append(plan_cameras(site, **options))
    return out


def _same(eager, lazy):
    a, b = eager.to_dict(), lazy.to_dict()
    assert a["suggestions"] == b["suggestions"]
    assert eager.runs == lazy.runs
    assert eager.after == lazy.after
    assert eager.pool == lazy.pool and eager.atoms == lazy.atoms


TWO_LENSES = [Lens(), Lens(name="wide", hfov_deg=120.0, unit_cost=1.5)]


@pytest.mark.parametrize("model", ["ground", "standing"])
@pytest.mark.parametrize(
    "options",
    [
        {"add": 3, "method": "greedy"},
        {"target": 0.9, "method": "greedy"},
        {"budget": 3.0, "lenses": TWO_LENSES, "method": "greedy"},
    ],
)
def test_lazy_plan_equals_eager_plan(monkeypatch, model, options):
    site = small_compound()
    site = replace(site, info=replace(site.info, coverage_model=model))
    eager, lazy = _plans(monkeypatch, site, **options)
    _same(eager, lazy)


@pytest.mark.parametrize("mode", ["weighted", "target"])
def test_lazy_pool_and_atoms_equal_eager(mode):
    """What local search and the exact programme get: the same pool, the same atoms."""
    site = small_compound()
    space = free_space(site)
    before = analyze(site, include_planned=True, space=space)
    demand = (
        target_demand(site, before, target=0.95)
        if mode == "target"
        else objective_demand(site, before)
    )
    eager = generate_candidates(site, [Lens()], space=space, regions=demand.regions())
    lazy = lazy_candidates(site, [Lens()], space=space, regions=demand.regions())
    runs = []
    for cset, pf in ((eager, split_by_piece(demand, eager)), (lazy, lazy)):
        geo = GeometryCoverage(demand, pf, mode=mode)
        upper = geo.upper_bounds()
        k = None if mode == "target" else 4
        greedy = greedy_placement(geo, k=k, upper=upper, by_ratio=mode == "target")
        pool = candidate_pool(cset, greedy, upper, 60, exact=geo.exact_upper)
        atoms = build_atoms(demand, pf, pool)
        name = lambda c, cs=cset: (cs.candidates[c].position, cs.candidates[c].heading_deg)  # noqa: E731
        runs.append(
            (
                [name(c) for c in greedy.selected],
                greedy.gains,
                [name(c) for c in greedy.evaluated],
                [name(c) for c in pool],
                atoms.area.tolist(),
                atoms.piece.tolist(),
            )
        )
    assert runs[0] == runs[1]
    assert lazy.missed == 0


@pytest.mark.slow
@pytest.mark.parametrize("options", [{"add": 3}, {"target": 0.9}])
def test_lazy_plan_equals_eager_plan_with_the_exact_programme(monkeypatch, options):
    eager, lazy = _plans(monkeypatch, small_compound(), time_limit=60.0, **options)
    _same(eager, lazy)


def test_bounds_are_upper_bounds_and_most_spots_stay_uncomputed():
    site = small_compound()
    space = free_space(site)
    demand = objective_demand(site, analyze(site, include_planned=True, space=space))
    cset = lazy_candidates(site, [Lens()], space=space, regions=demand.regions())
    bound = cset.bound.copy()
    assert cset.spots_computed == 0
    for m in range(len(cset.mounts)):
        cset.compute_spot(m)
    assert cset.missed == 0  # every candidate eager generation makes is listed
    exact = cset.upper_areas()
    assert np.all(bound >= exact)
    assert np.any(bound > 0)


def test_every_spot_computed_gives_eager_footprints():
    """Computing every spot gives what the evaluators read of eager generation (the
    pieces above the noise floor), candidate by candidate; the candidates only the lazy
    list has (sector meets the demand, footprint empty) have nothing."""
    site = small_compound()
    space = free_space(site)
    demand = objective_demand(site, analyze(site, include_planned=True, space=space))
    eager = generate_candidates(site, [Lens()], space=space, regions=demand.regions())
    pf = split_by_piece(demand, eager)
    lazy = lazy_candidates(site, [Lens()], space=space, regions=demand.regions())
    key = lambda cs, c: (cs.candidates[c].position, cs.candidates[c].heading_deg)  # noqa: E731
    of_lazy = {key(lazy, c): c for c in range(len(lazy))}
    for c in range(len(eager)):
        mine, theirs = lazy.parts(of_lazy[key(eager, c)]), pf.parts(c)
        assert [(j, a) for j, _, a in mine] == [(j, a) for j, _, a in theirs]
        assert all(
            g.equals_exact(h, 0.0) for (_, g, _), (_, h, _) in zip(mine, theirs, strict=True)
        )
    extra = set(of_lazy) - {key(eager, c) for c in range(len(eager))}
    assert all(lazy.parts(of_lazy[k]) == [] for k in extra)
    assert lazy.spots_computed == len(lazy.mounts) and lazy.missed == 0


def test_the_callers_free_space_is_not_prepared():
    """Lazy generation indexes a copy of free space: the caller's may be shared with other
    threads (the web's cache), and GEOS's prepared geometry is not thread-safe (shapely
    prepares a geometry in place, also implicitly in ``contains_xy``)."""
    import shapely

    site = small_compound()
    space = free_space(site)
    before = analyze(site, include_planned=True, space=space)
    demand = objective_demand(site, before)
    mine = shapely.from_wkb(shapely.to_wkb(space))  # fresh: never prepared
    lazy = lazy_candidates(site, [Lens()], space=mine, regions=demand.regions())
    assert len(lazy.candidates) > 0
    assert not shapely.is_prepared(mine)
