"""Inspections: run one against the checklist or the standards' rules, record it, find it.

The weighted checklist is :mod:`camwatch.registry.checklist`.

**Rule results** (docs/standards.md). When the caller passes a standards
check (the docs/site-format.md §7 JSON object of ``camwatch check``) and the
profile's rules, the recorded items are the rule results instead — data, not
sentences: one item per rule run (``key`` ``rule:<ID>``, ``rule``,
``severity``, ``passed`` = the rule found nothing, ``count`` and ``counts``
per severity of its findings, ``features``, the profile's ``params``; ``title``
is the rule id again, for readers of the old item shape), plus
the old items no rule covers (``blind_spots``, ``device_health``,
``problems``; :data:`KEPT_ITEMS`) as ``warning`` items carrying their
numbers in ``params``. Such an inspection **passes** when no ``error`` item
fails — the compound meets the standard — and its score is the share of
items passing (0–100). The registry computes no findings: the caller does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.model import SEVERITIES
from camwatch.registry.audit import set_actor
from camwatch.registry.checklist import checklist, passed_of, score_of
from camwatch.registry.compounds import get_compound
from camwatch.registry.models import Inspection

KEPT_ITEMS = ("blind_spots", "device_health", "problems")


def _check_findings(code: str, check: Any, rules: Any) -> list[Mapping[str, Any]]:
    if not isinstance(check, Mapping) or not isinstance(check.get("findings"), list):
        raise UsageError(
            msg("the standards check must be the JSON object of `camwatch check --json`")
        )
    if check.get("site") not in (None, code):
        raise UsageError(
            msg(
                "the check is of site %(site)s, not of compound %(code)s",
                site=repr(check.get("site")),
                code=repr(code),
            )
        )
    if not isinstance(rules, Mapping) or not rules:
        raise UsageError(msg("the standards check needs the profile's rules"))
    findings = list(check["findings"])
    for f in findings:
        if not isinstance(f, Mapping) or not {"rule", "severity", "features"} <= set(f):
            raise UsageError(
                msg("finding %(finding)s lacks rule, severity or features", finding=repr(f))
            )
        if f["rule"] not in rules:
            raise UsageError(
                msg(
                    "finding of rule %(rule)s, which the profile does not run",
                    rule=repr(f["rule"]),
                )
            )
    return findings


def rule_items(
    code: str, check: Mapping[str, Any], rules: Mapping[str, Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """One item per rule of the profile (``rules``: id → ``{"severity", "params"}``)."""
    findings = _check_findings(code, check, rules)
    items = []
    for rule_id, setting in rules.items():
        mine = [f for f in findings if f["rule"] == rule_id]
        counts: dict[str, int] = {}
        for f in mine:
            counts[f["severity"]] = counts.get(f["severity"], 0) + 1
        # a finding may be more severe than its rule's setting (e.g. a beam without barrier)
        worst = min([setting["severity"], *counts], key=SEVERITIES.index)
        features = sorted({str(x) for f in mine for x in f["features"]})
        items.append(
            {
                "key": f"rule:{rule_id}",
                "title": rule_id,  # readers of the old item shape show the rule id
                "rule": rule_id,
                "severity": worst if mine else setting["severity"],
                "passed": not mine,
                "count": len(mine),
                "counts": counts,
                "features": features,
                "params": dict(setting.get("params") or {}),
            }
        )
    return items


def standards_items(
    session: Session,
    compound: str,
    analysis: Mapping[str, Any],
    check: Mapping[str, Any],
    rules: Mapping[str, Mapping[str, Any]],
    *,
    today: date,
) -> list[dict[str, Any]]:
    """Rule results plus the old checklist items no rule covers (module docstring)."""
    comp = get_compound(session, compound)
    items = rule_items(comp.code, check, rules)
    old = {i["key"]: i for i in checklist(session, compound, analysis, today=today)}
    for key in KEPT_ITEMS:
        item = old[key]
        value = dict(item["value"] or {})
        items.append(
            {
                "key": key,
                "rule": None,
                "severity": "warning",
                "passed": item["passed"],
                "count": 0 if item["passed"] else 1,
                "counts": {} if item["passed"] else {"warning": 1},
                "features": [],
                "params": value,
            }
        )
    return items


def standards_score(items: Sequence[Mapping[str, Any]]) -> float:
    """Share of items passing, 0–100 (whole numbers, as the weighted score)."""
    return float(round(100.0 * sum(1 for i in items if i["passed"]) / len(items))) if items else 0.0


def standards_passed(items: Sequence[Mapping[str, Any]]) -> bool:
    """No ``error`` item fails: the compound meets the standard."""
    return not any(i["severity"] == "error" and not i["passed"] for i in items)


def run_inspection(
    session: Session,
    compound: str,
    analysis: Mapping[str, Any],
    *,
    inspector: str,
    today: date | None = None,
    notes: str | None = None,
    actor: str | None = None,
    check: Mapping[str, Any] | None = None,
    rules: Mapping[str, Mapping[str, Any]] | None = None,
    item_notes: Mapping[str, str] | None = None,
    request_key: str | None = None,
) -> Inspection:
    """Run the checklist and record the inspection (items, score, pass/fail).

    With ``check`` (and the profile's ``rules``) the items are the rule results
    (module docstring); without, the weighted checklist. ``item_notes`` (item
    key → the inspector's note) adds ``note`` to those items (blank notes add
    nothing; an unknown key is refused). ``request_key`` makes the call
    idempotent: an inspection of the compound already recorded with that key is
    returned and nothing is written (the web's form token; docs/web.md).
    """
    set_actor(session, actor)
    if not inspector or not inspector.strip():
        raise UsageError(msg("an inspection needs an inspector"))
    day = today or date.today()
    comp = get_compound(session, compound)
    if request_key is not None:
        found = inspection_by_request_key(session, compound, request_key)
        if found is not None:
            return found
    if check is not None:
        items = standards_items(session, compound, analysis, check, rules or {}, today=day)
        score, passed = standards_score(items), standards_passed(items)
    else:
        items = checklist(session, compound, analysis, today=day)
        score, passed = score_of(items), passed_of(items)
    _add_notes(items, item_notes or {})
    inspection = Inspection(
        compound=comp,
        date=day,
        inspector=inspector.strip(),
        items=items,
        score=score,
        passed=passed,
        notes=notes,
        request_key=request_key,
    )
    session.add(inspection)
    session.flush()
    return inspection


def _add_notes(items: list[dict[str, Any]], notes: Mapping[str, str]) -> None:
    by_key = {i["key"]: i for i in items}
    unknown = sorted(set(notes) - set(by_key))
    if unknown:
        raise UsageError(
            msg(
                "no inspection item %(unknown)s (items: %(items)s)",
                unknown=list(unknown),
                items=list(by_key),
            )
        )
    for key, note in notes.items():
        if note and note.strip():
            by_key[key]["note"] = note.strip()


def inspection_by_request_key(session: Session, compound: str, key: str) -> Inspection | None:
    """The compound's inspection recorded with ``request_key`` ``key``, if any."""
    comp = get_compound(session, compound)
    return session.scalar(
        select(Inspection).where(Inspection.compound_id == comp.id, Inspection.request_key == key)
    )


def list_inspections(session: Session, compound: str | None = None) -> Sequence[Inspection]:
    """Inspections (of one compound or all), newest first."""
    stmt = select(Inspection).order_by(Inspection.date.desc(), Inspection.id.desc())
    if compound:
        stmt = stmt.where(Inspection.compound_id == get_compound(session, compound).id)
    return session.scalars(stmt).all()


def latest_inspection(session: Session, compound: str) -> Inspection | None:
    """The compound's most recent inspection, if any."""
    found = list_inspections(session, compound)
    return found[0] if found else None
