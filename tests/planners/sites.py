"""Constructed compounds with known optimal camera plans (planner tests)."""

from __future__ import annotations

from shapely.geometry import Point, box

from camwatch.model import Camera, Gate, Site, Zone
from planners.lenses import Lens
from tests.common import l_corridor, site

# A 2 m wide L corridor with 20 m legs.
L_CORRIDOR = l_corridor
# Panoramic lens whose detection reach is 2400 / (2π · 25) = 15.28 m: from no point of the
# L can one camera reach both leg ends (≥ 18.1 m from the corner square), two on the legs can.
PANO_15M = Lens(name="pano15", hfov_deg=360.0, resolution=(2400, 2400))
# Panoramic lens reaching 4800 / (2π · 25) = 30.6 m: one covers a 20 m square from its edge.
PANO_30M = Lens(name="pano30", hfov_deg=360.0, resolution=(4800, 4800))


# The planner tests build sites with the suite's common builder.
make_site = site


def l_corridor_site() -> Site:
    return make_site(L_CORRIDOR, sid="l-corridor")


def square_courtyard_site() -> Site:
    return make_site(box(0, 0, 20, 20), sid="courtyard")


def small_compound() -> Site:
    """A 40 × 30 m compound, two buildings, an entrance zone, one active camera."""
    return make_site(
        box(0, 0, 40, 30),
        buildings=[box(6, 8, 16, 22), box(24, 8, 34, 22)],
        zones=[
            Zone(
                "gate",
                box(17, 0, 23, 5),
                zone_type="entrance",
                required_level="identification",
                weight=2.0,
            ),
            Zone("lawn", box(17, 10, 23, 20), zone_type="square"),
        ],
        cameras=[Camera(id="C1", position=(0.0, 0.0), heading_deg=45.0)],
        gates=[Gate(id="G1", geometry=Point(20, 0), name="south gate")],
        sid="small",
    )
