"""One problem per zone or blind spot, whatever the path (docs/registry.md, "One problem per finding")."""

from __future__ import annotations

import io
import json
import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from camwatch.cli import cli
from camwatch.registry.models import Compound, Problem
from tests.web.conftest import login, make_app
from tests.web.sites import tiny_court
from web.db import new_session

JSON = {"Accept": "application/json"}


@pytest.fixture
def tiny(app, client):
    """Import the tiny compound through the web (as a planner); return its row id."""
    login(client, "planner")
    data = {"site_file": (io.BytesIO(json.dumps(tiny_court()).encode()), "tiny-court.geojson")}
    resp = client.post("/compounds/import", data=data, content_type="multipart/form-data")
    assert resp.status_code == 302
    s = new_session(app)
    try:
        return s.scalar(select(Compound.id).where(Compound.code == "tiny-court"))
    finally:
        s.close()


def _problems(app) -> list[Problem]:
    s = new_session(app)
    try:
        cid = s.scalar(select(Compound.id).where(Compound.code == "tiny-court"))
        return list(s.scalars(select(Problem).where(Problem.compound_id == cid)))
    finally:
        s.close()


def _failing_zone(client, cid) -> str:
    zones = client.get(f"/compounds/{cid}/analysis", headers=JSON).get_json()["zones"]
    return next(z["name"] for z in zones if not z["pass"])


def test_second_problem_for_a_spot_or_zone_is_refused(app, client, tiny):
    spots = client.get(f"/compounds/{tiny}/analysis", headers=JSON).get_json()["blind_spots"]
    zone = _failing_zone(client, tiny)
    url = f"/compounds/{tiny}/problems/new"
    first = client.post(url, json={"blind_spot": spots[0]["id"]}, headers=JSON)
    assert first.status_code == 201
    again = client.post(url, json={"blind_spot": spots[0]["id"]}, headers=JSON)
    assert again.status_code == 409 and again.get_json()["id"] == first.get_json()["id"]
    zone_first = client.post(url, json={"zone": zone}, headers=JSON)
    assert zone_first.status_code == 201
    form = client.post(
        f"{url}?zone={zone}", data={"description": "again", "deadline": "2099-01-01"}
    )
    assert form.status_code == 302
    assert form.headers["Location"].endswith(f"/problems/{zone_first.get_json()['id']}")
    assert len(_problems(app)) == 2
    # after a reload, the map and the analysis page show the held ones, not the button
    refs = client.get(f"/compounds/{tiny}/problem-refs.json").get_json()
    assert refs[f"spot:{spots[0]['id']}"]["id"] == first.get_json()["id"]
    assert refs[f"zone:{zone}"]["id"] == zone_first.get_json()["id"]
    assert len(refs) == 2
    page = client.get(f"/compounds/{tiny}/analysis").get_data(as_text=True)
    assert page.count('class="problem-held"') == 2
    assert f"blind_spot={spots[0]['id']}" not in page
    assert f'problems/new?zone={zone}"' not in page
    assert "已列入问题清单（#" in page or "Already in the problem list (#" in page


def test_cli_from_analysis_recognises_problems_opened_on_the_map(app, client, tiny, db_path):
    spots = client.get(f"/compounds/{tiny}/analysis", headers=JSON).get_json()["blind_spots"]
    zone = _failing_zone(client, tiny)
    url = f"/compounds/{tiny}/problems/new"
    by_map = [
        client.post(url, json={"blind_spot": spots[0]["id"]}, headers=JSON).get_json()["id"],
        client.post(url, json={"zone": zone}, headers=JSON).get_json()["id"],
    ]
    result = CliRunner().invoke(
        cli,
        ["problems", "from-analysis", "tiny-court", "--deadline-days", "7", "--json"],
        env={"DATABASE_URL": f"sqlite:///{db_path}", "CAMWATCH_USER": "cli"},
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert sorted(by_map) == sorted(set(out["existing"]) & set(by_map))
    assert len(out["created"]) + len(out["existing"]) == len(spots) + sum(
        1
        for z in client.get(f"/compounds/{tiny}/analysis", headers=JSON).get_json()["zones"]
        if not z["pass"]
    )
    # the spot opened on the map is the one the CLI matched, not another
    problems = {p.id: p for p in _problems(app)}
    assert problems[by_map[0]].reference["id"] == spots[0]["id"]
    assert all(problems[i].reference.get("id") != spots[0]["id"] for i in out["created"])
    rerun = CliRunner().invoke(
        cli,
        ["problems", "from-analysis", "tiny-court", "--deadline-days", "7", "--json"],
        env={"DATABASE_URL": f"sqlite:///{db_path}", "CAMWATCH_USER": "cli"},
    )
    assert json.loads(rerun.output)["created"] == []


def test_two_concurrent_clicks_open_one_problem(db_path, shared_cache, tiny, client):
    spot = client.get(f"/compounds/{tiny}/analysis", headers=JSON).get_json()["blind_spots"][0]
    apps = [make_app(db_path, shared_cache) for _ in range(2)]
    clients = [a.test_client() for a in apps]
    for c in clients:
        login(c, "planner")
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def click(c) -> None:
        barrier.wait()
        resp = c.post(
            f"/compounds/{tiny}/problems/new", json={"blind_spot": spot["id"]}, headers=JSON
        )
        codes.append(resp.status_code)

    threads = [threading.Thread(target=click, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [201, 409]
    assert len(_problems(apps[0])) == 1
