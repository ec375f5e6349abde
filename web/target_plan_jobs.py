"""Target plans on the map, run as background jobs (docs/web.md, "Target planning jobs").

* ``POST /compounds/<id>/plan/jobs`` — start a target plan ("fewest cameras to
  reach X %", ``camwatch plan --target``) as a background job (202);
  ``GET .../plan/jobs/<job>`` its status, ``POST .../plan/jobs/<job>/cancel``
  asks it to stop (:mod:`web.plan_jobs`). Roles as "Plan K cameras".

The routes are on the ``map_planners`` blueprint (endpoints ``map_planners.job_start``,
``map_planners.job_status``, ``map_planners.job_cancel``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, url_for

from web.api.plan_schemas import TargetInput, body
from web.i18n import gettext as _
from web.ledger import compound_for
from web.map_planners import bp, json_error
from web.plan_jobs import JobRunning, JobsBusy, jobs_of
from web.plan_routes import before_counts
from web.planning import worded
from web.security import require
from web.summary import analysis_or_422


def run_target(site: Any, options: dict[str, Any], progress: Any) -> dict[str, Any]:
    """The job's work: ``plan_cameras(target=...)`` with the job's checkpoint, ghosts added."""
    from planners.lenses import Lens
    from planners.plan import plan_cameras
    from web.planning import TIME_LIMIT_S, ghost_features, with_unused_mounts

    lens = Lens(
        hfov_deg=options["hfov_deg"],
        resolution=tuple(options["resolution"]),
        height_m=options["height_m"],
        tilt_deg=options["tilt_deg"],
        range_m=options["range_m"],
    )
    result = with_unused_mounts(
        plan_cameras(
            site,
            target=options["target"],
            level=options["level"],
            lens=lens,
            method=options["method"],
            time_limit=TIME_LIMIT_S,
            progress=progress,
        )
    )
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
    if status.get("result") is not None:
        status["result"] = worded(status["result"])
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
        return json_error(
            409,
            _("A target plan is already running for this compound."),
            job=_job_json(cid, exc.job),
        )
    except JobsBusy:
        return json_error(503, _("The planner is busy with other target plans; try again shortly."))
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
        return json_error(
            404, _("No such planning job (finished long ago, or the server restarted).")
        )
    return jsonify(_job_json(cid, job))


@bp.post("/compounds/<int:cid>/plan/jobs/<job_id>/cancel")
@require("plan.run")
def job_cancel(cid: int, job_id: str):
    """Ask a running job to stop at its next checkpoint (202 with its status)."""
    job = _job_or_404(cid, job_id)
    if job is None:
        return json_error(
            404, _("No such planning job (finished long ago, or the server restarted).")
        )
    jobs_of(current_app).cancel(job, g.user.username)
    return jsonify(_job_json(cid, job)), 202
