"""The optional georeference ``site.crs`` of a site file (docs/site-format.md §6).

``{"epsg": 4547}`` says the file's coordinates already are in that projected
CRS (metres); ``{"epsg": 4547, "offset": [x0, y0], "rotation_deg": r}`` says
they are local: world = R(r)·(x, y) + (x0, y0), r counter-clockwise.

Only the *form* is checked here (the loader calls :func:`parse_crs`); whether
the EPSG code names a projected CRS in metres is checked when an export needs
it (:mod:`camwatch.report.geo`, with pyproj), so loading a site never needs
the PROJ database.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from camwatch.errors import SiteFormatError
from camwatch.i18n import msg
from camwatch.properties import show

CRS_KEYS = ("epsg", "offset", "rotation_deg")  # epsg may be left out (an offset alone)
MAX_COORD = 1e7  # same bound as every coordinate of a site file (docs/site-format.md §1)
ZONE_HINT = msg(
    "an easting above 1e7 carries a Gauss-Krüger zone prefix: use the zone's "
    "central-meridian CRS (e.g. EPSG:4547, CGCS2000 / 3-degree GK CM 114E) and drop the prefix"
)


@dataclass(frozen=True)
class Georef:
    """A validated ``site.crs``: EPSG code, offset (m) and counter-clockwise rotation (°).

    ``epsg`` is None when only the offset is known (``camwatch import-dxf``
    without ``--epsg`` keeps the CAD origin that way, docs/importers.md).
    """

    epsg: int | None
    offset: tuple[float, float] = (0.0, 0.0)
    rotation_deg: float = 0.0

    def to_world(self, x: float, y: float) -> tuple[float, float]:
        """Local (x, y) → projected world coordinates.

        >>> Georef(4547, (100.0, 200.0), 90.0).to_world(1.0, 0.0)
        (100.0, 201.0)
        """
        r = math.radians(self.rotation_deg)
        c, s = math.cos(r), math.sin(r)
        return (round(c * x - s * y + self.offset[0], 9), round(s * x + c * y + self.offset[1], 9))

    def to_local(self, wx: float, wy: float) -> tuple[float, float]:
        """Projected world coordinates → local (x, y) (the inverse of :meth:`to_world`).

        >>> Georef(4547, (100.0, 200.0), 90.0).to_local(100.0, 201.0)
        (1.0, 0.0)
        """
        r = math.radians(self.rotation_deg)
        c, s = math.cos(r), math.sin(r)
        dx, dy = wx - self.offset[0], wy - self.offset[1]
        return (round(c * dx + s * dy, 9), round(-s * dx + c * dy, 9))


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SiteFormatError(
            msg(
                "site: crs %(what)s must be a finite number, got %(value)s",
                what=what,
                value=show(value),
            )
        )
    return float(value)


def parse_crs(raw: Any) -> Georef:
    """Check a ``site.crs`` member and return it as a :class:`Georef`.

    >>> parse_crs({"epsg": 4547, "offset": [500000, 3380000], "rotation_deg": 12})
    Georef(epsg=4547, offset=(500000.0, 3380000.0), rotation_deg=12.0)
    >>> parse_crs({"epsg": "4547"})
    Traceback (most recent call last):
    ...
    camwatch.errors.SiteFormatError: site: crs epsg must be an integer EPSG code, got '4547'
    """
    if not isinstance(raw, Mapping) or not raw:
        raise SiteFormatError(
            msg("site: crs must be an object like {'epsg': 4547}, got %(raw)s", raw=show(raw))
        )
    unknown = sorted(str(k) for k in raw if k not in CRS_KEYS)
    if unknown:
        raise SiteFormatError(
            msg(
                "site: crs has unknown member(s) %(names)s (known: %(names2)s)",
                names=", ".join(unknown),
                names2=", ".join(CRS_KEYS),
            )
        )
    epsg = raw.get("epsg")
    if epsg is not None and (
        isinstance(epsg, bool) or not isinstance(epsg, int) or not 1 <= epsg <= 999_999
    ):
        raise SiteFormatError(
            msg("site: crs epsg must be an integer EPSG code, got %(epsg)s", epsg=show(epsg))
        )
    offset = raw.get("offset", [0.0, 0.0])
    if not isinstance(offset, list | tuple) or len(offset) != 2:
        raise SiteFormatError(
            msg("site: crs offset must be a pair [x0, y0], got %(offset)s", offset=show(offset))
        )
    x0, y0 = (_number(v, "offset") for v in offset)
    if abs(x0) > MAX_COORD or abs(y0) > MAX_COORD:
        raise SiteFormatError(
            msg(
                "site: crs offset must be within ±1e7 m, got [%(x)s, %(y)s]; %(hint)s",
                x=format(x0, "g"),
                y=format(y0, "g"),
                hint=ZONE_HINT,
            )
        )
    rotation = _number(raw.get("rotation_deg", 0.0), "rotation_deg")
    if abs(rotation) > 360:
        raise SiteFormatError(
            msg(
                "site: crs rotation_deg must be in [-360, 360], got %(rotation)s",
                rotation=format(rotation, "g"),
            )
        )
    return Georef(epsg, (x0, y0), rotation)


def georef_of(site_extra: Mapping[str, Any]) -> Georef | None:
    """The georeference in a site's ``site`` member extras (``SiteInfo.extra``), or None."""
    raw = site_extra.get("crs")
    return None if raw is None else parse_crs(raw)
