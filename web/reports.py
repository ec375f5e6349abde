"""Downloads of a compound's report (PDF) and camera schedule (CSV, XLSX).

The same builders as ``camwatch report`` and ``camwatch schedule``
(docs/reports.md), on the compound's cached analysis (installed cameras, as
the overview shows). Whoever may view the compound may download them; a
manager gets 404 for another compound, as on every compound page. The
report's language is the page's unless ``?lang=zh|en`` asks otherwise.
"""

from __future__ import annotations

import io
from datetime import date

from flask import Blueprint, abort, g, request, send_file

from camwatch.report.output import safe_filename
from web.db import db_session
from web.i18n import select_locale
from web.ledger import analysis_of, compound_for
from web.security import require

bp = Blueprint("reports", __name__, url_prefix="/compounds")

MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _lang() -> str:
    lang = request.args.get("lang") or select_locale()
    if lang not in ("zh", "en"):
        abort(400)
    return lang


@bp.get("/<int:cid>/report.pdf")
@require("compound.view")
def report(cid: int):
    """The compound report as a PDF attachment."""
    from camwatch.report.compound import compound_pdf
    from camwatch.report.ledger import ledger_facts

    compound = compound_for(cid)
    lang = _lang()
    today = date.today()
    result = analysis_of(compound)
    facts = ledger_facts(db_session(), compound.code, today=today)
    data = compound_pdf(
        result.site,
        result.analysis,
        lang=lang,
        facts=facts,
        prepared_by=g.user.username,
        today=today,
    )
    name = safe_filename(compound.name or compound.code, today.isoformat(), suffix=".pdf")
    return send_file(
        io.BytesIO(data), mimetype="application/pdf", as_attachment=True, download_name=name
    )


@bp.get("/<int:cid>/schedule.<fmt>")
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
