"""The "Plan K cameras" feature: options from JSON, the planner call, ghosts for the map.

The planner (:mod:`planners.plan`, issue 4) is imported on first use, so the
web starts without it and answers 503 with a clear message while it is absent.
It runs in a child process with a hard time limit (``PLAN_TIMEOUT_S``, app
config ``PLAN_TIMEOUT_S``), one plan at a time; results are cached by the
caller per compound state and options.
"""

from __future__ import annotations

import importlib
import multiprocessing
import threading
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import ServiceUnavailable

from camwatch import errors
from camwatch.model import Site

TIME_LIMIT_S = 15.0  # the planner's own time limit (passed to plan_cameras)
PLAN_TIMEOUT_S = 90.0  # hard wall-clock limit of a web plan request (the child is stopped)
# at most this many plans are computed at once; more get 503 "busy" instead of tying up
# every server thread (the planner is CPU-bound)
_running = threading.BoundedSemaphore(1)
BUSY_WAIT_S = 20.0


@dataclass(frozen=True)
class PlanOptions:
    """What the planner is asked for (hashable: it is part of the cache key)."""

    k: int = 3
    hfov_deg: float = 90.0
    resolution: tuple[int, int] = (1920, 1080)
    height_m: float = 3.0
    tilt_deg: float = 15.0
    range_m: float | None = None
    level: str = "detection"
    method: str = "greedy"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanOptions:
        """Options from a JSON body, validated by the plan schema
        (:class:`web.api.plan_schemas.PlanInput`: every range is checked there, by the
        core's validators); a FieldError (400) naming the bad field otherwise."""
        from web.api.plan_schemas import PlanInput, load_plan_body

        body = load_plan_body(PlanInput(), data)

        def pick(short: str, long: str, default: Any) -> Any:
            return body.get(short, body.get(long, default))

        res = body.get("resolution", [1920, 1080])
        return cls(
            k=body["k"],
            hfov_deg=pick("hfov", "hfov_deg", 90.0),
            resolution=(int(res[0]), int(res[1])),
            height_m=pick("height", "height_m", 3.0),
            tilt_deg=pick("tilt", "tilt_deg", 15.0),
            range_m=pick("range", "range_m", None),
            level=body["level"],
            method=body["method"],
        )


def _planner() -> Any:
    try:
        return importlib.import_module("planners.plan")
    except ImportError:
        raise ServiceUnavailable("the camera planner (planners.plan) is not installed") from None


def plan_for(
    site: Site, options: PlanOptions, *, timeout_s: float = PLAN_TIMEOUT_S
) -> dict[str, Any]:
    """The planner's answer (docs/site-format.md §3 ``plan`` object) with ghost footprints added.

    The planner runs in a child process with a hard wall-clock limit
    (``timeout_s``): a request that would run away is stopped and answered
    422 (PlanningError), and a server thread is never tied up for longer.
    One plan at a time; a second one waits up to ``BUSY_WAIT_S``, then 503.
    """
    _planner()  # a clear 503 when the planner is not installed
    if not _running.acquire(timeout=BUSY_WAIT_S):
        raise ServiceUnavailable("the planner is busy with another request; try again in a moment")
    try:
        result = _run_isolated(site, options, timeout_s)
    finally:
        _running.release()
    result["suggestions"] = ghost_features(site, result["suggestions"])
    return result


def ghost_features(site: Any, suggestions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each suggestion with its four footprints under the site's coverage model, as drawn
    on the map (site coordinates)."""
    from camwatch.geometry.footprint import camera_footprints
    from camwatch.geometry.heights import Scene, standing_footprints
    from camwatch.geometry.space import free_space
    from camwatch.model import Camera
    from web import geojson

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


def _run_isolated(site: Site, options: PlanOptions, timeout_s: float) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")  # no fork of a threaded server
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(site, options, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout_s):
            raise errors.PlanningError(
                f"the planner did not finish within {timeout_s:g} s; ask for fewer cameras "
                "or a simpler lens, or use `camwatch plan` for large jobs"
            )
        outcome, payload = receiver.recv()
    except EOFError:
        raise RuntimeError("the planner process stopped without an answer") from None
    finally:
        receiver.close()
        if process.is_alive():
            process.terminate()
        process.join(timeout=5)
    if outcome == "ok":
        return payload
    if outcome == "camwatch":
        kind, message = payload
        raise getattr(errors, kind, errors.CamwatchError)(message)
    raise RuntimeError(f"planner failed: {payload}")


def _child(site: Site, options: PlanOptions, sender: Any) -> None:
    """Child process: run the planner, send ("ok", result) or the error back."""
    try:
        sender.send(("ok", _plan(site, options)))
    except errors.CamwatchError as exc:
        sender.send(("camwatch", (type(exc).__name__, str(exc))))
    except Exception as exc:  # reported to the parent, which answers 500
        sender.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


def _plan(site: Site, options: PlanOptions) -> dict[str, Any]:
    from planners.lenses import Lens

    lens = Lens(
        hfov_deg=options.hfov_deg,
        resolution=options.resolution,
        height_m=options.height_m,
        tilt_deg=options.tilt_deg,
        range_m=options.range_m,
    )
    result = _planner().plan_cameras(
        site,
        add=options.k,
        level=options.level,
        lens=lens,
        method=options.method,
        time_limit=TIME_LIMIT_S,
    )
    return with_unused_mounts(result)


def with_unused_mounts(result: Any) -> dict[str, Any]:
    """The plan object (docs/site-format.md §3) and ``unused_mounts``: the planner's remarks
    on mount spots it could not use (English text that keeps its message: the API shows
    the English, :func:`worded` words them for a page)."""
    return {**result.to_dict(), "unused_mounts": list(result.skipped_mounts)}


def worded(plan: dict[str, Any]) -> dict[str, Any]:
    """A plan for a page: its unused-mount remarks in the reader's language."""
    from camwatch.i18n import text_of

    return {**plan, "unused_mounts": [text_of(s) for s in plan.get("unused_mounts", ())]}
