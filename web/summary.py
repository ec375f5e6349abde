"""Numbers about a compound for lists, overviews and the district dashboard.

``compound_status`` gathers, for one compound: the coverage analysis (cached),
the *key area* left uncovered (zone area not reaching the zone's required
level — what the programme calls key areas: entrances, perimeter, parking…),
device health, open and overdue problems, the latest inspection and, on
request, the live inspection checklist (the registry's own checklist run on
today's state without recording anything). A compound **meets the standard**
when that live checklist passes (score ≥ 80 and every zone compliant); the
district share is counted on this.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from flask import current_app

from camwatch.model import DEVICE_KINDS
from camwatch.registry.inspections import checklist, latest_inspection, passed_of, score_of
from camwatch.registry.models import Compound
from camwatch.registry.problems import is_overdue, list_problems
from web.cache import cache_for
from web.db import db_session
from web.ledger import analysis_of, state_key


def uncovered_key_area(zones: list[dict[str, Any]]) -> float:
    """Zone area (m²) that does not reach the zone's required DORI level."""
    return sum(max(float(z["area_m2"]) - float(z["covered_m2"]), 0.0) for z in zones)


def health_of(compound: Compound) -> dict[str, Counter[str]]:
    """Device counts by kind and status (retired excluded)."""
    out: dict[str, Counter[str]] = {k: Counter() for k in DEVICE_KINDS}
    for device in compound.devices:
        if device.status != "retired":
            out.setdefault(device.kind, Counter())[device.status] += 1
    return out


def live_checklist(
    compound: Compound, summary: dict[str, Any], today: date
) -> list[dict[str, Any]]:
    """The inspection checklist on today's state (cached per state, day and problem deadlines)."""
    session = db_session()
    problems = list_problems(session, compound=compound.code)
    pkey = tuple((p.id, p.status, p.deadline.isoformat()) for p in problems)
    key = ("checklist", state_key(compound), today.isoformat(), pkey)
    return cache_for(current_app).get_or_compute(
        key, lambda: checklist(session, compound.code, summary, today=today)
    )


def compound_status(compound: Compound, *, with_checklist: bool = True) -> dict[str, Any]:
    """Everything the lists and dashboards show about one compound."""
    today = date.today()
    result = analysis_of(compound)
    summary = result.analysis.to_dict()
    problems = list_problems(db_session(), compound=compound.code, unresolved=True)
    overdue = [p for p in problems if is_overdue(p, today)]
    cams = Counter(d.status for d in compound.devices if d.kind == "camera")
    installed = cams["active"] + cams["faulty"] + cams["offline"]
    zones = summary["zones"]
    status: dict[str, Any] = {
        "compound": compound,
        "summary": summary,
        "compliant": summary["compliant"],
        "detection": summary["levels"]["detection"]["ratio"],
        "blind_spots": len(summary["blind_spots"]),
        "blind_area": sum(s["area_m2"] for s in summary["blind_spots"]),
        "key_uncovered": round(uncovered_key_area(zones), 2),
        "zones_pass": sum(1 for z in zones if z["pass"]),
        "zones": len(zones),
        "cameras": cams,
        "cameras_installed": installed,
        "camera_health": (cams["active"] / installed) if installed else None,
        "open_problems": len(problems),
        "overdue_problems": len(overdue),
        "last_inspection": latest_inspection(db_session(), compound.code),
    }
    if with_checklist:
        items = live_checklist(compound, summary, today)
        status["checklist"] = items
        status["score"] = score_of(items)
        status["meets_standard"] = passed_of(items)
    return status
