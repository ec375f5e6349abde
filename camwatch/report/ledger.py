"""What a compound's report takes from the ledger: its site, problems, inspection, devices.

Functions take a SQLAlchemy session (as the registry's do) and return plain
data (:mod:`camwatch.report.facts`); nothing is written.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from camwatch.model import Site
from camwatch.report.facts import CheckItem, DeviceFact, InspectionFact, LedgerFacts, ProblemFact


def _responsible(problem: Any) -> str:
    parts = [p for p in (problem.responsible_unit, problem.responsible_person) if p]
    return " / ".join(parts)


def compound_inputs(session: Any, code: str, *, today: date) -> tuple[Site, LedgerFacts]:
    """The compound's site (plan + non-retired devices) and its ledger facts on ``today``.

    Raises NotFoundError (a CamwatchError) for an unknown compound.
    """
    from camwatch.registry.compounds import export_site

    facts = ledger_facts(session, code, today=today)
    return export_site(session, code), facts


def ledger_facts(session: Any, code: str, *, today: date) -> LedgerFacts:
    """The compound's open problems, latest inspection and device dates on ``today``."""
    from camwatch.registry.compounds import get_compound
    from camwatch.registry.inspections import latest_inspection
    from camwatch.registry.maintenance import list_maintenance
    from camwatch.registry.problems import days_overdue, list_problems

    compound = get_compound(session, code)
    problems = tuple(
        ProblemFact(
            id=p.id,
            description=p.description,
            responsible=_responsible(p),
            deadline=p.deadline,
            status=p.status,
            overdue_days=days_overdue(p, today),
            reference=dict(p.reference) if isinstance(p.reference, dict) else None,
            words=dict(p.description_msg) if isinstance(p.description_msg, dict) else None,
        )
        for p in list_problems(session, compound=code, unresolved=True)
    )
    latest = latest_inspection(session, code)
    inspection = None
    if latest is not None:
        items = tuple(
            CheckItem(
                key=str(i.get("key", "")),
                title=str(i.get("title", "")),
                passed=bool(i.get("passed")),
                weight=float(i.get("weight", 0)),
                detail=str(i.get("detail", "")),
                rule=str(i["rule"]) if i.get("rule") else None,
                severity=str(i["severity"]) if i.get("severity") else None,
                count=int(i.get("count", 0) or 0),
            )
            for i in latest.items
        )
        inspection = InspectionFact(
            latest.date, latest.inspector, float(latest.score), bool(latest.passed), items
        )
    last: dict[str, date] = {}
    for record in list_maintenance(session, code):  # newest first
        last.setdefault(record.device.code, record.date)
    devices = {
        d.code: DeviceFact(
            status=d.status,
            install_date=d.install_date,
            last_maintenance=last.get(d.code),
            manufacturer=d.manufacturer,
        )
        for d in compound.devices
        if d.status != "retired"
    }
    return LedgerFacts(compound.code, problems, inspection, devices)
