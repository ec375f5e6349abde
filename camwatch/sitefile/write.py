"""Writing model objects back as GeoJSON (the inverse of :mod:`camwatch.sitefile.features`).

Everything is written as plain lists and dicts, so the result is JSON-ready and
compares equal to the same file loaded with :func:`json.loads`. ``None`` values
are left out (they mean "not given"); ``extra`` properties follow the
interpreted ones and may not reuse their names.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import LineString, Point, Polygon

from camwatch.i18n import msg
from camwatch.model import (
    Alarm,
    Building,
    Camera,
    Door,
    Gate,
    Intercom,
    Mount,
    Obstacle,
    Wall,
    Zone,
)
from camwatch.sitefile.features import KNOWN_PROPERTIES, Feature
from camwatch.sitefile.values import Ctx


def _coords(geom: Any) -> list[list[float]]:
    return [[float(x), float(y)] for x, y, *_ in geom.coords]


def geometry_to_geojson(geom: Point | LineString | Polygon) -> dict[str, Any]:
    """GeoJSON geometry object with plain lists (JSON-ready, comparable with loaded JSON)."""
    if isinstance(geom, Point):
        return {"type": "Point", "coordinates": [float(geom.x), float(geom.y)]}
    if isinstance(geom, LineString):
        return {"type": "LineString", "coordinates": _coords(geom)}
    if isinstance(geom, Polygon):
        rings = [_coords(geom.exterior)] + [_coords(r) for r in geom.interiors]
        return {"type": "Polygon", "coordinates": rings}
    raise TypeError(f"cannot write geometry of type {type(geom).__name__}")


_KIND_OF: dict[type, str] = {
    Polygon: "boundary",
    Building: "building",
    Obstacle: "obstacle",
    Wall: "wall",
    Zone: "zone",
    Camera: "camera",
    Gate: "gate",
    Alarm: "alarm",
    Intercom: "intercom",
    Mount: "mount",
    Door: "door",
}


def _non_default(obj: Any, defaults: dict[str, Any]) -> dict[str, Any]:
    """The docs/site-format.md §5 members that differ from their default (None = leave out).

    They are written only when set, so a v1 file stays a v1 file through load and save.
    """
    return {k: (v if (v := getattr(obj, k)) != d else None) for k, d in defaults.items()}


def _known_props(obj: Feature) -> tuple[dict[str, Any], Any]:
    """(interpreted properties, geometry) of a model object, None values left out."""
    if isinstance(obj, Polygon):
        return {}, obj
    if isinstance(obj, Building | Obstacle):
        return {"name": obj.name, "height_m": obj.height_m}, obj.polygon
    if isinstance(obj, Wall):
        wall: dict[str, Any] = {"name": obj.name, "thickness_m": obj.thickness_m}
        wall |= _non_default(obj, {"height_m": 2.2, "see_through": False})
        return wall, obj.line
    if isinstance(obj, Zone):
        props = {
            "name": obj.name,
            "zone_type": obj.zone_type,
            "required_level": obj.required_level,
            "weight": obj.weight,
        }
        return props, obj.polygon
    if isinstance(obj, Camera):
        props = {
            "id": obj.id,
            "name": obj.name,
            "status": obj.status,
            "height_m": obj.height_m,
            "heading_deg": obj.heading_deg,
            "tilt_deg": obj.tilt_deg,
            "hfov_deg": obj.hfov_deg,
            "focal_mm": obj.focal_mm,
            "sensor_width_mm": obj.sensor_width_mm,
            "resolution": list(obj.resolution),
            "vfov_deg": obj.vfov_deg,
            "range_m": obj.range_m,
            "model": obj.model,
            "serial": obj.serial,
            **_non_default(
                obj, {"ptz": False, "wdr": False, "indoor": False, "purpose": "general"}
            ),
        }
        return props, obj.point
    if isinstance(obj, Gate):
        props = {
            "id": obj.id,
            "name": obj.name,
            "access_control": obj.access_control,
            "intercom": obj.intercom,
            **_non_default(obj, {"gate_type": "mixed", "lanes": 1}),
        }
        return props, obj.geometry
    if isinstance(obj, Alarm):
        props = {"id": obj.id, "name": obj.name, "alarm_type": obj.alarm_type, "zone": obj.zone}
        return props, obj.geometry
    if isinstance(obj, Intercom):
        props = {"id": obj.id, "name": obj.name, "building": obj.building}
        return props, Point(obj.position)
    if isinstance(obj, Door):
        props = {
            "id": obj.id,
            "name": obj.name,
            "building": obj.building,
            "door_type": obj.door_type,
            "intercom": obj.intercom,
        }
        return props, Point(obj.position)
    if isinstance(obj, Mount):
        return {"name": obj.name}, obj.geometry
    raise TypeError(f"not a site feature: {type(obj).__name__}")


def feature_to_geojson(obj: Feature) -> dict[str, Any]:
    """The GeoJSON Feature for a model object (a bare Polygon is the boundary)."""
    kind = _KIND_OF[type(obj)]
    known, geom = _known_props(obj)
    props: dict[str, Any] = {"kind": kind}
    props.update((k, v) for k, v in known.items() if v is not None)
    extra = getattr(obj, "extra", {})
    clash = sorted(k for k in extra if k in KNOWN_PROPERTIES[kind])
    if clash:
        ctx = Ctx(
            getattr(obj, "index", None),
            kind,
            getattr(obj, "id", None) or getattr(obj, "name", None),
        )
        raise ctx.error(
            msg("extra properties clash with interpreted ones: %(names)s", names=", ".join(clash))
        )
    props.update(extra)
    return {"type": "Feature", "properties": props, "geometry": geometry_to_geojson(geom)}
