"""Every route × every role: allowed and forbidden (one parametrised table).

Statuses: 200 page/JSON, 201 created, 302 redirect after a form, 400 bad
input *after* the permission check (proves access was granted), 403 role
forbidden, 404 a compound the manager may not see (ids do not leak).
Anonymous visitors are redirected to the login page (HTML) or get 401 (JSON).
"""

from __future__ import annotations

import pytest

from tests.web.conftest import ROLES, login

A, D, P, T, M = ROLES  # admin, district, planner, technician, manager


def every(status):
    return dict.fromkeys(ROLES, status)


def only(ok, allowed, other=403):
    return {r: (ok if r in allowed else other) for r in ROLES}


# (method, url, body kind, body, expected status per role)
TABLE = [
    ("GET", "/", None, None, every(302)),
    ("GET", "/login", None, None, every(302)),
    ("POST", "/login", "form", {"username": "nobody", "password": "wrong-password"}, every(401)),
    ("GET", "/account", None, None, every(200)),
    ("POST", "/account", "form", {"action": "issue"}, every(200)),
    ("POST", "/language", "form", {"lang": "en"}, every(302)),
    ("POST", "/logout", "form", {}, every(302)),
    ("GET", "/vendor/leaflet/leaflet.js", None, None, every(200)),
    ("GET", "/compounds/", None, None, {**every(200), M: 302}),
    ("GET", "/compounds/{own}", None, None, every(200)),
    ("GET", "/compounds/{other}", None, None, {**every(200), M: 404}),
    ("GET", "/compounds/{own}/map", None, None, every(200)),
    ("GET", "/compounds/{other}/map", None, None, {**every(200), M: 404}),
    ("GET", "/compounds/{own}/map.json", None, None, every(200)),
    ("GET", "/compounds/{other}/map.json", None, None, {**every(200), M: 404}),
    ("GET", "/compounds/{own}/coverage.json?planned=1", None, None, every(200)),
    ("GET", "/compounds/{other}/coverage.json", None, None, {**every(200), M: 404}),
    ("GET", "/compounds/{own}/footprint.json?camera={own_cam_code}", None, None, every(200)),
    ("GET", "/compounds/{own}/site.geojson", None, None, every(200)),
    ("GET", "/compounds/{other}/site.geojson", None, None, {**every(200), M: 404}),
    # reports (docs/reports.md); ?lang=xx is a 400 after the compound check (no PDF built)
    ("GET", "/compounds/{own}/report.pdf?lang=xx", None, None, every(400)),
    ("GET", "/compounds/{other}/report.pdf?lang=xx", None, None, {**every(400), M: 404}),
    ("GET", "/compounds/{own}/schedule.csv", None, None, every(200)),
    ("GET", "/compounds/{other}/schedule.xlsx", None, None, {**every(200), M: 404}),
    ("GET", "/district/report.pdf?lang=xx", None, None, only(400, (A, D, P))),
    ("GET", "/district/report.csv", None, None, only(200, (A, D, P))),
    ("POST", "/compounds/import", "form", {}, only(302, (A, P))),
    # plan editor and new compound (tests/web/test_editor*.py test them in depth)
    ("GET", "/compounds/{own}/editor", None, None, only(200, (A, P))),
    ("GET", "/compounds/{own}/editor/plan.json", None, None, only(200, (A, P))),
    (
        "POST",
        "/compounds/{own}/editor/plan",
        "json",
        {"version": 0, "features": []},  # stale version: refused after the role check
        only(409, (A, P)),
    ),
    # heights settings (tests/web/test_heights.py); version 0 is refused after the role check
    ("GET", "/compounds/{own}/settings", None, None, only(200, (A, P))),
    ("POST", "/compounds/{own}/settings", "json", {"version": 0}, only(400, (A, P))),
    ("GET", "/compounds/new", None, None, only(200, (A, P))),
    (
        "POST",
        "/compounds/new/draft",
        "form",
        {"source": "empty", "width": "50", "height": "40"},
        only(200, (A, P)),
    ),
    ("POST", "/compounds/new/create", "json", {"code": "", "site": {}}, only(400, (A, P))),
    ("POST", "/compounds/{other}/delete", "form", {"confirm": "wrong"}, only(302, (A,))),
    (
        "POST",
        "/compounds/{own}/devices",
        "json",
        {"kind": "camera", "x": "{x}", "y": "{y}", "status": "planned"},
        only(201, (A, P, T)),
    ),
    (
        "POST",
        "/compounds/{own}/devices",
        "json",
        {"kind": "camera", "x": "{x}", "y": "{y}", "status": "active"},
        only(201, (A, T)),
    ),
    (
        "POST",
        "/compounds/{other}/devices",
        "json",
        {"kind": "camera", "x": 1e6, "y": 1e6},  # far outside: refused after the role check
        {**only(400, (A, P, T)), M: 403},
    ),
    ("GET", "/devices/{own_cam}", None, None, every(200)),
    ("GET", "/devices/{other_cam}", None, None, {**every(200), M: 404}),
    ("PATCH", "/devices/{own_cam}", "json", {"version": 1, "name": "renamed"}, only(200, (A, T))),
    (
        "POST",
        "/devices/{own_cam}/edit",
        "form",
        {"version": "1", "name": "renamed"},
        only(302, (A, T)),
    ),
    (
        "POST",
        "/devices/{own_cam}/maintenance",
        "form",
        {"kind": "cleaning", "on": "{today}"},
        only(302, (A, T)),
    ),
    ("POST", "/devices/{own_cam}/maintenance", "json", {"kind": "cleaning"}, only(201, (A, T))),
    (
        "POST",
        "/devices/{own_cam}/retire",
        "form",
        {"reason": "broken beyond repair"},
        only(302, (A, T)),
    ),
    ("GET", "/compounds/{own}/findings", None, None, every(200)),
    ("GET", "/compounds/{other}/findings", None, None, {**every(200), M: 404}),
    (
        "POST",
        "/compounds/{own}/findings/problem",
        "form",
        {"key": "finding:NO-SUCH-RULE:"},  # unknown finding: back to the tab, nothing opened
        only(302, (A, P)),
    ),
    (
        "POST",
        "/compounds/{other}/findings/problem",
        "form",
        {"key": "finding:NO-SUCH-RULE:"},
        {**only(302, (A, P)), M: 403},
    ),
    ("POST", "/devices/{own_cam}/restore", "form", {}, only(302, (A, T))),
    ("GET", "/compounds/{own}/problem-refs.json", None, None, every(200)),
    ("GET", "/compounds/{other}/problem-refs.json", None, None, {**every(200), M: 404}),
    ("GET", "/compounds/{own}/analysis", None, None, every(200)),
    ("GET", "/compounds/{other}/analysis?planned=1", None, None, {**every(200), M: 404}),
    ("GET", "/compounds/{own}/problems/new?zone={own_zone}", None, None, only(200, (A, P))),
    ("POST", "/compounds/{own}/problems/new", "json", {"zone": "{own_zone}"}, only(201, (A, P))),
    ("POST", "/compounds/{own}/plan", "json", {"k": 0}, only(400, (A, P))),
    ("POST", "/compounds/{own}/plan/accept", "json", {"suggestions": []}, only(400, (A, P))),
    # planners on the map (tests/web/test_map_planners.py test them in depth)
    ("GET", "/compounds/{own}/suggestions.json", None, None, every(200)),
    ("GET", "/compounds/{other}/suggestions.json", None, None, {**every(200), M: 404}),
    ("GET", "/compounds/{own}/routes.json?cell=99", None, None, every(400)),
    ("GET", "/compounds/{other}/routes.json?cell=99", None, None, {**every(400), M: 404}),
    ("GET", "/compounds/{own}/patrol.json?speed=0", None, None, every(400)),
    ("POST", "/compounds/{own}/plan/jobs", "json", {"target": 2}, only(400, (A, P))),
    ("GET", "/compounds/{own}/plan/jobs/no-such-job", None, None, only(404, (A, P))),
    ("POST", "/compounds/{own}/plan/jobs/no-such-job/cancel", "json", {}, only(404, (A, P))),
    ("GET", "/problems/", None, None, every(200)),
    ("GET", "/problems/?status=unresolved&overdue=1", None, None, every(200)),
    ("GET", "/problems/{own_problem}", None, None, every(200)),
    ("GET", "/problems/{other_problem}", None, None, {**every(200), M: 404}),
    (
        "POST",
        "/problems/{own_problem}/status",
        "form",
        {"status": "in_progress"},
        only(302, (A, P, T, M)),
    ),
    (
        "POST",
        "/problems/{other_problem}/status",
        "form",
        {"status": "in_progress"},
        {**only(302, (A, P, T)), M: 404},
    ),
    (
        "POST",
        "/problems/{own_problem}/recheck",
        "form",
        {"passed": "yes", "result": "ok"},
        only(302, (A, P)),
    ),
    (
        "POST",
        "/problems/{own_problem}/edit",
        "form",
        {"responsible_unit": "Unit 2"},
        only(302, (A, P)),
    ),
    ("GET", "/problems/new", None, None, only(200, (A, P))),
    ("POST", "/problems/new", "form", {}, only(200, (A, P))),
    ("GET", "/inspections/", None, None, every(200)),
    ("GET", "/inspections/{inspection}", None, None, every(200)),
    ("GET", "/compounds/{own}/inspect", None, None, only(200, (A, P))),
    ("POST", "/compounds/{own}/inspect", "form", {"confirm": "y"}, only(302, (A, P))),
    # the ledger pages (tests/web/test_ledger*.py test them in depth)
    ("GET", "/ledger/", None, None, every(200)),
    ("GET", "/ledger/?compound={other_code}&overdue=1&sort=serial", None, None, every(200)),
    ("GET", "/ledger/export.csv", None, None, every(200)),
    ("GET", "/compounds/{own}/ledger", None, None, every(302)),
    ("GET", "/compounds/{other}/ledger", None, None, {**every(302), M: 404}),
    ("GET", "/ledger/import", None, None, only(200, (A, T))),
    ("GET", "/ledger/template.csv", None, None, only(200, (A, T))),
    ("POST", "/ledger/import", "form", {}, only(302, (A, T))),  # no file: back to the form
    ("POST", "/ledger/status", "form", {"status": "faulty"}, only(302, (A, T))),  # none selected
    ("GET", "/district/", None, None, only(200, (A, D, P))),
    ("GET", "/users", None, None, only(200, (A,))),
    ("GET", "/users/new", None, None, only(200, (A,))),
    (
        "POST",
        "/users/new",
        "form",
        {"username": "newbie", "password": "long-enough-1", "role": "technician", "language": "zh"},
        only(302, (A,)),
    ),
    ("GET", "/users/manager", None, None, only(200, (A,))),
    (
        "POST",
        "/users/manager",
        "form",
        {"role": "manager", "language": "en", "active": "y"},
        only(302, (A,)),
    ),
    ("POST", "/users/technician/deactivate", "form", {}, only(302, (A,))),
]

HTML_FOR_ANON = {
    "GET /vendor/leaflet/leaflet.js": 200,
    "GET /login": 200,
    "POST /login": 401,
    "POST /language": 302,
    "POST /logout": 302,
}


def _fill(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _coerce(_fill(v, ids)) for k, v in value.items()}
    return value


def _coerce(value):
    if isinstance(value, str):
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    return value


@pytest.fixture(scope="session")
def table_ids(ids):
    from datetime import date

    x, y = ids["free_xy"]
    return {**ids, "x": f"{x:.3f}", "y": f"{y:.3f}", "today": date.today().isoformat()}


def _request(client, method, url, kind, body):
    if kind == "json":
        resp = client.open(url, method=method, json=body, headers={"Accept": "application/json"})
    elif kind == "form":
        resp = client.open(url, method=method, data=body)
    else:
        resp = client.open(url, method=method)
    resp.get_data()  # read the body now, then release file-backed responses (static files)
    resp.close()
    return resp


def _label(row):
    return f"{row[0]} {row[1]} {'json' if row[2] == 'json' else ''}".strip()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", TABLE, ids=[_label(r) for r in TABLE])
def test_role_access(request, table_ids, row, role):
    method, url, kind, body, expected = row
    # requests that change nothing share one app; the others get a fresh copy of the ledger
    client = request.getfixturevalue("read_client" if method == "GET" else "client")
    login(client, role)
    resp = _request(
        client, method, _fill(url, table_ids), kind, _fill(body, table_ids) if body else body
    )
    assert resp.status_code == expected[role], (
        role,
        method,
        url,
        resp.status_code,
        resp.get_data(as_text=True)[:300],
    )
    if resp.status_code in (403, 404) and kind == "json":
        assert resp.is_json and resp.get_json()["error"]["status"] == resp.status_code


@pytest.mark.parametrize("row", TABLE, ids=[_label(r) for r in TABLE])
def test_anonymous(read_client, table_ids, row):
    method, url, kind, body, _ = row
    client = read_client
    resp = _request(
        client, method, _fill(url, table_ids), kind, _fill(body, table_ids) if body else body
    )
    key = f"{method} {url}"
    if key in HTML_FOR_ANON:
        assert resp.status_code == HTML_FOR_ANON[key]
    elif url == "/" or (method, url) == ("GET", "/compounds/"):
        assert resp.status_code == 302
    elif kind == "json":
        assert resp.status_code == 401
        assert resp.get_json()["error"]["code"] == "unauthorized"
    else:
        assert resp.status_code == 302
        assert "/login" in resp.headers["Location"]


def test_table_covers_every_route(read_app, table_ids):
    app = read_app
    """Every non-API route and method of the app appears in the table (API: test_api.py)."""
    adapter = app.url_map.bind("localhost")
    covered = set()
    for method, url, *_ in TABLE:
        endpoint, _args = adapter.match(_fill(url, table_ids).split("?")[0], method=method)
        covered.add((endpoint, method))
    missing = [
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith("/api/") and rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
        if (rule.endpoint, method) not in covered
    ]
    assert missing == [], missing
