"""Free space and mounting positions (docs/site-format.md §1–2).

Free space F = boundary − (buildings ∪ obstacles ∪ wall footprints); the
monitored area M equals F. A camera on a facade, slightly inside an obstacle
or slightly outside the boundary stands at its nearest point of F.
"""

from __future__ import annotations

from shapely import unary_union
from shapely.geometry import MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from camwatch.model import Site


def obstacles_union(site: Site) -> BaseGeometry:
    """Union of everything opaque: buildings, obstacles and wall footprints."""
    return unary_union(site.opaque_polygons())


def free_space(site: Site) -> Polygon | MultiPolygon:
    """F = boundary − obstacles, as a (multi)polygon (see :meth:`Site.free_space`).

    >>> from shapely.geometry import box
    >>> from camwatch.model import Site, SiteInfo, Building
    >>> s = Site(SiteInfo("s"), box(0, 0, 10, 10), buildings=(Building(box(0, 0, 10, 10)),))
    >>> free_space(s).area
    0.0
    """
    return site.free_space()


def stand_point(position: tuple[float, float], space: BaseGeometry) -> tuple[float, float]:
    """Where a camera at ``position`` stands: itself if in F, else its nearest point of F.

    Facade-mounted cameras (on an obstacle edge) and cameras within the mount
    tolerance inside an obstacle or outside the boundary are moved onto F's
    boundary; the site loader has already rejected anything farther away.
    """
    point = Point(position)
    if space.is_empty or space.covers(point):
        return (float(position[0]), float(position[1]))
    nearest = nearest_points(space, point)[0]
    return (nearest.x, nearest.y)
