"""Inspections: today's rule results of a compound, recorded when confirmed (docs/web.md).

* ``GET  /compounds/<id>/inspect`` — the rule results of the compound's
  standards profile (pass/fail, severity, clause, number of findings and
  their messages), as ``camwatch inspect COMPOUND`` records them
  (docs/standards.md), with a note field per item and an overall remark;
* ``POST`` the same — records them (post/redirect/get; once per form: the
  form's token is the inspection's ``request_key``);
* ``GET  /inspections/<id>`` — a recorded inspection, worded in the reader's
  language (:mod:`web.inspection_words`).

The routes are on the ``problems`` blueprint (endpoints ``problems.inspect``,
``problems.inspection``).
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from typing import Any

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, HiddenField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from camwatch.errors import CamwatchError
from camwatch.registry.inspections import (
    inspection_by_request_key,
    run_inspection,
    standards_items,
    standards_passed,
    standards_score,
)
from camwatch.registry.models import Inspection
from camwatch.standards import load_profile
from web.db import db_session
from web.i18n import gettext as _
from web.inspection_words import (
    NOTE_MAX,
    checklist_detail,
    is_rule_results,
    item_rows,
    items_digest,
)
from web.ledger import analysis_of, compound_for
from web.messages import analysis_failed
from web.problems import bp
from web.security import require
from web.summary import findings_outcome
from web.templating import CHECK_LABELS


class InspectionForm(FlaskForm):
    notes = TextAreaField(_l("Overall remark"), validators=[Optional(), Length(max=4000)])
    confirm = BooleanField(_l("Record this inspection"), validators=[DataRequired()])
    token = HiddenField(validators=[DataRequired(), Regexp(r"^[0-9a-f]{32}$")])
    digest = HiddenField(validators=[DataRequired(), Length(max=64)])


@bp.get("/inspections/<int:iid>")
@require("inspection.view")
def inspection(iid: int):
    """One inspection: its items (rule results in the reader's language), score, pass/fail."""
    record = db_session().get(Inspection, iid)
    if record is None:
        abort(404)
    compound_for(record.compound_id)
    items = list(record.items or [])
    rules = is_rule_results(items)
    return render_template(
        "problems/inspection.html",
        i=record,
        labels=CHECK_LABELS,
        checklist_detail=checklist_detail,
        rule_results=rules,
        rows=item_rows(items, _lang()) if rules else [],
    )


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "zh"


def _inspection_inputs(compound: Any) -> tuple[Any, ...]:
    """The check, the profile's rule settings and the analysis the inspection records from.

    The same three ``camwatch inspect`` passes to ``run_inspection``
    (:func:`camwatch.compliance.inspection_check`), taken from the web's cache:
    the check is ``compound_check`` of the compound's own profile
    (:func:`web.summary.findings_outcome`), the rules that profile's settings.
    ``(None, None, None, failure)`` when the check or the analysis fails.
    """
    report, failure = findings_outcome(compound)
    if report is None:
        return None, None, None, failure
    result = analysis_of(compound)
    profile = load_profile(result.site.info.rule_profile)
    if profile.name != report["profile"]:  # pragma: no cover - the check names its profile
        raise RuntimeError("the check and the inspection disagree on the profile")
    return report, profile.rule_settings(), result.figures.to_dict(), None


def _recorded(code: str, token: str) -> Inspection | None:
    """The inspection already recorded from this form, if any (a reload of the POST)."""
    return inspection_by_request_key(db_session(), code, token)


def _token_ok(form: InspectionForm) -> bool:
    return bool(re.fullmatch(r"[0-9a-f]{32}", form.token.data or ""))


def _record(
    compound: Any,
    form: InspectionForm,
    summary: dict[str, Any],
    report: dict[str, Any],
    rules: dict[str, Any],
    items: list[dict[str, Any]],
) -> Any:
    """Record the inspection of a valid form; redirect to it (post/redirect/get)."""
    db = db_session()
    token = form.token.data or ""
    try:
        record = run_inspection(
            db,
            compound.code,
            summary,
            inspector=g.user.display_name or g.user.username,
            notes=(form.notes.data or "").strip() or None,
            actor=g.user.username,
            check=report,
            rules=rules,
            item_notes=_item_notes([i["key"] for i in items]),
            request_key=token,
        )
        db.commit()
    except IntegrityError:  # the same form sent twice at once: the first one won
        db.rollback()
        done = inspection_by_request_key(db, compound.code, token)
        if done is None:
            raise
        return redirect(url_for("problems.inspection", iid=done.id))
    except CamwatchError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("problems.inspect", cid=compound.id))
    flash(_("Inspection recorded."), "ok")
    return redirect(url_for("problems.inspection", iid=record.id))


def _item_notes(keys: list[str]) -> dict[str, str]:
    """The per-item notes of the form (``note:<item key>``), cut to their limit."""
    return {k: (request.form.get(f"note:{k}") or "")[:NOTE_MAX] for k in keys}


@bp.route("/compounds/<int:cid>/inspect", methods=["GET", "POST"])
@require("inspection.record")
def inspect(cid: int):
    """Today's rule results of the compound's profile; recorded when confirmed (docs/web.md).

    The form carries a token made for this page: a reloaded POST finds the
    inspection recorded with it and records nothing (post/redirect/get), and a
    digest of the items shown: when the findings changed meanwhile the page is
    shown again (409) instead of recording what the inspector did not see.
    """
    compound = compound_for(cid)
    form = InspectionForm()
    db = db_session()
    report, rules, summary, failure = _inspection_inputs(compound)
    if report is None:
        error = analysis_failed(failure or RuntimeError("unknown"))
        if request.method == "POST":
            flash(error, "error")
        return render_template(
            "problems/inspect.html", compound=compound, error=error, form=form, rows=[]
        ), (422 if request.method == "POST" else 200)
    items = standards_items(db, compound.code, summary, report, rules, today=date.today())
    digest = items_digest(items)
    status = 200
    if request.method == "POST":
        if form.confirm.data and not _token_ok(form):
            flash(_("The form has expired; reload the page and try again."), "error")
            return redirect(url_for("problems.inspect", cid=cid))
        if form.validate_on_submit():
            token = form.token.data or ""
            done = _recorded(compound.code, token)
            if done is not None:
                flash(_("This inspection was already recorded."), "ok")
                return redirect(url_for("problems.inspection", iid=done.id))
            if form.digest.data == digest:
                return _record(compound, form, summary, report, rules, items)
            msg = _("The findings changed since the page was shown; check them and record again.")
            flash(msg, "error")
            status = 409
    if not _token_ok(form):
        form.token.data = uuid.uuid4().hex
    form.digest.data = digest
    notes = _item_notes([i["key"] for i in items]) if request.method == "POST" else {}
    rows = item_rows(items, _lang(), report["findings"])
    for row in rows:
        row["note"] = notes.get(row["key"], "")
    return render_template(
        "problems/inspect.html",
        compound=compound,
        error=None,
        rows=rows,
        profile=report["profile"],
        score=standards_score(items),
        passed=standards_passed(items),
        form=form,
        note_max=NOTE_MAX,
    ), status
