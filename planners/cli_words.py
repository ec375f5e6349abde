"""The planners' enumerated values as a reader says them (used by :mod:`planners.cli`).

A plan's note, its "spots not visited" remark and a suggestion's mount are
messages in the plan result itself (worded for the reader; ``--json`` and the
planner's remarks hold their English).

>>> from camwatch.i18n import use_language
>>> with use_language("zh"):
...     suggestion_word("intercom") != "intercom"
True
"""

from __future__ import annotations

from camwatch.i18n import Message, current_language, term_msg

__all__ = ["suggestion_word", "word"]

# device suggestion types (planners/devices.py) as a reader says them
_SUGGESTIONS: dict[str, Message] = {
    "access_control": term_msg("plan", "access control"),
    "identification_camera": term_msg("plan", "identification camera"),
    "intercom": term_msg("plan", "intercom"),
    "infrared_beam": term_msg("plan", "infrared beam"),
    "electric_fence": term_msg("plan", "electric fence"),
}


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
