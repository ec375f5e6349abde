"""The lines the ledger adds to a device's notes when it is retired or restored.

A device's notes are text a person writes; retiring or restoring it appends one
line of the ledger's own, in English — ``retired 2026-01-02: <reason>``,
``restored 2026-01-02`` — which is what is stored, exported and shown on the
web. :func:`notes_text` words those lines for a reader (``camwatch devices
show --lang zh``) and leaves every other line, and the reason, as written.

>>> notes = "lens cracked\\n" + retired_line("2026-01-02", "moved to gate 2")
>>> notes
'lens cracked\\nretired 2026-01-02: moved to gate 2'
>>> print(notes_text(notes, "zh"))
lens cracked
2026-01-02 停用：moved to gate 2
>>> notes_text(notes, "en") == notes
True
"""

from __future__ import annotations

import re

from camwatch.i18n import Message, msg

_LINE = re.compile(r"(retired|restored) (\d{4}-\d{2}-\d{2})(?:: (.*))?")


def retired_line(day: str, reason: str | None) -> str:
    """The line appended to the notes of a device retired on ``day`` (ISO date)."""
    return f"retired {day}" + (f": {reason}" if reason else "")


def restored_line(day: str, reason: str | None) -> str:
    """The line appended to the notes of a device restored on ``day`` (ISO date)."""
    return f"restored {day}" + (f": {reason}" if reason else "")


def _worded(what: str, day: str, reason: str | None) -> Message:
    if what == "retired":
        if reason is None:
            return msg("retired %(day)s", day=day)
        return msg("retired %(day)s: %(reason)s", day=day, reason=reason)
    if reason is None:
        return msg("restored %(day)s", day=day)
    return msg("restored %(day)s: %(reason)s", day=day, reason=reason)


def notes_text(notes: str, lang: str | None = None) -> str:
    """A device's notes in ``lang`` (default: the current language): the ledger's own
    lines worded, the rest as written."""
    lines = []
    for line in notes.split("\n"):
        found = _LINE.fullmatch(line)
        lines.append(_worded(*found.groups()).render(lang) if found else line)
    return "\n".join(lines)
