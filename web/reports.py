"""Downloads of a compound's report (PDF) and camera schedule (CSV, XLSX), and of
the district report (PDF, CSV).

The same builders as ``camwatch report``, ``camwatch schedule`` and
``camwatch district report`` (docs/reports.md); a compound's on its cached
analysis (installed cameras, as the overview shows). Whoever may view the
compound may download them (a manager gets 404 for another compound, as on
every compound page); the district report needs the dashboard's permission
and takes its ``?district=`` filter and target. The language is the page's
unless ``?lang=zh|en`` asks otherwise.
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, current_app, g, request, send_file

from camwatch.errors import CamwatchError
from camwatch.output import safe_filename
from web.db import db_session
from web.i18n import select_locale
from web.ledger import analysis_of, compound_for
from web.security import require

bp = Blueprint("reports", __name__)

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _lang() -> str:
    lang = request.args.get("lang") or select_locale()
    if lang not in ("zh", "en"):
        abort(400)
    return lang


@bp.get("/compounds/<int:cid>/report.pdf")
@require("compound.view")
def report(cid: int):
    """The compound report as a PDF attachment."""
    from camwatch.compliance import compound_check
    from camwatch.report.compound import compound_pdf
    from camwatch.report.ledger import ledger_facts

    compound = compound_for(cid)
    lang = _lang()
    today = date.today()
    result = analysis_of(compound)
    facts = ledger_facts(db_session(), compound.code, today=today)
    try:  # the same check as ``camwatch report COMPOUND`` (installed cameras)
        standards = compound_check(db_session(), compound.code, today=today)
    except CamwatchError as exc:  # the standards tab shows why; the report goes without
        current_app.logger.warning("standards check of %s failed: %s", compound.code, exc)
        standards = None
    data = compound_pdf(
        result.site,
        result.analysis,
        lang=lang,
        facts=facts,
        prepared_by=g.user.username,
        today=today,
        standards=standards,
    )
    name = safe_filename(compound.name or compound.code, today.isoformat(), suffix=".pdf")
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name
    )


@bp.get("/compounds/<int:cid>/schedule.<fmt>")
@require("compound.view")
def schedule(cid: int, fmt: str):
    """The camera schedule as CSV (re-importable) or XLSX."""
    from camwatch.report import schedule as sch
    from camwatch.report.ledger import ledger_facts

    if fmt not in MIMETYPES:
        abort(404)
    compound = compound_for(cid)
    lang = _lang()
    result = analysis_of(compound)
    facts = ledger_facts(db_session(), compound.code, today=date.today())
    rows = sch.schedule_rows(result.site, facts=facts)
    if fmt == "csv":
        data = sch.schedule_csv(rows)
    else:
        title = compound.name or compound.code
        data = sch.schedule_xlsx(rows, sch.model_lines(rows), lang=lang, title=title)
    name = safe_filename(compound.code, "schedule", suffix=f".{fmt}")
    return send_file(
        io.BytesIO(data), mimetype=MIMETYPES[fmt], as_attachment=True, download_name=name
    )


@bp.get("/district/report.<fmt>")
@require("district.view")
def district_report(fmt: str):
    """The district report as PDF or CSV (``?district=`` as on the dashboard)."""
    import camwatch.report.district as dist
    from camwatch.report.pdf import report_pdf

    if fmt not in ("pdf", "csv"):
        abort(404)
    lang = _lang()
    chosen = request.args.get("district") or None
    today = date.today()
    rows = dist.district_rows(db_session(), district=chosen, today=today)
    target = float(current_app.config["DISTRICT_TARGET"])
    summary = dist.DistrictSummary.of(rows, target=target, district=chosen, today=today)
    if fmt == "csv":
        data, mimetype = dist.district_csv(summary, lang=lang), "text/csv"
    else:
        data, mimetype = report_pdf(dist.district_report(summary, lang=lang)), "application/pdf"
    name = safe_filename(chosen or "district", today.isoformat(), suffix=f".{fmt}")
    return send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name)
