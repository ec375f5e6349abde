"""What the API and the map's JSON routes share around a write: conflicts and ledger errors."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Response, current_app, jsonify

from camwatch.errors import StaleEditError
from web.db import db_session
from web.errors import FieldError, field_of, printable


def conflict(exc: StaleEditError, current: Callable[[], Any]) -> tuple[Response, int]:
    """409 with the record as it is now.

    The failed transaction is rolled back *first* (reading through it raises
    ``PendingRollbackError``); ``current()`` then reads the committed row. If
    even that read fails, the 409 still goes, with ``current: null``.
    """
    db = db_session()
    db.rollback()
    try:
        state = current()
    except Exception:
        current_app.logger.warning("conflict: could not read the current state", exc_info=True)
        db.rollback()
        state = None
    body = {
        "error": {"code": "conflict", "status": 409, "message": printable(str(exc))},
        "current": state,
    }
    return jsonify(body), 409


@contextmanager
def registry_errors() -> Iterator[None]:
    """A ``ValueError``/``OverflowError`` from the ledger is bad input (400 naming the field)."""
    try:
        yield
    except (ValueError, OverflowError) as exc:
        db_session().rollback()
        raise FieldError(field_of(exc) or "body", str(exc) or type(exc).__name__) from None
