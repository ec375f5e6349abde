"""Footprints under the site's coverage model: the one place the planners build them.

Every planner (candidates, gains, the exact bound, ``plan --target``, the report's
suggestions) gets a candidate's footprint from a :class:`Sight`, so a plan is
made in the model its site is analysed in (docs/planners.md, "Coverage model"):

* ``ground`` (docs/site-format.md §2): the exact visibility polygon in free space
  and the annular sector between the ground near limit and the DORI reach;
* ``standing`` (§4): the engine's own :mod:`camwatch.geometry.heights` — the
  camera's stand point, what it sees of targets at each level's height (bounded
  shadows of low obstacles, see-through walls) and each level's annulus.

Notes: the engine's functions are called, not restated. A visibility region
depends on the stand point, the camera's height and the target's height, not on
heading or lens optics, so a spot computes one per distinct (stand, camera height,
target height) and every heading, lens and level reuses it (``Sight.visible``).
"""

from __future__ import annotations

from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from camwatch.geometry.heights import (
    Scene,
    standing_limits,
    standing_stand_point,
    standing_visible,
)
from camwatch.geometry.optics import ground_limits, reach
from camwatch.geometry.visibility import visible_region
from camwatch.model import Camera, Site


class Sight:
    """How cameras see in ``site``'s coverage model (``model`` overrides the site's)."""

    def __init__(self, site: Site, space: BaseGeometry, model: str | None = None) -> None:
        self.model = site.info.model if model is None else model
        self.scene = Scene(site, space) if self.model == "standing" else None
        self.targets = site.info.target_heights()
        self.depressions = site.info.max_depressions()

    @property
    def standing(self) -> bool:
        return self.scene is not None

    def limits(self, camera: Camera, level: str) -> tuple[float, float]:
        """(near, far) horizontal distances of ``camera``'s footprint at ``level``
        (far ≤ near: none). Independent of the camera's position and heading."""
        if self.scene is None:
            return ground_limits(camera)[0], reach(camera, level)
        return standing_limits(camera, level, self.targets[level], self.depressions[level])

    def stand(self, camera: Camera, ground_stand: tuple[float, float]) -> tuple[float, float]:
        """Where ``camera`` stands; ``ground_stand`` is its nearest point of free space
        (the ground model's stand point, already known to the caller)."""
        if self.scene is None:
            return ground_stand
        return standing_stand_point(camera, self.scene)

    def view_key(self, camera: Camera, level: str) -> tuple[float, float]:
        """What a visibility region depends on besides the stand point: (camera height,
        target height) in the standing model; nothing in the ground model."""
        if self.scene is None:
            return (0.0, 0.0)
        return (float(camera.height_m), float(self.targets[level]))

    def visible(
        self,
        camera: Camera,
        level: str,
        stand: tuple[float, float],
        disc: Polygon,
        domain: BaseGeometry,
        radius: float,
    ) -> BaseGeometry:
        """What ``camera`` standing at ``stand`` sees at ``level`` within ``disc`` (a disc of
        ``radius`` about ``stand``); ``domain`` is free space within the disc (ground model)."""
        if self.scene is None:
            return visible_region(stand, domain, cutoff=radius)
        return standing_visible(self.scene, camera, stand, disc, self.targets[level], radius)
