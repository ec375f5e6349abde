"""Problems opened from the findings of an analysis: which finding is meant, which findings
already hold a problem, opening one (docs/registry.md, "One problem per finding").

The finding is looked up in the current analysis on the server, never taken from the
client. Used by the analysis page, the map's "create problem" and its routes
(:mod:`web.analysis`).
"""

from __future__ import annotations

from typing import Any

from flask import g
from shapely.geometry import mapping
from sqlalchemy.exc import IntegrityError

from camwatch.errors import UsageError
from camwatch.registry.analysis_problems import (
    blind_spot_message,
    blind_spot_reference,
    zone_message,
)
from camwatch.registry.finding_match import (
    ZONE_KEY_PREFIX,
    blind_spot_key,
    match_blind_spot,
    open_findings,
)
from camwatch.registry.problems import DuplicateProblemError, open_problem
from web.db import db_session
from web.summary import analysis_or_422


def _spot_dict(spot: Any) -> dict[str, Any]:
    """A blind spot of an analysis with its outline, as the registry matches it."""
    return {
        "id": spot.id,
        "area_m2": spot.area_m2,
        "centroid": list(spot.centroid),
        "label_point": list(spot.label_point),
        "zones": list(spot.zones),
        "geometry": mapping(spot.geometry),
    }


def held_findings(compound: Any, analysis: Any) -> dict[str, int]:
    """Problems already holding a finding: ``zone:<name>`` and ``spot:<B-id>`` → number.

    Blind spots are matched as ``problems from-analysis`` matches them
    (docs/registry.md, "One problem per finding"), largest spot first.
    """
    held = open_findings(db_session(), compound)
    refs = {str(p.open_key): p.id for p in held if (p.open_key or "").startswith(ZONE_KEY_PREFIX)}
    taken: set[int] = set()
    for spot in sorted(analysis.blind_spots, key=lambda b: -b.area_m2):
        match = match_blind_spot(held, _spot_dict(spot), skip=taken)
        if match is not None:
            taken.add(match.id)
            refs[f"spot:{spot.id}"] = match.id
    return refs


def finding_of(compound: Any, *, blind_spot: str | None, zone: str | None) -> dict[str, Any]:
    """The blind spot or failing zone named, from the current analysis (404 if gone)."""
    analysis = analysis_or_422(compound).figures
    summary = analysis.to_dict()
    if blind_spot:
        spot = next((s for s in summary["blind_spots"] if s["id"] == blind_spot), None)
        if spot is None:
            raise UsageError(f"the current analysis has no blind spot {blind_spot!r}; re-run it")
        zones = spot["zones"]
        refs = held_findings(compound, analysis)
        if f"spot:{blind_spot}" in refs:
            pid = refs[f"spot:{blind_spot}"]
            raise DuplicateProblemError(f"already in the problem list: #{pid}", pid)
        shape_of = next(b for b in analysis.blind_spots if b.id == blind_spot)
        reference = blind_spot_reference(_spot_dict(shape_of))
        return {
            "ref_key": blind_spot_key(reference["centroid"]),
            "reference": reference,
            "zone": zones[0] if len(zones) == 1 else None,
            "message": blind_spot_message(spot),
        }
    if zone:
        found = next((z for z in summary["zones"] if z["name"] == zone), None)
        if found is None:
            raise UsageError(f"compound {compound.code!r} has no zone {zone!r}")
        return {
            "ref_key": f"{ZONE_KEY_PREFIX}{zone}",
            "reference": {
                "type": "zone",
                **{
                    k: found[k] for k in ("name", "zone_type", "required_level", "ratio", "area_m2")
                },
            },
            "zone": zone,
            "message": zone_message(found),
        }
    raise UsageError("name a blind_spot or a zone")


def open_finding(compound: Any, finding: dict[str, Any], **fields: Any) -> Any:
    """Open the finding's problem; a second one for the same key is refused (even if racing)."""
    db = db_session()
    try:
        problem = open_problem(
            db,
            compound.code,
            source="analysis",
            zone=finding["zone"],
            ref_key=finding["ref_key"],
            reference=finding["reference"],
            actor=g.user.username,
            **fields,
        )
        db.commit()
    except DuplicateProblemError as exc:
        db.rollback()
        return None, exc.problem_id
    except IntegrityError:  # a concurrent request opened it between our check and our insert
        db.rollback()
        held = next(
            (p for p in open_findings(db, compound) if p.open_key == finding["ref_key"]), None
        )
        if held is None:
            raise
        return None, held.id
    return problem, None
