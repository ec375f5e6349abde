"""Devices: details and history, add/move/turn/edit from the map, maintenance, retirement.

The map talks JSON to these routes (session cookie + CSRF header); a phone
without the map can use the HTML device page and its forms. Every change goes
through the registry's services, so a device is validated by the site
loader's rules (placement inside the compound, optics ranges, enumerations)
and optimistic locking applies: an edit carries the ``version`` the editor
saw, and a stale one is refused with 409 and the current state, so the
editor can re-apply their change — nothing is overwritten. Bodies are loaded
by the API's schemas (:mod:`web.api.schemas`), so both validate alike.

Planners may add and edit *planned* cameras only (status stays ``planned``);
technicians and admins edit any device.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from camwatch.errors import CamwatchError, StaleEditError, ValueRangeError
from camwatch.model import MAINTENANCE_KINDS
from camwatch.properties import PROPERTIES
from camwatch.registry import devices as devices_service
from camwatch.registry import retirement
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import Device
from web.api.common import conflict, registry_errors
from web.api.fields import BodyError, read_json
from web.api.schemas import (
    EDITABLE_STATUSES,
    TEXT_FIELDS,
    DeviceCreate,
    DeviceFields,
    DevicePatch,
    MaintenanceInput,
    device_geometry,
    device_properties,
    load,
)
from web.codes import next_codes
from web.db import db_session
from web.device_view import device_json, maintenance_page
from web.errors import FieldError
from web.forms import choices, posted_version
from web.i18n import gettext as _
from web.ledger import compound_for
from web.messages import error_text
from web.security import has_permission, require, wants_json
from web.templating import MAINTENANCE_LABELS, STATUS_LABELS

bp = Blueprint("devices", __name__)


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


class RestoreForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])


def device_for(device_id: int) -> Device:
    """The device if its compound is visible to the user, else 404."""
    device = db_session().get(Device, device_id)
    if device is None:
        abort(404)
    compound_for(device.compound_id)
    return device


def _next_code(compound: Any, kind: str) -> str:
    """The next code continuing the compound's pattern (:mod:`web.codes`)."""
    return next_codes(((d.kind, d.code) for d in compound.devices), kind)[0]


def add_posted(compound: Any, data: dict[str, Any], status: str) -> Device:
    """Add a device from a checked ``DeviceCreate`` body (the map's and the API's), code
    the next free one of its kind when none is given; committed, or a 4xx."""
    db = db_session()
    with registry_errors():
        device = devices_service.add_device(
            db,
            compound.code,
            kind=data["kind"],
            code=data.get("code") or _next_code(compound, data["kind"]),
            geometry=device_geometry(data) or {},  # the schema requires a position
            properties=device_properties(data),
            status=status,
            install_date=data.get("install_date"),
            warranty_end=data.get("warranty_end"),
            notes=data.get("notes"),
            actor=g.user.username,
            **{k: data.get(k) for k in TEXT_FIELDS},
        )
        db.commit()
    return device


def _json_body(schema: Any) -> dict[str, Any]:
    """The request's JSON body loaded by ``schema`` (400 naming the field otherwise)."""
    try:
        data = read_json(request.get_data(cache=True))
    except BodyError as exc:
        raise FieldError("body", str(exc)) from None
    return load(schema, data)


def _check_plan_only(status_before: str | None, status_after: str | None) -> None:
    """Planners (device.plan without device.edit) touch planned devices only."""
    if has_permission(g.user, "device.edit"):
        return
    if not has_permission(g.user, "device.plan"):
        abort(403)
    if status_before not in (None, "planned") or status_after not in (None, "planned"):
        abort(403)


def _conflict(exc: StaleEditError, device_id: int) -> Any:
    def current() -> dict[str, Any] | None:
        fresh = db_session().get(Device, device_id)
        return device_json(fresh) if fresh is not None else None

    return conflict(exc, current)


@bp.post("/compounds/<int:cid>/devices")
@require("device.plan")
def create(cid: int):
    """Add a device (JSON: kind, x, y or geometry, optics...; code optional → next free)."""
    compound = compound_for(cid)
    data = _json_body(DeviceCreate())
    status = data.get("status", "active" if has_permission(g.user, "device.edit") else "planned")
    _check_plan_only(None, status)
    device = add_posted(compound, data, status)
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
        history=maintenance_page(device),
        form=MaintenanceForm(),
        retire_form=RetireForm(),
        restore_form=RestoreForm(),
        edit_form=FlaskForm(),
    )


@bp.route("/devices/<int:device_id>", methods=["PATCH"])
@require("device.plan")
def update(device_id: int):
    """Move, turn or edit a device (JSON with ``version``; 409 with the current state if stale)."""
    device = device_for(device_id)
    data = _json_body(DevicePatch())
    new_status = data.get("status")
    _check_plan_only(device.status, new_status)
    changes = _changes(data)
    db = db_session()
    try:
        with registry_errors():
            devices_service.update_device(
                db,
                device.compound.code,
                device.code,
                changes,
                expected_version=data["version"],
                actor=g.user.username,
            )
            db.commit()
    except StaleEditError as exc:
        return _conflict(exc, device_id)
    return jsonify(device_json(device))


def _changes(data: dict[str, Any]) -> dict[str, Any]:
    """The registry's ``changes`` for a loaded device edit."""
    changes = {
        k: data[k]
        for k in (*TEXT_FIELDS, "status", "install_date", "warranty_end", "notes")
        if k in data
    }
    geometry = device_geometry(data)
    if geometry is not None:
        changes["geometry"] = geometry
    props = device_properties(data)
    if props:
        changes["properties"] = props
    return changes


def _check_form_numbers(device: Device, data: dict[str, Any]) -> None:
    """The form's typed numbers against their ranges (:mod:`camwatch.properties`), first,
    so a wrong value is named in the reader's language before anything else runs."""
    known = PROPERTIES.get(device.kind, {})
    for key, text in data.items():
        prop = known.get(key)
        if prop is None or key == "resolution" or text in (None, ""):
            continue
        try:
            number = float(text)
        except ValueError:
            raise prop.error(text, wrong_type=True).located(
                kind=device.kind, ident=device.code
            ) from None
        try:
            prop.check(number)
        except ValueRangeError as exc:
            raise exc.located(kind=device.kind, ident=device.code) from None


@bp.post("/devices/<int:device_id>/edit")
@require("device.plan")
def edit_form(device_id: int):
    """The HTML form version of PATCH (device page on a phone)."""
    device = device_for(device_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    form_fields = set(DeviceFields().fields) - {"geometry", "properties", "intercom"}
    data: dict[str, Any] = {
        k: (v if v != "" else None) for k, v in request.form.items() if k in form_fields
    }
    version = posted_version()
    if data.get("x") is None or data.get("y") is None:
        data.pop("x", None)
        data.pop("y", None)
    if data.get("status") is None:
        data.pop("status", None)
    new_status = data.get("status")
    _check_plan_only(device.status, new_status)
    try:
        _check_form_numbers(device, data)
        changes = _changes(load(DeviceFields(), data))
        devices_service.update_device(
            db_session(),
            device.compound.code,
            device.code,
            changes,
            expected_version=version,
            actor=g.user.username,
        )
        db_session().commit()
        flash(_("Saved."), "ok")
    except StaleEditError as exc:
        db_session().rollback()
        flash(str(exc), "error")
    except (CamwatchError, ValueError) as exc:
        db_session().rollback()
        flash(_("Not saved: %(e)s", e=error_text(exc)), "error")
    return redirect(url_for("devices.detail", device_id=device_id))


@bp.post("/devices/<int:device_id>/maintenance")
@require("maintenance.log")
def maintenance(device_id: int):
    """Log a maintenance visit (form or JSON); ``status_after`` changes the device's status."""
    device = device_for(device_id)
    db = db_session()
    technician = g.user.display_name or g.user.username
    if request.is_json:
        data = _json_body(MaintenanceInput())
        if "version" in data and data["version"] != device.version:
            stale = StaleEditError(
                f"conflict: {device.kind} {device.code!r} was changed by someone else; "
                "nothing was saved"
            )
            return _conflict(stale, device_id)
        with registry_errors():
            log_maintenance(
                db,
                device.compound.code,
                device.code,
                kind=data["kind"],
                technician=technician,
                on=data.get("date"),
                notes=data.get("notes"),
                status_after=data.get("status_after"),
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
    version = posted_version()
    try:
        retirement.retire_device(
            db,
            device.compound.code,
            device.code,
            reason=form.reason.data,
            expected_version=version,
            actor=g.user.username,
        )
        db.commit()
    except CamwatchError as exc:  # a stale version, or retired meanwhile (another tab)
        db.rollback()
        flash(error_text(exc), "error")
        return redirect(url_for("devices.detail", device_id=device_id))
    flash(_("Device %(code)s retired.", code=device.code), "ok")
    return redirect(url_for("compounds.map_page", cid=device.compound_id))


@bp.post("/devices/<int:device_id>/restore")
@require("device.edit")
def restore(device_id: int):
    """Bring a retired device back (its status before retirement, else offline; docs/registry.md)."""
    device = device_for(device_id)
    form = RestoreForm()
    if not form.validate_on_submit():
        flash(_("The form has expired; reload the page and try again."), "error")
        return redirect(url_for("devices.detail", device_id=device_id))
    db = db_session()
    version = posted_version()
    try:
        retirement.restore_device(
            db,
            device.compound.code,
            device.code,
            reason=form.reason.data or None,
            expected_version=version,
            actor=g.user.username,
        )
        db.commit()
    except CamwatchError as exc:
        db.rollback()
        flash(error_text(exc), "error")
        return redirect(url_for("devices.detail", device_id=device_id))
    flash(_("Device %(code)s restored.", code=device.code), "ok")
    return redirect(url_for("devices.detail", device_id=device_id))
