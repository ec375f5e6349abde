"""The map's "Plan K cameras": the plan and accepting it (docs/web.md, "Plan numbers").

* ``POST /compounds/<id>/plan`` — JSON ``{"k": 3, "hfov": 90, ...}`` → the
  planner's suggestions (docs/site-format.md §3 ``plan`` object) plus each suggestion's
  footprints for the map's ghost layer. Computed by :mod:`planners.plan`
  (imported on first use), cached per compound state and options.
* ``POST /compounds/<id>/plan/accept`` — JSON ``{"suggestions": [...]}`` → the
  suggestions become *planned* cameras in the ledger (validated there).

Every JSON body is loaded by its schema (:mod:`web.api.plan_schemas`): a bad one
is a 400 JSON error naming the field. The routes are on the ``analysis`` blueprint
(endpoints ``analysis.plan``, ``analysis.accept``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify

from camwatch.registry import devices as devices_service
from web.analysis import bp
from web.api.plan_schemas import AcceptBody, body, raw_body
from web.cache import cache_for
from web.codes import next_codes
from web.db import db_session
from web.i18n import gettext as _
from web.ledger import compound_for
from web.planning import PlanOptions, plan_for, worded
from web.security import require
from web.summary import analysis_or_422


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
    return jsonify({**worded(answer), **before_counts(compound)})


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
