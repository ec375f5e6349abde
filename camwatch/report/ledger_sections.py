"""The sections of a compound report that come from the ledger: open problems and the
latest inspection (docs/reports.md); :mod:`camwatch.report.content` adds them when the
report's source is a ledger compound.
"""

from __future__ import annotations

from datetime import date

from camwatch.i18n import text_of
from camwatch.report import fmt
from camwatch.report.blocks import KeyValues, Para, Section, Table
from camwatch.report.facts import InspectionFact, LedgerFacts, ProblemFact
from camwatch.report.words import word


def problem_text(p: ProblemFact, lang: str) -> str:
    """A problem in the reader's language: a description stored as a message (an
    analysis's or a standards check's finding) is worded from it, an older finding of an
    analysis from its reference; what a person wrote is shown as written.

    >>> ref = {"type": "blind_spot", "id": "B2", "area_m2": 73.5, "centroid": [51, 60], "zones": []}
    >>> p = ProblemFact(1, "Blind spot B2: ...", "", date(2026, 1, 1), "open", 0, ref)
    >>> problem_text(p, "zh")
    '盲区 B2:73.5 m² 无摄像机覆盖,位于 (51.0, 60.0) 附近'
    >>> from camwatch.i18n import Bilingual, msg
    >>> said = msg("[%(rule)s] %(finding)s", rule="GATE-ACCESS", finding=Bilingual("无门禁", "no access"))
    >>> problem_text(ProblemFact(2, "[GATE-ACCESS] no access", "", date(2026, 1, 1), "open", 0,
    ...                          words=said.to_json()), "zh")
    '[GATE-ACCESS] 无门禁'
    """
    if p.words:
        return text_of(p.words, lang)
    ref = p.reference or {}
    if lang != "zh" or ref.get("type") not in ("blind_spot", "zone"):
        return p.description
    try:
        if ref["type"] == "blind_spot":
            cx, cy = (float(v) for v in ref["centroid"])
            zones = "、".join(str(z) for z in ref.get("zones") or [])
            text = f"盲区 {ref.get('id') or ''}:{float(ref['area_m2']):.1f} m² 无摄像机覆盖,"
            text += f"位于 ({cx:.1f}, {cy:.1f}) 附近"
            return text + (f"(涉及区域:{zones})" if zones else "")
        level = word(str(ref.get("required_level") or "detection"), lang)
        kind = word(str(ref.get("zone_type") or "other"), lang)
        return (
            f"区域“{ref['name']}”({kind})达到{level}等级的面积占 {fmt.pct(float(ref['ratio']))}"
            f"(区域面积 {float(ref['area_m2']):.1f} m²),要求不低于 98%"
        )
    except (KeyError, TypeError, ValueError):
        return p.description


def problems_section(facts: LedgerFacts, lang: str, today: date) -> Section:
    title = f"{word('Open problems', lang)} ({len(facts.problems)})"
    if not facts.problems:
        return Section(title, (Para(word("No open problems.", lang)),))
    cols = ("Code", "Description", "Responsible", "Deadline", "Status", "Overdue")
    rows = tuple(
        (
            f"#{p.id}",
            problem_text(p, lang),
            p.responsible or "–",
            fmt.day(p.deadline),
            word(p.status, lang).replace("_", " ").capitalize(),
            f"{p.overdue_days} {word('days', lang)}" if p.overdue_days > 0 else "–",
        )
        for p in facts.problems
    )
    marks = tuple("fail" if p.overdue_days > 0 else None for p in facts.problems)
    cols_w = tuple(word(c, lang) for c in cols)
    return Section(title, (Table(cols_w, rows, (0.6, 3.5, 1.3, 1.0, 0.9, 0.8), "LLLLLR", marks),))


def inspection_section(facts: LedgerFacts, lang: str) -> Section:
    ins = facts.inspection
    if ins is None:
        return Section(
            word("Latest inspection", lang), (Para(word("No inspection recorded.", lang)),)
        )
    verdict = word("the inspection passes" if ins.passed else "the inspection fails", lang)
    head = KeyValues(
        (
            (word("Date", lang), ins.date.isoformat()),
            (word("Inspector", lang), ins.inspector),
            (word("Score", lang), f"{fmt.number(ins.score)} / 100 ({verdict})"),
        )
    )
    if any(item.severity is not None for item in ins.items):
        table = _rule_results(ins, lang)
    else:
        table = _weighted_items(ins, lang)
    return Section(word("Latest inspection", lang), (head, table))


# the checklist items no rule covers, kept in a rule-result inspection (registry.inspections)
KEPT_ITEM_TITLES = {
    "blind_spots": "No blind spots",
    "device_health": "Devices in working order",
    "problems": "No overdue rectification items",
}


def _weighted_items(ins: InspectionFact, lang: str) -> Table:
    """The items of an inspection recorded as the weighted checklist (before rule results)."""
    rows, marks = [], []
    for item in ins.items:
        title = word(f"check:{item.key}", lang) if lang == "zh" else item.title
        if title.startswith("check:"):
            title = item.title
        row = (title, fmt.number(item.weight), word("Passed" if item.passed else "Failed", lang))
        rows.append(row + ((item.detail,) if lang == "en" else ()))
        marks.append("pass" if item.passed else "fail")
    cols = ("Item", "Weight", "Result") + (("Detail",) if lang == "en" else ())
    widths = (2.6, 0.6, 0.8) + ((3.4,) if lang == "en" else ())
    return Table(
        tuple(word(c, lang) for c in cols),
        tuple(rows),
        widths,
        "LRCL"[: len(cols)],
        tuple(marks),
        mark_col=2,
    )


def _rule_results(ins: InspectionFact, lang: str) -> Table:
    """Rule results (rule id, severity, pass/fail, number of findings) and the kept items."""
    rows, marks = [], []
    for item in ins.items:
        # rule ids are the standard's own names, as `camwatch check` shows them
        title = item.rule or word(KEPT_ITEM_TITLES.get(item.key, item.key), lang)
        severity = word(f"severity:{item.severity}", lang) if item.severity else ""
        result = word("Passed" if item.passed else "Failed", lang)
        rows.append((title, severity, result, str(item.count)))
        marks.append("pass" if item.passed else "fail")
    cols = ("Rule", "Severity", "Result", "Findings")
    return Table(
        tuple(word(c, lang) for c in cols),
        tuple(rows),
        (2.6, 1.0, 0.9, 0.8),
        "LCCR",
        tuple(marks),
        mark_col=2,
    )
