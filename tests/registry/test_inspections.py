"""The inspection checklist: items, score and pass/fail on a good and a poor compound."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from camwatch.errors import UsageError
from camwatch.geometry.coverage import analyze
from camwatch.registry.checklist import PASS_SCORE, WEIGHTS
from camwatch.registry.compounds import export_site, get_compound
from camwatch.registry.db import session_scope
from camwatch.registry.devices import update_device
from camwatch.registry.inspections import (
    inspection_by_request_key,
    latest_inspection,
    list_inspections,
    run_inspection,
)
from camwatch.registry.models import Inspection
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


# --------------------------------------------------------------------------- #
# Boundaries of the checklist items (each test kills a mutant that survived)
# --------------------------------------------------------------------------- #


def _fenced_site(alarm_coords, *, cameras=None, gates=None) -> dict:
    """A 10 m square (perimeter 40 m) with one alarm line along ``alarm_coords``."""
    cams = cameras or [feature("camera", point(5, 5), id="P1", hfov_deg=360)]
    gate_features = gates or [
        feature("gate", line((4, 10), (6, 10)), id="G1", access_control="face")
    ]
    return {
        "type": "FeatureCollection",
        "site": {"id": "fenced", "name": "Fenced Yard", "units": "m"},
        "features": [
            feature("boundary", rect(0, 0, 10, 10)),
            *cams,
            *gate_features,
            feature("alarm", line(*alarm_coords), id="A1", alarm_type="infrared_beam"),
        ],
    }


def _item(engine, site: dict, key: str) -> dict:
    code = load_tiny(engine, site)
    with session_scope(engine, actor="insp") as s:
        inspection = run_inspection(s, code, _analysis(s, code), inspector="Li", today=TODAY)
    return next(i for i in inspection.items if i["key"] == key)


# The alarm runs round the square from the west side's (0, y_top) to its (0, y_bottom); it
# guards up to 2 m beyond its ends, so the west side's unguarded gap is y_top - y_bottom - 4.
def _west_gap_alarm(y_bottom: float, y_top: float):
    return [(0, y_top), (0, 10), (10, 10), (10, 0), (0, 0), (0, y_bottom)]


@pytest.mark.parametrize(
    "y_bottom, y_top, share, passed",
    [
        (1.0, 9.0, 0.9, True),  # a 4 m gap: exactly 90 % (36 of 40 m) passes
        (0.8, 9.0, 0.895, False),  # a 4.2 m gap: 89.5 % fails
        (2.0, 8.0, 0.95, True),
        (0.0, 10.0, 0.85, False),  # degenerate: the alarm ends at the corners (6 m open)
    ],
)
def test_perimeter_alarm_threshold_is_ninety_percent_inclusive(
    engine, y_bottom, y_top, share, passed
):
    item = _item(engine, _fenced_site(_west_gap_alarm(y_bottom, y_top)), "perimeter_alarms")
    assert item["value"]["perimeter_m"] == 40.0
    assert item["value"]["share"] == pytest.approx(share, abs=1e-9)
    assert item["passed"] is passed


def test_a_gate_closes_its_stretch_of_the_perimeter(engine):
    # the alarm leaves 6 m of the west side open (85 %); the gate there closes it (100 %)
    alarm = _west_gap_alarm(0.0, 10.0)
    gate = [feature("gate", line((0, 4), (0, 6)), id="G1", access_control="face")]
    item = _item(engine, _fenced_site(alarm, gates=gate), "perimeter_alarms")
    assert item["value"]["guarded_m"] == pytest.approx(40.0, abs=1e-9)
    assert item["passed"]
    elsewhere = [feature("gate", line((4, 10), (6, 10)), id="G1", access_control="face")]
    item = _item(engine, _fenced_site(alarm, gates=elsewhere), "perimeter_alarms")
    assert item["value"]["guarded_m"] == pytest.approx(34.0, abs=1e-9)
    assert not item["passed"]


def test_an_inactive_gate_is_not_controlled(engine):
    gates = [
        feature("gate", line((4, 10), (6, 10)), id="G1", access_control="face"),
        feature("gate", line((10, 4), (10, 6)), id="G2", access_control="card"),
    ]
    code = load_tiny(engine, _fenced_site(_west_gap_alarm(2.0, 8.0), gates=gates))
    for status, passed in (("active", True), ("faulty", False), ("offline", False)):
        with session_scope(engine, actor="tech") as s:
            update_device(s, code, "G2", {"status": status})
        with session_scope(engine, actor="insp") as s:
            inspection = run_inspection(s, code, _analysis(s, code), inspector="Li", today=TODAY)
        item = next(i for i in inspection.items if i["key"] == "access_control")
        assert item["passed"] is passed, status
        assert item["value"]["lacking"] == ([] if passed else ["G2"])


def _cameras(n_active: int, n_faulty: int) -> list[dict]:
    spots = [(1 + (k % 5) * 2, 1 + (k // 5) * 2) for k in range(n_active + n_faulty)]
    return [
        feature(
            "camera",
            point(x, y),
            id=f"C{k:02d}",
            hfov_deg=360,
            status="active" if k < n_active else "faulty",
        )
        for k, (x, y) in enumerate(spots)
    ]


@pytest.mark.parametrize(
    "n_active, n_faulty, passed",
    [
        (19, 1, True),  # exactly 95 % passes
        (18, 1, False),  # 94.7 %
        (18, 2, False),  # 90 %
        (20, 0, True),
        (0, 0, False),  # degenerate: no installed camera
    ],
)
def test_device_health_needs_ninety_five_percent_inclusive(engine, n_active, n_faulty, passed):
    site = _fenced_site(_west_gap_alarm(2.0, 8.0), cameras=_cameras(n_active, n_faulty))
    if n_active + n_faulty == 0:
        site["features"] = [f for f in site["features"] if f["properties"]["kind"] != "camera"]
    item = _item(engine, site, "device_health")
    installed = n_active + n_faulty
    assert item["value"]["installed"] == installed and item["value"]["active"] == n_active
    if installed:
        assert item["value"]["share"] == round(n_active / installed, 6)
    assert item["passed"] is passed


def test_due_today_is_not_overdue_anywhere(engine):
    # the checklist, the overdue list and the dashboard counts agree on the deadline day itself
    from camwatch.registry.compounds import compound_summary, get_compound
    from camwatch.registry.problems import is_overdue, list_problems

    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="tech") as s:
        open_problem(
            s, code, description="lamp out", deadline=TODAY, today=TODAY - timedelta(days=3)
        )
    for day, overdue in (
        (TODAY - timedelta(days=1), False),
        (TODAY, False),
        (TODAY + timedelta(days=1), True),
    ):
        with session_scope(engine, actor="insp") as s:
            (problem,) = list_problems(s, compound=code)
            assert is_overdue(problem, day) is overdue
            assert len(list_problems(s, compound=code, overdue=True, today=day)) == int(overdue)
            summary = compound_summary(s, get_compound(s, code), today=day)
            assert summary["open_problems"] == 1
            assert summary["overdue_problems"] == int(overdue)
            inspection = run_inspection(s, code, _analysis(s, code), inspector="Li", today=day)
            assert _items(inspection)["problems"] is not overdue


# -- rule results (docs/standards.md): the caller passes the check, the registry records it


RULES = {
    "GATE-ACCESS": {"severity": "error", "params": {}},
    "MOUNT-HEIGHT": {"severity": "warning", "params": {}},
    "PERIM-VIDEO": {"severity": "warning", "params": {"min_share": 0.9}},
}


def _finding(rule, severity, *features):
    return {"rule": rule, "severity": severity, "features": list(features), "message": {}}


def _check(code, *findings):
    return {"site": code, "profile": "national", "findings": list(findings)}


def test_rule_results_are_data(engine):
    code = load_tiny(engine, good_site())
    check = _check(code, _finding("MOUNT-HEIGHT", "warning", "P1"))
    with session_scope(engine, actor="insp") as s:
        ins = run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY, check=check, rules=RULES
        )
        items = {i["key"]: i for i in ins.items}
        assert list(items) == [
            "rule:GATE-ACCESS",
            "rule:MOUNT-HEIGHT",
            "rule:PERIM-VIDEO",
            "blind_spots",
            "device_health",
            "problems",
        ]
        mount = items["rule:MOUNT-HEIGHT"]
        assert mount == {
            "key": "rule:MOUNT-HEIGHT",
            "title": "MOUNT-HEIGHT",
            "rule": "MOUNT-HEIGHT",
            "severity": "warning",
            "passed": False,
            "count": 1,
            "counts": {"warning": 1},
            "features": ["P1"],
            "params": {},
        }
        assert items["rule:PERIM-VIDEO"]["params"] == {"min_share": 0.9}
        assert items["rule:GATE-ACCESS"]["passed"] and items["rule:GATE-ACCESS"]["count"] == 0
        for item in ins.items:
            assert "detail" not in item  # no sentences
            assert item.get("title", item["key"]) in (item["rule"], item["key"])
        # a warning does not fail the standard; 5 of 6 items pass
        assert ins.passed is True and ins.score == 83.0  # 5 of 6, in whole numbers


def test_an_error_finding_fails_the_inspection(engine):
    code = load_tiny(engine, good_site())
    check = _check(
        code,
        _finding("GATE-ACCESS", "error", "G1"),
        _finding("PERIM-VIDEO", "error", "A1"),  # more severe than its rule's setting
        _finding("PERIM-VIDEO", "warning", "A2"),
    )
    with session_scope(engine, actor="insp") as s:
        ins = run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY, check=check, rules=RULES
        )
        items = {i["key"]: i for i in ins.items}
        assert ins.passed is False
        video = items["rule:PERIM-VIDEO"]
        assert video["severity"] == "error" and video["counts"] == {"error": 1, "warning": 1}
        assert video["features"] == ["A1", "A2"]


def test_kept_items_follow_the_ledger(engine):
    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="insp") as s:
        open_problem(
            s, code, description="late", deadline=TODAY - timedelta(days=1),
            today=TODAY - timedelta(days=9), source="patrol",
        )  # fmt: skip
        ins = run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY,
            check=_check(code), rules=RULES,
        )  # fmt: skip
        items = {i["key"]: i for i in ins.items}
        assert items["problems"]["passed"] is False
        assert items["problems"]["params"]["overdue"] == 1
        assert items["problems"]["severity"] == "warning"
        assert ins.passed is True  # an overdue item is not a standards error


@pytest.mark.parametrize(
    "check, rules, message",
    [
        ({"site": "elsewhere", "findings": []}, RULES, "not of compound"),
        ({"findings": [_finding("NOPE", "error")]}, RULES, "does not run"),
        ({"findings": "x"}, RULES, "camwatch check --json"),
        ({"findings": []}, {}, "profile's rules"),
    ],
)
def test_bad_checks_are_refused_and_nothing_recorded(engine, check, rules, message):
    code = load_tiny(engine, good_site())
    with pytest.raises(UsageError, match=message), session_scope(engine, actor="insp") as s:
        run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY, check=check, rules=rules
        )
    with session_scope(engine) as s:
        assert latest_inspection(s, code) is None


def test_item_notes_are_kept_and_unknown_keys_refused(engine):
    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="insp") as s:
        ins = run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY, check=_check(code),
            rules=RULES, item_notes={"rule:GATE-ACCESS": " 已复核 ", "problems": "  "},
        )  # fmt: skip
        notes = {i["key"]: i.get("note") for i in ins.items}
        assert notes["rule:GATE-ACCESS"] == "已复核"
        assert "note" not in next(i for i in ins.items if i["key"] == "problems")
    with (
        pytest.raises(UsageError, match="no inspection item rule:NOPE"),
        session_scope(engine, actor="insp") as s,
    ):
        run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY, check=_check(code),
            rules=RULES, item_notes={"rule:NOPE": "x"},
        )  # fmt: skip
    with session_scope(engine) as s:
        assert len(list_inspections(s, code)) == 1


def test_a_request_key_records_once(engine):
    code = load_tiny(engine, good_site())

    def record(s, key):
        return run_inspection(
            s, code, _analysis(s, code), inspector="Li", today=TODAY, check=_check(code),
            rules=RULES, request_key=key,
        ).id  # fmt: skip

    with session_scope(engine, actor="insp") as s:
        first = record(s, "a" * 32)
    with session_scope(engine, actor="insp") as s:
        assert record(s, "a" * 32) == first  # the same form again: nothing new
        assert inspection_by_request_key(s, code, "a" * 32).id == first
        assert record(s, "b" * 32) != first
    with session_scope(engine) as s:
        assert len(list_inspections(s, code)) == 2


def test_the_database_refuses_a_second_inspection_with_the_same_key(engine):
    """Two requests that both looked before either wrote: the unique index decides."""
    code = load_tiny(engine, good_site())
    with session_scope(engine, actor="insp") as s:
        comp_id = get_compound(s, code).id
        s.add(Inspection(compound_id=comp_id, date=TODAY, inspector="Li", items=[], score=0.0,
                         passed=False, request_key="c" * 32))  # fmt: skip
    with pytest.raises(IntegrityError), session_scope(engine, actor="insp") as s:
        s.add(Inspection(compound_id=comp_id, date=TODAY, inspector="Wu", items=[], score=0.0,
                         passed=False, request_key="c" * 32))  # fmt: skip
    with session_scope(engine) as s:
        assert [i.inspector for i in list_inspections(s, code)] == ["Li"]
