"""A ledger compound's standards check (docs/standards.md).

:func:`compound_check` checks a compound as ``camwatch check COMPOUND`` does:
its current export plus the ledger's device facts (DEVICE-HEALTH), against the
profile the compound names. It joins the ledger (:mod:`camwatch.registry`) and
the rules (:mod:`camwatch.standards`, which knows no database), so it lives
beside both; the verdict on its report is
:func:`camwatch.standards.meets_standard`. The web, the district report and
the ``check``/``inspect`` commands all check a compound through it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from camwatch.model import Site
from camwatch.standards import DeviceHealth, Profile, Report, check, load_profile


def _day(value: datetime | date | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value


def ledger_site(session: Any, code: str) -> tuple[Site, list[DeviceHealth]]:
    """The compound's site and the device facts DEVICE-HEALTH needs."""
    from camwatch.registry.compounds import export_site, get_compound

    site = export_site(session, code)
    return site, device_health(session, get_compound(session, code))


def device_health(session: Any, compound: Any) -> list[DeviceHealth]:
    """DEVICE-HEALTH's facts about a compound's live devices: status, since when, deadline."""
    from sqlalchemy import select

    from camwatch.model import UNRESOLVED_PROBLEM_STATUSES
    from camwatch.registry.models import Device, Problem

    devices = session.scalars(
        select(Device).where(Device.compound_id == compound.id, Device.status != "retired")
    ).all()
    deadlines: dict[int, date] = {}
    problems = session.scalars(
        select(Problem).where(
            Problem.compound_id == compound.id,
            Problem.device_id.is_not(None),
            Problem.status.in_(UNRESOLVED_PROBLEM_STATUSES),
        )
    ).all()
    for pr in problems:
        assert pr.device_id is not None
        if pr.device_id not in deadlines or pr.deadline < deadlines[pr.device_id]:
            deadlines[pr.device_id] = pr.deadline
    facts = []
    for dev in devices:
        geom = dev.geometry or {}
        coords = geom.get("coordinates")
        point = None
        if geom.get("type") == "Point" and isinstance(coords, list) and len(coords) >= 2:
            point = (float(coords[0]), float(coords[1]))
        facts.append(
            DeviceHealth(
                code=dev.code,
                kind=dev.kind,
                status=dev.status,
                since=_day(dev.status_changed_at),
                deadline=deadlines.get(dev.id),
                position=point,
            )
        )
    return facts


def inspection_check(
    session: Any, code: str, *, today: date | None = None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """What an inspection of ``code`` records its rule results from (docs/standards.md):
    the check's JSON object (as ``camwatch check COMPOUND --json``) and the
    profile's rule settings (``Profile.rule_settings``), for
    :func:`camwatch.registry.inspections.run_inspection` (``check=``, ``rules=``).
    ``camwatch inspect`` and the web's inspection page both call it.
    """
    site, _ = ledger_site(session, code)
    profile = load_profile(site.info.rule_profile)
    report = compound_check(session, code, profile=profile, today=today)
    return report.to_dict(), profile.rule_settings()


def compound_check(
    session: Any,
    code: str,
    *,
    profile: Profile | str | None = None,
    today: date | None = None,
    devices: list[DeviceHealth] | None = None,
) -> Report:
    """Check ledger compound ``code`` (default profile: the one it names).

    ``devices``: DEVICE-HEALTH's facts when the caller already has them
    (:func:`device_health`), else they are read here.
    """
    if devices is None:
        site, devices = ledger_site(session, code)
    else:
        from camwatch.registry.compounds import export_site

        site = export_site(session, code)
    chosen = profile if profile is not None else site.info.rule_profile
    if not isinstance(chosen, Profile):
        chosen = load_profile(chosen)
    return check(site, chosen, devices=devices, today=today)
