"""site.crs, KML and WGS84 GeoJSON: parsing, refusal, and coordinates that transform back."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

import pytest
from pyproj import Transformer

from camwatch.errors import SiteFormatError
from camwatch.sitefile import load_site, parse_site, site_to_geojson
from camwatch.sitefile.crs import parse_crs
from tests.report.conftest import SAMPLES

KML = "{http://www.opengis.net/kml/2.2}"
GATED = SAMPLES / "modern_gated.geojson"


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"epsg": "4547"}, "integer EPSG code"),
        ({"epsg": True}, "integer EPSG code"),
        ({}, "must be an object"),
        ({"epsg": None, "offset": "x"}, "pair"),
        ({"epsg": 4547, "offset": [1, 2, 3]}, "pair"),
        ({"epsg": 4547, "offset": [float("nan"), 0]}, "finite"),
        ({"epsg": 4526, "offset": [38_500_000, 3_380_000]}, "zone prefix"),
        ({"epsg": 4547, "rotation_deg": 400}, "rotation_deg"),
        ({"epsg": 4547, "origin": [0, 0]}, "unknown member"),
        ([4547], "must be an object"),
    ],
)
def test_bad_crs_is_refused_by_the_loader(raw, message):
    data = site_to_geojson(load_site(SAMPLES / "old_residential.geojson"))
    data["site"]["crs"] = raw
    with pytest.raises(SiteFormatError, match=message):
        parse_site(data)


def test_crs_survives_a_save_and_reload():
    site = load_site(GATED)
    again = parse_site(json.loads(json.dumps(site_to_geojson(site))))
    assert again.info.extra["crs"] == site.info.extra["crs"]
    assert parse_crs(again.info.extra["crs"]).epsg == 4547


def _back_to_local(lon: float, lat: float, crs: dict) -> tuple[float, float]:
    """Independent inverse: WGS84 → EPSG easting/northing (pyproj) → un-rotate, un-offset."""
    fwd = Transformer.from_crs(4326, crs["epsg"], always_xy=True)
    e, n = fwd.transform(lon, lat)
    dx, dy = e - crs["offset"][0], n - crs["offset"][1]
    r = math.radians(crs["rotation_deg"])
    return dx * math.cos(r) + dy * math.sin(r), -dx * math.sin(r) + dy * math.cos(r)


@pytest.fixture(scope="module")
def kml_tree(tmp_path_factory):
    from click.testing import CliRunner

    from camwatch.cli import cli

    out = tmp_path_factory.mktemp("kml") / "site.kml"
    result = CliRunner().invoke(cli, ["export", str(GATED), "--format", "kml", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return ET.parse(out)


def test_kml_camera_points_transform_back_within_1cm(kml_tree):
    site = load_site(GATED)
    crs = site.info.extra["crs"]
    marks = {}
    for mark in kml_tree.iter(f"{KML}Placemark"):
        point = mark.find(f"{KML}Point/{KML}coordinates")
        if point is not None:
            marks[mark.findtext(f"{KML}name")] = point.text
    assert set(marks) == {c.id for c in site.cameras}
    for cam in site.cameras:
        lon, lat, _ = (float(v) for v in marks[cam.id].split(","))
        assert 113 < lon < 116 and 29 < lat < 32  # Wuhan, where the sample is placed
        x, y = _back_to_local(lon, lat, crs)
        assert math.hypot(x - cam.position[0], y - cam.position[1]) < 0.01, cam.id


def test_kml_boundary_vertices_transform_back_within_1cm(kml_tree):
    site = load_site(GATED)
    crs = site.info.extra["crs"]
    folders = {f.findtext(f"{KML}name"): f for f in kml_tree.iter(f"{KML}Folder")}
    boundary = folders["小区边界"].find(f".//{KML}outerBoundaryIs//{KML}coordinates").text
    points = [tuple(float(v) for v in p.split(",")[:2]) for p in boundary.split()]
    local = [_back_to_local(lon, lat, crs) for lon, lat in points]
    expected = list(site.boundary.exterior.coords)
    assert len(local) == len(expected)
    # the export orients rings counter-clockwise; match each vertex to the nearest original
    for x, y in local:
        assert min(math.hypot(x - ex, y - ey) for ex, ey in expected) < 0.01
    # every layer is there
    assert {"摄像机", "盲区", "建筑", "探测", "辨认"} <= set(folders)


def test_geojson84_is_rfc7946(run, tmp_path):
    from shapely.geometry import shape

    out = tmp_path / "site.geojson"
    run("export", GATED, "--format", "geojson84", "-o", out, "--lang", "en")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    layers = {f["properties"]["layer"] for f in doc["features"]}
    assert {"boundary", "building", "camera", "blind_spot", "detection"} <= layers
    for feat in doc["features"]:
        geom = shape(feat["geometry"])
        lon, lat = geom.representative_point().coords[0]
        assert 113 < lon < 116 and 29 < lat < 32
        if geom.geom_type == "Polygon":
            assert geom.exterior.is_ccw  # right-hand rule
    spots = [f for f in doc["features"] if f["properties"]["layer"] == "blind_spot"]
    site = load_site(GATED)
    from camwatch.geometry.coverage import analyze

    assert len(spots) == len(analyze(site).blind_spots)


def test_export_without_georeference_is_refused_and_writes_nothing(run, tmp_path):
    out = tmp_path / "x.kml"
    result = run(
        "export", SAMPLES / "old_residential.geojson", "--format", "kml", "-o", out, code=2
    )
    assert "no georeference" in result.output and "site.crs" in result.output
    assert list(tmp_path.iterdir()) == []


def test_export_with_a_geographic_crs_is_refused(run, tmp_path):
    data = json.loads(GATED.read_text(encoding="utf-8"))
    data["site"]["crs"] = {"epsg": 4326}
    src = tmp_path / "site.geojson"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "x.geojson"
    result = run("export", src, "--format", "geojson84", "-o", out, code=2)
    assert "not a projected CRS in metres" in result.output
    assert not out.exists()


def test_export_with_an_unknown_epsg_is_refused(run, tmp_path):
    data = json.loads(GATED.read_text(encoding="utf-8"))
    data["site"]["crs"] = {"epsg": 999_999}
    src = tmp_path / "site.geojson"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run("export", src, "--format", "kml", "-o", tmp_path / "x.kml", code=2)
    assert "EPSG:999999" in result.output


def test_offset_without_epsg_loads_but_does_not_export(run, tmp_path):
    data = json.loads(GATED.read_text(encoding="utf-8"))
    data["site"]["crs"] = {"offset": [500000, 3400000]}  # as import-dxf writes it without --epsg
    src = tmp_path / "site.geojson"
    src.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_site(src).info.extra["crs"] == {"offset": [500000, 3400000]}
    out = tmp_path / "x.kml"
    result = run("export", src, "--format", "kml", "-o", out, code=2)
    assert "no EPSG code" in result.output and not out.exists()
