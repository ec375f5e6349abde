"""suggest_devices, intruder_routes, patrol_route on constructed compounds."""

from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, box

from camwatch.errors import PlanningError, UsageError
from camwatch.geometry.coverage import analyze
from camwatch.model import Alarm, Camera, Gate, Intercom
from planners.devices import suggest_devices, unprotected_perimeter
from planners.patrol import patrol_route
from planners.routes import intruder_routes
from tests.planners.sites import make_site

BOUNDARY = box(0, 0, 60, 40)
HOUSE = box(25, 15, 35, 25)


def _types(items):
    return sorted(i["type"] for i in items)


def test_bare_compound_needs_everything():
    gate = Gate(id="G1", geometry=LineString([(28, 0), (32, 0)]), name="south gate")
    site = make_site(BOUNDARY, buildings=[HOUSE], gates=[gate])
    items = suggest_devices(site, analyze(site))
    types = _types(items)
    assert types.count("access_control") == 1
    assert types.count("identification_camera") == 1
    assert types.count("intercom") == 1
    fences = [i for i in items if i["type"] in ("electric_fence", "infrared_beam")]
    # the whole perimeter (200 m) minus the gate opening (4 m + 1 m either side)
    assert sum(f["length_m"] for f in fences) == pytest.approx(200 - 6, abs=0.01)
    for item in items:
        assert item["reason"] and item["reason_zh"] and len(item["position"]) == 2


def test_alarm_lines_gates_and_intercoms_satisfy_rules():
    gate = Gate(id="G1", geometry=Point(30, 0), access_control="face")
    alarm = Alarm(
        id="A1",
        geometry=LineString([(0, 0), (60, 0), (60, 40), (0, 40), (0, 0)]),
        alarm_type="electric_fence",
    )
    cams = [
        Camera(
            id="C1",
            position=(30.0, 3.0),
            heading_deg=180.0,
            hfov_deg=90.0,
            tilt_deg=40.0,
            resolution=(3840, 2160),
            height_m=2.0,
        )
    ]
    site = make_site(
        BOUNDARY,
        buildings=[HOUSE],
        gates=[gate],
        cameras=cams,
        intercoms=[Intercom(id="I1", position=(30.0, 15.0), building="B1")],
    )
    site = site.__class__(**{**site.__dict__, "alarms": (alarm,)})
    items = suggest_devices(site, analyze(site))
    assert "access_control" not in _types(items)
    assert "intercom" not in _types(items)
    assert unprotected_perimeter(site, analyze(site)) == []


def test_straight_short_stretch_gets_a_beam():
    alarm = Alarm(
        id="A1",
        geometry=LineString([(10, 0), (60, 0), (60, 40), (0, 40), (0, 0)]),
        alarm_type="electric_fence",
    )
    site = make_site(BOUNDARY)
    site = site.__class__(**{**site.__dict__, "alarms": (alarm,)})
    items = [i for i in suggest_devices(site, analyze(site)) if i["about"]["kind"] == "boundary"]
    assert [i["type"] for i in items] == ["infrared_beam"]
    # 10 m, minus the 1 m the alarm line reaches at each end (it closes at (0, 0))
    assert items[0]["length_m"] == pytest.approx(8.0, abs=0.01)


def test_intruder_route_prefers_the_unseen_way():
    # a camera watches the south half; the unguarded north fence gives an unseen way in
    cams = [
        Camera(
            id="C1", position=(0.0, 0.0), heading_deg=45.0, hfov_deg=360.0, resolution=(4000, 4000)
        )
    ]  # reach 25.5 m around (0, 0)
    site = make_site(BOUNDARY, buildings=[box(40, 10, 50, 30)], cameras=cams)
    routes = intruder_routes(site, analyze(site), cell_m=1.0)
    assert len(routes) == 1 and routes[0]["reachable"]
    r = routes[0]
    assert r["seen_m"] == pytest.approx(0.0, abs=1e-6)
    assert r["entry"]["kind"] == "perimeter"
    line = LineString(r["path"])
    assert r["unseen_m"] + r["seen_m"] == pytest.approx(line.length - 1.0, abs=0.05)
    assert not BOUNDARY.contains(Point(r["path"][0]))  # starts outside


def test_no_way_in_is_reported():
    gate = Gate(id="G1", geometry=Point(30, 0), access_control="card")
    alarm = Alarm(
        id="A1",
        geometry=LineString([(0, 0), (60, 0), (60, 40), (0, 40), (0, 0)]),
        alarm_type="infrared_beam",
    )
    site = make_site(BOUNDARY, buildings=[HOUSE], gates=[gate])
    site = site.__class__(**{**site.__dict__, "alarms": (alarm,)})
    routes = intruder_routes(site, analyze(site))
    assert [r["reachable"] for r in routes] == [False]
    assert "no way in" in routes[0]["reason"]


def test_patrol_visits_every_large_blind_spot_from_the_kiosk():
    site = make_site(
        BOUNDARY, buildings=[HOUSE], obstacles=[(box(2, 2, 4, 4), "门卫岗亭 guard kiosk")]
    )
    analysis = analyze(site)
    patrol = patrol_route(site, analysis, min_area_m2=1.0)
    assert patrol["start"]["kind"] == "obstacle"
    big = {b.id for b in analysis.blind_spots if b.area_m2 >= 1.0}
    assert {s["blind_spot"] for s in patrol["stops"]} == big
    assert patrol["path"][0] == patrol["path"][-1]  # closed
    line = LineString(patrol["path"])
    assert line.length == pytest.approx(patrol["length_m"], abs=0.01)
    assert patrol["time_min"] == pytest.approx(patrol["length_m"] / 1.2 / 60, abs=0.01)
    # the walk never crosses the building or the kiosk
    assert line.intersection(HOUSE).length < 1e-6


def test_patrol_tour_visits_many_spots_in_a_short_order():
    # a 100 m corridor watched by five 8 m fisheyes leaves six separate blind spots (four gaps,
    # two ends); from a kiosk in the middle a good tour walks to one end and back, about 2 × 100 m
    cams = [
        Camera(id=f"C{k}", position=(float(x), 5.0), hfov_deg=360.0, resolution=(1257, 1257))
        for k, x in enumerate((10, 30, 50, 70, 90))
    ]
    site = make_site(
        box(0, 0, 100, 10), cameras=cams, obstacles=[(box(49, 0, 51, 1), "guard kiosk")]
    )
    analysis = analyze(site)
    assert len(analysis.blind_spots) == 6
    patrol = patrol_route(site, analysis, min_area_m2=1.0)
    assert len(patrol["stops"]) == 6 and not patrol["skipped"]
    assert 180 < patrol["length_m"] < 215


def test_patrol_without_start_or_gate_is_an_error():
    with pytest.raises(PlanningError, match="no start"):
        patrol_route(make_site(BOUNDARY), analyze(make_site(BOUNDARY)))
    with pytest.raises(UsageError, match="--start"):
        patrol_route(make_site(BOUNDARY), analyze(make_site(BOUNDARY)), start=(500.0, 0.0))
    patrol = patrol_route(make_site(BOUNDARY), analyze(make_site(BOUNDARY)), start=(1.0, 1.0))
    assert [s["blind_spot"] for s in patrol["stops"]] == ["B1"]
