"""Schemas of the map's planning routes: plan, accept (``web/plan_routes.py``), problem from a
finding (``web/analysis.py``).

Bodies are loaded with :func:`web.api.schemas.load` like every other JSON
body, so a bad one is a 400 JSON error naming the field. Camera values are
checked by the core's one validator per property (:mod:`camwatch.properties`,
docs/ranges.md); the web's own, narrower limits for an interactive plan
(``web.planning``: at most ``MAX_K`` cameras, a lens whose candidate
footprints stay quick to compute) are applied after it.
"""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import RAISE, Schema, ValidationError, fields, validate

from camwatch.errors import ValueRangeError
from camwatch.model import LEVELS
from camwatch.properties import CAMERA, Property, Range, check_resolution
from web.api.fields import (
    INT64_MAX,
    BodyError,
    Choice,
    Code,
    JSONObject,
    Number,
    Resolution,
    Text,
    read_json,
)
from web.errors import FieldError

MAX_K = 20  # the web asks for at most this many cameras at once (interactive use)
# lens bounds of an interactive plan, inside the core's ranges: candidate footprints that
# stay quick to compute
WEB_LIMITS: dict[str, Range] = {
    "hfov_deg": Range(1, 360),
    "height_m": Range(0, 50, low_open=True),
    "range_m": Range(0, 500, low_open=True),
}
METHODS = ("auto", "greedy", "local", "exact")
MAX_SUGGESTIONS = 50


class StrictSchema(Schema):
    """Unknown keys are an error (as :class:`web.api.schemas.StrictSchema`, which imports
    this module's schemas)."""

    class Meta:
        unknown = RAISE


def _range_error(prop: Property, exc: ValueRangeError) -> ValidationError:
    """The core's message without its leading property name (the field is named by the 400)."""
    return ValidationError(str(exc).removeprefix(f"{prop.name} "))


class Camera(Number):
    """A camera number checked by its property's validator (and the web's limit, if any)."""

    def __init__(self, prop: str, *, web_limit: bool = False, **kwargs: Any) -> None:
        self.prop = CAMERA[prop]
        self.limit = WEB_LIMITS.get(prop) if web_limit else None
        rng = self.limit or self.prop.range
        meta = {k: v for k, v in (("minimum", rng.low), ("maximum", rng.high)) if v is not None}
        kwargs.setdefault("metadata", {}).update(meta)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float:
        number = super()._deserialize(value, attr, data, **kwargs)
        try:
            self.prop.check(number)
        except ValueRangeError as exc:
            raise _range_error(self.prop, exc) from None
        if self.limit is not None and number not in self.limit:
            raise ValidationError(f"must be in {self.limit} for a plan on the web, got {number:g}")
        return number


class CameraResolution(Resolution):
    """``[width, height]`` or ``"WxH"``, each in the core's resolution range."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[int]:
        pair = super()._deserialize(value, attr, data, **kwargs)
        try:
            return list(check_resolution(pair))
        except ValueRangeError as exc:
            raise ValidationError(str(exc).removeprefix("resolution ")) from None


class WholeNumber(fields.Integer):
    """A JSON integer (never a bool, a float or text) in ``[low, high]``."""

    def __init__(self, low: int, high: int, **kwargs: Any) -> None:
        kwargs.setdefault("metadata", {}).update({"minimum": low, "maximum": high})
        super().__init__(strict=True, **kwargs)
        self.low, self.high = low, high

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> int:
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not self.low <= value <= self.high
        ):
            shown = (
                "an integer beyond 64 bits"
                if isinstance(value, int) and abs(value) > INT64_MAX
                else repr(value)[:60]
            )
            raise ValidationError(
                f"must be a whole number from {self.low} to {self.high}, got {shown}"
            )
        return value


class PlanInput(StrictSchema):
    """``POST /compounds/<id>/plan``: the planner's options (short names win over ``*_deg``/``*_m``)."""

    k = WholeNumber(1, MAX_K, load_default=3)
    hfov = Camera("hfov_deg", web_limit=True)
    hfov_deg = Camera("hfov_deg", web_limit=True)
    resolution = CameraResolution()
    height = Camera("height_m", web_limit=True)
    height_m = Camera("height_m", web_limit=True)
    tilt = Camera("tilt_deg")
    tilt_deg = Camera("tilt_deg")
    range = Camera("range_m", web_limit=True, allow_none=True)
    range_m = Camera("range_m", web_limit=True, allow_none=True)
    level = Choice(LEVELS, load_default="detection")
    method = Choice(METHODS, load_default="greedy")


class Ratio(Number):
    """A share in (0, 1] (a coverage target: 0.95 is 95 %)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> float:
        number = super()._deserialize(value, attr, data, **kwargs)
        if not 0.0 < number <= 1.0:
            raise ValidationError(f"must be a ratio in (0, 1] (0.95 is 95 %), got {number:g}")
        return number


class TargetInput(StrictSchema):
    """``POST /compounds/<id>/plan/jobs``: a target plan ("fewest cameras to reach X %")."""

    target = Ratio(required=True)
    hfov = Camera("hfov_deg", web_limit=True)
    resolution = CameraResolution()
    height = Camera("height_m", web_limit=True)
    tilt = Camera("tilt_deg")
    range = Camera("range_m", web_limit=True, allow_none=True)
    level = Choice(LEVELS, load_default="detection")
    method = Choice(METHODS, load_default="auto")


class Position(fields.Field):
    """``[x, y]``: two finite numbers."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> list[float]:
        item = Number()
        if not isinstance(value, list) or len(value) != 2:
            raise ValidationError("must be [x, y] (two numbers)")
        return [item._deserialize(v, None, None) for v in value]


class SuggestionBody(StrictSchema):
    """One suggestion as ``/plan`` answered it (footprints and gain are accepted and ignored)."""

    id = Code()
    position = Position(required=True)
    heading_deg = Camera("heading_deg", allow_none=True)
    tilt_deg = Camera("tilt_deg", allow_none=True)
    height_m = Camera("height_m", allow_none=True)
    hfov_deg = Camera("hfov_deg", allow_none=True)
    range_m = Camera("range_m", allow_none=True)
    focal_mm = Camera("focal_mm", allow_none=True)
    sensor_width_mm = Camera("sensor_width_mm", allow_none=True)
    resolution = CameraResolution(allow_none=True)
    gain_m2 = Number(allow_none=True)
    lens = Text(max_len=200, allow_none=True)
    unit_cost = Number(allow_none=True)
    model = Text(max_len=200, allow_none=True)
    footprints = JSONObject(allow_none=True)


class AcceptBody(StrictSchema):
    """``POST /compounds/<id>/plan/accept``: at least one suggestion from ``/plan``."""

    suggestions = fields.List(
        fields.Nested(SuggestionBody),
        required=True,
        validate=validate.Length(min=1, max=MAX_SUGGESTIONS),
    )


class ProblemFromFinding(StrictSchema):
    """``POST /compounds/<id>/problems/new`` (JSON): a blind spot or a zone of the analysis."""

    blind_spot = Text(max_len=64, allow_none=True)
    zone = Text(max_len=200, allow_none=True)
    description = Text(max_len=4000, allow_none=True)
    deadline = fields.Date(allow_none=True)
    responsible_unit = Text(max_len=200, allow_none=True)
    responsible_person = Text(max_len=100, allow_none=True)


def load_plan_body(schema: Schema, data: Any) -> dict[str, Any]:
    """``data`` loaded by ``schema`` as :func:`web.api.schemas.load` does; a problem inside a
    list is named by its place (field ``suggestions[0].position``)."""
    from web.api.schemas import error_from, first_error

    if not isinstance(data, dict):
        raise FieldError("body", "must be a JSON object")
    try:
        return dict(schema.load(data))
    except ValidationError as exc:
        path, message = first_error(exc.messages)
        top, *rest = path.split(".")
        if not rest:
            raise error_from(exc) from None
        where = top + "".join(f"[{p}]" if p.isdigit() else f".{p}" for p in rest)
        if message == "Unknown field.":
            message = "is not a field of this request"
        raise FieldError(where, message) from None


def raw_body() -> Any:
    """The request's body parsed as JSON (400 on ``body`` when it is not JSON or too deep)."""
    try:
        return read_json(request.get_data(cache=True))
    except BodyError as exc:
        raise FieldError("body", str(exc)) from None


def body(schema: Schema) -> dict[str, Any]:
    """The request's JSON body loaded by ``schema`` (400 naming the field otherwise)."""
    return load_plan_body(schema, raw_body())
