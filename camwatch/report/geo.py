"""Local metres → WGS84 through ``site.crs`` (docs/site-format.md §6) and pyproj.

world = R(r)·(x, y) + (x0, y0) in the projected CRS ``EPSG:epsg`` (easting,
northing), then PROJ's transformation to longitude/latitude (EPSG:4326).
Coordinates are written with 9 decimals of a degree (about 0.1 mm), so an
export transforms back to the site's metres within 1 cm; RFC 7946's advice of
6 decimals (about 10 cm) would not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.model import Site
from camwatch.sitefile.crs import Georef, georef_of

DECIMALS = 9

ToWGS84 = Callable[[np.ndarray], np.ndarray]


def site_georef(site: Site) -> Georef:
    """The site's georeference, or a UsageError that says how to add one."""
    georef = georef_of(site.info.extra)
    if georef is None:
        raise UsageError(
            msg(
                "site %(site)s has no georeference: add site.crs, e.g. "
                '{"epsg": 4547, "offset": [x0, y0], "rotation_deg": 0} (docs/site-format.md §6), '
                "to export it to WGS84",
                site=repr(site.id),
            )
        )
    if georef.epsg is None:
        raise UsageError(
            msg(
                'site %(site)s: site.crs has an offset but no EPSG code; add "epsg" '
                "(the projected CRS the offset is in, docs/site-format.md §6) to export it to WGS84",
                site=repr(site.id),
            )
        )
    return georef


def projected_crs(epsg: int) -> Any:
    """The pyproj CRS of ``EPSG:epsg``, checked to be projected with metre axes."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        crs = CRS.from_epsg(epsg)
    except CRSError:
        raise UsageError(
            msg("site.crs: EPSG:%(epsg)s is not a CRS known to PROJ", epsg=epsg)
        ) from None
    units = {axis.unit_name for axis in crs.axis_info}
    if not crs.is_projected or units != {"metre"}:
        raise UsageError(
            msg(
                "site.crs: EPSG:%(epsg)s (%(name)s) is not a projected CRS in metres; "
                "site coordinates are metres (e.g. EPSG:4547, CGCS2000 / 3-degree GK CM 114E)",
                epsg=epsg,
                name=crs.name,
            )
        )
    return crs


def wgs84_transform(georef: Georef) -> ToWGS84:
    """A function mapping an (n, 2) array of local (x, y) to (n, 2) (longitude, latitude)."""
    from pyproj import Transformer

    if georef.epsg is None:
        raise UsageError(msg("site.crs has no EPSG code"))
    to_geo = Transformer.from_crs(projected_crs(georef.epsg), 4326, always_xy=True)
    r = np.radians(georef.rotation_deg)
    rot = np.array([[np.cos(r), -np.sin(r)], [np.sin(r), np.cos(r)]])
    offset = np.asarray(georef.offset, dtype=float)

    def apply(xy: np.ndarray) -> np.ndarray:
        world = np.asarray(xy, dtype=float) @ rot.T + offset
        lon, lat = to_geo.transform(world[:, 0], world[:, 1], errcheck=True)
        return np.round(np.column_stack([lon, lat]), DECIMALS)

    return apply


def to_wgs84(geom: BaseGeometry, apply: ToWGS84) -> BaseGeometry:
    """``geom`` with every coordinate mapped to (longitude, latitude)."""
    if geom.is_empty:
        return geom
    return shapely.transform(geom, apply)
