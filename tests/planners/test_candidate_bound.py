"""Bounding candidate generation: spread order, at most the limit, a subset of the full set."""

from __future__ import annotations

import pytest

from camwatch.errors import UsageError
from camwatch.geometry.coverage import analyze
from camwatch.geometry.space import free_space
from planners.candidates import generate_candidates, spread_order
from planners.demand import objective_demand
from planners.lenses import Lens
from planners.plan import plan_cameras, site_with_suggestions
from tests.planners.sites import small_compound


def test_spread_order_is_bit_reversal():
    assert spread_order(8) == [0, 4, 2, 6, 1, 5, 3, 7]
    assert spread_order(1) == [0]
    assert spread_order(0) == []
    for n in (5, 13, 100):
        order = spread_order(n)
        assert sorted(order) == list(range(n))
        # the first 2^b visited are spread: no gap between consecutive ones over 2 * n / 2^b
        for b in range(1, (n - 1).bit_length()):
            head = sorted(order[: 2**b])
            gaps = [y - x for x, y in zip(head, head[1:], strict=False)]
            assert max(gaps) <= 2 * n / 2**b


def _candidates(**bound):
    site = small_compound()
    space = free_space(site)
    demand = objective_demand(site, analyze(site, include_planned=True, space=space))
    return generate_candidates(site, [Lens()], space=space, regions=demand.regions(), **bound)


def test_limit_keeps_a_subset_of_whole_spots():
    full = _candidates()
    assert full.unvisited_spots == 0
    limit = len(full) // 3
    part = _candidates(limit=limit)
    assert 0 < len(part) <= limit
    assert part.unvisited_spots > 0
    key = lambda cs, c: (c.position, c.heading_deg, c.lens)  # noqa: E731
    full_area = {key(full, c): full.areas[0][c.index] for c in full.candidates}
    positions = set()
    for c in part.candidates:
        # same candidate, same footprint as without the bound
        assert part.areas[0][c.index] == full_area[key(part, c)]
        positions.add(c.position)
    # whole spots: every heading of a visited spot is kept
    assert sum(1 for c in full.candidates if c.position in positions) == len(part)
    # a limit the full set fits in changes nothing
    same = _candidates(limit=len(full))
    assert [key(same, c) for c in same.candidates] == [key(full, c) for c in full.candidates]
    assert same.unvisited_spots == 0


def test_time_budget_stops_generation():
    part = _candidates(seconds=1e-9)
    assert part.unvisited_spots > 0
    assert len(part) <= len(_candidates())


def test_plan_with_a_candidate_limit_is_valid_and_says_so():
    site = small_compound()
    result = plan_cameras(site, add=2, candidate_limit=60, time_limit=2, pool_size=60)
    assert 0 < result.candidates <= 60
    # a message in the result (worded for a reader), English in the planner's remarks
    assert any("not visited" in s for s in result.planner_info()["skipped_mounts"])
    after = analyze(site_with_suggestions(site, result), include_planned=True).ratios()
    assert after == result.after


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"candidate_limit": 0}, "--candidate-limit"),
        ({"candidate_seconds": 0.0}, "--candidate-seconds"),
        ({"candidate_seconds": float("nan")}, "--candidate-seconds"),
    ],
)
def test_bad_bounds(kwargs, message):
    with pytest.raises(UsageError, match=message):
        plan_cameras(small_compound(), add=1, **kwargs)
