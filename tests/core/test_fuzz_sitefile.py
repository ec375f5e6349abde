"""Fuzzing the site loader: whatever a file or a request holds, the loader answers with a
Site or a SiteFormatError naming the problem — never a traceback.

Three sources of input, each run as a fast test (a few dozen examples, every run) and as a
``slow`` test under the ``camwatch-fuzz`` hypothesis profile (CI runs the slow tests:
3 × 3,400 = 10,200 examples by default; set ``CAMWATCH_FUZZ_EXAMPLES`` for more or fewer):

* random GeoJSON-ish documents built from the format's own keys and hostile values;
* the sample sites with random mutations (a value replaced, removed, duplicated, wrapped);
* site file *text* with random edits (bytes inserted, removed, the file cut short).

Hostile values: huge numbers (1e308, integers of hundreds of digits), NaN and infinity (as
numbers and as the strings JSON readers sometimes accept), lists and objects where numbers
are expected, lone surrogates, deep nesting. A loaded site must also be writable and read
back equal, and every camera's DORI distances must be finite (docs/ranges.md).
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from camwatch.errors import SiteFormatError
from camwatch.geometry.optics import dori_distance, ground_limits
from camwatch.model import FEATURE_KINDS, LEVELS
from camwatch.sitefile import dumps_site, load_site, parse_site

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sites"
SAMPLE_DOCS = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.geojson"))]

_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "camwatch-fuzz",
    max_examples=int(os.environ.get("CAMWATCH_FUZZ_EXAMPLES", "3400")),
    deadline=None,
    suppress_health_check=_CHECKS,
)
FUZZ = settings.get_profile("camwatch-fuzz")
FAST = settings(max_examples=40, deadline=None, suppress_health_check=_CHECKS)


def nest(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


HOSTILE: list[Any] = [
    1e308,
    -1e308,
    5e-324,
    1e-300,
    10**400,
    -(10**400),
    2**63,
    2**64 + 1,
    math.nan,
    math.inf,
    -math.inf,
    -0.0,
    0,
    "NaN",
    "nan",
    "Infinity",
    "-Infinity",
    "1e999",
    "12",
    "",
    " ",
    "\ud800",
    "\udfff x",
    "名字",
    [],
    {},
    [1, 2],
    [[1, 2]],
    [1.0, math.nan],
    {"type": "Point"},
    True,
    False,
    None,
]
PROPERTY_KEYS = [
    "id",
    "name",
    "status",
    "height_m",
    "heading_deg",
    "tilt_deg",
    "hfov_deg",
    "focal_mm",
    "sensor_width_mm",
    "resolution",
    "vfov_deg",
    "range_m",
    "thickness_m",
    "weight",
    "zone_type",
    "required_level",
    "access_control",
    "alarm_type",
    "intercom",
    "building",
    "serial",
    "model",
]
KEYS = ["type", "features", "properties", "kind", "geometry", "coordinates", "site", "units"]

hostile = st.sampled_from(HOSTILE) | st.integers(30, 3000).map(lambda depth: nest(1, depth))
numbers = st.floats(min_value=-5, max_value=105) | st.integers(-5, 105)
scalars = (
    hostile
    | numbers
    | st.floats()
    | st.integers()
    | st.text(max_size=8)
    | st.text(st.characters(codec=None, exclude_categories=()), max_size=4)
    | st.booleans()
    | st.none()
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(KEYS + PROPERTY_KEYS) | st.text(max_size=4), inner, max_size=4
        )
    ),
    max_leaves=12,
)


def mostly(value: Any, other: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """``value`` about four times in five, else something drawn from ``other``."""
    return st.sampled_from(range(10)).flatmap(lambda i: st.just(value) if i < 8 else other)


position = mostly(None, json_values).flatmap(
    lambda odd: st.just(odd) if odd is not None else st.lists(numbers, min_size=2, max_size=3)
)
ring = st.lists(position, min_size=3, max_size=6)
coordinates = st.one_of(
    position,
    st.lists(position, min_size=2, max_size=5),
    st.lists(ring, min_size=1, max_size=2),
    json_values,
)
geometry = (
    st.fixed_dictionaries(
        {
            "type": st.sampled_from(["Point", "LineString", "Polygon"]) | json_values,
            "coordinates": coordinates,
        }
    )
    | json_values
)
properties = st.fixed_dictionaries(
    {
        "kind": mostly(None, json_values).flatmap(
            lambda odd: st.just(odd) if odd is not None else st.sampled_from(FEATURE_KINDS)
        )
    },
    optional={key: st.one_of(numbers, numbers, scalars, json_values) for key in PROPERTY_KEYS},
)
feature = st.fixed_dictionaries(
    {
        "type": mostly("Feature", json_values),
        "properties": mostly(None, json_values).flatmap(
            lambda odd: properties if odd is None else st.just(odd)
        ),
    },
    optional={"geometry": geometry},
)
BOUNDARY = {
    "type": "Feature",
    "properties": {"kind": "boundary"},
    "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [100, 0], [100, 100], [0, 100]]]},
}
documents = st.fixed_dictionaries(
    {
        "type": mostly("FeatureCollection", json_values),
        "features": st.one_of(
            st.lists(feature, max_size=6).map(lambda fs: [BOUNDARY, *fs]),
            st.lists(feature, max_size=6).map(lambda fs: [BOUNDARY, *fs]),
            st.lists(feature | json_values, max_size=4),
            json_values,
        ),
    },
    optional={
        "site": st.dictionaries(st.sampled_from(["id", "name", "units"]), mostly("x", scalars))
    },
)


def _note(text: str) -> None:
    """Count outcomes in hypothesis's statistics (``--hypothesis-show-statistics``)."""
    with contextlib.suppress(InvalidArgument):  # not inside a hypothesis test
        event(text)


def check(data: Any) -> None:
    """The loader's contract on one input (see the module docstring)."""
    try:
        site = parse_site(data)
    except SiteFormatError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 500, message
        _note("refused: " + re.sub(r"[^a-z ]", "", exc.detail.split(",")[0].lower())[:30])
        return
    _note(f"loaded, {len(site.cameras)} cameras")
    text = dumps_site(site)  # a site that loads can be written...
    assert parse_site(json.loads(text), default_id=site.id) == site  # ...and read back equal
    for camera in site.cameras:
        near, far = ground_limits(camera)
        assert near >= 0 and not math.isnan(far)
        for level in LEVELS:
            assert 0 < dori_distance(camera, level) < math.inf


def _paths(doc: Any) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``doc`` (iteratively; the samples are shallow)."""
    out: list[tuple[Any, ...]] = []
    stack: list[tuple[Any, tuple[Any, ...]]] = [(doc, ())]
    while stack:
        value, path = stack.pop()
        out.append(path)
        if isinstance(value, dict):
            stack.extend((v, (*path, k)) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, (*path, i)) for i, v in enumerate(value))
    return out


SAMPLE_PATHS = [_paths(doc) for doc in SAMPLE_DOCS]


@st.composite
def mutated_samples(draw: st.DrawFn) -> Any:
    """A sample site with one to four random mutations."""
    which = draw(st.integers(0, len(SAMPLE_DOCS) - 1))
    doc = copy.deepcopy(SAMPLE_DOCS[which])
    paths = SAMPLE_PATHS[which]
    for _ in range(draw(st.integers(1, 4))):
        path = paths[draw(st.integers(0, len(paths) - 1))]
        if not path:
            continue
        parent = doc
        try:
            for step in path[:-1]:
                parent = parent[step]
            key = path[-1]
            old = parent[key]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation moved it
        if not isinstance(parent, dict | list):
            continue  # an earlier mutation turned it into text
        op = draw(st.sampled_from(["replace", "delete", "duplicate", "wrap", "stringify"]))
        if op == "replace":
            parent[key] = draw(scalars | json_values)
        elif op == "delete":
            del parent[key]
        elif op == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(old))
        elif op == "wrap":
            parent[key] = [old]
        elif op == "stringify":
            try:
                parent[key] = json.dumps(old) if not isinstance(old, str) else old * 3
            except RecursionError:  # a hostile nesting (up to 3,000 deep) json cannot write
                continue
    return doc


@st.composite
def edited_texts(draw: st.DrawFn) -> bytes:
    """A sample site's text (or a random document's) with random byte edits."""
    if draw(st.booleans()):
        doc = SAMPLE_DOCS[draw(st.integers(0, len(SAMPLE_DOCS) - 1))]
        text = json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8")
    else:
        raw = draw(documents)
        try:
            text = json.dumps(raw).encode("utf-8", "surrogatepass")
        except (ValueError, RecursionError):
            text = b'{"type": "FeatureCollection", "features": []}'
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        op = draw(st.sampled_from(["insert", "delete", "cut"]))
        if op == "insert":
            piece = draw(
                st.sampled_from(
                    [
                        b"[",
                        b"]",
                        b"{",
                        b"}",
                        b",",
                        b'"',
                        b"NaN",
                        b"1e999",
                        b"\xff",
                        b"\\ud800",
                        b"-",
                    ]
                )
                | st.binary(max_size=4)
            )
            text = text[:at] + piece + text[at:]
        elif op == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 8)) :]
        else:
            text = text[:at]
    return text


def check_text(tmp: Path, text: bytes) -> None:
    path = tmp / "fuzzed.geojson"
    path.write_bytes(text)
    try:
        site = load_site(path)
    except SiteFormatError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    check(json.loads(dumps_site(site)))


# -- fast: every run ------------------------------------------------------------------------


@FAST
@given(documents)
def test_random_documents(data: Any) -> None:
    check(data)


@FAST
@given(mutated_samples())
def test_mutated_samples(data: Any) -> None:
    check(data)


@FAST
@given(edited_texts())
def test_edited_texts(tmp_path_factory: pytest.TempPathFactory, text: bytes) -> None:
    check_text(tmp_path_factory.mktemp("fuzz"), text)


def test_hostile_values_everywhere_in_a_camera() -> None:
    """Each hostile value in each camera property: a message, never a crash."""
    for key in PROPERTY_KEYS:
        for value in [*HOSTILE, nest(1, 40), nest(1, 5000)]:
            camera = {
                "type": "Feature",
                "properties": {"kind": "camera", "id": "C1", "hfov_deg": 90, key: value},
                "geometry": {"type": "Point", "coordinates": [50, 50]},
            }
            check({"type": "FeatureCollection", "features": [BOUNDARY, camera]})


# -- slow: many cases, under the camwatch-fuzz profile (CI) ----------------------------------


@pytest.mark.slow
@FUZZ
@given(documents)
def test_random_documents_many(data: Any) -> None:
    check(data)


@pytest.mark.slow
@FUZZ
@given(mutated_samples())
def test_mutated_samples_many(data: Any) -> None:
    check(data)


@pytest.mark.slow
@FUZZ
@given(edited_texts())
def test_edited_texts_many(tmp_path_factory: pytest.TempPathFactory, text: bytes) -> None:
    check_text(tmp_path_factory.mktemp("fuzz"), text)
