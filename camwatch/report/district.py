"""The district report: compounds ranked, the share meeting the standard, overdue items,
faulty cameras (docs/reports.md).

A compound **meets the standard** (达标) as on the district dashboard
(docs/web.md): its standards check (``camwatch check COMPOUND``) has no error
finding — :func:`camwatch.standards.meets_standard`, the one function both
use (docs/standards.md). Compounds are ranked by the inspection checklist
score (run on today's state without recording anything; highest first), then
by key area left uncovered (smallest first), then by code.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from camwatch.i18n import text_of
from camwatch.report import fmt
from camwatch.report.blocks import Para, Picture, Report, Section, Table
from camwatch.report.words import word


@dataclass(frozen=True)
class CompoundRow:
    """One compound's standing on ``today``."""

    code: str
    name: str
    district: str
    score: float
    meets: bool
    detection: float
    zones_pass: int
    zones: int
    blind_spots: int
    key_uncovered_m2: float
    open_problems: int
    # id, description (its stored message when it has one: worded per report), deadline, days, who
    overdue: tuple[tuple[int, str | dict[str, Any], date, int, str], ...]
    broken: tuple[tuple[str, str, str, date | None], ...]  # code, status, model, since


def district_rows(session: Any, *, district: str | None, today: date) -> list[CompoundRow]:
    """Every compound (of ``district``) with its live checklist, problems and broken cameras.

    Coverage and the standards check come from current analysis snapshots
    where there are (``camwatch district analyze|check --all``), else are
    computed and stored as snapshots (docs/district.md).
    """
    from camwatch.batch.stored import analysis_summary, check_report, keeper
    from camwatch.registry.checklist import checklist, score_of
    from camwatch.registry.compounds import list_compounds
    from camwatch.registry.problems import days_overdue, list_problems
    from camwatch.standards import meets_standard

    rows = []
    for comp in list_compounds(session, district=district):
        keep = keeper(session, comp)
        summary = analysis_summary(session, comp, keep)
        items = checklist(session, comp.code, summary, today=today)
        zones = summary["zones"]
        problems = list_problems(session, compound=comp.code, unresolved=True)
        overdue = tuple(
            (
                p.id,
                p.description_msg or p.description,
                p.deadline,
                days_overdue(p, today),
                " / ".join(x for x in (p.responsible_unit, p.responsible_person) if x),
            )
            for p in problems
            if days_overdue(p, today) > 0
        )
        broken = tuple(
            (d.code, d.status, d.model or "", _day(d.status_changed_at))
            for d in comp.devices
            if d.kind == "camera" and d.status in ("faulty", "offline")
        )
        rows.append(
            CompoundRow(
                code=comp.code,
                name=comp.name or comp.code,
                district=comp.district or "",
                score=score_of(items),
                meets=meets_standard(check_report(session, comp, today, keep)),
                detection=float(summary["levels"]["detection"]["ratio"]),
                zones_pass=sum(1 for z in zones if z["pass"]),
                zones=len(zones),
                blind_spots=len(summary["blind_spots"]),
                key_uncovered_m2=round(
                    sum(max(z["area_m2"] - z["covered_m2"], 0.0) for z in zones), 2
                ),
                open_problems=len(problems),
                overdue=overdue,
                broken=broken,
            )
        )
    return rows


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@dataclass(frozen=True)
class DistrictSummary:
    """Ranked rows and the share of compounds meeting the standard against the target."""

    rows: tuple[CompoundRow, ...]
    target: float
    district: str | None
    today: date

    @classmethod
    def of(
        cls, rows: list[CompoundRow], *, target: float, district: str | None, today: date
    ) -> DistrictSummary:
        ranked = sorted(rows, key=lambda r: (-r.score, r.key_uncovered_m2, r.code))
        return cls(tuple(ranked), target, district, today)

    @property
    def meeting(self) -> int:
        return sum(1 for r in self.rows if r.meets)

    @property
    def share(self) -> float | None:
        return self.meeting / len(self.rows) if self.rows else None

    @property
    def reached(self) -> bool:
        return self.share is not None and self.share >= self.target


CSV_COLUMNS = (
    "rank", "code", "name", "district", "score", "meets_standard", "detection_ratio",
    "zones_pass", "zones", "blind_spots", "key_uncovered_m2", "open_problems",
    "overdue_problems", "faulty_cameras",
)  # fmt: skip


def district_csv(summary: DistrictSummary, *, lang: str = "zh") -> bytes:
    """One row per compound in rank order (machine-readable column names; UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for rank, r in enumerate(summary.rows, start=1):
        writer.writerow(
            [rank, r.code, r.name, r.district, f"{r.score:g}", "yes" if r.meets else "no",
             f"{r.detection:.6f}", r.zones_pass, r.zones, r.blind_spots,
             f"{r.key_uncovered_m2:.2f}", r.open_problems, len(r.overdue), len(r.broken)]
        )  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def score_chart(summary: DistrictSummary, *, lang: str) -> bytes | None:
    """The dashboard's chart on paper: each compound's checklist score against the pass line."""
    if not summary.rows:
        return None
    import matplotlib
    from matplotlib.figure import Figure

    from camwatch.registry.checklist import PASS_SCORE
    from camwatch.render.fonts import font_families

    with matplotlib.rc_context({"font.family": font_families(lang, need_cjk=True)}):
        rows = summary.rows
        fig = Figure(figsize=(7.5, 0.9 + 0.32 * len(rows)))
        ax = fig.add_subplot()
        names = [r.name for r in rows][::-1]
        scores = [r.score for r in rows][::-1]
        colours = ["#198754" if r.meets else "#c82333" for r in rows][::-1]
        ax.barh(names, scores, color=colours, height=0.6)
        ax.axvline(PASS_SCORE, color="#333333", linestyle="--", linewidth=1)
        ax.set_xlim(0, 100)
        ax.set_xlabel(word("Checklist score", lang))
        for y, s in enumerate(scores):
            ax.text(s + 1, y, f"{s:g}", va="center", fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=160, facecolor="white")
    return buf.getvalue()


def district_report(summary: DistrictSummary, *, lang: str = "zh") -> Report:
    """The district report as content (cover, ranking, overdue items, faulty cameras)."""
    w = lambda k: word(k, lang)  # noqa: E731 - a short local alias
    rows = summary.rows
    cover = (
        (w("District"), summary.district or w("All districts")),
        (w("Report date"), summary.today.isoformat()),
        (w("Compounds"), str(len(rows))),
        (w("Meet the standard"), f"{summary.meeting} ({fmt.pct(summary.share)})"),
        (w("Target"), fmt.pct(summary.target)),
    )
    ranking = Table(
        tuple(w(c) for c in ("Rank", "Compound", "Checklist score", "Coverage", "Zones",
                             "Uncovered key area", "Open", "Overdue items", "Result")),
        tuple(
            (str(i), r.name, f"{r.score:g}", fmt.pct(r.detection), f"{r.zones_pass}/{r.zones}",
             fmt.area(r.key_uncovered_m2), str(r.open_problems), str(len(r.overdue)),
             w("Pass" if r.meets else "Fail"))
            for i, r in enumerate(rows, start=1)
        ),
        (0.5, 2.2, 0.8, 0.9, 0.7, 1.3, 0.6, 0.7, 0.7),
        "LLRRRRRRC",
        tuple("pass" if r.meets else "fail" for r in rows),
    )  # fmt: skip
    sections = [Section(w("Compounds"), (ranking,))]
    chart = score_chart(summary, lang=lang)
    if chart is not None:
        sections[0] = Section(w("Compounds"), (ranking, Picture(chart, w("Checklist score"))))
    overdue = [(r, p) for r in rows for p in r.overdue]
    if overdue:
        blocks: tuple[Any, ...] = (
            Table(
                tuple(w(c) for c in ("Compound", "Code", "Description", "Responsible",
                                     "Deadline", "Overdue")),
                tuple((r.name, f"#{p[0]}", text_of(p[1], lang), p[4] or "–", p[2].isoformat(),
                       f"{p[3]} {w('days')}") for r, p in overdue),
                (1.4, 0.5, 3.0, 1.3, 1.0, 0.8),
                "LLLLLR",
            ),
        )  # fmt: skip
    else:
        blocks = (Para(w("No overdue rectifications.")),)
    sections.append(Section(f"{w('Overdue rectifications')} ({len(overdue)})", blocks))
    broken = [(r, b) for r in rows for b in r.broken]
    if broken:
        cams: tuple[Any, ...] = (
            Table(
                tuple(w(c) for c in ("Compound", "Camera", "Status", "Model", "Since")),
                tuple((r.name, b[0], w(b[1]), b[2] or "–", fmt.day(b[3])) for r, b in broken),
                (1.8, 0.8, 0.8, 1.8, 1.0),
                "LLLLL",
            ),
        )
    else:
        cams = (Para(w("No faulty or offline cameras.")),)
    sections.append(Section(f"{w('Faulty cameras')} ({len(broken)})", cams))
    verdict = w("Target reached" if summary.reached else "Target not reached")
    return Report(
        lang=lang,
        title=w("District report"),
        subtitle=summary.district or w("Safe compound video surveillance"),
        cover=cover,
        verdict=(verdict, summary.reached),
        sections=tuple(sections),
        running_title=f"{summary.district or ''} {w('District report')}".strip(),
        footer_note=w("This report was produced by camwatch from the plan and the device ledger."),
    )


__all__ = ["CompoundRow", "DistrictSummary", "district_csv", "district_report", "district_rows"]
