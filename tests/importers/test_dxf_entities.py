"""import-dxf on small drawings built here: entities, units, layers, transforms, bad files."""

from __future__ import annotations

import json
import math

import ezdxf
import pytest
from click.testing import CliRunner
from shapely.geometry import shape

from camwatch.cli import cli

# the tolerances docs/importers.md promises (not imported from the code they check)
CHORD_ERROR_M = 0.01
SNAP_M = 0.05


def new_doc(insunits: int = 6):
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = insunits
    return doc, doc.modelspace()


def square(msp, x0, y0, size, layer, **attribs):
    pts = [(x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size)]
    return msp.add_lwpolyline(pts, close=True, dxfattribs={"layer": layer, **attribs})


def run(doc, tmp_path, *args):
    plan, out = tmp_path / "plan.dxf", tmp_path / "site.geojson"
    doc.saveas(plan)
    result = CliRunner().invoke(cli, ["import-dxf", str(plan), "-o", str(out), *args])
    site = json.loads(out.read_text(encoding="utf-8")) if out.exists() else None
    return result, site


def kinds(site, kind):
    return [f for f in site["features"] if f["properties"]["kind"] == kind]


def test_line_chain_closes_within_the_snap_tolerance(tmp_path):
    doc, msp = new_doc()
    gap = SNAP_M * 0.8
    corners = [(0, 0), (40, 0), (40, 30), (0, 30)]
    for i, a in enumerate(corners):
        b = corners[(i + 1) % 4]
        msp.add_line(a, (b[0] + (gap if i == 2 else 0), b[1]), dxfattribs={"layer": "红线"})
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    # the later end moves to the earlier one: the area changes by at most gap × side
    assert shape(kinds(site, "boundary")[0]["geometry"]).area == pytest.approx(1200, abs=gap * 30)


def test_a_gap_wider_than_the_snap_tolerance_leaves_no_boundary(tmp_path):
    doc, msp = new_doc()
    msp.add_line((0, 0), (40, 0), dxfattribs={"layer": "BOUNDARY"})
    msp.add_line((40, 0), (40, 30), dxfattribs={"layer": "BOUNDARY"})
    msp.add_line((40, 30), (0, 30), dxfattribs={"layer": "BOUNDARY"})
    msp.add_line((0, 30), (0, 3 * SNAP_M), dxfattribs={"layer": "BOUNDARY"})
    result, site = run(doc, tmp_path)
    assert result.exit_code == 2 and site is None
    assert "no closed boundary" in result.output


def test_circle_is_flattened_within_the_chord_error(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 50, "用地红线")
    msp.add_circle((25, 25), 4.0, dxfattribs={"layer": "构筑物"})
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    poly = shape(kinds(site, "obstacle")[0]["geometry"])
    exact = math.pi * 16
    # inscribed chords: area short by at most perimeter × chord error, never over
    assert exact - 2 * math.pi * 4 * CHORD_ERROR_M <= poly.area <= exact
    assert poly.area < exact - 1e-4  # it is a polygon, not the circle


@pytest.mark.parametrize(
    "insunits, units, factor, warned",
    [(4, None, 0.001, False), (5, None, 0.01, False), (0, "cm", 0.01, False), (6, "mm", 1.0, True)],
)
def test_units_from_the_header_else_the_option(tmp_path, insunits, units, factor, warned):
    doc, msp = new_doc(insunits)
    square(msp, 0, 0, 5000, "用地红线")
    args = ["--units", units] if units else []
    result, site = run(doc, tmp_path, *args)
    assert result.exit_code == 0, result.output
    assert shape(kinds(site, "boundary")[0]["geometry"]).area == pytest.approx((5000 * factor) ** 2)
    assert ("--units" in result.output and "ignored" in result.output) == warned


def test_unknown_units_are_refused_and_nothing_is_written(tmp_path):
    doc, msp = new_doc(0)
    square(msp, 0, 0, 50, "用地红线")
    result, site = run(doc, tmp_path)
    assert result.exit_code == 2 and site is None
    assert "--units" in result.output and result.output.count("\n") == 1


def test_blocks_are_exploded_with_their_transforms_and_cameras_get_headings(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 100, "用地红线")
    house = doc.blocks.new("HOUSE")
    house.add_lwpolyline([(0, 0), (10, 0), (10, 4), (0, 4)], close=True)  # layer 0
    outer = doc.blocks.new("ROW")
    outer.add_blockref("HOUSE", (0, 0))
    outer.add_attdef("NAME", (0, 0))
    row = msp.add_blockref("ROW", (50, 50), dxfattribs={"layer": "建筑", "rotation": 90})
    row.add_auto_attribs({"NAME": "沿街商铺"})
    cam = doc.blocks.new("CAM")
    cam.add_lwpolyline([(0, -0.3), (0.8, 0), (0, 0.3)], close=True)
    cam.add_attdef("ID", (1, 0))
    cam.add_attdef("HEIGHT", (1, -1))
    cam.add_attdef("MODEL", (1, -2))
    ref = msp.add_blockref("CAM", (20, 20), dxfattribs={"layer": "CAMERA", "rotation": 30})
    ref.add_auto_attribs({"ID": "K1", "HEIGHT": "4.5", "MODEL": "DS-X"})
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    building = shape(kinds(site, "building")[0]["geometry"])
    assert building.bounds == pytest.approx((46, 50, 50, 60))  # 10 × 4 turned 90° ccw
    assert kinds(site, "building")[0]["properties"] == {
        "kind": "building",
        "name": "沿街商铺",
        "height_m": 10.0,
    }
    (camera,) = kinds(site, "camera")
    assert camera["geometry"]["coordinates"] == [20, 20]
    props = camera["properties"]
    assert (props["id"], props["height_m"], props["model"]) == ("K1", 4.5, "DS-X")
    assert props["heading_deg"] == pytest.approx(60.0)  # 30° ccw from east = bearing 60°


def test_texts_name_buildings_and_thickness_is_height(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 100, "用地红线")
    square(msp, 10, 10, 20, "房屋", thickness=24)
    square(msp, 60, 10, 20, "房屋")
    msp.add_text("3号楼", dxfattribs={"layer": "文字"}).set_placement((15, 15))
    msp.add_text("far away", dxfattribs={"layer": "文字"}).set_placement((500, 500))
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    named = {f["properties"].get("name"): f["properties"] for f in kinds(site, "building")}
    assert named["3号楼"]["height_m"] == 24 and named[None]["height_m"] == 10  # the default
    assert "TEXT (outside every outline)" in result.output


def test_hatch_with_a_hole_and_duplicate_outline(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 100, "用地红线")
    hatch = msp.add_hatch(dxfattribs={"layer": "BLDG"})
    hatch.paths.add_polyline_path([(10, 10), (40, 10), (40, 40), (10, 40)], is_closed=True)
    hatch.paths.add_polyline_path([(20, 20), (30, 20), (30, 30), (20, 30)], is_closed=True)
    square(msp, 60, 60, 10, "OBSTACLE")
    square(msp, 60, 60.01, 10, "OBSTACLE")  # drawn twice, 1 cm apart
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    (building,) = kinds(site, "building")
    assert shape(building["geometry"]).area == pytest.approx(800)
    assert len(shape(building["geometry"]).interiors) == 1
    assert len(kinds(site, "obstacle")) == 1
    assert "duplicate" in result.output


def test_layer_map_overrides_and_door_is_reported(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 100, "A-SITE")
    square(msp, 10, 10, 20, "A-PARK")
    msp.add_point((50, 50), dxfattribs={"layer": "单元门"})
    (tmp_path / "map.toml").write_text(
        '[layers]\n"A-SITE" = "boundary"\n'
        '"A-PARK" = {kind = "zone", zone_type = "parking", required_level = "recognition"}\n',
        encoding="utf-8",
    )
    result, site = run(doc, tmp_path, "--layers", str(tmp_path / "map.toml"))
    assert result.exit_code == 0, result.output
    (zone,) = kinds(site, "zone")
    assert zone["properties"]["zone_type"] == "parking"
    assert zone["properties"]["required_level"] == "recognition"
    assert "door (the site loader has no door kind yet)" in result.output
    listing = CliRunner().invoke(
        cli,
        [
            "import-dxf",
            str(tmp_path / "plan.dxf"),
            "--list-layers",
            "--layers",
            str(tmp_path / "map.toml"),
        ],
    )
    assert "A-PARK\t1\tzone zone_type=parking" in listing.output
    assert "单元门\t1\tdoor" in listing.output


def test_projected_coordinates_keep_or_move(tmp_path):
    doc, msp = new_doc()
    square(msp, 500123.4, 3400567.8, 100, "用地红线")
    result, site = run(doc, tmp_path, "--epsg", "4547")
    assert result.exit_code == 0, result.output
    assert site["site"]["crs"] == {"epsg": 4547, "offset": [500123.0, 3400567.0]}
    assert shape(kinds(site, "boundary")[0]["geometry"]).bounds == pytest.approx(
        (0.4, 0.8, 100.4, 100.8)
    )
    result, site = run(doc, tmp_path, "--epsg", "4547", "--keep-coordinates")
    assert site["site"]["crs"] == {"epsg": 4547}
    assert shape(kinds(site, "boundary")[0]["geometry"]).bounds[0] == pytest.approx(500123.4)


def test_size_warning(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 6, "用地红线")
    result, _ = run(doc, tmp_path)
    assert result.exit_code == 0 and "wrong units?" in result.output


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\x89PNG\r\n\x1a\n not a drawing", "not a readable DXF"),
        (None, "no layer maps"),
        ("open", "no closed boundary"),
        ("camera-outside", "the imported site is invalid"),
    ],
)
def test_bad_files_get_one_message_and_nothing_written(tmp_path, content, message):
    plan, out = tmp_path / "plan.dxf", tmp_path / "site.geojson"
    if isinstance(content, bytes):
        plan.write_bytes(content)
    else:
        doc, msp = new_doc()
        if content is None:
            square(msp, 0, 0, 50, "DIM")
        elif content == "open":
            msp.add_lwpolyline([(0, 0), (50, 0), (50, 50)], dxfattribs={"layer": "红线"})
        else:
            square(msp, 0, 0, 50, "红线")
            msp.add_point((80, 80), dxfattribs={"layer": "摄像机"})
        doc.saveas(plan)
    result = CliRunner().invoke(cli, ["import-dxf", str(plan), "-o", str(out)])
    assert result.exit_code == 2
    assert message in result.output and result.output.startswith("error: ")
    assert result.output.count("\n") == 1 and not out.exists()


def test_symbol_on_layer_0_is_known_by_its_block_name_and_aligned_text_names(tmp_path):
    from ezdxf.enums import TextEntityAlignment

    doc, msp = new_doc()
    square(msp, 0, 0, 100, "用地红线")
    square(msp, 40, 40, 20, "BUILDING")
    doc.blocks.new("CCTV-DOME").add_circle((0, 0), 0.3)
    msp.add_blockref("CCTV-DOME", (10, 10), dxfattribs={"rotation": 180})  # layer 0
    text = msp.add_text("商业楼", dxfattribs={"layer": "TEXT"})
    text.set_placement((50, 50), align=TextEntityAlignment.MIDDLE_CENTER)
    text.dxf.insert = (0, 0)  # writers may leave it unset: aligned text is placed by group 11
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    (camera,) = kinds(site, "camera")
    assert camera["properties"]["heading_deg"] == pytest.approx(270.0)
    assert kinds(site, "building")[0]["properties"]["name"] == "商业楼"


def test_mirrored_symbols_arrays_and_escaped_text(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 100, "用地红线")
    doc.blocks.new("CAM").add_line((0, 0), (1, 0))
    ref = msp.add_blockref("CAM", (30, 30), dxfattribs={"layer": "摄像机", "xscale": -1})
    assert ref.dxf.rotation == 0  # mirrored: the symbol points west
    house = doc.blocks.new("HOUSE")
    house.add_lwpolyline([(0, 0), (8, 0), (8, 5), (0, 5)], close=True)
    row = msp.add_blockref("HOUSE", (10, 60), dxfattribs={"layer": "BLDG"})
    row.grid(size=(1, 3), spacing=(0, 12))  # MINSERT: one row, three columns 12 m apart
    msp.add_text(r"\U+5EFA\U+7B51A", dxfattribs={"layer": "TEXT"}).set_placement((12, 62))
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    assert kinds(site, "camera")[0]["properties"]["heading_deg"] == pytest.approx(270.0)
    houses = sorted(shape(f["geometry"]).bounds for f in kinds(site, "building"))
    assert houses == [(10, 60, 18, 65), (22, 60, 30, 65), (34, 60, 42, 65)]
    assert [f["properties"].get("name") for f in kinds(site, "building")].count("建筑A") == 1


def test_a_boundary_outline_inside_the_boundary_is_an_enclave(tmp_path):
    doc, msp = new_doc()
    square(msp, 0, 0, 100, "用地红线")
    square(msp, 40, 40, 10, "用地红线")  # not part of the compound
    square(msp, 300, 0, 20, "用地红线")  # another plot on the sheet
    result, site = run(doc, tmp_path)
    assert result.exit_code == 0, result.output
    (boundary,) = kinds(site, "boundary")
    assert shape(boundary["geometry"]).area == pytest.approx(100 * 100 - 10 * 10)
    assert "1 boundary hole" in result.output and "kept the largest" in result.output
