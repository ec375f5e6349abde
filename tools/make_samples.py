"""Generate the three sample compounds in ``sample_sites/`` (deterministic).

Realistic, different compounds for demos, tests and benchmarks:

- ``old_residential.geojson`` — 幸福里小区, an old residential compound (老旧小区):
  1990s six-storey slabs in rows, one main gate, bike sheds (2.5 m roofs), walled
  ground-floor gardens, 1.2 m hedges, six cameras (one faulty): large blind spots.
- ``modern_gated.geojson`` — 锦绣华庭, a modern gated community: 30-storey
  towers, north and south gates, guard kiosks, a parking ramp, an infrared-beam
  perimeter with a solid wall on the north side and a camera on a pole above it, a
  see-through railing round the playground, parking hedges, a low water-feature
  wall, 40 cameras incl. two 360° fisheyes, mounting spots for planners.
- ``urban_village.geojson`` — 南岗村, an urban village (城中村): dense self-built
  houses in 2–4 m alleys, an irregular boundary, an ancestral hall round a
  courtyard, a see-through garden fence, a 2.8 m newspaper kiosk, fifteen
  cameras of mixed age.

Run from the repository root::

    .venv/bin/python tools/make_samples.py            # (re)writes sample_sites/*.geojson
    .venv/bin/python tools/make_samples.py --check    # exit 1 if the files are stale

Heights follow docs/site-format.md §4 (what a camera sees of a standing person):
buildings and kiosks block sight, hedges and low walls (~1.2 m) are below a
face at 1.6 m, bike-shed roofs (2.5 m) cast bounded shadows, railings are
``see_through``. The files name no ``coverage_model``: they are analysed in the
default (standing) model, and ``--coverage-model ground`` gives the v1 figures.

Every site is checked with shapely (valid polygons, cameras inside the
boundary and in free space or on a facade, unique ids and zone names) before
anything is written.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path
from typing import Any

from sample_kit import SiteBuilder, check, facade_point, render, segment_point
from shapely import affinity
from shapely.geometry import LineString, Polygon, box
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

OUT_DIR = Path(__file__).resolve().parents[1] / "sample_sites"


def _serials(prefix: str, start: int) -> Any:
    return (f"{prefix}{n}" for n in range(start, start + 1000))


# --------------------------------------------------------------------------- #
# 幸福里小区 — old residential compound: slabs in rows, one gate, few cameras
# --------------------------------------------------------------------------- #


def old_residential() -> dict[str, Any]:
    """Eight 6-storey slabs in four rows, one main gate, two bike sheds, six cameras."""
    s = SiteBuilder(
        id="xingfu-li",
        name="幸福里小区",
        name_en="Xingfu Li (old residential compound)",
        district="老城区 Old Town",
        address="解放路 88 号 88 Jiefang Rd",
        built=1994,
        compound_type="old_residential",
        households=192,
        retention_days=15,
    )
    s.boundary(box(0, 0, 150, 110), name="幸福里小区红线 property line")

    # Four rows of 60 × 12 m slabs; a 12 m central lane, 14 m lanes between rows.
    slabs = {
        "1": box(8, 10, 68, 22),
        "2": box(80, 10, 140, 22),
        "3": box(8, 36, 68, 48),
        "4": box(80, 36, 140, 48),
        "5": box(8, 62, 68, 74),
        "6": box(82, 62, 142, 74),
        "7": box(8, 88, 68, 100),
        "8": box(80, 88, 125, 100),
    }
    for num, poly in slabs.items():
        s.building(poly, f"{num}号楼 Building {num}", 18.0, floors=6, units_per_floor=4)

    # Walled ground-floor gardens (一楼小院): enclosed free space nobody can see into.
    s.wall([(44, 36), (44, 32.5), (64, 32.5), (64, 36)], name="3号楼一楼小院 garden wall")
    s.wall([(40, 62), (40, 58.5), (62, 58.5), (62, 62)], name="5号楼一楼小院 garden wall")
    s.wall([(134, 110), (134, 104), (142, 104)], name="垃圾站围墙 refuse point wall")

    guard_room = s.obstacle(box(82, 1, 87, 5), "门卫室 guard room", 3.0)
    sheds = [
        s.obstacle(box(20, 23, 38, 27), "1号自行车棚 bike shed 1", 2.5),
        s.obstacle(box(96, 49, 114, 53), "2号自行车棚 bike shed 2", 2.5),
    ]
    s.obstacle(box(143, 50, 147, 56), "配电房 power room", 3.5)
    # Box hedges (1.2 m, below a face at 1.6 m: a camera above them sees a person behind).
    s.obstacle(box(8, 33.6, 40, 34.4), "3号楼南侧绿篱 hedge south of building 3", 1.2)
    s.obstacle(box(84, 33.6, 136, 34.4), "4号楼南侧绿篱 hedge south of building 4", 1.2)

    s.gate(
        [(69, 0), (79, 0)], "G1", "南大门 main gate", "card", intercom=False, opened="06:00-23:00",
        gate_type="mixed", lanes=1,
    )  # fmt: skip
    s.zone(box(68, 0, 80, 9), "大门入口 main gate entrance", "entrance")
    s.zone(box(20, 27, 38, 31.5), "1号车棚 bike shed 1", "bike_shed")
    s.zone(box(96, 53, 114, 57.5), "2号车棚 bike shed 2", "bike_shed")
    s.zone(box(68, 9, 80, 110), "中心通道 central lane", "road")
    s.zone(box(134.12, 104.12, 150, 110), "垃圾站 refuse point", "other", weight=0.5)
    s.zone(box(126, 88, 150, 102), "健身角 fitness corner", "square")

    s.intercom((38, 48), "IC-3-1", "3号楼 Building 3", unit="1单元")
    s.intercom((110, 48), "IC-4-2", "4号楼 Building 4", unit="2单元", status="faulty")
    # Unit doors (单元门) on the north facades; only some have an intercom.
    s.door((38, 48), "D-3-1", "3号楼 Building 3", "unit", name="3号楼1单元 unit 1")
    s.door((110, 48), "D-4-2", "4号楼 Building 4", "unit", name="4号楼2单元 unit 2")
    s.door((38, 22), "D-1-1", "1号楼 Building 1", "unit", name="1号楼1单元 unit 1")
    s.door((60, 74), "D-5-S", "5号楼 Building 5", "shop", name="5号楼小卖部 corner shop")
    s.alarm((86.9, 3), "AL1", "panic_button", name="门卫室一键报警 guard room panic button")
    s.alarm((105, 53), "AL2", "vibration", name="2号车棚振动报警 bike shed 2 vibration")

    # Six cameras put in over the years (2016, 2019, 2021); one is broken.
    bike2 = facade_point(slabs["6"], (105, 62))
    # fmt: off
    s.cameras([
        ("C01", (82, 3), 270, "大门 main gate", "bullet4mp_4", 4.0, 20, {"installed": "2016-05"}),
        ("C02", (68, 21), (74, 110), "中心通道 central lane", "bullet4mp_6", 5.0, 12,
         {"installed": "2019-09"}),
        ("C03", (8, 30), (40, 30), "1号车棚 bike shed 1", "bullet4mp_2.8", 3.0, 15,
         {"installed": "2019-09", "range_m": 30.0}),
        ("C04", bike2, (105, 52), "2号车棚 bike shed 2", "bullet2mp_2.8", 3.0, 25,
         {"installed": "2016-05", "status": "faulty", "fault": "画面黑屏 no picture since 2023-11"}),
        ("C05", (142, 74), (0, 81), "北侧通道 north lane", "bullet2mp_6", 4.5, 10,
         {"installed": "2016-05"}),
        ("C06", (8, 48), (150, 56), "二三排横巷 lane between rows 2 and 3", "bullet8mp_6", 4.5, 10,
         {"installed": "2021-04"}),
    ], serials=_serials("E7185", 2014))
    # fmt: on

    # Where new cameras may go: gable ends, the perimeter wall, guard room, shed eaves.
    for num, poly in slabs.items():
        x0, y0, x1, y1 = poly.bounds
        s.mount([(x0, y0), (x0, y1)], name=f"{num}号楼西山墙 Building {num} west gable")
        s.mount([(x1, y0), (x1, y1)], name=f"{num}号楼东山墙 Building {num} east gable")
    s.mount([(0, 0), (150, 0), (150, 110), (0, 110), (0, 0)], name="围墙 perimeter wall")
    s.mount(list(guard_room.exterior.coords), name="门卫室 guard room")
    for i, shed in enumerate(sheds, 1):
        x0, _, x1, y1 = shed.bounds
        s.mount([(x0, y1), (x1, y1)], name=f"{i}号车棚檐口 bike shed {i} eaves")
    return s.geojson()


# --------------------------------------------------------------------------- #
# 锦绣华庭 — modern gated community: towers, two gates, full perimeter
# --------------------------------------------------------------------------- #


def modern_gated() -> dict[str, Any]:
    """Eight 30-storey towers, north and south gates, a parking ramp, 40 cameras."""
    s = SiteBuilder(
        id="jinxiu-huating",
        name="锦绣华庭",
        name_en="Jinxiu Huating (modern gated community)",
        district="高新区 Hi-Tech Zone",
        address="科技大道 1288 号 1288 Keji Ave",
        built=2018,
        compound_type="modern_gated",
        households=960,
        retention_days=30,
        profile="national",
        # georeference (docs/reports.md): CGCS2000 / 3-degree GK CM 114E, Wuhan Optics Valley
        crs={"epsg": 4547, "offset": [539411.03, 3374704.31], "rotation_deg": 6.5},
    )
    # The property line has its north-east corner cut off by the road junction.
    boundary = s.boundary(
        Polygon([(0, 0), (220, 0), (220, 150), (190, 180), (0, 180)]),
        name="锦绣华庭红线 property line",
    )
    towers = {
        "1": box(18, 30, 43, 48),
        "2": box(68, 30, 93, 48),
        "3": box(127, 30, 152, 48),
        "4": box(177, 30, 202, 48),
        "5": box(18, 128, 43, 146),
        "6": box(68, 128, 93, 146),
        "7": box(127, 128, 152, 146),
        "8": box(170, 118, 195, 136),
    }
    for num, poly in towers.items():
        s.building(poly, f"{num}栋 Tower {num}", 90.0, floors=30)

    kiosks = [
        s.obstacle(box(121, 2, 125, 6), "门卫岗亭 guard kiosk (south)", 3.0),
        s.obstacle(box(121, 174, 125, 178), "门卫岗亭 guard kiosk (north)", 3.0),
    ]
    ramp = s.obstacle(box(160, 72, 167, 94), "地下车库坡道 parking ramp", 2.2)
    s.obstacle(box(106.5, 86.5, 113.5, 93.5), "中心凉亭 pavilion", 4.0)
    s.obstacle(box(48, 86, 52, 90), "滑梯塔 slide tower", 3.0)
    s.obstacle(box(195, 160, 199, 164), "垃圾分类亭 refuse kiosk", 2.5)
    s.wall(
        [(140, 100), (140, 112), (156, 112)],
        thickness_m=0.3,
        name="水景挡墙 water feature wall",
        height_m=1.2,
    )
    # A railing round the playground (open at its south-east corner): blocks walking, not sight.
    s.wall(
        [(64, 80), (64, 100), (36, 100), (36, 76), (60, 76)],
        thickness_m=0.1,
        name="游乐场铁艺围栏 playground railing",
        height_m=1.1,
        see_through=True,
    )
    s.obstacle(box(168, 82.6, 208, 83.4), "停车场绿篱 parking hedge", 1.2)
    # The north side is a solid 2.2 m wall (围墙) between the corner and the north gate.
    s.wall([(3, 180), (99, 180)], name="北侧围墙 north perimeter wall", height_m=2.2)

    s.gate([(100, 0), (120, 0)], "G-S", "南门 south gate", "face", intercom=True,
           vehicle_barrier=True, gate_type="mixed", lanes=2)  # fmt: skip
    s.gate([(102, 180), (118, 180)], "G-N", "北门 north gate", "card", intercom=True,
           gate_type="pedestrian", lanes=2)  # fmt: skip
    s.gate((0, 90), "G-W", "西侧消防门 west fire gate", "code", normally_locked=True,
           gate_type="vehicle")  # fmt: skip

    s.zone(box(100, 0, 120, 10), "南门入口 south gate entrance", "entrance", weight=3)
    s.zone(box(102, 170, 118, 180), "北门入口 north gate entrance", "entrance", weight=3)
    # The 3 m strip inside the fence, in two halves split at the gates (zones have no holes).
    strip = boundary.difference(boundary.buffer(-3.0, join_style="mitre"))
    halves = strip.difference(box(100, -1, 120, 4).union(box(102, 176, 118, 181)))
    west, east = sorted(halves.geoms, key=lambda g: g.centroid.x)
    s.zone(west, "西侧周界 perimeter west", "perimeter", weight=2)
    s.zone(east, "东侧周界 perimeter east", "perimeter", weight=2)
    s.zone(box(150, 62, 212, 104), "地面停车场 surface parking", "parking")
    s.zone(box(159, 94, 168, 101), "车库入口 garage entrance", "garage",
           required_level="recognition", weight=2)  # fmt: skip
    s.zone(box(36, 76, 64, 100), "儿童游乐场 playground", "playground", weight=2)
    s.zone(box(86, 72, 134, 106), "中心广场 central square", "square")
    s.zone(box(104, 10, 116, 72), "南主路 south drive", "road")
    for num, poly in towers.items():
        x0, _, _, y1 = poly.bounds
        # Entrances face north; the lobby apron is the 7 × 5 m area in front of the door.
        if num == "8":  # the open ground floor (架空层) of Tower 8 is its lift lobby
            s.zone(box(x0 + 9, y1, x0 + 16, y1 + 5), "8栋架空层电梯厅 Tower 8 open lift lobby",
                   "lift", required_level="detection")  # fmt: skip
        else:
            s.zone(box(x0 + 9, y1, x0 + 16, y1 + 5), f"{num}栋大堂入口 Tower {num} lobby", "lobby")
        s.intercom((x0 + 12.5, y1), f"IC-{num}", f"{num}栋 Tower {num}", model="DS-KD8003-IME1")
        s.door((x0 + 12.5, y1), f"D-{num}", f"{num}栋 Tower {num}", "unit", intercom=True,
               name=f"{num}栋大堂门 Tower {num} lobby door")  # fmt: skip
    s.door((93, 39), "D-2-B", "2栋 Tower 2", "bike_garage",
           name="2栋非机动车库门 Tower 2 bike garage door")  # fmt: skip
    s.door((189.5, 30), "D-4-S", "4栋 Tower 4", "shop", name="4栋便利店 Tower 4 convenience store")

    # Infrared beams along the fence, interrupted at the gates.
    # Four defence zones (防区); the south-east one, 250 m, is longer than the 200 m limit.
    s.alarm([(100, 0), (0, 0), (0, 88)], "IR-1", "infrared_beam", name="西南周界 south-west",
            zone="FQ-1")  # fmt: skip
    s.alarm([(0, 92), (0, 180), (102, 180)], "IR-2", "infrared_beam", name="西北周界 north-west",
            zone="FQ-2")  # fmt: skip
    s.alarm([(118, 180), (190, 180), (220, 150)], "IR-3", "infrared_beam",
            name="东北周界 north-east", zone="FQ-3")  # fmt: skip
    s.alarm([(220, 150), (220, 0), (120, 0)], "IR-4", "infrared_beam", name="东南周界 south-east",
            zone="FQ-4")  # fmt: skip
    s.alarm((124.9, 4), "PB-S", "panic_button", name="南门岗亭一键报警 south kiosk panic button")
    s.alarm((124.9, 176), "PB-N", "panic_button", name="北门岗亭一键报警 north kiosk panic button")
    s.alarm((163.5, 72), "DC-1", "door_contact", name="车库门磁 garage door contact")

    faulty = {"status": "faulty", "fault": "IR灯不亮 IR LEDs dead"}
    face = {"purpose": "face", "wdr": True}
    planned = {"status": "planned", "installed": None}
    # fmt: off
    rows: list[tuple] = [
        # Perimeter: long lenses along the fence from the corners and the west gate.
        ("P01", (0, 0), 22, "西南角-北 SW corner looking north", "bullet4mp_6", 5.0, 12),
        ("P02", (0, 180), 158, "西北角-南 NW corner looking south", "bullet4mp_6", 5.0, 12),
        ("P03", (0, 90), 112, "西侧消防门 west fire gate", "bullet4mp_4", 5.0, 14),
        ("P04", (0, 0), 68, "西南角-东 SW corner looking east", "bullet4mp_6", 5.0, 12),
        ("P05", (220, 0), 292, "东南角-西 SE corner looking west", "bullet4mp_6", 5.0, 12),
        ("P06", (220, 0), 338, "东南角-北 SE corner looking north", "bullet4mp_6", 5.0, 12),
        ("P07", (220, 150), 202, "东北切角-南 NE chamfer looking south", "bullet4mp_6", 5.0, 12),
        ("P08", (190, 180), 248, "东北切角-西 NE chamfer looking west", "bullet4mp_6", 5.0, 12),
        ("P09", (205, 165), 225, "东北切角 NE chamfer", "dome4mp_2.8", 4.0, 20),
        ("P10", (0, 180), 112, "西北角-东 NW corner looking east", "bullet4mp_6", 5.0, 12, faulty),
        # On a pole on the north wall (4.5 m, above the 2.2 m wall): it stands on the wall.
        ("P11", (50, 179.9), (50, 150), "北围墙立杆 north wall pole", "bullet4mp_4", 4.5, 15),
        # Gates: face capture looking at people coming in, kiosk overviews.
        ("G01", (116, 16), (110, 4), "南门人脸抓拍 south gate face capture", "face4mp_8", 2.8, 15,
         face),
        ("G02", (104, 16), (110, 4), "南门人脸抓拍2 south gate face capture 2", "face4mp_8", 2.8, 15,
         face),
        ("G03", (125, 6), (100, 0.5), "南门岗亭 south gate overview", "dome4mp_2.8", 3.5, 20),
        ("G04", (110, 164), (110, 176), "北门人脸抓拍 north gate face capture", "face4mp_8", 2.8, 15,
         face),
        ("G05", (121, 174), (102, 179), "北门岗亭 north gate overview (PTZ)", "dome4mp_2.8", 3.5,
         20, {"ptz": True}),
        ("G06", (98, 164), (110, 176), "北门人脸抓拍2 north gate face capture 2", "face4mp_8",
         2.8, 15, {**planned, **face}),
    ]
    # fmt: on
    for num, poly in towers.items():
        # A dome over each lobby door (north facade) and a wide camera on a south corner.
        x0, y0, x1, y1 = poly.bounds
        west = num in ("1", "3", "5", "7")
        corner, away = ((x1, y0), (x1 + 10, y0 - 10)) if west else ((x0, y0), (x0 - 10, y0 - 10))
        state = {"6": {"status": "offline"}, "8": planned}.get(num, {})
        rows.append((f"T{num}A", (x0 + 3, y1), (x0 + 12.5, y1 + 4),
                     f"{num}栋大堂 Tower {num} lobby", "dome4mp_2.8", 3.0, 22))  # fmt: skip
        rows.append((f"T{num}B", corner, away, f"{num}栋南侧 Tower {num} south side",
                     "bullet8mp_4", 4.0, 15, state))  # fmt: skip
    # fmt: off
    rows += [
        # Open areas: two 360° fisheyes on poles, the ramp, parking and the drives.
        ("S01", (100, 80), 0, "中心广场全景 square panoramic", "fisheye12mp", 6.0, 90,
         {"purpose": "overview"}),
        ("S02", (44, 82), 0, "游乐场全景 playground panoramic", "fisheye12mp", 5.0, 90),
        ("S03", (163.5, 94), (163.5, 120), "车库坡道口 ramp entrance", "bullet4mp_4", 3.0, 18),
        ("S04", (210, 62), (160, 100), "停车场 parking overview", "bullet8mp_4", 5.5, 15),
        ("S05", (110, 72), (110, 10), "南主路 south drive", "bullet4mp_6", 5.0, 10),
        ("S06", (110, 106), (110, 170), "北主路 north drive", "bullet4mp_6", 5.0, 10),
        ("S07", (150, 112.15), (170, 100), "水景 water feature", "dome4mp_2.8", 3.5, 18, planned),
    ]
    # fmt: on
    s.cameras(rows, serials=_serials("J", 21070301), installed="2018-06")

    # Mounting spots the planners may use: facades, the fence, kiosks, ramp, lamp posts.
    for num, poly in towers.items():
        s.mount(list(poly.exterior.coords), name=f"{num}栋外墙 Tower {num} facade")
    s.mount(list(boundary.exterior.coords), name="围栏 perimeter fence")
    for kiosk in kiosks:
        s.mount(list(kiosk.exterior.coords), name="门卫岗亭 guard kiosk")
    s.mount(list(ramp.exterior.coords), name="车库坡道 ramp walls")
    posts = [(60, 70), (140, 70), (60, 108), (140, 108), (30, 110), (190, 110), (60, 20),
             (160, 20), (60, 160), (160, 160)]  # fmt: skip
    for i, post in enumerate(posts, 1):
        s.mount(post, name=f"路灯杆 lamp post {i}")
    return s.geojson()


# --------------------------------------------------------------------------- #
# 南岗村 — urban village: dense self-built houses, alleys, an irregular line
# --------------------------------------------------------------------------- #

_VILLAGE_BOUNDARY = [
    (0, 8), (30, 0), (70, 3), (118, 0), (126, 24), (121, 46), (121, 54), (128, 80),
    (110, 104), (72, 98), (46, 108), (14, 102), (6, 76), (10, 54), (10, 46), (0, 30),
]  # fmt: skip
_STREET = (46.0, 54.0)  # 主街 main street: the band y ∈ [46, 54] across the village
_ALLEYS = (2.0, 2.5, 3.0, 3.5, 4.0)  # alley widths (m)


def _bands(rng: random.Random, start: float, stop: float, size: tuple[float, float]) -> list:
    """Plot bands (a, b) of random size separated by random alleys, exactly filling start..stop."""
    mean_alley = sum(_ALLEYS) / len(_ALLEYS)
    n = max(1, round((stop - start + mean_alley) / (sum(size) / 2 + mean_alley)))
    alleys = [rng.choice(_ALLEYS) for _ in range(n - 1)] + [0.0]
    widths = [rng.uniform(*size) for _ in range(n)]
    scale = (stop - start - sum(alleys)) / sum(widths)
    out, at = [], start
    for width, alley in zip(widths, alleys, strict=True):
        out.append((at, at + width * scale))
        at += width * scale + alley
    return out


def _village_grid(rng: random.Random) -> tuple[list, list]:
    """Plot columns (x bands) and rows (y bands); the main street stays free."""
    xs = _bands(rng, 1.0, 127.0, (11.0, 15.0))
    south = _bands(rng, 1.0, _STREET[0] - rng.choice(_ALLEYS), (10.0, 13.0))
    north = _bands(rng, _STREET[1] + rng.choice(_ALLEYS), 107.0, (10.0, 13.0))
    return xs, south + north


def _house(cell: tuple[float, float, float, float], rng: random.Random) -> Polygon:
    """A self-built house inside its plot: plain, skewed, slightly rotated or L-shaped."""
    x0, y0, x1, y1 = (
        c + rng.uniform(0.0, 0.4) * d for c, d in zip(cell, (1, 1, -1, -1), strict=True)
    )
    roll = rng.random()
    if roll < 0.25:  # irregular quadrilateral: corners pulled in (plots are rarely square)
        j = [rng.uniform(0.0, 0.9) for _ in range(4)]
        return Polygon([(x0 + j[0], y0), (x1, y0 + j[1]), (x1 - j[2], y1), (x0, y1 - j[3])])
    if roll < 0.45:  # rotated a few degrees, scaled back into its plot
        poly = affinity.rotate(box(x0, y0, x1, y1), rng.choice((-1, 1)) * rng.uniform(2, 6))
        bx0, by0, bx1, by1 = poly.bounds
        f = min((x1 - x0) / (bx1 - bx0), (y1 - y0) / (by1 - by0))
        return affinity.scale(poly, f, f)
    if roll < 0.6:  # L-shape: a small yard cut from one corner
        cx, cy = rng.uniform(0.35, 0.5) * (x1 - x0), rng.uniform(0.35, 0.5) * (y1 - y0)
        corner = rng.choice([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])
        cut = box(corner[0] - cx, corner[1] - cy, corner[0] + cx, corner[1] + cy)
        return box(x0, y0, x1, y1).difference(cut)
    return box(x0, y0, x1, y1)


def urban_village() -> dict[str, Any]:
    """Dense self-built houses in a grid of 2–4 m alleys, a main street, fifteen cameras."""
    s = SiteBuilder(
        id="nangang-cun",
        name="南岗村",
        name_en="Nangang Village (urban village)",
        district="城东街道 Chengdong Subdistrict",
        address="南岗村 Nangang Village",
        compound_type="urban_village",
        households=680,
        retention_days=30,
    )
    boundary = s.boundary(Polygon(_VILLAGE_BOUNDARY), name="南岗村管理范围 village boundary")
    rng = random.Random(20240611)
    xs, ys = _village_grid(rng)

    inner = boundary.buffer(-1.0, join_style="mitre")
    square = box(56, 2, 84, 22)  # 村口广场 inside the south arch
    hall = box(20, 62, 42, 80)  # 陈氏宗祠: ancestral hall round a courtyard
    market = box(92, 60, 116, 72)  # 农贸市场: open market with a row of stalls
    reserved = unary_union([square, hall.buffer(2.0), market])
    houses: list[Polygon] = []
    for x0, x1 in xs:
        for y0, y1 in ys:
            if box(x0, y0, x1, y1).intersects(reserved):
                continue
            house = _house((x0, y0, x1, y1), rng).intersection(inner)
            if house.geom_type == "Polygon" and house.area >= 40.0:
                houses.append(orient(house))
    for i, house in enumerate(houses, 1):
        floors = rng.choice([4, 5, 6, 6, 7, 8])
        s.building(house, f"{i}号民房 house {i}", floors * 3.0, floors=floors)

    courtyard = box(26, 67, 36, 75)
    s.building(hall.difference(courtyard), "陈氏宗祠 Chen ancestral hall", 7.0,
               note="enclosed courtyard (天井) in the middle")  # fmt: skip
    s.building(box(95, 63, 113, 65.5), "农贸市场摊位 market stalls", 3.0)
    s.obstacle(box(76, 8, 80, 12), "古榕树 old banyan (trunk and roots)", 3.0)
    s.obstacle(box(60, 15, 63, 18), "报刊亭 newspaper kiosk", 2.8)
    s.wall([(42.5, 66), (46, 66), (46, 73)], name="祠堂院墙 hall yard wall")
    s.wall(
        [(116, 72), (116, 78), (104, 78)],
        thickness_m=0.12,
        name="菜地篱笆 garden fence",
        height_m=1.2,
        see_through=True,
    )

    arch = [segment_point(_VILLAGE_BOUNDARY[1], _VILLAGE_BOUNDARY[2], t) for t in (0.8, 0.95)]
    s.gate(arch, "V-S", "南村口牌坊 south village arch", "none", gate_type="mixed")
    s.gate([(10, 47), (10, 53)], "V-W", "西村口 west street entrance", "none", gate_type="mixed")
    s.gate([(121, 47), (121, 53)], "V-E", "东门 east gate", "face", intercom=True,
           installed="2022-05", gate_type="pedestrian")  # fmt: skip

    south_mouth = box(arch[0][0], 1.5, arch[1][0], 8).intersection(boundary)
    s.zone(south_mouth, "南村口 south entrance", "entrance")
    s.zone(box(114, 46, 121, 54), "东门 east entrance", "entrance")
    s.zone(box(56, 8, 84, 22), "村口广场 village square", "square", weight=2)
    s.zone(box(10, 46, 114, 54), "主街 main street", "road", weight=2)
    s.zone(market, "农贸市场 market", "other")
    s.zone(box(45, 56, 53, 62), "电动车充电点 e-bike charging point", "ebike_charging")
    s.zone(courtyard, "祠堂天井 hall courtyard", "other", weight=0.5)

    # Doors on the main street: two rental blocks' stairs (one with an intercom) and a shop.
    street = [h for h in houses if h.bounds[3] <= _STREET[0] + 0.5 and h.bounds[1] > 30]
    for n, house in enumerate(sorted(street, key=lambda h: h.bounds[0])[2:5], 1):
        x0, _, x1, y1 = house.bounds
        at = facade_point(house, ((x0 + x1) / 2, _STREET[0]))
        kind = "shop" if n == 3 else "unit"
        s.door(at, f"VD-{n}", f"{houses.index(house) + 1}号民房 house {houses.index(house) + 1}",
               kind, intercom=n == 1)  # fmt: skip
    s.alarm((31, 67), "AL-H", "door_contact", name="祠堂门磁 hall door contact")
    s.alarm((45, 56), "AL-E", "panic_button", name="充电点一键报警 charging point panic button")

    # Alley centre lines: north-south between plot columns, east-west between plot rows.
    alleys_x = [(a[1] + b[0]) / 2 for a, b in zip(xs, xs[1:], strict=False)]
    alleys_y = [(a[1] + b[0]) / 2 for a, b in zip(ys, ys[1:], strict=False) if b[0] - a[1] < 5]

    def alley_x(near: float) -> float:
        return min(alleys_x, key=lambda x: abs(x - near))

    def alley_y(near: float) -> float:
        return min(alleys_y, key=lambda y: abs(y - near))

    def alley_end(y: float, *, east: bool) -> tuple[float, float]:
        """Where the east-west alley at height y meets the boundary, 0.5 m inside."""
        x0, _, x1, _ = LineString([(-10, y), (140, y)]).intersection(boundary).bounds
        return (x1 - 0.5 if east else x0 + 0.5, y)

    ys_, yn_ = alley_y(25), alley_y(80)
    offline = {"status": "offline", "installed": "2019-01"}
    # fmt: off
    s.cameras([
        ("V01", (70, 20), (70, 2), "南村口 south arch", "bullet4mp_6", 4.0, 22, {"installed": "2020-08"}),
        ("V02", (57, 3), (84, 22), "村口广场 square", "dome2mp_2.8", 4.0, 15, {"installed": "2020-08"}),
        ("V03", (10, 50), 90, "主街西 main street west", "vari4mp_12", 5.0, 10),
        ("V04", (121, 50), 270, "主街东 main street east", "vari4mp_12", 5.0, 10,
         {"status": "faulty", "fault": "镜头进水 water in lens"}),
        ("V05", (121, 53.9), (110, 47), "东门 east gate", "bullet4mp_6", 3.0, 20, {"installed": "2022-05"}),
        ("V06", (49, 54), (49, 62), "充电点 charging point", "dome2mp_106", 3.0, 25, {"installed": "2022-05"}),
        ("V07", (104, 77.5), (104, 60), "市场 market", "dome2mp_2.8", 3.5, 20),
        ("V08", (alley_x(40), 54), 0, "北巷 lane north", "bullet2mp_3.6", 3.0, 12, offline),
        ("V09", (alley_x(30), 46), 180, "西南巷 lane south-west", "bullet2mp_3.6", 3.0, 12,
         {"installed": "2019-01", "range_m": 30.0}),
        ("V10", (31, 74.9), 180, "祠堂天井 hall courtyard", "dome2mp_2.8", 3.0, 35,
         {"installed": "2019-01"}),
        ("V11", (alley_x(85), 54), 0, "东北巷 lane north-east", "bullet2mp_3.6", 3.0, 12),
        ("V12", (alley_x(95), 46), 180, "东南巷 lane south-east", "bullet2mp_3.6", 3.0, 12),
        ("V13", alley_end(ys_, east=False), 90, "南横巷 south cross lane", "bullet4mp_6", 3.5, 10,
         {"installed": "2022-05"}),
        ("V14", alley_end(yn_, east=True), 270, "北横巷 north cross lane", "bullet4mp_6", 3.5, 10,
         {"installed": "2022-05"}),
        ("V15", (alley_x(60), 54), 0, "中北巷 lane north (planned)", "bullet2mp_3.6", 3.0, 12,
         {"status": "planned", "installed": None}),
    ], serials=_serials("NG", 110301), installed="2021-03")
    # fmt: on
    return s.geojson()


# --------------------------------------------------------------------------- #

SAMPLES = {
    "old_residential.geojson": old_residential,
    "modern_gated.geojson": modern_gated,
    "urban_village.geojson": urban_village,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the sample compounds (deterministic).")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    parser.add_argument("--check", action="store_true", help="only check the files are current")
    args = parser.parse_args(argv)
    texts = {}
    for filename, make in SAMPLES.items():
        fc = make()
        problems = check(fc)
        if problems:
            print(f"{filename}: " + "; ".join(problems), file=sys.stderr)
            return 1
        texts[filename] = render(fc)
    if args.check:
        stale = [
            name
            for name, text in texts.items()
            if not (args.out / name).is_file() or (args.out / name).read_text("utf-8") != text
        ]
        for name in stale:
            print(f"{name} is stale: run tools/make_samples.py", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for filename, text in texts.items():
        (args.out / filename).write_text(text, encoding="utf-8")
        print(f"wrote {args.out / filename}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
