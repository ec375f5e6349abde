from __future__ import annotations

import math

import pytest

from camwatch.geometry.optics import dori_distance, ground_limits, max_reach, reach, vfov
from tests.common import camera


@pytest.mark.parametrize(
    "kwargs, level, expected",
    [
        ({"hfov_deg": 90}, "detection", 1920 / (2 * 25 * 1.0)),
        ({"hfov_deg": 90}, "identification", 1920 / (2 * 250 * 1.0)),
        (
            {"hfov_deg": 60, "resolution": (3840, 2160)},
            "recognition",
            3840 / (2 * 125 * math.tan(math.radians(30))),
        ),
        (
            {"focal_mm": 4.0, "sensor_width_mm": 5.37},
            "observation",
            1920 / (2 * 62.5 * (5.37 / 8.0)),
        ),
        ({"hfov_deg": 180}, "detection", 1920 / (math.pi * 25)),  # panoramic formula
        ({"hfov_deg": 360, "resolution": (2560, 2560)}, "detection", 2560 / (2 * math.pi * 25)),
    ],
)
def test_dori_distance(kwargs, level, expected):
    assert dori_distance(camera(**kwargs), level) == pytest.approx(expected)


def test_dori_unknown_level():
    with pytest.raises(ValueError, match="unknown level"):
        dori_distance(camera(), "nope")


def test_hfov_wins_over_lens():
    cam = camera(hfov_deg=40, focal_mm=2.8, sensor_width_mm=5.37)
    assert cam.hfov == 40


def test_vfov_from_aspect():
    cam = camera(hfov_deg=90, resolution=(1920, 1080))
    assert vfov(cam) == pytest.approx(math.degrees(2 * math.atan(1080 / 1920)))
    assert vfov(camera(hfov_deg=90, vfov_deg=30)) == 30


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        # tilt 15, vfov 30: near = 3/tan(30°), far = 3/tan(0°) = ∞
        (
            {"hfov_deg": 50, "vfov_deg": 30, "tilt_deg": 15},
            (3 / math.tan(math.radians(30)), math.inf),
        ),
        (
            {"hfov_deg": 50, "vfov_deg": 20, "tilt_deg": 30, "height_m": 4},
            (4 / math.tan(math.radians(40)), 4 / math.tan(math.radians(20))),
        ),
        (
            {"hfov_deg": 50, "vfov_deg": 40, "tilt_deg": 80},
            (0.0, 3 / math.tan(math.radians(60))),
        ),  # τ+β/2 ≥ 90 → near 0
        (
            {"hfov_deg": 50, "vfov_deg": 20, "tilt_deg": -10},
            (0.0, 0.0),
        ),  # looks at the sky: empty (degenerate row)
        ({"hfov_deg": 360, "tilt_deg": 80}, (0.0, math.inf)),  # panoramic ignores tilt
    ],
)
def test_ground_limits(kwargs, expected):
    near, far = ground_limits(camera(**kwargs))
    assert near == pytest.approx(expected[0])
    assert far == pytest.approx(expected[1])


def test_reach_caps():
    cam = camera(hfov_deg=90, range_m=10)
    assert reach(cam, "detection") == 10
    assert reach(cam, "identification") == pytest.approx(3.84)
    assert max_reach(cam) == 10
