"""New compound from the web: drafts from DXF, image, GeoJSON and an empty canvas; bad files
get one translated message and nothing is written (docs/web.md, "New compound")."""

from __future__ import annotations

import io
import json

import ezdxf
import pytest
from shapely.geometry import shape
from sqlalchemy import func, select

from camwatch.registry.models import AuditLog, Compound
from tests.web.conftest import SAMPLE_SITES, login

DXF = SAMPLE_SITES / "old_residential_plan.dxf"
SCAN = SAMPLE_SITES / "modern_gated_scan.png"
SCAN_SCALE = {"x1": "90.4", "y1": "892.6", "x2": "290.3", "y2": "885.6", "metres": "50"}


@pytest.fixture
def planner(client):
    login(client, "planner")
    return client


def _draft(client, source, data=b"", filename="plan", **fields):
    form = {"source": source, "code": "new-site", **fields}
    if data:
        form["file"] = (io.BytesIO(data), filename)
    return client.post("/compounds/new/draft", data=form, content_type="multipart/form-data")


def _counts(app):
    from web.db import new_session

    with app.app_context():
        s = new_session(app)
        try:
            return (
                s.scalar(select(func.count(Compound.id))),
                s.scalar(select(func.count(AuditLog.id))),
            )
        finally:
            s.close()


def _kinds(site):
    out: dict[str, int] = {}
    for f in site["features"]:
        out[f["properties"]["kind"]] = out.get(f["properties"]["kind"], 0) + 1
    return out


def test_dxf_draft_reports_layers_and_matches_the_original_site(planner):
    resp = _draft(planner, "dxf", DXF.read_bytes(), "plan.dxf")
    assert resp.status_code == 200, resp.get_data(as_text=True)
    draft = resp.get_json()
    kinds = _kinds(draft["site"])
    original = json.loads((SAMPLE_SITES / "old_residential.geojson").read_text(encoding="utf-8"))
    assert kinds["building"] == _kinds(original)["building"]
    assert kinds["boundary"] == 1
    layers = {row["layer"]: row for row in draft["layers"]}
    assert any(
        row["kind"] == "building" and row["written"].get("building") for row in layers.values()
    )
    assert "building" in draft["kinds"]
    # the boundary has the original's area (the importer's own bench checks 0.5 %)
    area = shape(
        next(f for f in draft["site"]["features"] if f["properties"]["kind"] == "boundary")[
            "geometry"
        ]
    ).area
    want = shape(
        next(f for f in original["features"] if f["properties"]["kind"] == "boundary")["geometry"]
    ).area
    assert area == pytest.approx(want, rel=0.005)


def test_dxf_remapping_a_layer_changes_the_draft(planner):
    first = _draft(planner, "dxf", DXF.read_bytes(), "plan.dxf").get_json()
    layer = next(
        r["layer"]
        for r in first["layers"]
        if r["kind"] == "building" and r["written"].get("building")
    )
    n = first["layers"][[r["layer"] for r in first["layers"]].index(layer)]["written"]["building"]
    again = _draft(
        planner, "dxf", DXF.read_bytes(), "plan.dxf", mapping=json.dumps({layer: "obstacle"})
    )
    assert again.status_code == 200, again.get_data(as_text=True)
    draft = again.get_json()
    assert _kinds(draft["site"]).get("building", 0) == _kinds(first["site"])["building"] - n
    assert _kinds(draft["site"]).get("obstacle", 0) == _kinds(first["site"]).get("obstacle", 0) + n
    row = next(r for r in draft["layers"] if r["layer"] == layer)
    assert row["kind"] == "obstacle" and row["written"] == {"obstacle": n}


def test_image_draft_traces_buildings(planner):
    resp = _draft(planner, "image", SCAN.read_bytes(), "scan.png", **SCAN_SCALE)
    assert resp.status_code == 200, resp.get_data(as_text=True)
    draft = resp.get_json()
    original = json.loads((SAMPLE_SITES / "modern_gated.geojson").read_text(encoding="utf-8"))
    assert _kinds(draft["site"])["building"] == _kinds(original)["building"]
    assert draft["px_per_m"] == pytest.approx(((290.3 - 90.4) ** 2 + 7.0**2) ** 0.5 / 50)


def test_geojson_and_empty_drafts(planner):
    data = (SAMPLE_SITES / "urban_village.geojson").read_bytes()
    resp = _draft(planner, "geojson", data, "v.geojson")
    assert resp.status_code == 200
    assert resp.get_json()["site"]["features"] == json.loads(data)["features"]
    resp = _draft(planner, "empty", width="120", height="80")
    assert resp.status_code == 200
    boundary = shape(resp.get_json()["site"]["features"][0]["geometry"])
    assert boundary.area == pytest.approx(9600.0)


def _png(width=200, height=150, ink=False) -> bytes:
    import cv2
    import numpy as np

    img = np.full((height, width), 255, dtype=np.uint8)
    if ink:
        cv2.line(img, (10, 10), (190, 12), 0, 1)
    ok, buf = cv2.imencode(".png", img)
    assert ok
    return bytes(buf)


def _png_header(width: int, height: int) -> bytes:
    """A PNG signature and IHDR chunk announcing ``width`` × ``height`` (no pixel data)."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


def _dxf_bytes(*, units: int | None, layers: dict[str, list]) -> bytes:
    doc = ezdxf.new()
    if units is not None:
        doc.header["$INSUNITS"] = units
    msp = doc.modelspace()
    for layer, polys in layers.items():
        for pts, closed in polys:
            msp.add_lwpolyline(pts, close=closed, dxfattribs={"layer": layer})
    out = io.StringIO()
    doc.write(out)
    return out.getvalue().encode("utf-8")


SQUARE = [(0, 0), (50000, 0), (50000, 40000), (0, 40000)]

BAD = [
    ("dxf", b"this is not a drawing at all", {}, "DXF"),
    ("dxf", _dxf_bytes(units=4, layers={"DIM": [(SQUARE, True)]}), {}, "DIM"),
    (
        "dxf",
        _dxf_bytes(units=4, layers={"用地红线": [(SQUARE, False)], "建筑": [(SQUARE, True)]}),
        {},
        "boundary",
    ),
    ("dxf", _dxf_bytes(units=0, layers={"用地红线": [(SQUARE, True)]}), {}, "units"),
    ("image", _png(), SCAN_SCALE, "blank"),
    ("image", _png(ink=True), SCAN_SCALE, "building"),
    ("image", SCAN.read_bytes(), {**SCAN_SCALE, "x2": "90.4", "y2": "892.6"}, "equal"),
    ("image", b"not an image", SCAN_SCALE, "image"),
    ("geojson", b"{not json", {}, "JSON"),
    ("geojson", b'{"type": "FeatureCollection", "features": []}', {}, "boundary"),
    ("empty", b"", {"width": "0", "height": "10"}, "1"),
    ("dxf", b"", {}, "file"),
    ("image", SCAN.read_bytes(), {**SCAN_SCALE, "metres": ""}, "number"),
    ("empty", b"", {"width": "wide", "height": "10"}, "number"),
    ("image", _png_header(20000, 20000), SCAN_SCALE, "pixels"),  # Pillow's bomb limit
    ("image", _png_header(12000, 9000), SCAN_SCALE, "pixels"),  # ours: 108 M > 100 M
]


@pytest.mark.parametrize(
    "source, data, fields, word", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_files_get_one_message_and_nothing_is_written(app, planner, source, data, fields, word):
    planner.post("/language", data={"lang": "en"})
    before = _counts(app)
    resp = _draft(planner, source, data, f"bad.{source}", **fields)
    assert resp.status_code == 400, resp.get_data(as_text=True)
    err = resp.get_json()["error"]
    assert word.lower() in err["message"].lower() or word.lower() in err["detail"].lower()
    assert "Traceback" not in err["message"] and "\n" not in err["message"]
    assert _counts(app) == before


def test_bad_file_message_is_chinese(planner):
    planner.post("/language", data={"lang": "zh"})
    resp = _draft(planner, "geojson", b'{"type": "FeatureCollection", "features": []}', "x.geojson")
    msg = resp.get_json()["error"]["message"]
    assert msg.startswith("文件未能读取") and "用地红线" in msg
    resp = _draft(planner, "nothing")
    assert resp.status_code == 400 and "来源" in resp.get_json()["error"]["message"]


def test_create_from_dxf_then_edit_and_analyse(app, planner):
    draft = _draft(planner, "dxf", DXF.read_bytes(), "plan.dxf").get_json()
    before = _counts(app)
    resp = planner.post(
        "/compounds/new/create",
        json={"code": "xingfu-cad", "name": "幸福里（CAD）", "site": draft["site"]},
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)
    made = resp.get_json()
    assert made["editor"] == f"/compounds/{made['id']}/editor"
    count, audits = _counts(app)
    assert count == before[0] + 1 and audits > before[1]
    plan = planner.get(f"/compounds/{made['id']}/editor/plan.json").get_json()
    cams = [f for f in plan["devices"]["features"] if f["properties"]["kind"] == "camera"]
    assert len(cams) == _kinds(draft["site"]).get("camera", 0)
    cov = planner.get(f"/compounds/{made['id']}/coverage.json")
    assert cov.status_code == 200 and cov.get_json()["summary"]["monitored_area_m2"] > 0
    # the same code again is refused, nothing written
    again = planner.post(
        "/compounds/new/create", json={"code": "xingfu-cad", "site": draft["site"]}
    )
    assert again.status_code == 400 and "xingfu-cad" in again.get_json()["error"]["message"]
    assert _counts(app)[0] == count


@pytest.mark.parametrize(
    "body",
    [
        {"code": "", "site": {}},
        {"code": "ok-code", "site": None},
        {"code": "ok-code", "site": {"type": "FeatureCollection", "features": []}},
        {
            "code": "ok-code",
            "site": {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {"kind": "door"}, "geometry": None}],
            },
        },
    ],
)
def test_create_refuses_bad_drafts(app, planner, body):
    before = _counts(app)
    resp = planner.post("/compounds/new/create", json=body)
    assert resp.status_code == 400
    assert _counts(app) == before


@pytest.mark.parametrize(
    "role, status", [("technician", 403), ("manager", 403), ("district", 403), ("admin", 200)]
)
def test_new_compound_roles(client, role, status):
    login(client, role)
    assert client.get("/compounds/new").status_code == status
    assert _draft(client, "empty", width="10", height="10").status_code == status


def test_new_page_is_chinese(planner):
    planner.post("/language", data={"lang": "zh"})
    html = planner.get("/compounds/new").get_data(as_text=True)
    assert "新建小区" in html and "读取平面图" in html
    for english in ("New compound", "Read the plan", "Empty canvas", "Check the draft"):
        assert english not in html


# words a Chinese message may keep: format names, and layer names from the file itself
KEPT = ("GeoJSON", "DXF", "JSON", "PNG", "JPEG", "TIFF", "DIM")


@pytest.mark.parametrize(
    "source, data, fields, word", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)]
)
def test_bad_files_are_worded_in_chinese(planner, source, data, fields, word):
    import re

    planner.post("/language", data={"lang": "zh"})
    resp = _draft(planner, source, data, f"bad.{source}", **fields)
    assert resp.status_code == 400
    message = resp.get_json()["error"]["message"]
    rest = message
    for kept in KEPT:
        rest = rest.replace(kept, "")
    assert not re.search(r"[A-Za-z]{2,}", rest), message
    assert "/tmp" not in message and "camwatch-dxf" not in resp.get_data(as_text=True)
