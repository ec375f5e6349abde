"""The compound report from a site and its analysis to PDF bytes (no files written)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from camwatch.geometry.coverage import Analysis
from camwatch.model import LEVELS, Site
from camwatch.report.content import compound_report
from camwatch.report.facts import LedgerFacts
from camwatch.report.pdf import report_pdf
from camwatch.standards import Report as StandardsReport

PICTURE_DPI = 170  # sharp on A4 landscape (about 250 mm wide) and quick to draw


def plan_picture(
    site: Site,
    analysis: Analysis,
    *,
    lang: str,
    level: str | None = None,
    dpi: int = PICTURE_DPI,
) -> bytes:
    """The plan picture (camwatch's renderer; all DORI levels, or only ``level``) as PNG bytes."""
    import matplotlib

    from camwatch.render.plan import SAVE_RC, plan_figure

    fig = plan_figure(site, analysis, lang=lang, level=level)
    buf = io.BytesIO()
    with matplotlib.rc_context(cast(Any, SAVE_RC)):
        fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def compound_pdf(
    site: Site,
    analysis: Analysis,
    *,
    lang: str = "zh",
    plan: Mapping[str, Any] | None = None,
    facts: LedgerFacts | None = None,
    prepared_by: str = "",
    today: date | None = None,
    per_level: bool = False,
    standards: StandardsReport | None = None,
) -> bytes:
    """The compound report as PDF bytes: picture(s), content and layout.

    ``per_level`` adds a plan picture of each DORI level (four more renders);
    ``standards`` (what ``camwatch check`` found) adds the standards findings.
    """
    picture = plan_picture(site, analysis, lang=lang)
    levels = (
        {lv: plan_picture(site, analysis, lang=lang, level=lv) for lv in LEVELS}
        if per_level
        else None
    )
    report = compound_report(
        site,
        analysis,
        lang=lang,
        picture=picture,
        level_pictures=levels,
        plan=plan,
        facts=facts,
        prepared_by=prepared_by,
        today=today,
        standards=standards,
    )
    return report_pdf(report)
