"""The API's resources (see :mod:`web.api` for authentication and errors).

Bodies and query strings are validated by the schemas of :mod:`web.api.schemas`
before a view runs; the views check the role, then call the registry.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import abort, current_app, g, jsonify, url_for

from camwatch.errors import CamwatchError, StaleEditError
from camwatch.registry import devices as devices_service
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import Device, Problem
from camwatch.registry.problems import list_problems, open_problem, recheck, update_problem
from camwatch.registry.settings import change_settings, current_settings
from camwatch.sitefile import site_to_geojson
from web.api import bp
from web.api.common import conflict, registry_errors
from web.api.outputs import (
    AnyObject,
    CompoundList,
    CompoundOut,
    CompoundSettingsOut,
    DeviceList,
    DeviceOut,
    ErrorSchema,
    MaintenanceOut,
    ProblemList,
    ProblemOut,
)
from web.api.schemas import (
    TEXT_FIELDS,
    AnalysisQuery,
    CompoundSettings,
    DeviceCreate,
    DevicePatch,
    DeviceQuery,
    MaintenanceInput,
    PlanInput,
    ProblemInput,
    ProblemPatch,
    ProblemQuery,
    RecheckInput,
    device_geometry,
    device_properties,
)
from web.cache import cache_for
from web.db import db_session
from web.devices import _next_code
from web.heights import field_error
from web.ledger import analysis_of, compound_by_code, compounds_for, json_response
from web.planning import PlanOptions, plan_for
from web.security import has_permission


def _errors(*codes: int) -> Any:
    """Document the error answers of a route (401, 403, 404 and ``codes``)."""

    def decorate(func: Any) -> Any:
        for code in sorted({401, 403, 404, *codes}, reverse=True):
            func = bp.alt_response(code, schema=ErrorSchema, description="error")(func)
        return func

    return decorate


def _need(permission: str) -> None:
    if not has_permission(g.user, permission):
        abort(403)


def _requires(permission: str) -> Any:
    """403 without ``permission``, checked before the body is read (placed under ``route``)."""

    def decorate(func: Any) -> Any:
        @functools.wraps(func)
        def view(*args: Any, **kwargs: Any) -> Any:
            _need(permission)
            return func(*args, **kwargs)

        return view

    return decorate


def _device(code: str, device_code: str) -> tuple[Any, Device]:
    compound = compound_by_code(code, g.user)
    device = next((d for d in compound.devices if d.code == device_code), None)
    if device is None:
        abort(404)
    return compound, device


def _problem(pid: int) -> Problem:
    problem = db_session().get(Problem, pid)
    if problem is None:
        abort(404)
    compound_by_code(problem.compound.code, g.user)
    return problem


def _current_device(device_id: int) -> dict[str, Any] | None:
    fresh = db_session().get(Device, device_id)
    return DeviceOut().dump(fresh) if fresh is not None else None


def _current_problem(pid: int) -> dict[str, Any] | None:
    fresh = db_session().get(Problem, pid)
    return ProblemOut().dump(fresh) if fresh is not None else None


@bp.route("/compounds", methods=["GET"])
@_requires("compound.view")
@bp.response(200, CompoundList)
@_errors()
def list_compounds():
    """Compounds the caller may see."""
    return {"compounds": compounds_for(g.user)}


@bp.route("/compounds/<code>", methods=["GET"])
@_requires("compound.view")
@bp.response(200, CompoundOut)
@_errors()
def get_compound(code: str):
    """One compound."""
    return compound_by_code(code, g.user)


@bp.route("/compounds/<code>/site", methods=["GET"])
@_requires("compound.view")
@bp.response(200, AnyObject, description="the compound as a site file (docs/site-format.md)")
@_errors()
def get_site(code: str):
    """The compound as a site file."""
    compound = compound_by_code(code, g.user)
    return jsonify(site_to_geojson(analysis_of(compound).site))


@bp.route("/compounds/<code>/devices", methods=["GET"])
@_requires("compound.view")
@bp.arguments(DeviceQuery, location="query")
@bp.response(200, DeviceList)
@_errors(400)
def list_devices(query: dict[str, Any], code: str):
    """Devices (not retired unless filtered by status)."""
    compound = compound_by_code(code, g.user)
    rows = devices_service.list_devices(
        db_session(), compound.code, kind=query.get("kind"), status=query.get("status")
    )
    return {"devices": rows}


@bp.route("/compounds/<code>/devices", methods=["POST"])
@_requires("device.plan")
@bp.arguments(DeviceCreate)
@bp.response(201, DeviceOut)
@_errors(400)
def add_device(data: dict[str, Any], code: str):
    """Add a device (validated like a site-file feature)."""
    compound = compound_by_code(code, g.user)
    status = data.get("status", "active")
    if status != "planned":
        _need("device.edit")
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
    location = url_for("api.get_device", code=code, device_code=device.code)
    return device, 201, {"Location": location}


@bp.route("/compounds/<code>/devices/<device_code>", methods=["GET"])
@_requires("compound.view")
@bp.response(200, DeviceOut)
@_errors()
def get_device(code: str, device_code: str):
    """One device."""
    return _device(code, device_code)[1]


@bp.route("/compounds/<code>/devices/<device_code>", methods=["PATCH"])
@_requires("device.plan")
@bp.arguments(DevicePatch)
@bp.response(200, DeviceOut)
@_errors(400, 409)
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
@_requires("maintenance.log")
@bp.arguments(MaintenanceInput)
@bp.response(201, MaintenanceOut)
@_errors(400, 409)
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


@bp.route("/compounds/<code>/analysis", methods=["GET"])
@_requires("analysis.run")
@bp.arguments(AnalysisQuery, location="query")
@bp.response(200, AnyObject, description="the analysis object (docs/site-format.md)")
@_errors(400)
def get_analysis(query: dict[str, Any], code: str):
    """Coverage analysis."""
    compound = compound_by_code(code, g.user)
    planned = query.get("include_planned", "false") in ("true", "1")
    result = analysis_of(
        compound, include_planned=planned, coverage_model=query.get("coverage_model")
    )
    model = result.figures.coverage_model
    return json_response(("analysis-json", result.key, planned, model), result.figures.to_dict)


def _settings(compound: Any) -> dict[str, Any]:
    return {"version": compound.version, **current_settings(compound)}


@bp.route("/compounds/<code>/settings", methods=["GET"])
@_requires("compound.view")
@bp.response(200, CompoundSettingsOut)
@_errors()
def get_settings(code: str):
    """The compound's heights settings (docs/site-format.md §4)."""
    return _settings(compound_by_code(code, g.user))


@bp.route("/compounds/<code>/settings", methods=["PATCH"])
@_requires("compound.import")
@bp.arguments(CompoundSettings)
@bp.response(200, CompoundSettingsOut)
@_errors(400, 409)
def patch_settings(data: dict[str, Any], code: str):
    """Change the compound's heights settings (a member left out stays; null: the default)."""
    compound = compound_by_code(code, g.user)
    db = db_session()
    try:
        with registry_errors():
            change_settings(
                db, compound, data, expected_version=data["version"], actor=g.user.username
            )
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _settings(compound_by_code(code, g.user)))
    except CamwatchError as exc:
        db.rollback()
        raise field_error(exc) from None
    return _settings(compound)


@bp.route("/compounds/<code>/plan", methods=["POST"])
@_requires("plan.run")
@bp.arguments(PlanInput)
@bp.response(200, AnyObject, description="the plan object (docs/site-format.md)")
@_errors(400, 422, 503)
def post_plan(data: dict[str, Any], code: str):
    """Suggest K new cameras."""
    compound = compound_by_code(code, g.user)
    options = PlanOptions.from_json(data)
    result = analysis_of(compound, include_planned=True)
    plan = cache_for(current_app).get_or_compute(
        ("plan", result.key, options),
        lambda: plan_for(
            result.site, options, timeout_s=float(current_app.config["PLAN_TIMEOUT_S"])
        ),
    )
    suggestions = [{k: v for k, v in s.items() if k != "footprints"} for s in plan["suggestions"]]
    return jsonify({**plan, "suggestions": suggestions})


@bp.route("/problems", methods=["GET"])
@_requires("problem.view")
@bp.arguments(ProblemQuery, location="query")
@bp.response(200, ProblemList)
@_errors(400)
def list_all_problems(query: dict[str, Any]):
    """Rectification items by deadline."""
    code = query.get("compound")
    if code is not None:
        compound_by_code(code, g.user)
    ids = [c.id for c in g.user.compounds] if g.user.role == "manager" else None
    rows = list_problems(
        db_session(),
        compound=code,
        status=query.get("status"),
        overdue=query.get("overdue", "false") in ("true", "1"),
        compound_ids=ids,
    )
    return {"problems": rows}


@bp.route("/compounds/<code>/problems", methods=["POST"])
@_requires("problem.create")
@bp.arguments(ProblemInput)
@bp.response(201, ProblemOut)
@_errors(400)
def add_problem(data: dict[str, Any], code: str):
    """Open a rectification item."""
    compound = compound_by_code(code, g.user)
    if not data["description"].strip():
        from web.errors import FieldError

        raise FieldError("description", "is required")
    db = db_session()
    with registry_errors():
        problem = open_problem(db, compound.code, **data, actor=g.user.username)
        db.commit()
    return problem, 201, {"Location": url_for("api.get_problem", pid=problem.id)}


@bp.route("/problems/<int:pid>", methods=["GET"])
@_requires("problem.view")
@bp.response(200, ProblemOut)
@_errors()
def get_problem(pid: int):
    """One problem with its history."""
    return _problem(pid)


@bp.route("/problems/<int:pid>", methods=["PATCH"])
@bp.arguments(ProblemPatch)
@bp.response(200, ProblemOut)
@_errors(400, 409)
def patch_problem(data: dict[str, Any], pid: int):
    """Move a problem along or change who/what/when (a new deadline needs a note)."""
    problem = _problem(pid)
    edits = any(
        k in data for k in ("responsible_unit", "responsible_person", "description", "deadline")
    )
    _need("problem.create" if edits else "problem.progress")
    db = db_session()
    version = data.pop("version")
    try:
        with registry_errors():
            update_problem(db, pid, **data, expected_version=version, actor=g.user.username)
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _current_problem(pid))
    return problem


@bp.route("/problems/<int:pid>/recheck", methods=["POST"])
@_requires("problem.recheck")
@bp.arguments(RecheckInput)
@bp.response(200, ProblemOut)
@_errors(400, 409)
def post_recheck(data: dict[str, Any], pid: int):
    """Record the recheck of a fixed problem (passed: verified; failed: reopened)."""
    _problem(pid)
    db = db_session()
    try:
        with registry_errors():
            problem = recheck(
                db,
                pid,
                passed=data["passed"],
                result=data.get("result") or "",
                new_deadline=data.get("new_deadline"),
                on=data.get("date"),
                expected_version=data["version"],
                actor=g.user.username,
            )
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _current_problem(pid))
    return problem
