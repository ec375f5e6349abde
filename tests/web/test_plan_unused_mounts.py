"""A plan names the mount spots it could not use (docs/web.md, "Plan numbers"): worded in
the reader's language on the map's plan tab and in a target plan's result, English in the
API's plan object; nothing when every mount is usable."""

from __future__ import annotations

import re
import time

import pytest

from tests.web.sites import _f, tiny_court
from tests.web.test_heights import _import, _lang
from web.db import new_session

JSON = {"Accept": "application/json"}
# the mount's number is its feature's in the compound's plan
REMARK = {
    "en": r"mount #\d+ 'in the block' at \(20, 15\) is not in free space",
    "zh": r"安装点 #\d+ 'in the block' 位于 \(20, 15\)，不在可通行空间内",
}


def _said(remarks: list[str], lang: str) -> bool:
    return len(remarks) == 1 and re.fullmatch(REMARK[lang], remarks[0]) is not None


def _court(with_bad_mount: bool) -> dict:
    """The tiny court with mounts: one on the boundary, and (maybe) one inside Block A."""
    site = tiny_court("mount-court")
    site["features"].append(_f("mount", {"type": "Point", "coordinates": [20, 30]}, name="north"))
    if with_bad_mount:
        site["features"].append(
            _f("mount", {"type": "Point", "coordinates": [20, 15]}, name="in the block")
        )
    return site


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_plan_tab_says_which_mounts_were_not_used(app, client, lang):
    cid = _import(app, client, _court(True))
    _lang(client, lang)
    plan = client.post(f"/compounds/{cid}/plan", json={"k": 1}, headers=JSON).get_json()
    assert _said(plan["unused_mounts"], lang), plan["unused_mounts"]
    assert len(plan["suggestions"]) == 1  # the usable mount still holds a camera


def test_a_plan_with_usable_mounts_has_no_remarks(app, client):
    cid = _import(app, client, _court(False))
    plan = client.post(f"/compounds/{cid}/plan", json={"k": 1}, headers=JSON).get_json()
    assert plan["unused_mounts"] == []


def test_the_api_plan_says_it_in_english(app, client):
    from camwatch.registry.users import issue_token

    _import(app, client, _court(True))
    _lang(client, "zh")
    s = new_session(app)
    try:
        token = issue_token(s, "planner", actor="tests")
        s.commit()
    finally:
        s.close()
    resp = client.post(
        "/api/v1/compounds/mount-court/plan",
        json={"k": 1},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200
    assert _said(resp.get_json()["unused_mounts"], "en")


def test_a_target_plan_says_it_in_the_readers_language(app, client):
    cid = _import(app, client, _court(True))
    _lang(client, "zh")
    start = client.post(f"/compounds/{cid}/plan/jobs", json={"target": 0.5}, headers=JSON)
    assert start.status_code == 202
    status = start.get_json()
    deadline = time.monotonic() + 120
    while status["state"] not in ("done", "failed", "cancelled") and time.monotonic() < deadline:
        time.sleep(0.2)
        status = client.get(status["url"], headers=JSON).get_json()
    assert status["state"] == "done", status
    assert _said(status["result"]["unused_mounts"], "zh")
