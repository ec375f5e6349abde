"""The findings tab: a compound's standards check, clause by clause (docs/standards.md, docs/web.md).

* ``GET  /compounds/<id>/findings`` — the findings of ``camwatch check
  COMPOUND`` (the compound's own profile, the ledger's device facts), grouped
  by severity; each with its rule, clause, message and fix in the reader's
  language, the features involved, a link to the map centred on its geometry
  (``/compounds/<id>/map?focus=<GeoJSON>``) and, for roles that open
  problems, an "open problem" button. When the check fails the page (200)
  says why.
* ``POST /compounds/<id>/findings/problem`` — form ``key=<finding key>``: the
  registry's ``problems from-findings`` for that one key
  (:func:`camwatch.registry.findings.problems_from_findings` with ``keys``),
  so a reload or a second click finds the open problem and creates nothing.
  The finding is looked up in the server's own check, never taken from the
  client.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from sqlalchemy import select

from camwatch.errors import CamwatchError
from camwatch.model import SEVERITIES, UNRESOLVED_PROBLEM_STATUSES
from camwatch.registry.findings import finding_key, problems_from_findings
from camwatch.registry.models import Compound
from camwatch.registry.problems import list_problems
from web.db import db_session
from web.findings_words import SEVERITY_LABELS, TITLES, clause_text, fix_text
from web.i18n import gettext as _
from web.ledger import compound_for
from web.messages import analysis_failed
from web.security import require
from web.summary import findings_outcome

bp = Blueprint("findings", __name__)


def _lang() -> str:
    locale = get_locale()
    return locale.language if locale is not None else "zh"


def _open_problems(code: str) -> dict[str, int]:
    """Finding key → number of its unresolved problem."""
    return {
        p.ref_key: p.id
        for p in list_problems(db_session(), compound=code)
        if p.ref_key and p.status in UNRESOLVED_PROBLEM_STATUSES
    }


def _rows(cid: int, report: dict[str, Any], problems: dict[str, int]) -> dict[str, list[Any]]:
    lang = _lang()
    groups: dict[str, list[Any]] = {s: [] for s in SEVERITIES}
    for f in report["findings"]:
        key = finding_key(f)
        focus = json.dumps(f["geometry"], separators=(",", ":")) if f.get("geometry") else None
        groups.setdefault(f["severity"], []).append(
            {
                "rule": f["rule"],
                "title": str(TITLES.get(f["rule"], "")),
                "clause": clause_text(f["clause"]),
                "message": f["message"].get(lang) or f["message"].get("zh") or "",
                "features": f["features"],
                "fix": fix_text(f, lang),
                "key": key,
                "problem": problems.get(key),
                "map_url": url_for("compounds.map_page", cid=cid, focus=focus) if focus else None,
            }
        )
    return groups


@bp.get("/compounds/<int:cid>/findings")
@require("compound.view")
def index(cid: int):
    """The compound's findings grouped by severity, with the profile used."""
    compound = compound_for(cid)
    report, failure = findings_outcome(compound)
    if report is None:
        return render_template(
            "findings/index.html",
            compound=compound,
            error=analysis_failed(failure or RuntimeError("unknown")),
            report=None,
            groups={},
            labels=SEVERITY_LABELS,
        )
    groups = _rows(compound.id, report, _open_problems(compound.code))
    return render_template(
        "findings/index.html",
        compound=compound,
        error=None,
        report=report,
        groups=groups,
        labels=SEVERITY_LABELS,
    )


@bp.post("/compounds/<int:cid>/findings/problem")
@require("problem.create")
def open_problem_for(cid: int):
    """Open (or find) the problem of one finding; back to the tab."""
    compound = compound_for(cid)
    key = request.form.get("key", "")
    back = redirect(url_for("findings.index", cid=cid))
    session = db_session()
    # one writer per compound at a time (PostgreSQL row lock; SQLite writes are serial)
    session.execute(select(Compound.id).where(Compound.id == compound.id).with_for_update())
    report, failure = findings_outcome(compound, date.today())
    if report is None:
        flash(analysis_failed(failure or RuntimeError("unknown")), "error")
        return back, 422
    if not any(finding_key(f) == key for f in report["findings"]):
        flash(_("That finding is no longer found; nothing was opened."), "error")
        return back
    try:
        result = problems_from_findings(
            session,
            compound.code,
            report,
            deadline_days=int(current_app.config["PROBLEM_DEADLINE_DAYS"]),
            min_severity="info",
            keys=[key],
            actor=g.user.username,
        )
        session.commit()
    except CamwatchError as exc:
        session.rollback()
        flash(str(exc), "error")
        return back
    if result["created"]:
        flash(_("Problem #%(id)d opened.", id=result["created"][0]), "ok")
    elif result["reopened"]:
        flash(_("Problem #%(id)d reopened.", id=result["reopened"][0]), "ok")
    elif result["existing"]:
        flash(
            _("Problem #%(id)d is already open for this finding.", id=result["existing"][0]), "ok"
        )
    return back
