"""Every change leaves an audit row: inserts, each versioned UPDATE, who did it."""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import func, inspect, select

from camwatch.geometry.coverage import analyze
from camwatch.registry.analysis_problems import problems_from_analysis
from camwatch.registry.audit import history, recent
from camwatch.registry.compounds import export_site
from camwatch.registry.db import session_scope
from camwatch.registry.devices import add_device, update_device
from camwatch.registry.devices_csv import import_devices_csv
from camwatch.registry.inspections import run_inspection
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import AuditLog, Base
from camwatch.registry.problems import recheck, update_problem
from camwatch.registry.retirement import retire_device
from camwatch.registry.site_import import import_site
from camwatch.registry.users import create_user, issue_token
from camwatch.sitefile import parse_site

from .sites import point, tiny_site

TODAY = date.today()


def _workload(engine) -> None:
    with session_scope(engine, actor="planner") as s:
        import_site(s, parse_site(tiny_site()), actor="planner")
    with session_scope(engine, actor="tech") as s:
        add_device(s, "tiny-court", kind="camera", code="C9", geometry=point(10, 15))
        update_device(s, "tiny-court", "C9", {"properties": {"heading_deg": 45}})
        log_maintenance(
            s, "tiny-court", "C3", kind="repair", technician="Zhao", status_after="active"
        )
        import_devices_csv(
            s, io.StringIO("kind,code,x,y\ncamera,C10,12,15\n"), compound="tiny-court"
        )
        retire_device(s, "tiny-court", "C10", reason="test")
    with session_scope(engine, actor="planner") as s:
        analysis = analyze(export_site(s, "tiny-court")).to_dict()
        created = problems_from_analysis(s, "tiny-court", analysis, deadline_days=5)["created"]
        update_problem(s, created[0], status="fixed", note="done")
        recheck(s, created[0], passed=False, result="no", new_deadline=TODAY + timedelta(days=3))
        run_inspection(s, "tiny-court", analysis, inspector="Li")
        create_user(s, "mgr", "long-enough", role="manager", compounds=["tiny-court"])
        issue_token(s, "mgr")
    with session_scope(engine, actor="planner") as s:
        changed = tiny_site()
        changed["features"][8]["properties"]["heading_deg"] = 200
        import_site(s, parse_site(changed), actor="planner", keep_missing=True)


def test_an_audit_entry_for_every_change(engine):
    _workload(engine)
    with session_scope(engine) as s:
        audited = {(a.entity, a.entity_id, a.action): a for a in s.scalars(select(AuditLog))}
        for mapper in Base.registry.mappers:
            cls = mapper.class_
            if cls is AuditLog:
                continue
            rows = s.scalars(select(cls)).all()
            for row in rows:
                key = "/".join(str(v) for v in inspect(row).identity)
                table = cls.__tablename__
                assert (table, key, "insert") in audited, (table, key)
                version = getattr(row, "version", None)
                if version is not None:
                    # each versioned UPDATE bumped the version by one and left one row
                    column_updates = [
                        a
                        for a in history(s, table, key)
                        if a.action == "update" and a.before.get("version") != a.after["version"]
                    ]
                    assert len(column_updates) == version - 1, (table, key)
        actors = {a.actor for a in audited.values()}
        assert actors == {"planner", "tech"}
        assert s.scalar(select(func.count(AuditLog.id))) == len(recent(s, limit=10_000))


def test_audit_rows_redact_secrets_and_name_changes(engine):
    _workload(engine)
    with session_scope(engine) as s:
        user_rows = history(s, "users", 1)
        assert user_rows[0].after["password_hash"] == "***"
        assert user_rows[0].after["compounds"] == ["tiny-court"]
        assert user_rows[1].after == {"api_token_hash": "***", "version": 2}
        c9 = [a for a in recent(s, entity="devices", limit=100) if a.action == "update"]
        assert any(a.after.get("properties", {}).get("heading_deg") == 45.0 for a in c9)
