"""Named test geometries and small site builders shared by the test suite."""

from __future__ import annotations

from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon, box

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


# -- hypothesis strategies: hard but realistic compounds -----------------------------------------

# Typical CGCS2000 3-degree-zone plane coordinates, where real plans sit.
CGCS2000_OFFSET = (500000.0, 3400000.0)
ZONE_KINDS = (
    ("entrance", "identification"),
    ("parking", "observation"),
    ("playground", "detection"),
)


def moved_site(s: Site, dx: float, dy: float, angle: float) -> Site:
    """The whole site rotated by ``angle`` (degrees, counter-clockwise about the origin) then
    translated by (dx, dy); camera headings (compass, clockwise) turn with it."""
    from dataclasses import replace

    from shapely import affinity

    def move(g):
        return affinity.translate(affinity.rotate(g, angle, origin=(0, 0)), dx, dy)

    def moved_point(xy):
        p = move(Point(xy))
        return (p.x, p.y)

    return replace(
        s,
        boundary=move(s.boundary),
        buildings=tuple(replace(b, polygon=move(b.polygon)) for b in s.buildings),
        obstacles=tuple(replace(o, polygon=move(o.polygon)) for o in s.obstacles),
        walls=tuple(replace(w, line=move(w.line)) for w in s.walls),
        zones=tuple(replace(z, polygon=move(z.polygon)) for z in s.zones),
        cameras=tuple(
            replace(c, position=moved_point(c.position), heading_deg=(c.heading_deg - angle) % 360)
            for c in s.cameras
        ),
    )


def same_blind_spots(a, b, spot_m2: float = 0.01) -> bool:
    """Two analyses have the same blind spots: ids, areas (within ``spot_m2``) and zones.

    Spots of equal area (a symmetric site) may swap ids under rotation, so their zones
    are compared as a set."""
    if len(a.blind_spots) != len(b.blind_spots):
        return False
    for x, y in zip(a.blind_spots, b.blind_spots, strict=True):
        if x.id != y.id or abs(x.area_m2 - y.area_m2) > spot_m2:
            return False
        twins = [z for z in a.blind_spots if abs(z.area_m2 - x.area_m2) <= 2 * spot_m2]
        if len(twins) == 1 and x.zones != y.zones:
            return False
    return sorted(x.zones for x in a.blind_spots) == sorted(y.zones for y in b.blind_spots)


@st.composite
def hard_compounds(
    draw,
    *,
    max_buildings: int = 5,
    max_cameras: int = 4,
    move: bool = True,
    min_cameras: int = 1,
) -> Site:
    """A compound with what breaks visibility code: buildings touching at an edge or a corner
    (and the boundary), a courtyard (a building with a hole), an obstacle, a wall, zones, and
    cameras on facades, at corners and at the touching point, up to 360°; then rotated and
    translated (often to CGCS2000-sized coordinates)."""
    w = draw(st.sampled_from([40.0, 60.0, 73.5]))
    h = draw(st.sampled_from([30.0, 40.0, 52.25]))
    boundary = box(0, 0, w, h)
    if draw(st.booleans()):  # non-convex: a notch in the north-east corner
        boundary = boundary.difference(box(w * 0.75, h * 0.7, w + 1, h + 1))
    grid = st.integers(1, 9).map(lambda k: k / 10.0)
    buildings: list[Polygon] = []
    corners: list[tuple[float, float]] = []  # points where two opaque things meet at a corner
    facades: list[tuple[tuple[float, float], tuple[float, float]]] = []  # (a, b) edge
    for _ in range(draw(st.integers(0, max_buildings))):
        x, y = draw(grid) * w * 0.8, draw(grid) * h * 0.8
        bw, bh = draw(st.sampled_from([4.0, 6.5, 10.0])), draw(st.sampled_from([3.0, 5.0, 8.25]))
        b = box(x, y, x + bw, y + bh)
        kind = draw(st.sampled_from(["plain", "corner", "edge", "court", "rotated"]))
        if kind == "corner":  # a twin touching at the north-east corner only
            twin = box(x + bw, y + bh, x + 2 * bw, y + 2 * bh)
            corners.append((x + bw, y + bh))
            buildings.append(twin.intersection(boundary))
        elif kind == "edge":  # a twin sharing the east facade
            buildings.append(box(x + bw, y, x + 2 * bw, y + bh).intersection(boundary))
        elif kind == "court" and bw > 5 and bh > 4:
            b = b.difference(box(x + 1.5, y + 1.2, x + bw - 1.5, y + bh - 1.2))
        elif kind == "rotated":
            from shapely import affinity

            b = affinity.rotate(b, draw(st.sampled_from([15, 30, 45])), origin="centroid")
        buildings.append(b.intersection(boundary))
        facades.append(((x, y), (x + bw, y)))
        corners.append((x, y + bh))
    if draw(st.booleans()):  # a building whose corner touches the boundary
        cx = draw(grid) * w
        buildings.append(
            Polygon([(cx, 0), (cx + 4, 3), (cx, 6), (cx - 4, 3)]).intersection(boundary)
        )
        corners.append((cx, 0))
    buildings = [b for b in buildings if isinstance(b, Polygon) and b.area > 1.0]
    obstacles = [box(w * 0.45, h * 0.1, w * 0.45 + 2, h * 0.1 + 1.5)] if draw(st.booleans()) else []
    walls = []
    if draw(st.booleans()):
        wall_y = draw(grid) * h
        walls.append(Wall(LineString([(0, wall_y), (w * 0.4, wall_y)]), thickness_m=0.24))
    zones = [
        Zone(f"Z{i}", box(x, y, x + 6, y + 5), zone_type=zt, required_level=lv)
        for i, (zt, lv) in enumerate(ZONE_KINDS[: draw(st.integers(0, 3))], 1)
        for x, y in [(draw(grid) * w * 0.8, draw(grid) * h * 0.8)]
    ]
    s = site(boundary, buildings=buildings, obstacles=obstacles, walls=walls, zones=zones)
    space = s.free_space()
    places = ["free", "boundary_facade"]
    places += ["facade"] * bool(facades) + ["corner"] * bool(corners)
    cams: list[Camera] = []
    for i in range(draw(st.integers(min_cameras, max_cameras))):
        where = draw(st.sampled_from(places))
        hfov = draw(st.sampled_from([60.0, 90.0, 110.0, 200.0, 240.0, 300.0, 360.0]))
        if where == "free":
            pos = (draw(grid) * w, draw(grid) * h)
            heading = draw(st.sampled_from([0.0, 37.5, 90.0, 180.0, 271.0]))
        elif where == "boundary_facade":  # on the south fence, facing in or at the fence
            pos = (draw(grid) * w, 0.0)
            heading = draw(st.sampled_from([0.0, 180.0, 90.0]))
        elif where == "facade":
            a, b = draw(st.sampled_from(facades))
            pos = ((a[0] + b[0]) / 2, a[1])
            heading = draw(st.sampled_from([180.0, 0.0, 135.0]))  # away from / into the wall
        else:
            pos = draw(st.sampled_from(corners))
            heading = draw(st.sampled_from([0.0, 45.0, 225.0, 300.0]))
        if space.distance(Point(pos)) > 1e-6 or boundary.distance(Point(pos)) > 1e-6:
            continue
        cams.append(
            Camera(
                id=f"C{i}",
                position=pos,
                heading_deg=heading,
                hfov_deg=hfov,
                tilt_deg=draw(st.sampled_from([10.0, 20.0, 35.0])),
                height_m=draw(st.sampled_from([3.0, 4.5])),
                resolution=draw(st.sampled_from([(1920, 1080), (2560, 1440)])),
            )
        )
    result = site(
        boundary, buildings=buildings, obstacles=obstacles, walls=walls, zones=zones, cameras=cams
    )
    if move:
        dx, dy = draw(st.sampled_from([(0.0, 0.0), CGCS2000_OFFSET, (-1234.5, 678.25)]))
        angle = draw(st.sampled_from([0.0, 17.0, 45.0, 90.0, 123.4]))
        result = moved_site(result, dx, dy, angle)
    return result
