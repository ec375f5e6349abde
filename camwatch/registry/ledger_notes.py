"""The ledger's own words inside free-text fields, stored in English and worded for
a reader.

* A device's notes are text a person writes; retiring or restoring it appends one
  line of the ledger's own — ``retired 2026-01-02: <reason>``, ``restored
  2026-01-02`` — which is what is stored and exported. :func:`notes_text` words
  those lines (``camwatch devices show``, the device page) and leaves every other
  line, and the reason, as written.
* A problem edited without a note gets the history note ``changed
  responsible_unit, description`` (the fields changed), and ``camwatch check
  --open-problems`` re-checks a fixed problem with the result ``standards check
  (<profile>) still finds: <finding>`` or ``... no longer finds it``;
  :func:`event_note_text` words these (history notes and re-check results:
  ``camwatch problems show``, the problem page) and leaves a person's words, the
  profile and the finding as written.

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

from camwatch.i18n import Message, msg, text_of

# the fields an edit of a problem may change, as an edit's history note names them
_PROBLEM_FIELDS = {
    "responsible_unit": msg("responsible unit"),
    "responsible_person": msg("responsible person"),
    "description": msg("description"),
}
_FIELD = "(?:responsible_unit|responsible_person|description)"
_CHANGED = re.compile(rf"changed ({_FIELD}(?:, {_FIELD})*)")
_STILL = re.compile(r"standards check \((.*?)\) still finds: (.*)", re.S)
_GONE = re.compile(r"standards check \((.*?)\) no longer finds it")

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


def changed_note(fields: list[str]) -> str:
    """The history note of a problem edit that came without one: the fields changed."""
    return f"changed {', '.join(fields)}"


def still_finds_result(profile: str, finding: str) -> str:
    """The result of a standards re-check that still finds the problem's finding."""
    return f"standards check ({profile}) still finds: {finding}"


def no_longer_finds_result(profile: str) -> str:
    """The result of a standards re-check that no longer finds it."""
    return f"standards check ({profile}) no longer finds it"


def event_note_text(note: str | None, lang: str | None = None) -> str | None:
    """A problem history note or re-check result in ``lang`` (default: the current
    language): the ledger's own lines worded, a person's words as written.

    >>> event_note_text(changed_note(["responsible_unit", "description"]), "zh")
    '修改了责任单位、问题描述'
    >>> event_note_text(no_longer_finds_result("national"), "zh")
    '标准检查（national）已不再发现该问题'
    >>> event_note_text("changed my mind", "zh")
    'changed my mind'
    """
    text = note or ""
    if found := _STILL.fullmatch(text):
        return text_of(
            msg("standards check (%(profile)s) still finds: %(what)s",
                profile=found.group(1), what=found.group(2)), lang,
        )  # fmt: skip
    if found := _GONE.fullmatch(text):
        return text_of(
            msg("standards check (%(profile)s) no longer finds it", profile=found.group(1)), lang
        )
    found = _CHANGED.fullmatch(text)
    if not found:
        return note
    fields = [_PROBLEM_FIELDS[f] for f in found.group(1).split(", ")]  # a list: 、 or , joined
    return text_of(msg("changed %(fields)s", fields=fields), lang)
