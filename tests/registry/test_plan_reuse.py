"""validate_devices parses a compound's plan once and then only its devices (docs/registry.md,
"Loader speed"), and answers exactly as a full parse of the assembled site: the same Site
(every object, exact geometry, feature index), the same normal forms, the same error.

Two code paths compared: the plan-reusing one, and a full ``parse_site`` of the assembled
collection (directly, or through validate_devices with the plan memo switched off)."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.synthetic import generate_compound
from camwatch.errors import SiteFormatError
from camwatch.registry import codec
from camwatch.registry.codec import DeviceState, assemble, state_from_feature, validate_devices
from camwatch.registry.memo import Memo
from camwatch.registry.site_import import split_site
from camwatch.sitefile import parse as sitefile_parse
from camwatch.sitefile import parse_site
from tests.core.test_fuzz_sitefile import HOSTILE, nest
from tests.sitefile.same_site import assert_same_site

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sites"
DOCS = {p.stem: json.loads(p.read_text("utf-8")) for p in sorted(SAMPLES.glob("*.geojson"))}
DOCS |= {
    f"generated-{b}b-{c}c": generate_compound(n_buildings=b, n_cameras=c, seed=b)
    for b, c in [(3, 4), (15, 25)]
}


def ledger_of(doc: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[DeviceState]]:
    """(plan, site member, device states) as the ledger holds a site."""
    plan, device_features = split_site(parse_site(doc))
    member = {**plan["site"], "id": "c1"}
    states = [
        state_from_feature(f, code=f"{f['properties']['kind']}-{i}")
        for i, f in enumerate(device_features)
    ]
    return plan, member, states


@pytest.fixture(autouse=True)
def fresh_memos(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing remembered from another test; each test's own memos."""
    monkeypatch.setattr(codec, "_VALIDATED", Memo(codec.VALIDATED_MEMO_ENTRIES))
    monkeypatch.setattr(codec, "_PLANS", Memo(codec.PLAN_MEMO_ENTRIES))


@pytest.fixture
def feature_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The index of every feature the loader parses."""
    seen: list[int] = []
    real = sitefile_parse.parse_feature_of

    def counted(kind: str, feature: Any, index: int | None = None, **kw: Any) -> Any:
        seen.append(-1 if index is None else index)
        return real(kind, feature, index, **kw)

    monkeypatch.setattr(sitefile_parse, "parse_feature_of", counted)
    return seen


def full_parse(plan: dict[str, Any], member: dict[str, Any], states: list[DeviceState]) -> Any:
    """The oracle: parse_site of the whole assembled collection (nothing reused)."""
    collection, _ = assemble(plan, member, states)
    return parse_site(collection, default_id=str(member["id"]))


@contextmanager
def no_reuse(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """validate_devices with the plan memo off: every call parses the whole site."""
    with monkeypatch.context() as m:
        m.setattr(codec, "_plan_leading", lambda *args: None)
        m.setattr(codec, "_VALIDATED", Memo(1))
        yield


def headings(states: list[DeviceState], n: int) -> Iterator[list[DeviceState]]:
    """``n`` successive ledgers, each one camera's heading turned from the one before."""
    cameras = [i for i, s in enumerate(states) if s.kind == "camera"]
    current = list(states)
    for k in range(n):
        i = cameras[k % len(cameras)]
        props = dict(current[i].properties)
        props["heading_deg"] = (float(props.get("heading_deg", 0)) + 37 + k) % 360
        current = [*current[:i], replace(current[i], properties=props), *current[i + 1 :]]
        yield current


@pytest.mark.parametrize("name", sorted(DOCS))
def test_edits_give_the_site_a_full_parse_gives(name: str, feature_parses: list[int]) -> None:
    plan, member, states = ledger_of(DOCS[name])
    n_plan = len(plan["features"])
    for k, edited in enumerate(headings(states, 6)):
        feature_parses.clear()
        site, normal = validate_devices(plan, member, edited)
        parsed = sorted(feature_parses)
        # the plan's features are parsed on the first edit only (twice: alone, then no more)
        assert parsed == (list(range(n_plan)) if k == 0 else []) + list(
            range(n_plan, n_plan + len(edited))
        )
        assert_same_site(site, full_parse(plan, member, edited))
        # what the ledger stores: the normal forms the full parse gives
        assert_same_site(full_parse(plan, member, normal), site)
    assert len(codec._PLANS) == 1


def test_normal_forms_are_the_ones_without_reuse(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, member, states = ledger_of(DOCS["urban_village"])
    edited = list(headings(states, 3))[-1]
    site, normal = validate_devices(plan, member, edited)
    with no_reuse(monkeypatch):
        site_full, normal_full = validate_devices(plan, member, edited)
    assert normal == normal_full
    assert_same_site(site, site_full)


def _camera(states: list[DeviceState]) -> int:
    return next(i for i, s in enumerate(states) if s.kind == "camera")


def _edit(states: list[DeviceState], case: str, site: Any) -> list[DeviceState]:
    """The ledger with its first camera made wrong as ``case`` says."""
    i = _camera(states)
    cam = states[i]
    props = dict(cam.properties)
    out = list(states)
    if case == "outside the boundary":
        out[i] = replace(cam, geometry={"type": "Point", "coordinates": [-500.0, -500.0]})
    elif case == "inside a building":
        inside = site.buildings[0].polygon.representative_point()
        out[i] = replace(cam, geometry={"type": "Point", "coordinates": [inside.x, inside.y]})
    elif case == "a duplicate code":
        out.append(replace(states[i + 1], code=cam.code))
    elif case == "a bad heading":
        out[i] = replace(cam, properties={**props, "heading_deg": "north"})
    elif case == "a heading given as 1e400 text":
        out[i] = replace(cam, properties={**props, "heading_deg": "1e400"})
    elif case == "NaN in a kept property":
        out[i] = replace(cam, properties={**props, "note": math.nan})
    elif case == "1e400 text in a kept property":
        out[i] = replace(cam, properties={**props, "note": {"v": "1e400", "w": 1e400}})
    elif case == "an integer beyond 64 bits":
        out[i] = replace(cam, properties={**props, "note": [1, 10**400]})
    elif case == "a lone surrogate in the name":
        out[i] = replace(cam, name="cam \ud800")
    elif case == "an unknown status":
        out[i] = replace(cam, properties={**props, "purpose": "spying"})
    elif case == "a tilt out of range":
        out[i] = replace(cam, properties={**props, "tilt_deg": 95})
    elif case == "a retired device out of the boundary":  # fine: retired devices are skipped
        out[i] = replace(
            cam,
            status="retired",
            geometry={"type": "Point", "coordinates": [-500.0, -500.0]},
        )
    else:
        raise AssertionError(case)
    return out


BAD = [
    "outside the boundary",
    "inside a building",
    "a duplicate code",
    "a bad heading",
    "a heading given as 1e400 text",
    "NaN in a kept property",
    "1e400 text in a kept property",
    "an integer beyond 64 bits",
    "a lone surrogate in the name",
    "an unknown status",
    "a tilt out of range",
]


def _answer(call: Any) -> tuple[str, Any]:
    try:
        site, normal = call()
    except SiteFormatError as exc:
        return "error", (type(exc), str(exc), exc.index, exc.kind, exc.ident)
    return "ok", (site, normal)


@pytest.mark.parametrize("label", [None, lambda i: f"line {i + 2}"], ids=["plain", "label"])
@pytest.mark.parametrize("case", [*BAD, "a retired device out of the boundary"])
@pytest.mark.parametrize("name", ["urban_village", "modern_gated"])
def test_bad_devices_get_the_error_a_full_parse_gives(
    name: str, case: str, label: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, member, states = ledger_of(DOCS[name])
    validate_devices(plan, member, states)  # the plan is remembered: the next call reuses it
    edited = _edit(states, case, parse_site(DOCS[name]))
    reused = _answer(lambda: validate_devices(plan, member, edited, label=label))
    with no_reuse(monkeypatch):
        full = _answer(lambda: validate_devices(plan, member, edited, label=label))
    assert reused[0] == full[0] == ("error" if case in BAD else "ok"), (reused, full)
    if reused[0] == "error":
        assert reused[1] == full[1]
        camera = states[_camera(states)]
        assert camera.code in reused[1][1]  # the message names the device, not a feature index
    else:
        assert_same_site(reused[1][0], full[1][0])
        assert reused[1][1] == full[1][1]


FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
UV_LEDGER = ledger_of(DOCS["urban_village"])
# Hostile values, nested at most 40 deep (the ledger's JSON copy and digest recurse: a
# value thousands deep is refused before it gets to a ledger, by the loader or a JSON reader).
shallow_values = st.recursive(
    st.sampled_from(HOSTILE)
    | st.integers(28, 40).map(lambda depth: nest(1.5, depth))
    | st.floats()
    | st.integers()
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=8,
)


@FAST
@given(shallow_values, shallow_values)
def test_random_device_properties_answer_as_without_reuse(
    monkeypatch: pytest.MonkeyPatch, heading: Any, note: Any
) -> None:
    plan, member, states = UV_LEDGER
    i = _camera(states)
    props = {**states[i].properties, "heading_deg": heading, "note": note}
    edited = [*states[:i], replace(states[i], properties=props), *states[i + 1 :]]
    reused = _answer(lambda: codec._validate_devices(plan, member, edited))
    with no_reuse(monkeypatch):
        full = _answer(lambda: codec._validate_devices(plan, member, edited))
    assert reused[0] == full[0]
    if reused[0] == "error":
        assert reused[1] == full[1]
    else:
        assert_same_site(reused[1][0], full[1][0])
        assert reused[1][1] == full[1][1]


def test_another_level_ladder_is_another_plan() -> None:
    plan, member, states = ledger_of(DOCS["urban_village"])
    for feature in plan["features"]:  # each zone's level is then its ladder's default
        feature["properties"].pop("required_level", None)
    zone_levels = {}
    for levels in (None, "iec2025", "dori"):
        site_member = {**member, "levels": levels}
        site, _ = validate_devices(plan, site_member, states)
        assert_same_site(site, full_parse(plan, site_member, states))
        zone_levels[levels] = [z.required_level for z in site.zones]
    assert zone_levels[None] == zone_levels["dori"] != zone_levels["iec2025"]


def test_the_remembered_plan_shares_nothing_with_the_callers() -> None:
    plan, member, states = ledger_of(DOCS["urban_village"])
    building = next(f for f in plan["features"] if f["properties"]["kind"] == "building")
    building["properties"]["tags"] = ["a"]
    site, _ = validate_devices(plan, member, states)
    assert site.buildings[0].extra["tags"] == ["a"]
    building["properties"]["tags"].append("b")  # the caller's plan changes in place
    assert site.buildings[0].extra["tags"] == ["a"]
    again, _ = validate_devices(plan, member, states)  # a new plan: parsed again
    assert again.buildings[0].extra["tags"] == ["a", "b"]
    assert len(codec._PLANS) == 2


def test_the_plan_memo_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codec, "_PLANS", Memo(3))
    plan, member, states = ledger_of(DOCS["old_residential"])
    for n in range(6):
        validate_devices({**plan, "note": n}, member, states)
        assert len(codec._PLANS) == min(n + 1, 3)


def test_threads_share_the_memo() -> None:
    plan, member, states = ledger_of(DOCS["urban_village"])
    ledgers = list(headings(states, 12))
    expected = [full_parse(plan, member, s) for s in ledgers]
    with ThreadPoolExecutor(max_workers=4) as pool:
        sites = list(pool.map(lambda s: validate_devices(plan, member, s)[0], ledgers * 2))
    for site, oracle in zip(sites, expected * 2, strict=True):
        assert_same_site(site, oracle)
    assert len(codec._PLANS) == 1


def test_a_plan_that_does_not_parse_alone_gets_the_full_parse_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plan, member, states = ledger_of(DOCS["urban_village"])
    bad = copy.deepcopy(plan)
    bad["features"][3]["properties"]["height_m"] = math.nan  # a plan feature at fault
    i = _camera(states)
    edited = [
        *states[:i],
        replace(states[i], properties={"heading_deg": "north"}),
        *states[i + 1 :],
    ]
    reused = _answer(lambda: validate_devices(bad, member, edited))
    with no_reuse(monkeypatch):
        full = _answer(lambda: validate_devices(bad, member, edited))
    assert reused == full and reused[0] == "error"
    assert len(codec._PLANS) == 0  # nothing remembered of a plan that does not parse
