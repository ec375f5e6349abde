"""Problems from a coverage analysis: a blind spot or a zone below its level becomes a
rectification item, matched to the open ones so a re-analysis does not duplicate them
(:func:`problems_from_analysis`; the rules in :mod:`camwatch.registry.problems`)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from camwatch.errors import UsageError
from camwatch.i18n import Message, msg, term_msg
from camwatch.registry.audit import set_actor
from camwatch.registry.compounds import get_compound
from camwatch.registry.finding_match import (
    BLIND_SPOT_KEY,
    ZONE_KEY_PREFIX,
    blind_spot_key,
    match_blind_spot,
    open_findings,
    outline_of,
    stored_outline,
)
from camwatch.registry.models import Compound, Problem
from camwatch.registry.problems import list_problems, open_problem, zone_names


def _pct(x: float) -> str:
    return f"{100.0 * x:.1f} %"


def blind_spot_message(spot: Mapping[str, Any]) -> Message:
    """A blind-spot problem's description, to word in the reader's language."""
    cx, cy = spot["centroid"]
    zones = list(spot.get("zones") or [])
    at = {
        "area": format(float(spot["area_m2"]), ".1f"),
        "x": format(float(cx), ".1f"),
        "y": format(float(cy), ".1f"),
    }
    label = msg("Blind spot %(id)s", id=spot["id"]) if spot.get("id") else msg("Blind spot")
    if zones:
        return msg(
            "%(label)s: %(area)s m² not watched by any camera around (%(x)s, %(y)s) "
            "(zones: %(zones)s)",
            label=label,
            zones=zones,
            **at,
        )
    return msg(
        "%(label)s: %(area)s m² not watched by any camera around (%(x)s, %(y)s)",
        label=label,
        **at,
    )


def blind_spot_reference(spot: Mapping[str, Any]) -> dict[str, Any]:
    """What a blind-spot problem stores of its spot (outline included when given)."""
    reference: dict[str, Any] = {
        "type": "blind_spot",
        "id": spot.get("id"),
        "area_m2": float(spot["area_m2"]),
        "centroid": [float(v) for v in spot["centroid"]],
        "zones": list(spot.get("zones") or []),
    }
    if spot.get("label_point") is not None:
        reference["label_point"] = [float(v) for v in spot["label_point"]]
    outline = outline_of(spot)
    if outline is not None:
        reference["geometry"] = stored_outline(outline)
    return reference


def zone_message(zone: Mapping[str, Any]) -> Message:
    """A failing zone's problem description, to word in the reader's language."""
    return msg(
        "Zone '%(name)s' (%(zone_type)s) reaches %(level)s on %(share)s of its %(area)s m²; "
        "at least 98.0 %% is required",
        name=zone["name"],
        zone_type=term_msg("plan", str(zone.get("zone_type") or "other").replace("_", " ")),
        level=term_msg("plan", str(zone.get("required_level") or "detection")),
        share=_pct(float(zone["ratio"])),
        area=format(float(zone.get("area_m2", 0.0)), ".1f"),
    )


def _check_analysis(compound: Compound, analysis: Mapping[str, Any]) -> None:
    if not isinstance(analysis, Mapping):
        raise UsageError(msg("analysis must be the JSON object of `camwatch analyze --json`"))
    for key in ("blind_spots", "zones"):
        if not isinstance(analysis.get(key), list):
            raise UsageError(
                msg(
                    "analysis has no %(key)s list (is it `camwatch analyze --json`?)",
                    key=repr(key),
                )
            )
    site = analysis.get("site")
    if site is not None and site != compound.code:
        raise UsageError(
            msg(
                "analysis is of site %(site)s, not of compound %(code)s",
                site=repr(site),
                code=repr(compound.code),
            )
        )
    for spot in analysis["blind_spots"]:
        centroid = spot.get("centroid") if isinstance(spot, Mapping) else None
        if not isinstance(centroid, list | tuple) or len(centroid) != 2 or "area_m2" not in spot:
            raise UsageError(
                msg(
                    "analysis blind spot %(spot)s lacks area_m2 or centroid [x, y]",
                    spot=repr(spot),
                )
            )


def problems_from_analysis(
    session: Session,
    compound: str,
    analysis: Mapping[str, Any],
    *,
    deadline_days: int,
    responsible_unit: str | None = None,
    responsible_person: str | None = None,
    today: date | None = None,
    actor: str | None = None,
) -> dict[str, list[int]]:
    """One problem per blind spot and per failing zone, skipping those already open.

    Returns ``{"created": [...], "existing": [...], "resolved_candidates": [...]}``
    (problem numbers); the last lists unresolved analysis problems this analysis
    no longer shows — candidates for a re-check, not closed automatically.

    Matching an unresolved problem (statuses open, in_progress, reopened):

    * a failing zone by its name (``ref_key = "zone:<name>"``);
    * a blind spot by :func:`match_blind_spot`: a not-yet-verified blind-spot
      problem whose stored outline overlaps the new spot with IoU ≥ 0.5, or whose
      stored label point lies inside it (best overlap first, each matched at
      most once); when an outline is missing on either side (the spot has no
      ``geometry``, or the problem predates stored outlines) its centroid within
      ``max(1 m, 0.5·√area)`` of the new one.  Re-running the same analysis
      therefore creates nothing.  A problem that is fixed but not yet re-checked
      still holds its finding (docs/registry.md, "One problem per finding").
    """
    set_actor(session, actor)
    if isinstance(deadline_days, bool) or not isinstance(deadline_days, int) or deadline_days < 0:
        raise UsageError(
            msg(
                "deadline days must be a whole number ≥ 0, got %(value)s", value=repr(deadline_days)
            )
        )
    comp = get_compound(session, compound)
    _check_analysis(comp, analysis)
    day = today or date.today()
    deadline = day + timedelta(days=deadline_days)
    unresolved = list_problems(session, compound=compound, unresolved=True)
    held = open_findings(session, comp)
    zone_open = {p.open_key: p for p in held if (p.open_key or "").startswith(ZONE_KEY_PREFIX)}
    created: list[Problem] = []
    existing: list[int] = []
    matched_ids: set[int] = set()

    common: dict[str, Any] = {
        "source": "analysis",
        "responsible_unit": responsible_unit,
        "responsible_person": responsible_person,
        "deadline": deadline,
        "today": day,
        "actor": actor,
    }
    spots = sorted(analysis["blind_spots"], key=lambda s: -float(s["area_m2"]))
    for spot in spots:
        match = match_blind_spot(held, spot, skip=matched_ids)
        if match is not None:
            matched_ids.add(match.id)
            existing.append(match.id)
            continue
        reference = blind_spot_reference(spot)
        zones = reference["zones"]
        problem = open_problem(
            session,
            compound,
            description=blind_spot_message(spot),
            zone=zones[0] if len(zones) == 1 and zones[0] in zone_names(comp) else None,
            ref_key=blind_spot_key(reference["centroid"]),
            reference=reference,
            **common,
        )
        held.append(problem)
        matched_ids.add(problem.id)
        created.append(problem)
    failing = [z for z in analysis["zones"] if not z.get("pass", True)]
    for zone in failing:
        key = f"{ZONE_KEY_PREFIX}{zone['name']}"
        if key in zone_open:
            existing.append(zone_open[key].id)
            matched_ids.add(zone_open[key].id)
            continue
        reference = {
            "type": "zone",
            "name": zone["name"],
            "zone_type": zone.get("zone_type"),
            "required_level": zone.get("required_level"),
            "ratio": zone.get("ratio"),
            "area_m2": zone.get("area_m2"),
        }
        problem = open_problem(
            session,
            compound,
            description=zone_message(zone),
            zone=zone["name"] if zone["name"] in zone_names(comp) else None,
            ref_key=key,
            reference=reference,
            **common,
        )
        zone_open[key] = problem
        created.append(problem)
    candidates = [
        p.id
        for p in unresolved
        if p.source == "analysis"
        and (p.ref_key or "").startswith((BLIND_SPOT_KEY, ZONE_KEY_PREFIX))
        and p.id not in matched_ids
    ]
    return {
        "created": [p.id for p in created],
        "existing": existing,
        "resolved_candidates": candidates,
    }
