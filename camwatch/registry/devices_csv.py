"""Devices from a CSV schedule, all rows or none (docs/registry.md): every row is read
(:mod:`camwatch.registry.csv_rows`), then all new devices are checked together against
each compound's plan and devices, before any is added."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sqlalchemy.orm import Session

from camwatch.errors import NotFoundError, UsageError
from camwatch.i18n import Message, msg
from camwatch.registry.audit import set_actor
from camwatch.registry.codec import DeviceState, state_of
from camwatch.registry.compounds import get_compound
from camwatch.registry.csv_rows import (
    CSV_COLUMNS,
    DERIVED_CSV_COLUMNS,
    at_line,
    check_cells,
    row_state,
)
from camwatch.registry.devices import validate_states
from camwatch.registry.models import Compound, Device


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


def _import_csv(session: Session, text: str, compound: str | None) -> dict[str, list[str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise UsageError(msg("CSV file is empty (a header row is required)"))
    unknown = [h for h in header if h not in CSV_COLUMNS and h not in DERIVED_CSV_COLUMNS]
    if unknown:
        raise at_line(
            1,
            msg(
                "unknown column(s) %(columns)s (known: %(known)s)",
                columns=[repr(u) for u in unknown],
                known=list(CSV_COLUMNS),
            ),
        )
    reader.fieldnames = header
    per_compound: dict[str, list[tuple[int, DeviceState, str | None]]] = {}
    rows = 0
    for row in reader:
        line = reader.line_num
        if None in row:
            raise at_line(line, msg("more cells than header columns"))
        cells = {k: (v or "").strip() for k, v in row.items()}
        check_cells(line, cells)
        if not any(cells.values()):
            continue
        rows += 1
        code_of_compound = cells.get("compound") or compound
        if not code_of_compound:
            raise at_line(line, msg("no compound (give a compound column or --compound)"))
        if compound and cells.get("compound") and cells["compound"] != compound:
            raise at_line(
                line,
                msg(
                    "compound %(compound)s differs from --compound %(given)s",
                    compound=repr(cells["compound"]),
                    given=repr(compound),
                ),
            )
        state, notes = row_state(line, cells)
        per_compound.setdefault(code_of_compound, []).append((line, state, notes))
    if rows == 0:
        raise UsageError(msg("CSV file has no device rows"))

    planned: list[tuple[Compound, list[tuple[DeviceState, str | None]]]] = []
    for code, entries in per_compound.items():
        try:
            comp = get_compound(session, code)
        except NotFoundError as exc:
            raise at_line(entries[0][0], exc.words) from None
        existing = [state_of(d) for d in comp.devices]
        taken = {s.code for s in existing}
        for line, state, _ in entries:
            if state.code in taken:
                raise at_line(
                    line,
                    msg(
                        "compound %(compound)s already has a device %(code)s",
                        compound=repr(code),
                        code=repr(state.code),
                    ),
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
