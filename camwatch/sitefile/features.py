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
from collections.abc import Mapping
from typing import Any, TypeAlias

from shapely.geometry import Polygon

from camwatch.errors import SiteFormatError, ValueRangeError
from camwatch.i18n import msg
from camwatch.ladders import DORI, Ladder, ladder_of, not_in_ladder
from camwatch.model import (
    ACCESS_CONTROL_TYPES,
    ALARM_TYPES,
    CAMERA_PURPOSES,
    CAMERA_STATUSES,
    DEFAULT_RESOLUTION,
    DOOR_TYPES,
    GATE_TYPES,
    ZONE_TYPES,
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
from camwatch.properties import (
    BUILDING_HEIGHT,
    CAMERA,
    OBSTACLE_HEIGHT,
    WALL_HEIGHT,
    WALL_THICKNESS,
    ZONE_WEIGHT,
    check_optics,
    check_resolution,
)
from camwatch.sitefile.shapes import (
    geometry_coords,
    parse_lineal,
    parse_linestring,
    parse_polygon,
    position,
)
from camwatch.sitefile.values import (
    MAX_INTEGER,
    Ctx,
    get_bool,
    get_count,
    get_enum,
    get_ident,
    get_property,
    get_text,
    show,
)

Feature: TypeAlias = (
    Polygon | Building | Obstacle | Wall | Zone | Camera | Gate | Alarm | Intercom | Mount | Door
)

# Properties each kind interprets; everything else goes to ``extra``.
KNOWN_PROPERTIES: dict[str, tuple[str, ...]] = {
    "boundary": ("kind",),
    "building": ("kind", "name", "height_m"),
    "obstacle": ("kind", "name", "height_m"),
    "wall": ("kind", "name", "thickness_m", "height_m", "see_through"),
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
        "ptz",
        "wdr",
        "indoor",
        "purpose",
    ),
    "gate": ("kind", "id", "name", "access_control", "intercom", "gate_type", "lanes"),
    "alarm": ("kind", "id", "name", "alarm_type", "zone"),
    "intercom": ("kind", "id", "name", "building"),
    "mount": ("kind", "name"),
    "door": ("kind", "id", "name", "building", "door_type", "intercom"),
}


def properties_of(ctx: Ctx, props: Any) -> Mapping[str, Any]:
    """A feature's ``properties`` object (JSON ``null``: none), or the error naming it."""
    if props is None:
        return {}
    if not isinstance(props, Mapping):
        raise ctx.error(msg("properties must be an object, got %(props)s", props=show(props)))
    return props


def _extra(props: Mapping[str, Any], kind: str) -> dict[str, Any]:
    known = KNOWN_PROPERTIES[kind]
    return {k: v for k, v in props.items() if k not in known}


def _ctx(props: Mapping[str, Any], kind: str, index: int | None, key: str) -> Ctx:
    """Context naming the feature by its id/name when that value is usable."""
    value = props.get(key)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < MAX_INTEGER:
        value = str(value)
    return Ctx(index, kind, value if isinstance(value, str) and value.strip() else None)


# -- per-kind parsers ----------------------------------------------------------------


def parse_boundary(props: Any, geometry: Any, index: int | None = None) -> Polygon:
    """The property line: a Polygon, holes allowed (they are outside the compound)."""
    ctx = Ctx(index, "boundary")
    properties_of(ctx, props)
    return parse_polygon(ctx, geometry, holes=True)


def _parse_block(kind: str, props: Any, geometry: Any, index: int | None) -> dict[str, Any]:
    ctx = Ctx(index, kind)
    props = properties_of(ctx, props)
    ctx = _ctx(props, kind, index, "name")
    default_height = 10.0 if kind == "building" else 2.0
    height = BUILDING_HEIGHT if kind == "building" else OBSTACLE_HEIGHT
    return {
        "polygon": parse_polygon(ctx, geometry, holes=kind == "building"),
        "name": get_text(ctx, props, "name"),
        "height_m": get_property(ctx, props, height, default_height),
        "extra": _extra(props, kind),
        "index": index,
    }


def parse_building(props: Any, geometry: Any, index: int | None = None) -> Building:
    return Building(**_parse_block("building", props, geometry, index))


def parse_obstacle(props: Any, geometry: Any, index: int | None = None) -> Obstacle:
    return Obstacle(**_parse_block("obstacle", props, geometry, index))


def parse_wall(props: Any, geometry: Any, index: int | None = None) -> Wall:
    ctx = Ctx(index, "wall")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "wall", index, "name")
    _, coords = geometry_coords(ctx, geometry, ("LineString",))
    return Wall(
        line=parse_linestring(ctx, coords),
        thickness_m=get_property(ctx, props, WALL_THICKNESS, 0.2),
        name=get_text(ctx, props, "name"),
        height_m=get_property(ctx, props, WALL_HEIGHT, 2.2),
        see_through=get_bool(ctx, props, "see_through", False),
        extra=_extra(props, "wall"),
        index=index,
    )


def parse_zone(
    props: Any, geometry: Any, index: int | None = None, *, ladder: Ladder = DORI
) -> Zone:
    """A zone: name required; required_level is a level of ``ladder``, by default the
    ladder's level for its zone_type (camwatch.ladders)."""
    ctx = Ctx(index, "zone")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "zone", index, "name")
    name = get_text(ctx, props, "name")
    if name is None:
        raise ctx.error(msg("name is required"))
    if not name.strip():
        raise ctx.error(msg("name must not be empty"))
    zone_type = get_enum(ctx, props, "zone_type", ZONE_TYPES, "other")
    return Zone(
        name=name,
        # A ring-shaped zone (a perimeter strip round the compound) is a zone with a hole.
        polygon=parse_polygon(ctx, geometry, holes=True),
        zone_type=zone_type,
        required_level=_required_level(ctx, props, ladder, zone_type),
        weight=get_property(ctx, props, ZONE_WEIGHT, 1.0),
        extra=_extra(props, "zone"),
        index=index,
    )


def _required_level(ctx: Ctx, props: Mapping[str, Any], ladder: Ladder, zone_type: str) -> str:
    value = props.get("required_level")
    if isinstance(value, str) and value not in ladder.names and ladder_of(value) is not None:
        raise ctx.error(msg("required_level: %(why)s", why=not_in_ladder(value, ladder)))
    return get_enum(
        ctx, props, "required_level", ladder.names, ladder.required_level_for(zone_type)
    )


def _resolution(ctx: Ctx, props: Mapping[str, Any]) -> tuple[int, int]:
    value = props.get("resolution")
    if value is None:
        return DEFAULT_RESOLUTION
    try:
        return check_resolution(value)
    except ValueRangeError as exc:
        raise ctx.located(exc) from None


def parse_camera(props: Any, geometry: Any, index: int | None = None) -> Camera:
    """A camera (§2): optics kept as given (``Camera.hfov`` resolves them), heading mod 360."""
    ctx = Ctx(index, "camera")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "camera", index, "id")
    camera_id = get_ident(ctx, props, "id", required=True)
    assert camera_id is not None
    _, coords = geometry_coords(ctx, geometry, ("Point",))
    xy = position(ctx, coords)  # the model keeps the pair (no shapely Point to build)

    hfov = get_property(ctx, props, CAMERA["hfov_deg"], None)
    focal = get_property(ctx, props, CAMERA["focal_mm"], None)
    sensor = get_property(ctx, props, CAMERA["sensor_width_mm"], None)
    if (focal is None) != (sensor is None):
        given, missing = (
            ("focal_mm", "sensor_width_mm") if sensor is None else ("sensor_width_mm", "focal_mm")
        )
        raise ctx.error(
            msg(
                "%(given)s given without %(missing)s (give both, or hfov_deg)",
                given=given,
                missing=missing,
            )
        )
    tilt = get_property(ctx, props, CAMERA["tilt_deg"], 15.0)
    vfov = get_property(ctx, props, CAMERA["vfov_deg"], None)
    heading = get_property(ctx, props, CAMERA["heading_deg"], 0.0)
    heading = math.fmod(heading, 360.0)
    if heading < 0:
        heading += 360.0
    if heading >= 360.0:  # -1e-20 + 360 rounds to 360
        heading = 0.0
    height = get_property(ctx, props, CAMERA["height_m"], 3.0)
    resolution = _resolution(ctx, props)
    try:  # derived values: the lens's field of view, the DORI distance
        check_optics(hfov_deg=hfov, focal_mm=focal, sensor_width_mm=sensor, resolution=resolution)
    except ValueRangeError as exc:
        raise ctx.located(exc) from None

    return Camera(
        id=camera_id,
        position=xy,
        name=get_text(ctx, props, "name"),
        status=get_enum(ctx, props, "status", CAMERA_STATUSES, "active"),
        height_m=height,
        heading_deg=heading + 0.0,  # no -0.0
        tilt_deg=tilt,
        hfov_deg=hfov,
        focal_mm=focal,
        sensor_width_mm=sensor,
        resolution=resolution,
        vfov_deg=vfov,
        range_m=get_property(ctx, props, CAMERA["range_m"], None),
        model=get_text(ctx, props, "model"),
        serial=get_ident(ctx, props, "serial", required=False),
        ptz=get_bool(ctx, props, "ptz", False),
        wdr=get_bool(ctx, props, "wdr", False),
        indoor=get_bool(ctx, props, "indoor", False),
        purpose=get_enum(ctx, props, "purpose", CAMERA_PURPOSES, "general"),
        extra=_extra(props, "camera"),
        index=index,
    )


def parse_gate(props: Any, geometry: Any, index: int | None = None) -> Gate:
    ctx = Ctx(index, "gate")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "gate", index, "id")
    return Gate(
        id=get_ident(ctx, props, "id", required=False),
        geometry=parse_lineal(ctx, geometry, ("Point", "LineString")),
        name=get_text(ctx, props, "name"),
        access_control=get_enum(ctx, props, "access_control", ACCESS_CONTROL_TYPES, "none"),
        intercom=get_bool(ctx, props, "intercom", False),
        gate_type=get_enum(ctx, props, "gate_type", GATE_TYPES, "mixed"),
        lanes=get_count(ctx, props, "lanes", 1) or 1,
        extra=_extra(props, "gate"),
        index=index,
    )


def parse_alarm(props: Any, geometry: Any, index: int | None = None) -> Alarm:
    ctx = Ctx(index, "alarm")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "alarm", index, "id")
    return Alarm(
        id=get_ident(ctx, props, "id", required=False),
        geometry=parse_lineal(ctx, geometry, ("Point", "LineString")),
        alarm_type=get_enum(ctx, props, "alarm_type", ALARM_TYPES, None),
        name=get_text(ctx, props, "name"),
        zone=get_ident(ctx, props, "zone", required=False),
        extra=_extra(props, "alarm"),
        index=index,
    )


def parse_intercom(props: Any, geometry: Any, index: int | None = None) -> Intercom:
    ctx = Ctx(index, "intercom")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "intercom", index, "id")
    _, coords = geometry_coords(ctx, geometry, ("Point",))
    xy = position(ctx, coords)  # the model keeps the pair (no shapely Point to build)
    return Intercom(
        id=get_ident(ctx, props, "id", required=False),
        position=xy,
        building=get_text(ctx, props, "building"),
        name=get_text(ctx, props, "name"),
        extra=_extra(props, "intercom"),
        index=index,
    )


def parse_mount(props: Any, geometry: Any, index: int | None = None) -> Mount:
    ctx = Ctx(index, "mount")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "mount", index, "name")
    return Mount(
        geometry=parse_lineal(ctx, geometry, ("Point", "LineString")),
        name=get_text(ctx, props, "name"),
        extra=_extra(props, "mount"),
        index=index,
    )


def parse_door(props: Any, geometry: Any, index: int | None = None) -> Door:
    """A building entrance (§5): a Point on a facade (checked against the buildings by the site)."""
    ctx = Ctx(index, "door")
    props = properties_of(ctx, props)
    ctx = _ctx(props, "door", index, "id")
    _, coords = geometry_coords(ctx, geometry, ("Point",))
    xy = position(ctx, coords)  # the model keeps the pair (no shapely Point to build)
    return Door(
        id=get_ident(ctx, props, "id", required=False),
        position=xy,
        building=get_text(ctx, props, "building"),
        name=get_text(ctx, props, "name"),
        door_type=get_enum(ctx, props, "door_type", DOOR_TYPES, "unit"),
        intercom=get_bool(ctx, props, "intercom", False),
        extra=_extra(props, "door"),
        index=index,
    )


__all__ = [
    "KNOWN_PROPERTIES",
    "Feature",
    "SiteFormatError",
    "properties_of",
    "parse_alarm",
    "parse_boundary",
    "parse_building",
    "parse_camera",
    "parse_door",
    "parse_gate",
    "parse_intercom",
    "parse_mount",
    "parse_obstacle",
    "parse_wall",
    "parse_zone",
]
