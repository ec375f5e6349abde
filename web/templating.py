"""Jinja helpers shared by the templates: number and date formats, labels, badges."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l

from camwatch.model import DORI_PX_PER_M, ZONE_PASS_RATIO
from camwatch.registry.ledger_notes import event_note_text, notes_text

LEVEL_LABELS = {
    "detection": _l("Detection"),
    "observation": _l("Observation"),
    "recognition": _l("Recognition"),
    "identification": _l("Identification"),
}
STATUS_LABELS = {
    "active": _l("Active"),
    "faulty": _l("Faulty"),
    "offline": _l("Offline"),
    "planned": _l("Planned"),
    "retired": _l("Retired"),
}
KIND_LABELS = {
    "camera": _l("Camera"),
    "gate": _l("Gate (access control)"),
    "alarm": _l("Alarm"),
    "intercom": _l("Intercom"),
}
PROBLEM_STATUS_LABELS = {
    "open": _l("Open"),
    "in_progress": _l("In progress"),
    "fixed": _l("Fixed, awaiting re-check"),
    "verified": _l("Verified"),
    "reopened": _l("Reopened"),
}
SOURCE_LABELS = {
    "analysis": _l("Coverage analysis"),
    "inspection": _l("Inspection"),
    "patrol": _l("Patrol"),
    "resident_report": _l("Resident report"),
}
ZONE_TYPE_LABELS = {
    "entrance": _l("Entrance"),
    "perimeter": _l("Perimeter"),
    "parking": _l("Parking"),
    "bike_shed": _l("Bike shed"),
    "playground": _l("Playground"),
    "lobby": _l("Lobby"),
    "road": _l("Road"),
    "square": _l("Square"),
    "other": _l("Other"),
    "ebike_charging": _l("E-bike charging"),
    "garage": _l("Garage"),
    "lift": _l("Lift"),
}
MAINTENANCE_LABELS = {
    "inspection": _l("Check"),
    "repair": _l("Repair"),
    "replacement": _l("Replacement"),
    "cleaning": _l("Cleaning"),
    "firmware": _l("Firmware update"),
}
ACCESS_LABELS = {
    "none": _l("None"),
    "card": _l("Card"),
    "face": _l("Face recognition"),
    "code": _l("PIN code"),
    "qr": _l("QR code"),
}
ALARM_LABELS = {
    "infrared_beam": _l("Infrared beam"),
    "electric_fence": _l("Electric fence"),
    "door_contact": _l("Door contact"),
    "panic_button": _l("Panic button"),
    "vibration": _l("Vibration sensor"),
}
CHECK_LABELS = {  # keys of camwatch.registry.checklist.WEIGHTS
    "coverage": _l("Coverage compliance (every zone at its DORI level)"),
    "blind_spots": _l("No blind spots"),
    "device_health": _l("Device health (cameras in working order)"),
    "problems": _l("No overdue rectification items"),
    "access_control": _l("Access control at every gate"),
    "perimeter_alarms": _l("Alarms along the perimeter"),
}


def pct(value: float | None, digits: int = 1) -> str:
    """0.9512 → '95.1 %' (— for None)."""
    if value is None:
        return "—"
    return f"{value * 100:.{digits}f} %"


def m2(value: float | None) -> str:
    """An area in square metres, thousands grouped."""
    if value is None:
        return "—"
    return f"{value:,.1f} m²"


def day(value: date | datetime | None) -> str:
    """A date in the user's language (— for None)."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "short")
    return format_date(value, "medium")


def label(mapping: dict[str, Any], key: str | None) -> str:
    """A translated label for an enumerated value (the raw value if unknown)."""
    if key is None:
        return "—"
    return str(mapping.get(key, key))


def init_app(app: Flask) -> None:
    """Register filters and label tables."""
    # the ledger's own English lines in notes, worded for the reader (camwatch.registry.ledger_notes)
    app.jinja_env.filters.update(
        pct=pct, m2=m2, day=day, device_notes=notes_text, event_note=event_note_text
    )
    app.jinja_env.globals.update(
        label=label,
        LEVEL_LABELS=LEVEL_LABELS,
        STATUS_LABELS=STATUS_LABELS,
        KIND_LABELS=KIND_LABELS,
        PROBLEM_STATUS_LABELS=PROBLEM_STATUS_LABELS,
        SOURCE_LABELS=SOURCE_LABELS,
        ZONE_TYPE_LABELS=ZONE_TYPE_LABELS,
        MAINTENANCE_LABELS=MAINTENANCE_LABELS,
        ACCESS_LABELS=ACCESS_LABELS,
        ALARM_LABELS=ALARM_LABELS,
        CHECK_LABELS=CHECK_LABELS,
        ZONE_PASS_RATIO=ZONE_PASS_RATIO,
        DORI_PX_PER_M=DORI_PX_PER_M,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
