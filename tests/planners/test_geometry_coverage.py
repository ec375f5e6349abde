"""Greedy's polygon evaluator: a candidate's new area against the whole cover, by plain shapely."""

from __future__ import annotations

import shapely

from camwatch.geometry.coverage import analyze
from camwatch.geometry.space import free_space
from planners.candidates import generate_candidates
from planners.demand import objective_demand, split_by_piece
from planners.evaluators import GeometryCoverage
from planners.lenses import Lens
from tests.planners.sites import small_compound


def test_new_areas_equal_area_outside_the_whole_cover():
    site = small_compound()
    space = free_space(site)
    demand = objective_demand(site, analyze(site, include_planned=True, space=space))
    cset = generate_candidates(site, [Lens()], space=space, regions=demand.regions())
    pf = split_by_piece(demand, cset)
    geo = GeometryCoverage(demand, pf)
    # chosen far apart, so most candidates meet some chosen footprints' boxes but not all
    by_x = sorted(range(len(cset)), key=lambda c: cset.candidates[c].position)
    chosen = [by_x[0], by_x[len(by_x) // 3], by_x[2 * len(by_x) // 3], by_x[-1]]
    for c in chosen:
        geo.add(c)
    cover = {
        j: shapely.unary_union([pf.geometry(c, j) for c in chosen]) for j in range(len(pf.by_piece))
    }
    checked = 0
    for c in range(0, len(cset), 7):
        got = geo.new_areas(c)
        for j, area in pf.areas(c):
            own = pf.geometry(c, j)
            expected = max(area - own.intersection(cover[j]).area, 0.0)
            assert abs(got[j] - expected) <= 1e-7 * max(area, 1.0)
            checked += 1
    assert checked > 50
