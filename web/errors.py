"""Error pages and JSON errors.

Every error a person or a client can cause becomes a 4xx answer with a one-line
message: an HTML page for browsers, ``{"error": {"code", "status", "message"}}``
for the API and fetch() calls. Tracebacks are never shown; unexpected failures
are logged and answered with a plain 500.

CamwatchError → status: SiteFormatError and UsageError 400 (the message names
the offending field), NotFoundError 404, StaleEditError 409, PlanningError 422.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, make_response, render_template
from flask_babel import gettext as _
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
from web.security import wants_json

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


def error_response(status: int, message: str, **extra: Any) -> Response:
    """The error in the form the client wants (JSON or an HTML page)."""
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


def _camwatch_error(exc: CamwatchError) -> Any:
    return error_response(status_of(exc), str(exc))


def _csrf_error(exc: CSRFError) -> Any:
    return error_response(
        400, _("The form expired or was sent from elsewhere; reload the page and try again.")
    )


def _unexpected(exc: Exception) -> Any:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    from flask import current_app

    current_app.logger.exception("unexpected error")
    return error_response(500, _titles()[500])


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CamwatchError, _camwatch_error)
    app.register_error_handler(InternalServerError, _unexpected)
    app.register_error_handler(Exception, _unexpected)
