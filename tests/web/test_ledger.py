"""The ledger list (``/ledger/``): search, filters, sorting, pages and the CSV export.

The oracle is the registry's rows read with a plain query and filtered, sorted and
cut into pages here in Python — it shares no code with :mod:`web.ledger_query`.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from camwatch.registry.models import Compound, Device, MaintenanceRecord
from tests.web.conftest import login

ROW = re.compile(r'<tr class="[^"]*" data-compound="([^"]*)" data-code="([^"]*)">')


def listed(client, url: str) -> list[tuple[str, str]]:
    resp = client.get(url)
    assert resp.status_code == 200, resp.get_data(as_text=True)[:300]
    return ROW.findall(resp.get_data(as_text=True))


def every_page(client, query: str, per: int = 25) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    page = 1
    while True:
        rows = listed(client, f"/ledger/?{query}&per={per}&page={page}")
        out += rows
        if len(rows) < per:
            return out
        page += 1


def devices_of(app) -> list[dict]:
    """Every device as the registry holds it, with its latest maintenance date."""
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        try:
            last: dict[int, date] = {}
            for rec in s.scalars(select(MaintenanceRecord)):
                last[rec.device_id] = max(rec.date, last.get(rec.device_id, rec.date))
            return [
                {
                    "id": d.id,
                    "compound": d.compound.code,
                    "district": d.compound.district,
                    "code": d.code,
                    "name": d.name,
                    "kind": d.kind,
                    "status": d.status,
                    "model": d.model,
                    "serial": d.serial,
                    "install_date": d.install_date,
                    "created": d.created_at,
                    "last": last.get(d.id),
                    "geometry": d.geometry,
                    "properties": d.properties,
                }
                for d in s.scalars(select(Device))
            ]
        finally:
            s.close()


def keyed(rows: list[dict], sort: str = "compound", desc: bool = False) -> list[tuple[str, str]]:
    """The expected order: the column (empty values last), then compound, code, id."""
    filled = [r for r in rows if r[sort] is not None]
    empty = [r for r in rows if r[sort] is None]
    tie = lambda r: (r["compound"], r["code"], r["id"])  # noqa: E731
    filled.sort(key=lambda r: (r[sort], *tie(r)), reverse=desc)
    empty.sort(key=tie, reverse=desc)
    return [(r["compound"], r["code"]) for r in filled + empty]


def test_default_list_is_every_live_device_in_compound_code_order(read_app, read_client):
    login(read_client, "district")
    rows = devices_of(read_app)
    live = [r for r in rows if r["status"] != "retired"]
    assert every_page(read_client, "") == keyed(live)
    html = read_client.get("/ledger/").get_data(as_text=True)
    assert f'id="ledger-total">{len(live)}<' in html


@pytest.mark.parametrize("q", ["c", "C1", "门", "DS-", "garage", "%", "_", "E7185201"])
def test_search_matches_code_name_model_serial(read_app, read_client, q):
    login(read_client, "admin")
    rows = devices_of(read_app)
    hit = [
        r
        for r in rows
        if r["status"] != "retired"
        and any(q.lower() in (r[k] or "").lower() for k in ("code", "name", "model", "serial"))
    ]
    assert every_page(read_client, f"q={q.replace('%', '%25')}") == keyed(hit)


def test_filters_combine(read_app, read_client):
    login(read_client, "planner")
    rows = devices_of(read_app)
    checked = 0
    for kind in ("camera", "gate", "alarm", "intercom"):
        for status in ("active", "faulty", "offline", "planned"):
            want = [r for r in rows if r["kind"] == kind and r["status"] == status]
            assert every_page(read_client, f"kind={kind}&status={status}") == keyed(want)
            checked += len(want)
    assert checked == len([r for r in rows if r["status"] != "retired"])
    for code in {r["compound"] for r in rows}:
        want = [r for r in rows if r["compound"] == code and r["status"] != "retired"]
        assert want and every_page(read_client, f"compound={code}") == keyed(want)
    for district in {r["district"] for r in rows}:
        want = [r for r in rows if r["district"] == district and r["status"] != "retired"]
        assert want and every_page(read_client, f"district={district}") == keyed(want)


@pytest.mark.parametrize(
    "sort", ["compound", "code", "name", "kind", "status", "model", "serial", "install_date"]
)
@pytest.mark.parametrize("desc", [False, True])
def test_sort_by_column_both_ways(read_app, read_client, sort, desc):
    login(read_client, "technician")
    live = [r for r in devices_of(read_app) if r["status"] != "retired"]
    direction = "desc" if desc else "asc"
    got = every_page(read_client, f"sort={sort}&dir={direction}")
    assert got == keyed(live, sort, desc)


def test_pages_are_complete_and_disjoint_at_every_size(read_app, read_client):
    login(read_client, "admin")
    live = keyed([r for r in devices_of(read_app) if r["status"] != "retired"])
    for per in (25, 50, 100, 200):
        assert every_page(read_client, "sort=status", per) == keyed(
            [r for r in devices_of(read_app) if r["status"] != "retired"], "status"
        )
    # a page past the last shows the last page
    last = listed(read_client, "/ledger/?per=25&page=999")
    assert last == live[(len(live) - 1) // 25 * 25 :]


@pytest.mark.parametrize(
    "query", ["kind=robot", "status=broken", "sort=password", "dir=up", "per=7", "page=0", "page=x"]
)
def test_unknown_filter_values_are_400(read_client, query):
    login(read_client, "admin")
    assert read_client.get(f"/ledger/?{query}").status_code == 400
    assert read_client.get(f"/ledger/export.csv?{query}").status_code == 400


def test_manager_sees_only_own_compounds(read_app, read_client, ids):
    login(read_client, "manager")
    rows = devices_of(read_app)
    own = [r for r in rows if r["compound"] == ids["own_code"] and r["status"] != "retired"]
    assert every_page(read_client, "") == keyed(own)
    assert listed(read_client, f"/ledger/?compound={ids['other_code']}") == []
    text = read_client.get("/ledger/export.csv").data.decode("utf-8-sig")
    assert {r["compound"] for r in csv.DictReader(io.StringIO(text))} == {ids["own_code"]}
    resp = read_client.get(f"/compounds/{ids['other']}/ledger")
    assert resp.status_code == 404
    resp = read_client.get(f"/compounds/{ids['own']}/ledger")
    assert resp.status_code == 302 and f"compound={ids['own_code']}" in resp.headers["Location"]


def _export(client, query: str = "") -> tuple[bytes, list[dict]]:
    resp = client.get(f"/ledger/export.csv?{query}")
    assert resp.status_code == 200
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    return resp.data, list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))


def test_export_is_the_filtered_list_as_the_registry_holds_it(read_app, read_client):
    login(read_client, "district")
    data, rows = _export(read_client, "kind=camera&sort=serial&dir=desc&per=25&page=2")
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM for Excel"
    assert "中" in data.decode("utf-8-sig") or "区" in data.decode("utf-8-sig") or rows
    registry = {(r["compound"], r["code"]): r for r in devices_of(read_app)}
    cameras = [r for r in registry.values() if r["kind"] == "camera" and r["status"] != "retired"]
    # every page (the page argument is ignored), in the list's order
    assert [(r["compound"], r["code"]) for r in rows] == keyed(cameras, "serial", True)
    for row in rows:
        d = registry[(row["compound"], row["code"])]
        assert row["kind"] == "camera" and row["status"] == d["status"]
        assert row["name"] == (d["name"] or "")
        assert row["model"] == (d["model"] or "") and row["serial"] == (d["serial"] or "")
        x, y = d["geometry"]["coordinates"]
        assert (float(row["x"]), float(row["y"])) == (x, y)
        for key in ("height_m", "heading_deg", "tilt_deg"):
            assert float(row[key]) == d["properties"][key]
        if d["properties"].get("resolution"):
            w, h = d["properties"]["resolution"]
            assert row["resolution"] == f"{w}x{h}"


def test_export_header_is_the_import_columns_plus_last_maintenance(read_app, read_client):
    from camwatch.registry.csv_rows import CSV_COLUMNS, DERIVED_CSV_COLUMNS

    login(read_client, "admin")
    data, rows = _export(read_client, "status=all")
    header = next(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert header == [*CSV_COLUMNS, "last_maintenance"]
    assert set(header) <= set(CSV_COLUMNS) | set(DERIVED_CSV_COLUMNS)  # the import reads it
    registry = {(r["compound"], r["code"]): r for r in devices_of(read_app)}
    assert len(rows) == len(registry)
    lines = 0
    for row in rows:
        geometry = registry[(row["compound"], row["code"])]["geometry"]
        if geometry["type"] == "LineString":
            lines += 1
            points = [tuple(map(float, p.split(","))) for p in row["line"].split(" ")]
            assert points == [tuple(p) for p in geometry["coordinates"]] and not row["x"]
        else:
            assert [float(row["x"]), float(row["y"])] == geometry["coordinates"]
            assert not row["line"]
    assert lines > 0


def _backdate(app, changes):
    """Give devices maintenance records, install dates or creation times in the past."""
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        try:
            for code, what, value in changes:
                d = s.scalar(select(Device).where(Device.code == code))
                if what == "record":
                    s.add(
                        MaintenanceRecord(
                            device=d,
                            date=value,
                            kind="inspection",
                            technician="Zhao",
                            status_before=d.status,
                            status_after=d.status,
                        )
                    )
                elif what == "install":
                    d.install_date = value
                else:
                    d.created_at = value
            s.commit()
        finally:
            s.close()


def _oracle_overdue(r: dict, today: date, days: int = 365) -> bool:
    if r["status"] not in ("active", "faulty", "offline"):
        return False
    limit = today - timedelta(days=days)
    if r["last"] is not None:
        return r["last"] < limit
    if r["install_date"] is not None:
        return r["install_date"] < limit
    created = r["created"]
    created_day = created.date() if isinstance(created, datetime) else created
    return created_day < limit


def test_overdue_maintenance_filter_and_sort(app, client, ids):
    today = date.today()
    live = [r for r in devices_of(app) if r["compound"] == ids["own_code"]]
    by_status = {}
    for r in live:
        by_status.setdefault(r["status"], []).append(r["code"])
    a, b, c, d, e = by_status["active"][:5]
    planned = by_status.get("planned") or by_status["faulty"]
    old = datetime.now(UTC) - timedelta(days=800)
    _backdate(
        app,
        [
            (a, "record", today - timedelta(days=366)),  # overdue
            (b, "record", today - timedelta(days=400)),
            (b, "record", today - timedelta(days=365)),  # exactly the interval: not overdue
            (c, "install", today - timedelta(days=500)),  # never maintained, old: overdue
            (d, "created", old),  # entered the ledger long ago: overdue
            (e, "install", today - timedelta(days=10)),
            (e, "created", old),  # recent install wins over the old creation
            (planned[0], "install", today - timedelta(days=900)),
        ],
    )
    login(client, "technician")
    rows = [r for r in devices_of(app) if r["status"] != "retired"]
    want = [r for r in rows if _oracle_overdue(r, today)]
    assert {r["code"] for r in want if r["compound"] == ids["own_code"]} >= {a, c, d}
    assert every_page(client, "overdue=1") == keyed(want)
    html = client.get(f"/ledger/?overdue=1&compound={ids['own_code']}").get_data(as_text=True)
    assert "逾期" in html
    # last maintenance column: newest record per device, empty ones last
    assert every_page(client, "sort=last_maintenance&dir=desc") == keyed(rows, "last", True)
    _data, exported = _export(client, f"compound={ids['own_code']}")
    last = {r["code"]: r["last_maintenance"] for r in exported}
    assert last[b] == (today - timedelta(days=365)).isoformat() and last[c] == ""


def test_export_guards_spreadsheet_formulas(app, client, ids):
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        dev = s.get(Device, ids["own_cam"])
        dev.name = "=HYPERLINK(1)"
        code = dev.code
        s.commit()
        s.close()
    login(client, "admin")
    _data, rows = _export(client, f"q={code}")
    row = next(r for r in rows if r["code"] == code)
    assert row["name"] == "'=HYPERLINK(1)"


def test_page_language_and_nav(read_client):
    login(read_client, "manager")
    html = read_client.get("/ledger/").get_data(as_text=True)
    assert "设备台账" in html and 'class="on" aria-current="page">台账</a>' in html
    assert "Export CSV" not in html and "导出" in html
    read_client.post("/language", data={"lang": "en"})
    html = read_client.get("/ledger/").get_data(as_text=True)
    assert "Device ledger" in html and "Export CSV" in html
    read_client.post("/language", data={"lang": "zh"})


def test_compound_names_and_district_filter_options(read_app, read_client):
    login(read_client, "admin")
    html = read_client.get("/ledger/").get_data(as_text=True)
    from web.db import new_session

    with read_app.app_context():
        s = new_session(read_app)
        comps = s.scalars(select(Compound)).all()
        for c in comps:
            assert f'<option value="{c.code}"' in html
            assert f'<option value="{c.district}"' in html
        s.close()
