"""A finding's geometry: GeoJSON with (x, y) rounded to the millimetre, read as arrays."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import (
    GeometryCollection,
    LineString,
    MultiLineString,
    MultiPoint,
    Point,
    Polygon,
    mapping,
)

from camwatch.standards.engine import geometry_json


def _walk(geom):
    """Written from the definition on shapely's ``mapping``: the GeoJSON nesting, every
    position cut to its (x, y)."""
    if geom is None or geom.is_empty:
        return None

    def walk(value):
        if isinstance(value[0], float | int):
            return [float(v) for v in value[:2]]
        return [walk(v) for v in value]

    raw = mapping(geom)
    if raw["type"] == "GeometryCollection":
        return {"type": raw["type"], "geometries": [_walk(g) for g in geom.geoms]}
    return {"type": raw["type"], "coordinates": walk(raw["coordinates"])}


def _same(geom) -> None:
    """The same nesting as the walk, each number that number rounded to a whole millimetre
    (within half a millimetre, a multiple of 0.001), never ``-0.0``."""
    got, exact = geometry_json(geom), _walk(geom)
    if exact is None:
        assert got is None
        return
    assert got["type"] == exact["type"]

    def compare(a, b):
        assert type(a) is list and len(a) == len(b)
        if b and type(b[0]) is float:
            for mm, value in zip(a, b, strict=True):
                assert type(mm) is float and abs(mm - value) <= 0.0005 + 1e-9
                assert abs(mm * 1000 - round(mm * 1000)) < 1e-6
                assert math.copysign(1.0, mm) > 0 or mm != 0.0  # no -0.0
            return
        for x, y in zip(a, b, strict=True):
            compare(x, y)

    if exact["type"] == "GeometryCollection":
        for x, y in zip(got["geometries"], geom.geoms, strict=True):
            _same(y)
            assert x == geometry_json(y)
    else:
        compare(got["coordinates"], exact["coordinates"])


coordinate = st.floats(-1e4, 1e4, allow_nan=False).map(lambda v: round(v, 5))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(coordinate, coordinate), min_size=3, max_size=12), st.floats(0.5, 40))
def test_every_geometry_type_reads_as_the_mapping_walk(points, radius):
    centre = Point(points[0])
    disc = centre.buffer(radius, 8)
    holed = disc.difference(centre.buffer(radius / 3, 4))
    assert len(holed.interiors) == 1
    shapes = [
        Point(points[0]),
        LineString(points),
        MultiPoint(points),
        MultiLineString([points[:2], points[1:]]),
        holed,
        holed.union(Point(points[1]).buffer(radius / 2, 4).difference(disc)),  # maybe Multi
        Polygon(),
        GeometryCollection([Point(points[0]), LineString(points), holed]),
    ]
    for shape in shapes:
        _same(shape)


def test_negative_zero_and_millimetres():
    _same(Point(-0.0004, -0.0))
    _same(LineString([(2.0005, -1.0005), (0.0015, 1e-9)]))
    assert (
        json.dumps(geometry_json(Point(-0.0004, -0.0)))
        == '{"type": "Point", "coordinates": [0.0, 0.0]}'
    )
    assert geometry_json(Point(12.34567, -7.65432)) == {
        "type": "Point",
        "coordinates": [12.346, -7.654],
    }
    assert geometry_json(None) is None
