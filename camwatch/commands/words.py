"""The ledger commands' words in ``camwatch --lang``: table headings and enumerated values.

:func:`camwatch.commands.common.table` words every column heading through this
table, so each command keeps writing its English headings (the English output
is byte for byte what it was); a heading of another form is shown as it is.
Titles are messages made by each command.

The enumerated values the ledger stores (a device's kind and status, a
maintenance kind, a problem's status and source, a severity, a role) are shown
by :func:`value` with the web's labels (the same catalogue entries as
``web/templating.py`` and ``web/auth.py``) under ``--lang zh``, and as stored in
English; ``--json`` prints them as stored. Codes, names and what a person
wrote are the ledger's data and are not worded (docs/web.md, "Languages").

>>> heading("deadline").render("zh")
'整改期限'
>>> from camwatch.i18n import use_language
>>> with use_language("zh"):
...     value("status", "faulty"), value("status", "unknown")
('故障', 'unknown')
>>> with use_language("en"):
...     value("status", "faulty")
'faulty'
"""

from __future__ import annotations

from camwatch.i18n import DEFAULT_LANG, Message, current_language, msg, term_msg

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
    # the fields `devices show` and `problems show` list, one a line
    "id": term_msg("column", "id"),
    "manufacturer": term_msg("column", "manufacturer"),
    "model": term_msg("column", "model"),
    "install_date": term_msg("column", "install_date"),
    "warranty_end": term_msg("column", "warranty_end"),
    "status_changed_at": term_msg("column", "status_changed_at"),
    "version": term_msg("column", "version"),
    "geometry": term_msg("column", "geometry"),
    "properties": term_msg("column", "properties"),
    "source": term_msg("column", "source"),
    "zone": term_msg("column", "zone"),
    "responsible_unit": term_msg("column", "responsible_unit"),
    "responsible_person": term_msg("column", "responsible_person"),
    "recheck_date": term_msg("column", "recheck_date"),
    "recheck_result": term_msg("column", "recheck_result"),
    "created_by": term_msg("column", "created_by"),
}


def heading(column: str) -> Message | str:
    """A column heading as a message (unknown headings: as given)."""
    return HEADINGS.get(column, column)


# enumerated values by what they are (camwatch.model's tuples), worded as the web's labels
VALUES: dict[str, dict[str, Message]] = {
    "kind": {
        "camera": msg("Camera"),
        "gate": msg("Gate (access control)"),
        "alarm": msg("Alarm"),
        "intercom": msg("Intercom"),
    },
    "status": {
        "active": msg("Active"),
        "faulty": msg("Faulty"),
        "offline": msg("Offline"),
        "planned": msg("Planned"),
        "retired": msg("Retired"),
    },
    "maintenance": {
        "inspection": msg("Check"),
        "repair": msg("Repair"),
        "replacement": msg("Replacement"),
        "cleaning": msg("Cleaning"),
        "firmware": msg("Firmware update"),
    },
    "problem": {
        "open": msg("Open"),
        "in_progress": msg("In progress"),
        "fixed": msg("Fixed, awaiting re-check"),
        "verified": msg("Verified"),
        "reopened": msg("Reopened"),
    },
    "source": {
        "analysis": msg("Coverage analysis"),
        "inspection": msg("Inspection"),
        "patrol": msg("Patrol"),
        "resident_report": msg("Resident report"),
    },
    "severity": {"error": msg("Error"), "warning": msg("Warning"), "info": msg("Info")},
    "event": {  # a problem's history (camwatch.registry.problems), as its web page says it
        "opened": msg("opened"),
        "status": term_msg("column", "status"),
        "recheck": msg("re-check"),
        "deadline": msg("new deadline"),
        "edit": msg("edited"),
        "note": term_msg("column", "note"),
    },
    "audit": {  # a record's change history (camwatch.registry.audit)
        "insert": term_msg("audit", "insert"),
        "update": term_msg("audit", "update"),
        "delete": term_msg("audit", "delete"),
    },
    "role": {
        "admin": msg("Administrator"),
        "district": msg("District office"),
        "planner": msg("Planner"),
        "technician": msg("Technician"),
        "manager": msg("Property manager"),
    },
    "flag": {"yes": msg("Yes"), "no": msg("No")},
    "access": {
        "none": msg("None"),
        "card": msg("Card"),
        "face": msg("Face recognition"),
        "code": msg("PIN code"),
        "qr": msg("QR code"),
    },
    "alarm": {
        "infrared_beam": msg("Infrared beam"),
        "electric_fence": msg("Electric fence"),
        "door_contact": msg("Door contact"),
        "panic_button": msg("Panic button"),
        "vibration": msg("Vibration sensor"),
    },
}


def value(what: str, stored: str) -> str:
    """A stored enumerated value (``what``: a key of :data:`VALUES`) for the reader: as
    stored in English, else the web's label (unknown values: as stored)."""
    found = VALUES[what].get(stored)
    if found is None or current_language() == DEFAULT_LANG:
        return stored
    return found.render()


def change(what: str, before: str | None, after: str | None) -> str:
    """``before → after`` of two stored values, each as :func:`value` shows it."""
    return f"{value(what, str(before))} → {value(what, str(after))}"
