"""Named test geometries and small site builders shared by the test suite."""

from __future__ import annotations

from shapely.geometry import Polygon, box

from camwatch.model import (
    Building,
    Camera,
    Gate,
    Intercom,
    Mount,
    Obstacle,
    Site,
    SiteInfo,
    Wall,
    Zone,
)

square_room = box(0, 0, 10, 10)
# An L-shaped corridor 2 m wide: a horizontal leg along y ∈ [0, 2] and a vertical leg x ∈ [0, 2].
l_corridor = Polygon([(0, 0), (20, 0), (20, 2), (2, 2), (2, 20), (0, 20)])
# A 30 m square compound with a 10 m building in the middle: the courtyard ring around it.
courtyard = box(0, 0, 30, 30).difference(box(10, 10, 20, 20))


def camera(cid: str = "C1", x: float = 0.0, y: float = 0.0, **kwargs) -> Camera:
    """A camera with test-friendly defaults (90° lens, 1080p, 3 m, tilt 15°)."""
    return Camera(id=cid, position=(float(x), float(y)), **kwargs)


def site(
    boundary: Polygon = square_room,
    *,
    buildings: list[Polygon] | None = None,
    obstacles: list[Polygon | tuple[Polygon, str]] | None = None,
    walls: list[Wall] | None = None,
    zones: list[Zone] | None = None,
    cameras: list[Camera] | None = None,
    gates: list[Gate] | None = None,
    intercoms: list[Intercom] | None = None,
    mounts: list[Mount] | None = None,
    sid: str = "test",
) -> Site:
    """A site built directly from geometry (no file round trip).

    Obstacles are polygons (named O1, O2, …) or (polygon, name) pairs.
    """
    named = [o if isinstance(o, tuple) else (o, f"O{i}") for i, o in enumerate(obstacles or [], 1)]
    return Site(
        info=SiteInfo(sid, name=sid),
        boundary=boundary,
        buildings=tuple(Building(p, name=f"B{i}") for i, p in enumerate(buildings or [], 1)),
        obstacles=tuple(Obstacle(p, name=n) for p, n in named),
        walls=tuple(walls or []),
        zones=tuple(zones or []),
        cameras=tuple(cameras or []),
        gates=tuple(gates or []),
        intercoms=tuple(intercoms or []),
        mounts=tuple(mounts or []),
    )
