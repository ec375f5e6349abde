"""GeoJSON for the map, in site coordinates (local metres, x east, y north).

Leaflet's ``CRS.Simple`` maps ``lng = x`` and ``lat = y``; GeoJSON positions are
``[x, y]``, which Leaflet's GeoJSON layer reads the right way round. Only
hand-made Leaflet points need ``[y, x]`` (done in ``static/js/map_base.js``).

Coordinates are rounded to 1 cm (``ROUND``): well below drawing precision and
it keeps the JSON small for a 200-camera compound.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from camwatch.geometry.coverage import Analysis
from camwatch.geometry.optics import reach
from camwatch.model import LEVELS, Site
from camwatch.registry.models import Compound, Device

ROUND = 2
# coverage and blind-spot outlines are simplified by this much for drawing only (the
# numbers shown come from the exact geometry): a large compound's layers shrink from
# ~3 MB to ~0.3 MB and the shapes move by at most 2 cm — far below a screen pixel
DRAW_TOLERANCE_M = 0.02


def _round(coords: Any) -> Any:
    if isinstance(coords, int | float):
        return round(float(coords), ROUND)
    return [_round(c) for c in coords]


def geometry(geom: BaseGeometry, *, simplify: float = 0.0) -> dict[str, Any] | None:
    """A shapely geometry as a GeoJSON geometry with rounded coordinates (None if empty).

    ``simplify`` > 0 simplifies outlines by that tolerance (metres) for drawing.
    """
    if geom is None or geom.is_empty:
        return None
    if simplify > 0:
        # Douglas–Peucker without topology checks: 10–25× faster on a large compound's
        # coverage (docs/web.md, "Performance"); drawing only, and an outline thinner than
        # the tolerance that it would drop is simplified with them instead
        simple = geom.simplify(simplify, preserve_topology=False)
        if simple.is_empty or simple.geom_type != geom.geom_type:
            simple = geom.simplify(simplify, preserve_topology=True)
        if simple.is_empty:
            return None
        geom = simple
    if geom.geom_type == "GeometryCollection":
        polys = [
            g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")
        ]
        if not polys:
            return None
        from shapely.ops import unary_union

        geom = unary_union(polys)
    if geom.geom_type in ("Point", "LineString", "MultiPoint", "MultiLineString"):
        data = mapping(geom)
        return {"type": data["type"], "coordinates": _round(data["coordinates"])}
    # outlines: rounded as coordinate arrays (numpy), then listed (~5× faster than by value)
    data = mapping(shapely.transform(geom, lambda xy: np.round(xy, ROUND)))
    return {"type": data["type"], "coordinates": _listed(data["coordinates"])}


def _listed(coords: Any) -> Any:
    """Nested tuples of positions as lists (a position stays a 2-list of floats)."""
    if coords and isinstance(coords[0], float):
        return list(coords)
    return [_listed(c) for c in coords]


def feature(geom: dict[str, Any] | None, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geom, "properties": props}


def collection(features: Iterable[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": [f for f in features if f["geometry"]]}


def plan_features(compound: Compound) -> dict[str, Any]:
    """The plan's features (boundary, buildings, obstacles, walls, zones, mounts) as stored."""
    return {"type": "FeatureCollection", "features": list(compound.plan_json.get("features") or [])}


def device_props(device: Device, site: Site | None = None) -> dict[str, Any]:
    """What the map shows and edits of a device (its row id and version included)."""
    props = dict(device.properties or {})
    out: dict[str, Any] = {
        "id": device.id,
        "code": device.code,
        "kind": device.kind,
        "status": device.status,
        "name": device.name,
        "version": device.version,
        "manufacturer": device.manufacturer,
        "model": device.model,
        "serial": device.serial,
        "install_date": device.install_date.isoformat() if device.install_date else None,
        "warranty_end": device.warranty_end.isoformat() if device.warranty_end else None,
        "properties": props,
    }
    if device.kind == "camera" and site is not None:
        cam = next((c for c in site.cameras if c.id == device.code), None)
        if cam is not None:
            out["hfov"] = round(cam.hfov, 3)
            out["heading"] = round(cam.heading_deg % 360.0, 3)
            out["reach"] = {lv: _finite(reach(cam, lv)) for lv in LEVELS}
    return out


def _finite(value: float) -> float | None:
    return round(value, 2) if value != float("inf") else None


def device_features(devices: Iterable[Device], site: Site | None = None) -> dict[str, Any]:
    """The devices as a FeatureCollection (geometry as stored: Point or LineString)."""
    return collection(feature(d.geometry, device_props(d, site)) for d in devices)


def analysis_features(analysis: Analysis) -> dict[str, Any]:
    """Coverage per level, blind spots and the summary numbers, for the map's layers."""
    summary = analysis.to_dict()
    levels = {
        level: geometry(cov.geometry, simplify=DRAW_TOLERANCE_M)
        for level, cov in analysis.levels.items()  # the levels of the site's ladder
    }
    spots = collection(
        feature(
            geometry(spot.geometry, simplify=DRAW_TOLERANCE_M),
            {
                "id": spot.id,
                "area_m2": round(spot.area_m2, 2),
                "zones": list(spot.zones),
                "label_point": [round(spot.label_point[0], 2), round(spot.label_point[1], 2)],
            },
        )
        for spot in analysis.blind_spots
    )
    return {"summary": summary, "levels": levels, "blind_spots": spots}


def camera_footprint_features(analysis: Analysis, code: str) -> dict[str, Any] | None:
    """One camera's four footprints (None if the analysis has no such camera)."""
    cam = next((c for c in analysis.cameras if c.id == code), None)
    if cam is None:
        return None
    return {
        "id": cam.id,
        "counted": cam.counted,
        "footprint_m2": {lv: round(a, 2) for lv, a in cam.footprint_m2.items()},
        "levels": {
            lv: geometry(fp, simplify=DRAW_TOLERANCE_M) for lv, fp in cam.footprints.items()
        },
    }
