"""A tiny compound for the web tests that need fast planning and exact numbers."""

from __future__ import annotations

from typing import Any


def _rect(x0: float, y0: float, x1: float, y1: float) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _f(kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kind": kind, **props}, "geometry": geometry}


def tiny_court(code: str = "tiny-court") -> dict[str, Any]:
    """A 40 × 30 m yard, one 10 × 8 m building, a gate zone, two cameras (one faulty)."""
    return {
        "type": "FeatureCollection",
        "site": {"id": code, "name": "Tiny Court 小院", "district": "Test District", "units": "m"},
        "features": [
            _f("boundary", _rect(0, 0, 40, 30)),
            _f("building", _rect(15, 11, 25, 19), name="Block A"),
            _f("zone", _rect(0, 0, 8, 6), name="gate", zone_type="entrance"),
            _f("zone", _rect(30, 20, 40, 30), name="yard", zone_type="playground"),
            _f(
                "camera",
                {"type": "Point", "coordinates": [0.5, 0.5]},
                id="C1",
                heading_deg=45,
                hfov_deg=90,
            ),
            _f(
                "camera",
                {"type": "Point", "coordinates": [39.5, 29.5]},
                id="C2",
                heading_deg=225,
                status="faulty",
            ),
            _f(
                "gate",
                {"type": "LineString", "coordinates": [[2, 0], [6, 0]]},
                id="G1",
                access_control="card",
            ),
            _f(
                "alarm",
                {"type": "LineString", "coordinates": [[0, 0], [0, 30], [40, 30], [40, 0]]},
                id="A1",
                alarm_type="infrared_beam",
            ),
            _f("intercom", {"type": "Point", "coordinates": [15, 15]}, id="I1", building="Block A"),
        ],
    }
