"""The compound list's rows (web/list_rows.py): the same numbers as compound_status, and a
write seen on the next read."""

from __future__ import annotations

from flask import g

from tests.web.conftest import login
from web.ledger import compounds_for
from web.list_rows import list_rows
from web.summary import compound_status

KEYS = (
    "error",
    "cameras",
    "cameras_live",
    "camera_health",
    "open_problems",
    "overdue_problems",
    "compliant",
    "detection",
    "blind_spots",
    "blind_area",
    "key_uncovered",
    "zones_pass",
    "zones",
    "meets_standard",
    "findings",
)


def _rows(app, username: str = "admin") -> tuple[list[dict], list[dict]]:
    from camwatch.registry.models import User
    from web.db import db_session

    with app.test_request_context("/compounds/"):
        g.user = db_session().query(User).filter_by(username=username).one()
        compounds = compounds_for(g.user)
        fast = list_rows(compounds)
        slow = [compound_status(c) for c in compounds]
        for row in fast + slow:  # the session ends with the context
            row["compound"] = (row["compound"].id, row["compound"].code)
        return fast, slow


def test_list_rows_are_compound_status(app, ids):
    from camwatch.registry.db import make_engine, session_scope
    from camwatch.registry.problems import update_problem

    engine = make_engine(app.config["DATABASE_URL"])
    with session_scope(engine, actor="tests") as s:  # a fixed problem is not open any more
        update_problem(s, ids["own_problem"], status="fixed", actor="tests")
    engine.dispose()
    fast, slow = _rows(app)
    own = next(r for r in fast if r["compound"][0] == ids["own"])
    assert (own["open_problems"], own["overdue_problems"]) == (1, 1)
    assert len(fast) == len(slow) == 3
    assert any(r["overdue_problems"] for r in fast)  # the template's overdue problem counts
    for a, b in zip(fast, slow, strict=True):
        assert a["compound"] == b["compound"]
        for key in KEYS:
            assert a[key] == b[key], key


def test_a_write_is_on_the_next_list(app, client, ids):
    login(client, "technician")
    page = client.get("/compounds/").get_data(as_text=True)
    assert f'href="/compounds/{ids["own"]}"' in page
    own = ids["own_code"]
    before = next(r for r in _rows(app)[0] if r["compound"][1] == own)
    dev = client.get(f"/devices/{ids['own_cam']}", headers={"Accept": "application/json"})
    version = dev.get_json()["properties"]["version"]
    resp = client.patch(
        f"/devices/{ids['own_cam']}",
        json={"version": version, "status": "faulty"},
        headers={"Accept": "application/json"},
    )
    assert resp.status_code == 200, resp.get_json()
    after = next(r for r in _rows(app)[0] if r["compound"][1] == own)
    assert after["cameras"]["faulty"] == before["cameras"]["faulty"] + 1
    assert after["detection"] <= before["detection"]
    assert after["summary"] != before["summary"]
    page = client.get("/compounds/").get_data(as_text=True)
    assert f'href="/compounds/{ids["own"]}"' in page
