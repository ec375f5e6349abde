"""Greedy's polygon evaluator reuses a candidate's new areas only when nothing near it
changed (planners/evaluators.py, GeometryCoverage.gain): the same picks, gains and
evaluations as recomputing every time, in both modes."""

from __future__ import annotations

import pytest
from shapely.geometry import box

from camwatch.geometry.coverage import analyze
from camwatch.geometry.space import free_space
from planners.candidates import generate_candidates
from planners.demand import objective_demand, split_by_piece, target_demand
from planners.evaluators import GeometryCoverage
from planners.lenses import Lens
from planners.placement import greedy_placement
from tests.planners.sites import make_site


def long_compound():
    """A 160 × 24 m strip with five buildings: picks far apart leave most gains unchanged."""
    return make_site(
        box(0, 0, 160, 24), buildings=[box(12 + 30 * i, 8, 24 + 30 * i, 16) for i in range(5)]
    )


@pytest.mark.parametrize("mode", ["weighted", "target"])
def test_reuse_changes_nothing(monkeypatch, mode):
    site = long_compound()
    space = free_space(site)
    before = analyze(site, include_planned=True, space=space)
    if mode == "target":
        demand = target_demand(site, before, target=0.97)
    else:
        demand = objective_demand(site, before)
    cset = generate_candidates(site, [Lens()], space=space, regions=demand.regions())
    pf = split_by_piece(demand, cset)
    k = None if mode == "target" else 8
    reused = GeometryCoverage(demand, pf, mode=mode)
    calls = {"reused": 0}
    original = GeometryCoverage._unchanged

    def counting(self, c):
        out = original(self, c)
        calls["reused"] += out is not None
        return out

    monkeypatch.setattr(GeometryCoverage, "_unchanged", counting)
    a = greedy_placement(reused, k=k, by_ratio=mode == "target")
    monkeypatch.setattr(GeometryCoverage, "_unchanged", lambda self, c: None)
    fresh = GeometryCoverage(demand, pf, mode=mode)
    b = greedy_placement(fresh, k=k, by_ratio=mode == "target")
    assert len(a.selected) >= 3
    assert a.selected == b.selected
    assert a.gains == b.gains  # the same numbers, not just close
    assert a.evaluated == b.evaluated
    assert calls["reused"] > 0  # the shortcut was taken
