"""Planner work: the analysis page, "Plan K cameras", accepting suggestions, problems from findings.

* ``GET  /compounds/<id>/analysis`` — ratios per DORI level, zones pass/fail,
  the blind-spot list (each with "create problem"), with and without planned cameras;
  when the analysis fails, the page (200) says why (JSON: 422 with the reason).
* ``POST /compounds/<id>/problems/new`` — a problem from a blind spot
  (``blind_spot=B2``) or a failing zone (``zone=north gate``); the finding is
  looked up in the current analysis on the server, never taken from the client
  (:mod:`web.finding_problems`).
* ``POST /compounds/<id>/plan`` and ``POST /compounds/<id>/plan/accept`` ("Plan K
  cameras" and accepting its suggestions): in :mod:`web.plan_routes`, on this blueprint.

Every JSON body is loaded by its schema (:mod:`web.api.plan_schemas`): a bad one
is a 400 JSON error naming the field.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from camwatch.errors import CamwatchError
from camwatch.registry.problems import DuplicateProblemError
from web.api.plan_schemas import ProblemFromFinding, body
from web.db import db_session
from web.finding_problems import finding_of, held_findings, open_finding
from web.i18n import gettext as _
from web.ledger import compound_for, model_of, model_ratios, other_model
from web.messages import analysis_failed
from web.security import require, wants_json
from web.summary import analysis_or_422, analysis_outcome

bp = Blueprint("analysis", __name__)


class ProblemForm(FlaskForm):
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=4000)])
    responsible_unit = StringField(_l("Responsible unit"), validators=[Optional(), Length(max=200)])
    responsible_person = StringField(
        _l("Responsible person"), validators=[Optional(), Length(max=100)]
    )
    deadline = DateField(_l("Rectification deadline"), validators=[DataRequired()])


@bp.get("/compounds/<int:cid>/analysis")
@require("analysis.run")
def run(cid: int):
    """The analysis page: levels, zones, blind spots; with planned cameras on request."""
    compound = compound_for(cid)
    planned = request.args.get("planned", "0") in ("1", "true", "on")
    own = model_of(compound)
    model = model_of(compound, request.args.get("model"))
    if wants_json():
        answer = analysis_or_422(compound, include_planned=planned, coverage_model=model)
        return jsonify(answer.figures.to_dict())
    models = {"own": own, "shown": model, "other": other_model(own)}
    result, failure = analysis_outcome(compound, include_planned=planned, coverage_model=model)
    if result is None:
        return render_template(
            "analysis/analysis.html",
            compound=compound,
            s=None,
            planned=planned,
            n_planned=None,
            models=models,
            compare=None,
            error=analysis_failed(failure or RuntimeError("unknown")),
        )
    summary = result.figures.to_dict()
    compare = None
    if model != own:  # the compare switch: the compound's own model beside the one shown
        other, _failed = analysis_outcome(compound, include_planned=planned, coverage_model=own)
        compare = model_ratios(other.figures) if other is not None else None
    # problems are opened from findings of the compound's own model only
    open_refs = held_findings(compound, result.figures) if not planned and model == own else {}
    return render_template(
        "analysis/analysis.html",
        compound=compound,
        s=summary,
        planned=planned,
        models=models,
        compare=compare,
        n_planned=sum(1 for c in result.site.cameras if c.status == "planned"),
        open_refs=open_refs,
        default_deadline=date.today()
        + timedelta(days=int(current_app.config["PROBLEM_DEADLINE_DAYS"])),
        form=FlaskForm(),
    )


@bp.get("/compounds/<int:cid>/problem-refs.json")
@require("compound.view")
def problem_refs(cid: int):
    """Which zones and blind spots of the current analysis already have a problem (map)."""
    compound = compound_for(cid)
    refs = held_findings(compound, analysis_or_422(compound).figures)
    return jsonify(
        {key: {"id": pid, "url": url_for("problems.detail", pid=pid)} for key, pid in refs.items()}
    )


def _already(pid: int) -> Any:
    """The answer to a second problem for a finding: 409 (JSON) or the existing problem."""
    text = _("Already in the problem list (#%(id)d).", id=pid)
    url = url_for("problems.detail", pid=pid)
    if request.is_json or wants_json():
        body = {"error": {"code": "conflict", "status": 409, "message": text}}
        return jsonify({**body, "id": pid, "url": url}), 409
    flash(text, "error")
    return redirect(url)


@bp.route("/compounds/<int:cid>/problems/new", methods=["GET", "POST"])
@require("problem.create")
def create_problem(cid: int):
    """Open a rectification item from a blind spot or a zone (form, or JSON from the map).

    One problem per finding (docs/registry.md): when the zone or blind spot
    already has one, JSON gets 409 with its number, a form the existing problem.
    """
    compound = compound_for(cid)
    # a JSON body (the map) is loaded by its schema; a form or query by the form below
    data = body(ProblemFromFinding()) if request.is_json else None
    source = data if data is not None else request.values
    try:
        finding = finding_of(
            compound, blind_spot=source.get("blind_spot") or None, zone=source.get("zone") or None
        )
    except DuplicateProblemError as exc:
        return _already(exc.problem_id)
    default_deadline = date.today() + timedelta(
        days=int(current_app.config["PROBLEM_DEADLINE_DAYS"])
    )
    if data is not None:
        deadline = data.get("deadline") or default_deadline
        problem, held = open_finding(
            compound,
            finding,
            description=data.get("description") or finding["message"],
            deadline=deadline,
            responsible_unit=data.get("responsible_unit") or None,
            responsible_person=data.get("responsible_person") or None,
        )
        if problem is None:
            return _already(held)
        return jsonify({"id": problem.id, "url": url_for("problems.detail", pid=problem.id)}), 201
    form = ProblemForm()
    if request.method == "GET":
        form.description.data = finding["message"].render()
        form.deadline.data = default_deadline
    elif form.validate_on_submit():
        try:
            typed = form.description.data
            problem, held = open_finding(
                compound,
                finding,
                # the finding's own words, unchanged: kept as a message for every reader
                description=finding["message"] if typed == finding["message"].render() else typed,
                deadline=form.deadline.data,
                responsible_unit=form.responsible_unit.data or None,
                responsible_person=form.responsible_person.data or None,
            )
        except CamwatchError as exc:
            db_session().rollback()
            flash(str(exc), "error")
            return render_template(
                "analysis/problem_form.html", compound=compound, form=form, finding=finding
            ), 400
        if problem is None:
            return _already(held)
        flash(_("Problem #%(id)d opened.", id=problem.id), "ok")
        return redirect(url_for("problems.detail", pid=problem.id))
    return render_template(
        "analysis/problem_form.html", compound=compound, form=form, finding=finding
    )


# "Plan K cameras" and accepting its suggestions register on ``bp`` too
from web import plan_routes as _plan_routes  # noqa: E402, F401
