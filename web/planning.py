"""The "Plan K cameras" feature: options from JSON, the planner call, ghosts for the map.

The planner (:mod:`planners.plan`, issue 4) is imported on first use, so the
web starts without it and answers 503 with a clear message while it is absent.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from werkzeug.exceptions import ServiceUnavailable

from camwatch.errors import UsageError
from camwatch.model import LEVELS, Site

TIME_LIMIT_S = 15.0  # planner time limit for interactive requests
MAX_K = 20  # the web asks for at most this many cameras at once (interactive use)
METHODS = ("auto", "greedy", "local", "exact")


def _num(
    data: dict[str, Any], key: str, default: float | None, lo: float, hi: float
) -> float | None:
    value = data.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise UsageError(f"{key} must be a number, got {value!r}")
    if not lo < value <= hi:
        raise UsageError(f"{key} must be in ({lo:g}, {hi:g}], got {value!r}")
    return float(value)


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
        """Validated options; UsageError naming the bad field otherwise."""
        k = data.get("k", 3)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise UsageError(f"k must be a whole number from 1 to {MAX_K}, got {k!r}")
        res = data.get("resolution", [1920, 1080])
        if isinstance(res, str):
            parts = res.lower().split("x")
            res = (
                [int(p) for p in parts]
                if len(parts) == 2 and all(p.isdigit() for p in parts)
                else res
            )
        if (
            not isinstance(res, list | tuple)
            or len(res) != 2
            or not all(
                isinstance(v, int) and not isinstance(v, bool) and 0 < v <= 20000 for v in res
            )
        ):
            raise UsageError(f"resolution must be [width, height] in pixels, got {res!r}")
        level = data.get("level", "detection")
        if level not in LEVELS:
            raise UsageError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
        method = data.get("method", "greedy")
        if method not in METHODS:
            raise UsageError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
        tilt = data.get("tilt", data.get("tilt_deg", 15.0))
        if isinstance(tilt, bool) or not isinstance(tilt, int | float) or not -90 <= tilt <= 90:
            raise UsageError(f"tilt must be in [-90, 90], got {tilt!r}")
        return cls(
            k=k,
            hfov_deg=_num(data, "hfov", data.get("hfov_deg", 90.0), 0, 360) or 90.0,
            resolution=(int(res[0]), int(res[1])),
            height_m=_num(data, "height", data.get("height_m", 3.0), 0, 100) or 3.0,
            tilt_deg=float(tilt),
            range_m=_num(data, "range", data.get("range_m"), 0, 10000),
            level=level,
            method=method,
        )


def _planner() -> Any:
    try:
        return importlib.import_module("planners.plan")
    except ImportError:
        raise ServiceUnavailable("the camera planner (planners.plan) is not installed") from None


def plan_for(site: Site, options: PlanOptions) -> dict[str, Any]:
    """The planner's answer (SITE_FORMAT §3 ``plan`` object) with ghost footprints added."""
    from web.analysis import ghost_features

    planner = _planner()
    from planners.lenses import Lens

    lens = Lens(
        hfov_deg=options.hfov_deg,
        resolution=options.resolution,
        height_m=options.height_m,
        tilt_deg=options.tilt_deg,
        range_m=options.range_m,
    )
    result = planner.plan_cameras(
        site,
        add=options.k,
        level=options.level,
        lens=lens,
        method=options.method,
        time_limit=TIME_LIMIT_S,
    ).to_dict()
    result["suggestions"] = ghost_features(site, result["suggestions"])
    return result
