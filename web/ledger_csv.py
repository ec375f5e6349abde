"""CSV for the ledger pages: the export of a filtered list and the import's errors in the
reader's language (docs/web.md, "Ledger").

**Export.**  UTF-8 with a byte-order mark (so Excel opens Chinese text correctly),
comma-separated, one header row. The columns are the import's
(:data:`camwatch.registry.csv_rows.CSV_COLUMNS`) plus ``last_maintenance``, which the
import accepts and ignores, so an exported file is an import file (once its codes are
new). Camera optics, access control, alarm type and building come from the device's
site-format properties; other free-form properties are not exported. A free-text cell
that begins with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe, so a
spreadsheet shows it as text instead of running it as a formula.

**Import errors.**  The import is the registry's (the CLI's ``devices import-csv``),
whose messages are English and start with ``line N:``. They are worded here: the row
(the file's line number, the header being line 1), the column when the message names
one, and the detail from the patterns below or the plan editor's loader wording
(:func:`web.editor_messages.detail_words`); a detail no pattern knows is shown as the
registry wrote it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from camwatch.errors import CamwatchError
from camwatch.registry.csv_rows import CSV_COLUMNS, NUMBER_COLUMNS, TEXT_COLUMNS
from camwatch.registry.models import Device
from web.editor_messages import KIND_LABELS, detail_words
from web.i18n import gettext as _

EXPORT_COLUMNS: tuple[str, ...] = (*CSV_COLUMNS, "last_maintenance")
_FREE_TEXT = ("name", "manufacturer", "model", "serial", "notes", "code", "building")
_FORMULA = ("=", "+", "-", "@")


def _number(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return ""
    return str(value)


def device_row(device: Device, last: date | None) -> dict[str, str]:
    """One device as an export row (column → text)."""
    props = device.properties or {}
    geometry = device.geometry or {}
    coords = geometry.get("coordinates") or []
    row: dict[str, str] = {
        "compound": device.compound.code,
        "kind": device.kind,
        "code": device.code,
        "name": device.name or "",
        "status": device.status,
        "manufacturer": device.manufacturer or "",
        "model": device.model or "",
        "serial": device.serial or "",
        "install_date": device.install_date.isoformat() if device.install_date else "",
        "warranty_end": device.warranty_end.isoformat() if device.warranty_end else "",
        "notes": device.notes or "",
        "last_maintenance": last.isoformat() if last else "",
    }
    if geometry.get("type") == "Point":
        row["x"], row["y"] = _number(coords[0]), _number(coords[1])
    elif geometry.get("type") == "LineString":
        row["line"] = " ".join(f"{_number(x)},{_number(y)}" for x, y in coords)
    for key in NUMBER_COLUMNS:
        row[key] = _number(props.get(key))
    resolution = props.get("resolution")
    if isinstance(resolution, list | tuple) and len(resolution) == 2:
        row["resolution"] = f"{resolution[0]}x{resolution[1]}"
    for key in TEXT_COLUMNS:
        if isinstance(props.get(key), str):
            row[key] = props[key]
    if isinstance(props.get("intercom"), bool):
        row["intercom"] = "true" if props["intercom"] else "false"
    for key in _FREE_TEXT:
        if row.get(key, "").startswith(_FORMULA):
            row[key] = "'" + row[key]
    return row


def export_csv(rows: Iterable[tuple[Device, date | None, bool]]) -> bytes:
    """The rows as CSV bytes: UTF-8 with BOM, header :data:`EXPORT_COLUMNS`, CRLF lines."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_COLUMNS), restval="")
    writer.writeheader()
    for device, last, _overdue in rows:
        writer.writerow(device_row(device, last))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


# -- import errors -------------------------------------------------------------------

POSITION = "x, y, line"
_LINE = re.compile(r"^line (\d+): (.*)$", re.S)
_DEVICE = re.compile(r"^(camera|gate|alarm|intercom) '([^']*)': (.*)$", re.S)
_COLUMN_FIRST = re.compile(r"^(" + "|".join(CSV_COLUMNS) + r")\b")

# (pattern, column or None, wording); first match wins
_PATTERNS: tuple[tuple[re.Pattern[str], str | None, Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"^(\w+) is required$"), "", lambda m: _("a value is required")),
    (
        re.compile(r"^(\w+) must be a number, got (.*)$"),
        "",
        lambda m: _("must be a number, got %(v)s", v=m[2]),
    ),
    (
        re.compile(r"^unknown kind '(.*)'"),
        "kind",
        lambda m: _("unknown device kind «%(v)s» (camera, gate, alarm, intercom)", v=m[1]),
    ),
    (
        re.compile(r"^unknown status '(.*)'"),
        "status",
        lambda m: _("unknown status «%(v)s» (active, faulty, offline, planned)", v=m[1]),
    ),
    (
        re.compile(r"^intercom must be true or false, got (.*)$"),
        "intercom",
        lambda m: _("must be true or false, got %(v)s", v=m[1]),
    ),
    (
        re.compile(r"^give either x and y or line, not both"),
        "x, y, line",
        lambda m: _("give either x and y or line, not both"),
    ),
    (
        re.compile(r"^x and y \(or line\) are required"),
        "x, y, line",
        lambda m: _("a position is required: x and y, or line"),
    ),
    (
        re.compile(r"^line must be "),
        "line",
        lambda m: _("must be points 'x1,y1 x2,y2 ...'"),
    ),
    (
        re.compile(r"^resolution: expected (positive )?WIDTHxHEIGHT.*got (.*)$"),
        "resolution",
        lambda m: _("must be WIDTHxHEIGHT such as 1920x1080, got %(v)s", v=m[2]),
    ),
    (
        re.compile(r"^more cells than header columns"),
        None,
        lambda m: _("the row has more cells than the header has columns"),
    ),
    (
        re.compile(r"^no compound \(give"),
        "compound",
        lambda m: _("no compound: fill the compound column or choose a compound above"),
    ),
    (
        re.compile(r"^compound '(.*)' differs from --compound '(.*)'"),
        "compound",
        lambda m: _("compound «%(a)s» differs from the chosen compound «%(b)s»", a=m[1], b=m[2]),
    ),
    (
        re.compile(r"^no compound with code '(.*)'"),
        "compound",
        lambda m: _("there is no compound with code «%(v)s»", v=m[1]),
    ),
    (
        re.compile(r"^compound '(.*)' already has a device '(.*)'"),
        "code",
        lambda m: _(
            "compound «%(c)s» already has a device «%(d)s» (the import only adds devices)",
            c=m[1],
            d=m[2],
        ),
    ),
    (
        re.compile(r"device code already used by (\w+) '(.*)'"),
        "code",
        lambda m: _("the code is used twice in the file"),
    ),
    (
        re.compile(r"^(\w+) must be a date YYYY-MM-DD, got (.*)$"),
        "",
        lambda m: _("must be a date YYYY-MM-DD, got %(v)s", v=m[2]),
    ),
    (re.compile(r"^(\w+) contains a NUL character"), "", lambda m: _("contains a NUL character")),
    (
        re.compile(r"^unknown column\(s\) (.*?) \(known"),
        "",
        lambda m: _("unknown column(s) %(c)s", c=m[1]),
    ),
    (
        re.compile(r"^(\w+) given without (\w+) \(give both, or hfov_deg\)"),
        "",
        lambda m: _("%(a)s is given without %(b)s: give both, or hfov_deg instead", a=m[1], b=m[2]),
    ),
    (
        re.compile(r"^(\w+) is longer than (\d+) characters"),
        "",
        lambda m: _("longer than %(n)s characters", n=m[2]),
    ),
    (
        re.compile(r"^(\w+) must be true or false, got (.*)$"),
        "",
        lambda m: _("must be true or false, got %(v)s", v=m[2]),
    ),
    (
        re.compile(r"^(\w+) must not be empty"),
        "",
        lambda m: _("a value is required"),
    ),
    (re.compile(r"^unknown (\w+) "), "", lambda m: detail_words(m.string)),
    (
        re.compile(r"outside the boundary|inside .*free space|no free space"),
        POSITION,
        lambda m: detail_words(m.string),
    ),
)


def _column_of(pattern_column: str | None, detail: str, m: re.Match[str]) -> str | None:
    if pattern_column != "":
        return pattern_column
    if m.lastindex and m[1] in CSV_COLUMNS:
        return m[1]
    first = _COLUMN_FIRST.match(detail)
    return first[1] if first else None


def _position_columns(text: str | None, row: int) -> str:
    """``line`` when row ``row`` of the file gives one, else ``x, y`` (the position it used)."""
    if text is None:
        return POSITION
    try:
        for number, cells in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            if number == row:
                return "line" if (cells.get("line") or "").strip() else "x, y"
    except csv.Error:
        pass
    return POSITION


def import_error_text(exc: BaseException, text_of_file: str | None = None) -> str:
    """An import error in the reader's language, naming row and column when the message does.

    ``text_of_file`` (the uploaded text) tells a position error's column: ``x, y`` or ``line``.
    """
    # the registry's message in English (the catalogue renders it in any language): its
    # row, column and device are read from the English form, then worded for the reader
    text = (exc.text("en") if isinstance(exc, CamwatchError) else str(exc)).strip()
    if text.startswith("not a readable CSV file"):
        return _("not a readable CSV file")
    if text.startswith("CSV file is empty"):
        return _("the file is empty (a header row is required)")
    if text.startswith("CSV file has no device rows"):
        return _("the file has no device rows")
    lm = _LINE.match(text)
    if lm is None:
        return detail_words(text)
    row, detail = int(lm[1]), lm[2]
    who = ""
    dm = _DEVICE.match(detail)
    if dm:
        who, detail = f"{KIND_LABELS[dm[1]]} «{dm[2]}»", dm[3]
    words, column = detail, None
    for pattern, col, word in _PATTERNS:
        m = pattern.search(detail)
        if m:
            words, column = word(m), _column_of(col, detail, m)
            break
    else:
        first = _COLUMN_FIRST.match(detail)
        column = first[1] if first else None
        words = detail_words(detail)
    if column == POSITION and ("outside" in detail or "inside" in detail):
        column = _position_columns(text_of_file, row)
    if who:
        words = _("%(who)s: %(detail)s", who=who, detail=words)
    if column:
        return _("row %(row)d, column %(column)s: %(detail)s", row=row, column=column, detail=words)
    return _("row %(row)d: %(detail)s", row=row, detail=words)
