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
* ``POST /compounds/<id>/plan/jobs`` — start a target plan ("fewest cameras to
  reach X %", ``camwatch plan --target``) as a background job (202);
  ``GET .../plan/jobs/<job>`` its status, ``POST .../plan/jobs/<job>/cancel``
  asks it to stop (:mod:`web.plan_jobs`). Roles as "Plan K cameras".
"""

from __future__ import annotations

import math
from typing import Any

from flask import Blueprint, abort, current_app, g, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from camwatch.errors import CamwatchError
from web.analysis import before_counts
from web.api.plan_schemas import TargetInput, body
from web.cache import Pending, cache_for, wait_left
from web.errors import FieldError
from web.i18n import gettext as _
from web.ledger import compound_for
from web.plan_jobs import JobRunning, JobsBusy, jobs_of
from web.security import require
from web.summary import analysis_or_422

bp = Blueprint("map_planners", __name__)

CELL_RANGE = (0.5, 3.0)  # the walking grid's cell (planners.paths MIN_CELL_M..MAX_CELL_M)


def _json_error(status: int, message: str, **extra: Any) -> Any:
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
        return _json_error(400, str(exc), field=exc.field)
    except CamwatchError as exc:
        from web.errors import status_of

        return _json_error(status_of(exc), str(exc))


def _zh() -> bool:
    return str(get_locale() or "zh").startswith("zh")


# ---------------------------------------------------------------- device suggestions
def suggestion_text(item: dict[str, Any]) -> str:
    """A device suggestion's reason in the reader's language, worded from its data."""
    about = item.get("about") or {}
    name = about.get("name") or about.get("id") or f"#{about.get('index')}"
    kind = item.get("type")
    if kind == "access_control":
        return _(
            "Gate %(name)s has no access control: add face-recognition (or card) access control.",
            name=name,
        )
    if kind == "identification_camera":
        return _(
            "The entrance area of gate %(name)s has %(r).0f %% identification coverage (98 %% needed): add an identification camera facing the gate.",
            name=name,
            r=100.0 * float(item.get("coverage", 0.0)),
        )
    if kind in ("infrared_beam", "electric_fence"):
        what = _("an infrared beam pair") if kind == "infrared_beam" else _("an electric fence")
        return _(
            "%(m).1f m of perimeter has neither an alarm line nor detection coverage: add %(what)s.",
            m=float(item.get("length_m", 0.0)),
            what=what,
        )
    if kind == "intercom":
        return _(
            "Building %(name)s has no door intercom: add a video intercom at its entrance door.",
            name=name,
        )
    return str(item.get("reason_zh") if _zh() else item.get("reason") or kind)


_DEVICE_LABELS = {
    "access_control": _l("Access control"),
    "identification_camera": _l("Identification camera"),
    "infrared_beam": _l("Infrared beam"),
    "electric_fence": _l("Electric fence"),
    "intercom": _l("Intercom"),
}


def device_label(kind: str) -> str:
    """The name of a suggested device type (only that one translated: a page names dozens)."""
    label = _DEVICE_LABELS.get(kind)
    return str(label) if label is not None else kind


def _suggestions_of(result: Any, planned: bool) -> list[dict[str, Any]]:
    """The device suggestions of an analysis (cached), worded for the reader."""

    def build() -> list[dict[str, Any]]:
        from planners.devices import suggest_devices

        return suggest_devices(result.site, result.analysis)

    items = cache_for(current_app).get_or_compute(("suggest", result.key, planned), build)
    return [
        {
            **{k: v for k, v in it.items() if k not in ("reason", "reason_zh")},
            "label": device_label(it["type"]),
            "reason": suggestion_text(it),
        }
        for it in items
    ]


def _in_background(key: tuple[Any, ...], build: Any, result: Any, page: bool) -> Any:
    """``build()`` cached, computed on the cache's worker thread (docs/web.md, "Performance").

    For the analysis page (``page``) its parts are waited for at most ``PLANNER_WAIT_S``
    in all (one deadline per request), else :class:`web.cache.Pending`, and per compound
    and part only the newest state is computed; the JSON answers wait for it (up to
    ``PLAN_TIMEOUT_S``, then 503).
    """
    cache = cache_for(current_app)
    if page:
        group = (key[0], result.site.id, *key[2:])
        wait_s = wait_left("planners", float(current_app.config["PLANNER_WAIT_S"]))
        settle_s = float(current_app.config["PLANNER_SETTLE_S"])
        return cache.get_or_start(key, build, wait_s=wait_s, group=group, settle_s=settle_s)
    try:
        return cache.get_or_start(key, build, wait_s=float(current_app.config["PLAN_TIMEOUT_S"]))
    except Pending:
        abort(503, description="the planner is busy; try again shortly")


def _routes_of(
    result: Any, planned: bool, cell: float | None, *, page: bool = False
) -> list[dict[str, Any]]:
    """The intruder routes of an analysis (cached), each with its words."""

    def build() -> list[dict[str, Any]]:
        from planners.routes import intruder_routes

        return intruder_routes(result.site, result.analysis, cell_m=cell)

    found = _in_background(("routes", result.key, planned, cell), build, result, page)
    return [{**r, "text": route_text(r)} for r in found]


def _patrol_of(
    result: Any, planned: bool, min_area: float, speed: float, *, page: bool = False
) -> dict[str, Any]:
    """The patrol route of an analysis (cached), with its words."""

    def build() -> dict[str, Any]:
        from planners.patrol import patrol_route

        return patrol_route(result.site, result.analysis, min_area_m2=min_area, speed_m_s=speed)

    key = ("patrol", result.key, planned, min_area, speed)
    found = _in_background(key, build, result, page)
    text = _(
        "Patrol: %(n)d blind spots, %(m).0f m, %(t).0f min",
        n=len(found["stops"]),
        m=found["length_m"],
        t=found["time_min"],
    )
    return {**found, "text": text}


@bp.app_template_global()
def planner_views(compound: Any, planned: bool) -> dict[str, Any]:
    """For the analysis page: suggested devices, intruder routes and the patrol, worded;
    a part the planners cannot compute carries its message instead."""
    from planners.patrol import MIN_PATROL_SPOT_M2, WALK_SPEED_M_S
    from web.summary import analysis_outcome

    result, _failure = analysis_outcome(compound, include_planned=planned)
    out: dict[str, Any] = {}
    if result is None:
        return out
    parts = {
        "suggestions": lambda: _suggestions_of(result, planned),
        "routes": lambda: _routes_of(result, planned, None, page=True),
        "patrol": lambda: _patrol_of(
            result, planned, MIN_PATROL_SPOT_M2, WALK_SPEED_M_S, page=True
        ),
    }
    for name, compute in parts.items():
        try:
            out[name] = compute()
        except Pending:  # the page says so; a reload in a few seconds shows it
            out[name + "_pending"] = True
        except CamwatchError as exc:
            out[name + "_error"] = str(exc)
        except Exception as exc:  # the analysis page never fails for a planner's sake
            current_app.logger.exception("planner part %s of %s failed", name, compound.code)
            out[name + "_error"] = f"{type(exc).__name__}: {exc}"
    return out


@bp.get("/compounds/<int:cid>/suggestions.json")
@require("analysis.run")
def suggestions(cid: int):
    """Device suggestions with their reasons (``camwatch suggest``)."""
    compound = compound_for(cid)

    def compute() -> Any:
        planned = _query_flag("planned")
        result = analysis_or_422(compound, include_planned=planned)
        return jsonify({"planned": planned, "suggestions": _suggestions_of(result, planned)})

    return _answer(compute)


# ---------------------------------------------------------------- routes
def route_text(route: dict[str, Any]) -> str:
    """One intruder route in words (reader's language)."""
    if not route.get("reachable"):
        return _(
            "%(id)s · %(building)s: no way in unseen", id=route["id"], building=route["building"]
        )
    return _(
        "%(id)s · %(building)s: %(unseen).0f m unseen of %(length).0f m",
        id=route["id"],
        building=route["building"],
        unseen=route["unseen_m"],
        length=route["length_m"],
    )


@bp.get("/compounds/<int:cid>/routes.json")
@require("analysis.run")
def routes(cid: int):
    """Intruder routes, worst first (``camwatch routes``)."""
    compound = compound_for(cid)

    def compute() -> Any:
        planned = _query_flag("planned")
        cell = _query_number("cell", None, *CELL_RANGE)
        result = analysis_or_422(compound, include_planned=planned)
        return jsonify({"planned": planned, "routes": _routes_of(result, planned, cell)})

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
        return jsonify({"planned": planned, **_patrol_of(result, planned, min_area, speed)})

    return _answer(compute)


# ---------------------------------------------------------------- target-plan jobs
def run_target(site: Any, options: dict[str, Any], progress: Any) -> dict[str, Any]:
    """The job's work: ``plan_cameras(target=...)`` with the job's checkpoint, ghosts added."""
    from planners.lenses import Lens
    from planners.plan import plan_cameras
    from web.analysis import ghost_features
    from web.planning import TIME_LIMIT_S

    lens = Lens(
        hfov_deg=options["hfov_deg"],
        resolution=tuple(options["resolution"]),
        height_m=options["height_m"],
        tilt_deg=options["tilt_deg"],
        range_m=options["range_m"],
    )
    result = plan_cameras(
        site,
        target=options["target"],
        level=options["level"],
        lens=lens,
        method=options["method"],
        time_limit=TIME_LIMIT_S,
        progress=progress,
    ).to_dict()
    progress("after", 1.0)
    result["suggestions"] = ghost_features(site, result["suggestions"])
    return result


def job_message(status: dict[str, Any]) -> str | None:
    """Why a job failed, in the reader's language (the planner's own detail after it)."""
    from web.plan_jobs import JOB_TIMEOUT_S

    kind = status.get("error_kind")
    if kind == "timeout":
        return _(
            "The target plan did not finish within %(s)d s: try a lower target, another level or a wider lens.",
            s=JOB_TIMEOUT_S,
        )
    if kind == "planner":
        return _("The planner refused this plan: %(detail)s", detail=status.get("error", ""))
    if kind == "crash":
        current_app.logger.error("target plan failed: %s", status.get("error"))
        return _("The planner failed unexpectedly; the server log has the details.")
    return None


def _job_json(cid: int, job: Any) -> dict[str, Any]:
    status = job.status()
    if status.get("error") is not None:
        status["message"] = job_message(status)
    return {
        **status,
        "url": url_for("map_planners.job_status", cid=cid, job_id=job.id),
        "cancel_url": url_for("map_planners.job_cancel", cid=cid, job_id=job.id),
    }


@bp.post("/compounds/<int:cid>/plan/jobs")
@require("plan.run")
def job_start(cid: int):
    """Start a target plan for the compound (202); 409 while one is running for it."""
    compound = compound_for(cid)
    data = body(TargetInput())
    result = analysis_or_422(compound, include_planned=True)
    options = {
        "target": data["target"],
        "level": data["level"],
        "method": data["method"],
        "hfov_deg": data.get("hfov", 90.0),
        "height_m": data.get("height", 3.0),
        "tilt_deg": data.get("tilt", 15.0),
        "range_m": data.get("range"),
        "resolution": list(data.get("resolution") or [1920, 1080]),
    }
    counts = before_counts(compound)  # what "before" counts, as the K-camera plan says it

    def run(site: Any, opts: dict[str, Any], progress: Any) -> dict[str, Any]:
        return {**run_target(site, opts, progress), **counts}

    table = jobs_of(current_app)
    try:
        job = table.start(compound.id, result.site, options, g.user.username, run)
    except JobRunning as exc:
        return _json_error(
            409,
            _("A target plan is already running for this compound."),
            job=_job_json(cid, exc.job),
        )
    except JobsBusy:
        return _json_error(
            503, _("The planner is busy with other target plans; try again shortly.")
        )
    return jsonify(_job_json(cid, job)), 202


def _job_or_404(cid: int, job_id: str) -> Any:
    compound = compound_for(cid)  # the compound check first (a manager's 404)
    return jobs_of(current_app).get(compound.id, job_id)


@bp.get("/compounds/<int:cid>/plan/jobs/<job_id>")
@require("plan.run")
def job_status(cid: int, job_id: str):
    """A job's state, progress and, when done, the plan with ghost cameras."""
    job = _job_or_404(cid, job_id)
    if job is None:
        return _json_error(
            404, _("No such planning job (finished long ago, or the server restarted).")
        )
    return jsonify(_job_json(cid, job))


@bp.post("/compounds/<int:cid>/plan/jobs/<job_id>/cancel")
@require("plan.run")
def job_cancel(cid: int, job_id: str):
    """Ask a running job to stop at its next checkpoint (202 with its status)."""
    job = _job_or_404(cid, job_id)
    if job is None:
        return _json_error(
            404, _("No such planning job (finished long ago, or the server restarted).")
        )
    jobs_of(current_app).cancel(job, g.user.username)
    return jsonify(_job_json(cid, job)), 202
