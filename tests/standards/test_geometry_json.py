"""A finding's geometry: GeoJSON with (x, y) rounded to the millimetre, read as arrays."""

from __future__ import annotations

import json

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


def _oracle(geom):
    """Written from the definition on shapely's ``mapping``: every position's first two
    numbers rounded by ``round(v, 3)``, negative zero made positive."""
    if geom is None or geom.is_empty:
        return None

    def walk(value):
        if isinstance(value[0], float | int):
            return [round(float(v), 3) + 0.0 for v in value[:2]]
        return [walk(v) for v in value]

    raw = mapping(geom)
    if raw["type"] == "GeometryCollection":
        return {"type": raw["type"], "geometries": [_oracle(g) for g in geom.geoms]}
    return {"type": raw["type"], "coordinates": walk(raw["coordinates"])}


def _same(geom) -> None:
    got = geometry_json(geom)
    assert json.dumps(got) == json.dumps(_oracle(geom))  # -0.0 and 0.0 differ in JSON


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


def test_negative_zero_and_halves_round_as_python_does():
    _same(Point(-0.0004, -0.0))
    _same(LineString([(2.0005, -1.0005), (0.0015, 1e-9)]))
    assert geometry_json(Point(-0.0004, 2.6755)) == {"type": "Point", "coordinates": [0.0, 2.675]}
    assert geometry_json(None) is None
