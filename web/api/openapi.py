"""The OpenAPI 3.0 document of ``/api/v1``, written by hand and served at ``openapi.json``.

``tests/web/test_api.py`` checks it lists exactly the API's routes and methods,
and a schemathesis run checks responses against it.
"""

from __future__ import annotations

from typing import Any

from flask import jsonify

from camwatch import model
from web.api import bp

# The enumerations come from camwatch.model (one place), as JSON lists.
DEVICE_KINDS = list(model.DEVICE_KINDS)
DEVICE_STATUSES = list(model.DEVICE_STATUSES)
EDITABLE = list(model.LIVE_DEVICE_STATUSES)
PROBLEM_STATUSES = list(model.PROBLEM_STATUSES)
SOURCES = list(model.PROBLEM_SOURCES)
MAINTENANCE = list(model.MAINTENANCE_KINDS)
LEVELS = list(model.LEVELS)


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


STR = {"type": "string"}
NUM = {"type": "number"}
INT = {"type": "integer"}
BOOL = {"type": "boolean"}
DATE = {"type": "string", "format": "date"}
XY = {"type": "array", "items": NUM, "minItems": 2, "maxItems": 2}


def json_body(schema: dict[str, Any], *, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": schema}}}


def ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERR = {"description": "error", "content": {"application/json": {"schema": ref("Error")}}}


def errors(*codes: int) -> dict[str, Any]:
    return {str(c): ERR for c in (401, 403, 404, *codes)}


CODE = {
    "name": "code",
    "in": "path",
    "required": True,
    "schema": STR,
    "description": "compound code",
}
DEVICE = {
    "name": "device_code",
    "in": "path",
    "required": True,
    "schema": STR,
    "description": "device code",
}
PID = {
    "name": "pid",
    "in": "path",
    "required": True,
    "schema": INT,
    "description": "problem number",
}
BOOL_Q = {"type": "string", "enum": ["true", "false", "1", "0"]}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "status", "message"],
                "properties": {"code": STR, "status": INT, "message": STR},
            },
            "current": {"nullable": True},
        },
    },
    "Geometry": {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["Point", "LineString"]},
            "coordinates": {"type": "array"},
        },
    },
    "Compound": {
        "type": "object",
        "required": ["code", "version", "devices"],
        "properties": {
            "code": STR,
            "name": nullable(STR),
            "district": nullable(STR),
            "address": nullable(STR),
            "version": INT,
            "devices": INT,
        },
    },
    "Device": {
        "type": "object",
        "required": ["code", "kind", "status", "geometry", "properties", "version"],
        "properties": {
            "code": STR,
            "kind": {"type": "string", "enum": DEVICE_KINDS},
            "status": {"type": "string", "enum": DEVICE_STATUSES},
            "name": nullable(STR),
            "geometry": ref("Geometry"),
            "properties": {
                "type": "object",
                "description": "camera optics (docs/site-format.md §2), access_control, alarm_type, building...",
            },
            "manufacturer": nullable(STR),
            "model": nullable(STR),
            "serial": nullable(STR),
            "install_date": nullable(DATE),
            "warranty_end": nullable(DATE),
            "status_changed_at": {"type": "string", "format": "date-time"},
            "notes": nullable(STR),
            "version": INT,
        },
    },
    "DeviceInput": {
        "type": "object",
        "description": "Position as x, y or a GeoJSON geometry; camera optics as top-level fields or in properties.",
        "properties": {
            "kind": {"type": "string", "enum": DEVICE_KINDS, "default": "camera"},
            "code": {"type": "string", "description": "default: next free C<n>/G<n>/A<n>/I<n>"},
            "status": {"type": "string", "enum": EDITABLE},
            "x": NUM,
            "y": NUM,
            "geometry": ref("Geometry"),
            "name": STR,
            "manufacturer": STR,
            "model": STR,
            "serial": STR,
            "install_date": DATE,
            "warranty_end": DATE,
            "notes": STR,
            "height_m": NUM,
            "heading_deg": NUM,
            "tilt_deg": NUM,
            "hfov_deg": NUM,
            "focal_mm": NUM,
            "sensor_width_mm": NUM,
            "vfov_deg": NUM,
            "range_m": NUM,
            "resolution": {"type": "array", "items": INT, "minItems": 2, "maxItems": 2},
            "access_control": {"type": "string", "enum": list(model.ACCESS_CONTROL_TYPES)},
            "alarm_type": {"type": "string", "enum": list(model.ALARM_TYPES)},
            "intercom": BOOL,
            "building": STR,
            "properties": {"type": "object"},
        },
    },
    "DevicePatch": {
        "allOf": [
            ref("DeviceInput"),
            {"type": "object", "required": ["version"], "properties": {"version": INT}},
        ],
    },
    "MaintenanceInput": {
        "type": "object",
        "required": ["kind"],
        "properties": {
            "kind": {"type": "string", "enum": MAINTENANCE},
            "date": DATE,
            "technician": STR,
            "notes": STR,
            "status_after": {"type": "string", "enum": EDITABLE},
        },
    },
    "Maintenance": {
        "type": "object",
        "required": ["date", "kind", "technician", "status_before", "status_after", "device"],
        "properties": {
            "date": DATE,
            "kind": STR,
            "technician": STR,
            "notes": nullable(STR),
            "status_before": STR,
            "status_after": STR,
            "device": ref("Device"),
        },
    },
    "Level": {
        "type": "object",
        "required": ["covered_m2", "ratio"],
        "properties": {"covered_m2": NUM, "ratio": NUM},
    },
    "Analysis": {
        "type": "object",
        "description": "docs/site-format.md §3 analysis object.",
        "required": [
            "site",
            "monitored_area_m2",
            "levels",
            "blind_spots",
            "zones",
            "cameras",
            "compliant",
        ],
        "properties": {
            "site": STR,
            "monitored_area_m2": NUM,
            "levels": {"type": "object", "properties": {lv: ref("Level") for lv in LEVELS}},
            "blind_spots": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "area_m2", "centroid", "zones"],
                    "properties": {
                        "id": STR,
                        "area_m2": NUM,
                        "centroid": XY,
                        "label_point": XY,
                        "zones": {"type": "array", "items": STR},
                    },
                },
            },
            "zones": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "name",
                        "zone_type",
                        "required_level",
                        "area_m2",
                        "covered_m2",
                        "ratio",
                        "pass",
                    ],
                    "properties": {
                        "name": STR,
                        "zone_type": STR,
                        "required_level": {"type": "string", "enum": LEVELS},
                        "area_m2": NUM,
                        "covered_m2": NUM,
                        "ratio": NUM,
                        "pass": BOOL,
                    },
                },
            },
            "cameras": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "status", "footprint_m2"],
                    "properties": {
                        "id": STR,
                        "status": STR,
                        "footprint_m2": {"type": "object", "additionalProperties": NUM},
                    },
                },
            },
            "compliant": BOOL,
        },
    },
    "PlanInput": {
        "type": "object",
        "properties": {
            "k": {"type": "integer", "minimum": 1, "maximum": 20, "default": 3},
            "hfov": {"type": "number", "minimum": 1, "maximum": 360, "default": 90},
            "resolution": {
                "type": "array",
                "items": {"type": "integer", "minimum": 1, "maximum": 8192},
                "minItems": 2,
                "maxItems": 2,
            },
            "height": {
                "type": "number",
                "exclusiveMinimum": True,
                "minimum": 0,
                "maximum": 50,
                "default": 3,
            },
            "tilt": {"type": "number", "minimum": -90, "maximum": 90, "default": 15},
            "range": {"type": "number", "exclusiveMinimum": True, "minimum": 0, "maximum": 500},
            "level": {"type": "string", "enum": LEVELS, "default": "detection"},
            "method": {
                "type": "string",
                "enum": ["auto", "greedy", "local", "exact"],
                "default": "greedy",
            },
        },
    },
    "Plan": {
        "type": "object",
        "description": "docs/site-format.md §3 plan object.",
        "required": ["before", "after", "suggestions"],
        "properties": {
            "before": {"type": "object", "additionalProperties": NUM},
            "after": {"type": "object", "additionalProperties": NUM},
            "note": STR,
            "suggestions": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "position", "heading_deg", "gain_m2"],
                    "properties": {
                        "id": STR,
                        "position": XY,
                        "heading_deg": NUM,
                        "tilt_deg": NUM,
                        "height_m": NUM,
                        "hfov_deg": NUM,
                        "resolution": {"type": "array", "items": INT},
                        "gain_m2": NUM,
                    },
                },
            },
        },
    },
    "ProblemEvent": {
        "type": "object",
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "actor": STR,
            "action": STR,
            "from_status": nullable(STR),
            "to_status": nullable(STR),
            "deadline": nullable(DATE),
            "note": nullable(STR),
        },
    },
    "Problem": {
        "type": "object",
        "required": [
            "id",
            "compound",
            "description",
            "source",
            "deadline",
            "status",
            "overdue",
            "version",
            "history",
        ],
        "properties": {
            "id": INT,
            "compound": STR,
            "device": nullable(STR),
            "zone": nullable(STR),
            "description": STR,
            "source": {"type": "string", "enum": SOURCES},
            "responsible_unit": nullable(STR),
            "responsible_person": nullable(STR),
            "deadline": DATE,
            "status": {"type": "string", "enum": PROBLEM_STATUSES},
            "overdue": BOOL,
            "recheck_date": nullable(DATE),
            "recheck_result": nullable(STR),
            "reference": {"type": "object", "nullable": True},
            "created_by": STR,
            "version": INT,
            "history": {"type": "array", "items": ref("ProblemEvent")},
        },
    },
    "ProblemInput": {
        "type": "object",
        "required": ["description", "deadline"],
        "properties": {
            "description": STR,
            "deadline": DATE,
            "source": {"type": "string", "enum": SOURCES},
            "responsible_unit": STR,
            "responsible_person": STR,
            "device": STR,
            "zone": STR,
        },
    },
    "ProblemPatch": {
        "type": "object",
        "required": ["version"],
        "properties": {
            "version": INT,
            "status": {"type": "string", "enum": ["in_progress", "fixed"]},
            "responsible_unit": STR,
            "responsible_person": STR,
            "description": STR,
            "deadline": DATE,
            "note": STR,
        },
    },
    "Recheck": {
        "type": "object",
        "required": ["version", "passed", "result"],
        "properties": {
            "version": INT,
            "passed": BOOL,
            "result": STR,
            "new_deadline": DATE,
            "date": DATE,
        },
    },
}


def _op(summary: str, responses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"summary": summary, "responses": responses, **extra}


PATHS: dict[str, Any] = {
    "/": {"get": _op("API index", {"200": ok({"type": "object"})}, security=[])},
    "/openapi.json": {"get": _op("This document", {"200": ok({"type": "object"})}, security=[])},
    "/compounds": {
        "get": _op(
            "Compounds the caller may see",
            {
                "200": ok(
                    {
                        "type": "object",
                        "required": ["compounds"],
                        "properties": {"compounds": {"type": "array", "items": ref("Compound")}},
                    }
                ),
                **errors(),
            },
        ),
    },
    "/compounds/{code}": {
        "parameters": [CODE],
        "get": _op("One compound", {"200": ok(ref("Compound")), **errors()}),
    },
    "/compounds/{code}/site": {
        "parameters": [CODE],
        "get": _op(
            "The compound as a site file (docs/site-format.md §1)",
            {"200": ok({"type": "object"}), **errors()},
        ),
    },
    "/compounds/{code}/devices": {
        "parameters": [CODE],
        "get": _op(
            "Devices (not retired unless filtered by status)",
            {
                "200": ok(
                    {
                        "type": "object",
                        "required": ["devices"],
                        "properties": {"devices": {"type": "array", "items": ref("Device")}},
                    }
                ),
                **errors(400),
            },
            parameters=[
                {"name": "kind", "in": "query", "schema": {"type": "string", "enum": DEVICE_KINDS}},
                {
                    "name": "status",
                    "in": "query",
                    "schema": {"type": "string", "enum": DEVICE_STATUSES},
                },
            ],
        ),
        "post": _op(
            "Add a device (validated like a site-file feature)",
            {"201": ok(ref("Device"), "created"), **errors(400)},
            requestBody=json_body(ref("DeviceInput")),
        ),
    },
    "/compounds/{code}/devices/{device_code}": {
        "parameters": [CODE, DEVICE],
        "get": _op("One device", {"200": ok(ref("Device")), **errors()}),
        "patch": _op(
            "Move, turn or edit a device (optimistic locking: send the version you read)",
            {"200": ok(ref("Device")), **errors(400, 409)},
            requestBody=json_body(ref("DevicePatch")),
        ),
    },
    "/compounds/{code}/devices/{device_code}/maintenance": {
        "parameters": [CODE, DEVICE],
        "post": _op(
            "Log maintenance (status_after changes the device's status)",
            {"201": ok(ref("Maintenance"), "logged"), **errors(400)},
            requestBody=json_body(ref("MaintenanceInput")),
        ),
    },
    "/compounds/{code}/analysis": {
        "parameters": [CODE],
        "get": _op(
            "Coverage analysis (docs/site-format.md §3)",
            {"200": ok(ref("Analysis")), **errors(400)},
            parameters=[{"name": "include_planned", "in": "query", "schema": BOOL_Q}],
        ),
    },
    "/compounds/{code}/plan": {
        "parameters": [CODE],
        "post": _op(
            "Suggest K new cameras (docs/site-format.md §3 plan object)",
            {"200": ok(ref("Plan")), **errors(400, 422, 503)},
            requestBody=json_body(ref("PlanInput")),
        ),
    },
    "/compounds/{code}/problems": {
        "parameters": [CODE],
        "post": _op(
            "Open a rectification item",
            {"201": ok(ref("Problem"), "opened"), **errors(400)},
            requestBody=json_body(ref("ProblemInput")),
        ),
    },
    "/problems": {
        "get": _op(
            "Rectification items by deadline",
            {
                "200": ok(
                    {
                        "type": "object",
                        "required": ["problems"],
                        "properties": {"problems": {"type": "array", "items": ref("Problem")}},
                    }
                ),
                **errors(400),
            },
            parameters=[
                {"name": "compound", "in": "query", "schema": STR},
                {
                    "name": "status",
                    "in": "query",
                    "schema": {"type": "string", "enum": PROBLEM_STATUSES},
                },
                {"name": "overdue", "in": "query", "schema": BOOL_Q},
            ],
        ),
    },
    "/problems/{pid}": {
        "parameters": [PID],
        "get": _op("One problem with its history", {"200": ok(ref("Problem")), **errors()}),
        "patch": _op(
            "Move a problem along or change who/what/when (a new deadline needs a note)",
            {"200": ok(ref("Problem")), **errors(400, 409)},
            requestBody=json_body(ref("ProblemPatch")),
        ),
    },
    "/problems/{pid}/recheck": {
        "parameters": [PID],
        "post": _op(
            "Re-check a fixed problem: verified, or reopened with a new deadline",
            {"200": ok(ref("Problem")), **errors(400, 409)},
            requestBody=json_body(ref("Recheck")),
        ),
    },
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "camwatch API",
        "version": "1.0.0",
        "description": "Compounds, devices, coverage analysis, camera planning and rectification items "
        "of safe-compound programmes. Coordinates are local metres (docs/site-format.md §1).",
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "API token from the account page",
            }
        },
        "schemas": SCHEMAS,
    },
    "paths": PATHS,
}


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3 document of this API."""
    return jsonify(DOCUMENT)
