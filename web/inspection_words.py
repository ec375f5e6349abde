"""An inspection's items in the reader's language (docs/standards.md, docs/web.md).

A recorded inspection keeps data, not sentences: a rule result is the rule
id, its severity, whether it passed, the count of findings, the features and
the profile's parameters; a kept checklist item (``blind_spots``,
``device_health``, ``problems``) its numbers. :func:`item_rows` words them when
a page is shown — title, clause and details from the catalogue, in the page's
language — so one record reads in Chinese and in English. Inspections recorded
before rule results (the weighted checklist: items with a ``weight``) are
shown as they were (:func:`is_rule_results`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from camwatch.standards import RULES
from web.findings_words import TITLES, clause_text
from web.i18n import gettext as _
from web.templating import CHECK_LABELS

SEVERITY_ONE = {"error": _l("Error"), "warning": _l("Warning"), "info": _l("Info")}
NOTE_MAX = 1000  # characters of an item's note (the overall remark: 4000)


def is_rule_results(items: Sequence[Mapping[str, Any]]) -> bool:
    """True for items recorded as rule results (they carry ``severity``, not ``weight``)."""
    return bool(items) and all("severity" in i and "weight" not in i for i in items)


def items_digest(items: Sequence[Mapping[str, Any]]) -> str:
    """A short digest of items (what the inspector was shown; notes left out)."""
    plain = [{k: v for k, v in i.items() if k != "note"} for i in items]
    return hashlib.sha256(json.dumps(plain, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _kept_detail(key: str, passed: bool, p: Mapping[str, Any]) -> str:
    if key == "blind_spots":
        if passed:
            return _("No blind spot.")
        return _(
            "%(count)d blind spot(s), %(area).1f m² unwatched",
            count=int(p.get("count", 0)),
            area=float(p.get("area_m2", 0.0)),
        )
    if key == "device_health":
        return _(
            "%(active)d of %(installed)d installed cameras active (%(share).1f %%)",
            active=int(p.get("active", 0)),
            installed=int(p.get("installed", 0)),
            share=100.0 * float(p.get("share", 0.0)),
        )
    if key == "problems":
        return _(
            "%(open)d open, %(overdue)d overdue",
            open=int(p.get("open", 0)),
            overdue=int(p.get("overdue", 0)),
        )
    return ""


def checklist_detail(item: Mapping[str, Any]) -> str:
    """An item of the weighted checklist (inspections recorded before rule results), worded
    in the page language from its stored ``value``; the stored English only if it has none."""
    key, value = str(item.get("key", "")), item.get("value")
    if not isinstance(value, Mapping):
        return str(item.get("detail") or "")
    passed = bool(item.get("passed"))
    if key == "coverage":
        return _(
            "%(passing)d of %(zones)d zones reach their required level",
            passing=int(value.get("zones_passing", 0)),
            zones=int(value.get("zones", 0)),
        )
    if key == "access_control":
        gates, lacking = int(value.get("gates", 0)), list(value.get("lacking") or [])
        if not gates:
            return _("no gate registered")
        return _(
            "%(ok)d of %(gates)d gates have working access control",
            ok=gates - len(lacking),
            gates=gates,
        )
    if key == "perimeter_alarms":
        return _(
            "%(share).1f %% of the %(length).0f m perimeter guarded",
            share=100.0 * float(value.get("share", 0.0)),
            length=float(value.get("perimeter_m", 0.0)),
        )
    return _kept_detail(key, passed, value)


def _params(p: Mapping[str, Any]) -> list[str]:
    def show(v: Any) -> str:
        if isinstance(v, list):
            return ", ".join(str(x) for x in v)
        if isinstance(v, float):
            return f"{v:g}"
        return str(v)

    return [f"{k} = {show(v)}" for k, v in p.items()]


def item_rows(
    items: Sequence[Mapping[str, Any]],
    lang: str,
    findings: Sequence[Mapping[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Display rows for rule-result items, worded in ``lang`` (``zh`` or ``en``).

    With ``findings`` (the check's findings, on the inspection page before it
    is recorded) each rule row also lists its findings' messages.
    """
    rows = []
    for item in items:
        rule_id = item.get("rule")
        key = str(item["key"])
        if rule_id:
            known = RULES.get(rule_id)
            title = str(TITLES.get(rule_id, rule_id))
            clause = clause_text(known.clause) if known is not None else ""
            detail = (
                _("%(n)d finding(s)", n=int(item.get("count", 0)))
                if not item["passed"]
                else _("No finding.")
            )
            params = _params(item.get("params") or {})
        else:
            title, clause, params = str(CHECK_LABELS.get(key, key)), "", []
            detail = _kept_detail(key, bool(item["passed"]), item.get("params") or {})
        messages = [
            f["message"].get(lang) or f["message"].get("zh") or ""
            for f in findings or ()
            if rule_id and f.get("rule") == rule_id
        ]
        rows.append(
            {
                "key": key,
                "rule": rule_id,
                "title": title,
                "severity": item["severity"],
                "severity_label": str(SEVERITY_ONE.get(item["severity"], item["severity"])),
                "passed": bool(item["passed"]),
                "count": int(item.get("count", 0)),
                "clause": clause,
                "detail": detail,
                "features": list(item.get("features") or []),
                "params": params,
                "messages": messages,
                "note": item.get("note") or "",
            }
        )
    return rows
