"""Devices from a CSV schedule: the columns, the template, and an import of all rows or
none (docs/registry.md); each row is added or updated through :mod:`camwatch.registry.devices`."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from camwatch.errors import NotFoundError, SiteFormatError, UsageError
from camwatch.i18n import Message, msg
from camwatch.model import DEVICE_KINDS, DEVICE_STATUSES, parse_resolution
from camwatch.registry.audit import set_actor
from camwatch.registry.codec import (
    DeviceState,
    state_of,
)
from camwatch.registry.compounds import get_compound
from camwatch.registry.devices import new_state, validate_states, why_word
from camwatch.registry.models import Compound, Device
from camwatch.sitefile.values import bad_text

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
        state = new_state(
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

        normal = validate_states(comp, existing + [s for _, s, _ in entries], label=label)
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
