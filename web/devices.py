"""Devices: details and history, add/move/turn/edit from the map, maintenance, retirement.

The map talks JSON to these routes (session cookie + CSRF header); a phone
without the map can use the HTML device page and its forms. Every change goes
through the registry's services, so a device is validated by the site
loader's rules (placement inside the compound, optics ranges, enumerations)
and optimistic locking applies: an edit carries the ``version`` the editor
saw, and a stale one is refused with 409 and the current state, so the
editor can re-apply their change — nothing is overwritten.

Planners may add and edit *planned* cameras only (status stays ``planned``);
technicians and admins edit any device.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from camwatch.errors import CamwatchError, StaleEditError, UsageError
from camwatch.model import DEVICE_KINDS, LIVE_DEVICE_STATUSES, MAINTENANCE_KINDS, parse_resolution
from camwatch.registry import devices as devices_service
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import Device
from camwatch.registry.problems import list_problems
from web import geojson
from web.db import db_session
from web.forms import choices
from web.ledger import analysis_of, compound_for
from web.security import has_permission, require, wants_json
from web.templating import MAINTENANCE_LABELS, STATUS_LABELS

bp = Blueprint("devices", __name__)

CODE_PREFIX = {"camera": "C", "gate": "G", "alarm": "A", "intercom": "I"}
EDITABLE_STATUSES = LIVE_DEVICE_STATUSES
CAMERA_NUMBERS = (
    "height_m",
    "heading_deg",
    "tilt_deg",
    "hfov_deg",
    "focal_mm",
    "sensor_width_mm",
    "vfov_deg",
    "range_m",
)
TEXT_FIELDS = ("name", "manufacturer", "model", "serial")


class MaintenanceForm(FlaskForm):
    kind = SelectField(
        _l("Work done"), choices=choices([(k, MAINTENANCE_LABELS[k]) for k in MAINTENANCE_KINDS])
    )
    on = DateField(_l("Date"), default=date.today, validators=[DataRequired()])
    status_after = SelectField(
        _l("Status afterwards"),
        choices=choices(
            [("", _l("unchanged"))] + [(s, STATUS_LABELS[s]) for s in EDITABLE_STATUSES]
        ),
        validators=[Optional()],
    )
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])


class RetireForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


def device_for(device_id: int) -> Device:
    """The device if its compound is visible to the user, else 404."""
    device = db_session().get(Device, device_id)
    if device is None:
        abort(404)
    compound_for(device.compound_id)
    return device


def _next_code(compound: Any, kind: str) -> str:
    prefix = CODE_PREFIX[kind]
    taken = {d.code for d in compound.devices}
    numbers = [
        int(m.group(1)) for c in taken if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", c))
    ]
    n = max(numbers, default=0) + 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UsageError("the request body must be a JSON object")
    return data


def _number(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise UsageError(f"{name} must be a number, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise UsageError(f"{name} must be a number, got {value!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise UsageError(f"{name} must be a finite number, got {value!r}")
    return number


def _geometry(data: dict[str, Any]) -> dict[str, Any] | None:
    if "geometry" in data:
        geom = data["geometry"]
        if not isinstance(geom, dict):
            raise UsageError("geometry must be a GeoJSON Point or LineString object")
        return geom
    if "x" in data or "y" in data:
        return {
            "type": "Point",
            "coordinates": [_number(data.get("x"), "x"), _number(data.get("y"), "y")],
        }
    return None


def _properties(data: dict[str, Any]) -> dict[str, Any]:
    props = data.get("properties") or {}
    if not isinstance(props, dict):
        raise UsageError("properties must be an object")
    props = dict(props)
    for key in CAMERA_NUMBERS:
        if key in data:
            props[key] = None if data[key] in (None, "") else _number(data[key], key)
    if "resolution" in data and data["resolution"] not in (None, ""):
        res = data["resolution"]
        if isinstance(res, str):
            res = list(parse_resolution(res))
        props["resolution"] = res
    for key in ("access_control", "alarm_type", "building", "intercom"):
        if key in data:
            props[key] = data[key]
    return props


def _check_plan_only(status_before: str | None, status_after: str | None) -> None:
    """Planners (device.plan without device.edit) touch planned devices only."""
    if has_permission(g.user, "device.edit"):
        return
    if not has_permission(g.user, "device.plan"):
        abort(403)
    if status_before not in (None, "planned") or status_after not in (None, "planned"):
        abort(403)


def device_json(device: Device) -> dict[str, Any]:
    """A device with its maintenance history and open problems, for the map's side panel."""
    compound = device.compound
    site = analysis_of(compound).site if device.kind == "camera" else None
    data = geojson.feature(device.geometry, geojson.device_props(device, site))
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
            "description": p.description,
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


def _conflict(exc: StaleEditError, device: Device) -> Any:
    db = db_session()
    db.rollback()
    fresh = db.get(Device, device.id)
    body = {
        "error": {"code": "conflict", "status": 409, "message": str(exc)},
        "current": device_json(fresh) if fresh is not None else None,
    }
    return jsonify(body), 409


@bp.post("/compounds/<int:cid>/devices")
@require("device.plan")
def create(cid: int):
    """Add a device (JSON: kind, x, y or geometry, optics...; code optional → next free)."""
    compound = compound_for(cid)
    data = _json_body()
    kind = data.get("kind", "camera")
    if kind not in DEVICE_KINDS:
        raise UsageError(f"kind must be one of {', '.join(DEVICE_KINDS)}, got {kind!r}")
    status = data.get("status", "active" if has_permission(g.user, "device.edit") else "planned")
    _check_plan_only(None, status)
    geometry = _geometry(data)
    if geometry is None:
        raise UsageError("a new device needs a position: x and y, or a geometry")
    code = data.get("code") or _next_code(compound, kind)
    texts = {k: (data.get(k) or None) for k in TEXT_FIELDS}
    db = db_session()
    device = devices_service.add_device(
        db,
        compound.code,
        kind=kind,
        code=str(code),
        geometry=geometry,
        properties=_properties(data),
        status=status,
        install_date=data.get("install_date") or None,
        actor=g.user.username,
        **texts,
    )
    db.commit()
    return jsonify(device_json(device)), 201


@bp.get("/devices/<int:device_id>")
@require("compound.view")
def detail(device_id: int):
    """A device: JSON for the map (Accept: application/json), else an HTML page."""
    device = device_for(device_id)
    if wants_json():
        return jsonify(device_json(device))
    return render_template(
        "devices/detail.html",
        device=device,
        data=device_json(device)["properties"],
        form=MaintenanceForm(),
        retire_form=RetireForm(),
        edit_form=FlaskForm(),
    )


@bp.route("/devices/<int:device_id>", methods=["PATCH"])
@require("device.plan")
def update(device_id: int):
    """Move, turn or edit a device (JSON with ``version``; 409 with the current state if stale)."""
    device = device_for(device_id)
    data = _json_body()
    if "version" not in data:
        raise UsageError("version is required (the version of the device you edited)")
    version = int(_number(data["version"], "version"))
    new_status = data.get("status")
    _check_plan_only(device.status, new_status)
    if new_status is not None and new_status not in EDITABLE_STATUSES:
        raise UsageError(
            f"status must be one of {', '.join(EDITABLE_STATUSES)}, got {new_status!r}"
        )
    changes: dict[str, Any] = {}
    geometry = _geometry(data)
    if geometry is not None:
        changes["geometry"] = geometry
    props = _properties(data)
    if props:
        changes["properties"] = props
    for key in (*TEXT_FIELDS, "status", "install_date", "warranty_end", "notes"):
        if key in data:
            changes[key] = data[key] if data[key] != "" else None
    if not changes:
        raise UsageError("nothing to change")
    db = db_session()
    try:
        devices_service.update_device(
            db,
            device.compound.code,
            device.code,
            changes,
            expected_version=version,
            actor=g.user.username,
        )
        db.commit()
    except StaleEditError as exc:
        return _conflict(exc, device)
    return jsonify(device_json(device))


@bp.post("/devices/<int:device_id>/edit")
@require("device.plan")
def edit_form(device_id: int):
    """The HTML form version of PATCH (device page on a phone)."""
    device = device_for(device_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    data = {k: v for k, v in request.form.items() if k != "csrf_token"}
    version = data.pop("version", None)
    new_status = data.get("status") or None
    _check_plan_only(device.status, new_status)
    changes: dict[str, Any] = {}
    try:
        props = _properties(
            {
                k: v
                for k, v in data.items()
                if k in CAMERA_NUMBERS
                or k in ("resolution", "access_control", "alarm_type", "building")
            }
        )
        if "x" in data and "y" in data and data["x"] != "" and data["y"] != "":
            changes["geometry"] = _geometry({"x": data["x"], "y": data["y"]})
        if props:
            changes["properties"] = props
        for key in (*TEXT_FIELDS, "status", "install_date", "notes"):
            if key in data:
                changes[key] = data[key] or None
        db = db_session()
        devices_service.update_device(
            db,
            device.compound.code,
            device.code,
            changes,
            expected_version=int(version) if version else None,
            actor=g.user.username,
        )
        db.commit()
        flash(_("Saved."), "ok")
    except StaleEditError as exc:
        db_session().rollback()
        flash(str(exc), "error")
    except (CamwatchError, ValueError) as exc:
        db_session().rollback()
        flash(_("Not saved: %(e)s", e=str(exc)), "error")
    return redirect(url_for("devices.detail", device_id=device_id))


@bp.post("/devices/<int:device_id>/maintenance")
@require("maintenance.log")
def maintenance(device_id: int):
    """Log a maintenance visit (form or JSON); ``status_after`` changes the device's status."""
    device = device_for(device_id)
    db = db_session()
    technician = g.user.display_name or g.user.username
    if request.is_json:
        data = _json_body()
        on = data.get("date")
        try:
            day = date.fromisoformat(on) if on else None
        except (TypeError, ValueError):
            raise UsageError(f"date must be YYYY-MM-DD, got {on!r}") from None
        if "version" in data and int(_number(data["version"], "version")) != device.version:
            return _conflict(
                StaleEditError(
                    f"conflict: {device.kind} {device.code!r} was changed by someone else; nothing was saved"
                ),
                device,
            )
        log_maintenance(
            db,
            device.compound.code,
            device.code,
            kind=str(data.get("kind", "")),
            technician=technician,
            on=day,
            notes=data.get("notes") or None,
            status_after=data.get("status_after") or None,
            actor=g.user.username,
        )
        db.commit()
        return jsonify(device_json(device)), 201
    form = MaintenanceForm()
    if form.validate_on_submit():
        try:
            log_maintenance(
                db,
                device.compound.code,
                device.code,
                kind=form.kind.data,
                technician=technician,
                on=form.on.data,
                notes=form.notes.data or None,
                status_after=form.status_after.data or None,
                actor=g.user.username,
            )
            db.commit()
            flash(_("Maintenance logged."), "ok")
        except CamwatchError as exc:
            db.rollback()
            flash(str(exc), "error")
    else:
        flash(
            _(
                "Please check the form: %(e)s",
                e="; ".join(f"{k}: {', '.join(v)}" for k, v in form.errors.items()),
            ),
            "error",
        )
    return redirect(url_for("devices.detail", device_id=device_id))


@bp.post("/devices/<int:device_id>/retire")
@require("device.edit")
def retire(device_id: int):
    """Take a device out of service for good (kept in the ledger with its history)."""
    device = device_for(device_id)
    form = RetireForm()
    if not form.validate_on_submit():
        flash(_("A reason is required to retire a device."), "error")
        return redirect(url_for("devices.detail", device_id=device_id))
    db = db_session()
    version = request.form.get("version")
    try:
        devices_service.retire_device(
            db,
            device.compound.code,
            device.code,
            reason=form.reason.data,
            expected_version=int(version) if version else None,
            actor=g.user.username,
        )
        db.commit()
    except StaleEditError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("devices.detail", device_id=device_id))
    flash(_("Device %(code)s retired.", code=device.code), "ok")
    return redirect(url_for("compounds.map_page", cid=device.compound_id))
