"""Hostile input to the API and the map's JSON routes: always a 400 JSON error naming the field.

Each case here answered 500 once: integers beyond 64 bits (``OverflowError``),
lone surrogates (``UnicodeEncodeError``, answered as plain text), deeply nested
JSON (``RecursionError``), lists or objects in text fields of the map's routes.
"""

from __future__ import annotations

import json

import pytest

from camwatch.registry.users import issue_token
from tests.web.conftest import login
from web.db import new_session

HUGE = 2**70
CUR = "<the record's current version>"  # replaced before sending: only the field at fault is bad
NESTED = "[" * 100_000 + "]" * 100_000
NESTED_OBJ = '{"name": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}"


@pytest.fixture
def token(app) -> str:
    s = new_session(app)
    try:
        out = issue_token(s, "admin", actor="tests")
        s.commit()
        return out
    finally:
        s.close()


def _send(client, method: str, path: str, body, headers=None, version=None):
    if isinstance(body, dict) and body.get("version") == CUR:
        body = {**body, "version": version}
    data = body if isinstance(body, str) else json.dumps(body)
    return client.open(
        path, method=method, data=data, content_type="application/json", headers=headers or {}
    )


def _assert_400_naming(resp, field: str | None) -> None:
    assert resp.status_code == 400, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert resp.is_json, resp.get_data(as_text=True)[:300]
    err = resp.get_json()["error"]
    assert err["status"] == 400 and err["code"] == "bad_request"
    if field is not None:
        assert field in err["message"], err["message"]
        assert err.get("field") == field, err


API_CASES = [
    # (method, path template, body, field named)
    ("PATCH", "/compounds/{code}/devices/{cam}", {"version": HUGE, "tilt_deg": 5}, "version"),
    ("PATCH", "/compounds/{code}/devices/{cam}", {"version": CUR, "focal_mm": 10**400}, "focal_mm"),
    ("PATCH", "/compounds/{code}/devices/{cam}", {"version": CUR, "x": -(10**400), "y": 1}, "x"),
    ("PATCH", "/compounds/{code}/devices/{cam}", {"version": CUR, "name": "\ud800"}, "name"),
    ("PATCH", "/compounds/{code}/devices/{cam}", {"version": CUR, "notes": "a\udfffb"}, "notes"),
    ("POST", "/compounds/{code}/devices", {"x": 1, "y": 2, "serial": "\ud800"}, "serial"),
    ("POST", "/compounds/{code}/devices", {"x": 1, "y": 2, "model": "a\x00b"}, "model"),
    (
        "POST",
        "/compounds/{code}/devices",
        {"x": 1, "y": 2, "properties": {"k": "\x00"}},
        "properties",
    ),
    ("POST", "/compounds/{code}/devices", {"x": 1, "y": 2, "resolution": [HUGE, 1]}, "resolution"),
    ("POST", "/compounds/{code}/devices", {"x": 1, "y": 2, "code": HUGE}, "code"),
    ("POST", "/compounds/{code}/devices", {"x": 1, "y": 2, "kind": ["camera"]}, "kind"),
    ("POST", "/compounds/{code}/devices", NESTED, None),
    ("POST", "/compounds/{code}/devices", NESTED_OBJ, None),
    ("PATCH", "/problems/{pid}", {"version": HUGE, "note": "x"}, "version"),
    ("PATCH", "/problems/{pid}", {"version": CUR, "note": "\ud800"}, "note"),
    (
        "POST",
        "/compounds/{code}/problems",
        {"description": "\ud800", "deadline": "2099-01-01"},
        "description",
    ),
    ("POST", "/problems/{pid}/recheck", {"version": HUGE, "passed": True}, "version"),
    ("POST", "/compounds/{code}/plan", NESTED, None),
]


@pytest.mark.parametrize(
    "method, path, body, field",
    API_CASES,
    ids=[f"{m} {p} {f or 'nested'}-{i}" for i, (m, p, _b, f) in enumerate(API_CASES)],
)
def test_api_hostile_body_is_400_naming_the_field(client, token, ids, method, path, body, field):
    path = "/api/v1" + path.format(
        code=ids["own_code"], cam=ids["own_cam_code"], pid=ids["own_problem"]
    )
    auth = {"Authorization": f"Bearer {token}"}
    record = path.split("/recheck")[0] if "/problems/" in path else path.split("/maintenance")[0]
    version = client.get(record, headers=auth).get_json().get("version")
    resp = _send(client, method, path, body, auth, version)
    _assert_400_naming(resp, field)


DEEP: dict = {}
for _ in range(40):  # deeper than web.api.fields.MAX_DEPTH, yet valid JSON
    DEEP = {"a": DEEP}
SUGGESTION = {"id": "P1", "position": [10, 10], "heading_deg": 90, "hfov_deg": 90}
PLAN_CASES = [
    ("POST", "/compounds/{cid}/plan", {"k": HUGE}, "k"),
    ("POST", "/compounds/{cid}/plan", {"k": 2.5}, "k"),
    ("POST", "/compounds/{cid}/plan", {"k": True}, "k"),
    ("POST", "/compounds/{cid}/plan", {"k": 0}, "k"),
    ("POST", "/compounds/{cid}/plan", {"k": 21}, "k"),
    ("POST", "/compounds/{cid}/plan", {"hfov": HUGE**6}, "hfov"),
    ("POST", "/compounds/{cid}/plan", {"hfov": float("nan")}, "hfov"),
    ("POST", "/compounds/{cid}/plan", {"hfov_deg": float("inf")}, "hfov_deg"),
    ("POST", "/compounds/{cid}/plan", {"hfov": 0.5}, "hfov"),  # the web's 1° floor
    ("POST", "/compounds/{cid}/plan", {"height": 0.05}, "height"),  # the core's 0.1 m floor
    ("POST", "/compounds/{cid}/plan", {"height_m": 60}, "height_m"),  # the web's 50 m cap
    ("POST", "/compounds/{cid}/plan", {"tilt": 91}, "tilt"),
    ("POST", "/compounds/{cid}/plan", {"range": 600}, "range"),
    ("POST", "/compounds/{cid}/plan", {"range_m": -1}, "range_m"),
    ("POST", "/compounds/{cid}/plan", {"resolution": [100, 100]}, "resolution"),
    ("POST", "/compounds/{cid}/plan", {"resolution": [HUGE, 1080]}, "resolution"),
    ("POST", "/compounds/{cid}/plan", {"resolution": "\ud800x1"}, "resolution"),
    ("POST", "/compounds/{cid}/plan", {"level": ["detection"]}, "level"),
    ("POST", "/compounds/{cid}/plan", {"method": {"a": 1}}, "method"),
    ("POST", "/compounds/{cid}/plan", {"level": "\udfff"}, "level"),
    ("POST", "/compounds/{cid}/plan", {"k": 2, "colour": "red"}, "colour"),
    ("POST", "/compounds/{cid}/plan", [1, 2], "body"),
    ("POST", "/compounds/{cid}/plan/accept", {}, "suggestions"),
    ("POST", "/compounds/{cid}/plan/accept", {"suggestions": []}, "suggestions"),
    ("POST", "/compounds/{cid}/plan/accept", {"suggestions": {"a": 1}}, "suggestions"),
    ("POST", "/compounds/{cid}/plan/accept", {"suggestions": ["x"]}, "suggestions[0]"),
    ("POST", "/compounds/{cid}/plan/accept", {"suggestions": [SUGGESTION], "x": 1}, "x"),
    *(
        (
            "POST",
            "/compounds/{cid}/plan/accept",
            {"suggestions": [{**SUGGESTION, **bad}]},
            f"suggestions[0].{key}",
        )
        for key, bad in (
            ("position", {"position": [HUGE, 1]}),
            ("position", {"position": [float("nan"), 1]}),
            ("position", {"position": [1, 2, 3]}),
            ("position", {"position": "1,2"}),
            ("heading_deg", {"heading_deg": HUGE}),
            ("hfov_deg", {"hfov_deg": 400}),
            ("height_m", {"height_m": [3]}),
            ("focal_mm", {"focal_mm": 1e308}),
            ("range_m", {"range_m": 5000}),
            ("resolution", {"resolution": [20001, 10]}),
            ("id", {"id": ["P1"]}),
            ("model", {"model": {"a": "b"}}),
            ("lens", {"lens": "\ud800"}),
            ("footprints", {"footprints": DEEP}),
            ("colour", {"colour": "red"}),
        )
    ),
    ("POST", "/compounds/{cid}/problems/new", {"blind_spot": ["B1"]}, "blind_spot"),
    ("POST", "/compounds/{cid}/problems/new", {"zone": {"a": 1}}, "zone"),
    ("POST", "/compounds/{cid}/problems/new", {"zone": "\ud800"}, "zone"),
    ("POST", "/compounds/{cid}/problems/new", {"zone": "x" * 5000}, "zone"),
    ("POST", "/compounds/{cid}/problems/new", {"blind_spot": "B1", "deadline": HUGE}, "deadline"),
    (
        "POST",
        "/compounds/{cid}/problems/new",
        {"blind_spot": "B1", "deadline": "2026-13-40"},
        "deadline",
    ),
    (
        "POST",
        "/compounds/{cid}/problems/new",
        {"blind_spot": "B1", "description": ["a"]},
        "description",
    ),
    (
        "POST",
        "/compounds/{cid}/problems/new",
        {"blind_spot": "B1", "responsible_unit": 5},
        "responsible_unit",
    ),
    ("POST", "/compounds/{cid}/problems/new", {"blind_spot": "B1", "ref_key": "zone:x"}, "ref_key"),
    ("POST", "/compounds/{cid}/problems/new", NESTED_OBJ, None),
]
WEB_CASES = [
    ("PATCH", "/devices/{cam}", {"version": CUR, "name": ["a", "b"]}, "name"),
    ("PATCH", "/devices/{cam}", {"version": CUR, "model": {"a": 1}}, "model"),
    ("PATCH", "/devices/{cam}", {"version": CUR, "notes": {"a": 1}}, "notes"),
    ("PATCH", "/devices/{cam}", {"version": CUR, "status": ["active"]}, "status"),
    ("PATCH", "/devices/{cam}", {"version": CUR, "install_date": [2024]}, "install_date"),
    ("PATCH", "/devices/{cam}", {"version": HUGE, "tilt_deg": 5}, "version"),
    ("PATCH", "/devices/{cam}", {"version": CUR, "heading_deg": HUGE**6}, "heading_deg"),
    ("PATCH", "/devices/{cam}", {"version": CUR, "name": "\ud800"}, "name"),
    ("PATCH", "/devices/{cam}", NESTED, None),
    ("POST", "/compounds/{cid}/devices", {"x": 1, "y": 2, "name": ["x"]}, "name"),
    ("POST", "/compounds/{cid}/devices", {"x": 1, "y": 2, "serial": {"a": 1}}, "serial"),
    ("POST", "/compounds/{cid}/devices", {"x": 1, "y": 2, "code": ["C9"]}, "code"),
    ("POST", "/compounds/{cid}/devices", {"x": 1, "y": 2, "install_date": {}}, "install_date"),
    ("POST", "/compounds/{cid}/devices", {"x": 1, "y": 2, "kind": {"a": 1}}, "kind"),
    ("POST", "/compounds/{cid}/devices", {"x": 1, "y": 2, "status": ["planned"]}, "status"),
    ("POST", "/compounds/{cid}/devices", {"x": 1, "y": 2, "name": "\udc00"}, "name"),
    ("POST", "/compounds/{cid}/devices", NESTED_OBJ, None),
    ("POST", "/devices/{cam}/maintenance", {"kind": ["repair"]}, "kind"),
    ("POST", "/devices/{cam}/maintenance", {"kind": "repair", "notes": ["x"]}, "notes"),
    ("POST", "/devices/{cam}/maintenance", {"kind": "repair", "version": HUGE}, "version"),
    # the map's planning routes (web.analysis, web.plan_routes) load their bodies by
    # web.api.plan_schemas
    ("POST", "/compounds/{cid}/plan", NESTED, None),
    ("POST", "/compounds/{cid}/plan/accept", NESTED_OBJ, None),
    (
        "POST",
        "/compounds/{cid}/plan/accept",
        {"suggestions": [{"position": [1, 2], "id": "\ud800"}]},
        "suggestions[0].id",
    ),
    *PLAN_CASES,
]


@pytest.mark.parametrize(
    "method, path, body, field",
    WEB_CASES,
    ids=[f"{m} {p} {f or 'nested'}-{i}" for i, (m, p, _b, f) in enumerate(WEB_CASES)],
)
def test_map_json_hostile_body_is_400_naming_the_field(client, ids, method, path, body, field):
    login(client, "admin")
    path = path.format(cid=ids["own"], cam=ids["own_cam"])
    version = client.get(
        f"/devices/{ids['own_cam']}", headers={"Accept": "application/json"}
    ).get_json()["properties"]["version"]
    resp = _send(client, method, path, body, version=version)
    _assert_400_naming(resp, field)


def test_api_json_is_not_stored(client, token, ids):
    auth = {"Authorization": f"Bearer {token}"}
    ok = client.get(f"/api/v1/compounds/{ids['own_code']}", headers=auth)
    assert ok.status_code == 200 and ok.headers["Cache-Control"] == "no-store"
    err = client.get("/api/v1/compounds/nope", headers=auth)
    assert err.status_code == 404 and err.headers["Cache-Control"] == "no-store"
    assert client.get("/api/v1/compounds").headers["Cache-Control"] == "no-store"  # 401
    assert client.get("/api/v1/openapi.json").headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "raw, message",
    [
        (NESTED, "body is nested too deeply"),
        ("{not json", "body is not valid JSON ("),
        ("[1, 2]", "body must be a JSON object"),
    ],
)
def test_a_bad_body_is_worded_once(client, token, ids, raw, message):
    """The field name starts the message once ("body is …", not "body the request body …")."""
    path = f"/api/v1/compounds/{ids['own_code']}/devices"
    resp = client.post(
        path,
        data=raw,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    _assert_400_naming(resp, "body")
    assert resp.get_json()["error"]["message"].startswith(message)
