"""The planner's progress callback: reports phases in order, never changes the plan, and
stops the run when it raises (how the web cancels a target plan, docs/planners.md)."""

from __future__ import annotations

import pytest

from planners.plan import plan_cameras
from tests.planners.sites import small_compound


class Stop(Exception):
    pass


@pytest.mark.parametrize("options", [{"target": 0.9}, {"add": 3}])
def test_progress_reports_phases_and_changes_nothing(options):
    site = small_compound()
    calls: list[tuple[str, float]] = []
    with_cb = plan_cameras(
        site, method="greedy", progress=lambda p, f: calls.append((p, f)), **options
    )
    plain = plan_cameras(site, method="greedy", **options)
    assert with_cb.to_dict()["suggestions"] == plain.to_dict()["suggestions"]
    phases = [p for p, _ in calls]
    order = ["analysis", "candidates", "greedy", "optimise", "after"]
    seen = [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p]
    assert seen == order
    greedy = [f for p, f in calls if p == "greedy"]
    assert len(greedy) >= len(plain.suggestions)
    # a target plan may run greedy twice (docs/planners.md, "Target not reachable"), so the
    # fraction may start again; it stays a share
    assert all(0.0 <= f <= 1.0 + 1e-9 for f in greedy)


def test_raising_in_greedy_stops_the_run():
    site = small_compound()
    greedy_calls = []

    def progress(phase: str, fraction: float) -> None:
        if phase == "greedy":
            greedy_calls.append(fraction)
            if len(greedy_calls) == 3:
                raise Stop()
        assert phase not in ("optimise", "after"), "the run went on after the stop"

    with pytest.raises(Stop):
        plan_cameras(site, target=0.95, method="auto", progress=progress)
    assert len(greedy_calls) == 3
