"""Analysis snapshots: one per fingerprint, the newest few kept, gone with their compound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from camwatch.registry.compounds import delete_compound, get_compound
from camwatch.registry.db import session_scope
from camwatch.registry.models import AnalysisSnapshot, AuditLog
from camwatch.registry.snapshots import KEPT_PER_TASK, find_snapshot, fingerprint, save_snapshot

from .helpers import load_tiny


def test_fingerprint_is_canonical_and_covers_every_input():
    site = {"type": "FeatureCollection", "features": [{"a": 1, "b": [1, 2]}]}
    same = {"features": [{"b": [1, 2], "a": 1}], "type": "FeatureCollection"}
    base = fingerprint("analyze", site, {"x": 1, "y": None})
    assert base == fingerprint("analyze", same, {"y": None, "x": 1})
    assert len(base) == 64
    assert base != fingerprint("check", site, {"x": 1, "y": None})
    assert base != fingerprint("analyze", site, {"x": 2, "y": None})
    assert base != fingerprint("analyze", {**site, "features": []}, {"x": 1, "y": None})


def test_one_snapshot_per_fingerprint_replace_and_unknown_task(engine):
    code = load_tiny(engine)
    with session_scope(engine) as session:
        cid = get_compound(session, code).id
        assert save_snapshot(session, cid, "analyze", "a" * 64, result={"n": 1}, seconds=0.5)
        assert not save_snapshot(session, cid, "analyze", "a" * 64, result={"n": 2})
        assert find_snapshot(session, cid, "analyze", "a" * 64).result == {"n": 1}
        assert save_snapshot(session, cid, "analyze", "a" * 64, result={"n": 3}, replace=True)
        assert find_snapshot(session, cid, "analyze", "a" * 64).result == {"n": 3}
        assert find_snapshot(session, cid, "check", "a" * 64) is None
        with pytest.raises(ValueError, match="unknown task"):
            save_snapshot(session, cid, "render", "b" * 64, result={})
        # derived data: not in the audit trail
        entities = set(session.scalars(select(AuditLog.entity)))
        assert "analysis_snapshots" not in entities and "compounds" in entities


def test_only_the_newest_snapshots_of_a_task_are_kept(engine):
    code = load_tiny(engine)
    with session_scope(engine) as session:
        cid = get_compound(session, code).id
        for i in range(KEPT_PER_TASK + 2):
            save_snapshot(session, cid, "analyze", f"{i:064d}", result={"i": i})
        save_snapshot(session, cid, "check", "c" * 64, result={"i": -1})
        start = datetime.now(UTC) - timedelta(hours=1)
        rows = session.scalars(select(AnalysisSnapshot).order_by(AnalysisSnapshot.id)).all()
        assert all(r.created_at > start for r in rows)
        kept = [r.result["i"] for r in rows if r.task == "analyze"]
        assert kept == list(range(2, KEPT_PER_TASK + 2))
        assert [r.result["i"] for r in rows if r.task == "check"] == [-1]


def test_snapshots_go_with_their_compound(engine):
    code = load_tiny(engine)
    with session_scope(engine) as session:
        cid = get_compound(session, code).id
        save_snapshot(session, cid, "analyze", "d" * 64, result={})
    with session_scope(engine, actor="admin") as session:
        delete_compound(session, get_compound(session, code), actor="admin")
    with session_scope(engine) as session:
        assert session.scalars(select(AnalysisSnapshot)).all() == []
