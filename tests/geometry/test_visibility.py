from __future__ import annotations

import pytest
from shapely.geometry import LineString, Point, Polygon, box

from camwatch.geometry.visibility import visibility_polygon
from tests.common import courtyard, l_corridor, square_room
from tests.oracle import ray_visibility

room_with_pillar = square_room.difference(box(4, 4, 6, 6))
# Two blocks touching each other along an edge, and one touching the boundary.
touching = box(0, 0, 20, 10).difference(
    box(5, 3, 8, 6).union(box(8, 3, 10, 5)).union(box(14, 0, 16, 4))
)
# Free space in two parts: a wall of buildings splits the compound.
two_parts = box(0, 0, 20, 10).difference(box(9, 0, 11, 10))
# A non-convex (comb-shaped) boundary.
comb = Polygon(
    [
        (0, 0),
        (30, 0),
        (30, 10),
        (25, 10),
        (25, 3),
        (20, 3),
        (20, 10),
        (10, 10),
        (10, 3),
        (5, 3),
        (5, 10),
        (0, 10),
    ]
)
# Collinear vertices along the boundary and a pillar with collinear vertices.
collinear = Polygon([(0, 0), (5, 0), (10, 0), (10, 5), (10, 10), (0, 10)]).difference(
    Polygon([(3, 3), (4, 3), (5, 3), (5, 5), (3, 5)])
)


@pytest.mark.parametrize(
    "domain, origin, expected",
    [
        (square_room, (5, 5), 100.0),
        (square_room, (0, 0), 100.0),  # a corner sees the whole convex room
        (square_room, (10, 5), 100.0),  # on the boundary
        (room_with_pillar, (1, 1), 73.6),
        (room_with_pillar, (4, 5), 40.0),  # facade mount: nothing behind the facade's line
        (room_with_pillar, (4, 4), 64.0),  # on the pillar's corner
        (l_corridor, (1, 1), 76.0),  # both legs from the elbow
        (l_corridor, (19, 1), 40.0 + 2 / 17),  # the horizontal leg and a sliver past the elbow
        (l_corridor, (50, 50), 0.0),  # outside: degenerate row
    ],
)
def test_known_areas(domain, origin, expected):
    assert visibility_polygon(origin, domain).area == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    "domain, origin",
    [
        (room_with_pillar, (0.5, 9.0)),
        (touching, (2, 2)),
        (touching, (8, 6)),  # at a corner where two blocks touch
        (touching, (12, 8)),
        (touching, (15, 4)),  # on an obstacle touching the boundary
        (two_parts, (3, 3)),
        (comb, (2, 2)),
        (comb, (15, 9)),
        (courtyard, (5, 5)),
        (courtyard, (10, 15)),  # on the courtyard building's facade
        (collinear, (1, 1)),
        (collinear, (4, 3)),  # on a collinear vertex of a pillar
        (collinear, (10, 5)),  # on a collinear vertex of the boundary
    ],
)
def test_agrees_with_vertex_ray_oracle(domain, origin):
    ours = visibility_polygon(origin, domain)
    oracle = ray_visibility(origin, domain)
    assert ours.area == pytest.approx(oracle.area, rel=1e-5, abs=1e-5)
    assert ours.symmetric_difference(oracle).area < 1e-4 * max(oracle.area, 1.0)


def test_free_space_in_parts_sees_only_its_part():
    vis = visibility_polygon((3, 3), two_parts)
    assert vis.area == pytest.approx(90.0)
    assert vis.intersection(box(11, 0, 20, 10)).area == 0.0


def test_star_shaped_from_origin():
    origin = (2.0, 2.0)
    vis = visibility_polygon(origin, touching)
    domain = touching.buffer(1e-7)
    for x in range(0, 21):
        for y in range(0, 11):
            if vis.buffer(-1e-6).contains(Point(x, y)):
                assert domain.covers(LineString([origin, (x, y)]))
