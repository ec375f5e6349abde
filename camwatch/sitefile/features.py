"""One site-file feature <-> one model object (docs/site-format.md §1–2).

``parse_<kind>(props, geometry, index=None)`` validates one feature's
properties and geometry and returns the model dataclass (for ``boundary``, a
shapely Polygon); :func:`camwatch.sitefile.write.feature_to_geojson` writes
it back. Properties this module does not interpret are kept in ``extra`` and
written back unchanged, so saving then loading gives an equal object. Checks that need the whole site
(duplicate ids, camera placement) live in :mod:`camwatch.sitefile`.

The registry uses these to validate a single device before adding it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

from shapely.geometry import Polygon

from camwatch.errors import SiteFormatError
from camwatch.model import (
    ACCESS_CONTROL_TYPES,
    ALARM_TYPES,
    CAMERA_STATUSES,
    DEFAULT_RESOLUTION,
    FEATURE_KINDS,
    LEVELS,
    ZONE_TYPES,
    Alarm,
    Building,
    Camera,
    Gate,
    Intercom,
    Mount,
    Obstacle,
    Wall,
    Zone,
    required_level_for,
)
from camwatch.sitefile.values import (
    Ctx,
    geometry_coords,
    get_bool,
    get_enum,
    get_ident,
    get_number,
    get_positive,
    get_text,
    parse_lineal,
    parse_linestring,
    parse_point,
    parse_polygon,
    show,
)

Feature: TypeAlias = (
    Polygon | Building | Obstacle | Wall | Zone | Camera | Gate | Alarm | Intercom | Mount
)

# Properties each kind interprets; everything else goes to ``extra``.
KNOWN_PROPERTIES: dict[str, tuple[str, ...]] = {
    "boundary": ("kind",),
    "building": ("kind", "name", "height_m"),
    "obstacle": ("kind", "name", "height_m"),
    "wall": ("kind", "name", "thickness_m"),
    "zone": ("kind", "name", "zone_type", "required_level", "weight"),
    "camera": (
        "kind",
        "id",
        "name",
        "status",
        "height_m",
        "heading_deg",
        "tilt_deg",
        "hfov_deg",
        "focal_mm",
        "sensor_width_mm",
        "resolution",
        "vfov_deg",
        "range_m",
        "model",
        "serial",
    ),
    "gate": ("kind", "id", "name", "access_control", "intercom"),
    "alarm": ("kind", "id", "name", "alarm_type"),
    "intercom": ("kind", "id", "name", "building"),
    "mount": ("kind", "name"),
}


def _props(ctx: Ctx, props: Any) -> Mapping[str, Any]:
    if props is None:
        return {}
    if not isinstance(props, Mapping):
        raise ctx.error(f"properties must be an object, got {show(props)}")
    return props


def _extra(props: Mapping[str, Any], kind: str) -> dict[str, Any]:
    known = KNOWN_PROPERTIES[kind]
    return {k: v for k, v in props.items() if k not in known}


def _ctx(props: Mapping[str, Any], kind: str, index: int | None, key: str) -> Ctx:
    """Context naming the feature by its id/name when that value is usable."""
    value = props.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return Ctx(index, kind, value if isinstance(value, str) and value.strip() else None)


# -- per-kind parsers ----------------------------------------------------------------


def parse_boundary(props: Any, geometry: Any, index: int | None = None) -> Polygon:
    """The property line: a Polygon, holes allowed (they are outside the compound)."""
    ctx = Ctx(index, "boundary")
    _props(ctx, props)
    return parse_polygon(ctx, geometry, holes=True)


def _parse_block(kind: str, props: Any, geometry: Any, index: int | None) -> dict[str, Any]:
    ctx = Ctx(index, kind)
    props = _props(ctx, props)
    ctx = _ctx(props, kind, index, "name")
    default_height = 10.0 if kind == "building" else 2.0
    return {
        "polygon": parse_polygon(ctx, geometry, holes=kind == "building"),
        "name": get_text(ctx, props, "name"),
        "height_m": get_positive(ctx, props, "height_m", default_height),
        "extra": _extra(props, kind),
        "index": index,
    }


def parse_building(props: Any, geometry: Any, index: int | None = None) -> Building:
    return Building(**_parse_block("building", props, geometry, index))


def parse_obstacle(props: Any, geometry: Any, index: int | None = None) -> Obstacle:
    return Obstacle(**_parse_block("obstacle", props, geometry, index))


def parse_wall(props: Any, geometry: Any, index: int | None = None) -> Wall:
    ctx = Ctx(index, "wall")
    props = _props(ctx, props)
    ctx = _ctx(props, "wall", index, "name")
    _, coords = geometry_coords(ctx, geometry, ("LineString",))
    return Wall(
        line=parse_linestring(ctx, coords),
        thickness_m=get_positive(ctx, props, "thickness_m", 0.2),
        name=get_text(ctx, props, "name"),
        extra=_extra(props, "wall"),
        index=index,
    )


def parse_zone(props: Any, geometry: Any, index: int | None = None) -> Zone:
    """A zone: name required; required_level defaults by zone_type."""
    ctx = Ctx(index, "zone")
    props = _props(ctx, props)
    ctx = _ctx(props, "zone", index, "name")
    name = get_text(ctx, props, "name")
    if name is None:
        raise ctx.error("name is required")
    if not name.strip():
        raise ctx.error("name must not be empty")
    zone_type = get_enum(ctx, props, "zone_type", ZONE_TYPES, "other")
    return Zone(
        name=name,
        # A ring-shaped zone (a perimeter strip round the compound) is a zone with a hole.
        polygon=parse_polygon(ctx, geometry, holes=True),
        zone_type=zone_type,
        required_level=get_enum(
            ctx, props, "required_level", LEVELS, required_level_for(zone_type)
        ),
        weight=get_positive(ctx, props, "weight", 1.0),
        extra=_extra(props, "zone"),
        index=index,
    )


def _in_range(
    ctx: Ctx, props: Mapping[str, Any], key: str, value: float | None, ok: bool, rng: str
) -> None:
    if value is not None and not ok:
        raise ctx.error(f"{key} must be in {rng}, got {show(props[key])}")


def _resolution(ctx: Ctx, props: Mapping[str, Any]) -> tuple[int, int]:
    value = props.get("resolution")
    if value is None:
        return DEFAULT_RESOLUTION
    if (
        not isinstance(value, list | tuple)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    ):
        raise ctx.error(
            f"resolution must be [width, height] in positive integer pixels, got {show(value)}"
        )
    return (value[0], value[1])


def parse_camera(props: Any, geometry: Any, index: int | None = None) -> Camera:
    """A camera (§2): optics kept as given (``Camera.hfov`` resolves them), heading mod 360."""
    ctx = Ctx(index, "camera")
    props = _props(ctx, props)
    ctx = _ctx(props, "camera", index, "id")
    camera_id = get_ident(ctx, props, "id", required=True)
    assert camera_id is not None
    _, coords = geometry_coords(ctx, geometry, ("Point",))
    point = parse_point(ctx, coords)

    hfov = get_number(ctx, props, "hfov_deg", None)
    _in_range(ctx, props, "hfov_deg", hfov, hfov is not None and 0 < hfov <= 360, "(0, 360]")
    focal = get_positive(ctx, props, "focal_mm", None)
    sensor = get_positive(ctx, props, "sensor_width_mm", None)
    if (focal is None) != (sensor is None):
        given, missing = (
            ("focal_mm", "sensor_width_mm") if sensor is None else ("sensor_width_mm", "focal_mm")
        )
        raise ctx.error(f"{given} given without {missing} (give both, or hfov_deg)")
    tilt = get_number(ctx, props, "tilt_deg", 15.0)
    _in_range(ctx, props, "tilt_deg", tilt, tilt is not None and -90 <= tilt <= 90, "[-90, 90]")
    vfov = get_number(ctx, props, "vfov_deg", None)
    _in_range(ctx, props, "vfov_deg", vfov, vfov is not None and 0 < vfov < 180, "(0, 180)")
    heading = get_number(ctx, props, "heading_deg", 0.0)
    heading = math.fmod(heading, 360.0)
    if heading < 0:
        heading += 360.0
    if heading >= 360.0:  # -1e-20 + 360 rounds to 360
        heading = 0.0
    height = get_positive(ctx, props, "height_m", 3.0)

    return Camera(
        id=camera_id,
        position=(point.x, point.y),
        name=get_text(ctx, props, "name"),
        status=get_enum(ctx, props, "status", CAMERA_STATUSES, "active"),
        height_m=height,
        heading_deg=heading + 0.0,  # no -0.0
        tilt_deg=tilt,
        hfov_deg=hfov,
        focal_mm=focal,
        sensor_width_mm=sensor,
        resolution=_resolution(ctx, props),
        vfov_deg=vfov,
        range_m=get_positive(ctx, props, "range_m", None),
        model=get_text(ctx, props, "model"),
        serial=get_ident(ctx, props, "serial", required=False),
        extra=_extra(props, "camera"),
        index=index,
    )


def parse_gate(props: Any, geometry: Any, index: int | None = None) -> Gate:
    ctx = Ctx(index, "gate")
    props = _props(ctx, props)
    ctx = _ctx(props, "gate", index, "id")
    return Gate(
        id=get_ident(ctx, props, "id", required=False),
        geometry=parse_lineal(ctx, geometry, ("Point", "LineString")),
        name=get_text(ctx, props, "name"),
        access_control=get_enum(ctx, props, "access_control", ACCESS_CONTROL_TYPES, "none"),
        intercom=get_bool(ctx, props, "intercom", False),
        extra=_extra(props, "gate"),
        index=index,
    )


def parse_alarm(props: Any, geometry: Any, index: int | None = None) -> Alarm:
    ctx = Ctx(index, "alarm")
    props = _props(ctx, props)
    ctx = _ctx(props, "alarm", index, "id")
    return Alarm(
        id=get_ident(ctx, props, "id", required=False),
        geometry=parse_lineal(ctx, geometry, ("Point", "LineString")),
        alarm_type=get_enum(ctx, props, "alarm_type", ALARM_TYPES, None),
        name=get_text(ctx, props, "name"),
        extra=_extra(props, "alarm"),
        index=index,
    )


def parse_intercom(props: Any, geometry: Any, index: int | None = None) -> Intercom:
    ctx = Ctx(index, "intercom")
    props = _props(ctx, props)
    ctx = _ctx(props, "intercom", index, "id")
    _, coords = geometry_coords(ctx, geometry, ("Point",))
    point = parse_point(ctx, coords)
    return Intercom(
        id=get_ident(ctx, props, "id", required=False),
        position=(point.x, point.y),
        building=get_text(ctx, props, "building"),
        name=get_text(ctx, props, "name"),
        extra=_extra(props, "intercom"),
        index=index,
    )


def parse_mount(props: Any, geometry: Any, index: int | None = None) -> Mount:
    ctx = Ctx(index, "mount")
    props = _props(ctx, props)
    ctx = _ctx(props, "mount", index, "name")
    return Mount(
        geometry=parse_lineal(ctx, geometry, ("Point", "LineString")),
        name=get_text(ctx, props, "name"),
        extra=_extra(props, "mount"),
        index=index,
    )


PARSERS: dict[str, Callable[[Any, Any, int | None], Feature]] = {
    "boundary": parse_boundary,
    "building": parse_building,
    "obstacle": parse_obstacle,
    "wall": parse_wall,
    "zone": parse_zone,
    "camera": parse_camera,
    "gate": parse_gate,
    "alarm": parse_alarm,
    "intercom": parse_intercom,
    "mount": parse_mount,
}


def feature_kind(feature: Any, index: int | None = None) -> str:
    """Check the GeoJSON Feature envelope and return its ``properties.kind``."""
    ctx = Ctx(index)
    if not isinstance(feature, Mapping):
        raise ctx.error(f"not a GeoJSON Feature object, got {show(feature)}")
    if feature.get("type") != "Feature":
        raise ctx.error(f"not a GeoJSON Feature (type is {show(feature.get('type'))})")
    props = _props(ctx, feature.get("properties"))
    kind = props.get("kind")
    if kind is None:
        raise ctx.error("properties.kind is missing")
    if not isinstance(kind, str) or kind not in FEATURE_KINDS:
        raise ctx.error(f"unknown kind {show(kind)} (expected one of: {', '.join(FEATURE_KINDS)})")
    return kind


def parse_feature(feature: Any, index: int | None = None) -> Feature:
    """Parse one GeoJSON Feature, dispatching on ``properties.kind``."""
    kind = feature_kind(feature, index)
    return PARSERS[kind](feature.get("properties"), feature.get("geometry"), index)


__all__ = [
    "KNOWN_PROPERTIES",
    "PARSERS",
    "Feature",
    "SiteFormatError",
    "feature_kind",
    "parse_alarm",
    "parse_boundary",
    "parse_building",
    "parse_camera",
    "parse_feature",
    "parse_gate",
    "parse_intercom",
    "parse_mount",
    "parse_obstacle",
    "parse_wall",
    "parse_zone",
]
