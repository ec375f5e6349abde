"""What every API route wears: the role it needs and the error answers it documents."""

from __future__ import annotations

import functools
from typing import Any

from flask import abort, g

from web.api import bp
from web.api.outputs import ErrorSchema
from web.security import has_permission


def documents_errors(*codes: int) -> Any:
    """Document the error answers of a route (401, 403, 404 and ``codes``)."""

    def decorate(func: Any) -> Any:
        for code in sorted({401, 403, 404, *codes}, reverse=True):
            func = bp.alt_response(code, schema=ErrorSchema, description="error")(func)
        return func

    return decorate


def need(permission: str) -> None:
    """403 unless the caller has ``permission``."""
    if not has_permission(g.user, permission):
        abort(403)


def requires(permission: str) -> Any:
    """403 without ``permission``, checked before the body is read (placed under ``route``)."""

    def decorate(func: Any) -> Any:
        @functools.wraps(func)
        def view(*args: Any, **kwargs: Any) -> Any:
            need(permission)
            return func(*args, **kwargs)

        return view

    return decorate
