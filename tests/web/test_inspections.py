"""The inspection page records rule results (docs/web.md, docs/standards.md).

Oracles run as commands in their own process: ``camwatch check COMPOUND
--json`` for what the page must show, ``camwatch inspect COMPOUND --json`` for
what it must record; the profile's rules are read from the shipped TOML file.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import func, select

from camwatch.registry.models import Inspection
from tests.web.conftest import ROLES, login
from tests.web.test_findings import cli_check, get, page_text
from web.db import new_session

REPO = Path(__file__).resolve().parents[2]
NATIONAL = tomllib.loads((REPO / "camwatch/standards/national.toml").read_text("utf-8"))
KEPT = ["blind_spots", "device_health", "problems"]  # docs/standards.md


def cli_inspect(db_file, code: str, *extra: str) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "camwatch",
            "inspect",
            code,
            "--json",
            "--db",
            f"sqlite:///{db_file}",
        ]
        + list(extra),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def form_of(html: str) -> dict[str, str]:
    """The hidden fields of the inspection form (token, digest)."""
    fields = dict(re.findall(r'<input[^>]*name="(token|digest)"[^>]*value="([^"]*)"', html))
    assert set(fields) == {"token", "digest"}, fields
    return fields


def rows_of(html: str) -> dict[str, tuple[bool, int]]:
    """Item key → (passed, number of findings) as the page shows them."""
    out = {}
    for key, passed, body in re.findall(
        r'<tr class="rule-result" data-key="([^"]+)" data-passed="(yes|no)">(.*?)</tr>', html, re.S
    ):
        count = re.findall(r'<td class="num hide-phone">(\d+)</td>', body)
        out[unescape(key)] = (passed == "yes", int(count[0]))
    return out


def n_inspections(app) -> int:
    s = new_session(app)
    try:
        return s.scalar(select(func.count(Inspection.id)))
    finally:
        s.close()


def latest(app) -> Inspection:
    s = new_session(app)
    try:
        return s.scalars(select(Inspection).order_by(Inspection.id.desc())).first()
    finally:
        s.close()


@pytest.fixture
def planner(client):
    login(client, "planner")
    return client


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_shows_every_rule_of_the_profile_with_its_findings(planner, db_path, ids, lang):
    checked = cli_check(db_path, ids["own_code"])
    assert checked["profile"] == NATIONAL["name"]
    html = get(planner, f"/compounds/{ids['own']}/inspect", lang)
    rows = rows_of(html)
    assert list(rows) == [f"rule:{r}" for r in NATIONAL["rules"]] + KEPT
    for rule_id in NATIONAL["rules"]:
        n = sum(1 for f in checked["findings"] if f["rule"] == rule_id)
        assert rows[f"rule:{rule_id}"] == (n == 0, n), rule_id
    text = page_text(html)
    for f in checked["findings"]:
        assert f["message"][lang] in text
    verdict = {"zh": ("合格", "不合格"), "en": ("Passed", "Failed")}[lang]
    assert verdict[0] in text or verdict[1] in text
    if lang == "zh":
        assert "按标准逐条检查验收" in text
        words = set(re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text))
        allowed = {"national", "shanghai", "camwatch", "DORI", "EN", "GB", "DB31"}
        leftover = {w for w in words if w not in allowed and not w.isupper()}
        for code in re.findall(r"<code[^>]*>([^<]*)</code>", html):  # ids, parameters
            leftover -= set(re.findall(r"[A-Za-z][A-Za-z'-]{2,}", code))
        site = planner.get(f"/compounds/{ids['own']}/site.geojson").get_json()
        names = " ".join(
            str(v)
            for f in site["features"]
            for k, v in f["properties"].items()
            if k in ("id", "name")
        )
        leftover -= set(re.findall(r"[A-Za-z][A-Za-z'-]{2,}", names))
        assert not leftover, sorted(leftover)


def test_cli_and_web_record_the_same_items(planner, app, db_path, ids):
    code = ids["own_code"]
    by_cli = cli_inspect(db_path, code)
    page = planner.get(f"/compounds/{ids['own']}/inspect").get_data(as_text=True)
    resp = planner.post(f"/compounds/{ids['own']}/inspect", data={"confirm": "y", **form_of(page)})
    assert resp.status_code == 302
    by_web = latest(app)
    assert by_web.id != by_cli["id"]
    assert by_web.items == by_cli["items"]
    assert (by_web.score, by_web.passed) == (by_cli["score"], by_cli["passed"])
    assert [i["key"] for i in by_web.items] == [f"rule:{r}" for r in NATIONAL["rules"]] + KEPT


def test_notes_are_kept_per_item_and_overall(planner, app, ids):
    url = f"/compounds/{ids['own']}/inspect"
    page = planner.get(url).get_data(as_text=True)
    data = {
        "confirm": "y",
        "notes": "东门复查",
        "note:rule:GATE-ACCESS": "  门禁已报修  ",
        "note:device_health": "",
        **form_of(page),
    }
    resp = planner.post(url, data=data)
    assert resp.status_code == 302
    record = latest(app)
    notes = {i["key"]: i.get("note") for i in record.items}
    assert notes["rule:GATE-ACCESS"] == "门禁已报修"
    assert "note" not in next(i for i in record.items if i["key"] == "device_health")
    assert record.notes == "东门复查"
    shown = planner.get(resp.headers["Location"]).get_data(as_text=True)
    assert "门禁已报修" in shown and "东门复查" in shown


def test_reload_of_the_post_records_nothing_more(planner, app, ids):
    url = f"/compounds/{ids['own']}/inspect"
    data = {"confirm": "y", **form_of(planner.get(url).get_data(as_text=True))}
    before = n_inspections(app)
    first = planner.post(url, data=data)
    again = planner.post(url, data=data)  # the browser's "send again"
    assert first.status_code == again.status_code == 302
    assert first.headers["Location"] == again.headers["Location"]
    assert n_inspections(app) == before + 1
    # a new page (new token) is a new inspection
    data2 = {"confirm": "y", **form_of(planner.get(url).get_data(as_text=True))}
    assert data2["token"] != data["token"]
    assert planner.post(url, data=data2).status_code == 302
    assert n_inspections(app) == before + 2


def test_changed_findings_are_shown_again_not_recorded(planner, app, ids):
    url = f"/compounds/{ids['own']}/inspect"
    data = {
        "confirm": "y",
        "note:rule:RETENTION": "看过",
        **form_of(planner.get(url).get_data(as_text=True)),
    }
    data["digest"] = "0" * 32  # what the inspector saw is not what is found now
    before = n_inspections(app)
    resp = planner.post(url, data=data)
    assert resp.status_code == 409
    assert n_inspections(app) == before
    html = resp.get_data(as_text=True)
    assert form_of(html)["token"] == data["token"] and "看过" in html  # nothing typed is lost


def test_unconfirmed_or_expired_form_records_nothing(planner, app, ids):
    url = f"/compounds/{ids['own']}/inspect"
    fields = form_of(planner.get(url).get_data(as_text=True))
    before = n_inspections(app)
    assert planner.post(url, data=fields).status_code == 200  # not confirmed: shown again
    expired = planner.post(url, data={"confirm": "y"})  # no token (an old page)
    assert expired.status_code == 302 and expired.headers["Location"].endswith(url)
    bad = planner.post(url, data={"confirm": "y", **fields, "token": "../x"})
    assert bad.status_code == 302
    assert n_inspections(app) == before


@pytest.mark.parametrize("role", ROLES)
def test_roles(client, app, ids, role):
    """Admin and planner record; the others get 403 (docs/web.md, Roles); all may read."""
    login(client, role)
    url = f"/compounds/{ids['own']}/inspect"
    allowed = role in ("admin", "planner")
    page = client.get(url)
    assert page.status_code == (200 if allowed else 403)
    before = n_inspections(app)
    fields = form_of(page.get_data(as_text=True)) if allowed else {"token": "a" * 32, "digest": "x"}
    resp = client.post(url, data={"confirm": "y", **fields})
    assert resp.status_code == (302 if allowed else 403)
    assert n_inspections(app) == before + (1 if allowed else 0)
    record = latest(app)
    assert client.get(f"/inspections/{record.id}").status_code == 200


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_recorded_rule_results_read_in_the_readers_language(planner, app, ids, lang):
    url = f"/compounds/{ids['own']}/inspect"
    resp = planner.post(
        url, data={"confirm": "y", **form_of(planner.get(url).get_data(as_text=True))}
    )
    record = latest(app)
    html = get(planner, resp.headers["Location"], lang)
    rows = rows_of(html)
    assert rows == {i["key"]: (i["passed"], i["count"]) for i in record.items}
    text = page_text(html)
    words = {
        "zh": ("错误", "人行出入口门禁", "录像保存期", "摄像机分辨率", "设备完好"),
        "en": (
            "Error",
            "Access control at pedestrian gates",
            "Video retention",
            "Camera resolution",
            "Device health",
        ),  # fmt: skip
    }
    other = "en" if lang == "zh" else "zh"
    for w in words[lang]:
        assert w in text, w
    for w in words[other]:
        assert w not in text, w
    # stored as data: no sentence in either language in the record
    for item in record.items:
        assert set(item) <= {
            "key", "title", "rule", "severity", "passed", "count", "counts", "features", "params", "note"
        }  # fmt: skip


def test_old_checklist_inspections_still_show(read_client, ids):
    login(read_client, "district")
    html = read_client.get(f"/inspections/{ids['inspection']}").get_data(as_text=True)
    assert "rule-result" not in html and "80" in html


def test_two_sends_of_one_form_at_once_record_one(planner, app, ids, monkeypatch):
    """Both requests look before either writes: the unique index refuses the second,
    which then answers with the first one's inspection (no 500, no duplicate)."""
    import camwatch.registry.inspections as registry
    import web.inspections as view

    monkeypatch.setattr(view, "_recorded", lambda code, token: None)
    monkeypatch.setattr(registry, "inspection_by_request_key", lambda s, code, key: None)
    url = f"/compounds/{ids['own']}/inspect"
    data = {"confirm": "y", **form_of(planner.get(url).get_data(as_text=True))}
    before = n_inspections(app)
    first = planner.post(url, data=data)
    second = planner.post(url, data=data)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert n_inspections(app) == before + 1
