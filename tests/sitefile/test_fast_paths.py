"""The loader's quick paths answer as the careful ones (docs/registry.md, "Loader speed"):
``check_tree`` as its path-by-path walk, ``positions`` as ``position`` on each, and
``parse_polygon`` as shapely's own constructors — on hostile values of every kind."""

from __future__ import annotations

import enum
import math
from collections import OrderedDict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPoint, Polygon

from camwatch.errors import SiteFormatError
from camwatch.sitefile.shapes import parse_polygon, position, positions
from camwatch.sitefile.values import MAX_DEPTH, Ctx, _walk_tree, check_tree
from tests.core.test_fuzz_sitefile import HOSTILE, json_values, nest

_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
FAST = settings(max_examples=300, deadline=None, suppress_health_check=_CHECKS)
CTX = Ctx(7, "camera", "C3")


def _answer(check: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", check(*args)
    except SiteFormatError as exc:
        return "error", (type(exc), str(exc), exc.index, exc.kind, exc.ident)


class Level(enum.IntEnum):
    HIGH = 2


TREES: list[Any] = [
    *HOSTILE,
    {"a": 1, "b": [1.5, -0.0, "x", None, True]},
    (1, 2),
    [(1, math.nan)],
    OrderedDict(a=math.inf),
    OrderedDict(a=1),
    {True: 1},
    {None: 1},
    {"\ud800": 1},
    {"a\x00": 1},
    {"名字": "值"},
    Level.HIGH,
    {"x": Level.HIGH},
    2**63 - 1,
    -(2**63) + 1,
    -(2**63),
    2**63,
    {1.5},
    object(),
    b"bytes",
    1j,
    [1, [2, [3, object()]]],
    nest(1, MAX_DEPTH - 1),
    nest(1, MAX_DEPTH),
    nest(1, MAX_DEPTH + 1),
    nest({}, MAX_DEPTH),
    nest({}, MAX_DEPTH + 1),
    {"k": nest([], MAX_DEPTH - 1)},
    {"k": nest([], MAX_DEPTH)},
    [math.nan, "\ud800"],  # two faults: the walk's first one is named by both
    ["\ud800", math.nan],
]


@pytest.mark.parametrize("tree", TREES, ids=lambda t: type(t).__name__)
def test_check_tree_answers_as_the_walk(tree: Any) -> None:
    assert _answer(check_tree, CTX, tree, "feature") == _answer(_walk_tree, CTX, tree, "feature")


@FAST
@given(json_values | st.lists(json_values, max_size=5) | st.dictionaries(st.text(), json_values))
def test_check_tree_answers_as_the_walk_on_random_values(tree: Any) -> None:
    assert _answer(check_tree, CTX, tree, "feature") == _answer(_walk_tree, CTX, tree, "feature")


def _exact(points: list[tuple[float, float]]) -> list[tuple[str, str]]:
    """Positions as exact text, so 1 and 1.0, or 0.0 and -0.0, differ."""
    return [(repr(x), repr(y)) for x, y in points]


ODD_NUMBERS: list[Any] = [
    0,
    -0.0,
    1,
    7,
    10**7,
    10**7 + 1,
    -(10**7),
    1e7,
    -1e7,
    math.nextafter(1e7, math.inf),
    5e-324,
    math.nan,
    math.inf,
    -math.inf,
    10**400,
    2**63,
    True,
    False,
    "1",
    None,
    [1],
    Level.HIGH,
]
coordinate = st.sampled_from(ODD_NUMBERS) | st.floats(-2e7, 2e7) | st.integers(-(10**8), 10**8)
a_position = (
    st.lists(coordinate, min_size=2, max_size=2)
    | st.lists(coordinate, min_size=0, max_size=4)
    | st.tuples(coordinate, coordinate)
    | json_values
)


def _positions_one_by_one(value: Any) -> list[tuple[float, float]]:
    return [position(CTX, v) for v in value]


@FAST
@given(
    st.lists(st.lists(st.floats(-1e7, 1e7) | st.integers(-(10**7), 10**7), min_size=2, max_size=2))
)
def test_plain_positions_read_as_one_by_one(value: list[Any]) -> None:
    got = positions(CTX, value, "polygon")
    assert _exact(got) == _exact(_positions_one_by_one(value))
    assert all(type(x) is float and type(y) is float for x, y in got)


@FAST
@given(st.lists(a_position, max_size=6))
def test_odd_positions_answer_as_one_by_one(value: list[Any]) -> None:
    got = _answer(positions, CTX, value, "polygon")
    expected = _answer(_positions_one_by_one, value)
    assert got[0] == expected[0]
    assert got[1] == expected[1] if got[0] == "error" else _exact(got[1]) == _exact(expected[1])


plain_position = st.lists(
    st.floats(-1e7, 1e7) | st.integers(-(10**7), 10**7), min_size=2, max_size=2
)


@FAST
@given(st.lists(plain_position, max_size=5), a_position, st.lists(plain_position, max_size=5))
def test_one_odd_position_among_plain_ones_answers_as_one_by_one(
    before: list[Any], odd: Any, after: list[Any]
) -> None:
    value = [*before, odd, *after]
    got = _answer(positions, CTX, value, "polygon")
    expected = _answer(_positions_one_by_one, value)
    assert got[0] == expected[0]
    assert got[1] == expected[1] if got[0] == "error" else _exact(got[1]) == _exact(expected[1])


@pytest.mark.parametrize("odd", ODD_NUMBERS, ids=repr)
@pytest.mark.parametrize("at", [0, 1])
def test_each_odd_number_in_a_position_answers_as_one_by_one(odd: Any, at: int) -> None:
    pair = [2.5, 3]
    pair[at] = odd
    for value in ([[1, 2], pair], [pair, [1, 2]], [[1.0, 2.0], tuple(pair)], [[*pair, 1.0]]):
        got = _answer(positions, CTX, value, "polygon")
        expected = _answer(_positions_one_by_one, value)
        assert got[0] == expected[0]
        assert got[1] == expected[1] if got[0] == "error" else _exact(got[1]) == _exact(expected[1])


def _polygon_answer(coords: Any) -> tuple[str, Any]:
    try:
        polygon = parse_polygon(CTX, {"type": "Polygon", "coordinates": coords}, holes=True)
    except SiteFormatError as exc:
        return "error", str(exc)
    return "ok", polygon


def _reference_polygon(coords: list[list[list[float]]]) -> tuple[str, Any]:
    """What shapely's own constructors say of rings of plain, in-range positions."""
    rings = [[(float(x), float(y)) for x, y in ring] for ring in coords]
    rings = [ring + [ring[0]] if ring[0] != ring[-1] else ring for ring in rings]
    for ring in rings:
        if len(set(ring)) < 3:
            return "error", "few"
    if MultiPoint(rings[0]).convex_hull.area == 0.0:
        return "error", "collinear"
    polygon = Polygon(rings[0], rings[1:])
    return ("ok", polygon) if polygon.is_valid else ("error", "invalid")


small = st.integers(0, 6) | st.sampled_from([0.5, -0.0, 1e-9, 3.0000000000000004])
ring = st.lists(st.lists(small, min_size=2, max_size=2), min_size=1, max_size=6)


@FAST
@given(st.lists(ring, min_size=1, max_size=3))
def test_polygons_are_the_ones_shapely_builds(coords: list[Any]) -> None:
    got = _polygon_answer(coords)
    expected = _reference_polygon(coords)
    assert got[0] == expected[0], (got, expected)
    if got[0] == "ok":
        assert got[1].equals_exact(expected[1], tolerance=0)
        assert got[1].wkb == expected[1].wkb
    else:
        words = {"few": "fewer than 3", "collinear": "zero area", "invalid": "polygon is"}
        assert words[expected[1]] in got[1]


@pytest.mark.parametrize(
    "coords",
    [
        [[[0, 0], [4, 0], [4, 4], [0, 4]]],
        [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [2, 1], [2, 2]]],
        [[[0, 0], [1, 1], [2, 2], [3, 3]]],  # collinear
        [[[0, 0], [4, 0], [0, 4], [4, 4]]],  # a bow tie
        [[[0, 0], [0, 0], [1, 1]]],  # degenerate
    ],
)
def test_polygon_rows(coords: Any) -> None:
    got, expected = _polygon_answer(coords), _reference_polygon(coords)
    assert got[0] == expected[0]
    if got[0] == "ok":
        assert got[1].wkb == expected[1].wkb


@pytest.mark.parametrize(
    "value, words",
    [
        ({1.5}, "feature.properties.tags: set is not a JSON value"),
        (b"x", "feature.properties.tags: bytes is not a JSON value"),
        ([1, 1j], "feature.properties.tags[1]: complex is not a JSON value"),
    ],
)
def test_a_value_json_cannot_hold_is_named_with_its_type(value: Any, words: str) -> None:
    with pytest.raises(SiteFormatError) as caught:
        check_tree(CTX, {"properties": {"tags": value}}, "feature")
    assert str(caught.value) == f"feature #7 (camera 'C3'): {words}"


@pytest.mark.parametrize("data, name", [([], "list"), ("site", "str"), (None, "NoneType")])
def test_a_site_that_is_no_object_is_named_with_its_type(data: Any, name: str) -> None:
    from camwatch.sitefile import parse_site

    with pytest.raises(SiteFormatError, match=rf"^not a GeoJSON FeatureCollection \(got {name}\)$"):
        parse_site(data)
