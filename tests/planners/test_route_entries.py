"""Intruder-route entries: perimeter leftovers shorter than ``MIN_ENTRY_M`` are no way in."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, box

from camwatch.geometry.coverage import analyze
from camwatch.model import Alarm, Gate
from planners.routes import MIN_ENTRY_M, intruder_routes
from tests.planners.moved import moved_sample
from tests.planners.sites import make_site

BOUNDARY = box(0, 0, 60, 40)
HOUSE = box(25, 15, 35, 25)
ALARM_REACH = 1.0  # what a LineString alarm is taken to stop on either side (docs/planners.md §6)


def _fenced_with_gap(gap_m: float):
    """The 60 × 40 m compound alarmed all round except ``gap_m`` of the south fence at x ≈ 30."""
    left = 29.0 - ALARM_REACH
    right = 29.0 + gap_m + ALARM_REACH
    alarms = (
        Alarm(id="A1", geometry=LineString([(0, 0), (left, 0)]), alarm_type="infrared_beam"),
        Alarm(
            id="A2",
            geometry=LineString([(right, 0), (60, 0), (60, 40), (0, 40), (0, 0)]),
            alarm_type="infrared_beam",
        ),
    )
    gate = Gate(id="G1", geometry=Point(10, 40), access_control="card")
    site = make_site(BOUNDARY, buildings=[HOUSE], gates=[gate])
    return site.__class__(**{**site.__dict__, "alarms": alarms})


def test_min_entry_is_half_a_metre():
    assert MIN_ENTRY_M == 0.5  # the documented value (docs/planners.md §6)


@pytest.mark.parametrize(
    "gap_m, reachable",
    [
        (0.0, False),  # degenerate: the two alarm lines meet
        (0.3, False),
        (0.49, False),
        (0.51, True),
        (0.7, True),
    ],
)
def test_gaps_shorter_than_min_entry_are_no_way_in(gap_m, reachable):
    site = _fenced_with_gap(gap_m)
    routes = intruder_routes(site, analyze(site), cell_m=0.5)
    assert [r["reachable"] for r in routes] == [reachable]
    if reachable:
        r = routes[0]
        assert r["entry"]["kind"] == "perimeter"
        x, y = r["entry_point"]
        # on the fence, to the mm (the walk itself starts 2 cm inside)
        assert 29.0 - 1e-3 <= x <= 29.0 + gap_m + 1e-3 and y == pytest.approx(0.0, abs=1e-3)
    else:
        assert "no way in" in routes[0]["reason"]


@pytest.mark.parametrize("angle", [0.0, 17.0, 45.0, 90.0])
def test_modern_gated_has_no_way_in_however_it_is_turned(angle):
    # Regression: rotated by 17°, the perimeter minus buffered alarms and gates left 0.2 mm of
    # slivers, which turned "no way in" into 8 reachable routes.
    site = moved_sample("modern_gated", angle_deg=angle)
    routes = intruder_routes(site, analyze(site))
    assert len(routes) == len(site.buildings) == 8
    assert not any(r["reachable"] for r in routes)
    assert all("no way in" in r["reason"] for r in routes)
