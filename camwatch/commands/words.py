"""The ledger commands' table headings and titles in ``camwatch --lang``.

:func:`camwatch.commands.common.table` words every column heading and title
through these tables, so each command keeps writing its English headings (the
English output is byte for byte what it was). A heading or title of another
form is shown as it is. Cell values — codes, names, statuses as stored — are
the ledger's data and are not worded here (docs/web.md, "Languages").

>>> heading("deadline").render("zh"), title("Problems (3) — overdue").render("zh")
('整改期限', '问题清单（3）— 逾期')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from camwatch.i18n import Message, msg, term_msg

HEADINGS: dict[str, Message] = {
    "#": term_msg("column", "#"),
    "action": term_msg("column", "action"),
    "active": term_msg("column", "active"),
    "actor": term_msg("column", "actor"),
    "alarms": term_msg("column", "alarms"),
    "at": term_msg("column", "at"),
    "cameras": term_msg("column", "cameras"),
    "changes": term_msg("column", "changes"),
    "code": term_msg("column", "code"),
    "compound": term_msg("column", "compound"),
    "compounds": term_msg("column", "compounds"),
    "date": term_msg("column", "date"),
    "deadline": term_msg("column", "deadline"),
    "description": term_msg("column", "description"),
    "detail": term_msg("column", "detail"),
    "device": term_msg("column", "device"),
    "district": term_msg("column", "district"),
    "features": term_msg("column", "features"),
    "findings": term_msg("column", "findings"),
    "gates": term_msg("column", "gates"),
    "installed": term_msg("column", "installed"),
    "intercoms": term_msg("column", "intercoms"),
    "item": term_msg("column", "item"),
    "kind": term_msg("column", "kind"),
    "lang": term_msg("column", "lang"),
    "make/model": term_msg("column", "make/model"),
    "name": term_msg("column", "name"),
    "note": term_msg("column", "note"),
    "notes": term_msg("column", "notes"),
    "open": term_msg("column", "open"),
    "overdue": term_msg("column", "overdue"),
    "responsible": term_msg("column", "responsible"),
    "result": term_msg("column", "result"),
    "role": term_msg("column", "role"),
    "serial": term_msg("column", "serial"),
    "severity": term_msg("column", "severity"),
    "status": term_msg("column", "status"),
    "technician": term_msg("column", "technician"),
    "token": term_msg("column", "token"),
    "username": term_msg("column", "username"),
    "v": term_msg("column", "v"),
    "where": term_msg("column", "where"),
}

_TITLES: tuple[tuple[re.Pattern[str], Callable[[dict[str, Any]], Message]], ...] = (
    (re.compile(r"Compounds"), lambda g: msg("Compounds")),
    (re.compile(r"Users"), lambda g: msg("Users")),
    (re.compile(r"History"), lambda g: msg("History")),
    (re.compile(r"Maintenance"), lambda g: msg("Maintenance")),
    (
        re.compile(r"Maintenance of (?P<compound>.+)", re.S),
        lambda g: msg("Maintenance of %(compound)s", **g),
    ),
    (
        re.compile(r"Devices of (?P<compound>.+) \((?P<n>\d+)\)", re.S),
        lambda g: msg("Devices of %(compound)s (%(n)s)", **g),
    ),
    (re.compile(r"Problems \((?P<n>\d+)\)"), lambda g: msg("Problems (%(n)s)", **g)),
    (
        re.compile(r"Problems \((?P<n>\d+)\) — overdue"),
        lambda g: msg("Problems (%(n)s) — overdue", **g),
    ),
    (
        re.compile(
            r"Inspection #(?P<id>\d+) of (?P<compound>.+) on (?P<date>\S+) by (?P<who>.+)", re.S
        ),
        lambda g: msg("Inspection #%(id)s of %(compound)s on %(date)s by %(who)s", **g),
    ),
)


def heading(column: str) -> Message | str:
    """A column heading as a message (unknown headings: as given)."""
    return HEADINGS.get(column, column)


def title(text: str) -> Message | str:
    """A table title as a message (unknown forms: as given)."""
    for pattern, words in _TITLES:
        found = pattern.fullmatch(text)
        if found is not None:
            return words(found.groupdict())
    return text
