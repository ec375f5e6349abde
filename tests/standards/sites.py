"""Small hand-built compounds for the standards tests.

:func:`baseline` is a 60 × 40 m compound that meets every rule of the national
profile: a 10 m gate on the south edge with a face/plate camera behind it,
four 12 MP fisheyes at 5 m covering everything at detection, two beam defence
zones round the boundary except the gate, one building with a unit door, its
intercom and a camera on the door. The figures that make it pass are worked
out by hand in the comments (they share no code with the rules).

Each ``plant_*`` function changes one fact and returns the (rule, features)
findings that change must give under the national profile.
"""

from __future__ import annotations

import copy
from typing import Any

Planted = set[tuple[str, tuple[str, ...]]]


def _f(kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kind": kind, **props}, "geometry": geometry}


def _pt(x: float, y: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [x, y]}


def _line(*pts: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(p) for p in pts]}


def _box(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _fisheye(cid: str, x: float, y: float) -> dict[str, Any]:
    # detection reach W / (α·P) = 4000 / (2π · 25) = 25.5 m > 18.0 m, the farthest point
    # of its 30 × 20 m quarter; observation reach 10.2 m
    return _f(
        "camera", _pt(x, y), id=cid, height_m=5.0, hfov_deg=360, resolution=[4000, 3000],
        tilt_deg=90, purpose="overview",
    )  # fmt: skip


def baseline() -> dict[str, Any]:
    """A compound that meets the national profile (no findings)."""
    return {
        "type": "FeatureCollection",
        "site": {"id": "base", "name": "基准小区", "households": 100, "retention_days": 30},
        "features": [
            _f("boundary", _box(0, 0, 60, 40)),
            _f("building", _box(20, 15, 40, 25), name="B1", height_m=18),
            _f(
                "gate",
                _line((25, 0), (35, 0)),
                id="G1",
                access_control="card",
                gate_type="mixed",
                lanes=1,
            ),  # fmt: skip
            # lines round the boundary except the gate: 25 + 40 + 30 = 95 m each
            _f(
                "alarm",
                _line((25, 0), (0, 0), (0, 40), (30, 40)),
                id="IR-1",
                alarm_type="infrared_beam",
                zone="Z1",
            ),  # fmt: skip
            _f(
                "alarm",
                _line((30, 40), (60, 40), (60, 0), (35, 0)),
                id="IR-2",
                alarm_type="infrared_beam",
                zone="Z2",
            ),  # fmt: skip
            _fisheye("F1", 15, 10),
            _fisheye("F2", 45, 10),
            _fisheye("F3", 15, 30),
            _fisheye("F4", 45, 30),
            # gate camera 9 m behind the gate looking out: 2560 px over 40° gives
            # identification to 2560 / (500 tan 20°) = 14.1 m; ground near limit
            # 3 / tan(10° + 11.5°) = 7.6 m, so the lane axis y ∈ [0, 1.4] is identified and
            # the throat (30, 1) is seen; face depression atan(1.4 / 8) = 10° ≤ 30°,
            # plate atan(2.5 / 8) = 17° ≤ 30°
            _f(
                "camera",
                _pt(30, 9),
                id="GC",
                height_m=3.0,
                heading_deg=180,
                tilt_deg=10,
                hfov_deg=40,
                resolution=[2560, 1440],
                purpose="face",
            ),  # fmt: skip
            # door camera: 8.5 m from the point 1 m in front of the door, recognition
            # reach 2560 / (250 tan 45°) = 10.2 m, near limit 3.5 / tan(15° + 29.4°) = 3.6 m
            _f(
                "camera",
                _pt(36, 8),
                id="DC",
                height_m=3.5,
                heading_deg=315,
                tilt_deg=15,
                hfov_deg=90,
                resolution=[2560, 1440],
            ),  # fmt: skip
            _f("door", _pt(30, 15), id="D1", building="B1", door_type="unit", intercom=True),
            _f("zone", _box(40, 28, 55, 36), name="square", zone_type="square"),
            # within 7.6 m of F3 (observation reach 10.2 m)
            _f("zone", _box(8, 27, 14, 33), name="parking", zone_type="parking"),
        ],
    }


def feature(site: dict[str, Any], ident: str) -> dict[str, Any]:
    """The feature whose id (or name) is ``ident``."""
    for f in site["features"]:
        props = f["properties"]
        if props.get("id") == ident or props.get("name") == ident:
            return f
    raise KeyError(ident)


def planted(change: Any) -> tuple[dict[str, Any], Planted]:
    site = copy.deepcopy(baseline())
    expected = change(site)
    return site, expected


# -- one violation each (national profile) ----------------------------------------


def plant_zone_len(site: dict[str, Any]) -> Planted:
    for ident in ("IR-1", "IR-2"):  # one zone of 190 m of electric fence (limit 100 m)
        feature(site, ident)["properties"].update(alarm_type="electric_fence", zone="Z1")
    return {("PERIM-ZONE-LEN", ("Z1",))}


def plant_gap(site: dict[str, Any]) -> Planted:
    feature(site, "IR-2")["geometry"] = _line((30, 40), (60, 40), (60, 0), (40, 0))
    return {("PERIM-CONTINUOUS", ("Z2",))}


def plant_block(site: dict[str, Any]) -> Planted:
    site["features"].append(_f("wall", _line((59, 30), (61, 30)), name="W1"))
    return {("PERIM-NO-BLOCK", ("IR-2", "W1"))}


def plant_no_alarm(site: dict[str, Any]) -> Planted:
    site["features"] = [f for f in site["features"] if f["properties"]["kind"] != "alarm"]
    return {("PERIM-CONTINUOUS", ())}


def plant_no_access(site: dict[str, Any]) -> Planted:
    feature(site, "G1")["properties"]["access_control"] = "none"
    return {("GATE-ACCESS", ("G1",))}


def plant_ptz(site: dict[str, Any]) -> Planted:
    feature(site, "GC")["properties"]["ptz"] = True
    return {("GATE-FIXED", ("GC", "G1"))}


def plant_no_intercom(site: dict[str, Any]) -> Planted:
    feature(site, "D1")["properties"]["intercom"] = False
    return {("DOOR-INTERCOM", ("D1",))}


def plant_door_unwatched(site: dict[str, Any]) -> Planted:
    feature(site, "DC")["properties"]["status"] = "offline"
    return {("DOOR-CAM", ("D1",))}


def plant_retention(site: dict[str, Any]) -> Planted:
    site["site"]["retention_days"] = 7
    return {("RETENTION", ())}


def plant_low_res(site: dict[str, Any]) -> Planted:
    # a planned 1280 × 720 (0.9 MP) camera: not counted in coverage, still checked
    site["features"].append(
        _f(
            "camera",
            _pt(50, 20),
            id="LR",
            height_m=4.0,
            heading_deg=90,
            hfov_deg=60,
            resolution=[1280, 720],
            status="planned",
        )  # fmt: skip
    )
    return {("RESOLUTION", ("LR",))}


def plant_low_mount(site: dict[str, Any]) -> Planted:
    # a fisheye's ground footprint does not depend on its height (docs/site-format.md §2)
    feature(site, "F1")["properties"]["height_m"] = 11.0
    return {("MOUNT-HEIGHT", ("F1",))}


def plant_big(site: dict[str, Any]) -> Planted:
    site["site"]["households"] = 3200  # the fisheyes are overview cameras but only 5 m high
    return {("HIGH-POINT", ())}


def plant_key_area(site: dict[str, Any]) -> Planted:
    # a parking zone asked only for detection: ZONE-LEVEL passes, KEY-AREAS wants observation
    # (F4 at (45, 30) is 15 m from (58, 38): beyond its 10.2 m observation reach)
    site["features"].append(
        _f(
            "zone",
            _box(54, 34, 59, 39),
            name="far parking",
            zone_type="parking",
            required_level="detection",
        )  # fmt: skip
    )
    return {("KEY-AREAS", ("far parking",))}


def plant_zone_level(site: dict[str, Any]) -> Planted:
    site["features"].append(
        _f(
            "zone",
            _box(54, 34, 59, 39),
            name="corner",
            zone_type="other",
            required_level="recognition",
        )  # fmt: skip
    )
    return {("ZONE-LEVEL", ("corner",))}


def plant_vehicle_gate_without_camera(site: dict[str, Any]) -> Planted:
    # a second, vehicle-only gate on the north edge with nothing watching it outward
    site["features"].append(
        _f(
            "gate", _line((10, 40), (16, 40)), id="G2", access_control="card", gate_type="vehicle"
        )  # fmt: skip
    )
    # the alarm line IR-1 ran over it: give the gate its opening (IR-1 stops at 10, resumes at 16)
    feature(site, "IR-1")["geometry"] = _line((25, 0), (0, 0), (0, 40), (10, 40))
    site["features"].append(
        _f("alarm", _line((16, 40), (30, 40)), id="IR-1b", alarm_type="infrared_beam", zone="Z1")
    )
    return {("GATE-LANE-CAM", ("G2",)), ("GATE-PLATE", ("G2",))}


def plant_pedestrian_gate_without_face(site: dict[str, Any]) -> Planted:
    site["features"].append(
        _f(
            "gate",
            _line((10, 40), (13, 40)),
            id="G3",
            access_control="face",
            gate_type="pedestrian",
        )  # fmt: skip
    )
    feature(site, "IR-1")["geometry"] = _line((25, 0), (0, 0), (0, 40), (10, 40))
    site["features"].append(
        _f("alarm", _line((13, 40), (30, 40)), id="IR-1b", alarm_type="infrared_beam", zone="Z1")
    )
    return {("GATE-FACE", ("G3",))}


PLANTS = [
    plant_zone_len,
    plant_gap,
    plant_block,
    plant_no_alarm,
    plant_no_access,
    plant_ptz,
    plant_no_intercom,
    plant_door_unwatched,
    plant_retention,
    plant_low_res,
    plant_low_mount,
    plant_big,
    plant_key_area,
    plant_zone_level,
    plant_vehicle_gate_without_camera,
    plant_pedestrian_gate_without_face,
]
