"""A device as the command line shows it: its JSON data and its table cells.

``devices list`` and ``devices show`` print a device as plain JSON data
(:func:`device_dict`) or as a row whose *where* and *detail* cells say in a few
words where it stands and what it is (:func:`where_cell`, :func:`detail_cell`), in
``camwatch --lang`` (English: as they always were).
"""

from __future__ import annotations

from typing import Any

from camwatch.commands.common import iso
from camwatch.commands.words import value
from camwatch.i18n import msg


def device_dict(device: Any) -> dict[str, Any]:
    """A device as plain JSON data (what ``devices list --json`` prints)."""
    return {
        "code": device.code,
        "kind": device.kind,
        "name": device.name,
        "status": device.status,
        "geometry": device.geometry,
        "properties": device.properties,
        "manufacturer": device.manufacturer,
        "model": device.model,
        "serial": device.serial,
        "install_date": iso(device.install_date),
        "warranty_end": iso(device.warranty_end),
        "status_changed_at": iso(device.status_changed_at),
        "notes": device.notes,
        "version": device.version,
    }


def where_cell(geometry: dict[str, Any]) -> str:
    """Where a device stands, in a few words: its point, or where its line starts."""
    coords: Any = geometry.get("coordinates")
    if geometry.get("type") == "Point":
        return f"({coords[0]:g}, {coords[1]:g})"
    start = f"({coords[0][0]:g}, {coords[0][1]:g})"
    return msg("line of %(n)s points from %(start)s", n=len(coords), start=start).render()


def detail_cell(device: Any) -> str:
    """What a device is, in a few words: a camera's optics, a gate's access, an alarm's type."""
    p = device.properties or {}
    if device.kind == "camera":
        lens = (
            f"{p['hfov_deg']:g}°"
            if p.get("hfov_deg") is not None
            else f"{p['focal_mm']:g} mm"
            if p.get("focal_mm") is not None
            else "90°"
        )
        res = p.get("resolution") or [1920, 1080]
        size = f"{res[0]}x{res[1]}"
        optics = msg(
            "%(lens)s %(resolution)s h %(height)s m → %(heading)s° tilt %(tilt)s°",
            lens=lens,
            resolution=size,
            height=format(p.get("height_m", 3), "g"),
            heading=format(p.get("heading_deg", 0), "g"),
            tilt=format(p.get("tilt_deg", 15), "g"),
        )
        return optics.render()
    if device.kind == "gate":
        access = msg("access %(access)s", access=value("access", p.get("access_control", "none")))
        return (msg("%(text)s, intercom", text=access) if p.get("intercom") else access).render()
    if device.kind == "alarm":
        return value("alarm", str(p.get("alarm_type", "")))
    return msg("building %(name)s", name=p["building"]).render() if p.get("building") else ""
