"""达标: the one verdict on a standards check (docs/standards.md).

A compound **meets the standard** when its check has no error finding.
Every consumer uses :func:`meets_standard`: the web's findings tab and
district dashboard and the district report (``camwatch district report``);
:func:`camwatch.compliance.compound_check` checks a ledger compound as
``camwatch check COMPOUND`` does.
"""

from __future__ import annotations

from typing import Any

from camwatch.standards.engine import Report


def meets_standard(report: Report | dict[str, Any]) -> bool:
    """达标: the check has no error finding (a :class:`Report` or its §7 JSON object)."""
    if isinstance(report, Report):
        findings: list[Any] = [f.to_dict() for f in report.findings]
    else:
        findings = list(report["findings"])
    return not any(f["severity"] == "error" for f in findings)
