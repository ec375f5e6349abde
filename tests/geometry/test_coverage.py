from __future__ import annotations

import json

import pytest
from shapely.geometry import box

from camwatch.geometry.blindspots import blind_spot_parts
from camwatch.geometry.coverage import analyze
from camwatch.model import Zone
from tests.common import camera, courtyard, site, square_room


def test_empty_site_is_all_blind():
    a = analyze(site())
    assert a.levels["detection"].ratio == 0.0
    assert [s.id for s in a.blind_spots] == ["B1"]
    assert a.blind_spots[0].area_m2 == pytest.approx(100.0)
    assert a.compliant  # no zones: nothing fails


def test_zone_with_no_cameras_is_zero_and_fails():
    zone = Zone("gate", box(0, 0, 2, 2), zone_type="entrance", required_level="identification")
    a = analyze(site(zones=[zone]))
    z = a.zones[0]
    assert (z.ratio, z.passed, a.compliant) == (0.0, False, False)
    assert a.blind_spots[0].zones == ("gate",)


def test_zone_inside_building_has_ratio_one():
    zone = Zone("inside", box(12, 12, 18, 18))
    a = analyze(
        site(courtyard.union(box(10, 10, 20, 20)), buildings=[box(10, 10, 20, 20)], zones=[zone])
    )
    assert a.zones[0].area_m2 == 0.0 and a.zones[0].ratio == 1.0 and a.zones[0].passed


def test_one_panoramic_camera_in_open_square_covers_it():
    cam = camera(x=5, y=5, hfov_deg=360, resolution=(2560, 2560))
    a = analyze(site(cameras=[cam]))
    assert a.levels["detection"].ratio == pytest.approx(1.0)
    assert a.blind_spots == ()


def test_statuses_listed_but_only_counted_cameras_cover():
    cams = [
        camera("A", 1, 1, heading_deg=45, status="faulty"),
        camera("B", 9, 9, heading_deg=225, status="planned"),
    ]
    a = analyze(site(cameras=cams))
    assert [c.id for c in a.cameras] == ["A", "B"]
    assert a.cameras[0].footprint_m2["detection"] > 0
    assert a.levels["detection"].covered_m2 == 0.0
    planned = analyze(site(cameras=cams), include_planned=True)
    assert planned.levels["detection"].covered_m2 == pytest.approx(
        a.cameras[1].footprint_m2["detection"]
    )


def test_blind_spots_split_at_a_point_and_sorted():
    parts = blind_spot_parts(box(0, 0, 1, 1).union(box(1, 1, 3, 3)).union(box(5, 5, 5.5, 5.5)))
    assert [round(p.area, 6) for p in parts] == [4.0, 1.0]  # the 0.25 m² piece is below 1 m²


def test_to_dict_matches_contract():
    zone = Zone(
        "north gate", box(0, 8, 4, 10), zone_type="entrance", required_level="identification"
    )
    s = site(zones=[zone], cameras=[camera("C1", 5, 0.5, heading_deg=0)])
    a = analyze(s, coverage_model="ground")  # §3 as in v1; standing adds two members (below)
    d = json.loads(json.dumps(a.to_dict()))
    standing = json.loads(json.dumps(analyze(s).to_dict()))
    assert set(standing) - set(d) == {"coverage_model", "target_height_m"}
    assert standing["coverage_model"] == "standing"
    assert set(d) == {
        "site",
        "monitored_area_m2",
        "levels",
        "blind_spots",
        "zones",
        "cameras",
        "compliant",
    }
    assert list(d["levels"]) == ["detection", "observation", "recognition", "identification"]
    assert set(d["levels"]["detection"]) == {"covered_m2", "ratio"}
    assert set(d["zones"][0]) == {
        "name",
        "zone_type",
        "required_level",
        "area_m2",
        "covered_m2",
        "ratio",
        "pass",
    }
    assert set(d["cameras"][0]) == {"id", "status", "footprint_m2"}
    spot = d["blind_spots"][0]
    assert {"id", "area_m2", "centroid", "zones"} <= set(spot)
    areas = [s["area_m2"] for s in d["blind_spots"]]
    assert areas == sorted(areas, reverse=True)


def test_walls_block_sight():
    from shapely.geometry import LineString

    from camwatch.model import Wall

    wall = Wall(LineString([(5, 0), (5, 8)]), thickness_m=0.2)
    cam = camera("C1", 1, 1, heading_deg=90, hfov_deg=60, tilt_deg=5)
    open_room = analyze(site(square_room, cameras=[cam]))
    walled = analyze(site(square_room, walls=[wall], cameras=[cam]))
    assert walled.levels["detection"].covered_m2 < open_room.levels["detection"].covered_m2
    assert walled.monitored_area_m2 == pytest.approx(100 - 0.2 * 8)
