"""Devices of a compound: list, add, update, retire, bulk CSV import.

Every write validates the device against the compound's plan and its other
devices with the site loader (:func:`camwatch.registry.codec.validate_devices`),
so the rules and messages are those of ``camwatch analyze`` and the ledger
always exports a valid site.  Devices are never deleted: :func:`retire_device`
sets status ``retired`` (kept, with its history, out of exports and analyses).
Updates take ``expected_version`` — the ``version`` the editor saw — and are
refused with :class:`StaleEditError` when the row has changed since.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import NotFoundError, SiteFormatError, StaleEditError, UsageError, kind_word
from camwatch.i18n import Message, msg
from camwatch.model import DEVICE_KINDS, DEVICE_STATUSES, parse_resolution
from camwatch.registry.audit import history, set_actor
from camwatch.registry.codec import (
    DeviceState,
    check_code,
    parse_date,
    plan_site_member,
    state_of,
    validate_devices,
)
from camwatch.registry.compounds import apply_state, compound_id, get_compound
from camwatch.registry.models import Compound, Device, utcnow
from camwatch.sitefile.values import bad_text

# fields of update_device(changes=...) besides "properties"
UPDATABLE = (
    "name",
    "status",
    "manufacturer",
    "model",
    "serial",
    "install_date",
    "warranty_end",
    "geometry",
    "notes",
)


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
        _choice("kind", kind, DEVICE_KINDS)
        stmt = stmt.where(Device.kind == kind)
    if status:
        _choice("status", status, DEVICE_STATUSES)
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


def _choice(what: str, value: str, allowed: Sequence[str]) -> None:
    if value not in allowed:
        raise UsageError(
            msg(
                "%(what)s must be one of %(allowed)s, got %(value)s",
                what=what,
                allowed=list(allowed),
                value=repr(value),
            )
        )


def _check_notes(notes: Any) -> None:
    """Notes are not part of the site feature, so the loader does not see them: check here."""
    if notes is None:
        return
    if not isinstance(notes, str):
        raise UsageError(msg("notes must be text, got %(type)s", type=type(notes).__name__))
    why = bad_text(notes)
    if why:
        raise UsageError(msg("notes %(why)s", why=why_word(why)))


def _expect(device: Device, expected_version: int | None) -> None:
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


def _validate(
    compound: Compound, states: list[DeviceState], *, label: Any = None
) -> list[DeviceState]:
    plan = compound.plan_json
    _site, normal = validate_devices(plan, plan_site_member(plan, compound), states, label=label)
    return normal


def _validate_in_place(compound: Compound, device: Device, state: DeviceState) -> DeviceState:
    """The normal form of ``state`` as ``device``'s new state, validated with the other
    devices in the ledger's order (that of an export: the same validation, remembered)."""
    states = [state if d.id == device.id else state_of(d) for d in compound.devices]
    at = next(i for i, d in enumerate(compound.devices) if d.id == device.id)
    return _validate(compound, states)[at]


def _new_state(
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
    _choice("kind", kind, DEVICE_KINDS)
    check_code(code, kind=kind)
    if status == "retired":
        raise UsageError(msg("a new device cannot be retired; add it with another status"))
    _choice("status", status, DEVICE_STATUSES)
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
    _check_notes(notes)
    comp = get_compound(session, compound)
    state = _new_state(
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
    normal = _validate(comp, [state_of(d) for d in comp.devices] + [state])[-1]
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
    through :func:`retire_device`; a retired device cannot be edited.
    """
    set_actor(session, actor)
    comp = get_compound(session, compound)
    device = get_device(session, compound, code)
    _expect(device, expected_version)
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
        _choice("status", values["status"], DEVICE_STATUSES)
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
    normal = _validate_in_place(comp, device, new_state)
    apply_state(device, normal)
    if "notes" in changes:
        _check_notes(changes["notes"])
        device.notes = changes["notes"]
    session.flush()
    return device


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
    _expect(device, expected_version)
    if device.status == "retired":
        raise UsageError(
            msg(
                "%(kind)s %(code)s is already retired",
                kind=kind_word(device.kind),
                code=repr(code),
            )
        )
    day = (on or date.today()).isoformat()
    line = f"retired {day}" + (f": {reason}" if reason else "")
    device.notes = f"{device.notes}\n{line}" if device.notes else line
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
    _expect(device, expected_version)
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
    normal = _validate_in_place(comp, device, replace(state_of(device), status=status))
    day = (on or date.today()).isoformat()
    line = f"restored {day}" + (f": {reason}" if reason else "")
    notes = f"{device.notes}\n{line}" if device.notes else line
    _check_notes(notes)
    apply_state(device, normal)
    device.notes = notes
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
    _choice("status", status, DEVICE_STATUSES)
    if device.status != status:
        device.status = status
        device.status_changed_at = utcnow()


# -- CSV -----------------------------------------------------------------------------

CSV_COLUMNS: tuple[str, ...] = (
    "compound",
    "kind",
    "code",
    "name",
    "x",
    "y",
    "line",
    "status",
    "manufacturer",
    "model",
    "serial",
    "install_date",
    "warranty_end",
    "height_m",
    "heading_deg",
    "tilt_deg",
    "hfov_deg",
    "focal_mm",
    "sensor_width_mm",
    "resolution",
    "vfov_deg",
    "range_m",
    "access_control",
    "intercom",
    "alarm_type",
    "building",
    "notes",
)
# Read-only columns a camera schedule adds (docs/reports.md): accepted in the header, ignored.
DERIVED_CSV_COLUMNS: tuple[str, ...] = (
    "dori_detection_m",
    "dori_observation_m",
    "dori_recognition_m",
    "dori_identification_m",
    "last_maintenance",
)
# the CSV columns that are camera numbers / gate and alarm words (also the web's export)
NUMBER_COLUMNS = (
    "height_m",
    "heading_deg",
    "tilt_deg",
    "hfov_deg",
    "focal_mm",
    "sensor_width_mm",
    "vfov_deg",
    "range_m",
)
TEXT_COLUMNS = ("access_control", "alarm_type", "building")
_REQUIRED = ("kind", "code")


def _number(line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise UsageError(
            msg(
                "line %(line)s: %(detail)s",
                line=line,
                detail=msg(
                    "%(column)s must be a number, got %(value)s", column=column, value=repr(text)
                ),
            )
        ) from None
    return (
        int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
    )


def _csv_geometry(line: int, row: Mapping[str, str]) -> dict[str, Any]:
    x, y, coords = row.get("x", ""), row.get("y", ""), row.get("line", "")
    if coords:
        if x or y:
            raise UsageError(
                msg(
                    "line %(line)s: %(detail)s",
                    line=line,
                    detail=msg("give either x and y or line, not both"),
                )
            )
        points = []
        for pair in coords.replace(";", " ").split():
            parts = pair.split(",")
            if len(parts) != 2:
                raise UsageError(
                    msg(
                        "line %(line)s: %(detail)s",
                        line=line,
                        detail=msg(
                            "line must be 'x1,y1 x2,y2 ...', got %(value)s", value=repr(coords)
                        ),
                    )
                )
            points.append([_number(line, "line", parts[0]), _number(line, "line", parts[1])])
        return {"type": "LineString", "coordinates": points}
    if not x or not y:
        raise UsageError(
            msg(
                "line %(line)s: %(detail)s", line=line, detail=msg("x and y (or line) are required")
            )
        )
    return {"type": "Point", "coordinates": [_number(line, "x", x), _number(line, "y", y)]}


def _csv_state(line: int, row: Mapping[str, str]) -> tuple[DeviceState, str | None]:
    for column in _REQUIRED:
        if not row.get(column):
            raise UsageError(
                msg(
                    "line %(line)s: %(detail)s",
                    line=line,
                    detail=msg("%(column)s is required", column=column),
                )
            )
    kind = row["kind"]
    if kind not in DEVICE_KINDS:
        raise UsageError(
            msg(
                "line %(line)s: %(detail)s",
                line=line,
                detail=msg(
                    "unknown kind %(value)s (expected one of: %(allowed)s)",
                    value=repr(kind),
                    allowed=list(DEVICE_KINDS),
                ),
            )
        )
    props: dict[str, Any] = {}
    for column in NUMBER_COLUMNS:
        if row.get(column):
            props[column] = _number(line, column, row[column])
    if row.get("resolution"):
        where = f"line {line}: resolution"
        props["resolution"] = list(parse_resolution(row["resolution"], where=where))
    for column in TEXT_COLUMNS:
        if row.get(column):
            props[column] = row[column]
    if row.get("intercom"):
        flag = row["intercom"].strip().lower()
        if flag not in ("true", "false", "yes", "no", "1", "0"):
            raise UsageError(
                msg(
                    "line %(line)s: %(detail)s",
                    line=line,
                    detail=msg(
                        "intercom must be true or false, got %(value)s", value=repr(row["intercom"])
                    ),
                )
            )
        props["intercom"] = flag in ("true", "yes", "1")
    status = row.get("status") or "active"
    if status == "retired" or status not in DEVICE_STATUSES:
        allowed = [s for s in DEVICE_STATUSES if s != "retired"]
        raise UsageError(
            msg(
                "line %(line)s: %(detail)s",
                line=line,
                detail=msg(
                    "unknown status %(value)s (expected one of: %(allowed)s)",
                    value=repr(status),
                    allowed=allowed,
                ),
            )
        )
    geometry = _csv_geometry(line, row)
    try:
        state = _new_state(
            kind=kind,
            code=row["code"],
            geometry=geometry,
            properties=props,
            name=row.get("name") or None,
            status=status,
            manufacturer=row.get("manufacturer") or None,
            model=row.get("model") or None,
            serial=row.get("serial") or None,
            install_date=row.get("install_date") or None,
            warranty_end=row.get("warranty_end") or None,
        )
    except (UsageError, SiteFormatError) as exc:
        # kept as a message, so it is worded in the reader's language when shown
        raise UsageError(msg("line %(line)s: %(detail)s", line=line, detail=exc.words)) from None
    return state, row.get("notes") or None


def import_devices_csv(
    session: Session,
    source: str | Path | io.TextIOBase,
    *,
    compound: str | None = None,
    actor: str | None = None,
) -> dict[str, list[str]]:
    """Add many devices from a CSV file, all or nothing; return ``{compound: [codes]}``.

    Columns (header row, any order): see :data:`CSV_COLUMNS`; ``kind`` and
    ``code`` are required, plus ``x``,``y`` or ``line`` (``"x1,y1 x2,y2"``).
    ``compound`` comes from the column or, for every row, from the argument.
    Every row is checked — its own values, then all new devices together
    against each compound's plan and existing devices — before anything is
    written; the first problem is reported with its line number.
    """
    set_actor(session, actor)
    try:
        return _import_csv(session, _read_text(source), compound)
    except csv.Error as exc:  # e.g. a field over the csv module's size limit
        raise UsageError(msg("not a readable CSV file: %(detail)s", detail=str(exc))) from None


def _check_cells(line: int, cells: Mapping[str, str]) -> None:
    """Every cell is text the ledger can store (no lone surrogates, no NUL)."""
    for column, value in cells.items():
        why = bad_text(value)
        if why:
            raise UsageError(
                msg(
                    "line %(line)s: %(detail)s",
                    line=line,
                    detail=msg("%(column)s %(why)s", column=column, why=why_word(why)),
                )
            )


def _import_csv(session: Session, text: str, compound: str | None) -> dict[str, list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise UsageError(msg("CSV file is empty (a header row is required)"))
    unknown = [h for h in header if h not in CSV_COLUMNS and h not in DERIVED_CSV_COLUMNS]
    if unknown:
        raise UsageError(
            msg(
                "line %(line)s: %(detail)s",
                line=1,
                detail=msg(
                    "unknown column(s) %(columns)s (known: %(known)s)",
                    columns=[repr(u) for u in unknown],
                    known=list(CSV_COLUMNS),
                ),
            )
        )
    reader.fieldnames = header
    per_compound: dict[str, list[tuple[int, DeviceState, str | None]]] = {}
    rows = 0
    for row in reader:
        line = reader.line_num
        if None in row:
            raise UsageError(
                msg(
                    "line %(line)s: %(detail)s",
                    line=line,
                    detail=msg("more cells than header columns"),
                )
            )
        cells = {k: (v or "").strip() for k, v in row.items()}
        _check_cells(line, cells)
        if not any(cells.values()):
            continue
        rows += 1
        code_of_compound = cells.get("compound") or compound
        if not code_of_compound:
            raise UsageError(
                msg(
                    "line %(line)s: %(detail)s",
                    line=line,
                    detail=msg("no compound (give a compound column or --compound)"),
                )
            )
        if compound and cells.get("compound") and cells["compound"] != compound:
            raise UsageError(
                msg(
                    "line %(line)s: %(detail)s",
                    line=line,
                    detail=msg(
                        "compound %(compound)s differs from --compound %(given)s",
                        compound=repr(cells["compound"]),
                        given=repr(compound),
                    ),
                )
            )
        state, notes = _csv_state(line, cells)
        per_compound.setdefault(code_of_compound, []).append((line, state, notes))
    if rows == 0:
        raise UsageError(msg("CSV file has no device rows"))

    planned: list[tuple[Compound, list[tuple[DeviceState, str | None]]]] = []
    for code, entries in per_compound.items():
        try:
            comp = get_compound(session, code)
        except NotFoundError as exc:
            raise UsageError(
                msg("line %(line)s: %(detail)s", line=entries[0][0], detail=exc.words)
            ) from None
        existing = [state_of(d) for d in comp.devices]
        taken = {s.code for s in existing}
        for line, state, _ in entries:
            if state.code in taken:
                raise UsageError(
                    msg(
                        "line %(line)s: %(detail)s",
                        line=line,
                        detail=msg(
                            "compound %(compound)s already has a device %(code)s",
                            compound=repr(code),
                            code=repr(state.code),
                        ),
                    )
                )
        lines = [line for line, _, _ in entries]
        n_old = len(existing)

        def label(i: int, lines: list[int] = lines, n_old: int = n_old) -> Message | None:
            return msg("line %(line)s", line=lines[i - n_old]) if i >= n_old else None

        normal = _validate(comp, existing + [s for _, s, _ in entries], label=label)
        planned.append((comp, list(zip(normal[n_old:], [n for _, _, n in entries], strict=True))))

    added: dict[str, list[str]] = {}
    for comp, items in planned:
        for state, notes in items:
            comp.devices.append(Device(**state.fields(), notes=notes))
            added.setdefault(comp.code, []).append(state.code)
    session.flush()
    return added


def _read_text(source: str | Path | io.TextIOBase) -> str:
    if isinstance(source, io.TextIOBase):
        return source.read()
    path = Path(source)
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(msg("%(path)s: no such file", path=str(path))) from None
    except UnicodeDecodeError:
        raise UsageError(msg("%(path)s: not UTF-8 text", path=str(path))) from None
    except OSError as exc:
        raise UsageError(
            msg(
                "%(path)s: cannot read (%(detail)s)",
                path=str(path),
                detail=str(exc.strerror or exc),
            )
        ) from None


def csv_template() -> str:
    """A header row and one example row per kind, to start a bulk import from."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerow(
        {
            "compound": "maple-court",
            "kind": "camera",
            "code": "C10",
            "x": "12.5",
            "y": "3",
            "height_m": "3.5",
            "heading_deg": "90",
            "tilt_deg": "20",
            "focal_mm": "4",
            "sensor_width_mm": "5.37",
            "resolution": "2688x1520",
            "manufacturer": "Hikvision",
            "model": "DS-2CD2143",
            "serial": "SN123",
            "install_date": "2024-05-01",
        }
    )
    writer.writerow(
        {
            "compound": "maple-court",
            "kind": "gate",
            "code": "G3",
            "line": "0,2 0,6",
            "access_control": "face",
            "intercom": "true",
        }
    )
    writer.writerow(
        {
            "compound": "maple-court",
            "kind": "alarm",
            "code": "A5",
            "line": "0,0 40,0",
            "alarm_type": "infrared_beam",
        }
    )
    writer.writerow(
        {
            "compound": "maple-court",
            "kind": "intercom",
            "code": "I7",
            "x": "20",
            "y": "10",
            "building": "Block A",
        }
    )
    return out.getvalue()
