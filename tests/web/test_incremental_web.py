"""Incremental re-analysis on the map (docs/web.md, "Incremental re-analysis on the map").

After edits of devices the web's analysis is derived from the previous one
(:mod:`web.incremental`); it must equal a fresh ``analyze()`` of the ledger's
compound, computed here without the web's caches or states, to the tolerances
docs/coverage.md states ("Incremental re-analysis", Agreement).
"""

from __future__ import annotations

import threading

import pytest
import shapely
from shapely.geometry import shape

from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import export_site
from camwatch.registry.db import make_engine, session_scope
from tests.web.conftest import login, make_app
from web.cache import LRUCache
from web.incremental import coverage_states

JSON = {"Accept": "application/json"}
CODE = "jinxiu-huating"  # the largest sample compound (40 cameras)


@pytest.fixture
def app(db_path):
    """An app with a cache of its own: the shared one may hold these very states already."""
    application = make_app(db_path, LRUCache(512 * 2**20))
    yield application
    from web.db import engine

    engine(application).dispose()


def _fresh(app, model: str | None = None) -> dict:
    """The compound's analysis computed afresh from the ledger (no web cache, no state)."""
    engine = make_engine(app.config["DATABASE_URL"])
    try:
        with session_scope(engine) as s:
            return analyze(export_site(s, CODE), coverage_model=model).to_dict()
    finally:
        engine.dispose()


def _same(got: dict, want: dict) -> None:
    """Equal to docs/coverage.md's tolerances: ids, zones and pass/fail exactly; figures
    (rounded by to_dict) within one unit of their last digit or the stated relative error."""
    assert [s["id"] for s in got["blind_spots"]] == [s["id"] for s in want["blind_spots"]]
    for a, b in zip(got["blind_spots"], want["blind_spots"], strict=True):
        assert a["zones"] == b["zones"]
        assert a["area_m2"] == pytest.approx(b["area_m2"], rel=1e-6, abs=0.011)
        assert a["centroid"] == pytest.approx(b["centroid"], abs=0.0011)
    for level, cov in want["levels"].items():
        assert got["levels"][level]["ratio"] == pytest.approx(cov["ratio"], abs=1.1e-6)
        assert got["levels"][level]["covered_m2"] == pytest.approx(cov["covered_m2"], abs=0.011)
    assert [(z["name"], z["pass"]) for z in got["zones"]] == [
        (z["name"], z["pass"]) for z in want["zones"]
    ]
    for a, b in zip(got["zones"], want["zones"], strict=True):
        assert a["covered_m2"] == pytest.approx(b["covered_m2"], abs=0.011)
    assert got["cameras"] == want["cameras"]
    assert got["compliant"] == want["compliant"]


def _cameras(client, cid: int) -> dict[str, dict]:
    features = client.get(f"/compounds/{cid}/map.json").get_json()["devices"]["features"]
    return {
        f["properties"]["code"]: f["properties"]
        for f in features
        if f["properties"]["kind"] == "camera"
    }


def _patch(client, cid: int, code: str, **changes) -> None:
    dev = _cameras(client, cid)[code]
    resp = client.patch(
        f"/devices/{dev['id']}", json={"version": dev["version"], **changes}, headers=JSON
    )
    assert resp.status_code == 200, resp.get_json()


def _edits(client, cid: int) -> list:
    """A drag, a turn, a camera added, one retired, a status change (as on the map)."""
    cams = _cameras(client, cid)
    codes = sorted(c for c, p in cams.items() if p["status"] == "active")
    first, second, third = codes[0], codes[1], codes[2]

    def drag() -> None:
        feature = next(
            f
            for f in client.get(f"/compounds/{cid}/map.json").get_json()["devices"]["features"]
            if f["properties"]["code"] == first
        )
        x, y = feature["geometry"]["coordinates"]
        _patch(client, cid, first, x=x + 1.5, y=y - 1.0)

    def turn() -> None:
        heading = cams[second]["properties"].get("heading_deg", 0.0)
        _patch(client, cid, second, heading_deg=(heading + 70) % 360)

    def add() -> None:
        feature = next(
            f
            for f in client.get(f"/compounds/{cid}/map.json").get_json()["devices"]["features"]
            if f["properties"]["code"] == third
        )
        x, y = feature["geometry"]["coordinates"]
        resp = client.post(
            f"/compounds/{cid}/devices",
            json={"kind": "camera", "x": x + 0.5, "y": y + 0.5, "heading_deg": 200},
            headers=JSON,
        )
        assert resp.status_code == 201, resp.get_json()

    def retire() -> None:
        dev = _cameras(client, cid)[third]
        resp = client.post(f"/devices/{dev['id']}/retire", data={"reason": "test"})
        assert resp.status_code in (200, 302)

    def status() -> None:
        _patch(client, cid, second, status="faulty")

    return [drag, turn, add, retire, status]


def test_edits_give_the_fresh_analysis_and_reuse_the_state(app, client, ids):
    cid = ids[CODE]
    login(client, "technician")
    store = coverage_states(app)
    client.get(f"/compounds/{cid}/analysis", headers=JSON)  # the compound's first analysis
    assert store.counts.full >= 1
    full_before = store.counts.full
    n_cameras = len(_cameras(client, cid))
    for step, edit in enumerate(_edits(client, cid), 1):
        edit()
        got = client.get(f"/compounds/{cid}/analysis", headers=JSON).get_json()
        _same(got, _fresh(app))
        # derived, not analysed afresh: one state built at the first edit, then updated
        assert store.counts.full == full_before, step
        assert store.counts.derived >= step
    assert store.counts.built == 1
    assert store.counts.changes >= 4  # turn, add, retire, status (the first edit built it)
    assert len(_cameras(client, cid)) == n_cameras  # one added, one retired
    # the map's layers: level outlines dissolved (valid, as many parts as analyze gives)
    cov = client.get(f"/compounds/{cid}/coverage.json").get_json()
    _same(cov["summary"], _fresh(app))
    engine = make_engine(app.config["DATABASE_URL"])
    with session_scope(engine) as s:
        ref = analyze(export_site(s, CODE))
    engine.dispose()
    for level, geom in cov["levels"].items():
        drawn = shape(geom)
        want = ref.levels[level].geometry
        assert drawn.is_valid
        assert shapely.get_num_geometries(drawn) == shapely.get_num_geometries(want), level
        assert drawn.area == pytest.approx(want.area, rel=5e-3)  # simplified by 2 cm
        assert drawn.hausdorff_distance(want) < 0.05  # drawn simplified by 2 cm, rounded


def test_other_model_and_planned_are_derived_too(app, client, ids):
    cid = ids[CODE]
    login(client, "technician")
    own = client.get(f"/compounds/{cid}/map.json").get_json()["compound"]["coverage_model"]
    other = "standing" if own == "ground" else "ground"
    url = f"/compounds/{cid}/analysis?model={other}&planned=1"
    client.get(url, headers=JSON)
    store = coverage_states(app)
    for edit in _edits(client, cid)[:3]:
        edit()
        derived = store.counts.derived
        got = client.get(url, headers=JSON).get_json()
        assert store.counts.derived == derived + 1
        engine = make_engine(app.config["DATABASE_URL"])
        with session_scope(engine) as s:
            want = analyze(
                export_site(s, CODE), coverage_model=other, include_planned=True
            ).to_dict()
        engine.dispose()
        _same(got, want)


def test_a_plan_change_analyses_afresh(app, client, ids):
    """Settings (the ground of the analysis) changed: no derivation from the old state."""
    cid = ids[CODE]
    login(client, "technician")
    client.get(f"/compounds/{cid}/analysis", headers=JSON)
    _edits(client, cid)[1]()
    client.get(f"/compounds/{cid}/analysis", headers=JSON)
    store = coverage_states(app)
    assert store.states() == 1
    login(client, "admin")
    version = client.get(f"/compounds/{cid}/settings", headers=JSON).get_json()["version"]
    form = {f"target_height_m.{lv}": "1.1" for lv in ("detection", "observation")}
    form |= {f"target_height_m.{lv}": "1.5" for lv in ("recognition", "identification")}
    resp = client.post(f"/compounds/{cid}/settings", data={"version": str(version), **form})
    assert resp.status_code == 302
    full = store.counts.full
    got = client.get(f"/compounds/{cid}/analysis", headers=JSON).get_json()
    assert store.counts.full == full + 1
    assert store.states() == 0
    assert got == _fresh(app)  # a full analysis: exactly the CLI's


def test_two_edits_at_once_end_right(app, ids):
    cid = ids[CODE]
    clients = [app.test_client() for _ in range(2)]
    for c in clients:
        login(c, "technician")
    clients[0].get(f"/compounds/{cid}/coverage.json")
    cams = _cameras(clients[0], cid)
    codes = sorted(c for c, p in cams.items() if p["status"] == "active")[:2]
    _patch(clients[0], cid, codes[0], heading_deg=10.0)  # the state is built
    clients[0].get(f"/compounds/{cid}/coverage.json")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def edit(c, code: str, heading: float) -> None:
        try:
            start.wait()
            _patch(c, cid, code, heading_deg=heading)
            c.get(f"/compounds/{cid}/coverage.json")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=edit, args=(clients[i], codes[i], 100.0 + 90 * i)) for i in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    got = clients[0].get(f"/compounds/{cid}/analysis", headers=JSON).get_json()
    _same(got, _fresh(app))
    assert coverage_states(app).counts.derived >= 2


def test_findings_after_edits_are_the_cli_check(app, client, ids):
    """The standards check reads the web's (derived) analysis: the same findings as
    ``camwatch check`` computes afresh."""
    from datetime import date

    from camwatch.compliance import compound_check
    from camwatch.registry.models import Compound
    from web.db import db_session
    from web.summary import findings_outcome

    cid = ids[CODE]
    login(client, "technician")
    client.get(f"/compounds/{cid}/analysis", headers=JSON)
    for edit in _edits(client, cid)[:2]:
        edit()
    client.get(f"/compounds/{cid}/analysis", headers=JSON)
    assert coverage_states(app).counts.derived >= 2
    today = date.today()
    with app.test_request_context("/"):
        report, failure = findings_outcome(db_session().get(Compound, cid), today)
    assert failure is None and report is not None
    engine = make_engine(app.config["DATABASE_URL"])
    with session_scope(engine) as s:
        want = compound_check(s, CODE, today=today).to_dict()
    engine.dispose()
    assert [(f["rule"], f["severity"]) for f in report["findings"]] == [
        (f["rule"], f["severity"]) for f in want["findings"]
    ]
    # the same findings and words; outlines the same shape (a derived level's outline
    # keeps vertices on tile seams: docs/coverage.md, "Incremental re-analysis")
    strip = [{k: v for k, v in f.items() if k != "geometry"} for f in report["findings"]]
    assert strip == [{k: v for k, v in f.items() if k != "geometry"} for f in want["findings"]]
    assert {k: v for k, v in report.items() if k != "findings"} == {
        k: v for k, v in want.items() if k != "findings"
    }
    for a, b in zip(report["findings"], want["findings"], strict=True):
        if a.get("geometry") is None or b.get("geometry") is None:
            assert a.get("geometry") == b.get("geometry")
            continue
        got, ref = shape(a["geometry"]), shape(b["geometry"])
        # the report's outlines are simplified and rounded: a seam vertex moves them a little
        assert got.symmetric_difference(ref).area <= 1e-4 * max(ref.area, 1.0)
        assert got.hausdorff_distance(ref) < 0.05
