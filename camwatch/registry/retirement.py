"""Retiring a device and bringing it back (docs/registry.md, "Restoring a device").

Devices are never deleted: a retired device keeps its row and history, out of
exports and analyses. The lines both add to its notes are written in
:mod:`camwatch.registry.ledger_notes`; the status it comes back with is read from
the audit trail.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.orm import Session

from camwatch.errors import UsageError, kind_word
from camwatch.i18n import msg
from camwatch.model import DEVICE_STATUSES
from camwatch.registry.audit import history, set_actor
from camwatch.registry.codec import state_of
from camwatch.registry.compounds import apply_state, get_compound
from camwatch.registry.devices import check_notes, expect_version, get_device, validate_in_place
from camwatch.registry.ledger_notes import restored_line, retired_line
from camwatch.registry.models import Device, utcnow

RESTORED_DEFAULT_STATUS = "offline"  # when the audit trail has no status before retirement


def retire_device(
    session: Session,
    compound: str,
    code: str,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
    on: date | None = None,
    actor: str | None = None,
) -> Device:
    """Take a device out of service for good: status ``retired``, reason appended to its notes."""
    set_actor(session, actor)
    device = get_device(session, compound, code)
    expect_version(device, expected_version)
    if device.status == "retired":
        raise UsageError(
            msg(
                "%(kind)s %(code)s is already retired",
                kind=kind_word(device.kind),
                code=repr(code),
            )
        )
    day = (on or date.today()).isoformat()
    device.notes = _with_line(device.notes, retired_line(day, reason))
    device.status = "retired"
    device.status_changed_at = utcnow()
    session.flush()
    return device


def status_before_retirement(session: Session, device: Device) -> str | None:
    """The status the device had when it was last retired, as the audit trail recorded it."""
    rows = history(session, Device.__tablename__, device.id)
    for row in reversed(rows):  # newest first
        after, before = row.after or {}, row.before or {}
        if row.action == "update" and after.get("status") == "retired":
            status = before.get("status")
            if status in DEVICE_STATUSES and status != "retired":
                return str(status)
            return None
    return None


def restore_device(
    session: Session,
    compound: str,
    code: str,
    *,
    reason: str | None = None,
    expected_version: int | None = None,
    on: date | None = None,
    actor: str | None = None,
) -> Device:
    """Bring a retired device back into service (see docs/registry.md, "Restoring a device").

    Its status becomes the one it had before it was retired when the audit
    trail recorded it, else ``offline`` (it has to be checked before it counts
    as working).  It is validated against the compound's current plan, like an
    edit, and a line ``restored <day>: <reason>`` is appended to its notes.
    """
    set_actor(session, actor)
    comp = get_compound(session, compound)
    device = get_device(session, compound, code)
    expect_version(device, expected_version)
    if device.status != "retired":
        raise UsageError(
            msg(
                "%(kind)s %(code)s is not retired (status %(status)s)",
                kind=kind_word(device.kind),
                code=repr(code),
                status=device.status,
            )
        )
    status = status_before_retirement(session, device) or RESTORED_DEFAULT_STATUS
    normal = validate_in_place(comp, device, replace(state_of(device), status=status))
    day = (on or date.today()).isoformat()
    notes = _with_line(device.notes, restored_line(day, reason))
    check_notes(notes)
    apply_state(device, normal)
    device.notes = notes
    session.flush()
    return device


def _with_line(notes: str | None, line: str) -> str:
    """The device's notes with ``line`` added on a line of its own."""
    return f"{notes}\n{line}" if notes else line
