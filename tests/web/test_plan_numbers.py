"""Plan numbers that match (docs/web.md, "Plan numbers"): what "before" counts, the codes of
accepted cameras, the re-check form's current coverage and its empty default."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from camwatch.registry.models import Device, Problem
from tests.web.conftest import login
from web.codes import next_codes
from web.db import new_session

JSON = {"Accept": "application/json"}


def _levels(client, cid, planned):
    cov = client.get(f"/compounds/{cid}/coverage.json?planned={planned}", headers=JSON)
    return {lv: v["ratio"] for lv, v in cov.get_json()["summary"]["levels"].items()}


def _accept(client, cid, k):
    plan = client.post(f"/compounds/{cid}/plan", json={"k": k}, headers=JSON).get_json()
    body = {
        "suggestions": [
            {key: v for key, v in s.items() if key != "footprints"} for s in plan["suggestions"]
        ]
    }
    resp = client.post(f"/compounds/{cid}/plan/accept", json=body, headers=JSON)
    assert resp.status_code == 201
    return resp.get_json()["added"]


def test_plan_before_matches_the_coverage_tab(client, ids):
    """With planned cameras in the ledger, the plan answer names both figures, each equal to
    the coverage tab's (active only / "with planned" ticked)."""
    login(client, "planner")
    cid = ids["xingfu-li"]
    first = client.post(f"/compounds/{cid}/plan", json={"k": 1}, headers=JSON).get_json()
    assert first["planned_cameras"] == 0
    assert first["before"] == first["before_active"] == _levels(client, cid, 0)
    _accept(client, cid, 2)
    plan = client.post(f"/compounds/{cid}/plan", json={"k": 1}, headers=JSON).get_json()
    assert plan["planned_cameras"] == 2
    assert plan["before_active"] == _levels(client, cid, 0)  # the coverage tab, as it opens
    assert plan["before"] == _levels(client, cid, 1)  # the coverage tab with planned
    assert plan["before"]["detection"] > plan["before_active"]["detection"]


def test_accepted_cameras_continue_the_code_pattern(client, ids):
    login(client, "planner")
    cid = ids["xingfu-li"]  # cameras C01 … C06
    assert _accept(client, cid, 2) == ["C07", "C08"]
    login(client, "technician")
    resp = client.post(
        f"/compounds/{cid}/devices",
        json={"kind": "camera", "x": ids["free_xy"][0], "y": ids["free_xy"][1], "heading_deg": 0},
        headers=JSON,
    )
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["properties"]["code"] == "C09"
    s = new_session(client.application)
    try:
        codes = s.scalars(
            select(Device.code).where(Device.compound_id == cid, Device.kind == "camera")
        ).all()
    finally:
        s.close()
    assert all(re.fullmatch(r"C\d\d", c) for c in codes), codes


@pytest.mark.parametrize(
    "existing, kind, n, expected",
    [
        ([("camera", f"C{i:02d}") for i in range(1, 12)], "camera", 1, ["C12"]),
        ([("camera", "C01"), ("camera", "C07")], "camera", 2, ["C08", "C09"]),
        ([("camera", "C001"), ("camera", "C002")], "camera", 1, ["C003"]),
        ([("camera", "V01"), ("camera", "V15")], "camera", 1, ["C01"]),  # other prefix: width
        ([("camera", "C9"), ("gate", "G01")], "camera", 2, ["C10", "C11"]),
        ([("gate", "G1"), ("camera", "C01")], "gate", 1, ["G2"]),
        ([("camera", "C1"), ("camera", "C01")], "camera", 1, ["C02"]),  # never a taken code
        ([], "intercom", 1, ["I1"]),  # degenerate: nothing to continue
    ],
)
def test_next_codes(existing, kind, n, expected):
    assert next_codes(existing, kind, n) == expected


@pytest.fixture
def fixed_problem(client, ids):
    """A zone problem of the own compound moved to "fixed"; its id."""
    login(client, "planner")
    cid = ids["own"]
    resp = client.post(
        f"/compounds/{cid}/problems/new", json={"zone": ids["own_zone"]}, headers=JSON
    )
    pid = resp.get_json()["id"] if resp.status_code == 201 else resp.get_json()["id"]
    for status in ("in_progress", "fixed"):
        assert client.post(f"/problems/{pid}/status", data={"status": status}).status_code == 302
    return pid


def test_recheck_form_shows_coverage_and_preselects_nothing(client, ids, fixed_problem):
    html = client.get(f"/problems/{fixed_problem}").get_data(as_text=True)
    form = html[html.index('id="recheck-form"') :]
    select_html = form[form.index("<select") : form.index("</select>")]
    options = re.findall(r"<option([^>]*)value=\"([^\"]*)\"([^>]*)>", select_html)
    assert [o[1] for o in options][0] == ""  # an empty first choice ...
    assert not any("selected" in (a + b) for a, _v, b in options[1:])  # ... and nothing else set
    # today's numbers, as the analysis tab shows them (computed here from the JSON analysis)
    summary = client.get(f"/compounds/{ids['own']}/analysis", headers=JSON).get_json()
    now = html[html.index('id="recheck-now"') : html.index('id="recheck-form"')]
    for lv, v in summary["levels"].items():
        assert f'data-level="{lv}">{v["ratio"] * 100:.1f} %' in now
    zone = next(z for z in summary["zones"] if z["name"] == ids["own_zone"])
    assert f"{zone['ratio'] * 100:.1f} %" in now[now.index('id="recheck-zone"') :]


def test_recheck_without_a_result_changes_nothing(client, fixed_problem):
    resp = client.post(
        f"/problems/{fixed_problem}/recheck",
        # with a new deadline, so that a missing choice could not pass as "not fixed"
        data={"passed": "", "result": "looked at it", "new_deadline": "2099-01-31"},
        follow_redirects=True,
    )
    assert resp.status_code == 200
    assert "Choose the re-check result" in resp.get_data(
        as_text=True
    ) or "请选择复查结论" in resp.get_data(as_text=True)
    s = new_session(client.application)
    try:
        assert s.get(Problem, fixed_problem).status == "fixed"
    finally:
        s.close()
    ok = client.post(
        f"/problems/{fixed_problem}/recheck", data={"passed": "yes", "result": "camera added"}
    )
    assert ok.status_code == 302
    s = new_session(client.application)
    try:
        assert s.get(Problem, fixed_problem).status == "verified"
    finally:
        s.close()
