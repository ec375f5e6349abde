"""Context.holds: the rules' 1 cm slack, cheaper — the same answer as growing and testing."""

from __future__ import annotations

import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, Polygon, box

from camwatch.model import Site, SiteInfo
from camwatch.standards.context import Context

SHAPES = [
    box(0, 0, 10, 4),
    Polygon([(0, 0), (10, 0), (5, 8)]),
    box(0, 0, 10, 10).difference(box(3, 3, 7, 7)),  # a hole
    shapely.MultiPolygon([box(0, 0, 2, 2), box(5, 5, 6, 9)]),
    Polygon(),  # an empty footprint holds nothing
]


def _ctx() -> Context:
    return Context(Site(SiteInfo("s"), box(-50, -50, 50, 50)))


@settings(max_examples=300, deadline=None)
@given(
    shape=st.sampled_from(range(len(SHAPES))),
    x=st.floats(-1.0, 11.0),
    y=st.floats(-1.0, 11.0),
    near=st.sampled_from([0.0, 0.005, 0.0099, 0.0101, 0.02]),
)
def test_holds_is_grow_then_contain(shape, x, y, near):
    geom = SHAPES[shape]
    # points on or just off the edges matter most: snap some onto an edge, then step out
    if not geom.is_empty and near:
        on = shapely.ops.nearest_points(geom.boundary, Point(x, y))[0]
        x, y = on.x + near, on.y
    ctx = _ctx()
    expected = geom.buffer(0.01).contains(Point(x, y))
    assert ctx.holds(geom, Point(x, y)) == expected
    assert ctx.holds(geom, Point(x, y)) == expected  # remembered growth, same answer


def test_a_point_off_the_bounds_grows_nothing():
    ctx = _ctx()
    geom = box(0, 0, 1, 1)
    assert not ctx.holds(geom, Point(5, 5))
    assert ctx._grown[(id(geom), 0.01)][2] is None
    assert ctx.holds(geom, Point(1.005, 0.5))
    assert ctx._grown[(id(geom), 0.01)][2] is not None
