from __future__ import annotations

import pytest
from shapely import affinity
from shapely.geometry import box

from camwatch.geometry.space import free_space, stand_point
from tests.common import site


def _rotated(geom):
    return affinity.rotate(geom, 1.0, origin=(0, 0))


@pytest.mark.parametrize(
    "boundary, buildings, expected",
    [
        (box(0, 0, 60, 40), [box(1, 1, 3, 3), box(1, 30, 3, 40)], 2400 - 4 - 20),
        # Regression: rotated by 1°, GEOS's float overlay dropped the building flush with the
        # boundary (2396 m² instead of 2376 m²); snap rounding keeps it.
        (
            _rotated(box(0, 0, 60, 40)),
            [_rotated(box(1, 1, 3, 3)), _rotated(box(1, 1, 3, 3)), _rotated(box(1, 30, 3, 40))],
            2400 - 4 - 20,
        ),
        (box(0, 0, 10, 10), [box(0, 0, 10, 10)], 0.0),  # degenerate: all built up
    ],
)
def test_free_space_area(boundary, buildings, expected):
    assert free_space(site(boundary, buildings=buildings)).area == pytest.approx(expected, abs=1e-4)


def test_stand_point_snaps_to_facade():
    s = site(box(0, 0, 20, 20), buildings=[box(5, 5, 10, 10)])
    assert stand_point((5.03, 7.0), free_space(s)) == pytest.approx((5.0, 7.0))
    assert stand_point((1.0, 1.0), free_space(s)) == (1.0, 1.0)


def _just_outside(boundary, along: float, extra: float):
    """A point ``0.05 m + extra`` outside ``boundary`` (a rotated box), ``along`` its outline."""
    from shapely.geometry import Point

    ring = boundary.exterior
    on = ring.interpolate(along)
    c = boundary.centroid
    dx, dy = on.x - c.x, on.y - c.y
    lo, hi = 0.0, 1.0
    for _ in range(200):  # bisect the outward step to the wanted distance
        mid = (lo + hi) / 2
        probe = Point(on.x + dx * mid, on.y + dy * mid)
        lo, hi = (mid, hi) if probe.distance(boundary) < 0.05 + extra else (lo, mid)
    return (on.x + dx * hi, on.y + dy * hi)


@pytest.mark.parametrize("along", [3.3, 17.9, 30.25, 41.7])
def test_camera_just_outside_the_boundary_is_not_inside_an_obstacle(along):
    """Regression: 0.05 m + 1e-10 outside a rotated boundary read "inside an obstacle"."""
    from camwatch.errors import SiteFormatError
    from camwatch.model import Camera
    from camwatch.sitefile import check_camera_placement

    boundary = affinity.rotate(box(500000.123456789, 3400000.0, 500010.98, 3400012.3), 23.0)
    s = site(boundary)
    x, y = _just_outside(boundary, along, 1e-10)
    check_camera_placement(Camera(id="c", position=(x, y)), s)  # within the tolerance
    x, y = _just_outside(boundary, along, 1e-3)
    with pytest.raises(SiteFormatError, match="outside the boundary"):
        check_camera_placement(Camera(id="c", position=(x, y)), s)


def test_camera_outside_the_boundary_next_to_a_building_says_so():
    from camwatch.errors import SiteFormatError
    from camwatch.model import Camera
    from camwatch.sitefile import check_camera_placement

    s = site(box(0, 0, 10, 10), buildings=[box(8, 0, 10, 3)])  # flush with the east fence
    with pytest.raises(SiteFormatError, match=r"is 2\.00 m outside the boundary"):
        check_camera_placement(Camera(id="c", position=(10.04, 1.0)), s)


def _walled(x: float) -> list:
    from shapely.geometry import LineString

    from camwatch.model import Wall

    return [Wall(LineString([(x, 5), (x, 35)]), thickness_m=0.5, height_m=2.0, name="W")]


@pytest.mark.parametrize(
    "changed, expected",
    [
        # One thing differs from the base site (free space 2400 − 4 − 20 − 15 − 4 = 2357 m²)
        # each time: the remembered free space of the base must not be handed out for it.
        ({"boundary": box(0, 0, 61, 40)}, 2357 + 40),
        ({"buildings": [box(1, 1, 3, 3), box(1, 30, 3, 41)]}, 2357),  # part outside: same F
        ({"buildings": [box(1, 1, 3, 4), box(1, 30, 3, 40)]}, 2357 - 2),
        ({"obstacles": [box(40, 1, 42, 3)]}, 2357),  # moved, not resized
        ({"obstacles": [box(40, 1, 43, 3)]}, 2357 - 2),
        ({"walls": _walled(20.0)}, 2357),
        ({"walls": _walled(20.0)[:0]}, 2357 + 15),
    ],
)
def test_free_space_is_remembered_per_exact_outlines(changed, expected):
    from camwatch.model import Camera

    base = {
        "boundary": box(0, 0, 60, 40),
        "buildings": [box(1, 1, 3, 3), box(1, 30, 3, 40)],
        "obstacles": [box(20, 1, 22, 3)],
        "walls": _walled(30.0),
    }
    first = site(**base)
    assert free_space(first).area == pytest.approx(2357, abs=1e-4)
    # Cameras do not change free space: the same object comes back (remembered).
    cams = [Camera(id="c", position=(10.0, 10.0), heading_deg=0.0)]
    assert free_space(site(**base, cameras=cams)) is free_space(first)
    other = site(**{**base, **changed})
    assert free_space(other).area == pytest.approx(expected, abs=1e-4)
    assert free_space(first).area == pytest.approx(2357, abs=1e-4)
