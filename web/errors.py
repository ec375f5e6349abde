"""Error pages and JSON errors.

Every error a person or a client can cause becomes a 4xx answer with a one-line
message: an HTML page for browsers, ``{"error": {"code", "status", "message"}}``
for the API and fetch() calls. Tracebacks are never shown; unexpected failures
are logged and answered with a plain 500 (for ``/api`` always JSON: the last
resort handler cannot fail, whatever the request or the database's state).

CamwatchError → status: SiteFormatError and UsageError 400 (the message names
the offending field), NotFoundError 404, StaleEditError 409, PlanningError 422.
A :class:`FieldError` (bad input caught by a schema, ``web.api.schemas``) also
names the field in ``error.field``; so does a ledger error whose message starts
with a field name (``focal_mm must be ...``).
"""

from __future__ import annotations

import contextlib
import re
from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from camwatch.errors import (
    CamwatchError,
    NotFoundError,
    PlanningError,
    SiteFormatError,
    StaleEditError,
    UsageError,
)
from web.i18n import gettext as _
from web.security import wants_json


class FieldError(UsageError):
    """Bad input in one field of a request (400; ``field`` is named in the JSON error)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        if not message.startswith(field):
            message = f"{field} {message}" if message[:1].islower() else f"{field}: {message}"
        super().__init__(message)


_FIELD_IN_MESSAGE = re.compile(r"(?:^|: )([a-z][a-z0-9_.]*)(?::|(?: must| is| needs)\b)")

STATUS_OF: tuple[tuple[type[CamwatchError], int], ...] = (
    (SiteFormatError, 400),
    (UsageError, 400),
    (NotFoundError, 404),
    (StaleEditError, 409),
    (PlanningError, 422),
)

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


def status_of(exc: CamwatchError) -> int:
    """The HTTP status for a CamwatchError."""
    for cls, status in STATUS_OF:
        if isinstance(exc, cls):
            return status
    return 400


def field_of(exc: BaseException) -> str | None:
    """The input field an error is about: given by a FieldError, else the first
    ``name must``/``name:`` in the message (the ledger's messages start so), else the
    first input field with an underscore in its name the message names (``focal_mm``;
    short names such as ``k`` or ``name`` are too ambiguous to find in prose)."""
    field = getattr(exc, "field", None)
    if field:
        return str(field)
    # read in English: the catalogue words a message in the reader's language
    message = exc.text("en") if isinstance(exc, CamwatchError) else str(exc)
    message = message.removeprefix("site: ")  # the site member's fields are named after it
    match = _FIELD_IN_MESSAGE.search(message)
    if match:  # a dotted path (``feature.properties.name``) names its last part
        return match.group(1).rsplit(".", 1)[-1]
    from web.api.schemas import INPUT_FIELDS  # the names a client can send

    named = [
        (m.start(), name)
        for name in INPUT_FIELDS
        if "_" in name and (m := re.search(rf"\b{re.escape(name)}\b", message))
    ]
    return min(named)[1] if named else None


def printable(message: str) -> str:
    """The message with anything that cannot be encoded (lone surrogates) escaped."""
    return message.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(status: int, message: str, **extra: Any) -> Response:
    """The error in the form the client wants (JSON or an HTML page)."""
    message = printable(message)
    if wants_json():
        body = {"error": {"code": CODES.get(status, "error"), "status": status, "message": message}}
        body["error"].update(extra)
        response = jsonify(body)
    else:
        response = make_response(
            render_template("errors/error.html", status=status, message=message)
        )
    response.status_code = status
    return response


def _titles() -> dict[int, str]:
    return {
        400: _("The request was not understood."),
        401: _("Please sign in."),
        403: _("Your role does not allow this."),
        404: _("Not found."),
        405: _("This method is not allowed here."),
        409: _("Someone else changed this record; nothing was overwritten."),
        413: _("The upload is too large."),
        429: _("Too many attempts; please wait and try again."),
        500: _("Something went wrong on the server."),
    }


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    message = _titles().get(status) or exc.description or exc.name
    if exc.description and exc.description != type(exc).description:
        message = exc.description  # a specific message given by the view, e.g. the wait time
    response = error_response(status, message)
    methods = getattr(exc, "valid_methods", None)
    if status == 405 and methods:
        response.headers["Allow"] = ", ".join(methods)
    retry = getattr(exc, "retry_after", None)
    if retry:
        response.headers["Retry-After"] = str(int(retry))
    return response


def _rollback() -> None:
    """End the request's failed transaction, so the error answer can read (user, language)."""
    from flask import g

    session = g.get("_db_session")
    if session is not None:
        with contextlib.suppress(Exception):  # the connection may be gone; the answer still goes
            session.rollback()


def _safe(handler: Any) -> Any:
    """``handler`` that answers :func:`last_resort` instead of raising."""

    def wrapped(exc: Any) -> Any:
        try:
            return handler(exc)
        except Exception:
            return last_resort()

    wrapped.__name__ = handler.__name__
    return wrapped


def _camwatch_error(exc: CamwatchError) -> Any:
    _rollback()
    status = status_of(exc)
    field = field_of(exc) if status == 400 else None
    from web.messages import error_text  # range errors worded whole in the page language

    return error_response(status, error_text(exc), **({"field": field} if field else {}))


def _unencodable(exc: UnicodeEncodeError) -> Any:
    """Text with lone surrogates (``"\\ud800"``, valid in JSON, not in UTF-8) that a route
    did not check reached the database or a file: the client's input, so a 400."""
    if "surrogates" not in str(exc.reason):
        return _unexpected(exc)
    _rollback()
    message = "body: text with lone surrogates (\\ud800-\\udfff) cannot be stored"
    return error_response(400, message, field="body")


def _csrf_error(exc: CSRFError) -> Any:
    return error_response(
        400, _("The form expired or was sent from elsewhere; reload the page and try again.")
    )


_LAST_RESORT = (
    b'{"error":{"code":"internal_error","status":500,'
    b'"message":"Something went wrong on the server."}}'
)


def _unexpected(exc: Exception) -> Any:
    """Any other failure: logged, answered 500. Never raises: if even the normal error
    answer fails (a broken database session, an unprintable message), a fixed one goes."""
    try:
        if isinstance(exc, HTTPException) and (exc.code or 500) < 500:
            return _http_error(exc)
        from flask import current_app

        _rollback()
        with contextlib.suppress(Exception):  # logging must not turn a 500 into a crash
            current_app.logger.exception("unexpected error")
        return error_response(500, _titles()[500])
    except Exception:
        return last_resort()


def last_resort() -> Response:
    """A fixed 500 answer built without templates, translations or the database."""
    try:
        html = not request.path.startswith("/api/") and not wants_json()
    except Exception:
        html = False
    if html:
        return Response("Something went wrong on the server.", 500, mimetype="text/plain")
    return Response(_LAST_RESORT, 500, mimetype="application/json")


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _safe(_csrf_error))
    app.register_error_handler(HTTPException, _safe(_http_error))
    app.register_error_handler(CamwatchError, _safe(_camwatch_error))
    app.register_error_handler(UnicodeEncodeError, _safe(_unencodable))
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
