"""A device schedule's CSV rows: the columns, the template, one row read into a device.

Every problem names its line (``line N: …``, worded in the reader's language);
the import of all rows or none is :mod:`camwatch.registry.devices_csv`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from camwatch.errors import SiteFormatError, UsageError
from camwatch.i18n import Message, msg
from camwatch.model import DEVICE_KINDS, DEVICE_STATUSES, parse_resolution
from camwatch.registry.codec import DeviceState
from camwatch.registry.devices import new_state, why_word
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


def at_line(line: int, detail: Message | str) -> UsageError:
    """The error for a problem on line ``line`` of the file (1 is the header)."""
    return UsageError(msg("line %(line)s: %(detail)s", line=line, detail=detail))


def _number(line: int, column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise at_line(
            line, msg("%(column)s must be a number, got %(value)s", column=column, value=repr(text))
        ) from None
    return (
        int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
    )


def _csv_geometry(line: int, row: Mapping[str, str]) -> dict[str, Any]:
    x, y, coords = row.get("x", ""), row.get("y", ""), row.get("line", "")
    if coords:
        if x or y:
            raise at_line(line, msg("give either x and y or line, not both"))
        points = []
        for pair in coords.replace(";", " ").split():
            parts = pair.split(",")
            if len(parts) != 2:
                raise at_line(
                    line, msg("line must be 'x1,y1 x2,y2 ...', got %(value)s", value=repr(coords))
                )
            points.append([_number(line, "line", parts[0]), _number(line, "line", parts[1])])
        return {"type": "LineString", "coordinates": points}
    if not x or not y:
        raise at_line(line, msg("x and y (or line) are required"))
    return {"type": "Point", "coordinates": [_number(line, "x", x), _number(line, "y", y)]}


def row_state(line: int, row: Mapping[str, str]) -> tuple[DeviceState, str | None]:
    """Row ``line``'s device (its state, checked like a site-file feature) and its notes."""
    for column in _REQUIRED:
        if not row.get(column):
            raise at_line(line, msg("%(column)s is required", column=column))
    kind = row["kind"]
    if kind not in DEVICE_KINDS:
        raise at_line(
            line,
            msg(
                "unknown kind %(value)s (expected one of: %(allowed)s)",
                value=repr(kind),
                allowed=list(DEVICE_KINDS),
            ),
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
            raise at_line(
                line,
                msg("intercom must be true or false, got %(value)s", value=repr(row["intercom"])),
            )
        props["intercom"] = flag in ("true", "yes", "1")
    status = row.get("status") or "active"
    if status == "retired" or status not in DEVICE_STATUSES:
        allowed = [s for s in DEVICE_STATUSES if s != "retired"]
        raise at_line(
            line,
            msg(
                "unknown status %(value)s (expected one of: %(allowed)s)",
                value=repr(status),
                allowed=allowed,
            ),
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
        raise at_line(line, exc.words) from None
    return state, row.get("notes") or None


def check_cells(line: int, cells: Mapping[str, str]) -> None:
    """Every cell is text the ledger can store (no lone surrogates, no NUL)."""
    for column, value in cells.items():
        why = bad_text(value)
        if why:
            raise at_line(line, msg("%(column)s %(why)s", column=column, why=why_word(why)))


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
