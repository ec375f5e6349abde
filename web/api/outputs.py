"""The API's answers as marshmallow schemas: they write the JSON and describe it in the
OpenAPI document (:mod:`web.api`). Enumerations come from the model."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import EXCLUDE, Schema, fields

from camwatch.model import (
    DEVICE_KINDS,
    DEVICE_STATUSES,
    MAINTENANCE_KINDS,
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
)
from camwatch.registry.problems import is_overdue
from web.ledger import device_rows


class ErrorDetail(Schema):
    code = fields.String(required=True)
    status = fields.Integer(required=True)
    message = fields.String(required=True)
    field = fields.String(metadata={"description": "the input field at fault, when one is"})


class ErrorSchema(Schema):
    error = fields.Nested(ErrorDetail, required=True)
    current = fields.Raw(allow_none=True, metadata={"description": "409: the record as it is now"})


class GeometryOut(Schema):
    type = fields.String(required=True, metadata={"enum": ["Point", "LineString"]})
    coordinates = fields.List(fields.Raw(), required=True)


class CompoundOut(Schema):
    code = fields.String(required=True)
    name = fields.String(allow_none=True)
    district = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    devices = fields.Method("_live", required=True, metadata={"type": "integer"})
    # heights settings (docs/site-format.md §4); null: the site format's default
    coverage_model = fields.String(allow_none=True, metadata={"enum": ["ground", "standing"]})
    target_height_m = fields.Raw(
        allow_none=True, metadata={"description": "metres: a number or {level: number}"}
    )
    max_depression_deg = fields.Dict(keys=fields.String(), values=fields.Float(), allow_none=True)

    def _live(self, compound: Any) -> int:
        # the light (id, version, kind, status) rows: loading the devices themselves would
        # parse every device's geometry and properties only to count them
        return sum(
            1 for _id, _version, _kind, status in device_rows(compound) if status != "retired"
        )


class CompoundSettingsOut(Schema):
    """A compound's heights settings and the version to send back with a change."""

    version = fields.Integer(required=True)
    coverage_model = fields.String(allow_none=True, metadata={"enum": ["ground", "standing"]})
    target_height_m = fields.Raw(
        allow_none=True, metadata={"description": "metres: a number or {level: number}"}
    )
    max_depression_deg = fields.Dict(keys=fields.String(), values=fields.Float(), allow_none=True)


class DeviceOut(Schema):
    code = fields.String(required=True)
    kind = fields.String(required=True, metadata={"enum": list(DEVICE_KINDS)})
    status = fields.String(required=True, metadata={"enum": list(DEVICE_STATUSES)})
    name = fields.String(allow_none=True)
    geometry = fields.Nested(GeometryOut, required=True)
    properties = fields.Function(
        lambda d: d.properties or {}, required=True, metadata={"type": "object"}
    )
    manufacturer = fields.String(allow_none=True)
    model = fields.String(allow_none=True)
    serial = fields.String(allow_none=True)
    install_date = fields.Date(allow_none=True)
    warranty_end = fields.Date(allow_none=True)
    status_changed_at = fields.DateTime()
    notes = fields.String(allow_none=True)
    version = fields.Integer(required=True)


class MaintenanceOut(Schema):
    date = fields.Date(required=True)
    kind = fields.String(required=True, metadata={"enum": list(MAINTENANCE_KINDS)})
    technician = fields.String(required=True)
    notes = fields.String(allow_none=True)
    status_before = fields.String(required=True)
    status_after = fields.String(required=True)
    device = fields.Nested(DeviceOut, required=True)


class ProblemEventOut(Schema):
    at = fields.DateTime()
    actor = fields.String(allow_none=True)
    action = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    deadline = fields.Date(allow_none=True)
    note = fields.String(allow_none=True)


class ProblemOut(Schema):
    id = fields.Integer(required=True)
    compound = fields.Function(
        lambda p: p.compound.code, required=True, metadata={"type": "string"}
    )
    device = fields.Function(
        lambda p: p.device.code if p.device else None, metadata={"type": "string", "nullable": True}
    )
    zone = fields.String(attribute="zone_name", allow_none=True)
    description = fields.String(required=True)
    source = fields.String(required=True, metadata={"enum": list(PROBLEM_SOURCES)})
    responsible_unit = fields.String(allow_none=True)
    responsible_person = fields.String(allow_none=True)
    deadline = fields.Date(required=True)
    status = fields.String(required=True, metadata={"enum": list(PROBLEM_STATUSES)})
    overdue = fields.Method("_overdue", required=True, metadata={"type": "boolean"})
    recheck_date = fields.Date(allow_none=True)
    recheck_result = fields.String(allow_none=True)
    reference = fields.Raw(allow_none=True, metadata={"type": "object", "nullable": True})
    created_by = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    history = fields.List(fields.Nested(ProblemEventOut), attribute="events", required=True)

    def _overdue(self, problem: Any) -> bool:
        return bool(is_overdue(problem, date.today()))


class CompoundList(Schema):
    compounds = fields.List(fields.Nested(CompoundOut), required=True)


class DeviceList(Schema):
    devices = fields.List(fields.Nested(DeviceOut), required=True)


class ProblemList(Schema):
    problems = fields.List(fields.Nested(ProblemOut), required=True)


class AnyObject(Schema):
    """A JSON object described in ``docs/site-format.md`` (site, analysis, plan)."""

    class Meta:
        unknown = EXCLUDE
