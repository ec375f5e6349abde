"""Compounds in the ledger: find and list them, export one as a site file, summarise
and delete it.

``export_site`` assembles the plan and the non-retired devices and parses the
result with the site loader, so what it returns is exactly what ``camwatch
analyze`` would load from the written file. Site files come in through
:mod:`camwatch.registry.site_import`.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from camwatch.errors import NotFoundError, StaleEditError
from camwatch.i18n import msg
from camwatch.model import DEVICE_KINDS, UNRESOLVED_PROBLEM_STATUSES, Site
from camwatch.registry.audit import set_actor
from camwatch.registry.codec import (
    DeviceState,
    plan_site_member,
    state_of,
    validate_devices,
)
from camwatch.registry.models import (
    Compound,
    Device,
    Inspection,
    MaintenanceRecord,
    Problem,
    ProblemEvent,
    User,
    utcnow,
)


def expect_version(compound: Compound, expected_version: int) -> None:
    """Refuse an edit made on another version of the compound than the current one
    (:class:`StaleEditError`; nothing written)."""
    if compound.version != expected_version:
        raise StaleEditError(
            msg(
                "compound %(code)s changed since it was opened "
                "(now version %(version)s, you edited version %(expected)s)",
                code=repr(compound.code),
                version=compound.version,
                expected=expected_version,
            )
        )


def get_compound(session: Session, code: str) -> Compound:
    """The compound with this code (NotFoundError naming it otherwise)."""
    compound = session.scalar(select(Compound).where(Compound.code == code))
    if compound is None:
        raise NotFoundError(msg("no compound with code %(codes)s", codes=[repr(code)]))
    return compound


def compound_id(session: Session, code: str) -> int:
    """The row id of the compound with this code (NotFoundError naming it otherwise).

    One column: unlike :func:`get_compound` it neither decodes the plan nor loads the
    devices, for queries that only filter by compound.
    """
    found = session.scalar(select(Compound.id).where(Compound.code == code))
    if found is None:
        raise NotFoundError(msg("no compound with code %(codes)s", codes=[repr(code)]))
    return int(found)


def list_compounds(session: Session, *, district: str | None = None) -> Sequence[Compound]:
    """All compounds (optionally of one district), by code."""
    stmt = select(Compound).order_by(Compound.code)
    if district:
        stmt = stmt.where(Compound.district == district)
    return session.scalars(stmt).all()


def settings_of(site: Site) -> dict[str, Any]:
    """The site's heights settings as the compound's columns hold them (None: not given)."""
    info = site.info
    return {
        "coverage_model": info.coverage_model,
        "target_height_m": copy.deepcopy(info.target_height_m),
        "max_depression_deg": copy.deepcopy(info.max_depression_deg),
    }


def apply_state(device: Device, state: DeviceState) -> None:
    """Write a DeviceState onto a row (new JSON objects; status time kept current)."""
    values = state.fields()
    values.pop("code")
    if values["status"] != device.status:
        device.status_changed_at = utcnow()
    for key, value in values.items():
        if getattr(device, key) != value:
            setattr(device, key, value)


def export_site(session: Session, code: str) -> Site:
    """The compound as a :class:`Site`: plan plus non-retired devices, validated by the loader."""
    compound = get_compound(session, code)
    site, _ = validate_devices(
        compound.plan_json,
        plan_site_member(compound.plan_json, compound),
        [state_of(d) for d in compound.devices],
    )
    return site


def compound_summary(session: Session, compound: Compound, *, today: date) -> dict[str, Any]:
    """Counts for lists and dashboards: devices by kind and status, open and overdue problems."""
    by_kind: dict[str, Counter[str]] = {k: Counter() for k in DEVICE_KINDS}
    for device in compound.devices:
        by_kind[device.kind][device.status] += 1
    open_statuses = UNRESOLVED_PROBLEM_STATUSES
    open_count = session.scalar(
        select(func.count(Problem.id)).where(
            Problem.compound_id == compound.id, Problem.status.in_(open_statuses)
        )
    )
    overdue_count = session.scalar(
        select(func.count(Problem.id)).where(
            Problem.compound_id == compound.id,
            Problem.status.in_(open_statuses),
            Problem.deadline < today,
        )
    )
    return {
        "code": compound.code,
        "name": compound.name,
        "district": compound.district,
        "devices": {k: dict(v) for k, v in by_kind.items()},
        "open_problems": int(open_count or 0),
        "overdue_problems": int(overdue_count or 0),
    }


#: Statuses counted as "down" (installed but not working) beside the live count.
DOWN_STATUSES = ("faulty", "offline")


def live_and_down(by_status: dict[str, int]) -> tuple[int, int]:
    """The one counting rule of lists: (live devices — every status but retired, planned
    included —, of which faulty or offline). ``camwatch compounds`` and the web's
    compound cards both use it (docs/registry.md "CLI summary")."""
    live = sum(n for status, n in by_status.items() if status != "retired")
    down = sum(n for status, n in by_status.items() if status in DOWN_STATUSES)
    return live, down


def delete_compound(session: Session, compound: Compound, *, actor: str) -> None:
    """Delete a compound and everything recorded about it (admin only, audited row by row).

    The ledger retires devices instead of deleting them; removing a whole
    compound (e.g. one imported by mistake) is the one deletion it offers.
    Every row goes through the ORM so that the audit trail records it.
    """
    set_actor(session, actor)
    for problem in session.scalars(select(Problem).where(Problem.compound_id == compound.id)):
        for event in session.scalars(
            select(ProblemEvent).where(ProblemEvent.problem_id == problem.id)
        ):
            session.delete(event)
        session.delete(problem)
    session.flush()
    for inspection in session.scalars(
        select(Inspection).where(Inspection.compound_id == compound.id)
    ):
        session.delete(inspection)
    for device in list(compound.devices):
        for record in session.scalars(
            select(MaintenanceRecord).where(MaintenanceRecord.device_id == device.id)
        ):
            session.delete(record)
    session.flush()
    for device in list(compound.devices):
        session.delete(device)
    for user in session.scalars(select(User).where(User.compounds.any(Compound.id == compound.id))):
        user.compounds = [c for c in user.compounds if c.id != compound.id]
    session.flush()
    session.delete(compound)
    session.flush()
