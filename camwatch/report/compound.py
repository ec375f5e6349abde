"""The compound report from a site and its analysis to PDF bytes (no files written)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from camwatch.geometry.coverage import Analysis
from camwatch.model import Site
from camwatch.report.content import compound_report
from camwatch.report.facts import LedgerFacts
from camwatch.report.pdf import report_pdf

PICTURE_DPI = 170  # sharp on A4 landscape (about 250 mm wide) and quick to draw


def plan_picture(site: Site, analysis: Analysis, *, lang: str, dpi: int = PICTURE_DPI) -> bytes:
    """The plan picture (camwatch's renderer, all DORI levels) as PNG bytes."""
    import matplotlib

    from camwatch.render.plan import SAVE_RC, plan_figure

    fig = plan_figure(site, analysis, lang=lang)
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
) -> bytes:
    """The compound report as PDF bytes: picture, content and layout."""
    picture = plan_picture(site, analysis, lang=lang)
    report = compound_report(
        site,
        analysis,
        lang=lang,
        picture=picture,
        plan=plan,
        facts=facts,
        prepared_by=prepared_by,
        today=today,
    )
    return report_pdf(report)
