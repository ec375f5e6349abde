"""``parse_site(data, leading=parse_leading(data, k))`` answers exactly as ``parse_site(data)``:
the same Site (every object, geometry and feature index) or the same error (type, message,
feature) — on the samples, generated compounds, hostile devices after a parsed plan and
hypothesis-mutated sites (docs/registry.md, "Loader speed")."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from bench.synthetic import generate_compound
from camwatch.errors import SiteFormatError
from camwatch.sitefile import Leading, parse_leading, parse_site
from tests.core.test_fuzz_sitefile import documents, mutated_samples

from .same_site import assert_same_outcome, assert_same_site, outcome

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sites"
SAMPLE_DOCS = {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(SAMPLES.glob("*.geojson"))}
GENERATED = [
    generate_compound(n_buildings=b, n_cameras=c, seed=s)
    for b, c, s in [(1, 0, 0), (4, 6, 1), (12, 20, 2), (30, 45, 3)]
]
ALL_DOCS = [*SAMPLE_DOCS.values(), *GENERATED]
_CHECKS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]


def _splits(n: int) -> list[int]:
    return sorted({0, 1, n // 3, n // 2, n - 1, n} & set(range(n + 1)))


@pytest.mark.parametrize("doc", ALL_DOCS, ids=lambda d: d["site"]["id"])
def test_reusing_leading_features_gives_the_same_site(doc: dict[str, Any]) -> None:
    full = parse_site(doc)
    for k in _splits(len(doc["features"])):
        leading = parse_leading(doc, k)
        assert leading.count == k
        assert_same_site(parse_site(doc, leading=leading), full)


def test_one_leading_serves_many_parses_and_is_not_changed() -> None:
    doc = SAMPLE_DOCS["urban_village"]
    leading = parse_leading(doc, 40)
    before = {t: list(items) for t, items in leading.groups.items()}
    first = parse_site(doc, leading=leading)
    second = parse_site(doc, leading=leading)
    assert_same_site(first, second)
    assert {t: list(items) for t, items in leading.groups.items()} == before
    with pytest.raises(TypeError):
        leading.groups[object] = ()  # type: ignore[index]


def _free_integer_point(doc: dict[str, Any]) -> list[int]:
    """A point with integer coordinates well inside the site's free space."""
    free = parse_site(doc).free_space()
    x0, y0, x1, y1 = (int(v) for v in free.bounds)
    for x in range(x0, x1 + 1):
        for y in range(y0, y1 + 1):
            if free.contains(Point(x, y).buffer(1.0)):
                return [x, y]
    raise AssertionError("no free point")


FREE = {name: _free_integer_point(doc) for name, doc in SAMPLE_DOCS.items()}

# A device after the plan, each way it can be wrong (and right). ``at``: where, as
# offsets from a free integer point, or a sentinel.
HOSTILE_DEVICES: dict[str, dict[str, Any]] = {
    "fine": {},
    "a negative zero kept": {"note": -0.0},
    "nan in a kept property": {"note": math.nan},
    "infinity deep in a kept property": {"note": {"a": [1, {"b": -math.inf}]}},
    "1e400 as text for a heading": {"heading_deg": "1e400"},
    "1e400 as a number": {"heading_deg": 1e400},
    "an integer beyond 64 bits": {"note": 10**400},
    "a lone surrogate in a name": {"name": "cam \ud800"},
    "a NUL in a kept property": {"note": "a\x00b"},
    "nested 40 deep": {"note": json.loads("[" * 40 + "]" * 40)},
    "a non-text key": {"note": {1: 2}},
    "a bad heading": {"heading_deg": [90]},
    "a bool heading": {"heading_deg": True},
    "a tilt out of range": {"tilt_deg": 95},
    "a duplicate id": {"id": "duplicate"},
    "outside the boundary": {"at": "outside"},
    "inside a building": {"at": "building"},
    "a NaN coordinate": {"at": [math.nan, 0.5]},
    "an out-of-range coordinate": {"at": [2e7, 0.5]},
    "a 3-D position": {"at": [0.5, 0.5, 5.0]},
    "an integer position": {"at": [0, 0]},
    "a second boundary": {"kind": "boundary"},
}
FINE = ("fine", "a negative zero kept", "a 3-D position", "an integer position")


def _hostile(name: str, case: str) -> dict[str, Any]:
    """Sample ``name`` with one more device feature after its own, as ``case`` says."""
    doc = copy.deepcopy(SAMPLE_DOCS[name])
    props = dict(HOSTILE_DEVICES[case])
    at = props.pop("at", [0.5, 0.5])
    x, y = FREE[name]
    features = doc["features"]
    if at == "building":
        building = next(f for f in features if f["properties"]["kind"] == "building")
        inside = shape(building["geometry"]).representative_point()
        where: list[Any] = [inside.x, inside.y]
    elif at == "outside":
        where = [-500.0, -500.0]
    else:  # offsets from the free point; an integer offset keeps integers
        where = [x + at[0], y + at[1], *at[2:]]
    camera = {"kind": "camera", "id": "NEW", "heading_deg": 10, "hfov_deg": 90, **props}
    if case == "a duplicate id":  # an id the sample's own cameras use
        camera["id"] = next(f for f in features if f["properties"]["kind"] == "camera")[
            "properties"
        ]["id"]
    geometry: Any = {"type": "Point", "coordinates": where}
    if camera["kind"] == "boundary":
        geometry = {"type": "Polygon", "coordinates": [[[0, 0], [9, 0], [9, 9], [0, 9]]]}
    features.append({"type": "Feature", "properties": camera, "geometry": geometry})
    return doc


@pytest.mark.parametrize("case", sorted(HOSTILE_DEVICES))
@pytest.mark.parametrize("name", ["urban_village", "modern_gated"])
def test_a_device_after_the_reused_plan_is_checked_as_in_a_full_parse(name: str, case: str) -> None:
    doc = _hostile(name, case)
    plan_count = len(SAMPLE_DOCS[name]["features"])
    leading = parse_leading(doc, plan_count)
    reused = outcome(parse_site, doc, leading=leading)
    assert_same_outcome(reused, outcome(parse_site, doc))
    assert (reused[0] == "ok") == (case in FINE), reused
    if reused[0] == "error":  # about the device's feature, not a plan feature
        assert reused[1][2] == plan_count, reused


def test_a_leading_made_with_another_ladder_is_refused() -> None:
    doc = copy.deepcopy(SAMPLE_DOCS["urban_village"])
    leading = parse_leading(doc, 10)
    doc["site"]["levels"] = "iec2025"
    with pytest.raises(ValueError, match="ladder"):
        parse_site(doc, leading=leading)
    with pytest.raises(ValueError, match="count"):
        parse_leading(doc, len(doc["features"]) + 1)


def _check_split(doc: Any, fraction: float) -> None:
    """Whenever the leading part parses, the reusing parse answers as the full one."""
    features = doc.get("features") if isinstance(doc, dict) else None
    k = int(fraction * len(features)) if isinstance(features, list) else 0
    try:
        leading: Leading | None = parse_leading(doc, k)
    except SiteFormatError:
        leading = None  # then a full parse fails too
        assert outcome(parse_site, doc)[0] == "error"
    except ValueError:
        return  # ``count`` beyond a list that is not one
    if leading is not None:
        assert_same_outcome(outcome(parse_site, doc, leading=leading), outcome(parse_site, doc))


FAST = settings(max_examples=60, deadline=None, suppress_health_check=_CHECKS)
MANY = settings(max_examples=1500, deadline=None, suppress_health_check=_CHECKS)
inputs = st.one_of(mutated_samples(), mutated_samples(), documents)


@FAST
@given(inputs, st.floats(0, 1))
def test_mutated_sites_answer_alike_with_and_without_reuse(doc: Any, fraction: float) -> None:
    _check_split(doc, fraction)


@pytest.mark.slow
@MANY
@given(inputs, st.floats(0, 1))
def test_mutated_sites_answer_alike_with_and_without_reuse_many(doc: Any, fraction: float) -> None:
    _check_split(doc, fraction)
