"""Rectification items from a standards check (docs/standards.md, docs/registry.md).

:func:`problems_from_findings` takes the docs/site-format.md §7 JSON object of
``camwatch check`` (plain data: the registry does not import the standards
package) and keeps one problem per rule × features:

* its stable key is ``ref_key = "finding:<RULE>:<feature>|<feature>..."``
  (``finding:<RULE>:`` for a site-level finding); several findings with the
  same key (e.g. two blind stretches about no feature) share one problem;
* a key with an unresolved problem (open, in progress, reopened) creates
  nothing, so running it twice on the same check is idempotent;
* a ``fixed`` problem is re-checked by the run: its key still found → the
  re-check fails and it is reopened with the new deadline; no longer found →
  the re-check passes and it is verified (closed);
* an unresolved problem whose key is no longer found is listed as a
  candidate for re-checking, not closed (nobody has said it is fixed);
* ``keys`` limits a run to those keys (the web's "open problem" per
  finding): problems of other keys are left alone, not verified.

Problems carry source ``analysis`` (a standards check is an analysis of the
compound; the problem sources are a database constraint).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from camwatch.errors import UsageError
from camwatch.i18n import Bilingual, Message, msg
from camwatch.model import SEVERITIES, UNRESOLVED_PROBLEM_STATUSES
from camwatch.registry.audit import set_actor
from camwatch.registry.compounds import get_compound
from camwatch.registry.ledger_notes import no_longer_finds_result, still_finds_result
from camwatch.registry.problems import list_problems, open_problem, recheck

FINDING_KEY_PREFIX = "finding:"
MAX_KEY = 300  # the ref_key column's length


def finding_key(finding: Mapping[str, Any]) -> str:
    """The stable key of a finding's problem: rule and features."""
    key = f"{FINDING_KEY_PREFIX}{finding['rule']}:" + "|".join(map(str, finding["features"]))
    if len(key) > MAX_KEY:
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
        key = key[: MAX_KEY - 17] + "#" + digest
    return key


def _check_report(compound: str, report: Any) -> list[Mapping[str, Any]]:
    if not isinstance(report, Mapping) or not isinstance(report.get("findings"), list):
        raise UsageError(msg("findings must be the JSON object of `camwatch check --json`"))
    if report.get("site") not in (None, compound):
        raise UsageError(
            msg(
                "the check is of site %(site)s, not of %(compound)s",
                site=repr(report.get("site")),
                compound=repr(compound),
            )
        )
    for f in report["findings"]:
        if not isinstance(f, Mapping) or not {"rule", "features", "severity"} <= set(f):
            raise UsageError(
                msg("finding %(finding)s lacks rule, features or severity", finding=repr(f))
            )
    return list(report["findings"])


def _words(f: Mapping[str, Any]) -> Message:
    """A finding's problem description, in the reader's language: the rule, the finding's
    message and its suggested fix as the rule words them in Chinese and in English."""
    message = f.get("message") or {}
    finding = Bilingual(str(message.get("zh") or ""), str(message.get("en") or f["rule"]))
    if f.get("fix"):
        fix = Bilingual(str(f.get("fix_zh") or ""), str(f["fix"]))
        return msg("[%(rule)s] %(finding)s. Fix: %(fix)s", rule=f["rule"], finding=finding, fix=fix)
    rule = f["rule"]
    return msg("%(finding)s", finding=Bilingual(f"[{rule}] {finding.zh}", f"[{rule}] {finding.en}"))


def _description(f: Mapping[str, Any]) -> str:
    message = f.get("message") or {}
    text = f"[{f['rule']}] {message.get('en') or f['rule']}"
    if message.get("zh"):
        text += f" / {message['zh']}"
    if f.get("fix"):
        text += f". Fix: {f['fix']}"
    return text


def problems_from_findings(
    session: Session,
    compound: str,
    report: Mapping[str, Any],
    *,
    deadline_days: int,
    min_severity: str = "warning",
    responsible_unit: str | None = None,
    responsible_person: str | None = None,
    today: date | None = None,
    actor: str | None = None,
    keys: Collection[str] | None = None,
) -> dict[str, list[int]]:
    """Open, reopen or verify problems so the ledger follows the check (module docstring).

    Returns problem numbers: ``created``, ``existing``, ``reopened``, ``verified``
    and ``resolved_candidates``. Findings less severe than ``min_severity`` are skipped;
    with ``keys``, only problems of those keys (:func:`finding_key`) are touched.
    """
    set_actor(session, actor)
    if isinstance(deadline_days, bool) or not isinstance(deadline_days, int) or deadline_days < 0:
        raise UsageError(
            msg(
                "deadline days must be a whole number ≥ 0, got %(value)s", value=repr(deadline_days)
            )
        )
    if min_severity not in SEVERITIES:
        raise UsageError(
            msg(
                "unknown severity %(value)s (one of: %(allowed)s)",
                value=repr(min_severity),
                allowed=list(SEVERITIES),
            )
        )
    comp = get_compound(session, compound)
    findings = _check_report(comp.code, report)
    rank = SEVERITIES.index(min_severity)
    day = today or date.today()
    deadline = day + timedelta(days=deadline_days)

    wanted: dict[str, Mapping[str, Any]] = {}
    for f in findings:
        if f["severity"] in SEVERITIES and SEVERITIES.index(f["severity"]) <= rank:
            wanted.setdefault(finding_key(f), f)
    scope = None if keys is None else set(keys)
    if scope is not None:
        wanted = {k: f for k, f in wanted.items() if k in scope}

    mine = [
        p
        for p in list_problems(session, compound=compound)
        if (p.ref_key or "").startswith(FINDING_KEY_PREFIX)
        and (scope is None or p.ref_key in scope)
    ]
    unresolved = {p.ref_key or "": p for p in mine if p.status in UNRESOLVED_PROBLEM_STATUSES}
    fixed = {p.ref_key or "": p for p in mine if p.status == "fixed"}
    out: dict[str, list[int]] = {
        "created": [],
        "existing": [],
        "reopened": [],
        "verified": [],
        "resolved_candidates": [],
    }
    profile = report.get("profile")
    for key, f in wanted.items():
        if key in unresolved:
            out["existing"].append(unresolved[key].id)
        elif key in fixed:
            problem = recheck(
                session,
                fixed[key].id,
                passed=False,
                result=still_finds_result(str(profile), _description(f)),
                on=day,
                new_deadline=deadline,
                actor=actor,
            )
            out["reopened"].append(problem.id)
        else:
            problem = open_problem(
                session,
                compound,
                description=_words(f),
                deadline=deadline,
                source="analysis",
                responsible_unit=responsible_unit,
                responsible_person=responsible_person,
                ref_key=key,
                reference={"type": "finding", "profile": profile, **dict(f)},
                today=day,
                actor=actor,
            )
            out["created"].append(problem.id)
    for fixed_key, p in fixed.items():
        if fixed_key not in wanted:
            recheck(
                session,
                p.id,
                passed=True,
                result=no_longer_finds_result(str(profile)),
                on=day,
                actor=actor,
            )
            out["verified"].append(p.id)
    out["resolved_candidates"] = [p.id for k, p in unresolved.items() if k not in wanted]
    return out
