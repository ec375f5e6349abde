"""The ledger's checks of a device row's own values: its code, text columns, dates and
choices (a status, a role...), with errors naming the device (docs/registry.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import String

from camwatch.errors import SiteFormatError, UsageError, named
from camwatch.i18n import Message, msg
from camwatch.registry.models import Device
from camwatch.sitefile.values import show

MAX_CODE_LENGTH = 64
# What the ledger's columns hold (PostgreSQL refuses longer text; SQLite would not notice).
TEXT_LIMITS: dict[str, int] = {
    key: cast(String, Device.__table__.c[key].type).length or 0
    for key in ("name", "model", "serial", "manufacturer")
}


def device_error(
    index: int | None, kind: str, code: str | None, message: str | Message
) -> SiteFormatError:
    """A SiteFormatError naming the feature (by index in a file) or else the device."""
    if index is None:
        return SiteFormatError(msg("%(who)s: %(detail)s", who=named(kind, code), detail=message))
    return SiteFormatError(message, index=index, kind=kind, ident=code)


def text_column(value: Any, key: str, index: int | None, kind: str, code: str | None) -> str | None:
    """A text column's value (an integer kept as its decimal string), within its length."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise device_error(
            index,
            kind,
            code,
            msg("%(key)s must be a string, got %(value)s", key=key, value=show(value)),
        )
    limit = TEXT_LIMITS.get(key)
    if limit is not None and len(value) > limit:
        raise device_error(
            index, kind, code, msg("%(key)s is longer than %(n)s characters", key=key, n=limit)
        )
    return value


def parse_date(
    value: Any, key: str, *, index: int | None = None, kind: str = "device", code: str | None = None
) -> date | None:
    """A ``YYYY-MM-DD`` date (or None); a clear SiteFormatError naming the device otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise device_error(
        index,
        kind,
        code,
        msg("%(key)s must be a date YYYY-MM-DD, got %(value)s", key=key, value=repr(value)),
    )


def check_choice(what: str, value: str, allowed: Sequence[str]) -> None:
    """Refuse a ``value`` of ``what`` (a status, role, source...) that is not one of ``allowed``."""
    if value not in allowed:
        raise UsageError(
            msg(
                "%(what)s must be one of %(allowed)s, got %(value)s",
                what=what,
                allowed=list(allowed),
                value=repr(value),
            )
        )


def check_code(code: Any, *, index: int | None = None, kind: str = "device") -> str:
    """A device code: a non-empty string of at most 64 characters without surrounding spaces."""
    if isinstance(code, int) and not isinstance(code, bool):
        code = str(code)
    if not isinstance(code, str) or not code.strip():
        raise device_error(
            index,
            kind,
            None,
            msg("device code must be a non-empty string, got %(value)s", value=repr(code)),
        )
    if code != code.strip():
        raise device_error(index, kind, code, msg("device code must not start or end with spaces"))
    if len(code) > MAX_CODE_LENGTH:
        raise device_error(
            index, kind, code, msg("device code is longer than %(n)s characters", n=MAX_CODE_LENGTH)
        )
    return code
