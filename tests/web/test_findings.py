"""The findings tab (docs/web.md): grouped findings, the profile, map links, open problem.

The oracle is ``camwatch check COMPOUND --json`` run as a command (its own
process and database read), never the web's code.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import select

from camwatch.registry.models import Problem
from tests.web.conftest import login
from web.db import new_session


def get(client, url: str, lang: str) -> str:
    """The page in ``lang`` (chosen with the language switcher, as a reader does)."""
    assert client.post("/language", data={"lang": lang}).status_code == 302
    return client.get(url).get_data(as_text=True)


def cli_check(db_file, code: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "camwatch", "check", code, "--json", "--db", f"sqlite:///{db_file}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def page_text(html: str) -> str:
    """The visible text of <main> (tags, scripts and attribute values dropped)."""
    main = html[html.index("<main") : html.index("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", main))


def finding_keys(html: str) -> list[str]:
    return [unescape(k) for k in re.findall(r'name="key" value="([^"]*)"', html)]


@pytest.fixture
def planner(client):
    login(client, "planner")
    return client


def test_findings_match_the_cli_grouped_by_severity(planner, db_path, ids):
    code = ids["own_code"]
    expected = cli_check(db_path, code)
    html = get(planner, f"/compounds/{ids['own']}/findings", "en")
    text = page_text(html)
    assert expected["profile"] in text
    assert ("Meets the standard" in text) == expected["meets_standard"]
    assert ("Does not meet the standard" in text) == (not expected["meets_standard"])
    rules = re.findall(r'<li class="finding" data-rule="([^"]+)"', html)
    order = {"error": 0, "warning": 1, "info": 2}
    want = sorted(expected["findings"], key=lambda f: order[f["severity"]])
    assert rules == [f["rule"] for f in want]
    for f in expected["findings"]:
        assert unescape(f["message"]["en"]) in text or f["message"]["en"] in text
        for feature in f["features"]:
            assert feature in text
    for sev in ("error", "warning", "info"):
        n = sum(1 for f in expected["findings"] if f["severity"] == sev)
        assert (f'id="findings-{sev}"' in html) == (n > 0)


def test_map_links_carry_the_geometry(planner, db_path, ids):
    expected = cli_check(db_path, ids["own_code"])
    html = get(planner, f"/compounds/{ids['own']}/findings", "en")
    links = [unescape(h) for h in re.findall(r'href="([^"]*/map\?focus=[^"]*)"', html)]
    with_geometry = [f for f in expected["findings"] if f["geometry"]]
    assert len(links) == len(with_geometry) > 0
    order = {"error": 0, "warning": 1, "info": 2}
    with_geometry.sort(key=lambda f: order[f["severity"]])
    for link, f in zip(links, with_geometry, strict=True):
        url = urlparse(link)
        assert url.path == f"/compounds/{ids['own']}/map"
        assert json.loads(parse_qs(url.query)["focus"][0]) == f["geometry"]


def test_chinese_page_has_no_english(planner, ids):
    html = get(planner, f"/compounds/{ids['own']}/findings", "zh")
    text = page_text(html)
    assert "标准检查" in text
    words = set(re.findall(r"[A-Za-z][A-Za-z'-]{2,}", text))
    # proper names and ids: rule ids, profile names, feature ids, standard codes, camwatch
    allowed = {"national", "shanghai", "camwatch", "DORI", "EN", "GB", "DB31"}
    leftover = {
        w for w in words if w not in allowed and not w.isupper() and not re.search(r"\d", w)
    }
    # ids and commands in <code> (a fix may name `camwatch plan SITE --add K`)
    for code in re.findall(r"<code>([^<]*)</code>", html):
        leftover -= set(re.findall(r"[A-Za-z][A-Za-z'-]{2,}", code))
    # names in the plan (zone, gate, building names) are proper names
    site = planner.get(f"/compounds/{ids['own']}/site.geojson").get_json()
    names = " ".join(
        str(v) for f in site["features"] for k, v in f["properties"].items() if k in ("id", "name")
    )
    leftover -= set(re.findall(r"[A-Za-z][A-Za-z'-]{2,}", names))
    assert not leftover, sorted(leftover)


def test_open_problem_is_idempotent(planner, app, ids, db_path):
    url = f"/compounds/{ids['own']}/findings"
    keys = finding_keys(planner.get(url).get_data(as_text=True))
    assert keys
    key = keys[0]
    first = planner.post(url + "/problem", data={"key": key})
    assert first.status_code == 302
    second = planner.post(url + "/problem", data={"key": key})
    assert second.status_code == 302
    s = new_session(app)
    try:
        rows = s.scalars(select(Problem).where(Problem.ref_key == key)).all()
    finally:
        s.close()
    assert len(rows) == 1
    assert rows[0].source == "analysis"
    html = planner.get(url).get_data(as_text=True)
    assert key not in finding_keys(html)  # the button became a link to the problem
    assert f"/problems/{rows[0].id}" in html
    # the CLI sees the same problem: from-findings creates nothing for that key
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "camwatch",
            "problems",
            "from-findings",
            ids["own_code"],
            "--deadline-days",
            "30",
            "--min-severity",
            "info",
            "--json",
            "--db",
            f"sqlite:///{db_path}",
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode == 0:
        assert rows[0].id in json.loads(out.stdout)["existing"]


def test_open_problem_refuses_an_unknown_finding(planner, app, ids):
    resp = planner.post(f"/compounds/{ids['own']}/findings/problem", data={"key": "finding:NOPE:x"})
    assert resp.status_code == 302
    s = new_session(app)
    try:
        assert s.scalars(select(Problem).where(Problem.ref_key == "finding:NOPE:x")).all() == []
    finally:
        s.close()


@pytest.mark.parametrize("role", ["district", "technician", "manager"])
def test_roles_without_problem_create_see_no_button(client, ids, role):
    login(client, role)
    html = client.get(f"/compounds/{ids['own']}/findings").get_data(as_text=True)
    assert 'name="key"' not in html
    assert 'data-rule="' in html


def test_failed_check_is_shown_not_500(planner, app, ids, monkeypatch):
    import camwatch.standards.engine

    def boom(*a, **k):
        raise ValueError("planted failure")

    # the check the page runs (through camwatch.batch.stored.check_report, on the web's
    # analysis: web.summary.findings_outcome) fails
    monkeypatch.setattr(camwatch.standards.engine, "run_rules", boom)
    app.extensions["camwatch_cache"] = type(app.extensions["camwatch_cache"])(2**20)
    planner.post("/language", data={"lang": "en"})
    resp = planner.get(f"/compounds/{ids['own']}/findings")
    assert resp.status_code == 200
    assert "planted failure" in resp.get_data(as_text=True)
