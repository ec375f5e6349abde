"""Generate the importers' sample plans in ``sample_sites/`` (deterministic).

- ``old_residential_plan.dxf`` — 幸福里小区 (``old_residential.geojson``) as a CAD
  site plan: millimetres ($INSUNITS 4), a projected offset of (500 000,
  3 400 000) m, Chinese layer names, the boundary as loose LINEs (a 3 mm gap), buildings as
  closed polylines with extrusion thickness = height, names as TEXT, walls as
  wide polylines, one obstacle as a HATCH named by a tag block, one obstacle as
  a SPLINE, camera blocks with attributes (rotation = heading), and layers the
  importer does not map (intercoms, alarms, a road centre line with arcs).
- ``modern_gated_scan.png`` — 锦绣华庭 (``modern_gated.geojson``) as a scanned
  paper plan (filled buildings, outlined boundary, labels, noise, blur, a 2°
  skew, JPEG artefacts), rendered by :mod:`bench.plan_scans`; its scale bar is
  printed below (``--scale`` for ``camwatch import-image``).

Run from the repository root::

    .venv/bin/python tools/make_plan_samples.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import ezdxf
from ezdxf.math import BSpline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.plan_scans import render_scan, write_scan  # noqa: E402

OUT_DIR = ROOT / "sample_sites"
OFFSET_M = (500_000.0, 3_400_000.0)  # a CGCS2000 3° zone easting/northing
MM = 1000.0
ZONE_LAYERS = {
    "entrance": "区域-入口",
    "perimeter": "区域-周界",
    "parking": "区域-停车",
    "bike_shed": "区域-车棚",
    "playground": "区域-儿童游乐",
    "lobby": "区域-大堂",
    "road": "区域-道路",
    "square": "区域-广场",
    "garage": "区域-地下车库",
    "ebike_charging": "区域-电动车充电",
    "lift": "区域-电梯厅",
    "other": "区域-其他",
}
CAMERA_TAGS = {
    "id": "ID",
    "name": "NAME",
    "status": "STATUS",
    "height_m": "HEIGHT",
    "tilt_deg": "TILT",
    "hfov_deg": "HFOV",
    "vfov_deg": "VFOV",
    "focal_mm": "FOCAL",
    "sensor_width_mm": "SENSOR",
    "resolution": "RESOLUTION",
    "range_m": "RANGE",
    "model": "MODEL",
    "serial": "SERIAL",
}


def mm(p: list[float]) -> tuple[float, float]:
    """Site metres → drawing millimetres with the projected offset."""
    return ((p[0] + OFFSET_M[0]) * MM, (p[1] + OFFSET_M[1]) * MM)


def _blocks(doc: Any) -> None:
    cam = doc.blocks.new("摄像机")
    cam.add_lwpolyline([(0, -250), (600, 0), (0, 250)], close=True)  # points along +x
    cam.add_circle((0, 0), 150)
    for i, tag in enumerate(CAMERA_TAGS.values()):
        cam.add_attdef(tag, (700, -300 * i), dxfattribs={"height": 200})
    tag = doc.blocks.new("标注")
    tag.add_attdef("NAME", (0, 0), dxfattribs={"height": 300})
    tag.add_attdef("HEIGHT", (0, -400), dxfattribs={"height": 300})


def _text(msp: Any, text: str, at: tuple[float, float], layer: str) -> None:
    msp.add_text(text, height=800, dxfattribs={"layer": layer}).set_placement(at)


def _own_point(zone: Any, zones: list[Any]) -> Any:
    """A point of ``zone`` outside every smaller zone (so its label names it, not them)."""
    own = zone
    for other in zones:
        if other.area < zone.area:
            own = own.difference(other)
    return (own if not own.is_empty else zone).representative_point()


def make_dxf(site: dict[str, Any], path: Path) -> None:
    """Write ``site`` (a sample FeatureCollection) as a CAD plan (see module docstring)."""
    from shapely.geometry import shape

    doc = ezdxf.new("R2018", setup=True)
    doc.header["$INSUNITS"] = 4
    _blocks(doc)
    msp = doc.modelspace()
    hatched = spline = False
    zones = [shape(f["geometry"]) for f in site["features"] if f["properties"]["kind"] == "zone"]
    for f in site["features"]:
        props, geom = f["properties"], f["geometry"]
        kind, coords = props["kind"], geom["coordinates"]
        if kind == "boundary":
            ring = coords[0][:-1]
            for i, a in enumerate(ring):
                b = ring[(i + 1) % len(ring)]
                start = mm(a)
                if i == 2:  # a 3 mm gap at one corner, closed by endpoint snapping
                    start = (start[0] + 3.0, start[1])
                msp.add_line(start, mm(b), dxfattribs={"layer": "用地红线"})
        elif kind == "building" and len(coords) > 1:  # a courtyard: a HATCH with a hole
            hatch = msp.add_hatch(dxfattribs={"layer": "建筑"})
            for ring in coords:
                hatch.paths.add_polyline_path([mm(p) for p in ring[:-1]], is_closed=True)
            label = shape(geom).representative_point()
            ref = msp.add_blockref("标注", mm([label.x, label.y]), dxfattribs={"layer": "建筑"})
            ref.add_auto_attribs({"NAME": props["name"], "HEIGHT": str(props["height_m"])})
        elif kind == "building":
            msp.add_lwpolyline(
                [mm(p) for p in coords[0][:-1]],
                close=True,
                dxfattribs={"layer": "建筑", "thickness": props["height_m"] * MM},
            )
            label = shape(geom).representative_point()
            _text(msp, props["name"].split()[0], mm([label.x, label.y]), "文字")
        elif kind == "obstacle":
            label = shape(geom).representative_point()
            ring = [mm(p) for p in coords[0]]
            if not hatched:  # a HATCH without outline, named by a tag block
                hatched = True
                hatch = msp.add_hatch(dxfattribs={"layer": "构筑物"})
                hatch.paths.add_polyline_path(ring[:-1], is_closed=True)
                ref = msp.add_blockref(
                    "标注", mm([label.x, label.y]), dxfattribs={"layer": "构筑物"}
                )
                ref.add_auto_attribs({"NAME": props["name"], "HEIGHT": str(props["height_m"])})
                continue
            if not spline:  # a closed linear SPLINE through the corners
                spline = True
                curve = BSpline(ring, order=2)  # degree 1, clamped: passes every corner
                msp.add_spline(dxfattribs={"layer": "构筑物"}).apply_construction_tool(curve)
                ref = msp.add_blockref(
                    "标注", mm([label.x, label.y]), dxfattribs={"layer": "构筑物"}
                )
                ref.add_auto_attribs({"HEIGHT": str(props["height_m"])})
            else:
                msp.add_lwpolyline(
                    ring[:-1],
                    close=True,
                    dxfattribs={"layer": "构筑物", "thickness": props["height_m"] * MM},
                )
            _text(msp, props["name"], mm([label.x, label.y]), "文字")
        elif kind == "wall":
            msp.add_lwpolyline(
                [mm(p) for p in coords],
                dxfattribs={"layer": "围墙", "const_width": props["thickness_m"] * MM},
            )
        elif kind == "zone":
            layer = ZONE_LAYERS[props["zone_type"]]
            msp.add_lwpolyline(
                [mm(p) for p in coords[0][:-1]], close=True, dxfattribs={"layer": layer}
            )
            label = _own_point(shape(geom), zones)
            _text(msp, props["name"], mm([label.x, label.y]), layer)
            extra = {"LEVEL": props.get("required_level"), "WEIGHT": props.get("weight")}
            if any(v is not None for v in extra.values()):
                ref = msp.add_blockref("标注", mm([label.x, label.y]), dxfattribs={"layer": layer})
                for tag, value in extra.items():
                    if value is not None:
                        ref.add_attrib(tag, str(value), mm([label.x, label.y]))
        elif kind == "camera":
            ref = msp.add_blockref(
                "摄像机",
                mm(coords),
                dxfattribs={"layer": "摄像机", "rotation": 90.0 - props["heading_deg"]},
            )
            values = {}
            for key, tag in CAMERA_TAGS.items():
                if key in props:
                    v = props[key]
                    values[tag] = "x".join(map(str, v)) if key == "resolution" else str(v)
            ref.add_auto_attribs(values)
        elif kind == "gate" and geom["type"] == "Point":
            msp.add_point(mm(coords), dxfattribs={"layer": "大门"})
        elif kind == "gate":
            msp.add_lwpolyline([mm(p) for p in coords], dxfattribs={"layer": "大门"})
        elif kind == "mount":
            if geom["type"] == "Point":
                msp.add_point(mm(coords), dxfattribs={"layer": "安装点"})
            else:
                msp.add_lwpolyline([mm(p) for p in coords], dxfattribs={"layer": "安装点"})
        elif kind in ("intercom", "alarm"):
            layer = {"intercom": "对讲", "alarm": "报警"}[kind]
            p = coords if geom["type"] == "Point" else coords[0]
            msp.add_circle(mm(p), 300, dxfattribs={"layer": layer})
    # A road centre line the importer does not map: an arc and a line.
    msp.add_arc(mm([75, 55]), 20 * MM, 200, 340, dxfattribs={"layer": "道路中心线"})
    msp.add_line(mm([0, 55]), mm([150, 55]), dxfattribs={"layer": "道路中心线"})
    # CLASS entries are added from a set when saving: add and sort them first (same bytes each run)
    doc.classes.add_required_classes(doc.dxfversion)
    doc.classes.classes = dict(sorted(doc.classes.classes.items()))
    doc.saveas(path)


def main() -> None:
    ezdxf.options.write_fixed_meta_data_for_testing = True  # reproducible bytes (no GUIDs, dates)
    OUT_DIR.mkdir(exist_ok=True)
    old = json.loads((OUT_DIR / "old_residential.geojson").read_text(encoding="utf-8"))
    dxf_path = OUT_DIR / "old_residential_plan.dxf"
    make_dxf(old, dxf_path)
    print(f"wrote {dxf_path.relative_to(ROOT)}")
    modern = json.loads((OUT_DIR / "modern_gated.geojson").read_text(encoding="utf-8"))
    scan = render_scan(modern, px_per_m=4.0, rotation_deg=2.0, seed=11)
    png_path = OUT_DIR / "modern_gated_scan.png"
    write_scan(scan, png_path)
    x1, y1, x2, y2, metres = scan.scale_bar
    print(
        f"wrote {png_path.relative_to(ROOT)}  --scale {x1:.1f},{y1:.1f},{x2:.1f},{y2:.1f},{metres:g}"
    )


if __name__ == "__main__":
    main()
