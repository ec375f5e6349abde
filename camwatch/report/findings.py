"""The standards findings of a compound report (docs/reports.md, docs/standards.md).

The findings are those of :func:`camwatch.standards.check` — the report runs
the same check as ``camwatch check`` and only words it: one table per
severity (errors first) with rule id, clause, the message in the report's
language, the features it concerns and the fix in the report's language, and a cover line "meets the
standard: yes/no (profile P)".
"""

from __future__ import annotations

from camwatch.model import SEVERITIES
from camwatch.report.blocks import Para, Section, Table
from camwatch.report.words import word
from camwatch.standards import Report as StandardsReport

SEVERITY_TITLE = {"error": "Errors", "warning": "Warnings", "info": "Notes"}
COLUMNS = ("Rule", "Clause", "Finding", "Concerns", "Fix")
WIDTHS = (1.15, 1.9, 2.6, 1.35, 3.0)


def meets_text(standards: StandardsReport, lang: str) -> str:
    """The cover's value: 'yes (profile national)' / '否(检查标准 national)'.

    >>> from camwatch.standards import Report
    >>> meets_text(Report("s", "shanghai", ()), "en")
    'yes (profile shanghai)'
    >>> meets_text(Report("s", "national", ()), "zh")
    '是(检查标准 national)'
    """
    answer = word("yes" if standards.meets_standard else "no", lang)
    if lang == "zh":
        return f"{answer}({word('Rule profile', lang)} {standards.profile})"
    return f"{answer} (profile {standards.profile})"


def findings_section(standards: StandardsReport, lang: str) -> Section:
    """The standards findings, grouped by severity (most severe first)."""
    title = word("Standards findings", lang)
    verdict = f"{word('Meets the standard', lang)}: {meets_text(standards, lang)}"
    blocks: list[Para | Table] = [Para(verdict)]
    if not standards.findings:
        blocks.append(Para(word("No findings: every rule of the profile is met.", lang)))
    sep = "、" if lang == "zh" else ", "
    for severity in SEVERITIES:
        group = [f for f in standards.findings if f.severity == severity]
        if not group:
            continue
        blocks.append(Para(f"{word(SEVERITY_TITLE[severity], lang)} ({len(group)})"))
        rows = tuple(
            (
                f.rule,
                f.clause,
                f.message.get(lang) or f.message.get("en", ""),
                sep.join(f.features) or "–",
                f.fix_in(lang) or "–",
            )
            for f in group
        )
        mark = "fail" if severity == "error" else None
        blocks.append(
            Table(
                tuple(word(c, lang) for c in COLUMNS),
                rows,
                WIDTHS,
                "LLLLL",
                tuple(mark for _ in rows),
                mark_col=0,
            )
        )
    notes = [word("Rule ids and clauses are those of `camwatch check` (docs/standards.md).", lang)]
    if standards.not_checked:
        notes.append(f"{word('Not checked (needs the device ledger)', lang)}: "
                     + ", ".join(standards.not_checked))  # fmt: skip
    blocks += [Para(n, small=True) for n in notes]
    return Section(title, tuple(blocks), new_page=True, landscape=True)
