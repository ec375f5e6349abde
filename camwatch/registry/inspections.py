"""Inspection against the safe-compound checklist: items, score, pass/fail.

The checklist (weights add up to 100; an item scores its weight when it passes):

==================  ======  ==========================================================
key                 weight  passes when
==================  ======  ==========================================================
coverage            30      the analysis is compliant: every zone reaches its level
blind_spots         10      the analysis finds no blind spot (≥ 1 m²)
device_health       20      ≥ 95 % of installed cameras (active/faulty/offline) are active
problems            15      no rectification item is overdue
access_control      15      every gate in service has access control (not ``none``) and
                            is active; a compound without gates fails
perimeter_alarms    10      ≥ 90 % of the boundary's outer line lies within 2 m of an
                            active alarm line, or of a gate (a gate closes its stretch)
==================  ======  ==========================================================

The inspection **passes** when the score is at least 80 *and* the coverage item
passes ("full coverage of key areas" is the programme's core demand).

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

The coverage analysis is computed by the caller (the registry does not import
the geometry engine) from the compound's current export, counting active
cameras only, and passed in as the docs/site-format.md §3 JSON object; it is refused
if it is of another site or of a different set of cameras.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from shapely.geometry import shape
from shapely.ops import unary_union
from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.model import SEVERITIES
from camwatch.registry.audit import set_actor
from camwatch.registry.compounds import export_site, get_compound
from camwatch.registry.models import Inspection
from camwatch.registry.problems import is_overdue, list_problems

WEIGHTS: dict[str, int] = {
    "coverage": 30,
    "blind_spots": 10,
    "device_health": 20,
    "problems": 15,
    "access_control": 15,
    "perimeter_alarms": 10,
}
PASS_SCORE = 80.0
MIN_ACTIVE_CAMERA_SHARE = 0.95
PERIMETER_ALARM_DISTANCE_M = 2.0
MIN_PERIMETER_ALARM_SHARE = 0.90

TITLES: dict[str, str] = {
    "coverage": "Coverage compliance (every zone at its DORI level)",
    "blind_spots": "No blind spots",
    "device_health": "Device health (cameras in working order)",
    "problems": "No overdue rectification items",
    "access_control": "Access control at every gate",
    "perimeter_alarms": "Alarms along the perimeter",
}


def _item(key: str, passed: bool, detail: str, value: Any = None) -> dict[str, Any]:
    return {
        "key": key,
        "title": TITLES[key],
        "weight": WEIGHTS[key],
        "passed": bool(passed),
        "detail": detail,
        "value": value,
    }


def checklist(
    session: Session, compound: str, analysis: Mapping[str, Any], *, today: date
) -> list[dict[str, Any]]:
    """The checklist items for a compound (nothing is written)."""
    comp = get_compound(session, compound)
    site = export_site(session, compound)
    _check_analysis(comp.code, analysis, [c.id for c in site.cameras if c.status == "active"])
    devices = [d for d in comp.devices if d.status != "retired"]
    items = []

    zones = analysis["zones"]
    passing = sum(1 for z in zones if z.get("pass"))
    failing = [z["name"] for z in zones if not z.get("pass")]
    detection = analysis.get("levels", {}).get("detection", {}).get("ratio")
    detail = f"{passing} of {len(zones)} zones reach their required level"
    if failing:
        detail += f"; failing: {', '.join(failing)}"
    items.append(
        _item(
            "coverage",
            bool(analysis.get("compliant")),
            detail,
            {"zones_passing": passing, "zones": len(zones), "detection_ratio": detection},
        )
    )

    spots = analysis["blind_spots"]
    spot_area = round(sum(float(s["area_m2"]) for s in spots), 2)
    items.append(
        _item(
            "blind_spots",
            not spots,
            f"{len(spots)} blind spot(s), {spot_area:.1f} m² unwatched" if spots else "none",
            {"count": len(spots), "area_m2": spot_area},
        )
    )

    installed = [
        d for d in devices if d.kind == "camera" and d.status in ("active", "faulty", "offline")
    ]
    active = [d for d in installed if d.status == "active"]
    share = len(active) / len(installed) if installed else 0.0
    broken = sorted(d.code for d in installed if d.status != "active")
    detail = f"{len(active)} of {len(installed)} installed cameras active ({100 * share:.1f} %)"
    if broken:
        detail += f"; not working: {', '.join(broken)}"
    items.append(
        _item(
            "device_health",
            bool(installed) and share >= MIN_ACTIVE_CAMERA_SHARE,
            detail if installed else "no installed cameras",
            {"active": len(active), "installed": len(installed), "share": round(share, 6)},
        )
    )

    unresolved = list_problems(session, compound=compound, unresolved=True)
    overdue = [p for p in unresolved if is_overdue(p, today)]
    detail = f"{len(unresolved)} open, {len(overdue)} overdue"
    if overdue:
        detail += f" (#{', #'.join(str(p.id) for p in overdue)})"
    items.append(
        _item(
            "problems",
            not overdue,
            detail,
            {"open": len(unresolved), "overdue": len(overdue)},
        )
    )

    gates = [d for d in devices if d.kind == "gate" and d.status != "planned"]
    lacking = sorted(
        d.code
        for d in gates
        if d.status != "active" or (d.properties or {}).get("access_control", "none") == "none"
    )
    if not gates:
        detail = "no gate registered"
    elif lacking:
        detail = (
            f"{len(gates) - len(lacking)} of {len(gates)} gates controlled; lacking: "
            + ", ".join(lacking)
        )
    else:
        detail = f"all {len(gates)} gates have working access control"
    items.append(
        _item(
            "access_control",
            bool(gates) and not lacking,
            detail,
            {"gates": len(gates), "lacking": lacking},
        )
    )

    ring = site.boundary.exterior
    alarms = [
        shape(d.geometry)
        for d in devices
        if d.kind == "alarm" and d.status == "active" and d.geometry.get("type") == "LineString"
    ]
    gate_geoms = [shape(d.geometry) for d in gates]
    alarmed = (
        ring.intersection(unary_union(alarms).buffer(PERIMETER_ALARM_DISTANCE_M)).length
        if alarms
        else 0.0
    )
    guarded = (
        ring.intersection(
            unary_union(alarms + gate_geoms).buffer(PERIMETER_ALARM_DISTANCE_M)
        ).length
        if alarms
        else 0.0
    )
    share = guarded / ring.length if ring.length > 0 else 0.0
    items.append(
        _item(
            "perimeter_alarms",
            share >= MIN_PERIMETER_ALARM_SHARE,
            f"{100 * share:.1f} % of the {ring.length:.0f} m perimeter guarded "
            f"({alarmed:.0f} m by {len(alarms)} alarm line(s), the rest by gates)"
            if alarms
            else "no active perimeter alarm line",
            {
                "perimeter_m": round(ring.length, 2),
                "guarded_m": round(guarded, 2),
                "share": round(share, 6),
            },
        )
    )
    return items


def _check_analysis(code: str, analysis: Mapping[str, Any], active_cameras: Sequence[str]) -> None:
    if not isinstance(analysis, Mapping):
        raise UsageError(msg("analysis must be the JSON object of `camwatch analyze --json`"))
    for key, kind in (("zones", list), ("blind_spots", list), ("cameras", list)):
        if not isinstance(analysis.get(key), kind):
            raise UsageError(
                msg(
                    "analysis has no %(key)s list (is it `camwatch analyze --json`?)",
                    key=repr(key),
                )
            )
    if analysis.get("site") not in (None, code):
        raise UsageError(
            msg(
                "analysis is of site %(site)s, not of compound %(code)s",
                site=repr(analysis.get("site")),
                code=repr(code),
            )
        )
    counted = {c["id"] for c in analysis["cameras"] if c.get("status") == "active"}
    if counted != set(active_cameras):
        raise UsageError(
            msg(
                "analysis does not match the ledger's active cameras of %(code)s "
                "(re-run it on the current export)",
                code=repr(code),
            )
        )


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


def score_of(items: Sequence[Mapping[str, Any]]) -> float:
    """Sum of the weights of the passing items (0–100)."""
    return float(sum(i["weight"] for i in items if i["passed"]))


def passed_of(items: Sequence[Mapping[str, Any]]) -> bool:
    """Score ≥ PASS_SCORE and coverage compliance passed."""
    coverage = next((i for i in items if i["key"] == "coverage"), None)
    return score_of(items) >= PASS_SCORE and bool(coverage and coverage["passed"])


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
