"""The planners' results, worded for the reader: device suggestions, intruder routes and the
patrol route of an analysis, cached per compound state (docs/web.md, "Planners on the map").

The map's layers (:mod:`web.map_planners`) and the analysis page (the template global
:func:`planner_views`, registered by :mod:`web.map_planners`) show the same results.
"""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from camwatch.errors import CamwatchError
from web.cache import Pending, cache_for, wait_left
from web.i18n import gettext as _


def _zh() -> bool:
    return str(get_locale() or "zh").startswith("zh")


# ---------------------------------------------------------------- device suggestions
def suggestion_text(item: dict[str, Any]) -> str:
    """A device suggestion's reason in the reader's language, worded from its data."""
    about = item.get("about") or {}
    name = about.get("name") or about.get("id") or f"#{about.get('index')}"
    kind = item.get("type")
    if kind == "access_control":
        return _(
            "Gate %(name)s has no access control: add face-recognition (or card) access control.",
            name=name,
        )
    if kind == "identification_camera":
        return _(
            "The entrance area of gate %(name)s has %(r).0f %% identification coverage (98 %% needed): add an identification camera facing the gate.",
            name=name,
            r=100.0 * float(item.get("coverage", 0.0)),
        )
    if kind in ("infrared_beam", "electric_fence"):
        what = _("an infrared beam pair") if kind == "infrared_beam" else _("an electric fence")
        return _(
            "%(m).1f m of perimeter has neither an alarm line nor detection coverage: add %(what)s.",
            m=float(item.get("length_m", 0.0)),
            what=what,
        )
    if kind == "intercom":
        return _(
            "Building %(name)s has no door intercom: add a video intercom at its entrance door.",
            name=name,
        )
    return str(item.get("reason_zh") if _zh() else item.get("reason") or kind)


_DEVICE_LABELS = {
    "access_control": _l("Access control"),
    "identification_camera": _l("Identification camera"),
    "infrared_beam": _l("Infrared beam"),
    "electric_fence": _l("Electric fence"),
    "intercom": _l("Intercom"),
}


def device_label(kind: str) -> str:
    """The name of a suggested device type (only that one translated: a page names dozens)."""
    label = _DEVICE_LABELS.get(kind)
    return str(label) if label is not None else kind


def suggestions_of(result: Any, planned: bool) -> list[dict[str, Any]]:
    """The device suggestions of an analysis (cached), worded for the reader."""

    def build() -> list[dict[str, Any]]:
        from planners.devices import suggest_devices

        return suggest_devices(result.site, result.analysis)

    items = cache_for(current_app).get_or_compute(("suggest", result.key, planned), build)
    return [
        {
            **{k: v for k, v in it.items() if k not in ("reason", "reason_zh")},
            "label": device_label(it["type"]),
            "reason": suggestion_text(it),
        }
        for it in items
    ]


# ---------------------------------------------------------------- routes and patrol
def route_text(route: dict[str, Any]) -> str:
    """One intruder route in words (reader's language)."""
    if not route.get("reachable"):
        return _(
            "%(id)s · %(building)s: no way in unseen", id=route["id"], building=route["building"]
        )
    return _(
        "%(id)s · %(building)s: %(unseen).0f m unseen of %(length).0f m",
        id=route["id"],
        building=route["building"],
        unseen=route["unseen_m"],
        length=route["length_m"],
    )


def _in_background(key: tuple[Any, ...], build: Any, result: Any, page: bool) -> Any:
    """``build()`` cached, computed on the cache's worker thread (docs/web.md, "Performance").

    For the analysis page (``page``) its parts are waited for at most ``PLANNER_WAIT_S``
    in all (one deadline per request), else :class:`web.cache.Pending`, and per compound
    and part only the newest state is computed; the JSON answers wait for it (up to
    ``PLAN_TIMEOUT_S``, then 503).
    """
    cache = cache_for(current_app)
    if page:
        group = (key[0], result.site.id, *key[2:])
        wait_s = wait_left("planners", float(current_app.config["PLANNER_WAIT_S"]))
        settle_s = float(current_app.config["PLANNER_SETTLE_S"])
        return cache.get_or_start(key, build, wait_s=wait_s, group=group, settle_s=settle_s)
    try:
        return cache.get_or_start(key, build, wait_s=float(current_app.config["PLAN_TIMEOUT_S"]))
    except Pending:
        abort(503, description="the planner is busy; try again shortly")


def routes_of(
    result: Any, planned: bool, cell: float | None, *, page: bool = False
) -> list[dict[str, Any]]:
    """The intruder routes of an analysis (cached), each with its words."""

    def build() -> list[dict[str, Any]]:
        from planners.routes import intruder_routes

        return intruder_routes(result.site, result.analysis, cell_m=cell)

    found = _in_background(("routes", result.key, planned, cell), build, result, page)
    return [{**r, "text": route_text(r)} for r in found]


def patrol_of(
    result: Any, planned: bool, min_area: float, speed: float, *, page: bool = False
) -> dict[str, Any]:
    """The patrol route of an analysis (cached), with its words."""

    def build() -> dict[str, Any]:
        from planners.patrol import patrol_route

        return patrol_route(result.site, result.analysis, min_area_m2=min_area, speed_m_s=speed)

    key = ("patrol", result.key, planned, min_area, speed)
    found = _in_background(key, build, result, page)
    text = _(
        "Patrol: %(n)d blind spots, %(m).0f m, %(t).0f min",
        n=len(found["stops"]),
        m=found["length_m"],
        t=found["time_min"],
    )
    return {**found, "text": text}


# ---------------------------------------------------------------- the analysis page
def planner_views(compound: Any, planned: bool) -> dict[str, Any]:
    """For the analysis page: suggested devices, intruder routes and the patrol, worded;
    a part the planners cannot compute carries its message instead."""
    from planners.patrol import MIN_PATROL_SPOT_M2, WALK_SPEED_M_S
    from web.summary import analysis_outcome

    result, _failure = analysis_outcome(compound, include_planned=planned)
    out: dict[str, Any] = {}
    if result is None:
        return out
    parts = {
        "suggestions": lambda: suggestions_of(result, planned),
        "routes": lambda: routes_of(result, planned, None, page=True),
        "patrol": lambda: patrol_of(result, planned, MIN_PATROL_SPOT_M2, WALK_SPEED_M_S, page=True),
    }
    for name, compute in parts.items():
        try:
            out[name] = compute()
        except Pending:  # the page says so; a reload in a few seconds shows it
            out[name + "_pending"] = True
        except CamwatchError as exc:
            out[name + "_error"] = str(exc)
        except Exception as exc:  # the analysis page never fails for a planner's sake
            current_app.logger.exception("planner part %s of %s failed", name, compound.code)
            out[name + "_error"] = f"{type(exc).__name__}: {exc}"
    return out
