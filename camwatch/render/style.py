"""Colours and sizes of a plan picture.

Colours are chosen to stay apart: footprints in a blue-purple ramp per level
ladder (the densest level darkest: identification in DORI, scrutinise in IEC
62676-4:2025), camera status in traffic colours, blind spots and
failing zones in red, zone types in distinct outline colours. Sizes are given
in points and converted to metres with :class:`Scale`, so icons and text look
the same on a 50 m courtyard and a 600 m estate.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVEL_COLOURS: dict[str, str] = {
    "detection": "#a6c8e0",
    "observation": "#7b86c2",
    "recognition": "#7d4ca6",
    "identification": "#4d0a5c",
    # IEC 62676-4:2025 (camwatch.ladders), a seven-step ramp (ColorBrewer BuPu)
    "overview": "#bfd3e6",
    "outline": "#9ebcda",
    "discern": "#8c96c6",
    "perceive": "#8c6bb1",
    "characterise": "#88419d",
    "validate": "#810f7c",
    "scrutinise": "#4d004b",
}
LEVEL_ALPHA = 0.55

STATUS_COLOURS: dict[str, str] = {
    "active": "#2ca02c",
    "planned": "#1f6fd1",
    "faulty": "#d62728",
    "offline": "#8c8c8c",
}

ZONE_COLOURS: dict[str, str] = {
    "entrance": "#f28e00",
    "perimeter": "#8c564b",
    "parking": "#0f9fb0",
    "bike_shed": "#9a9a00",
    "playground": "#e377c2",
    "lobby": "#00a087",
    "road": "#505050",
    "square": "#c99a00",
    "other": "#7f7f7f",
}

FAIL = "#e31a1c"
BLIND = "#e31a1c"
BLIND_FACE = (0.89, 0.10, 0.11, 0.07)
BLIND_HATCH = (0.89, 0.10, 0.11, 0.55)
OUTSIDE = "#ececec"
INSIDE = "#ffffff"
BOUNDARY = "#1e1e1e"
BUILDING_FACE = "#cfcfcf"
BUILDING_EDGE = "#707070"
OBSTACLE_FACE = "#9a9a9a"
OBSTACLE_EDGE = "#5a5a5a"
WALL = "#111111"
GATE = "#d95f02"
ALARM = "#e31a1c"
INTERCOM = "#6a3d9a"
GHOST = "#0095c8"
DEVICE = "#d4008f"
ROUTE = "#b10026"
PATROL = "#1b7837"
TEXT = "#1a1a1a"


@dataclass(frozen=True)
class Scale:
    """How many metres one typographic point spans on the plan, and the font sizes."""

    m_per_pt: float
    font: float = 7.0  # zone and gate labels
    font_small: float = 6.5  # camera ids, alarm types
    font_building: float = 8.0  # upper bound; shrunk to fit the building
    font_min: float = 4.5

    def m(self, points: float) -> float:
        """Length in metres of ``points`` typographic points on the plan."""
        return points * self.m_per_pt
