"""The plan editor and "new compound from the web" (docs/web.md, "Plan editor").

Pages: ``/compounds/<id>/editor`` (draw and edit the plan on the map) and
``/compounds/new`` (upload → check the draft → create → edit). JSON routes:

* ``GET /compounds/<id>/editor/plan.json`` — the plan features, the devices
  (shown, not edited here), the compound's ``version``;
* ``POST /compounds/<id>/editor/plan`` — ``{"version", "features"}``: the
  plan's features (every non-device feature). Checked with the site loader
  together with the compound's devices; 400 with a translated message naming
  the feature, 409 with the current plan when ``version`` is stale, else 200
  with the new version and the re-run coverage summary;
* ``POST /compounds/new/draft`` — an upload (DXF, image, GeoJSON) or a size
  → a draft site (and the DXF's per-layer report); nothing is written;
* ``POST /compounds/new/create`` — ``{"code", "name", "site"}`` → a new
  compound (refused if the code is taken), then the editor opens.

Both need ``compound.import`` (planner, admin): editing a plan is importing it
again by hand, so the roles that may import a site file may edit one.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, jsonify, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from camwatch.errors import CamwatchError, StaleEditError, UsageError
from camwatch.model import DEVICE_KINDS, LEVELS, ZONE_TYPES
from camwatch.registry.codec import check_code
from camwatch.registry.models import Compound
from camwatch.registry.site_import import import_site, update_plan
from camwatch.sitefile import parse_site
from web import editor_drafts, geojson
from web.db import db_session
from web.editor_messages import KIND_LABELS, plan_error
from web.i18n import gettext as _
from web.ledger import active_devices, analysis_of, compound_for
from web.security import require

bp = Blueprint("editor", __name__, url_prefix="/compounds")

PLAN_KINDS = ("boundary", "building", "obstacle", "wall", "zone", "gate", "alarm", "mount")
MAX_FEATURES = 5000  # a plan larger than this is refused before validation


def _bad(headline: str, worded: dict[str, Any]) -> Any:
    """400 JSON: the translated ``message`` plus ``feature``/``device``/``detail`` members."""
    error = {**worded, "code": "bad_request", "status": 400, "message": headline}
    return jsonify({"error": error}), 400


def _json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise UsageError(_("The request must be a JSON object."))
    return data


def _summary(compound: Compound) -> dict[str, Any]:
    summary: dict[str, Any] = analysis_of(compound).figures.to_dict()
    return summary


@bp.get("/<int:cid>/editor")
@require("compound.import")
def edit(cid: int):
    """The plan editor page."""
    compound = compound_for(cid)
    return render_template("editor/editor.html", compound=compound, **_choices())


def _choices() -> dict[str, Any]:
    return {
        "plan_kinds": PLAN_KINDS,
        "kind_labels": KIND_LABELS,
        "zone_types": ZONE_TYPES,
        "levels": LEVELS,
    }


def _plan_payload(compound: Compound) -> dict[str, Any]:
    site = analysis_of(compound).site
    minx, miny, maxx, maxy = site.boundary.bounds
    return {
        "compound": {"id": compound.id, "code": compound.code, "version": compound.version},
        "bounds": [[miny, minx], [maxy, maxx]],
        "plan": geojson.plan_features(compound),
        "devices": geojson.device_features(active_devices(compound)),
    }


@bp.get("/<int:cid>/editor/plan.json")
@require("compound.import")
def plan_data(cid: int):
    """The plan to edit, the devices to show, and the version to send back."""
    compound = compound_for(cid)
    data = _plan_payload(compound)
    data["urls"] = {
        "save": url_for("editor.save", cid=cid),
        "coverage": url_for("compounds.coverage_data", cid=cid),
        "map": url_for("compounds.map_page", cid=cid),
    }
    return jsonify(data)


@bp.post("/<int:cid>/editor/plan")
@require("compound.import")
def save(cid: int):
    """Save the edited plan (all or nothing; 409 when someone saved in between)."""
    compound = compound_for(cid)
    db = db_session()
    try:
        body = _json_body()
        version = body.get("version")
        features = body.get("features")
        if not isinstance(version, int) or isinstance(version, bool):
            raise UsageError(_("The plan's version is missing; reload the editor."))
        if not isinstance(features, list):
            raise UsageError(_("The plan's features are missing."))
        if len(features) > MAX_FEATURES:
            raise UsageError(_("The plan has more than %(n)d features.", n=MAX_FEATURES))
        update_plan(db, compound, features, expected_version=version, actor=g.user.username)
        db.commit()
    except (StaleEditError, StaleDataError):
        db.rollback()
        current = compound_for(cid)
        message = _(
            "Someone else saved this plan while you were editing. Nothing was overwritten; "
            "the editor shows their version."
        )
        body = {"error": {"code": "conflict", "status": 409, "message": message}}
        body["current"] = _plan_payload(current)
        return jsonify(body), 409
    except CamwatchError as exc:
        db.rollback()
        worded = plan_error(exc)
        return _bad(_("The plan was not saved: %(e)s", e=worded["message"]), worded)
    compound = compound_for(cid)
    return jsonify(
        {
            "version": compound.version,
            "plan": geojson.plan_features(compound),
            "summary": _summary(compound),
            "message": _("Plan saved; coverage analysed again."),
        }
    )


@bp.get("/new")
@require("compound.import")
def new():
    """New compound: choose a source, check the draft, create it."""
    return render_template("editor/new.html", **_choices())


def _field_label(name: str) -> str:
    labels = {
        "width": _("Width (m)"),
        "height": _("Depth (m)"),
        "metres": _("Distance between the two points (m)"),
    }
    return labels.get(name, _("Scale points"))


def _number(name: str) -> float:
    try:
        return float(request.form.get(name, ""))
    except ValueError:
        raise UsageError(_("%(field)s must be a number.", field=_field_label(name))) from None


@bp.post("/new/draft")
@require("compound.import")
def draft():
    """An uploaded plan (or a size) as a draft site; nothing is written."""
    source = request.form.get("source", "")
    site_id = request.form.get("code", "").strip() or "draft"
    upload = request.files.get("file")
    try:
        if source == "empty":
            result = editor_drafts.empty_draft(
                site_id=site_id, width=_number("width"), height=_number("height")
            )
        elif source in ("dxf", "image", "geojson"):
            if upload is None or not upload.filename:
                raise UsageError(_("Choose a file to upload."))
            data = upload.read()
            if source == "dxf":
                units = request.form.get("units") or None
                mapping = editor_drafts.parse_mapping(request.form.get("mapping"))
                result = editor_drafts.dxf_draft(
                    data, site_id=site_id, units=units, mapping=mapping
                )
            elif source == "image":
                points = tuple(_number(k) for k in ("x1", "y1", "x2", "y2"))
                result = editor_drafts.image_draft(
                    data,
                    site_id=site_id,
                    points=points,  # type: ignore[arg-type]
                    metres=_number("metres"),
                )
            else:
                result = editor_drafts.geojson_draft(data, site_id=site_id)
        else:
            raise UsageError(_("Choose where the plan comes from."))
    except CamwatchError as exc:
        worded = plan_error(exc)
        return _bad(_("The file was not read: %(e)s", e=worded["message"]), worded)
    result["source"] = source
    return jsonify(result)


@bp.post("/new/create")
@require("compound.import")
def create():
    """Create the compound from a checked draft; answers where its editor is."""
    db = db_session()
    try:
        body = _json_body()
        code = check_code(str(body.get("code") or "").strip(), kind="compound")
        site = body.get("site")
        if not isinstance(site, dict):
            raise UsageError(_("The draft is missing."))
        if db.scalar(select(Compound.id).where(Compound.code == code)) is not None:
            raise UsageError(_("A compound with the code %(code)s exists already.", code=code))
        member = dict(site.get("site") or {})
        member["id"] = code
        name = str(body.get("name") or "").strip()
        if name:
            member["name"] = name
        member.pop("draft", None)
        site = {**site, "site": member}
        for feature in site.get("features") or []:
            kind = ((feature or {}).get("properties") or {}).get("kind")
            if kind not in PLAN_KINDS and kind not in DEVICE_KINDS:
                raise UsageError(_("The draft holds a feature of unknown kind %(k)s.", k=kind))
        parsed = parse_site(site, default_id=code)
        import_site(db, parsed, actor=g.user.username, code=code)
        db.commit()
    except CamwatchError as exc:
        db.rollback()
        worded = plan_error(exc)
        return _bad(_("The compound was not created: %(e)s", e=worded["message"]), worded)
    compound = db.scalar(select(Compound).where(Compound.code == code))
    if compound is None:  # pragma: no cover - just committed
        abort(500)
    return jsonify(
        {
            "id": compound.id,
            "code": compound.code,
            "editor": url_for("editor.edit", cid=compound.id),
            "map": url_for("compounds.map_page", cid=compound.id),
        }
    ), 201
