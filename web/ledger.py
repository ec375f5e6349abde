"""The web's view of the ledger: compounds a user may open, their sites and analyses.

Thin glue over :mod:`camwatch.registry` (which knows no geometry) and
:mod:`camwatch.geometry` (which knows no database):

* :func:`compound_for` — a compound by id, 404 when it does not exist *or*
  the user may not see it (a manager asking for another compound learns
  nothing about it);
* :func:`site_of` — the compound as a :class:`~camwatch.model.Site`, built by
  the registry's own exporter, so it is exactly what ``camwatch export-site``
  writes and ``camwatch analyze`` reads;
* :func:`analysis_of` — its coverage analysis, cached (see :mod:`web.cache`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from typing import Any

from flask import Response, abort, current_app, g
from sqlalchemy import select
from sqlalchemy.orm import defer, lazyload

from camwatch.errors import UsageError
from camwatch.geometry.coverage import Analysis, analyze
from camwatch.geometry.footprint import camera_footprints
from camwatch.geometry.heights import Scene, standing_footprints
from camwatch.geometry.incremental import dissolved_levels
from camwatch.geometry.space import free_space
from camwatch.model import COVERAGE_MODELS, DEFAULT_COVERAGE_MODEL, Site
from camwatch.registry.codec import SETTINGS_KEYS
from camwatch.registry.compounds import export_site
from camwatch.registry.memo import Memo
from camwatch.registry.models import Compound, Device
from camwatch.registry.users import visible_compounds
from web.cache import cache_for
from web.db import db_session, new_session
from web.i18n import gettext as _
from web.incremental import coverage_states
from web.security import can_see_compound

# load devices and the (large) plan only when a view needs them
_NO_DEVICES = (lazyload(Compound.devices), defer(Compound.plan_json))


def compound_for(cid: int) -> Compound:
    """The compound ``cid`` if the signed-in user may see it, else 404."""
    compound = db_session().get(Compound, cid, options=_NO_DEVICES)
    if compound is None or not can_see_compound(g.get("user"), compound):
        abort(404)
    return compound


def compound_by_code(code: str, user: Any) -> Compound:
    """The compound with this code if ``user`` may see it, else 404."""
    compound = db_session().scalar(
        select(Compound).where(Compound.code == code).options(*_NO_DEVICES)
    )
    if compound is None or not can_see_compound(user, compound):
        abort(404)
    return compound


def compounds_for(user: Any) -> Sequence[Compound]:
    """Every compound ``user`` may see, by code (the registry's rule; for the roles that see
    every compound, read without their devices and plans, which lists load when needed)."""
    if getattr(user, "role", None) == "manager":
        return visible_compounds(db_session(), user)
    return (
        db_session().scalars(select(Compound).options(*_NO_DEVICES).order_by(Compound.code)).all()
    )


def _digest(obj: Any) -> str:
    return hashlib.sha1(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def device_rows(compound: Compound) -> tuple[tuple[int, int, str, str], ...]:
    """``(id, version, kind, status)`` of every device of the compound (a light query,
    made once per request and compound)."""
    memo = g.setdefault("_device_rows", {})
    key = (compound.id, compound.version)
    if key not in memo:
        rows = db_session().execute(
            select(Device.id, Device.version, Device.kind, Device.status)
            .where(Device.compound_id == compound.id)
            .order_by(Device.id)
        )
        memo[key] = tuple(tuple(r) for r in rows)
    return memo[key]  # type: ignore[no-any-return]


def _content_digest(compound: Compound, devices: Sequence[Device] | None = None) -> str:
    devices = compound.devices if devices is None else devices
    rows = sorted(
        (
            d.code,
            d.kind,
            d.status,
            d.geometry,
            d.properties,
            d.name,
            d.model,
            d.serial,
            d.manufacturer,
            str(d.install_date),
            str(d.warranty_end),
        )
        for d in devices
        if d.status != "retired"
    )
    plan = [compound.plan_json, compound.name, compound.district, compound.address, compound.georef]
    plan += [getattr(compound, key) for key in SETTINGS_KEYS]  # the heights settings
    return _digest([compound.code, plan, rows])


def _memo_key(compound: Compound, rows: tuple[Any, ...]) -> bytes:
    versions = (compound.id, compound.created_at.isoformat(), compound.version, rows)
    return hashlib.sha1(repr(versions).encode()).digest()


def state_key(compound: Compound) -> str:
    """A digest of everything the site (and so the analysis) is made of.

    Content-addressed — the plan, the compound's identity and every live
    device's fields — so a cached value is never served for different data,
    even across databases. Computing it needs every device row; this app
    remembers it per row versions (``version`` grows with every change of a
    row, so within one database equal versions mean equal content), which
    makes the common case a single light query.

    Row ids alone do not name a compound for good: SQLite gives a deleted
    row's id to the next insert, so a compound deleted and imported again gets
    the old compound and device ids with versions back at 1. The memo key
    therefore also holds the compound's ``created_at`` (devices are only ever
    deleted with their compound, so a new compound row stands for new device
    rows too).
    """
    memo = state_digests(current_app)
    digest = memo.get(_memo_key(compound, device_rows(compound)))
    if digest is None:
        # the devices read afresh, versions and content from the same rows: objects this
        # session loaded earlier may predate another request's commit
        session = db_session()
        fresh = session.scalars(
            select(Device)
            .where(Device.compound_id == compound.id)
            .order_by(Device.id)
            .execution_options(populate_existing=True)
        ).all()
        digest = _content_digest(compound, fresh)
        rows = tuple((d.id, d.version, d.kind, d.status) for d in fresh)
        memo.put(_memo_key(compound, rows), digest)
    return digest


DigestMemo = Memo[bytes, str]
"""The memo of state digests: a thread-safe, count-capped LRU (``STATE_MEMO_ENTRIES``; each
entry is two short byte strings, about 200 bytes, so the cap bounds its memory)."""


def state_digests(app: Any) -> DigestMemo:
    """The app's memo of state digests (made on first use)."""
    memo = app.extensions.get("camwatch_state_digests")
    if memo is None:
        limit = int(app.config.get("STATE_MEMO_ENTRIES", 4096))
        memo = app.extensions.setdefault("camwatch_state_digests", DigestMemo(limit))
    return memo  # type: ignore[no-any-return]


def site_of(compound: Compound) -> Site:
    """The compound as a validated Site (plan + non-retired devices), cached per state."""
    return _site_entry(compound, state_key(compound))[0]


def _site_entry(compound: Compound, key: str) -> tuple[Site, str]:
    """``(site, digest of its plan)`` for the state ``key``, read in a session of its own
    (so as committed now — never older than the state the key names), cached per key."""

    def compute() -> tuple[Site, str]:
        session = new_session()
        try:
            fresh = session.get(Compound, compound.id)
            if fresh is None:
                abort(404)
            return export_site(session, fresh.code), _digest(fresh.plan_json)
        finally:
            session.close()

    return cache_for(current_app).get_or_compute(("site", key), compute)


class CompoundAnalysis:
    """A site and its analysis (geometry included), as cached.

    ``figures`` is the analysis as computed: when it was derived from a coverage
    state (:mod:`web.incremental`) its level geometry is tile pieces, not dissolved
    across tile seams — right for every figure, ``to_dict()`` and ``ratios()``.
    ``analysis`` is the same analysis with valid level geometry (dissolved on first
    use, once), for drawing and geometry work.
    """

    __slots__ = ("_analysis", "_lock", "figures", "key", "site")

    def __init__(self, site: Site, figures: Analysis, key: str, *, dissolved: bool) -> None:
        self.site = site
        self.figures = figures
        self.key = key
        self._analysis: Analysis | None = figures if dissolved else None
        self._lock = threading.Lock()

    @property
    def analysis(self) -> Analysis:
        """The analysis with valid (dissolved) level geometry."""
        found = self._analysis
        if found is None:
            with self._lock:
                found = self._analysis
                if found is None:
                    found = self._analysis = dissolved_levels(self.figures)
        return found


_OPTICS_IGNORED = ("index", "extra", "name", "model", "serial", "status")


def _camera_key(camera: Any) -> str:
    """What a camera's footprints depend on: position and optics (not its name or status)."""
    return _digest(sorted((k, v) for k, v in vars(camera).items() if k not in _OPTICS_IGNORED))


def model_of(compound: Compound, requested: str | None = None) -> str:
    """The coverage model to analyse under: ``requested`` (``?model=``) when given, else the
    compound's own (docs/site-format.md §4; its default when the compound names none).

    An unknown ``requested`` model is a :class:`UsageError` (400) naming the choices.
    """
    if requested is not None and requested != "":
        if requested not in COVERAGE_MODELS:
            raise UsageError(
                _(
                    "model must be one of %(choices)s, got %(value)s",
                    choices=", ".join(COVERAGE_MODELS),
                    value=repr(requested[:40]),
                )
            )
        return requested
    return compound.coverage_model or DEFAULT_COVERAGE_MODEL


def other_model(model: str) -> str:
    """The model the compare switch offers beside ``model``."""
    return "ground" if model == "standing" else "standing"


def model_ratios(analysis: Any) -> dict[str, Any]:
    """An analysis's model and its coverage ratio per level (the compare switch's numbers)."""
    return {"model": analysis.coverage_model, "levels": analysis.ratios()}


def analysis_of(
    compound: Compound, *, include_planned: bool = False, coverage_model: str | None = None
) -> CompoundAnalysis:
    """The compound's coverage analysis under ``coverage_model`` (default: the compound's
    own model), computed once per compound state and model.

    Footprints are cached per camera (by its optics and position, the plan and,
    in the standing model, the target heights and depression limits), so after
    one camera moves only that camera is recomputed; and the union and blind spots
    are derived from the compound's previous analysis when only a few cameras
    changed (:mod:`web.incremental`).
    """
    cache = cache_for(current_app)
    key = state_key(compound)
    model = model_of(compound, coverage_model)

    def compute() -> CompoundAnalysis:
        site, plan = _site_entry(compound, key)
        space = cache.get_or_compute(("space", plan), lambda: free_space(site))
        if model == "standing":
            scene = cache.get_or_compute(("scene", plan), lambda: Scene(site, space))
            targets = site.info.target_heights()
            depressions = site.info.max_depressions()
            heights = _digest([targets, depressions])

            def footprint(cam: Any) -> Any:
                return cache.get_or_compute(
                    ("fp-standing", plan, heights, _camera_key(cam)),
                    lambda: standing_footprints(cam, scene, targets, depressions),
                )
        else:

            def footprint(cam: Any) -> Any:
                return cache.get_or_compute(
                    ("fp", plan, _camera_key(cam)),
                    lambda: camera_footprints(cam, space, levels=site.info.ladder.names),
                )

        footprints = {cam.id: footprint(cam) for cam in site.cameras}

        def full() -> Analysis:
            return analyze(
                site,
                include_planned=include_planned,
                footprints=footprints,
                space=space,
                coverage_model=model,
            )

        slot = (compound.id, compound.created_at.isoformat(), include_planned, model)
        result, derived = coverage_states(current_app).analysis(
            slot,
            site,
            space,
            footprints,
            include_planned=include_planned,
            model=model,
            full=full,
        )
        # a full analysis has valid level geometry; a derived one tile pieces
        return CompoundAnalysis(site, result, key, dissolved=not derived)

    return cache.get_or_compute(("analysis", key, include_planned, model), compute)


def active_devices(compound: Compound) -> list[Device]:
    """The compound's devices that are not retired, by kind and code."""
    order = {"camera": 0, "gate": 1, "alarm": 2, "intercom": 3}
    return sorted(
        (d for d in compound.devices if d.status != "retired"),
        key=lambda d: (order.get(d.kind, 9), d.code),
    )


def json_response(key: tuple[Any, ...], build: Any) -> Response:
    """A JSON response whose text is built once and cached under ``key``.

    ``key`` must name the content (e.g. contain :func:`state_key`); the text is
    shared by every request for it, so a warm request costs no serialisation.
    """
    text = cache_for(current_app).get_or_compute(
        key, lambda: json.dumps(build(), ensure_ascii=False, separators=(",", ":"))
    )
    return Response(text, mimetype="application/json")
