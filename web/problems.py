"""Problems (rectification items) and inspections.

List with filters (compound, status, source, overdue), overdue rows in red;
a problem's page shows its history and the steps its status allows::

    open ──► in_progress ──► fixed ──re-check passed──► verified
                               └──re-check failed──► reopened (new deadline) ──► ...

Moving a problem along (in progress, fixed) is for whoever fixes it —
technicians, the compound's manager, planners, admins; the re-check
(verified or reopened) is for planners and admins. An inspection shows the
rule results of the compound's standards profile (as ``camwatch inspect``
records them) with a note per item and an overall remark, and records them
when confirmed (append-only; once per form: docs/web.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from camwatch.errors import CamwatchError
from camwatch.model import PROBLEM_SOURCES, PROBLEM_STATUSES
from camwatch.registry.inspections import list_inspections
from camwatch.registry.models import Problem
from camwatch.registry.problems import (
    TRANSITIONS,
    days_overdue,
    is_overdue,
    list_problems,
    open_problem,
    recheck,
    update_problem,
)
from web.db import db_session
from web.forms import choices, posted_version
from web.i18n import gettext as _
from web.ledger import compound_for, compounds_for
from web.recheck_view import current_coverage
from web.security import can, require
from web.templating import PROBLEM_STATUS_LABELS, SOURCE_LABELS

bp = Blueprint("problems", __name__)


class StatusForm(FlaskForm):
    status = SelectField(_l("New status"), choices=[])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class RecheckForm(FlaskForm):
    passed = SelectField(
        _l("Result"),
        # no result preselected: the planner chooses after reading today's coverage
        choices=choices(
            [
                ("", _l("— choose —")),
                ("yes", _l("Passed — verified")),
                ("no", _l("Not fixed — reopen")),
            ]
        ),
        validators=[AnyOf(("yes", "no"), message=_l("Choose the re-check result."))],
    )
    result = TextAreaField(_l("What was found"), validators=[DataRequired(), Length(max=2000)])
    new_deadline = DateField(_l("New deadline (if not fixed)"), validators=[Optional()])


class EditForm(FlaskForm):
    responsible_unit = StringField(_l("Responsible unit"), validators=[Optional(), Length(max=200)])
    responsible_person = StringField(
        _l("Responsible person"), validators=[Optional(), Length(max=100)]
    )
    deadline = DateField(_l("Rectification deadline"), validators=[Optional()])
    note = TextAreaField(_l("Reason for the change"), validators=[Optional(), Length(max=2000)])


class NewProblemForm(FlaskForm):
    compound = SelectField(_l("Compound"), choices=[])
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=4000)])
    source = SelectField(
        _l("Source"), choices=choices([(s, SOURCE_LABELS[s]) for s in PROBLEM_SOURCES])
    )
    responsible_unit = StringField(_l("Responsible unit"), validators=[Optional(), Length(max=200)])
    responsible_person = StringField(
        _l("Responsible person"), validators=[Optional(), Length(max=100)]
    )
    deadline = DateField(_l("Rectification deadline"), validators=[DataRequired()])


def _visible_ids() -> list[int] | None:
    if g.user.role == "manager":
        return [c.id for c in g.user.compounds]
    return None


@bp.get("/problems/")
@require("problem.view")
def index():
    """Problems by deadline; filters: compound, status, source, overdue."""
    db = db_session()
    today = date.today()
    compounds = compounds_for(g.user)
    code = request.args.get("compound") or None
    status = request.args.get("status") or None
    source = request.args.get("source") or None
    overdue = request.args.get("overdue") in ("1", "on", "true")
    if code and code not in {c.code for c in compounds}:
        abort(404)
    if status and status not in (*PROBLEM_STATUSES, "unresolved"):
        abort(400)
    if source and source not in PROBLEM_SOURCES:
        abort(400)
    problems = list_problems(
        db,
        compound=code,
        status=status if status and status != "unresolved" else None,
        unresolved=status == "unresolved",
        overdue=overdue,
        today=today,
        compound_ids=_visible_ids(),
    )
    if source:
        problems = [p for p in problems if p.source == source]
    return render_template(
        "problems/index.html",
        problems=problems,
        compounds=compounds,
        today=today,
        is_overdue=is_overdue,
        days_overdue=days_overdue,
        f={"compound": code, "status": status, "source": source, "overdue": overdue},
    )


def _problem_for(pid: int):
    problem = db_session().get(Problem, pid)
    if problem is None:
        abort(404)
    compound_for(problem.compound_id)
    return problem


@bp.get("/problems/<int:pid>")
@require("problem.view")
def detail(pid: int):
    """A problem: what, who, deadline, history, and the next steps allowed."""
    problem = _problem_for(pid)
    status_form = StatusForm()
    status_form.status.choices = choices(
        [(s, PROBLEM_STATUS_LABELS[s]) for s in TRANSITIONS.get(problem.status, ())]
    )
    edit_form = EditForm(obj=problem)
    return render_template(
        "problems/detail.html",
        p=problem,
        today=date.today(),
        overdue=is_overdue(problem, date.today()),
        late_days=days_overdue(problem, date.today()),
        status_form=status_form,
        recheck_form=RecheckForm(),
        recheck_now=current_coverage(problem)
        if problem.status == "fixed" and can("problem.recheck")
        else None,
        edit_form=edit_form,
    )


def _version(problem: Any) -> int:
    """The version the form was filled in against (optimistic locking)."""
    version = posted_version()
    return problem.version if version is None else version


def _save(pid: int, change: Callable[[Any], object], done: str):
    """Run one ledger change of problem ``pid`` in a transaction, flash the outcome, go back."""
    db = db_session()
    try:
        change(db)
        db.commit()
        flash(done, "ok")
    except CamwatchError as exc:
        db.rollback()
        flash(str(exc), "error")
    return redirect(url_for("problems.detail", pid=pid))


@bp.post("/problems/<int:pid>/status")
@require("problem.progress")
def set_status(pid: int):
    """Move a problem to in progress or fixed."""
    problem = _problem_for(pid)
    form = StatusForm()
    form.status.choices = choices([(s, s) for s in TRANSITIONS.get(problem.status, ())])
    if not form.validate_on_submit():
        flash(_("Choose a status the problem can move to."), "error")
        return redirect(url_for("problems.detail", pid=pid))
    return _save(
        pid,
        lambda db: update_problem(
            db,
            pid,
            status=form.status.data,
            note=form.note.data or None,
            expected_version=_version(problem),
            actor=g.user.username,
        ),
        _("Status changed."),
    )


@bp.post("/problems/<int:pid>/recheck")
@require("problem.recheck")
def do_recheck(pid: int):
    """Re-check a fixed problem: verified, or reopened with a new deadline."""
    problem = _problem_for(pid)
    form = RecheckForm()
    if not form.validate_on_submit():
        if form.passed.errors:
            flash(_("Choose the re-check result."), "error")
            return redirect(url_for("problems.detail", pid=pid))
        flash(_("Describe what the re-check found."), "error")
        return redirect(url_for("problems.detail", pid=pid))
    return _save(
        pid,
        lambda db: recheck(
            db,
            pid,
            passed=form.passed.data == "yes",
            result=form.result.data,
            new_deadline=form.new_deadline.data if form.passed.data != "yes" else None,
            expected_version=_version(problem),
            actor=g.user.username,
        ),
        _("Re-check recorded."),
    )


@bp.post("/problems/<int:pid>/edit")
@require("problem.create")
def edit(pid: int):
    """Change the responsible unit/person or the deadline (a new deadline needs a reason)."""
    problem = _problem_for(pid)
    form = EditForm()
    if not form.validate_on_submit():
        flash(_("Please check the form."), "error")
        return redirect(url_for("problems.detail", pid=pid))
    return _save(
        pid,
        lambda db: update_problem(
            db,
            pid,
            responsible_unit=form.responsible_unit.data or None,
            responsible_person=form.responsible_person.data or None,
            deadline=form.deadline.data if form.deadline.data != problem.deadline else None,
            note=form.note.data or None,
            expected_version=_version(problem),
            actor=g.user.username,
        ),
        _("Saved."),
    )


@bp.route("/problems/new", methods=["GET", "POST"])
@require("problem.create")
def new():
    """Open a problem found on patrol, in an inspection or reported by residents."""
    form = NewProblemForm()
    compounds = compounds_for(g.user)
    form.compound.choices = choices([(c.code, f"{c.name or c.code} ({c.code})") for c in compounds])
    if request.method == "GET":
        form.compound.data = request.args.get("compound")
        form.deadline.data = date.today() + timedelta(
            days=int(current_app.config["PROBLEM_DEADLINE_DAYS"])
        )
    elif form.validate_on_submit():
        db = db_session()
        try:
            problem = open_problem(
                db,
                form.compound.data,
                description=form.description.data,
                deadline=form.deadline.data,
                source=form.source.data,
                responsible_unit=form.responsible_unit.data or None,
                responsible_person=form.responsible_person.data or None,
                actor=g.user.username,
            )
            db.commit()
        except CamwatchError as exc:
            db.rollback()
            flash(str(exc), "error")
            return render_template("problems/new.html", form=form), 400
        flash(_("Problem #%(id)d opened.", id=problem.id), "ok")
        return redirect(url_for("problems.detail", pid=problem.id))
    return render_template("problems/new.html", form=form)


@bp.get("/inspections/")
@require("inspection.view")
def inspections():
    """Inspection records, newest first (managers: their compounds)."""
    visible = {c.id for c in compounds_for(g.user)}
    rows = [i for i in list_inspections(db_session()) if i.compound_id in visible]
    return render_template("problems/inspections.html", inspections=rows)


# the inspection page and an inspection's record (docs/web.md) register on ``bp`` too
from web import inspections as _inspections  # noqa: E402, F401
