"""One schema per resource, for the API, the map's JSON routes and the OpenAPI document.

Input schemas (here) validate a JSON body before anything reaches the ledger;
the ledger then applies the site format's rules (placement, optics ranges, see
``docs/site-format.md``). Output schemas (:mod:`web.api.outputs`) describe
(and for the API, write) the JSON answered. Enumerations come from the model, never spelled out here.
:func:`load` turns the first problem into a :class:`~web.errors.FieldError`
(400, naming the field).
"""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema

from camwatch.model import (
    ACCESS_CONTROL_TYPES,
    ALARM_TYPES,
    COVERAGE_MODELS,
    DEVICE_KINDS,
    DEVICE_STATUSES,
    LIVE_DEVICE_STATUSES,
    MAINTENANCE_KINDS,
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
)
from camwatch.properties import MAX_DEPRESSION, TARGET_HEIGHT
from camwatch.registry.csv_rows import NUMBER_COLUMNS
from web.api.fields import (
    Choice,
    Code,
    Flag,
    JSONObject,
    Number,
    PerLevel,
    Resolution,
    Text,
    Version,
    check_json_value,
)
from web.api.plan_schemas import (  # the planning routes' schemas (ranges: docs/ranges.md)
    AcceptBody,
    PlanInput,
    ProblemFromFinding,
)
from web.errors import FieldError

EDITABLE_STATUSES = LIVE_DEVICE_STATUSES  # every status but "retired" (retire has its own route)
CAMERA_NUMBERS = NUMBER_COLUMNS  # a camera's numeric properties, as the ledger's CSV names them
TEXT_FIELDS = ("name", "manufacturer", "model", "serial")
PROPERTY_FIELDS = ("access_control", "alarm_type", "building", "intercom")


class StrictSchema(Schema):
    """Unknown keys are an error (a typo is not silently ignored)."""

    class Meta:
        unknown = RAISE


# ---- input --------------------------------------------------------------------------------


class GeometrySchema(StrictSchema):
    type = Choice(("Point", "LineString"), required=True)
    coordinates = fields.List(fields.Raw(), required=True)

    @validates_schema
    def _numbers(self, data: dict[str, Any], **_kw: Any) -> None:
        coords = data.get("coordinates", [])
        check_json_value(coords)
        points = [coords] if data.get("type") == "Point" else coords
        if not all(
            isinstance(p, list)
            and len(p) == 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in p)
            for p in points
        ):
            raise ValidationError(
                "must be [x, y] numbers (Point) or a list of them (LineString)", "coordinates"
            )


def _optics() -> dict[str, fields.Field]:
    return {key: Number(allow_none=True) for key in CAMERA_NUMBERS}


DeviceFieldsBase = Schema.from_dict(
    {
        "status": Choice(EDITABLE_STATUSES),
        "x": Number(),
        "y": Number(),
        "geometry": fields.Nested(GeometrySchema),
        **{key: Text(max_len=200, allow_none=True) for key in TEXT_FIELDS},
        "install_date": fields.Date(allow_none=True),
        "warranty_end": fields.Date(allow_none=True),
        "notes": Text(max_len=4000, allow_none=True),
        **_optics(),
        "resolution": Resolution(allow_none=True),
        "access_control": Choice(ACCESS_CONTROL_TYPES, allow_none=True),
        "alarm_type": Choice(ALARM_TYPES, allow_none=True),
        "building": Text(max_len=200, allow_none=True),
        "intercom": Flag(allow_none=True),
        "properties": JSONObject(
            metadata={"description": "further properties (see docs/site-format.md)"}
        ),
    },
    name="DeviceFieldsBase",
)


class DeviceFields(DeviceFieldsBase):  # type: ignore[misc,valid-type]
    """What a device is made of; camera optics as top-level fields or in ``properties``."""

    class Meta:
        unknown = RAISE

    @validates_schema
    def _position(self, data: dict[str, Any], **_kw: Any) -> None:
        if ("x" in data) != ("y" in data):
            raise ValidationError("x and y go together", "y" if "x" in data else "x")
        if "geometry" in data and "x" in data:
            raise ValidationError("give x and y or a geometry, not both", "geometry")


class DeviceCreate(DeviceFields):
    """A new device: a position (x and y, or a geometry) is required."""

    kind = Choice(DEVICE_KINDS, load_default="camera")
    code = Code(metadata={"description": "default: the next free C<n>/G<n>/A<n>/I<n>"})

    @validates_schema
    def _placed(self, data: dict[str, Any], **_kw: Any) -> None:
        if "geometry" not in data and "x" not in data:
            raise ValidationError("a new device needs a position: x and y, or a geometry", "x")


class DevicePatch(DeviceFields):
    """An edit of a device, based on the ``version`` the editor read."""

    version = Version(required=True)

    @validates_schema
    def _something(self, data: dict[str, Any], **_kw: Any) -> None:
        if set(data) <= {"version"}:
            raise ValidationError(
                "nothing to change (send version plus any of: x, y, geometry, "
                f"{', '.join(CAMERA_NUMBERS)}, status, ...)",
                "version",
            )


class CompoundSettings(StrictSchema):
    """A compound's heights settings (docs/site-format.md §4); null: the site format's default.

    Ranges from :mod:`camwatch.properties` (docs/ranges.md); the ledger then checks
    the whole site with the site loader.
    """

    version = Version(required=True)
    coverage_model = Choice(COVERAGE_MODELS, allow_none=True)
    target_height_m = PerLevel(
        TARGET_HEIGHT,
        scalar=True,
        allow_none=True,
        metadata={"description": "metres: one number for every level, or {level: number}"},
    )
    max_depression_deg = PerLevel(
        MAX_DEPRESSION, allow_none=True, metadata={"description": "degrees: {level: number}"}
    )


class MaintenanceInput(StrictSchema):
    kind = Choice(MAINTENANCE_KINDS, required=True)
    date = fields.Date(allow_none=True)
    technician = Text(max_len=100, allow_none=True)
    notes = Text(max_len=4000, allow_none=True)
    status_after = Choice(EDITABLE_STATUSES, allow_none=True)
    version = Version(metadata={"description": "optional: refuse (409) if the device changed"})


class ProblemInput(StrictSchema):
    description = Text(max_len=4000, required=True)
    deadline = fields.Date(required=True)
    source = Choice(PROBLEM_SOURCES, load_default="patrol")
    responsible_unit = Text(max_len=200, allow_none=True)
    responsible_person = Text(max_len=100, allow_none=True)
    device = Text(max_len=64, allow_none=True)
    zone = Text(max_len=200, allow_none=True)


class ProblemPatch(StrictSchema):
    version = Version(required=True)
    status = Choice(PROBLEM_STATUSES, allow_none=True)
    responsible_unit = Text(max_len=200, allow_none=True)
    responsible_person = Text(max_len=100, allow_none=True)
    description = Text(max_len=4000, allow_none=True)
    deadline = fields.Date(allow_none=True)
    note = Text(max_len=4000, allow_none=True)


class RecheckInput(StrictSchema):
    version = Version(required=True)
    passed = Flag(required=True)
    result = Text(max_len=4000, allow_none=True)
    new_deadline = fields.Date(allow_none=True)
    date = fields.Date(allow_none=True)


class DeviceQuery(Schema):
    kind = Choice(DEVICE_KINDS)
    status = Choice(DEVICE_STATUSES)


class BoolFlag(Choice):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(("true", "false", "1", "0"), **kwargs)


class AnalysisQuery(Schema):
    include_planned = BoolFlag()
    coverage_model = Choice(
        COVERAGE_MODELS, metadata={"description": "default: the compound's own (its settings)"}
    )


class ProblemQuery(Schema):
    compound = Text(max_len=64)
    status = Choice(PROBLEM_STATUSES)
    overdue = BoolFlag()


INPUT_FIELDS: frozenset[str] = frozenset(
    name
    for schema in (
        DeviceCreate,
        DevicePatch,
        MaintenanceInput,
        ProblemInput,
        ProblemPatch,
        RecheckInput,
        PlanInput,
        AcceptBody,
        ProblemFromFinding,
    )
    for name in schema().fields
)


# ---- loading ------------------------------------------------------------------------------


def first_error(messages: Any, prefix: str = "") -> tuple[str, str]:
    """``(field, message)`` of the first problem in marshmallow's error messages."""
    if isinstance(messages, dict) and messages:
        key, value = next(iter(messages.items()))
        name = (
            prefix if key in ("_schema", "_field") else (f"{prefix}.{key}" if prefix else str(key))
        )
        return first_error(value, name)
    if isinstance(messages, list) and messages:
        return first_error(messages[0], prefix)
    return prefix, str(messages)


def error_from(exc: ValidationError) -> FieldError:
    """The :class:`FieldError` for the first problem of a failed load."""
    field, message = first_error(exc.messages)
    if message == "Unknown field.":
        message = "is not a field of this request"
    elif message == "Invalid input type.":  # marshmallow: a schema given no mapping
        message = "must be a JSON object"
    field = field.split(".")[0] or "body"
    return FieldError(field, message)


def load(schema: Schema, data: Any) -> dict[str, Any]:
    """``data`` validated by ``schema``; :class:`FieldError` (400) naming the field otherwise."""
    if not isinstance(data, dict):
        raise FieldError("body", "must be a JSON object")
    try:
        return dict(schema.load(data))
    except ValidationError as exc:
        raise error_from(exc) from None


def device_properties(data: dict[str, Any]) -> dict[str, Any]:
    """The ``properties`` of a loaded device body: ``properties`` plus top-level optics."""
    props = dict(data.get("properties") or {})
    for key in (*CAMERA_NUMBERS, "resolution", *PROPERTY_FIELDS):
        if key in data:
            props[key] = data[key]
    return props


def device_geometry(data: dict[str, Any]) -> dict[str, Any] | None:
    """The GeoJSON geometry of a loaded device body (from x and y, or as given)."""
    if "geometry" in data:
        return dict(data["geometry"])
    if "x" in data:
        return {"type": "Point", "coordinates": [data["x"], data["y"]]}
    return None
