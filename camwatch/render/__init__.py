"""Plan pictures: the site to scale with coverage, blind spots, zones and devices.

``render_plan(site, analysis, path, level=..., lang="zh"|"en", overlays=...)``
writes a PNG (or SVG/PDF) a planner can hand to a property manager. Modules:

- ``plan``: layout and the atomic write (entry point);
- ``layers``: ground, DORI coverage, zones, blind spots, buildings;
- ``devices``: cameras, gates, alarms, intercoms and planner overlays;
- ``decor``: scale bar, north arrow, legend, title block;
- ``labels``: non-overlapping label placement; ``shapes``: shapely → matplotlib;
- ``terms``: the English/Chinese word table; ``fonts``: finding a CJK font;
- ``overlays``: :class:`Overlays`, what the planners ask to draw.

Importing this package does not import matplotlib; rendering does.
"""

from __future__ import annotations

from camwatch.render.overlays import Overlays
from camwatch.render.plan import render_plan
from camwatch.render.terms import TERMS, term

__all__ = ["TERMS", "Overlays", "render_plan", "term"]
