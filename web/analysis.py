"""Planner work: the analysis page, "Plan K cameras", accepting suggestions, problems from findings.

* ``GET  /compounds/<id>/analysis`` — ratios per DORI level, zones pass/fail,
  the blind-spot list (each with "create problem"), with and without planned cameras;
  when the analysis fails, the page (200) says why (JSON: 422 with the reason).
Every JSON body is loaded by its schema (:mod:`web.api.plan_schemas`): a bad one
is a 400 JSON error naming the field.

* ``POST /compounds/<id>/plan`` — JSON ``{"k": 3, "hfov": 90, ...}`` → the
  planner's suggestions (docs/site-format.md §3 ``plan`` object) plus each suggestion's
  footprints for the map's ghost layer. Computed by :mod:`planners.plan`
  (imported on first use), cached per compound state and options.
* ``POST /compounds/<id>/plan/accept`` — JSON ``{"suggestions": [...]}`` → the
  suggestions become *planned* cameras in the ledger (validated there).
* ``POST /compounds/<id>/problems/new`` — a problem from a blind spot
  (``blind_spot=B2``) or a failing zone (``zone=north gate``); the finding is
  looked up in the current analysis on the server, never taken from the client.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import (
    Blueprint,
    current_app,
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
from shapely.geometry import mapping
from sqlalchemy.exc import IntegrityError
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from camwatch.errors import CamwatchError, UsageError
from camwatch.registry import devices as devices_service
from camwatch.registry.analysis_problems import (
    blind_spot_message,
    blind_spot_reference,
    zone_message,
)
from camwatch.registry.finding_match import (
    ZONE_KEY_PREFIX,
    blind_spot_key,
    match_blind_spot,
    open_findings,
)
from camwatch.registry.problems import DuplicateProblemError, open_problem
from web import geojson
from web.api.plan_schemas import AcceptBody, ProblemFromFinding, body, raw_body
from web.cache import cache_for
from web.codes import next_codes
from web.db import db_session
from web.i18n import gettext as _
from web.ledger import compound_for, model_of, model_ratios, other_model
from web.messages import analysis_failed
from web.planning import PlanOptions, plan_for
from web.security import require, wants_json
from web.summary import analysis_or_422, analysis_outcome

bp = Blueprint("analysis", __name__)


class ProblemForm(FlaskForm):
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=4000)])
    responsible_unit = StringField(_l("Responsible unit"), validators=[Optional(), Length(max=200)])
    responsible_person = StringField(
        _l("Responsible person"), validators=[Optional(), Length(max=100)]
    )
    deadline = DateField(_l("Rectification deadline"), validators=[DataRequired()])


@bp.get("/compounds/<int:cid>/analysis")
@require("analysis.run")
def run(cid: int):
    """The analysis page: levels, zones, blind spots; with planned cameras on request."""
    compound = compound_for(cid)
    planned = request.args.get("planned", "0") in ("1", "true", "on")
    own = model_of(compound)
    model = model_of(compound, request.args.get("model"))
    if wants_json():
        answer = analysis_or_422(compound, include_planned=planned, coverage_model=model)
        return jsonify(answer.figures.to_dict())
    models = {"own": own, "shown": model, "other": other_model(own)}
    result, failure = analysis_outcome(compound, include_planned=planned, coverage_model=model)
    if result is None:
        return render_template(
            "analysis/analysis.html",
            compound=compound,
            s=None,
            planned=planned,
            n_planned=None,
            models=models,
            compare=None,
            error=analysis_failed(failure or RuntimeError("unknown")),
        )
    summary = result.figures.to_dict()
    compare = None
    if model != own:  # the compare switch: the compound's own model beside the one shown
        other, _failed = analysis_outcome(compound, include_planned=planned, coverage_model=own)
        compare = model_ratios(other.figures) if other is not None else None
    # problems are opened from findings of the compound's own model only
    open_refs = _open_refs(compound, result.figures) if not planned and model == own else {}
    return render_template(
        "analysis/analysis.html",
        compound=compound,
        s=summary,
        planned=planned,
        models=models,
        compare=compare,
        n_planned=sum(1 for c in result.site.cameras if c.status == "planned"),
        open_refs=open_refs,
        default_deadline=date.today()
        + timedelta(days=int(current_app.config["PROBLEM_DEADLINE_DAYS"])),
        form=FlaskForm(),
    )


def _spot_dict(spot: Any) -> dict[str, Any]:
    """A blind spot of an analysis with its outline, as the registry matches it."""
    return {
        "id": spot.id,
        "area_m2": spot.area_m2,
        "centroid": list(spot.centroid),
        "label_point": list(spot.label_point),
        "zones": list(spot.zones),
        "geometry": mapping(spot.geometry),
    }


def _open_refs(compound: Any, analysis: Any) -> dict[str, int]:
    """Problems already holding a finding: ``zone:<name>`` and ``spot:<B-id>`` → number.

    Blind spots are matched as ``problems from-analysis`` matches them
    (docs/registry.md, "One problem per finding"), largest spot first.
    """
    held = open_findings(db_session(), compound)
    refs = {str(p.open_key): p.id for p in held if (p.open_key or "").startswith(ZONE_KEY_PREFIX)}
    taken: set[int] = set()
    for spot in sorted(analysis.blind_spots, key=lambda b: -b.area_m2):
        match = match_blind_spot(held, _spot_dict(spot), skip=taken)
        if match is not None:
            taken.add(match.id)
            refs[f"spot:{spot.id}"] = match.id
    return refs


@bp.get("/compounds/<int:cid>/problem-refs.json")
@require("compound.view")
def problem_refs(cid: int):
    """Which zones and blind spots of the current analysis already have a problem (map)."""
    compound = compound_for(cid)
    refs = _open_refs(compound, analysis_or_422(compound).figures)
    return jsonify(
        {key: {"id": pid, "url": url_for("problems.detail", pid=pid)} for key, pid in refs.items()}
    )


def _finding(compound: Any, *, blind_spot: str | None, zone: str | None) -> dict[str, Any]:
    """The blind spot or failing zone named, from the current analysis (404 if gone)."""
    analysis = analysis_or_422(compound).figures
    summary = analysis.to_dict()
    if blind_spot:
        spot = next((s for s in summary["blind_spots"] if s["id"] == blind_spot), None)
        if spot is None:
            raise UsageError(f"the current analysis has no blind spot {blind_spot!r}; re-run it")
        zones = spot["zones"]
        refs = _open_refs(compound, analysis)
        if f"spot:{blind_spot}" in refs:
            pid = refs[f"spot:{blind_spot}"]
            raise DuplicateProblemError(f"already in the problem list: #{pid}", pid)
        shape_of = next(b for b in analysis.blind_spots if b.id == blind_spot)
        reference = blind_spot_reference(_spot_dict(shape_of))
        return {
            "ref_key": blind_spot_key(reference["centroid"]),
            "reference": reference,
            "zone": zones[0] if len(zones) == 1 else None,
            "message": blind_spot_message(spot),
        }
    if zone:
        found = next((z for z in summary["zones"] if z["name"] == zone), None)
        if found is None:
            raise UsageError(f"compound {compound.code!r} has no zone {zone!r}")
        return {
            "ref_key": f"{ZONE_KEY_PREFIX}{zone}",
            "reference": {
                "type": "zone",
                **{
                    k: found[k] for k in ("name", "zone_type", "required_level", "ratio", "area_m2")
                },
            },
            "zone": zone,
            "message": zone_message(found),
        }
    raise UsageError("name a blind_spot or a zone")


def _already(pid: int) -> Any:
    """The answer to a second problem for a finding: 409 (JSON) or the existing problem."""
    text = _("Already in the problem list (#%(id)d).", id=pid)
    url = url_for("problems.detail", pid=pid)
    if request.is_json or wants_json():
        body = {"error": {"code": "conflict", "status": 409, "message": text}}
        return jsonify({**body, "id": pid, "url": url}), 409
    flash(text, "error")
    return redirect(url)


def _open(compound: Any, finding: dict[str, Any], **fields: Any) -> Any:
    """Open the finding's problem; a second one for the same key is refused (even if racing)."""
    db = db_session()
    try:
        problem = open_problem(
            db,
            compound.code,
            source="analysis",
            zone=finding["zone"],
            ref_key=finding["ref_key"],
            reference=finding["reference"],
            actor=g.user.username,
            **fields,
        )
        db.commit()
    except DuplicateProblemError as exc:
        db.rollback()
        return None, exc.problem_id
    except IntegrityError:  # a concurrent request opened it between our check and our insert
        db.rollback()
        held = next(
            (p for p in open_findings(db, compound) if p.open_key == finding["ref_key"]), None
        )
        if held is None:
            raise
        return None, held.id
    return problem, None


@bp.route("/compounds/<int:cid>/problems/new", methods=["GET", "POST"])
@require("problem.create")
def create_problem(cid: int):
    """Open a rectification item from a blind spot or a zone (form, or JSON from the map).

    One problem per finding (docs/registry.md): when the zone or blind spot
    already has one, JSON gets 409 with its number, a form the existing problem.
    """
    compound = compound_for(cid)
    # a JSON body (the map) is loaded by its schema; a form or query by the form below
    data = body(ProblemFromFinding()) if request.is_json else None
    source = data if data is not None else request.values
    try:
        finding = _finding(
            compound, blind_spot=source.get("blind_spot") or None, zone=source.get("zone") or None
        )
    except DuplicateProblemError as exc:
        return _already(exc.problem_id)
    default_deadline = date.today() + timedelta(
        days=int(current_app.config["PROBLEM_DEADLINE_DAYS"])
    )
    if data is not None:
        deadline = data.get("deadline") or default_deadline
        problem, held = _open(
            compound,
            finding,
            description=data.get("description") or finding["message"],
            deadline=deadline,
            responsible_unit=data.get("responsible_unit") or None,
            responsible_person=data.get("responsible_person") or None,
        )
        if problem is None:
            return _already(held)
        return jsonify({"id": problem.id, "url": url_for("problems.detail", pid=problem.id)}), 201
    form = ProblemForm()
    if request.method == "GET":
        form.description.data = finding["message"].render()
        form.deadline.data = default_deadline
    elif form.validate_on_submit():
        try:
            typed = form.description.data
            problem, held = _open(
                compound,
                finding,
                # the finding's own words, unchanged: kept as a message for every reader
                description=finding["message"] if typed == finding["message"].render() else typed,
                deadline=form.deadline.data,
                responsible_unit=form.responsible_unit.data or None,
                responsible_person=form.responsible_person.data or None,
            )
        except CamwatchError as exc:
            db_session().rollback()
            flash(str(exc), "error")
            return render_template(
                "analysis/problem_form.html", compound=compound, form=form, finding=finding
            ), 400
        if problem is None:
            return _already(held)
        flash(_("Problem #%(id)d opened.", id=problem.id), "ok")
        return redirect(url_for("problems.detail", pid=problem.id))
    return render_template(
        "analysis/problem_form.html", compound=compound, form=form, finding=finding
    )


@bp.post("/compounds/<int:cid>/plan")
@require("plan.run")
def plan(cid: int):
    """Suggest K new cameras (JSON in and out); ghosts with footprints and gains for the map."""
    compound = compound_for(cid)
    options = PlanOptions.from_json(raw_body())  # loaded there by PlanInput
    result = analysis_or_422(compound, include_planned=True)
    key = ("plan", result.key, options)
    answer = cache_for(current_app).get_or_compute(
        key,
        lambda: plan_for(
            result.site, options, timeout_s=float(current_app.config["PLAN_TIMEOUT_S"])
        ),
    )
    return jsonify({**answer, **before_counts(compound)})


def before_counts(compound: Any) -> dict[str, Any]:
    """What a plan's ``before`` counts, for the plan tab (docs/web.md, "Plan numbers").

    ``before`` counts active **and planned** cameras (docs/planners.md); the
    coverage tab counts active ones unless "with planned" is ticked. The answer
    adds ``before_active`` (the coverage tab's figures) and ``planned_cameras``.
    """
    active = analysis_or_422(compound, include_planned=False)
    with_planned = analysis_or_422(compound, include_planned=True)
    return {
        "before_active": active.figures.ratios(),
        "planned_cameras": sum(1 for c in with_planned.site.cameras if c.status == "planned"),
    }


@bp.post("/compounds/<int:cid>/plan/accept")
@require("plan.accept")
def accept(cid: int):
    """Add accepted suggestions as planned cameras (all or nothing)."""
    compound = compound_for(cid)
    data = body(AcceptBody())
    db = db_session()
    added = []
    codes = next_codes(
        ((d.kind, d.code) for d in compound.devices), "camera", len(data["suggestions"])
    )
    for i, s in enumerate(data["suggestions"], 1):
        props: dict[str, Any] = {}
        for key in ("heading_deg", "tilt_deg", "height_m", "hfov_deg", "range_m"):
            if s.get(key) is not None:
                props[key] = s[key]
        if s.get("resolution") is not None:
            props["resolution"] = s["resolution"]
        code = codes[i - 1]  # continuing the compound's pattern: C01 … C11 → C12 (docs/web.md)
        device = devices_service.add_device(
            db,
            compound.code,
            kind="camera",
            code=code,
            geometry={"type": "Point", "coordinates": list(s["position"])},
            properties=props,
            status="planned",
            name=_("Planned (%(id)s)", id=s.get("id", i)),
            model=s.get("model"),
            actor=g.user.username,
        )
        added.append(device.code)
    db.commit()
    return jsonify({"added": added}), 201


def ghost_features(site: Any, suggestions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each suggestion with its four footprints under the site's coverage model, as drawn
    on the map (site coordinates)."""
    from camwatch.geometry.footprint import camera_footprints
    from camwatch.geometry.heights import Scene, standing_footprints
    from camwatch.geometry.space import free_space
    from camwatch.model import Camera

    space = free_space(site)
    scene = Scene(site, space) if site.info.model == "standing" else None
    targets, depressions = site.info.target_heights(), site.info.max_depressions()
    out = []
    for s in suggestions:
        cam = Camera(
            id=str(s["id"]),
            position=(float(s["position"][0]), float(s["position"][1])),
            status="planned",
            height_m=float(s.get("height_m", 3.0)),
            heading_deg=float(s.get("heading_deg", 0.0)),
            tilt_deg=float(s.get("tilt_deg", 15.0)),
            hfov_deg=s.get("hfov_deg"),
            resolution=tuple(s.get("resolution") or (1920, 1080)),
            range_m=s.get("range_m"),
        )
        if scene is not None:
            fps = standing_footprints(cam, scene, targets, depressions)
        else:
            fps = camera_footprints(cam, space, levels=site.info.ladder.names)
        out.append({**s, "footprints": {lv: geojson.geometry(fp) for lv, fp in fps.items()}})
    return out
