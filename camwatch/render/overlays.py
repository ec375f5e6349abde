"""What the planners draw on top of a plan (issue 4 item 7).

Plain data, filled by ``planners`` and read by :func:`camwatch.render.render_plan`:
suggested ("ghost") cameras with the footprint they would add, device
suggestions as labelled markers, intruder routes and a patrol route. Importing
this module does not import matplotlib.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from shapely.geometry import LineString, Point
from shapely.geometry.base import BaseGeometry

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.model import Camera


@dataclass(frozen=True)
class Overlays:
    """Planner results to draw over the plan.

    - ``ghost_cameras``: ``(camera, footprint, gain_m2)`` — a suggested camera,
      the area it would cover (usually its detection footprint or its new area)
      and the area it adds, shown as ``P1 +120 m²``.
    - ``devices``: ``(geometry, label)`` — a suggested access control,
      intercom or alarm; a Point is a marker, a LineString (e.g. an infrared
      beam stretch) a line, with the label beside it.
    - ``routes``: ``(line, label)`` — intruder routes, e.g. ``"R1 42 m unseen"``.
    - ``patrol``: the closed patrol route, with ``patrol_label`` (length, time).

    Sequences are stored as tuples; a wrong geometry type is a UsageError.
    """

    ghost_cameras: Sequence[tuple[Camera, BaseGeometry, float]] = field(default_factory=tuple)
    devices: Sequence[tuple[BaseGeometry, str]] = field(default_factory=tuple)
    routes: Sequence[tuple[LineString, str]] = field(default_factory=tuple)
    patrol: LineString | None = None
    patrol_label: str | None = None

    def __post_init__(self) -> None:
        ghosts = tuple((cam, fp, float(gain)) for cam, fp, gain in self.ghost_cameras)
        for cam, fp, _gain in ghosts:
            if not isinstance(cam, Camera) or not isinstance(fp, BaseGeometry):
                raise UsageError(
                    msg(
                        "ghost camera %(camera)s: expected (Camera, geometry, gain_m2)",
                        camera=repr(cam),
                    )
                )
        devices = tuple((geom, str(label)) for geom, label in self.devices)
        for geom, label in devices:
            if not isinstance(geom, Point | LineString):
                raise UsageError(
                    msg(
                        "device suggestion %(label)s: geometry must be a Point or LineString",
                        label=repr(label),
                    )
                )
        routes = tuple((line, str(label)) for line, label in self.routes)
        for line, label in routes:
            if not isinstance(line, LineString):
                raise UsageError(
                    msg("route %(label)s: geometry must be a LineString", label=repr(label))
                )
        if self.patrol is not None and not isinstance(self.patrol, LineString):
            raise UsageError(msg("patrol route must be a LineString"))
        object.__setattr__(self, "ghost_cameras", ghosts)
        object.__setattr__(self, "devices", devices)
        object.__setattr__(self, "routes", routes)

    def is_empty(self) -> bool:
        """True when there is nothing to draw."""
        return not (self.ghost_cameras or self.devices or self.routes or self.patrol is not None)

    def geometries(self) -> list[BaseGeometry]:
        """Every geometry drawn, so the plan's extent can include routes starting outside."""
        geoms: list[BaseGeometry] = []
        for cam, fp, _gain in self.ghost_cameras:
            geoms += [cam.point, fp]
        geoms += [g for g, _ in self.devices] + [line for line, _ in self.routes]
        if self.patrol is not None:
            geoms.append(self.patrol)
        return [g for g in geoms if not g.is_empty]


def combine(*parts: Overlays) -> Overlays:
    """One Overlays with everything of ``parts`` (the last patrol wins)."""
    patrol = next((p for p in reversed(parts) if p.patrol is not None), None)
    return Overlays(
        ghost_cameras=[g for p in parts for g in p.ghost_cameras],
        devices=[d for p in parts for d in p.devices],
        routes=[r for p in parts for r in p.routes],
        patrol=patrol.patrol if patrol else None,
        patrol_label=patrol.patrol_label if patrol else None,
    )
