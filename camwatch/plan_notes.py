"""The notes a camera plan carries (``note`` in docs/site-format.md §3), said once.

The planner (``planners/plan.py``) makes a plan's note from these messages;
``camwatch plan`` words it for its reader, and the plan's JSON holds its
English. A report built from that JSON (``camwatch report --suggestions FILE``
or ``--suggest K``) has only the English, so :func:`note_text` finds which of
these notes it is and words it in the report's language; a note of any other
form is shown as it is.

>>> note_text("3 of 4 cameras suggested: the budget allows no more", "zh")
'建议了 3 台摄像机（要求 4 台）：预算不允许再增加'
>>> note_text("3 of 4 cameras suggested: the budget allows no more", "en")
'3 of 4 cameras suggested: the budget allows no more'
>>> note_text("a note of another kind", "zh")
'a note of another kind'
"""

from __future__ import annotations

import re
from functools import cache

from camwatch.i18n import Message, Said, msg


def nothing_left() -> Said:
    """The demand is empty: every place that counts is already covered."""
    return Said(msg("nothing left to cover: no suggestion adds coverage"))


def no_candidate() -> Said:
    """No candidate camera adds coverage."""
    return Said(msg("no candidate adds coverage"))


def fewer(n: int, add: int, *, budget: bool) -> Said:
    """Fewer than the ``add`` cameras asked for: the budget, or nothing else adds coverage."""
    if budget:
        return Said(
            msg("%(n)s of %(add)s cameras suggested: the budget allows no more", n=n, add=add)
        )
    return Said(
        msg("%(n)s of %(add)s cameras suggested: no other candidate adds coverage", n=n, add=add)
    )


def within_budget(n: int) -> Said:
    """A budget plan's count of cameras."""
    return Said(msg("%(n)s cameras within the budget", n=n))


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each note's English as a pattern (its parameters as named groups) and its key."""
    notes = (
        nothing_left(),
        no_candidate(),
        fewer(0, 0, budget=True),
        fewer(0, 0, budget=False),
        within_budget(0),
    )
    out = []
    for note in notes:
        key = note.words.key
        pattern = re.sub(r"%\\\((\w+)\\\)s", r"(?P<\1>.+?)", re.escape(key))
        out.append((re.compile(pattern), key))
    return tuple(out)


def note_text(note: str, lang: str) -> str:
    """A plan's note read from its JSON, in ``lang`` (a note of another form: as it is)."""
    for pattern, key in _patterns():
        found = pattern.fullmatch(note)
        if found:
            return Message(key, found.groupdict()).render(lang)
    return note
