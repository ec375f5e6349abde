"""The API's compound resources: compounds, a compound's site file, analysis, heights
settings and "Plan K cameras" (see :mod:`web.api` for authentication and errors).

Bodies and query strings are validated by the schemas of :mod:`web.api.schemas`
before a view runs; the views check the role, then call the registry.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify

from camwatch.errors import CamwatchError, StaleEditError
from camwatch.registry.settings import change_settings, current_settings
from camwatch.sitefile import site_to_geojson
from web.api import bp
from web.api.common import conflict, registry_errors
from web.api.guards import documents_errors, requires
from web.api.outputs import AnyObject, CompoundList, CompoundOut, CompoundSettingsOut
from web.api.schemas import AnalysisQuery, CompoundSettings, PlanInput
from web.cache import cache_for
from web.db import db_session
from web.heights import field_error
from web.ledger import analysis_of, compound_by_code, compounds_for, json_response
from web.planning import PlanOptions, plan_for


@bp.route("/compounds", methods=["GET"])
@requires("compound.view")
@bp.response(200, CompoundList)
@documents_errors()
def list_compounds():
    """Compounds the caller may see."""
    return {"compounds": compounds_for(g.user)}


@bp.route("/compounds/<code>", methods=["GET"])
@requires("compound.view")
@bp.response(200, CompoundOut)
@documents_errors()
def get_compound(code: str):
    """One compound."""
    return compound_by_code(code, g.user)


@bp.route("/compounds/<code>/site", methods=["GET"])
@requires("compound.view")
@bp.response(200, AnyObject, description="the compound as a site file (docs/site-format.md)")
@documents_errors()
def get_site(code: str):
    """The compound as a site file."""
    compound = compound_by_code(code, g.user)
    return jsonify(site_to_geojson(analysis_of(compound).site))


@bp.route("/compounds/<code>/analysis", methods=["GET"])
@requires("analysis.run")
@bp.arguments(AnalysisQuery, location="query")
@bp.response(200, AnyObject, description="the analysis object (docs/site-format.md)")
@documents_errors(400)
def get_analysis(query: dict[str, Any], code: str):
    """Coverage analysis."""
    compound = compound_by_code(code, g.user)
    planned = query.get("include_planned", "false") in ("true", "1")
    result = analysis_of(
        compound, include_planned=planned, coverage_model=query.get("coverage_model")
    )
    model = result.figures.coverage_model
    return json_response(("analysis-json", result.key, planned, model), result.figures.to_dict)


def _settings(compound: Any) -> dict[str, Any]:
    return {"version": compound.version, **current_settings(compound)}


@bp.route("/compounds/<code>/settings", methods=["GET"])
@requires("compound.view")
@bp.response(200, CompoundSettingsOut)
@documents_errors()
def get_settings(code: str):
    """The compound's heights settings (docs/site-format.md §4)."""
    return _settings(compound_by_code(code, g.user))


@bp.route("/compounds/<code>/settings", methods=["PATCH"])
@requires("compound.import")
@bp.arguments(CompoundSettings)
@bp.response(200, CompoundSettingsOut)
@documents_errors(400, 409)
def patch_settings(data: dict[str, Any], code: str):
    """Change the compound's heights settings (a member left out stays; null: the default)."""
    compound = compound_by_code(code, g.user)
    db = db_session()
    try:
        with registry_errors():
            change_settings(
                db, compound, data, expected_version=data["version"], actor=g.user.username
            )
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _settings(compound_by_code(code, g.user)))
    except CamwatchError as exc:
        db.rollback()
        raise field_error(exc) from None
    return _settings(compound)


@bp.route("/compounds/<code>/plan", methods=["POST"])
@requires("plan.run")
@bp.arguments(PlanInput)
@bp.response(200, AnyObject, description="the plan object (docs/site-format.md)")
@documents_errors(400, 422, 503)
def post_plan(data: dict[str, Any], code: str):
    """Suggest K new cameras."""
    compound = compound_by_code(code, g.user)
    options = PlanOptions.from_json(data)
    result = analysis_of(compound, include_planned=True)
    plan = cache_for(current_app).get_or_compute(
        ("plan", result.key, options),
        lambda: plan_for(
            result.site, options, timeout_s=float(current_app.config["PLAN_TIMEOUT_S"])
        ),
    )
    suggestions = [{k: v for k, v in s.items() if k != "footprints"} for s in plan["suggestions"]]
    return jsonify({**plan, "suggestions": suggestions})
