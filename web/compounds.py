"""Compounds: the list, a compound's overview (for managers), its map and map data.

The map page is a plain template; its data comes from JSON endpoints:
``map.json`` (plan + devices, what the user may do) and ``coverage.json``
(per-level coverage, blind spots, zone results), each in site coordinates.

When a compound's analysis fails (:func:`web.summary.analysis_outcome`) its
pages still answer and say why: the overview and the map page show the reason,
``map.json`` serves the plan and devices without their reach plus
``analysis_error``, and the coverage data answers 422 with the reason (which
the map shows in its status line).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired

from camwatch.errors import CamwatchError, StaleEditError, UsageError
from camwatch.model import DEFAULT_COVERAGE_MODEL, LEVELS
from camwatch.registry.compounds import delete_compound
from camwatch.registry.problems import list_problems
from camwatch.registry.settings import change_settings, current_settings, update_settings
from camwatch.registry.site_import import import_site
from camwatch.sitefile import dumps_site, parse_site
from web import geojson, heights
from web.api.common import conflict
from web.api.fields import BodyError, read_json
from web.api.schemas import CompoundSettings, load
from web.db import db_session
from web.errors import FieldError
from web.forms import posted_version
from web.i18n import gettext as _
from web.ledger import (
    active_devices,
    compound_for,
    compounds_for,
    device_rows,
    json_response,
    model_of,
    model_ratios,
    other_model,
    state_key,
)
from web.list_rows import list_rows
from web.messages import analysis_failed, error_text
from web.security import can, require
from web.summary import analysis_or_422, analysis_outcome, compound_status, health_of

bp = Blueprint("compounds", __name__, url_prefix="/compounds")


class ImportForm(FlaskForm):
    site_file = FileField(
        _l("Site file (GeoJSON)"),
        validators=[
            FileRequired(),
            FileAllowed(["geojson", "json"], _l("a .geojson or .json file")),
        ],
    )


def _flag(name: str) -> bool:
    return request.args.get(name, "0").lower() in ("1", "true", "yes", "on")


@bp.get("/")
@require("compound.view")
def index():
    """Every compound the user may see, with compliance, blind-spot area and open problems."""
    compounds = compounds_for(g.user)
    if g.user.role == "manager" and len(compounds) == 1:
        return redirect(url_for("compounds.overview", cid=compounds[0].id))
    rows = list_rows(compounds, defer=True)
    return render_template(
        "compounds/index.html",
        rows=rows,
        import_form=ImportForm() if can("compound.import") else None,
    )


@bp.get("/<int:cid>")
@require("compound.view")
def overview(cid: int):
    """A compound at a glance: compliance, coverage, blind spots, device health, problems."""
    compound = compound_for(cid)
    status = compound_status(compound, with_checklist=True)
    problems = list_problems(db_session(), compound=compound.code, unresolved=True)
    return render_template(
        "compounds/overview.html",
        compound=compound,
        s=status,
        health=health_of(compound),
        problems=problems,
        today=date.today(),
        delete_form=FlaskForm() if can("compound.delete") else None,
    )


@bp.get("/<int:cid>/map")
@require("compound.view")
def map_page(cid: int):
    """The compound map (Leaflet, CRS.Simple in metres)."""
    compound = compound_for(cid)
    _, failure = analysis_outcome(compound)
    error = analysis_failed(failure) if failure is not None else None
    own = model_of(compound)
    return render_template(
        "compounds/map.html",
        compound=compound,
        error=error,
        own_model=own,
        other_model=other_model(own),
    )


@bp.get("/<int:cid>/map.json")
@require("compound.view")
def map_data(cid: int):
    """Plan and devices as GeoJSON in site metres, plus what the user may do here."""
    compound = compound_for(cid)
    abilities = {
        "edit": can("device.edit"),
        "plan_devices": can("device.plan"),
        "maintenance": can("maintenance.log"),
        "plan": can("plan.run"),
        "accept": can("plan.accept"),
        "problem": can("problem.create"),
    }
    result, failure = analysis_outcome(compound)
    error = analysis_failed(failure) if failure is not None else None

    def build() -> dict:
        site = result.site if result is not None else None
        minx, miny, maxx, maxy = _bounds(compound) if site is None else site.boundary.bounds
        return {
            "compound": {
                "id": compound.id,
                "code": compound.code,
                "name": compound.name,
                "version": compound.version,
                "coverage_model": model_of(compound),
            },
            "bounds": [[miny, minx], [maxy, maxx]],
            "plan": geojson.plan_features(compound),
            "devices": geojson.device_features(active_devices(compound), site),
            "can": abilities,
            "urls": {
                "coverage": url_for("compounds.coverage_data", cid=cid),
                "footprint": url_for("compounds.footprint_data", cid=cid),
                "devices": url_for("devices.create", cid=cid),
                "device": url_for("devices.detail", device_id=0).rsplit("/0", 1)[0] + "/",
                "analyze": url_for("analysis.run", cid=cid),
                "plan": url_for("analysis.plan", cid=cid),
                "accept": url_for("analysis.accept", cid=cid),
                "problem": url_for("analysis.create_problem", cid=cid),
            },
            "analysis_error": error,
        }

    # device rows carry ids and versions the digest does not: include them in the key
    rows = device_rows(compound)
    content = result.key if result is not None else ("failed", state_key(compound), error)
    key = ("map-json", compound.id, compound.version, content, rows, tuple(abilities.items()))
    return json_response(key, build)


def _bounds(compound: Any) -> tuple[float, float, float, float]:
    """The plan's extent from its raw features (when the site itself cannot be built)."""
    xs: list[float] = []
    ys: list[float] = []

    def walk(coords: Any) -> None:
        if isinstance(coords, list | tuple):
            if len(coords) >= 2 and all(isinstance(v, int | float) for v in coords[:2]):
                xs.append(float(coords[0]))
                ys.append(float(coords[1]))
            else:
                for item in coords:
                    walk(item)

    for feature in (compound.plan_json or {}).get("features") or []:
        if isinstance(feature, dict) and isinstance(feature.get("geometry"), dict):
            walk(feature["geometry"].get("coordinates"))
    if not xs:
        return (0.0, 0.0, 1.0, 1.0)
    return (min(xs), min(ys), max(xs), max(ys))


@bp.get("/<int:cid>/coverage.json")
@require("analysis.run")
def coverage_data(cid: int):
    """Coverage layers for the map: union per DORI level, blind spots, the §3 summary.

    ``?model=ground|standing`` draws that model (default: the compound's own);
    when it is not the compound's own, ``compare`` holds the ratios under the
    compound's model, so the map shows the coverage of both (docs/web.md, "Heights").
    """
    compound = compound_for(cid)
    planned = _flag("planned")
    own = model_of(compound)
    model = model_of(compound, request.args.get("model"))
    result = analysis_or_422(compound, include_planned=planned, coverage_model=model)
    compare = (
        analysis_or_422(compound, include_planned=planned, coverage_model=own)
        if model != own
        else None
    )

    def build() -> dict:
        data = geojson.analysis_features(result.analysis)
        data["key"] = result.key
        data["model"] = model_ratios(result.figures)
        data["compare"] = model_ratios(compare.figures) if compare is not None else None
        return data

    return json_response(("coverage-json", result.key, planned, model, own), build)


@bp.get("/<int:cid>/footprint.json")
@require("analysis.run")
def footprint_data(cid: int):
    """One camera's four DORI footprints (``?camera=CODE``, ``?model=`` as coverage.json)."""
    compound = compound_for(cid)
    code = request.args.get("camera", "")
    model = model_of(compound, request.args.get("model"))
    result = analysis_or_422(compound, include_planned=True, coverage_model=model)
    data = geojson.camera_footprint_features(result.figures, code)
    if data is None:
        abort(404)
    return jsonify(data)


@bp.get("/<int:cid>/site.geojson")
@require("compound.view")
def export(cid: int):
    """The compound as a site file (plan + devices), the same as ``camwatch export-site``."""
    compound = compound_for(cid)
    text = dumps_site(analysis_or_422(compound).site)
    return Response(
        text,
        mimetype="application/geo+json",
        headers={"Content-Disposition": f'attachment; filename="{compound.code}.geojson"'},
    )


@bp.post("/import")
@require("compound.import")
def import_file():
    """Create or update a compound from an uploaded site file (validated; all or nothing)."""
    form = ImportForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("compounds.index"))
    upload = form.site_file.data
    name = (upload.filename or "site").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    db = db_session()
    try:
        try:
            data = json.loads(upload.read().decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UsageError(_("the file is not JSON: %(e)s", e=str(exc))) from None
        site = parse_site(data, default_id=name)
        diff = import_site(db, site, actor=g.user.username)
        db.commit()
    except CamwatchError as exc:
        db.rollback()
        flash(_("Nothing was imported: %(e)s", e=str(exc)), "error")
        return redirect(url_for("compounds.index"))
    flash(
        _(
            "Compound %(code)s imported: %(a)d devices added, %(u)d updated, %(r)d retired.",
            code=diff.compound,
            a=len(diff.added),
            u=len(diff.updated),
            r=len(diff.retired),
        ),
        "ok",
    )
    return redirect(url_for("compounds.index"))


@bp.post("/<int:cid>/delete")
@require("compound.delete")
def delete(cid: int):
    """Delete a compound with its devices, history, problems and inspections (admin only)."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    compound = compound_for(cid)
    if request.form.get("confirm", "").strip() != compound.code:
        flash(_("Type the compound code to confirm the deletion."), "error")
        return redirect(url_for("compounds.overview", cid=cid))
    db = db_session()
    code = compound.code
    delete_compound(db, compound, actor=g.user.username)
    db.commit()
    flash(_("Compound %(code)s deleted.", code=code), "ok")
    return redirect(url_for("compounds.index"))


def _settings_json(compound: Any) -> dict[str, Any]:
    return {"version": compound.version, **current_settings(compound)}


def _settings_page(compound: Any, values: dict[str, str], errors: dict[str, str]) -> str:
    return render_template(
        "compounds/settings.html",
        compound=compound,
        form=FlaskForm(),
        values=values,
        errors=errors,
        placeholders=heights.defaults(),
        levels=LEVELS,
        model_labels=heights.MODEL_LABELS,
        default_model=DEFAULT_COVERAGE_MODEL,
    )


@bp.route("/<int:cid>/settings", methods=["GET", "POST"])
@require("compound.import")
def settings(cid: int):
    """The compound's heights settings (docs/web.md, "Heights"): a form, or JSON
    (``GET`` with Accept JSON; ``POST`` a :class:`CompoundSettings` body)."""
    compound = compound_for(cid)
    if request.method == "GET":
        if request.accept_mimetypes.best == "application/json":
            return jsonify(_settings_json(compound))
        return _settings_page(compound, heights.form_values(current_settings(compound)), {})
    db = db_session()
    if request.is_json:
        try:
            data = load(CompoundSettings(), read_json(request.get_data(cache=True)))
        except BodyError as exc:
            raise FieldError("body", str(exc)) from None
        try:
            change_settings(
                db, compound, data, expected_version=data["version"], actor=g.user.username
            )
            db.commit()
        except StaleEditError as exc:
            return conflict(exc, lambda: _settings_json(compound_for(cid)))
        except CamwatchError as exc:
            db.rollback()
            raise heights.field_error(exc) from None
        return jsonify(_settings_json(compound))
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    version = posted_version()
    try:
        values = heights.settings_from_form(request.form)
        update_settings(
            db,
            compound,
            **values,
            expected_version=version,
            actor=g.user.username,
        )
        db.commit()
    except heights.SettingsFormError as exc:
        db.rollback()
        return _settings_page(compound, dict(request.form), exc.errors), 400
    except StaleEditError:
        db.rollback()
        flash(
            _("Someone else changed these settings; nothing was saved. Here they are now."), "error"
        )
        return redirect(url_for("compounds.settings", cid=cid))
    except CamwatchError as exc:
        db.rollback()
        flash(_("Not saved: %(e)s", e=error_text(exc)), "error")
        return _settings_page(compound, dict(request.form), {}), 400
    flash(_("Saved. Coverage is analysed under these settings."), "ok")
    return redirect(url_for("compounds.settings", cid=cid))
