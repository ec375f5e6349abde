"""REST API under ``/api/v1`` for programs: compounds, devices, analysis, plan, problems.

Authentication: ``Authorization: Bearer <token>`` (a user issues their token on
their account page; only its SHA-256 is stored). The caller acts as that user,
with that user's role and compounds (:data:`web.security.PERMISSIONS`). No
cookies are read here, so CSRF protection does not apply (the blueprint is
exempt). Every error is JSON ``{"error": {"code", "status", "message"}}``:
400 bad input (message names the field), 401 no or bad token, 403 role,
404 unknown or not visible, 409 stale version, 422 planner cannot, 429, 5xx.

The OpenAPI 3 document is :mod:`web.api.openapi`, served at ``openapi.json``;
a test checks that it lists exactly the routes registered here.
"""

from __future__ import annotations

from flask import Blueprint, abort, g, jsonify, request

from camwatch.registry.users import user_for_token
from web.db import db_session

bp: Blueprint = Blueprint("api", __name__)

PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.index"})


@bp.before_request
def _authenticate() -> None:
    g.user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        abort(401)
    db = db_session()
    user = user_for_token(db, token.strip())
    if user is None:
        abort(401)
    g.user = user
    db.info["actor"] = user.username


@bp.after_request
def _www_authenticate(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="camwatch"'
    return response


@bp.get("/")
def index():
    """Where to start: the OpenAPI document."""
    from flask import url_for

    return jsonify({"name": "camwatch API", "version": "v1", "openapi": url_for("api.openapi")})


from web.api import routes  # noqa: E402,F401  (registers the routes on bp)
from web.api.openapi import openapi  # noqa: E402,F401
