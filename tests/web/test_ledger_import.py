"""CSV import on the ledger pages: the CLI's rules (all rows or none), errors naming row and
column in the page's language, post/redirect/get."""

from __future__ import annotations

import csv
import html
import io
import re

import pytest
from shapely.geometry import shape
from sqlalchemy import func, select

from camwatch.registry.models import AuditLog, Compound, Device
from tests.web.conftest import login

HEADER = "compound,kind,code,x,y,line,hfov_deg,height_m,heading_deg,tilt_deg,name\n"


def counts(app) -> tuple[int, int]:
    """(devices, audit rows) in the ledger."""
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        try:
            return (
                s.scalar(select(func.count()).select_from(Device)) or 0,
                s.scalar(select(func.count()).select_from(AuditLog)) or 0,
            )
        finally:
            s.close()


def upload(client, text: str | bytes, compound: str = "", follow: bool = True):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return client.post(
        "/ledger/import",
        data={"file": (io.BytesIO(data), "devices.csv"), "compound": compound},
        content_type="multipart/form-data",
        follow_redirects=follow,
    )


def flashes(resp) -> list[str]:
    page = resp.get_data(as_text=True)
    return [
        html.unescape(m) for m in re.findall(r'<p class="flash \w+" role="status">(.*?)</p>', page)
    ]


def building_centre(app, code: str) -> tuple[float, float]:
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        try:
            comp = s.scalar(select(Compound).where(Compound.code == code))
            feature = next(
                f for f in comp.plan_json["features"] if f["properties"]["kind"] == "building"
            )
            point = shape(feature["geometry"]).representative_point()
            return round(point.x, 2), round(point.y, 2)
        finally:
            s.close()


def test_good_file_adds_every_row_and_redirects(app, client, ids):
    login(client, "technician")
    before = counts(app)
    x, y = ids["free_xy"]
    text = HEADER + (
        f"{ids['own_code']},camera,NEW-1,{x},{y},,90,4,0,20,新摄像机\n"
        f"{ids['own_code']},camera,NEW-2,{x},{y},,60,3.5,180,15,\n"
    )
    resp = upload(client, text, follow=False)
    assert resp.status_code == 302
    assert f"compound={ids['own_code']}" in resp.headers["Location"]
    page = client.get(resp.headers["Location"])
    assert "已添加设备 2 台" in page.get_data(as_text=True)
    assert counts(app)[0] == before[0] + 2
    assert counts(app)[1] > before[1]  # audited
    # a reload of the page the POST redirected to adds nothing
    client.get(resp.headers["Location"])
    assert counts(app)[0] == before[0] + 2


def test_export_imports_back_once_codes_are_new(app, client, ids):
    """The export's columns are the import's: a compound's export with new codes imports."""
    login(client, "admin")
    data = client.get(f"/ledger/export.csv?compound={ids['own_code']}").data
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    rows = [r for r in rows if r["status"] != "retired"]
    for r in rows:
        r["code"] = "R-" + r["code"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    before = counts(app)[0]
    resp = upload(client, "\ufeff" + out.getvalue())
    assert any(f"已添加设备 {len(rows)} 台" in m for m in flashes(resp)), flashes(resp)
    assert counts(app)[0] == before + len(rows)
    again = client.get(f"/ledger/export.csv?compound={ids['own_code']}&q=R-").data
    back = {r["code"]: r for r in csv.DictReader(io.StringIO(again.decode("utf-8-sig")))}
    for r in rows:
        got = back[r["code"]]
        for key in ("kind", "name", "x", "y", "line", "status", "model", "serial", "hfov_deg"):
            assert got[key] == r[key], (r["code"], key)


def _bad_cases(ids, centre):
    x, y = ids["free_xy"]
    own = ids["own_code"]
    good = f"{own},camera,OK-1,{x},{y},,90,4,0,20,\n"
    return [
        (HEADER + good + f"{own},camera,BAD-1,{x},{y},,0,4,0,20,\n", 3, "hfov_deg"),
        (HEADER + good + f"{own},camera,BAD-1,abc,{y},,90,4,0,20,\n", 3, "x"),
        (HEADER + good + f"{own},robot,BAD-1,{x},{y},,,,,,\n", 3, "kind"),
        (HEADER + good + f"{own},camera,{ids['own_cam_code']},{x},{y},,90,4,0,20,\n", 3, "code"),
        (HEADER + good + f"{own},camera,BAD-1,{centre[0]},{centre[1]},,90,4,0,20,\n", 3, "x, y"),
        (HEADER + f"{own},camera,OK-1,{x},{y},,90,4,0,20,\n" * 2, 3, "code"),
        (HEADER + good + f"no-such-compound,camera,BAD-1,{x},{y},,90,4,0,20,\n", 3, "compound"),
        (HEADER + good + f"{own},camera,BAD-1,,,,90,4,0,20,\n", 3, "x, y, line"),
    ]


@pytest.mark.parametrize("case", range(8))
def test_bad_row_writes_nothing_and_names_row_and_column(app, client, ids, case):
    login(client, "technician")
    text, row, column = _bad_cases(ids, building_centre(app, ids["own_code"]))[case]
    before = counts(app)
    resp = upload(client, text)
    assert resp.status_code == 200 and resp.request.path == "/ledger/import"
    assert counts(app) == before, "nothing half-written"
    (message,) = [m for m in flashes(resp) if m.startswith("未导入")]
    assert f"第 {row} 行，{column} 列" in message, message
    assert not re.search(r"\b(must|unknown|already|inside|got|required)\b", message), message
    client.post("/language", data={"lang": "en"})
    before = counts(app)  # the language change is audited (the user row)
    resp = upload(client, text)
    (message,) = [m for m in flashes(resp) if m.startswith("Nothing was imported")]
    assert f"row {row}, column {column}:" in message, message
    assert counts(app) == before


@pytest.mark.parametrize(
    ("data", "zh"),
    [
        ("名称,kind\n".encode("gbk"), "不是 UTF-8"),
        (b"", "文件为空"),
        (HEADER.encode(), "没有设备行"),
        (b"kind,code,colour\ncamera,X,red\n", "第 1 行：未知列 'colour'"),
    ],
)
def test_bad_files_write_nothing(app, client, data, zh):
    login(client, "admin")
    before = counts(app)
    messages = flashes(upload(client, data))
    assert any(zh in m for m in messages), messages
    assert counts(app) == before


def test_compound_chosen_on_the_form_fills_rows_without_one(app, client, ids):
    login(client, "technician")
    x, y = ids["free_xy"]
    text = f"kind,code,x,y\ncamera,FORM-1,{x},{y}\n"
    before = counts(app)[0]
    messages = flashes(upload(client, text, compound=ids["own_code"]))
    assert any("已添加设备 1 台" in m for m in messages), messages
    assert counts(app)[0] == before + 1
    messages = flashes(upload(client, f"kind,code,x,y\ncamera,FORM-2,{x},{y}\n"))
    assert any("第 2 行，compound 列" in m for m in messages), messages


@pytest.mark.parametrize("role", ["district", "planner", "manager"])
def test_import_forbidden_roles(app, client, ids, role):
    login(client, role)
    x, y = ids["free_xy"]
    before = counts(app)
    resp = upload(client, HEADER + f"{ids['own_code']},camera,NO-1,{x},{y},,90,4,0,20,\n")
    assert resp.status_code == 403
    assert client.get("/ledger/import").status_code == 403
    assert counts(app) == before


def test_template_imports_once_its_compound_is_real(app, client, ids):
    """The template (the CLI's csv-template) is a file the import reads; its example
    compound does not exist, so the import names that row and column."""
    login(client, "technician")
    resp = client.get("/ledger/template.csv")
    assert resp.status_code == 200 and resp.data.startswith(b"\xef\xbb\xbf")
    before = counts(app)
    messages = flashes(upload(client, resp.data))
    assert any("第 2 行，compound 列" in m for m in messages), messages
    assert counts(app) == before


@pytest.mark.parametrize(
    ("row", "column", "zh"),
    [
        ("camera,Z1,{x},{y},,4,,,,,", "focal_mm", "缺少 sensor_width_mm"),
        ("camera,Z1,{x},{y},,,,,120,,", "tilt_deg", "[-90, 90]"),
        ("camera,Z1,{x},{y},,,,,,,{long}", "name", "超过 200 个字符"),
        ('gate,G9,,,"0,0 5,0",,laser,,,,', "access_control", "未知的门禁方式"),
        ("camera,Z1,{x},{y},,,,,,maybe,", "intercom", "应为 true 或 false"),
        ("camera,Z1,{x},{y},,,,,,,,2024-13-01", "install_date", "应为日期"),
    ],
)
def test_loader_messages_worded_in_chinese(app, client, ids, row, column, zh):
    header = "kind,code,x,y,line,focal_mm,access_control,height_m,tilt_deg,intercom,name"
    header += ",install_date" if row.count(",") == 11 else ""
    x, y = ids["free_xy"]
    text = f"{header}\n" + row.format(x=x, y=y, long="n" * 201) + "\n"
    login(client, "technician")
    before = counts(app)
    messages = flashes(upload(client, text, compound=ids["own_code"]))
    (message,) = [m for m in messages if m.startswith("未导入")]
    assert f"第 2 行，{column} 列" in message and zh in message, message
    assert not re.search(r"\b(given|without|longer|unknown|expected|must)\b", message), message
    assert counts(app) == before
