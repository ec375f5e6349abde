"""Lists and the dashboard read the ledger's analysis snapshots and store what they compute."""

from __future__ import annotations

import json
from datetime import date

from flask import g
from sqlalchemy import select

from camwatch.batch.jobs import ANALYZE_DEFAULTS, CHECK_DEFAULTS, ledger_source, task_digest
from camwatch.compliance import compound_check, device_health
from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import export_site
from camwatch.registry.models import AnalysisSnapshot, Compound
from camwatch.registry.snapshots import save_snapshot
from tests.web.conftest import make_app
from web.cache import LRUCache
from web.db import db_session, new_session
from web.summary import compound_status


def _fresh_app(db_path):
    return make_app(db_path, LRUCache(64 * 2**20))


def test_a_current_snapshot_is_what_the_lists_show(db_path):
    app = _fresh_app(db_path)
    with app.test_request_context():
        g.user = None
        session = db_session()
        compound = session.scalars(select(Compound).order_by(Compound.code)).first()
        real = analyze(export_site(session, compound.code)).to_dict()
        planted = json.loads(json.dumps(real))
        planted["levels"]["detection"]["ratio"] = 0.123456
        digest = task_digest("analyze", ledger_source(compound), ANALYZE_DEFAULTS)
        writer = new_session()
        assert save_snapshot(writer, compound.id, "analyze", digest, result=planted)
        writer.close()
        assert compound_status(compound, with_checklist=False)["detection"] == 0.123456


def test_a_snapshot_of_another_state_is_not_served(db_path):
    app = _fresh_app(db_path)
    with app.test_request_context():
        g.user = None
        session = db_session()
        compound = session.scalars(select(Compound).order_by(Compound.code)).first()
        stale = task_digest("analyze", ledger_source(compound), {**ANALYZE_DEFAULTS, "x": 1})
        writer = new_session()
        save_snapshot(writer, compound.id, "analyze", stale, result={"levels": {}})
        writer.close()
        real = analyze(export_site(session, compound.code)).to_dict()
        status = compound_status(compound, with_checklist=False)
        assert status["detection"] == real["levels"]["detection"]["ratio"]


def test_what_the_app_computes_is_stored_as_snapshots(db_path):
    app = _fresh_app(db_path)
    with app.test_request_context():
        g.user = None
        session = db_session()
        compound = session.scalars(select(Compound).order_by(Compound.code)).first()
        compound_status(compound, with_checklist=True)
        rows = {
            r.task: r
            for r in session.scalars(
                select(AnalysisSnapshot).where(AnalysisSnapshot.compound_id == compound.id)
            )
        }
        assert sorted(rows) == ["analyze", "check"]
        want = analyze(export_site(session, compound.code)).to_dict()
        assert rows["analyze"].result == json.loads(json.dumps(want))
        today = date.today()
        assert rows["check"].result == json.loads(
            json.dumps(compound_check(session, compound.code, today=today).to_dict())
        )
        devices = device_health(session, compound)
        options = {**CHECK_DEFAULTS, "today": today.isoformat()}
        assert rows["check"].fingerprint == task_digest(
            "check", ledger_source(compound), options, devices
        )
