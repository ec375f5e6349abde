"""Devices of a compound: list, add, update, set a status (retiring and restoring:
:mod:`camwatch.registry.retirement`; the CSV import: :mod:`camwatch.registry.devices_csv`).

Every write validates the device against the compound's plan and its other
devices with the site loader (:func:`camwatch.registry.codec.validate_devices`),
so the rules and messages are those of ``camwatch analyze`` and the ledger
always exports a valid site.  Devices are never deleted: retiring one
sets status ``retired`` (kept, with its history, out of exports and analyses).
Updates take ``expected_version`` — the ``version`` the editor saw — and are
refused with :class:`StaleEditError` when the row has changed since.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import NotFoundError, StaleEditError, UsageError, kind_word
from camwatch.i18n import Message, msg
from camwatch.model import DEVICE_KINDS, DEVICE_STATUSES
from camwatch.registry.audit import set_actor
from camwatch.registry.codec import (
    STATE_FIELDS,
    DeviceState,
    check_choice,
    check_code,
    parse_date,
    plan_site_member,
    state_of,
    validate_devices,
)
from camwatch.registry.compounds import apply_state, compound_id, get_compound
from camwatch.registry.models import Compound, Device, utcnow
from camwatch.sitefile.values import bad_text

# fields of update_device(changes=...) besides "properties": a state's, and the notes
UPDATABLE = (*STATE_FIELDS, "notes")


def list_devices(
    session: Session,
    compound: str,
    *,
    kind: str | None = None,
    status: str | None = None,
    include_retired: bool = False,
) -> Sequence[Device]:
    """Devices of a compound, by kind then code; retired ones only when asked or filtered."""
    stmt = select(Device).where(Device.compound_id == compound_id(session, compound))
    if kind:
        check_choice("kind", kind, DEVICE_KINDS)
        stmt = stmt.where(Device.kind == kind)
    if status:
        check_choice("status", status, DEVICE_STATUSES)
        stmt = stmt.where(Device.status == status)
    elif not include_retired:
        stmt = stmt.where(Device.status != "retired")
    order = {k: i for i, k in enumerate(DEVICE_KINDS)}
    return sorted(session.scalars(stmt).all(), key=lambda d: (order[d.kind], d.code))


def get_device(session: Session, compound: str, code: str) -> Device:
    """The device ``code`` of compound ``compound`` (NotFoundError otherwise)."""
    device = session.scalar(
        select(Device).where(
            Device.compound_id == compound_id(session, compound), Device.code == code
        )
    )
    if device is None:
        raise NotFoundError(
            msg(
                "compound %(compound)s has no device %(code)s",
                compound=repr(compound),
                code=repr(code),
            )
        )
    return device


# why a text cannot be stored (camwatch.sitefile.values.bad_text), in the reader's language
_WHY: dict[str, Message] = {
    "contains a NUL character": msg("contains a NUL character"),
    "is not valid Unicode (lone surrogate)": msg("is not valid Unicode (lone surrogate)"),
}


def why_word(why: str) -> Message | str:
    """``bad_text``'s reason to word in the reader's language (an unknown one as given)."""
    return _WHY.get(why, why)


def check_notes(notes: Any) -> None:
    """Notes are not part of the site feature, so the loader does not see them: check here."""
    if notes is None:
        return
    if not isinstance(notes, str):
        raise UsageError(msg("notes must be text, got %(type)s", type=type(notes).__name__))
    why = bad_text(notes)
    if why:
        raise UsageError(msg("notes %(why)s", why=why_word(why)))


def expect_version(device: Device, expected_version: int | None) -> None:
    """Refuse an edit of ``device`` made from another version than the row's (None: no check)."""
    if expected_version is not None and device.version != expected_version:
        raise StaleEditError(
            msg(
                "conflict: %(kind)s %(code)s was changed by someone else "
                "(now version %(version)s, you edited version %(expected)s); "
                "nothing was saved — reload and try again",
                kind=kind_word(device.kind),
                code=repr(device.code),
                version=device.version,
                expected=expected_version,
            )
        )


def validate_states(
    compound: Compound, states: list[DeviceState], *, label: Any = None
) -> list[DeviceState]:
    """The devices' states in their normal form, validated with the compound's plan (the
    site loader's rules; raises its errors)."""
    plan = compound.plan_json
    _site, normal = validate_devices(plan, plan_site_member(plan, compound), states, label=label)
    return normal


def validate_in_place(compound: Compound, device: Device, state: DeviceState) -> DeviceState:
    """The normal form of ``state`` as ``device``'s new state, validated with the other
    devices in the ledger's order (that of an export: the same validation, remembered)."""
    states = [state if d.id == device.id else state_of(d) for d in compound.devices]
    at = next(i for i, d in enumerate(compound.devices) if d.id == device.id)
    return validate_states(compound, states)[at]


def new_state(
    *,
    kind: str,
    code: str,
    geometry: Mapping[str, Any],
    properties: Mapping[str, Any] | None,
    name: str | None,
    status: str,
    manufacturer: str | None,
    model: str | None,
    serial: str | None,
    install_date: date | str | None,
    warranty_end: date | str | None,
) -> DeviceState:
    """A new device's state, its words checked (kind, code, status, properties; the plan's
    rules come with :func:`validate_states`)."""
    check_choice("kind", kind, DEVICE_KINDS)
    check_code(code, kind=kind)
    if status == "retired":
        raise UsageError(msg("a new device cannot be retired; add it with another status"))
    check_choice("status", status, DEVICE_STATUSES)
    props = dict(properties or {})
    clash = sorted(k for k in props if k in ("kind", "id"))
    if clash:
        raise UsageError(msg("properties must not contain %(keys)s", keys=clash))
    return DeviceState(
        kind=kind,
        code=code,
        geometry=dict(geometry),
        properties=props,
        name=name,
        status=status,
        manufacturer=manufacturer,
        model=model,
        serial=serial,
        install_date=parse_date(install_date, "install_date", kind=kind, code=code),
        warranty_end=parse_date(warranty_end, "warranty_end", kind=kind, code=code),
    )


def add_device(
    session: Session,
    compound: str,
    *,
    kind: str,
    code: str,
    geometry: Mapping[str, Any],
    properties: Mapping[str, Any] | None = None,
    name: str | None = None,
    status: str = "active",
    manufacturer: str | None = None,
    model: str | None = None,
    serial: str | None = None,
    install_date: date | str | None = None,
    warranty_end: date | str | None = None,
    notes: str | None = None,
    actor: str | None = None,
) -> Device:
    """Register a device; validated like a site-file feature against the compound's plan."""
    set_actor(session, actor)
    check_notes(notes)
    comp = get_compound(session, compound)
    state = new_state(
        kind=kind,
        code=code,
        geometry=geometry,
        properties=properties,
        name=name,
        status=status,
        manufacturer=manufacturer,
        model=model,
        serial=serial,
        install_date=install_date,
        warranty_end=warranty_end,
    )
    taken = {d.code: d for d in comp.devices}
    if code in taken:
        other = taken[code]
        if other.status == "retired":
            raise UsageError(
                msg(
                    "compound %(compound)s already has a device %(code)s "
                    "(retired; codes are never reused)",
                    compound=repr(compound),
                    code=repr(code),
                )
            )
        raise UsageError(
            msg(
                "compound %(compound)s already has a device %(code)s",
                compound=repr(compound),
                code=repr(code),
            )
        )
    normal = validate_states(comp, [state_of(d) for d in comp.devices] + [state])[-1]
    device = Device(**normal.fields(), notes=notes)
    comp.devices.append(device)
    session.flush()
    return device


def update_device(
    session: Session,
    compound: str,
    code: str,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    actor: str | None = None,
) -> Device:
    """Change fields of a device; ``changes["properties"]`` is merged (a None value removes a key).

    Allowed keys: ``properties`` and :data:`UPDATABLE`.  Status ``retired`` goes
    through :func:`camwatch.registry.retirement.retire_device`; a retired device cannot be edited.
    """
    set_actor(session, actor)
    comp = get_compound(session, compound)
    device = get_device(session, compound, code)
    expect_version(device, expected_version)
    if device.status == "retired":
        raise UsageError(
            msg(
                "%(kind)s %(code)s is retired; retired devices are not edited",
                kind=kind_word(device.kind),
                code=repr(code),
            )
        )
    unknown = sorted(set(changes) - set(UPDATABLE) - {"properties"})
    if unknown:
        raise UsageError(
            msg(
                "cannot change %(keys)s (changeable: %(allowed)s, properties)",
                keys=unknown,
                allowed=list(UPDATABLE),
            )
        )
    state = state_of(device)
    values: dict[str, Any] = {}
    for key in UPDATABLE:
        if key in changes and key != "notes":
            values[key] = changes[key]
    if values.get("status") == "retired":
        raise UsageError(msg("use retire to retire a device"))
    if "status" in values:
        check_choice("status", values["status"], DEVICE_STATUSES)
    for key in ("install_date", "warranty_end"):
        if key in values:
            values[key] = parse_date(values[key], key, kind=device.kind, code=code)
    props = dict(state.properties)
    for key, value in dict(changes.get("properties") or {}).items():
        if key in ("kind", "id"):
            raise UsageError(msg("properties must not contain %(keys)s", keys=key))
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    new_state = replace(state, properties=props, **values)
    normal = validate_in_place(comp, device, new_state)
    apply_state(device, normal)
    if "notes" in changes:
        check_notes(changes["notes"])
        device.notes = changes["notes"]
    session.flush()
    return device


def set_status(
    session: Session,
    device: Device,
    status: str,
    *,
    actor: str | None = None,
) -> None:
    """Change a device's status (maintenance uses it); no validation beyond the status itself."""
    set_actor(session, actor)
    check_choice("status", status, DEVICE_STATUSES)
    if device.status != status:
        device.status = status
        device.status_changed_at = utcnow()
