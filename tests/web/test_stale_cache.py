"""A deleted compound's analysis is never served for a new compound that got its row ids.

SQLite hands a deleted row's id to the next insert; a compound deleted and imported
again (a corrected plan under the same code) gets the same compound and device ids,
and versions start at 1 again. The web's caches must still see a new compound."""

from __future__ import annotations

import json

from sqlalchemy import select

from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import delete_compound, export_site, get_compound
from camwatch.registry.db import make_engine, session_scope
from camwatch.registry.models import Compound, Device
from camwatch.registry.site_import import import_site
from camwatch.sitefile import load_site
from tests.web.conftest import SAMPLE_SITES, login

JSON = {"Accept": "application/json"}


def _last_compound(engine) -> tuple[int, str]:
    with session_scope(engine) as s:
        row = s.execute(select(Compound.id, Compound.code).order_by(Compound.id.desc())).first()
        return row[0], row[1]


def _device_ids(engine, code: str) -> list[tuple[int, int]]:
    with session_scope(engine) as s:
        compound = get_compound(s, code)
        rows = s.execute(select(Device.id, Device.version).where(Device.compound_id == compound.id))
        return sorted(tuple(r) for r in rows)


def _detection(client, cid: int) -> float:
    summary = client.get(f"/compounds/{cid}/coverage.json").get_json()["summary"]
    return summary["levels"]["detection"]["ratio"]


def test_reimport_after_delete_serves_the_new_analysis(app, db_path, tmp_path):
    engine = make_engine(f"sqlite:///{db_path}")
    cid, code = _last_compound(engine)  # the last rows: their ids are reused by SQLite
    source = next(p for p in SAMPLE_SITES.glob("*.geojson") if load_site(p).info.id == code)
    client = app.test_client()
    login(client, "admin")
    before = _detection(client, cid)
    old_map = client.get(f"/compounds/{cid}/map.json").get_json()
    old_ids = _device_ids(engine, code)

    # a corrected plan: every camera turned half round (same devices, same count)
    doc = json.loads(source.read_text(encoding="utf-8"))
    for feature in doc["features"]:
        props = feature["properties"]
        if props.get("kind") == "camera":
            props["heading_deg"] = (float(props.get("heading_deg", 0)) + 180) % 360
    corrected = tmp_path / "corrected.geojson"
    corrected.write_text(json.dumps(doc), encoding="utf-8")

    with session_scope(engine, actor="cli") as s:  # as `camwatch` would, outside the web
        delete_compound(s, get_compound(s, code), actor="cli")
    with session_scope(engine, actor="cli") as s:
        import_site(s, load_site(corrected), actor="cli")
    new_cid, new_code = _last_compound(engine)
    # the scenario: same code, same compound id, same device ids and versions
    assert (new_cid, new_code) == (cid, code)
    assert _device_ids(engine, code) == old_ids

    with session_scope(engine) as s:  # the truth, computed afresh without the web's caches
        expected = analyze(export_site(s, code)).to_dict()
    engine.dispose()
    after = _detection(client, cid)
    assert after == expected["levels"]["detection"]["ratio"]
    assert after != before  # the correction changed coverage, so a stale value would show
    headings = {
        f["properties"]["code"]: f["properties"]["properties"]["heading_deg"]
        for f in client.get(f"/compounds/{cid}/map.json").get_json()["devices"]["features"]
        if f["properties"]["kind"] == "camera"
    }
    old_headings = {
        f["properties"]["code"]: f["properties"]["properties"]["heading_deg"]
        for f in old_map["devices"]["features"]
        if f["properties"]["kind"] == "camera"
    }
    assert headings and all(
        abs((headings[c] - old_headings[c]) % 360 - 180) < 1e-6 for c in headings
    )
