"""Bulk status change on the ledger page, and the device page's maintenance history."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from camwatch.registry.models import AuditLog, Device, MaintenanceRecord
from tests.web.conftest import login


def _session(app):
    from web.db import new_session

    return new_session(app)


def state(app, device_ids) -> dict[int, tuple[str, int, int]]:
    """id → (status, version, maintenance records) as the ledger holds them."""
    with app.app_context():
        s = _session(app)
        try:
            out = {}
            for i in device_ids:
                d = s.get(Device, i)
                n = s.scalar(select(func.count()).where(MaintenanceRecord.device_id == d.id))
                out[i] = (d.status, d.version, n)
            return out
        finally:
            s.close()


def pick(app, compound_code: str, status: str, n: int) -> list[tuple[int, int]]:
    with app.app_context():
        s = _session(app)
        try:
            rows = s.execute(
                select(Device.id, Device.version)
                .join(Device.compound)
                .where(Device.status == status)
                .where(Device.compound.has(code=compound_code))
                .order_by(Device.id)
            ).all()
            assert len(rows) >= n
            return [(r[0], r[1]) for r in rows[:n]]
        finally:
            s.close()


def post_status(client, picks, status="faulty", kind="inspection", notes="", back="", **kw):
    return client.post(
        "/ledger/status",
        data={
            "device": [f"{i}:{v}" for i, v in picks],
            "status": status,
            "kind": kind,
            "notes": notes,
            "back": back,
        },
        **kw,
    )


def flashes(resp) -> list[str]:
    """``category:message`` of each flash on the page."""
    text = resp.get_data(as_text=True)
    found = re.findall(r'<p class="flash (\w+)" role="status">(.*?)</p>', text)
    return [f"{cat}:{html.unescape(msg)}" for cat, msg in found]


def test_bulk_status_logs_each_device_and_redirects_back(app, client, ids):
    login(client, "technician")
    picks = pick(app, ids["own_code"], "active", 3)
    before = state(app, [i for i, _ in picks])
    resp = post_status(client, picks, notes="storm damage", back="kind=camera&sort=code&page=1")
    assert resp.status_code == 302
    assert resp.headers["Location"].endswith("/ledger/?kind=camera&sort=code")
    after = state(app, [i for i, _ in picks])
    for i, _v in picks:
        assert after[i][0] == "faulty"
        assert after[i][1] > before[i][1]
        assert after[i][2] == before[i][2] + 1
    with app.app_context():
        s = _session(app)
        records = s.scalars(
            select(MaintenanceRecord).where(MaintenanceRecord.device_id.in_([i for i, _ in picks]))
        ).all()
        assert {(r.status_before, r.status_after, r.kind, r.notes, r.date) for r in records} == {
            ("active", "faulty", "inspection", "storm damage", date.today())
        }
        assert {r.technician for r in records} == {"维保技术员 Technician"}
        audit = s.scalars(
            select(AuditLog).where(
                AuditLog.entity == "devices", AuditLog.entity_id.in_([i for i, _ in picks])
            )
        ).all()
        assert {a.actor for a in audit if (a.after or {}).get("status") == "faulty"} == {
            "technician"
        }
        assert len([a for a in audit if (a.after or {}).get("status") == "faulty"]) == 3
        s.close()
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "已将 3 台设备的状态改为故障并登记维护" in page
    # the reload after the redirect repeats nothing; a re-sent form is a conflict
    client.get(resp.headers["Location"])
    resend = post_status(client, picks, notes="storm damage", follow_redirects=True)
    assert state(app, [i for i, _ in picks]) == after
    assert any(m.startswith("error:冲突") for m in flashes(resend)), flashes(resend)


def test_conflict_saves_nothing_and_names_the_device(app, client, ids):
    login(client, "technician")
    picks = pick(app, ids["own_code"], "active", 2)
    # someone else edits the second device after the list was shown
    with app.app_context():
        s = _session(app)
        d = s.get(Device, picks[1][0])
        d.name = "changed elsewhere"
        s.commit()
        code = d.code
        s.close()
    before = state(app, [i for i, _ in picks])
    resp = post_status(client, picks, follow_redirects=True)
    assert resp.status_code == 200
    assert state(app, [i for i, _ in picks]) == before
    (message,) = [m for m in flashes(resp) if m.startswith("error:")]
    assert "冲突" in message and code in message


def test_devices_already_in_the_status_are_not_logged(app, client, ids):
    login(client, "admin")
    faulty = pick(app, ids["own_code"], "faulty", 1)
    active = pick(app, ids["own_code"], "active", 1)
    before = state(app, [faulty[0][0], active[0][0]])
    resp = post_status(client, faulty + active, status="faulty", follow_redirects=True)
    after = state(app, [faulty[0][0], active[0][0]])
    assert after[faulty[0][0]] == before[faulty[0][0]]
    assert (
        after[active[0][0]][0] == "faulty" and after[active[0][0]][2] == before[active[0][0]][2] + 1
    )
    assert any("另有 1 台已是该状态" in m for m in flashes(resp)), flashes(resp)


def test_a_retired_device_in_the_selection_refuses_all(app, client, ids):
    login(client, "technician")
    picks = pick(app, ids["own_code"], "active", 2)
    with app.app_context():
        s = _session(app)
        d = s.get(Device, picks[0][0])
        d.status = "retired"
        s.commit()
        picks[0] = (d.id, d.version)
        s.close()
    before = state(app, [i for i, _ in picks])
    resp = post_status(client, picks, status="offline", follow_redirects=True)
    assert state(app, [i for i, _ in picks]) == before
    assert any("已报废" in m for m in flashes(resp)), flashes(resp)


@pytest.mark.parametrize("role", ["district", "planner", "manager"])
def test_bulk_status_forbidden_roles(app, client, ids, role):
    login(client, role)
    picks = pick(app, ids["own_code"], "active", 2)
    before = state(app, [i for i, _ in picks])
    assert post_status(client, picks).status_code == 403
    assert state(app, [i for i, _ in picks]) == before
    page = client.get("/ledger/").get_data(as_text=True)
    assert 'name="device"' not in page and "ledger-bulk" in page  # no checkboxes
    assert "批量修改" not in page


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"device": "1:x", "status": "faulty", "kind": "inspection"}, 400),
        ({"device": "999999:1", "status": "faulty", "kind": "inspection"}, 404),
    ],
)
def test_bulk_status_bad_selection(client, data, code):
    login(client, "technician")
    assert client.post("/ledger/status", data=data).status_code == code


def test_bulk_status_bad_values_change_nothing(app, client, ids):
    login(client, "technician")
    picks = pick(app, ids["own_code"], "active", 1)
    before = state(app, [picks[0][0]])
    for status, kind in (("retired", "inspection"), ("faulty", "painting"), ("", "")):
        resp = post_status(client, picks, status=status, kind=kind, follow_redirects=True)
        assert resp.status_code == 200
        assert state(app, [picks[0][0]]) == before
    resp = post_status(client, [], follow_redirects=True)
    assert any("请至少选择一台设备" in m for m in flashes(resp))


def test_maintenance_history_is_paged_with_status_and_technician(app, client, ids):
    device_id = ids["own_cam"]
    today = date.today()
    with app.app_context():
        s = _session(app)
        d = s.get(Device, device_id)
        statuses = ["active", "faulty", "offline"]
        for n in range(25):
            s.add(
                MaintenanceRecord(
                    device=d,
                    date=today - timedelta(days=n),
                    kind="repair" if n % 2 else "cleaning",
                    technician=f"Tech {n:02d}",
                    notes=f"visit {n:02d}",
                    status_before=statuses[n % 3],
                    status_after=statuses[(n + 1) % 3],
                )
            )
        s.commit()
        s.close()
    login(client, "manager")
    first = client.get(f"/devices/{device_id}").get_data(as_text=True)
    second = client.get(f"/devices/{device_id}?mpage=2").get_data(as_text=True)
    table = re.compile(
        r'<table class="table compact ledger-table" id="maintenance-table">(.*?)</table>', re.S
    )
    rows1 = re.findall(r"<tr>(\s*<td.*?)</tr>", table.search(first)[1], re.S)
    rows2 = re.findall(r"<tr>(\s*<td.*?)</tr>", table.search(second)[1], re.S)
    assert len(rows1) == 20 and len(rows2) == 5
    techs = [re.search(r"Tech (\d\d)", r)[1] for r in rows1 + rows2]
    assert techs == [f"{n:02d}" for n in range(25)], "newest first, every record once"
    assert "visit 00" in rows1[0] and "维修" in rows1[1] and "清洁" in rows1[0]
    assert re.search(r"正常.*故障", rows1[0], re.S) and re.search(r"故障.*离线", rows1[1], re.S)
    assert "第 1 页，共 2 页" in first and "mpage=2" in first
    assert client.get(f"/devices/{device_id}?mpage=99").status_code == 200


def test_change_during_the_request_is_a_conflict_not_a_500(app, client, ids, monkeypatch):
    """Someone commits a change to a selected device between the version check and the
    write: the row's version lock refuses it, the whole batch is rolled back."""
    import web.ledger_pages as pages

    login(client, "technician")
    picks = pick(app, ids["own_code"], "active", 2)
    real = pages.log_maintenance
    calls = []

    def meddling(*args, **kwargs):
        if not calls:
            with app.app_context():
                s = _session(app)
                other = s.get(Device, picks[1][0])
                other.name = "edited meanwhile"
                s.commit()
                s.close()
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pages, "log_maintenance", meddling)
    first_before = state(app, [picks[0][0]])
    resp = post_status(client, picks, status="offline", follow_redirects=True)
    assert resp.status_code == 200
    after = state(app, [i for i, _ in picks])
    assert [after[i][0] for i, _ in picks] == ["active", "active"]
    assert {picks[0][0]: after[picks[0][0]]} == first_before, "the first device rolled back too"
    assert len(calls) >= 1
    assert any(m.startswith("error:冲突") for m in flashes(resp)), flashes(resp)
