"""The inspection checklist: items, score and pass/fail on a good and a poor compound."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from camwatch.errors import UsageError
from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import export_site
from camwatch.registry.db import session_scope
from camwatch.registry.devices import update_device
from camwatch.registry.inspections import (
    PASS_SCORE,
    WEIGHTS,
    latest_inspection,
    list_inspections,
    run_inspection,
)
from camwatch.registry.problems import open_problem

from .helpers import load_tiny
from .sites import feature, line, point, rect

TODAY = date(2025, 6, 10)


def good_site() -> dict:
    """A 10 m square watched by one panoramic camera, gated with card, alarmed all round."""
    return {
        "type": "FeatureCollection",
        "site": {"id": "good", "name": "Good Yard", "units": "m"},
        "features": [
            feature("boundary", rect(0, 0, 10, 10)),
            feature("zone", rect(0, 0, 10, 10), name="yard", zone_type="square"),
            feature("camera", point(5, 5), id="P1", hfov_deg=360),
            feature("gate", line((0, 4), (0, 6)), id="G1", access_control="face"),
            feature(
                "alarm",
                line((0, 0), (10, 0), (10, 10), (0, 10), (0, 0)),
                id="A1",
                alarm_type="electric_fence",
            ),
        ],
    }


def _items(inspection) -> dict[str, bool]:
    return {i["key"]: i["passed"] for i in inspection.items}


def _analysis(s, code):
    return analyze(export_site(s, code)).to_dict()


def test_weights_add_up_to_100():
    assert sum(WEIGHTS.values()) == 100


def test_good_compound_passes(engine):
    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="insp") as s:
        inspection = run_inspection(s, code, _analysis(s, code), inspector="Li", today=TODAY)
        assert _items(inspection) == dict.fromkeys(WEIGHTS, True)
        assert inspection.score == 100.0 and inspection.passed
    with session_scope(engine) as s:
        assert latest_inspection(s, code).id == inspection.id


def test_each_failure_costs_its_weight(engine):
    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="tech") as s:
        update_device(s, code, "G1", {"properties": {"access_control": "none"}})
        open_problem(
            s,
            code,
            description="lamp out",
            deadline=TODAY - timedelta(days=1),
            today=TODAY - timedelta(days=5),
        )
    with session_scope(engine, actor="insp") as s:
        inspection = run_inspection(s, code, _analysis(s, code), inspector="Li", today=TODAY)
    items = _items(inspection)
    assert not items["access_control"] and not items["problems"]
    assert inspection.score == 100 - WEIGHTS["access_control"] - WEIGHTS["problems"]
    assert inspection.score < PASS_SCORE and not inspection.passed
    # the same problem due today would not count against the compound
    with session_scope(engine, actor="insp") as s:
        again = run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY - timedelta(days=1)
        )
    assert _items(again)["problems"]


def test_faulty_camera_fails_health_and_coverage(engine):
    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="tech") as s:
        update_device(s, code, "P1", {"status": "faulty"})
    with session_scope(engine, actor="insp") as s:
        inspection = run_inspection(s, code, _analysis(s, code), inspector="Li", today=TODAY)
    items = _items(inspection)
    assert not items["device_health"] and not items["coverage"] and not items["blind_spots"]
    assert not inspection.passed


def test_poor_compound_fails_with_details(engine):
    code = load_tiny(engine)
    with session_scope(engine, actor="insp") as s:
        inspection = run_inspection(s, code, _analysis(s, code), inspector="Li", today=TODAY)
        assert list_inspections(s, code)[0].id == inspection.id
    details = {i["key"]: i for i in inspection.items}
    assert not details["coverage"]["passed"]
    assert "lacking: gate-2" in details["access_control"]["detail"]
    assert details["device_health"]["value"] == {"active": 2, "installed": 3, "share": 0.666667}
    assert 0 < details["perimeter_alarms"]["value"]["share"] < 0.9
    assert not inspection.passed


def test_inspection_refuses_a_stale_or_foreign_analysis(engine):
    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="insp") as s:
        analysis = _analysis(s, code)
        with pytest.raises(UsageError, match="analysis is of site 'x'"):
            run_inspection(s, code, {**analysis, "site": "x"}, inspector="Li")
        update_device(s, code, "P1", {"status": "offline"})
        with pytest.raises(UsageError, match="does not match the ledger's active cameras"):
            run_inspection(s, code, analysis, inspector="Li")
