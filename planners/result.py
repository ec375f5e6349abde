"""What ``camwatch plan`` returns: suggestions, before/after, the target report.

:meth:`PlanResult.to_dict` is the docs/site-format.md §3 object (plus ``note``,
``target`` and ``planner``); :func:`site_with_suggestions` is the site that
``--write`` saves and whose re-analysis gives ``after``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from camwatch.geometry.coverage import Analysis
from camwatch.i18n import Said, msg, term_msg
from camwatch.model import ZONE_PASS_RATIO, Camera, Site
from planners.lenses import Lens
from planners.words import reason


@dataclass(frozen=True)
class Suggestion:
    """A camera to add, with the objective it adds in selection order."""

    camera: Camera
    gain_m2: float
    lens: Lens
    mount: Said  # the mount or facade it is on (English; worded for a reader)

    def to_dict(self) -> dict[str, Any]:
        cam, lens = self.camera, self.lens
        out: dict[str, Any] = {
            "id": cam.id,
            "position": [cam.position[0], cam.position[1]],
            "heading_deg": cam.heading_deg,
            "tilt_deg": cam.tilt_deg,
            "height_m": cam.height_m,
            "hfov_deg": round(cam.hfov, 6) if cam.hfov_deg is None else cam.hfov_deg,
            "resolution": [cam.resolution[0], cam.resolution[1]],
            "gain_m2": round(float(self.gain_m2), 2),
        }
        if cam.focal_mm is not None:
            out["focal_mm"] = cam.focal_mm
            out["sensor_width_mm"] = cam.sensor_width_mm
        if cam.range_m is not None:
            out["range_m"] = cam.range_m
        if lens.named:
            out["lens"] = lens.name
            out["unit_cost"] = lens.unit_cost
        return out


@dataclass
class PlanResult:
    """What ``camwatch plan`` prints; ``to_dict`` is the docs/site-format.md §3 object."""

    site_id: str
    before: dict[str, float]
    after: dict[str, float]
    suggestions: list[Suggestion]
    note: Said | None = None  # English in the JSON; worded for a reader
    method: str = "greedy"
    objective: float = 0.0
    bound: float | None = None
    gap: float | None = None
    optimal: bool = False
    candidates: int = 0
    pool: int = 0
    atoms: int = 0
    exact_pool: int = 0
    skipped_mounts: list[Said] = field(default_factory=list)  # English; worded for a reader
    unvisited: Said | None = None  # the candidate bound's remark: spots not visited
    seconds: float = 0.0
    runs: dict[str, float] = field(default_factory=dict)
    target: dict[str, Any] | None = None
    after_analysis: Analysis | None = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "before": self.before,
            "after": self.after,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }
        if self.note:
            out["note"] = str(self.note)  # JSON is English (docs/site-format.md §3)
        if self.target is not None:
            out["target"] = self.target
        return out

    def planner_info(self) -> dict[str, Any]:
        """How the plan was found: method, objective, bound and optimality gap, sizes, times.

        Kept out of :meth:`to_dict` so ``plan --json`` prints exactly the
        docs/site-format.md §3 object; the CLI prints its summary (method line, unused
        mounts) in ``--lang`` (docs/planners.md, "Planner information").
        """
        return {
            "method": self.method,
            "objective": round(self.objective, 4),
            "bound": None if self.bound is None else round(self.bound, 4),
            "gap": None if self.gap is None else round(self.gap, 6),
            "optimal": self.optimal,
            "candidates": self.candidates,
            "pool": self.pool,
            "atoms": self.atoms,
            "exact_pool": self.exact_pool,
            "skipped_mounts": [
                *self.skipped_mounts,
                *([str(self.unvisited)] if self.unvisited else []),
            ],
            "runs": {k: round(v, 4) for k, v in self.runs.items()},
            "seconds": round(self.seconds, 2),
        }


def site_with_suggestions(site: Site, result: PlanResult) -> Site:
    """The site with the suggestions added as ``planned`` cameras."""
    return site.with_cameras(tuple(site.cameras) + tuple(s.camera for s in result.suggestions))


def target_report(
    site: Site, analysis: Analysis | None, target: float | None, level: str
) -> dict[str, Any]:
    """Whether the target is met after the plan, and what cannot be reached and why."""
    assert analysis is not None and target is not None
    ratio = analysis.levels[level].ratio
    failing = [z for z in analysis.zones if not z.passed]
    unreachable = []
    for z in failing:
        unreachable.append(
            {
                "zone": z.name,
                "level": z.required_level,
                "required_ratio": ZONE_PASS_RATIO,
                "best_ratio": round(z.ratio, 6),
                **reason(
                    msg(
                        "no candidate mount sees the rest of zone '%(zone)s' at %(level)s level "
                        "(too far for the lens, behind obstacles, or outside every mount's view)",
                        zone=z.name,
                        level=term_msg("plan", z.required_level),
                    )
                ),
            }
        )
    if ratio < target - 1e-9:
        unreachable.append(
            {
                "zone": None,
                "level": level,
                "required_ratio": target,
                "best_ratio": round(ratio, 6),
                **reason(
                    msg(
                        "the candidate mounts cannot see %(share)s %% of the monitored area "
                        "at %(level)s level",
                        share=format((1 - ratio) * 100, ".2f"),
                        level=term_msg("plan", level),
                    )
                ),
            }
        )
    return {"ratio": target, "level": level, "reached": not unreachable, "unreachable": unreachable}
