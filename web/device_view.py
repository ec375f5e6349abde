"""What a device shows: the map's side panel and the device page's maintenance history.

:func:`device_json` is the device as the map's side panel reads it (its GeoJSON
feature with the maintenance history, the open problems and the page's links);
:func:`maintenance_page` is one page of its maintenance history for the HTML
device page. Both only read; the routes that change a device are :mod:`web.devices`.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from sqlalchemy import func, select

from camwatch.registry.models import Device, MaintenanceRecord
from camwatch.registry.problems import list_problems
from web import geojson
from web.db import db_session
from web.forms import whole_number
from web.messages import analysis_failed
from web.summary import analysis_outcome
from web.templating import MAINTENANCE_LABELS

HISTORY_PAGE = 20  # maintenance records per page of the device page


def maintenance_page(device: Device) -> dict[str, Any]:
    """One page (``?mpage=N``, newest first) of the device's maintenance history."""
    wanted = whole_number(request.args.get("mpage"), most_digits=8) or 1
    db = db_session()
    total = db.scalar(select(func.count()).where(MaintenanceRecord.device_id == device.id)) or 0
    pages = max(1, -(-total // HISTORY_PAGE))
    page = min(max(wanted, 1), pages)
    records = db.scalars(
        select(MaintenanceRecord)
        .where(MaintenanceRecord.device_id == device.id)
        .order_by(MaintenanceRecord.date.desc(), MaintenanceRecord.id.desc())
        .limit(HISTORY_PAGE)
        .offset((page - 1) * HISTORY_PAGE)
    ).all()
    return {"records": records, "total": total, "page": page, "pages": pages}


def device_json(device: Device) -> dict[str, Any]:
    """A device with its maintenance history and open problems, for the map's side panel."""
    compound = device.compound
    result, failure = analysis_outcome(compound) if device.kind == "camera" else (None, None)
    site = result.site if result is not None else None  # no reach when the analysis failed
    data = geojson.feature(device.geometry, geojson.device_props(device, site))
    if failure is not None:
        data["properties"]["analysis_error"] = analysis_failed(failure)
    records = sorted(device.maintenance, key=lambda r: (r.date, r.id), reverse=True)
    data["properties"]["notes"] = device.notes
    data["properties"]["status_changed_at"] = device.status_changed_at.isoformat()
    data["properties"]["maintenance"] = [
        {
            "date": r.date.isoformat(),
            "kind": r.kind,
            "kind_label": str(MAINTENANCE_LABELS.get(r.kind, r.kind)),
            "technician": r.technician,
            "notes": r.notes,
            "status_before": r.status_before,
            "status_after": r.status_after,
        }
        for r in records
    ]
    problems = [
        p
        for p in list_problems(db_session(), compound=compound.code, unresolved=True)
        if p.device_id == device.id
    ]
    data["properties"]["problems"] = [
        {
            "id": p.id,
            "description": p.description_text(),
            "deadline": p.deadline.isoformat(),
            "status": p.status,
        }
        for p in problems
    ]
    data["properties"]["urls"] = {
        "page": url_for("devices.detail", device_id=device.id),
        "maintenance": url_for("devices.maintenance", device_id=device.id),
    }
    return data
