"""The district dashboard: every compound against the programme's targets.

* the share of compounds that **meet the standard** (达标: the compound's
  standards check has no error finding, docs/standards.md — the same
  :func:`camwatch.standards.meets_standard` the district report uses) against the target
  (``DISTRICT_TARGET``, 80 % by default), as a gauge;
* each compound's inspection checklist score as a bar chart with the pass line
  (a bar is green when the score reaches the pass line);
* overdue rectification items per compound;
* compounds ranked by uncovered key area (zone area below its required DORI
  level) — where new cameras are needed most.

Filter by district with ``?district=``. Read-only for every role that sees it.
A compound whose analysis fails is listed with the reason, counts as not
meeting the standard, and is left out of the score chart and the ranking
(its coverage is unknown).
"""

from __future__ import annotations

from flask import Blueprint, current_app, g, render_template, request

from camwatch.registry.checklist import PASS_SCORE
from web.charts import bar_chart, share_gauge
from web.i18n import gettext as _
from web.ledger import compounds_for
from web.security import require
from web.summary import compound_status

bp = Blueprint("district", __name__, url_prefix="/district")


@bp.get("/")
@require("district.view")
def dashboard():
    """Compliance share vs target, scores, overdue items, uncovered key area ranking."""
    compounds = compounds_for(g.user)
    districts = sorted({c.district for c in compounds if c.district})
    chosen = request.args.get("district") or None
    if chosen:
        compounds = [c for c in compounds if c.district == chosen]
    rows = [compound_status(c) for c in compounds]
    failed = [r for r in rows if r["error"]]
    analysed = [r for r in rows if not r["error"]]
    target = float(current_app.config["DISTRICT_TARGET"])
    meeting = sum(1 for r in rows if r["meets_standard"])
    share = meeting / len(rows) if rows else None
    gauge = share_gauge(
        share,
        target,
        label=_("meet the standard"),
        target_label=_("target %(t)d %%", t=round(target * 100)),
    )
    scores = bar_chart(
        [
            (r["compound"].name or r["compound"].code, r["score"], r["score"] >= PASS_SCORE)
            for r in analysed
        ],
        target=PASS_SCORE,
        max_value=100,
        label=_("Checklist score per compound"),
        target_label=_("pass %(s)d", s=int(PASS_SCORE)),
    )
    ranking = sorted(analysed, key=lambda r: (-r["key_uncovered"], -r["blind_area"]))
    overdue = sorted(
        (r for r in rows if r["overdue_problems"]), key=lambda r: -r["overdue_problems"]
    )
    return render_template(
        "district/dashboard.html",
        rows=rows,
        failed=failed,
        ranking=ranking,
        overdue=overdue,
        meeting=meeting,
        share=share,
        target=target,
        gauge=gauge,
        scores=scores,
        districts=districts,
        chosen=chosen,
        total_overdue=sum(r["overdue_problems"] for r in rows),
        total_open=sum(r["open_problems"] for r in rows),
        broken=sum(r["cameras"]["faulty"] + r["cameras"]["offline"] for r in rows),
    )
