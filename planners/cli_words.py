"""The planners' English facts, worded for ``camwatch --lang`` (used by :mod:`planners.cli`).

A plan's ``note``, a mount's reference (``mount #3 'east wall'``) and the
"spots not visited" remark are English text in the plan result, as the
``--json`` object carries them (docs/site-format.md §3: JSON stays English).
The readable output words the known forms through this table, from the
text's own fields; a text of another form is shown as it is.

>>> note_words("2 of 3 cameras suggested: no other candidate adds coverage").render("zh")
'建议了 2 台摄像机（要求 3 台）：没有其他候选位置能增加覆盖'
>>> text_of(mount_words("mount #108 '5栋外墙'"), "zh"), text_of(mount_words("elsewhere"), "zh")
("安装点 #108 '5栋外墙'", 'elsewhere')
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from camwatch.i18n import Message, current_language, msg, term_msg, text_of

__all__ = ["mount_words", "note_words", "skipped_words", "suggestion_word", "text_of", "word"]

Forms = tuple[tuple[re.Pattern[str], Callable[[dict[str, Any]], Message]], ...]

_NOTES: Forms = (
    (
        re.compile(r"nothing left to cover: no suggestion adds coverage"),
        lambda g: msg("nothing left to cover: no suggestion adds coverage"),
    ),
    (re.compile(r"no candidate adds coverage"), lambda g: msg("no candidate adds coverage")),
    (
        re.compile(r"(?P<n>\d+) of (?P<add>\d+) cameras suggested: the budget allows no more"),
        lambda g: msg("%(n)s of %(add)s cameras suggested: the budget allows no more", **g),
    ),
    (
        re.compile(
            r"(?P<n>\d+) of (?P<add>\d+) cameras suggested: no other candidate adds coverage"
        ),
        lambda g: msg("%(n)s of %(add)s cameras suggested: no other candidate adds coverage", **g),
    ),
    (
        re.compile(r"(?P<n>\d+) cameras within the budget"),
        lambda g: msg("%(n)s cameras within the budget", **g),
    ),
)
_MOUNTS: Forms = (
    (re.compile(r"mount #(?P<i>\d+)"), lambda g: msg("mount #%(i)s", **g)),
    (
        re.compile(r"mount #(?P<i>\d+) '(?P<name>.*)'", re.S),
        lambda g: msg("mount #%(i)s '%(name)s'", **g),
    ),
    (re.compile(r"building #(?P<i>\d+)"), lambda g: msg("building #%(i)s", **g)),
    (re.compile(r"building '(?P<name>.*)'", re.S), lambda g: msg("building '%(name)s'", **g)),
)
_SKIPPED: Forms = (
    (
        re.compile(
            r"(?P<n>\d+) of (?P<total>\d+) spots not visited: candidate generation bound "
            r"reached \(--candidate-limit/--candidate-seconds\)"
        ),
        lambda g: msg(
            "%(n)s of %(total)s spots not visited: candidate generation bound reached "
            "(--candidate-limit/--candidate-seconds)",
            **g,
        ),
    ),
)
# device suggestion types (planners/devices.py) as a reader says them
_SUGGESTIONS: dict[str, Message] = {
    "access_control": term_msg("plan", "access control"),
    "identification_camera": term_msg("plan", "identification camera"),
    "intercom": term_msg("plan", "intercom"),
    "infrared_beam": term_msg("plan", "infrared beam"),
    "electric_fence": term_msg("plan", "electric fence"),
}


def _match(text: str, forms: Forms) -> Message | str:
    for pattern, words in forms:
        found = pattern.fullmatch(text)
        if found is not None:
            return words(found.groupdict())
    return text


def note_words(note: str) -> Message | str:
    """A plan's note as a message (unknown forms: the text)."""
    return _match(note, _NOTES)


def mount_words(ref: str) -> Message | str:
    """A candidate's mount reference as a message (unknown forms: the text)."""
    return _match(ref, _MOUNTS)


def skipped_words(remark: str) -> Message | str:
    """A "spots not visited" remark as a message (unknown forms: the text)."""
    return _match(remark, _SKIPPED)


def word(value: str) -> str:
    """An enumerated value (a level, a kind) as the plan says it; in English, as it is."""
    if current_language() == "en":
        return value
    return term_msg("plan", value.replace("_", " ")).render()


def suggestion_word(kind: str) -> str:
    """A device suggestion's type as the reader says it; in English, as it is."""
    if current_language() == "en" or kind not in _SUGGESTIONS:
        return kind
    return _SUGGESTIONS[kind].render()
