"""REST API under ``/api/v1`` for programs: compounds, devices, analysis, plan, problems.

Authentication: ``Authorization: Bearer <token>`` (a user issues their token on
their account page; only its SHA-256 is stored). The caller acts as that user,
with that user's role and compounds (:data:`web.security.PERMISSIONS`). No
cookies are read here, so CSRF protection does not apply (the blueprint is
exempt). Every error is JSON ``{"error": {"code", "status", "message"}}``
(``field`` too when one input field is at fault): 400 bad input, 401 no or bad
token, 403 role, 404 unknown or not visible, 409 stale version (with
``current``), 422 planner cannot, 429, 5xx. Every answer carries
``Cache-Control: no-store``.

Requests and answers are described by the marshmallow schemas of
:mod:`web.api.schemas`; flask-smorest builds the OpenAPI 3 document from them
and from the routes (:func:`openapi_document`), served at ``openapi.json``.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, abort, current_app, g, jsonify, request, url_for
from flask.json.provider import DefaultJSONProvider
from flask_smorest import Api, Blueprint
from webargs.flaskparser import FlaskParser

from camwatch.registry.users import user_for_token
from web.api.fields import BodyError, read_json
from web.db import db_session

PREFIX = "/api/v1"
PUBLIC_ENDPOINTS = frozenset({"api.openapi", "api.index"})


class _Parser(FlaskParser):
    """webargs' parser with camwatch's errors: a 400 naming the field, bodies parsed safely."""

    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: Any) -> Any:
        from web.errors import FieldError

        raw = req.get_data(cache=True)
        if not raw:
            return {}
        try:
            return read_json(raw)
        except BodyError as exc:
            raise FieldError("body", str(exc)) from None

    def handle_error(self, error: Any, req: Any, schema: Any, **_kw: Any) -> Any:
        from marshmallow import ValidationError

        from web.api.schemas import error_from

        messages = error.messages
        if isinstance(messages, dict) and len(messages) == 1:
            ((location, inner),) = messages.items()
            if location in ("json", "query", "form", "headers", "view_args"):
                messages = inner  # webargs files the messages under the location
        raise error_from(ValidationError(messages))


class _Blueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()


class _SafeJSON(DefaultJSONProvider):
    """Flask's JSON with one change: a body nested too deep to parse is bad JSON
    (``ValueError``, so ``request.get_json`` answers 400), not a ``RecursionError``."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError("the JSON is nested too deeply") from None


def _error_schema() -> Any:
    from web.api.outputs import ErrorSchema

    return ErrorSchema


class _Api(Api):
    """flask-smorest without its app-wide error handlers (``web.errors`` answers errors);
    its documented error answers use camwatch's error schema."""

    def _register_error_handlers(self) -> None:
        pass


bp = _Blueprint("api", __name__, description="camwatch REST API")


def init_app(app: Flask) -> None:
    """Register the API blueprint and build its OpenAPI document; make every route's
    ``request.get_json`` refuse over-deep JSON as bad input."""
    app.json = _SafeJSON(app)
    from web import RowId

    app.config.setdefault("API_TITLE", "camwatch API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    _Api.ERROR_SCHEMA = _error_schema()
    api = _Api(
        app,
        spec_kwargs={
            "servers": [{"url": PREFIX}],
            "components": {
                "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            },
            "security": [{"bearer": []}],
        },
    )
    # the resources register their routes on bp (device_routes imports web.devices)
    from web.api import compound_routes, device_routes, problem_routes  # noqa: F401

    api.register_converter(RowId, lambda _converter: {"type": "integer", "minimum": 0})
    api.register_blueprint(bp, url_prefix=PREFIX)
    app.extensions["camwatch_api"] = api


def openapi_document(app: Flask | None = None) -> dict[str, Any]:
    """The OpenAPI document, paths relative to ``/api/v1`` (as its ``servers`` say)."""
    spec = (app or current_app).extensions["camwatch_api"].spec.to_dict()
    paths = {}
    for path, item in spec["paths"].items():
        paths[path[len(PREFIX) :] or "/"] = item
    return {**spec, "paths": paths}


def _any_object() -> Any:
    from web.api.outputs import AnyObject

    return AnyObject


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


@bp.after_app_request
def _api_headers(response: Response) -> Response:
    """No cache keeps API answers (they carry personal and live data); 401s name the scheme."""
    if request.path == PREFIX or request.path.startswith(PREFIX + "/"):
        response.headers["Cache-Control"] = "no-store"
        if response.status_code == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="camwatch"'
    return response


@bp.route("/", methods=["GET"])
@bp.response(200, _any_object(), description="name, version and where the document is")
@bp.doc(security=[], summary="Where to start: the OpenAPI document")
def index():
    return jsonify({"name": "camwatch API", "version": "v1", "openapi": url_for("api.openapi")})


@bp.route("/openapi.json", methods=["GET"])
@bp.response(200, _any_object(), description="OpenAPI 3")
@bp.doc(security=[], summary="This document (OpenAPI 3)")
def openapi():
    return jsonify(openapi_document())
