from __future__ import annotations

import math

import pytest
from shapely.geometry import box

from camwatch.geometry.footprint import camera_footprints, sector
from camwatch.geometry.optics import ground_limits, reach
from camwatch.model import LEVELS
from tests.common import camera, courtyard, square_room
from tests.oracle import ray_visibility, sampled_area


@pytest.mark.parametrize(
    "args, expected",
    [
        (((0, 0), 0, 90, 0, 10), math.pi * 100 / 4),
        (((0, 0), 0, 360, 0, 10), math.pi * 100),
        (((0, 0), 45, 360, 5, 10), math.pi * 75),
        (((0, 0), 0, 90, 5, 10), math.pi * 75 / 4),
        (((0, 0), 0, 270, 0, 10), math.pi * 75),
        (((0, 0), 0, 90, 10, 10), 0.0),  # degenerate: far == near
    ],
)
def test_sector_area_within_chord_error(args, expected):
    assert sector(*args).area == pytest.approx(expected, rel=1e-4, abs=1e-9)


def test_sector_bearing_is_compass():
    north = sector((0, 0), 0, 10, 0, 10)
    east = sector((0, 0), 90, 10, 0, 10)
    assert north.centroid.y > 5 and abs(north.centroid.x) < 0.5
    assert east.centroid.x > 5 and abs(east.centroid.y) < 0.5


def test_camera_facing_wall_sees_nothing():
    fp = camera_footprints(camera(x=0, y=5, heading_deg=270), square_room)
    assert all(fp[level].is_empty for level in LEVELS)


def test_camera_looking_at_sky_sees_nothing():
    fp = camera_footprints(camera(x=5, y=5, tilt_deg=-45, hfov_deg=60), square_room)
    assert fp["detection"].is_empty


def test_no_obstacles_footprint_is_sector_in_boundary():
    cam = camera(x=5, y=1, heading_deg=0, hfov_deg=60, tilt_deg=20)
    near, _ = ground_limits(cam)
    big = box(-50, -50, 50, 50)
    fp = camera_footprints(cam, big)
    for level in LEVELS:
        expected = sector((5, 1), 0, 60, near, reach(cam, level)).intersection(big)
        assert fp[level].symmetric_difference(expected).area < 1e-6


def test_levels_nested():
    cam = camera(x=15, y=2, heading_deg=0, hfov_deg=80, resolution=(2560, 1440), tilt_deg=10)
    fp = camera_footprints(cam, courtyard)
    for outer, inner in zip(LEVELS, LEVELS[1:], strict=False):
        assert fp[inner].difference(fp[outer]).area < 1e-6
        assert fp[inner].area <= fp[outer].area


@pytest.mark.parametrize(
    "cam",
    [
        camera(x=5, y=5, heading_deg=30, hfov_deg=100, tilt_deg=10),
        camera(x=10, y=15, heading_deg=270, hfov_deg=90, tilt_deg=12),  # on the facade
        camera(x=9.97, y=15, heading_deg=270, hfov_deg=90, tilt_deg=12),  # 3 cm inside the building
        camera(x=2, y=2, hfov_deg=360, resolution=(2560, 2560)),  # panoramic
        camera(
            x=30.03, y=15, heading_deg=270, hfov_deg=200, resolution=(2560, 1440)
        ),  # 3 cm outside
    ],
)
def test_footprint_agrees_with_independent_oracles(cam):
    fp = camera_footprints(cam, courtyard)["detection"]
    near, _ = ground_limits(cam)
    from camwatch.geometry.space import stand_point

    p = stand_point(cam.position, courtyard)
    wedge = sector(p, cam.heading_deg, cam.hfov, near, reach(cam, "detection"))
    exact = ray_visibility(p, courtyard).intersection(wedge)
    assert fp.area == pytest.approx(exact.area, rel=5e-3, abs=0.5)
    estimate, stderr = sampled_area(p, wedge, courtyard, n=3000)
    assert abs(fp.area - estimate) <= 4 * stderr + 0.5
