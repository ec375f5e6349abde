"""The planners on the map: device suggestions, intruder and patrol routes, target-plan jobs.

* ``GET /compounds/<id>/suggestions.json`` — access control, identification
  cameras, perimeter alarms, intercoms the compound lacks
  (:func:`planners.devices.suggest_devices`, what ``camwatch suggest`` prints),
  each with its reason in the reader's language.
* ``GET /compounds/<id>/routes.json`` — the intruder routes, worst first
  (``camwatch routes``); ``GET /compounds/<id>/patrol.json`` — the closed
  patrol route through the blind spots (``camwatch patrol``).
  Query: ``planned=0|1`` (count planned cameras), routes ``cell`` (grid metres),
  patrol ``min_area`` (m²) and ``speed`` (m/s). A bad value is a 400 JSON error
  naming it.
* ``POST /compounds/<id>/plan/jobs`` and the job's status and cancel routes: in
  :mod:`web.target_plan_jobs`, on this blueprint.

The results, worded and cached, come from :mod:`web.planner_views`, which also fills
the analysis page (the template global ``planner_views``, registered here).
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, jsonify, request

from camwatch.errors import CamwatchError
from web.errors import FieldError
from web.ledger import compound_for
from web.planner_views import patrol_of, planner_views, routes_of, suggestions_of
from web.security import require
from web.summary import analysis_or_422

bp = Blueprint("map_planners", __name__)
bp.add_app_template_global(planner_views)

CELL_RANGE = (0.5, 3.0)  # the walking grid's cell (planners.paths MIN_CELL_M..MAX_CELL_M)


def json_error(status: int, message: str, **extra: Any) -> Any:
    """A JSON error whatever the client's Accept header (these URLs are JSON only)."""
    from web.errors import CODES

    payload = {"error": {"code": CODES.get(status, "error"), "status": status, "message": message}}
    payload["error"].update(extra)
    return jsonify(payload), status


def _query_flag(name: str) -> bool:
    raw = request.args.get(name, "0").strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off", ""):
        return False
    raise FieldError(name, f"must be 0 or 1, got {raw[:40]!r}")


def _query_number(
    name: str, default: float | None, low: float, high: float, *, low_open: bool = False
) -> float | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise FieldError(name, f"must be a number, got {raw[:40]!r}") from None
    below = value <= low if low_open else value < low
    if not math.isfinite(value) or below or value > high:
        bracket = "(" if low_open else "["
        raise FieldError(name, f"must be in {bracket}{low:g}, {high:g}], got {raw[:40]}")
    return value


def _answer(compute: Any) -> Any:
    """Run a JSON view: input errors and planner errors as JSON 4xx."""
    try:
        return compute()
    except FieldError as exc:
        return json_error(400, str(exc), field=exc.field)
    except CamwatchError as exc:
        from web.errors import status_of

        return json_error(status_of(exc), str(exc))


@bp.get("/compounds/<int:cid>/suggestions.json")
@require("analysis.run")
def suggestions(cid: int):
    """Device suggestions with their reasons (``camwatch suggest``)."""
    compound = compound_for(cid)

    def compute() -> Any:
        planned = _query_flag("planned")
        result = analysis_or_422(compound, include_planned=planned)
        return jsonify({"planned": planned, "suggestions": suggestions_of(result, planned)})

    return _answer(compute)


@bp.get("/compounds/<int:cid>/routes.json")
@require("analysis.run")
def routes(cid: int):
    """Intruder routes, worst first (``camwatch routes``)."""
    compound = compound_for(cid)

    def compute() -> Any:
        planned = _query_flag("planned")
        cell = _query_number("cell", None, *CELL_RANGE)
        result = analysis_or_422(compound, include_planned=planned)
        return jsonify({"planned": planned, "routes": routes_of(result, planned, cell)})

    return _answer(compute)


@bp.get("/compounds/<int:cid>/patrol.json")
@require("analysis.run")
def patrol(cid: int):
    """The closed patrol route through the blind spots (``camwatch patrol``)."""
    compound = compound_for(cid)

    def compute() -> Any:
        from planners.patrol import MIN_PATROL_SPOT_M2, WALK_SPEED_M_S

        planned = _query_flag("planned")
        min_area = _query_number("min_area", MIN_PATROL_SPOT_M2, 0.0, 1e6) or 0.0
        speed = _query_number("speed", WALK_SPEED_M_S, 0.0, 10.0, low_open=True) or WALK_SPEED_M_S
        result = analysis_or_422(compound, include_planned=planned)
        return jsonify({"planned": planned, **patrol_of(result, planned, min_area, speed)})

    return _answer(compute)


# the target-plan job routes register on ``bp`` too
from web import target_plan_jobs as _target_plan_jobs  # noqa: E402, F401
