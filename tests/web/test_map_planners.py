"""The planners on the map: suggestions, routes and patrol JSON; target-plan jobs (docs/web.md)."""

from __future__ import annotations

import re
import time

import pytest
from shapely.geometry import LineString, Point, shape

from camwatch.registry.compounds import export_site
from tests.web.conftest import login
from web.db import new_session

JSON = {"Accept": "application/json"}


def _site(app, code):
    s = new_session(app)
    try:
        return export_site(s, code)
    finally:
        s.close()


def _wait(client, url, *, timeout=120.0):
    """Poll a job until it is no longer running; its last status."""
    end = time.monotonic() + timeout
    seen = []
    while time.monotonic() < end:
        status = client.get(url, headers=JSON).get_json()
        seen.append(status)
        if status["state"] != "running":
            return status, seen
        time.sleep(0.1)
    raise AssertionError(f"job still running after {timeout} s: {seen[-1]}")


# ---------------------------------------------------------------- suggestions, routes, patrol
def test_suggestions_carry_reasons_in_the_page_language(read_client, ids):
    login(read_client, "planner")
    cid = ids["xingfu-li"]
    en = read_client.get(f"/compounds/{cid}/suggestions.json", headers=JSON)
    assert en.status_code == 200
    items = en.get_json()["suggestions"]
    # the sample's main gate lacks identification coverage: the planner says so
    kinds = {s["type"] for s in items}
    assert "identification_camera" in kinds
    read_client.post("/language", data={"lang": "en"})
    en_items = read_client.get(f"/compounds/{cid}/suggestions.json", headers=JSON).get_json()
    read_client.post("/language", data={"lang": "zh"})
    zh_items = read_client.get(f"/compounds/{cid}/suggestions.json", headers=JSON).get_json()
    for e, z in zip(en_items["suggestions"], zh_items["suggestions"], strict=True):
        assert e["position"] == z["position"] and e["type"] == z["type"]
        name = e["about"].get("name") or ""
        assert e["reason"].replace(name, "").isascii(), e["reason"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in z["reason"].replace(name, "")), z["reason"]
        assert e["label"].isascii() and not z["label"].isascii()
    ident = next(s for s in en_items["suggestions"] if s["type"] == "identification_camera")
    assert f"{ident['coverage'] * 100:.0f} %" in ident["reason"]


def test_routes_and_patrol_match_the_planners(read_app, read_client, ids):
    from camwatch.geometry.coverage import analyze
    from planners.patrol import patrol_route
    from planners.routes import intruder_routes

    login(read_client, "planner")
    cid, code = ids["xingfu-li"], "xingfu-li"
    site = _site(read_app, code)
    analysis = analyze(site)
    routes = read_client.get(f"/compounds/{cid}/routes.json", headers=JSON).get_json()["routes"]
    expected = intruder_routes(site, analysis)
    assert [r["id"] for r in routes] == [r["id"] for r in expected]
    for got, want in zip(routes, expected, strict=True):
        assert got.get("path") == want.get("path") and got["building"] in got["text"]
    patrol = read_client.get(f"/compounds/{cid}/patrol.json", headers=JSON).get_json()
    want = patrol_route(site, analysis)
    assert patrol["length_m"] == want["length_m"] and patrol["path"] == want["path"]
    # the closed path: it returns to where it started, through every stop's point
    path = LineString(patrol["path"])
    assert patrol["path"][0] == patrol["path"][-1]
    for stop in patrol["stops"]:
        assert path.distance(Point(stop["point"])) < 1e-6
    assert f"{patrol['length_m']:.0f}" in patrol["text"]


def test_planned_cameras_change_what_the_routes_see(app, client, ids):
    """``planned=1`` counts planned cameras: accepting a plan never lengthens unseen walks."""
    login(client, "planner")
    cid = ids["xingfu-li"]
    before = client.get(f"/compounds/{cid}/routes.json?planned=1", headers=JSON).get_json()
    active_before = client.get(f"/compounds/{cid}/routes.json?planned=0", headers=JSON).get_json()
    plan = client.post(f"/compounds/{cid}/plan", json={"k": 3}, headers=JSON).get_json()
    body = {
        "suggestions": [
            {k: v for k, v in s.items() if k != "footprints"} for s in plan["suggestions"]
        ]
    }
    assert client.post(f"/compounds/{cid}/plan/accept", json=body).status_code == 201
    after = client.get(f"/compounds/{cid}/routes.json?planned=1", headers=JSON).get_json()
    seen_before = sum(r.get("seen_m", 0.0) for r in before["routes"])
    seen_after = sum(r.get("seen_m", 0.0) for r in after["routes"])
    assert seen_after > seen_before  # three more cameras watch more of the ways in
    # planned=0 ignores the new planned cameras
    active_after = client.get(f"/compounds/{cid}/routes.json?planned=0", headers=JSON).get_json()
    assert active_after["routes"] == active_before["routes"]


@pytest.mark.parametrize(
    "url, field",
    [
        ("routes.json?cell=9", "cell"),
        ("routes.json?cell=abc", "cell"),
        ("routes.json?cell=nan", "cell"),
        ("routes.json?planned=maybe", "planned"),
        ("suggestions.json?planned=2", "planned"),
        ("patrol.json?speed=0", "speed"),
        ("patrol.json?speed=-1", "speed"),
        ("patrol.json?min_area=-5", "min_area"),
        ("patrol.json?min_area=inf", "min_area"),
    ],
)
def test_bad_query_values_are_400_json(read_client, ids, url, field):
    login(read_client, "planner")
    resp = read_client.get(f"/compounds/{ids['xingfu-li']}/{url}")  # no Accept: still JSON
    assert resp.status_code == 400 and resp.is_json
    err = resp.get_json()["error"]
    assert err["field"] == field and err["status"] == 400 and field in err["message"]


# ---------------------------------------------------------------- target-plan jobs
@pytest.fixture
def tiny_id(app, client):
    import io
    import json

    from sqlalchemy import select

    from camwatch.registry.models import Compound
    from tests.web.sites import tiny_court

    login(client, "planner")
    data = {"site_file": (io.BytesIO(json.dumps(tiny_court()).encode()), "tiny-court.geojson")}
    assert (
        client.post("/compounds/import", data=data, content_type="multipart/form-data").status_code
        == 302
    )
    s = new_session(app)
    try:
        return s.scalar(select(Compound.id).where(Compound.code == "tiny-court"))
    finally:
        s.close()


def test_target_job_runs_to_a_plan_that_reaches_the_target(app, client, tiny_id):
    from camwatch.geometry.coverage import analyze

    start = client.post(
        f"/compounds/{tiny_id}/plan/jobs",
        json={"target": 0.9, "method": "greedy", "hfov": 90},
        headers=JSON,
    )
    assert start.status_code == 202
    job = start.get_json()
    assert job["state"] == "running" and job["options"]["target"] == 0.9
    status, seen = _wait(client, job["url"])
    assert status["state"] == "done", status
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress) and status["progress"] == 1.0
    plan = status["result"]
    # independent check: the site with the ghosts as planned cameras reaches 90 % detection
    site = _site(app, "tiny-court")
    from dataclasses import replace

    from camwatch.model import Camera

    cams = [
        Camera(
            id=s["id"],
            position=tuple(s["position"]),
            status="planned",
            height_m=s["height_m"],
            heading_deg=s["heading_deg"],
            tilt_deg=s["tilt_deg"],
            hfov_deg=s["hfov_deg"],
            resolution=tuple(s["resolution"]),
            range_m=s.get("range_m"),
        )
        for s in plan["suggestions"]
    ]
    after = analyze(replace(site, cameras=(*site.cameras, *cams)), include_planned=True)
    assert after.levels["detection"].ratio >= 0.9 - 1e-9
    assert plan["after"]["detection"] == pytest.approx(after.levels["detection"].ratio, abs=1e-6)
    # the tiny court's entrance zone cannot reach identification from any mount: named, with why
    for miss in plan["target"]["unreachable"]:
        assert miss.get("zone") and miss.get("reason")
    for s in plan["suggestions"]:
        assert s["gain_m2"] > 0 and "detection" in s["footprints"]
        fp = shape(s["footprints"]["detection"])
        assert fp.area > 0 and fp.distance(Point(s["position"])) < 10.0  # drawn beside its camera
    # the plan tab's "before" is named: active cameras as on the coverage tab, and planned ones
    cov = client.get(f"/compounds/{tiny_id}/coverage.json?planned=0", headers=JSON).get_json()
    for lv, r in plan["before_active"].items():
        assert r == cov["summary"]["levels"][lv]["ratio"]
    assert plan["planned_cameras"] == 0


def test_one_running_job_per_compound_and_cancel(app, client, ids):
    """A second start is 409 naming the running job; cancel stops it (no result)."""
    login(client, "planner")
    cid = ids["jinxiu-huating"]  # the large sample: its target plan takes seconds
    body = {"target": 0.99, "level": "recognition", "method": "auto"}
    first = client.post(f"/compounds/{cid}/plan/jobs", json=body, headers=JSON)
    assert first.status_code == 202
    job = first.get_json()
    second = client.post(f"/compounds/{cid}/plan/jobs", json=body, headers=JSON)
    assert second.status_code == 409
    assert second.get_json()["error"]["job"]["id"] == job["id"]
    cancel = client.post(job["cancel_url"], headers=JSON)
    assert cancel.status_code == 202 and cancel.get_json()["cancel_requested"] is True
    t0 = time.monotonic()
    status, _ = _wait(client, job["url"], timeout=60)
    assert status["state"] == "cancelled" and "result" not in status
    assert status["cancelled_by"] == "planner"
    assert time.monotonic() - t0 < 30
    # the compound is free again; cancelling a finished job changes nothing
    again = client.post(job["cancel_url"], headers=JSON)
    assert again.status_code == 202 and again.get_json()["state"] == "cancelled"
    third = client.post(f"/compounds/{cid}/plan/jobs", json=body, headers=JSON)
    assert third.status_code == 202
    client.post(third.get_json()["cancel_url"], headers=JSON)
    _wait(client, third.get_json()["url"], timeout=60)


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "target"),
        ({"target": 0}, "target"),
        ({"target": 95}, "target"),
        ({"target": "x"}, "target"),
        ({"target": True}, "target"),
        ({"target": 0.9, "level": "face"}, "level"),
        ({"target": 0.9, "hfov": 0}, "hfov"),
        ({"target": 0.9, "height": 80}, "height"),
        ({"target": 0.9, "method": "magic"}, "method"),
        ({"target": 0.9, "k": 3}, "k"),
        ([0.9], "body"),
    ],
)
def test_job_start_bad_values(client, ids, body, field):
    login(client, "planner")
    resp = client.post(f"/compounds/{ids['xingfu-li']}/plan/jobs", json=body, headers=JSON)
    assert resp.status_code == 400, resp.get_json()
    assert resp.get_json()["error"]["field"] == field
    assert client.application.extensions.get("plan_jobs") is None or not any(
        j.state == "running" for j in client.application.extensions["plan_jobs"]._jobs.values()
    )


def test_job_of_another_compound_is_404(client, ids):
    login(client, "planner")
    cid, other = ids["xingfu-li"], ids["nangang-cun"]
    start = client.post(
        f"/compounds/{cid}/plan/jobs", json={"target": 0.5, "method": "greedy"}, headers=JSON
    )
    job = start.get_json()
    elsewhere = client.get(f"/compounds/{other}/plan/jobs/{job['id']}", headers=JSON)
    assert elsewhere.status_code == 404 and elsewhere.get_json()["error"]["status"] == 404
    assert client.post(f"/compounds/{other}/plan/jobs/{job['id']}/cancel").status_code == 404
    assert client.get(job["url"], headers=JSON).get_json()["cancel_requested"] is False
    client.post(job["cancel_url"], headers=JSON)
    _wait(client, job["url"])


def test_job_roles(client, ids):
    """Roles as "Plan K cameras": admin and planner; a technician gets 403 JSON."""
    login(client, "technician")
    resp = client.post(
        f"/compounds/{ids['xingfu-li']}/plan/jobs", json={"target": 0.5}, headers=JSON
    )
    assert resp.status_code == 403 and resp.get_json()["error"]["status"] == 403


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_failed_job_says_why_in_the_page_language(client, ids, monkeypatch, lang):
    from web import plan_jobs

    monkeypatch.setattr(plan_jobs, "JOB_TIMEOUT_S", 0.0)  # overdue at its first checkpoint
    login(client, "planner")
    client.post("/language", data={"lang": lang})
    start = client.post(
        f"/compounds/{ids['xingfu-li']}/plan/jobs", json={"target": 0.5}, headers=JSON
    )
    status, _ = _wait(client, start.get_json()["url"])
    assert status["state"] == "failed" and status["error_kind"] == "timeout"
    message = status["message"]
    if lang == "zh":
        assert re.search(r"[\u4e00-\u9fff]", message) and not re.search(r"[A-Za-z]{3,}", message)
    else:
        assert message.startswith("The target plan did not finish")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_analysis_page_lists_the_planners_findings(read_client, ids, lang):
    """The analysis page shows the map's planner layers as tables, worded alike."""
    login(read_client, "manager")  # every role that sees the compound
    read_client.post("/language", data={"lang": lang})
    cid = ids["own"]
    items = read_client.get(f"/compounds/{cid}/suggestions.json", headers=JSON).get_json()
    routes = read_client.get(f"/compounds/{cid}/routes.json", headers=JSON).get_json()
    patrol = read_client.get(f"/compounds/{cid}/patrol.json", headers=JSON).get_json()
    # the JSON answers wait for the routes; the page waits briefly (tests/web/test_latency_*)
    html = read_client.get(f"/compounds/{cid}/analysis").get_data(as_text=True)
    from markupsafe import escape

    section = html[html.index('id="planner-devices"') :]
    assert items["suggestions"]
    for s in items["suggestions"]:
        assert str(escape(s["reason"])) in section
    for r in routes["routes"]:
        assert str(escape(r["text"])) in section
    assert str(escape(patrol["text"])) in section


def test_analysis_page_survives_a_failing_planner(read_client, ids, monkeypatch):
    import planners.patrol
    import planners.routes

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(planners.patrol, "patrol_route", broken)
    monkeypatch.setattr(planners.routes, "intruder_routes", broken)
    login(read_client, "planner")
    # a state no other test cached: the planned-cameras view of the other compound
    resp = read_client.get(f"/compounds/{ids['nangang-cun']}/analysis?planned=1")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert 'id="planner-routes"' in html and "boom" not in html
