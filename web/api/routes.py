"""The API's resources (see :mod:`web.api` for authentication and errors)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, g, jsonify, request, url_for

from camwatch.errors import StaleEditError, UsageError
from camwatch.registry import devices as devices_service
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import (
    DEVICE_KINDS,
    DEVICE_STATUSES,
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
    Device,
    Problem,
)
from camwatch.registry.problems import (
    is_overdue,
    list_problems,
    open_problem,
    recheck,
    update_problem,
)
from camwatch.sitefile import site_to_geojson
from web.api import bp
from web.cache import cache_for
from web.db import db_session
from web.devices import (
    CAMERA_NUMBERS,
    EDITABLE_STATUSES,
    TEXT_FIELDS,
    _geometry,
    _next_code,
    _properties,
)
from web.ledger import analysis_of, compound_by_code, compounds_for, json_response
from web.planning import PlanOptions, plan_for
from web.security import has_permission


def _need(permission: str) -> None:
    if not has_permission(g.user, permission):
        abort(403)


def _body() -> dict[str, Any]:
    data = request.get_json(silent=True, force=True)
    if not isinstance(data, dict):
        raise UsageError("the request body must be a JSON object")
    return data


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise UsageError(f"{name} must be a date YYYY-MM-DD, got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{name} must be a date YYYY-MM-DD, got {value!r}") from None


def _text(data: dict[str, Any], key: str, *, max_len: int = 4000) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise UsageError(f"{key} must be a string, got {value!r}")
    if len(value) > max_len:
        raise UsageError(f"{key} is longer than {max_len} characters")
    return value


def _version(data: dict[str, Any]) -> int:
    value = data.get("version")
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError("version (an integer: the version you read) is required")
    return value


def compound_out(c: Any) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.name,
        "district": c.district,
        "address": c.address,
        "version": c.version,
        "devices": sum(1 for d in c.devices if d.status != "retired"),
    }


def device_out(d: Device) -> dict[str, Any]:
    return {
        "code": d.code,
        "kind": d.kind,
        "status": d.status,
        "name": d.name,
        "geometry": d.geometry,
        "properties": d.properties or {},
        "manufacturer": d.manufacturer,
        "model": d.model,
        "serial": d.serial,
        "install_date": d.install_date.isoformat() if d.install_date else None,
        "warranty_end": d.warranty_end.isoformat() if d.warranty_end else None,
        "status_changed_at": d.status_changed_at.isoformat(),
        "notes": d.notes,
        "version": d.version,
    }


def problem_out(p: Problem, today: date | None = None) -> dict[str, Any]:
    today = today or date.today()
    return {
        "id": p.id,
        "compound": p.compound.code,
        "device": p.device.code if p.device else None,
        "zone": p.zone_name,
        "description": p.description,
        "source": p.source,
        "responsible_unit": p.responsible_unit,
        "responsible_person": p.responsible_person,
        "deadline": p.deadline.isoformat(),
        "status": p.status,
        "overdue": is_overdue(p, today),
        "recheck_date": p.recheck_date.isoformat() if p.recheck_date else None,
        "recheck_result": p.recheck_result,
        "reference": p.reference,
        "created_by": p.created_by,
        "version": p.version,
        "history": [
            {
                "at": e.at.isoformat(),
                "actor": e.actor,
                "action": e.action,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "deadline": e.deadline.isoformat() if e.deadline else None,
                "note": e.note,
            }
            for e in p.events
        ],
    }


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


def _conflict(exc: StaleEditError, current: dict[str, Any] | None) -> Any:
    db_session().rollback()
    return jsonify(
        {"error": {"code": "conflict", "status": 409, "message": str(exc)}, "current": current}
    ), 409


@bp.get("/compounds")
def list_compounds():
    _need("compound.view")
    return jsonify({"compounds": [compound_out(c) for c in compounds_for(g.user)]})


@bp.get("/compounds/<code>")
def get_compound(code: str):
    _need("compound.view")
    return jsonify(compound_out(compound_by_code(code, g.user)))


@bp.get("/compounds/<code>/site")
def get_site(code: str):
    _need("compound.view")
    compound = compound_by_code(code, g.user)
    return jsonify(site_to_geojson(analysis_of(compound).site))


@bp.get("/compounds/<code>/devices")
def list_devices(code: str):
    _need("compound.view")
    compound = compound_by_code(code, g.user)
    kind = request.args.get("kind")
    status = request.args.get("status")
    if kind is not None and kind not in DEVICE_KINDS:
        raise UsageError(f"kind must be one of {', '.join(DEVICE_KINDS)}, got {kind!r}")
    if status is not None and status not in DEVICE_STATUSES:
        raise UsageError(f"status must be one of {', '.join(DEVICE_STATUSES)}, got {status!r}")
    rows = devices_service.list_devices(db_session(), compound.code, kind=kind, status=status)
    return jsonify({"devices": [device_out(d) for d in rows]})


@bp.post("/compounds/<code>/devices")
def add_device(code: str):
    _need("device.plan")
    compound = compound_by_code(code, g.user)
    data = _body()
    kind = data.get("kind", "camera")
    if kind not in DEVICE_KINDS:
        raise UsageError(f"kind must be one of {', '.join(DEVICE_KINDS)}, got {kind!r}")
    status = data.get("status", "active")
    if status not in EDITABLE_STATUSES:
        raise UsageError(f"status must be one of {', '.join(EDITABLE_STATUSES)}, got {status!r}")
    if status != "planned":
        _need("device.edit")
    geometry = _geometry(data)
    if geometry is None:
        raise UsageError("a new device needs a position: x and y, or a geometry")
    device_code = data.get("code") if data.get("code") is not None else _next_code(compound, kind)
    if not isinstance(device_code, str | int) or isinstance(device_code, bool):
        raise UsageError(f"code must be a string, got {device_code!r}")
    texts = {k: _text(data, k, max_len=200) for k in TEXT_FIELDS}
    db = db_session()
    device = devices_service.add_device(
        db,
        compound.code,
        kind=kind,
        code=str(device_code),
        geometry=geometry,
        properties=_properties(data),
        status=status,
        install_date=_date(data.get("install_date"), "install_date"),
        warranty_end=_date(data.get("warranty_end"), "warranty_end"),
        notes=_text(data, "notes"),
        actor=g.user.username,
        **texts,
    )
    db.commit()
    return (
        jsonify(device_out(device)),
        201,
        {"Location": url_for("api.get_device", code=code, device_code=device.code)},
    )


@bp.get("/compounds/<code>/devices/<device_code>")
def get_device(code: str, device_code: str):
    _need("compound.view")
    return jsonify(device_out(_device(code, device_code)[1]))


@bp.patch("/compounds/<code>/devices/<device_code>")
def update_device(code: str, device_code: str):
    _need("device.plan")
    compound, device = _device(code, device_code)
    data = _body()
    version = _version(data)
    status = data.get("status")
    if status is not None and status not in EDITABLE_STATUSES:
        raise UsageError(f"status must be one of {', '.join(EDITABLE_STATUSES)}, got {status!r}")
    if not has_permission(g.user, "device.edit") and (
        device.status != "planned" or status not in (None, "planned")
    ):
        abort(403)
    changes: dict[str, Any] = {}
    geometry = _geometry(data)
    if geometry is not None:
        changes["geometry"] = geometry
    props = _properties(data)
    if props:
        changes["properties"] = props
    for key in (*TEXT_FIELDS, "notes"):
        if key in data:
            changes[key] = _text(data, key)
    if status is not None:
        changes["status"] = status
    for key in ("install_date", "warranty_end"):
        if key in data:
            changes[key] = _date(data[key], key)
    if not changes:
        raise UsageError(
            f"nothing to change (send version plus any of: x, y, geometry, {', '.join(CAMERA_NUMBERS)}, status, ...)"
        )
    db = db_session()
    try:
        devices_service.update_device(
            db, compound.code, device.code, changes, expected_version=version, actor=g.user.username
        )
        db.commit()
    except StaleEditError as exc:
        fresh = db.get(Device, device.id)
        return _conflict(exc, device_out(fresh) if fresh else None)
    return jsonify(device_out(device))


@bp.post("/compounds/<code>/devices/<device_code>/maintenance")
def add_maintenance(code: str, device_code: str):
    _need("maintenance.log")
    compound, device = _device(code, device_code)
    data = _body()
    kind = data.get("kind")
    if not isinstance(kind, str):
        raise UsageError("kind (inspection, repair, replacement, cleaning or firmware) is required")
    status_after = data.get("status_after")
    if status_after is not None and status_after not in EDITABLE_STATUSES:
        raise UsageError(
            f"status_after must be one of {', '.join(EDITABLE_STATUSES)}, got {status_after!r}"
        )
    db = db_session()
    record = log_maintenance(
        db,
        compound.code,
        device.code,
        kind=kind,
        technician=_text(data, "technician", max_len=100) or g.user.display_name or g.user.username,
        on=_date(data.get("date"), "date"),
        notes=_text(data, "notes"),
        status_after=status_after,
        actor=g.user.username,
    )
    db.commit()
    return jsonify(
        {
            "date": record.date.isoformat(),
            "kind": record.kind,
            "technician": record.technician,
            "notes": record.notes,
            "status_before": record.status_before,
            "status_after": record.status_after,
            "device": device_out(device),
        }
    ), 201


def _bool_arg(name: str) -> bool:
    value = request.args.get(name, "false").lower()
    if value not in ("true", "false", "1", "0"):
        raise UsageError(f"{name} must be true or false, got {value!r}")
    return value in ("true", "1")


@bp.get("/compounds/<code>/analysis")
def get_analysis(code: str):
    _need("analysis.run")
    compound = compound_by_code(code, g.user)
    planned = _bool_arg("include_planned")
    result = analysis_of(compound, include_planned=planned)
    return json_response(("analysis-json", result.key, planned), result.analysis.to_dict)


@bp.post("/compounds/<code>/plan")
def post_plan(code: str):
    _need("plan.run")
    compound = compound_by_code(code, g.user)
    options = PlanOptions.from_json(_body())
    result = analysis_of(compound, include_planned=True)
    from flask import current_app

    plan = cache_for(current_app).get_or_compute(
        ("plan", result.key, options),
        lambda: plan_for(
            result.site, options, timeout_s=float(current_app.config["PLAN_TIMEOUT_S"])
        ),
    )
    suggestions = [{k: v for k, v in s.items() if k != "footprints"} for s in plan["suggestions"]]
    return jsonify({**plan, "suggestions": suggestions})


@bp.get("/problems")
def list_all_problems():
    _need("problem.view")
    code = request.args.get("compound")
    status = request.args.get("status")
    if status is not None and status not in PROBLEM_STATUSES:
        raise UsageError(f"status must be one of {', '.join(PROBLEM_STATUSES)}, got {status!r}")
    if code is not None:
        compound_by_code(code, g.user)
    ids = [c.id for c in g.user.compounds] if g.user.role == "manager" else None
    rows = list_problems(
        db_session(), compound=code, status=status, overdue=_bool_arg("overdue"), compound_ids=ids
    )
    today = date.today()
    return jsonify({"problems": [problem_out(p, today) for p in rows]})


@bp.post("/compounds/<code>/problems")
def add_problem(code: str):
    _need("problem.create")
    compound = compound_by_code(code, g.user)
    data = _body()
    description = _text(data, "description")
    if not description:
        raise UsageError("description is required")
    deadline = _date(data.get("deadline"), "deadline")
    if deadline is None:
        raise UsageError("deadline (YYYY-MM-DD) is required")
    source = data.get("source", "patrol")
    if source not in PROBLEM_SOURCES:
        raise UsageError(f"source must be one of {', '.join(PROBLEM_SOURCES)}, got {source!r}")
    db = db_session()
    problem = open_problem(
        db,
        compound.code,
        description=description,
        deadline=deadline,
        source=source,
        responsible_unit=_text(data, "responsible_unit", max_len=200),
        responsible_person=_text(data, "responsible_person", max_len=100),
        device=_text(data, "device", max_len=64),
        zone=_text(data, "zone", max_len=200),
        actor=g.user.username,
    )
    db.commit()
    return (
        jsonify(problem_out(problem)),
        201,
        {"Location": url_for("api.get_problem", pid=problem.id)},
    )


@bp.get("/problems/<int:pid>")
def get_problem(pid: int):
    _need("problem.view")
    return jsonify(problem_out(_problem(pid)))


@bp.patch("/problems/<int:pid>")
def patch_problem(pid: int):
    problem = _problem(pid)
    data = _body()
    version = _version(data)
    status = data.get("status")
    if status is not None and status not in PROBLEM_STATUSES:
        raise UsageError(f"status must be one of {', '.join(PROBLEM_STATUSES)}, got {status!r}")
    edits = any(
        k in data for k in ("responsible_unit", "responsible_person", "description", "deadline")
    )
    _need("problem.create" if edits else "problem.progress")
    db = db_session()
    try:
        update_problem(
            db,
            pid,
            status=status,
            responsible_unit=_text(data, "responsible_unit", max_len=200),
            responsible_person=_text(data, "responsible_person", max_len=100),
            description=_text(data, "description"),
            deadline=_date(data.get("deadline"), "deadline"),
            note=_text(data, "note"),
            expected_version=version,
            actor=g.user.username,
        )
        db.commit()
    except StaleEditError as exc:
        fresh = db.get(Problem, problem.id)
        return _conflict(exc, problem_out(fresh) if fresh else None)
    return jsonify(problem_out(problem))


@bp.post("/problems/<int:pid>/recheck")
def post_recheck(pid: int):
    _need("problem.recheck")
    problem = _problem(pid)
    data = _body()
    version = _version(data)
    passed = data.get("passed")
    if not isinstance(passed, bool):
        raise UsageError("passed (true or false) is required")
    db = db_session()
    try:
        recheck(
            db,
            pid,
            passed=passed,
            result=_text(data, "result") or "",
            new_deadline=_date(data.get("new_deadline"), "new_deadline"),
            on=_date(data.get("date"), "date"),
            expected_version=version,
            actor=g.user.username,
        )
        db.commit()
    except StaleEditError as exc:
        fresh = db.get(Problem, problem.id)
        return _conflict(exc, problem_out(fresh) if fresh else None)
    return jsonify(problem_out(problem))
