"""The REST API: token auth, resources, JSON errors, and the OpenAPI document in sync."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from camwatch.registry.users import issue_token
from tests.web.conftest import ROLES
from web.api import openapi_document
from web.db import new_session


@pytest.fixture
def tokens(app) -> dict[str, str]:
    s = new_session(app)
    try:
        out = {role: issue_token(s, role, actor="tests") for role in ROLES}
        s.commit()
        return out
    finally:
        s.close()


@pytest.fixture
def api(client, tokens):
    def call(method, path, role="admin", **kw):
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kw)

    return call


def test_openapi_lists_exactly_the_routes(app, client):
    served = client.get("/api/v1/openapi.json").get_json()
    assert served["paths"] == openapi_document(app)["paths"]
    documented = {
        (path, method.upper())
        for path, item in served["paths"].items()
        for method in item
        if method in ("get", "post", "patch", "put", "delete")
    }
    registered = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule[len("/api/v1/") :])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            registered.add((path, method))
    assert documented == registered


def test_openapi_document_is_valid_3_0(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.0")
    refs = set(re.findall(r'"#/components/schemas/(\w+)"', str(doc).replace("'", '"')))
    assert refs <= set(doc["components"]["schemas"])
    for item in doc["paths"].values():
        for method, op in item.items():
            if method == "parameters":
                continue
            assert op["responses"], op["summary"]


@pytest.mark.parametrize(
    "header", [None, "Bearer", "Bearer nope", "Basic YWRtaW46YWRtaW4tZGVtbw=="]
)
def test_token_required(client, header):
    resp = client.get("/api/v1/compounds", headers={"Authorization": header} if header else {})
    assert resp.status_code == 401
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")
    assert resp.get_json()["error"]["code"] == "unauthorized"


def test_session_cookie_is_not_api_auth(client, api):
    from tests.web.conftest import login

    login(client, "admin")
    assert client.get("/api/v1/compounds").status_code == 401


def test_compounds_by_role(api, ids):
    assert len(api("GET", "/compounds").get_json()["compounds"]) == 3
    mine = api("GET", "/compounds", role="manager").get_json()["compounds"]
    assert [c["code"] for c in mine] == [ids["own_code"]]
    assert api("GET", f"/compounds/{ids['other_code']}", role="manager").status_code == 404
    assert (
        api("GET", f"/compounds/{ids['own_code']}", role="manager").get_json()["code"]
        == ids["own_code"]
    )
    site = api("GET", f"/compounds/{ids['own_code']}/site", role="manager").get_json()
    assert site["type"] == "FeatureCollection" and site["site"]["id"] == ids["own_code"]


def test_devices_list_add_update_conflict(api, ids):
    code = ids["own_code"]
    cams = api("GET", f"/compounds/{code}/devices?kind=camera").get_json()["devices"]
    assert cams and all(d["kind"] == "camera" for d in cams)
    assert api("GET", f"/compounds/{code}/devices?kind=robot").status_code == 400
    x, y = ids["free_xy"]
    resp = api(
        "POST",
        f"/compounds/{code}/devices",
        role="technician",
        json={"code": "API-1", "x": x, "y": y, "heading_deg": 90},
    )
    assert resp.status_code == 201 and resp.headers["Location"].endswith("/devices/API-1")
    dev = resp.get_json()
    assert dev["properties"]["heading_deg"] == 90 and dev["version"] == 1
    same = api(
        "POST",
        f"/compounds/{code}/devices",
        role="technician",
        json={"code": "API-1", "x": x, "y": y},
    )
    message = same.get_json()["error"]["message"]  # worded in the caller's language (zh here)
    assert same.status_code == 400 and "已有设备 'API-1'" in message
    ok = api(
        "PATCH",
        f"/compounds/{code}/devices/API-1",
        role="technician",
        json={"version": 1, "tilt_deg": 30},
    )
    assert ok.status_code == 200 and ok.get_json()["version"] == 2
    stale = api(
        "PATCH",
        f"/compounds/{code}/devices/API-1",
        role="technician",
        json={"version": 1, "tilt_deg": 40},
    )
    assert stale.status_code == 409 and stale.get_json()["current"]["properties"]["tilt_deg"] == 30
    assert (
        api(
            "PATCH",
            f"/compounds/{code}/devices/API-1",
            role="district",
            json={"version": 2, "tilt_deg": 40},
        ).status_code
        == 403
    )
    assert (
        api(
            "PATCH", f"/compounds/{code}/devices/API-1", role="technician", json={"tilt_deg": 40}
        ).status_code
        == 400
    )
    assert api("GET", f"/compounds/{code}/devices/NOPE").status_code == 404


def test_planner_adds_only_planned_devices(api, ids):
    code = ids["own_code"]
    x, y = ids["free_xy"]
    assert (
        api("POST", f"/compounds/{code}/devices", role="planner", json={"x": x, "y": y}).status_code
        == 403
    )
    resp = api(
        "POST",
        f"/compounds/{code}/devices",
        role="planner",
        json={"x": x, "y": y, "status": "planned"},
    )
    assert resp.status_code == 201 and resp.get_json()["status"] == "planned"


def test_maintenance(api, ids):
    code, cam = ids["own_code"], ids["own_cam_code"]
    resp = api(
        "POST",
        f"/compounds/{code}/devices/{cam}/maintenance",
        role="technician",
        json={"kind": "repair", "status_after": "offline", "notes": "power cut"},
    )
    assert resp.status_code == 201
    body = resp.get_json()
    assert body["status_before"] == "active" and body["device"]["status"] == "offline"
    assert (
        api(
            "POST",
            f"/compounds/{code}/devices/{cam}/maintenance",
            role="manager",
            json={"kind": "repair"},
        ).status_code
        == 403
    )
    bad = api(
        "POST",
        f"/compounds/{code}/devices/{cam}/maintenance",
        role="technician",
        json={"kind": "repair", "date": "yesterday"},
    )
    assert bad.status_code == 400 and "date" in bad.get_json()["error"]["message"]


def test_analysis_and_plan(api, ids):
    data = api("GET", f"/compounds/{ids['own_code']}/analysis", role="manager").get_json()
    assert set(data) == {
        "site",
        "monitored_area_m2",
        "levels",
        "blind_spots",
        "zones",
        "cameras",
        "compliant",
        # the standing model (the default, docs/site-format.md §4) names itself
        "coverage_model",
        "target_height_m",
    }
    assert data["coverage_model"] == "standing"
    assert (
        api("GET", f"/compounds/{ids['own_code']}/analysis?include_planned=maybe").status_code
        == 400
    )
    assert (
        api(
            "POST", f"/compounds/{ids['own_code']}/plan", role="technician", json={"k": 1}
        ).status_code
        == 403
    )
    assert (
        api(
            "POST", f"/compounds/{ids['own_code']}/plan", role="planner", json={"k": "three"}
        ).status_code
        == 400
    )


def test_problems_api_life_cycle(api, ids):
    code = ids["own_code"]
    deadline = (date.today() + timedelta(days=14)).isoformat()
    resp = api(
        "POST",
        f"/compounds/{code}/problems",
        role="planner",
        json={
            "description": "Dark corner behind block 3",
            "deadline": deadline,
            "source": "patrol",
            "responsible_unit": "Property office",
        },
    )
    assert resp.status_code == 201
    p = resp.get_json()
    assert p["status"] == "open" and not p["overdue"] and p["history"][0]["action"] == "opened"
    assert (
        api(
            "POST",
            f"/compounds/{code}/problems",
            role="district",
            json={"description": "x", "deadline": deadline},
        ).status_code
        == 403
    )
    fixed = api(
        "PATCH",
        f"/problems/{p['id']}",
        role="manager",
        json={"version": p["version"], "status": "fixed", "note": "lamp"},
    )
    assert fixed.status_code == 200 and fixed.get_json()["status"] == "fixed"
    stale = api(
        "PATCH",
        f"/problems/{p['id']}",
        role="manager",
        json={"version": p["version"], "status": "in_progress"},
    )
    assert stale.status_code == 409
    wrong = api(
        "POST",
        f"/problems/{p['id']}/recheck",
        role="manager",
        json={"version": 2, "passed": True, "result": "ok"},
    )
    assert wrong.status_code == 403
    done = api(
        "POST",
        f"/problems/{p['id']}/recheck",
        role="planner",
        json={"version": fixed.get_json()["version"], "passed": True, "result": "lit"},
    )
    assert done.status_code == 200 and done.get_json()["status"] == "verified"
    overdue = api("GET", "/problems?overdue=true", role="manager").get_json()["problems"]
    assert [q["description"] for q in overdue] == ["Gate camera faulty"] and overdue[0]["overdue"]
    assert api("GET", f"/problems/{ids['other_problem']}", role="manager").status_code == 404
    assert api("GET", f"/problems?compound={ids['other_code']}", role="manager").status_code == 404


@pytest.mark.parametrize(
    "method, path, body",
    [
        ("POST", "/compounds/{code}/devices", "not json"),
        ("POST", "/compounds/{code}/devices", [1, 2]),
        ("POST", "/compounds/{code}/devices", {"x": "a", "y": 1}),
        ("POST", "/compounds/{code}/devices", {"x": 1, "y": 2, "install_date": "2024-13-01"}),
        ("POST", "/compounds/{code}/devices", {"x": 1, "y": 2, "resolution": [1, 2, 3]}),
        ("POST", "/compounds/{code}/devices", {"geometry": "here"}),
        ("POST", "/compounds/{code}/problems", {"description": "x"}),
        ("POST", "/compounds/{code}/problems", {"description": 5, "deadline": "2099-01-01"}),
        ("POST", "/compounds/{code}/plan", {"k": 1.5}),
        ("PATCH", "/problems/1", {"version": "1"}),
        ("POST", "/problems/1/recheck", {"version": 1, "passed": "yes", "result": "x"}),
    ],
)
def test_bad_input_is_json_4xx(api, ids, method, path, body):
    path = path.format(code=ids["own_code"])
    kw = (
        {"data": body, "content_type": "application/json"}
        if isinstance(body, str)
        else {"json": body}
    )
    resp = api(method, path, **kw)
    assert 400 <= resp.status_code < 500
    assert resp.is_json and resp.get_json()["error"]["status"] == resp.status_code
    assert "Traceback" not in resp.get_data(as_text=True)


def test_unknown_api_path_and_method(api):
    resp = api("GET", "/nothing-here")
    assert resp.status_code == 404 and resp.is_json
    resp = api("DELETE", "/compounds")
    assert resp.status_code == 405 and resp.is_json and "GET" in resp.headers["Allow"]


def test_openapi_and_index_are_public(client):
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/").get_json()["openapi"].endswith("openapi.json")
