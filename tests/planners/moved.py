"""Sample sites moved as a whole: rotated about the origin and translated (invariance tests).

Written independently of the code under test: it moves the GeoJSON coordinates
of every feature and turns compass headings with the plan, then parses the
result like any site file.
"""

from __future__ import annotations

import copy
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from camwatch.model import Site
from camwatch.sitefile import parse_site

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sites"
SAMPLE_NAMES = ("modern_gated", "old_residential", "urban_village")


@cache
def sample_data(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.geojson").read_text(encoding="utf-8"))


def moved_data(
    data: dict[str, Any], *, angle_deg: float = 0.0, dx: float = 0.0, dy: float = 0.0
) -> dict[str, Any]:
    """``data`` rotated by ``angle_deg`` counter-clockwise about (0, 0), then moved by (dx, dy)."""
    out = copy.deepcopy(data)
    c, s = math.cos(math.radians(angle_deg)), math.sin(math.radians(angle_deg))

    def move(coords: Any) -> Any:
        if isinstance(coords[0], int | float):
            x, y = coords[0], coords[1]
            return [c * x - s * y + dx, s * x + c * y + dy]
        return [move(part) for part in coords]

    for feature in out["features"]:
        feature["geometry"]["coordinates"] = move(feature["geometry"]["coordinates"])
        props = feature["properties"]
        if "heading_deg" in props:  # compass bearings turn clockwise: the plan turned the other way
            props["heading_deg"] = (props["heading_deg"] - angle_deg) % 360.0
    return out


def moved_sample(name: str, *, angle_deg: float = 0.0, dx: float = 0.0, dy: float = 0.0) -> Site:
    """A sample site moved as a whole (see :func:`moved_data`)."""
    return parse_site(moved_data(sample_data(name), angle_deg=angle_deg, dx=dx, dy=dy))
