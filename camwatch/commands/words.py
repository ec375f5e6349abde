"""The ledger commands' table headings in ``camwatch --lang``.

:func:`camwatch.commands.common.table` words every column heading through this
table, so each command keeps writing its English headings (the English output
is byte for byte what it was); a heading of another form is shown as it is.
Titles are messages made by each command. Cell values — codes, names,
statuses as stored — are the ledger's data and are not worded here
(docs/web.md, "Languages").

>>> heading("deadline").render("zh")
'整改期限'
"""

from __future__ import annotations

from camwatch.i18n import Message, term_msg

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


def heading(column: str) -> Message | str:
    """A column heading as a message (unknown headings: as given)."""
    return HEADINGS.get(column, column)
