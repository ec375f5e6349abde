"""Tiny site files (GeoJSON dicts) for the registry tests."""

from __future__ import annotations

import copy
from typing import Any


def feature(kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kind": kind, **props}, "geometry": geometry}


def point(x: float, y: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [x, y]}


def line(*coords: tuple[float, float]) -> dict[str, Any]:
    return {"type": "LineString", "coordinates": [list(c) for c in coords]}


def rect(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def tiny_site(site_id: str = "tiny-court") -> dict[str, Any]:
    """A 40 × 30 m compound: one building, a wall, three zones and every device kind."""
    return {
        "type": "FeatureCollection",
        "site": {
            "id": site_id,
            "name": "Tiny Court",
            "district": "Riverside",
            "address": "1 Small Rd",
            "units": "m",
        },
        "features": [
            feature("boundary", rect(0, 0, 40, 30)),
            feature("building", rect(15, 10, 25, 20), name="Block A", height_m=18),
            feature("wall", line((30, 2), (30, 8)), thickness_m=0.3),
            feature("obstacle", rect(3, 22, 6, 25), name="kiosk"),
            feature("zone", rect(0, 0, 8, 6), name="main gate", zone_type="entrance"),
            feature("zone", rect(30, 20, 40, 30), name="parking", zone_type="parking"),
            feature("zone", rect(0, 0, 40, 30), name="whole", zone_type="square"),
            feature(
                "camera",
                point(0.5, 0.5),
                id="C1",
                name="gate cam",
                heading_deg=45,
                tilt_deg=20,
                focal_mm=4,
                sensor_width_mm=5.37,
                resolution=[2688, 1520],
                height_m=4,
            ),
            feature("camera", point(39.5, 29.5), id="C2", heading_deg=225, hfov_deg=100),
            feature(
                "camera",
                point(15, 15),  # on the facade of Block A
                id="C3",
                status="faulty",
                heading_deg=270,
                model="DS-2CD2143",
                serial="SN-0003",
            ),
            feature("camera", point(35, 5), id="C4", status="planned", heading_deg=0),
            feature("gate", line((0, 2), (0, 5)), id="G1", name="main", access_control="card"),
            feature("gate", point(40, 15), access_control="none", intercom=True),
            feature("alarm", line((0, 0), (40, 0), (40, 30)), id="A1", alarm_type="infrared_beam"),
            feature("intercom", point(20, 10), id="I1", building="Block A"),
            feature("mount", line((15, 10), (25, 10)), name="south facade"),
        ],
    }


def with_features(site: dict[str, Any], *extra: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(site)
    out["features"].extend(copy.deepcopy(list(extra)))
    return out


def without(site: dict[str, Any], ident: str) -> dict[str, Any]:
    out = copy.deepcopy(site)
    out["features"] = [f for f in out["features"] if f["properties"].get("id") != ident]
    return out
