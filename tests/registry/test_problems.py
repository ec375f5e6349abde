"""Rectification items: life cycle, history, overdue boundaries, from-analysis."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from camwatch.errors import NotFoundError, StaleEditError, UsageError
from camwatch.geometry.coverage import analyze
from camwatch.registry.analysis_problems import problems_from_analysis
from camwatch.registry.compounds import export_site
from camwatch.registry.db import session_scope
from camwatch.registry.models import AuditLog
from camwatch.registry.problems import (
    days_overdue,
    get_problem,
    is_overdue,
    list_problems,
    open_problem,
    recheck,
    update_problem,
)

from .helpers import load_tiny

TODAY = date(2025, 6, 10)


@pytest.fixture
def tiny(engine):
    return load_tiny(engine)


def _open(s, compound, deadline, **kw):
    return open_problem(
        s,
        compound,
        description=kw.pop("description", "broken fence"),
        deadline=deadline,
        today=kw.pop("today", deadline - timedelta(days=30)),
        **kw,
    )


@pytest.mark.parametrize(
    "deadline_offset, status, overdue",
    [
        (0, "open", False),  # due today: not overdue
        (-1, "open", True),  # due yesterday: overdue by one day
        (1, "open", False),
        (-1, "in_progress", True),
        (-1, "reopened", True),
        (-30, "fixed", False),  # fixed (late): waiting for re-check, not overdue
        (-30, "verified", False),
    ],
)
def test_overdue_boundaries(engine, tiny, deadline_offset, status, overdue):
    deadline = TODAY + timedelta(days=deadline_offset)
    with session_scope(engine, actor="p") as s:
        problem = _open(s, tiny, deadline)
        problem.status = status  # direct: only the overdue rule is under test here
    with session_scope(engine) as s:
        problem = get_problem(s, problem.id)
        assert is_overdue(problem, TODAY) is overdue
        assert days_overdue(problem, TODAY) == (-deadline_offset if overdue else 0)
        listed = [p.id for p in list_problems(s, compound=tiny, overdue=True, today=TODAY)]
        assert listed == ([problem.id] if overdue else [])


def test_full_life_cycle_with_history_and_audit(engine, tiny):
    with session_scope(engine, actor="planner") as s:
        pid = _open(
            s,
            tiny,
            TODAY + timedelta(days=7),
            today=TODAY,
            device="C3",
            zone="main gate",
            responsible_unit="Property office",
            responsible_person="Wang",
            source="inspection",
        ).id
    with session_scope(engine, actor="wang") as s:
        update_problem(s, pid, status="in_progress", note="ordered a new camera")
        update_problem(s, pid, status="fixed", note="camera replaced")
    with session_scope(engine, actor="police") as s:
        with pytest.raises(UsageError, match="needs a new deadline"):
            recheck(s, pid, passed=False, result="still dark at night", on=TODAY)
        problem = recheck(
            s,
            pid,
            passed=False,
            result="still dark at night",
            on=TODAY + timedelta(days=8),
            new_deadline=TODAY + timedelta(days=20),
        )
        assert problem.status == "reopened" and problem.deadline == TODAY + timedelta(days=20)
        assert not is_overdue(problem, TODAY + timedelta(days=20))
        assert is_overdue(problem, TODAY + timedelta(days=21))
    with session_scope(engine, actor="wang") as s:
        update_problem(s, pid, status="fixed", note="IR lamp added")
    with session_scope(engine, actor="police") as s:
        problem = recheck(s, pid, passed=True, result="ok at night", on=TODAY + timedelta(days=15))
        assert problem.status == "verified" and problem.closed_at is not None
        assert problem.recheck_result == "ok at night"
    with session_scope(engine) as s:
        problem = get_problem(s, pid)
        steps = [(e.actor, e.action, e.from_status, e.to_status) for e in problem.events]
        assert steps == [
            ("planner", "opened", None, "open"),
            ("wang", "status", "open", "in_progress"),
            ("wang", "status", "in_progress", "fixed"),
            ("police", "recheck", "fixed", "reopened"),
            ("wang", "status", "reopened", "fixed"),
            ("police", "recheck", "fixed", "verified"),
        ]
        audit = s.scalars(
            select(AuditLog)
            .where(AuditLog.entity == "problems", AuditLog.entity_id == str(pid))
            .order_by(AuditLog.id)
        ).all()
        assert [a.action for a in audit] == ["insert"] + ["update"] * 5
        assert problem.version == 6
        with pytest.raises(UsageError, match="verified"):
            update_problem(s, pid, note="again?")


@pytest.mark.parametrize(
    "start, target",
    [("open", "verified"), ("open", "reopened"), ("in_progress", "open"), ("fixed", "in_progress")],
)
def test_illegal_transitions(engine, tiny, start, target):
    with session_scope(engine, actor="p") as s:
        problem = _open(s, tiny, TODAY)
        problem.status = start
    with (
        pytest.raises(UsageError, match=f"cannot go from {start} to {target}"),
        session_scope(engine) as s,
    ):
        update_problem(s, problem.id, status=target)


def test_recheck_only_when_fixed_and_deadline_changes_need_a_note(engine, tiny):
    with session_scope(engine, actor="p") as s:
        pid = _open(s, tiny, TODAY).id
        with pytest.raises(UsageError, match="only a fixed problem is re-checked"):
            recheck(s, pid, passed=True, result="fine")
        with pytest.raises(UsageError, match="needs a note"):
            update_problem(s, pid, deadline=TODAY + timedelta(days=3))
        problem = update_problem(s, pid, deadline=TODAY + timedelta(days=3), note="parts late")
        assert problem.events[-1].action == "deadline"
        with pytest.raises(StaleEditError, match="problem #"):
            update_problem(s, pid, status="in_progress", expected_version=1)


def test_open_checks_references(engine, tiny):
    with session_scope(engine, actor="p") as s:
        with pytest.raises(NotFoundError, match="no device 'C99'"):
            _open(s, tiny, TODAY, device="C99")
        with pytest.raises(NotFoundError, match="no zone 'pool'"):
            _open(s, tiny, TODAY, zone="pool")
        with pytest.raises(UsageError, match="before today"):
            _open(s, tiny, TODAY, today=TODAY + timedelta(days=1))
        with pytest.raises(UsageError, match="source must be one of"):
            _open(s, tiny, TODAY, source="rumour")


def _analysis(engine, compound):
    with session_scope(engine) as s:
        return analyze(export_site(s, compound)).to_dict()


def test_from_analysis_creates_one_per_blind_spot_and_failing_zone_idempotently(engine, tiny):
    analysis = _analysis(engine, tiny)
    spots = len(analysis["blind_spots"])
    failing = [z["name"] for z in analysis["zones"] if not z["pass"]]
    assert spots >= 2 and failing  # the tiny site is far from compliant
    with session_scope(engine, actor="planner") as s:
        first = problems_from_analysis(s, tiny, analysis, deadline_days=14, today=TODAY)
    assert len(first["created"]) == spots + len(failing)
    with session_scope(engine, actor="planner") as s:
        again = problems_from_analysis(s, tiny, analysis, deadline_days=14, today=TODAY)
        assert again["created"] == [] and sorted(again["existing"]) == sorted(first["created"])
        problems = list_problems(s, compound=tiny)
        assert {p.deadline for p in problems} == {TODAY + timedelta(days=14)}
        assert sorted(p.zone_name for p in problems if p.ref_key.startswith("zone:")) == sorted(
            failing
        )
        assert all(p.source == "analysis" for p in problems)


def test_from_analysis_matches_moved_spots_and_reports_resolved(engine, tiny):
    analysis = _analysis(engine, tiny)
    with session_scope(engine, actor="planner") as s:
        first = problems_from_analysis(s, tiny, analysis, deadline_days=7, today=TODAY)
    moved = copy.deepcopy(analysis)
    big, small = moved["blind_spots"][0], moved["blind_spots"][1]
    big["centroid"] = [big["centroid"][0] + 0.5, big["centroid"][1]]  # a little smaller/shifted
    small["centroid"] = [small["centroid"][0] - 30, small["centroid"][1] - 20]  # elsewhere
    fixed_zone = next(z for z in moved["zones"] if not z["pass"])
    fixed_zone["pass"] = True
    with session_scope(engine, actor="planner") as s:
        second = problems_from_analysis(s, tiny, moved, deadline_days=7, today=TODAY)
        assert len(second["created"]) == 1  # the far-away spot is a new finding
        created = get_problem(s, second["created"][0])
        assert created.reference["centroid"] == small["centroid"]
        old_small = [
            p
            for p in list_problems(s, compound=tiny)
            if p.reference and p.reference.get("id") == "B2" and p.id in first["created"]
        ][0]
        old_zone = [
            p
            for p in list_problems(s, compound=tiny)
            if p.zone_name == fixed_zone["name"] and p.ref_key == f"zone:{fixed_zone['name']}"
        ][0]
        assert sorted(second["resolved_candidates"]) == sorted([old_small.id, old_zone.id])


def test_from_analysis_after_verification_opens_a_new_problem(engine, tiny):
    analysis = _analysis(engine, tiny)
    with session_scope(engine, actor="planner") as s:
        first = problems_from_analysis(s, tiny, analysis, deadline_days=7, today=TODAY)
        pid = first["created"][0]
        update_problem(s, pid, status="fixed")
        recheck(s, pid, passed=True, result="looked fine", on=TODAY)
        again = problems_from_analysis(s, tiny, analysis, deadline_days=7, today=TODAY)
    assert len(again["created"]) == 1 and pid not in again["existing"]


def test_from_analysis_refuses_other_sites_and_bad_input(engine, tiny):
    analysis = _analysis(engine, tiny)
    with session_scope(engine, actor="planner") as s:
        with pytest.raises(UsageError, match="analysis is of site 'other'"):
            problems_from_analysis(s, tiny, {**analysis, "site": "other"}, deadline_days=7)
        with pytest.raises(UsageError, match="no 'zones' list"):
            problems_from_analysis(s, tiny, {"blind_spots": []}, deadline_days=7)
        with pytest.raises(UsageError, match="deadline days"):
            problems_from_analysis(s, tiny, analysis, deadline_days=-1)
