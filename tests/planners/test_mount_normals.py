"""Mount normals, computed for all spots at once, equal a spot-by-spot reference."""

from __future__ import annotations

import math

import pytest
from shapely.geometry import Point, box

from camwatch.geometry.space import free_space
from planners.mounts import NORMAL_PROBE_M, mount_points
from tests.planners.sites import make_site, small_compound


def _reference_bearing(stand, space):
    """Bearing from ``stand`` to the centroid of free space within the probe (by hand)."""
    local = space.intersection(Point(stand).buffer(NORMAL_PROBE_M, quad_segs=64))
    if local.is_empty or local.area <= 0:
        return None
    c = local.centroid
    dx, dy = c.x - stand[0], c.y - stand[1]
    if math.hypot(dx, dy) < 0.02 * NORMAL_PROBE_M:
        return None
    return math.degrees(math.atan2(dx, dy)) % 360.0


@pytest.mark.parametrize(
    "site",
    [
        small_compound(),
        make_site(box(0, 0, 30, 20), buildings=[box(5, 3, 9, 7), box(9, 3, 12, 5)]),
    ],
    ids=["small compound", "touching buildings"],
)
def test_each_normal_points_into_free_space_as_a_reference_says(site):
    space = free_space(site)
    mounts, _ = mount_points(site, space, spacing=1.5)
    assert len(mounts) > 20
    for m in mounts:
        ref = _reference_bearing(m.stand, space)
        if m.straight:  # the facade's exact perpendicular: within the straightness angle
            assert ref is not None
            assert abs((m.normal_deg - ref + 180) % 360 - 180) < 10.0
        elif ref is None:
            assert m.normal_deg is None
        else:  # the centroid's bearing; the reference's rounder disc moves it a little
            assert m.normal_deg is not None, m
            assert abs((m.normal_deg - ref + 180) % 360 - 180) < 1.0, m
