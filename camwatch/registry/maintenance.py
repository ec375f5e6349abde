"""Maintenance log: what was done to a device, by whom, and its status before and after.

Records are append-only (a wrong entry is corrected by a new one).  Logging a
visit with ``status_after`` also moves the device to that status — e.g. a
repair of a faulty camera brings it back to ``active`` — in the same
transaction, so the log and the device never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import UsageError, kind_word
from camwatch.i18n import msg
from camwatch.model import DEVICE_STATUSES, MAINTENANCE_KINDS
from camwatch.registry.audit import set_actor
from camwatch.registry.compounds import get_compound
from camwatch.registry.devices import get_device, set_status
from camwatch.registry.models import Device, MaintenanceRecord


def log_maintenance(
    session: Session,
    compound: str,
    code: str,
    *,
    kind: str,
    technician: str,
    on: date | None = None,
    notes: str | None = None,
    status_after: str | None = None,
    actor: str | None = None,
) -> MaintenanceRecord:
    """Record a maintenance visit; ``status_after`` (default: unchanged) updates the device."""
    set_actor(session, actor)
    if kind not in MAINTENANCE_KINDS:
        raise UsageError(
            msg(
                "maintenance kind must be one of %(allowed)s, got %(value)s",
                allowed=list(MAINTENANCE_KINDS),
                value=repr(kind),
            )
        )
    if not technician or not technician.strip():
        raise UsageError(msg("technician is required"))
    device = get_device(session, compound, code)
    if device.status == "retired":
        raise UsageError(
            msg(
                "%(kind)s %(code)s is retired; no maintenance can be logged",
                kind=kind_word(device.kind),
                code=repr(code),
            )
        )
    after = status_after or device.status
    if after not in DEVICE_STATUSES or after == "retired":
        allowed = [s for s in DEVICE_STATUSES if s != "retired"]
        raise UsageError(
            msg(
                "status after must be one of %(allowed)s, got %(value)s (use retire)",
                allowed=allowed,
                value=repr(after),
            )
        )
    day = on or date.today()
    if day > date.today():
        raise UsageError(msg("maintenance date %(day)s is in the future", day=day.isoformat()))
    record = MaintenanceRecord(
        device=device,
        date=day,
        kind=kind,
        technician=technician.strip(),
        notes=notes,
        status_before=device.status,
        status_after=after,
    )
    session.add(record)
    set_status(session, device, after, actor=actor)
    session.flush()
    return record


def list_maintenance(
    session: Session,
    compound: str,
    *,
    code: str | None = None,
    since: date | None = None,
) -> Sequence[MaintenanceRecord]:
    """Maintenance records of a compound (or one device), newest first."""
    comp = get_compound(session, compound)
    stmt = (
        select(MaintenanceRecord)
        .join(Device)
        .where(Device.compound_id == comp.id)
        .order_by(MaintenanceRecord.date.desc(), MaintenanceRecord.id.desc())
    )
    if code:
        stmt = stmt.where(Device.id == get_device(session, compound, code).id)
    if since:
        stmt = stmt.where(MaintenanceRecord.date >= since)
    return session.scalars(stmt).all()
