"""Block attributes → site properties, and block rotation → camera heading (docs/importers.md)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from camwatch.errors import UsageError
from camwatch.model import parse_resolution

_ROUND = 6

# Block attribute tag -> site property (numbers parsed when they parse).
ATTRIB_PROPS: dict[str, str] = {
    "ID": "id",
    "编号": "id",
    "NAME": "name",
    "名称": "name",
    "HEIGHT": "height_m",
    "高度": "height_m",
    "安装高度": "height_m",
    "HEADING": "heading_deg",
    "TILT": "tilt_deg",
    "俯角": "tilt_deg",
    "HFOV": "hfov_deg",
    "VFOV": "vfov_deg",
    "FOCAL": "focal_mm",
    "焦距": "focal_mm",
    "SENSOR": "sensor_width_mm",
    "RESOLUTION": "resolution",
    "分辨率": "resolution",
    "RANGE": "range_m",
    "MODEL": "model",
    "型号": "model",
    "SERIAL": "serial",
    "STATUS": "status",
    "TYPE": "zone_type",
    "LEVEL": "required_level",
    "WEIGHT": "weight",
    "THICKNESS": "thickness_m",
    "ACCESS": "access_control",
    "INTERCOM": "intercom",
}
_TEXT_PROPS = {"id", "name", "model", "serial", "status", "zone_type", "required_level"}


def _value(prop: str, text: str) -> Any:
    if prop == "resolution":
        try:
            return list(parse_resolution(text.replace("*", "x")))
        except UsageError:
            return text  # the site loader names the property and the bad value
    if prop == "intercom":
        return text.strip().lower() in ("1", "true", "yes", "y", "是", "有")
    if prop in _TEXT_PROPS:
        return text
    try:
        return float(text)
    except ValueError:
        return text  # the site loader names the property and the bad value


def attribute_props(attribs: Mapping[str, str]) -> dict[str, Any]:
    """Block attributes → site properties (unknown tags kept, lower-cased).

    >>> attribute_props({"HEIGHT": "4.5", "MODEL": "DS-2CD", "RESOLUTION": "2560x1440"})
    {'height_m': 4.5, 'model': 'DS-2CD', 'resolution': [2560, 1440]}
    """
    props: dict[str, Any] = {}
    for tag, text in attribs.items():
        if text == "":
            continue
        prop = ATTRIB_PROPS.get(tag.upper(), tag.lower())
        props[prop] = _value(prop, text)
    return props


def heading_from_rotation(rotation_deg: float) -> float:
    """Compass heading of a symbol drawn pointing along its block's +x axis.

    >>> heading_from_rotation(0.0), heading_from_rotation(90.0), heading_from_rotation(-90.0)
    (90.0, 0.0, 180.0)
    """
    return round((90.0 - rotation_deg) % 360.0, _ROUND) % 360.0
