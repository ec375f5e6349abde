"""The API's device resources: a compound's devices, adding, moving, turning and editing
one, logging its maintenance (see :mod:`web.api` for authentication and errors).

Bodies and query strings are validated by the schemas of :mod:`web.api.schemas`
before a view runs; the views check the role, then call the registry.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, url_for

from camwatch.errors import StaleEditError
from camwatch.registry import devices as devices_service
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import Device
from web.api import bp
from web.api.common import conflict, registry_errors
from web.api.guards import documents_errors, need, requires
from web.api.outputs import DeviceList, DeviceOut, MaintenanceOut
from web.api.schemas import (
    TEXT_FIELDS,
    DeviceCreate,
    DevicePatch,
    DeviceQuery,
    MaintenanceInput,
    device_geometry,
    device_properties,
)
from web.db import db_session
from web.devices import add_posted
from web.ledger import compound_by_code
from web.security import has_permission


def _device(code: str, device_code: str) -> tuple[Any, Device]:
    compound = compound_by_code(code, g.user)
    device = next((d for d in compound.devices if d.code == device_code), None)
    if device is None:
        abort(404)
    return compound, device


def _current_device(device_id: int) -> dict[str, Any] | None:
    fresh = db_session().get(Device, device_id)
    return DeviceOut().dump(fresh) if fresh is not None else None


@bp.route("/compounds/<code>/devices", methods=["GET"])
@requires("compound.view")
@bp.arguments(DeviceQuery, location="query")
@bp.response(200, DeviceList)
@documents_errors(400)
def list_devices(query: dict[str, Any], code: str):
    """Devices (not retired unless filtered by status)."""
    compound = compound_by_code(code, g.user)
    rows = devices_service.list_devices(
        db_session(), compound.code, kind=query.get("kind"), status=query.get("status")
    )
    return {"devices": rows}


@bp.route("/compounds/<code>/devices", methods=["POST"])
@requires("device.plan")
@bp.arguments(DeviceCreate)
@bp.response(201, DeviceOut)
@documents_errors(400)
def add_device(data: dict[str, Any], code: str):
    """Add a device (validated like a site-file feature)."""
    compound = compound_by_code(code, g.user)
    status = data.get("status", "active")
    if status != "planned":
        need("device.edit")
    device = add_posted(compound, data, status)
    location = url_for("api.get_device", code=code, device_code=device.code)
    return device, 201, {"Location": location}


@bp.route("/compounds/<code>/devices/<device_code>", methods=["GET"])
@requires("compound.view")
@bp.response(200, DeviceOut)
@documents_errors()
def get_device(code: str, device_code: str):
    """One device."""
    return _device(code, device_code)[1]


@bp.route("/compounds/<code>/devices/<device_code>", methods=["PATCH"])
@requires("device.plan")
@bp.arguments(DevicePatch)
@bp.response(200, DeviceOut)
@documents_errors(400, 409)
def update_device(data: dict[str, Any], code: str, device_code: str):
    """Move, turn or edit a device (optimistic locking: send the version you read)."""
    compound, device = _device(code, device_code)
    status = data.get("status")
    if not has_permission(g.user, "device.edit") and (
        device.status != "planned" or status not in (None, "planned")
    ):
        abort(403)
    changes: dict[str, Any] = {
        k: data[k] for k in (*TEXT_FIELDS, "notes", "install_date", "warranty_end") if k in data
    }
    if status is not None:
        changes["status"] = status
    geometry = device_geometry(data)
    if geometry is not None:
        changes["geometry"] = geometry
    props = device_properties(data)
    if props:
        changes["properties"] = props
    db = db_session()
    device_id = device.id
    try:
        with registry_errors():
            devices_service.update_device(
                db,
                compound.code,
                device.code,
                changes,
                expected_version=data["version"],
                actor=g.user.username,
            )
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _current_device(device_id))
    return device


@bp.route("/compounds/<code>/devices/<device_code>/maintenance", methods=["POST"])
@requires("maintenance.log")
@bp.arguments(MaintenanceInput)
@bp.response(201, MaintenanceOut)
@documents_errors(400, 409)
def add_maintenance(data: dict[str, Any], code: str, device_code: str):
    """Log maintenance (status_after changes the device's status)."""
    compound, device = _device(code, device_code)
    device_id = device.id
    if "version" in data and data["version"] != device.version:
        stale = StaleEditError(
            f"conflict: {device.kind} {device.code!r} was changed by someone else "
            f"(now version {device.version}); nothing was saved"
        )
        return conflict(stale, lambda: _current_device(device_id))
    db = db_session()
    try:
        with registry_errors():
            record = log_maintenance(
                db,
                compound.code,
                device.code,
                kind=data["kind"],
                technician=data.get("technician") or g.user.display_name or g.user.username,
                on=data.get("date"),
                notes=data.get("notes"),
                status_after=data.get("status_after"),
                actor=g.user.username,
            )
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _current_device(device_id))
    out = {
        c: getattr(record, c)
        for c in ("date", "kind", "technician", "notes", "status_before", "status_after")
    }
    return {**out, "device": device}, 201
