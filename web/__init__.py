"""camwatch web view: the Flask app factory.

``create_app`` only wires: configuration (:mod:`web.config`), the ledger
database (:mod:`web.db`), languages (Flask-Babel, :mod:`web.i18n`), CSRF
protection (Flask-WTF; the token-authenticated API is exempt), security
(:mod:`web.security`), error handlers (:mod:`web.errors`), the Leaflet
static files and the blueprints (the API's through flask-smorest, :mod:`web.api`). Serve it with ``python -m web.serve``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, redirect, send_from_directory, url_for
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect
from werkzeug.routing import IntegerConverter

csrf = CSRFProtect()
babel = Babel()


class RowId(IntegerConverter):
    """``<int:...>`` in URLs: a row id; a number too large for the database becomes 0, which
    no row has, so the answer is 404 rather than a database overflow."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= 2**63 - 1 else 0


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the camwatch web app (``test_config`` overrides configuration keys)."""
    import xstatic.pkg.leaflet as leaflet_pkg

    from web import (
        analysis,
        api,
        auth,
        cache,
        compounds,
        db,
        devices,
        district,
        editor,
        errors,
        findings,
        i18n,
        ledger_pages,
        map_planners,
        overload,
        problems,
        reports,
        security,
        templating,
        warm,
    )
    from web.config import load_config

    app = Flask(__name__, instance_relative_config=True)
    app.url_map.converters["int"] = RowId
    load_config(app, test_config)

    db.init_app(app)
    cache.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    csrf.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    templating.init_app(app)

    @app.get("/vendor/leaflet/<path:filename>")
    def leaflet_static(filename: str):  # Leaflet from the xstatic-leaflet package, no CDN
        return send_from_directory(leaflet_pkg.BASE_DIR, filename, max_age=86400)

    @app.get("/")
    def home():
        return redirect(url_for("compounds.index"))

    app.register_blueprint(auth.bp)
    app.register_blueprint(compounds.bp)
    app.register_blueprint(devices.bp)
    app.register_blueprint(analysis.bp)
    app.register_blueprint(problems.bp)
    app.register_blueprint(district.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(editor.bp)
    app.register_blueprint(findings.bp)
    app.register_blueprint(ledger_pages.bp)
    app.register_blueprint(map_planners.bp)
    api.init_app(app)  # flask-smorest: the API blueprint and its OpenAPI document
    csrf.exempt(api.bp)
    warm.init_app(app)  # after a write, the changed compounds' list rows on the worker
    overload.init_app(app)  # load shedding: 503 + Retry-After when every slot is busy
    return app
