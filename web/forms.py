"""Form helpers shared by the blueprints."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request

from web.errors import FieldError
from web.i18n import gettext as _

MAX_VERSION = 2**63 - 1  # a row version is a 64-bit integer in every database

try:  # WTForms ≥ 3.3 wants SelectChoice objects (tuples are deprecated)
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms
    SelectChoice = None


def choices(pairs: Iterable[tuple[str, Any]]) -> list[Any]:
    """``[(value, label), ...]`` as select choices for the installed WTForms."""
    if SelectChoice is None:  # pragma: no cover
        return list(pairs)
    return [SelectChoice(value, label) for value, label in pairs]


def whole_number(text: str | None, *, most_digits: int = 18) -> int | None:
    """``text`` as an int when it is 1 to ``most_digits`` ASCII digits, else None.

    For numbers a page or a link writes (row ids, versions, page numbers).
    ``str.isdigit`` alone also admits ``²`` and other digits ``int`` refuses.

    >>> whole_number("12"), whole_number("²"), whole_number("1.5"), whole_number("9" * 30)
    (12, None, None, None)
    """
    if not text or len(text) > most_digits or not (text.isascii() and text.isdigit()):
        return None
    return int(text)


def posted_version(default: int | None = None) -> int | None:
    """The row version a form was filled in against (its hidden ``version`` field), for the
    optimistic lock: ``default`` when the form sends none.

    Anything else than a whole number (a tampered or broken form: ``abc``, ``1.5``,
    ``²``, 20 digits) is a :class:`~web.errors.FieldError` naming the field, never a
    500 and never a change applied without the check (docs/web.md, "Editing").
    """
    raw = request.form.get("version", "")
    if raw == "":
        return default
    version = whole_number(raw, most_digits=19)
    if version is None or version > MAX_VERSION:
        raise FieldError(
            "version", _("version must be a whole number, got %(value)s", value=repr(raw[:40]))
        )
    return version
