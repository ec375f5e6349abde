"""锦绣华庭 — a modern gated community: towers, two gates, a full perimeter.

``sample_sites/modern_gated.geojson``, written by ``tools/make_samples.py``.
"""

from __future__ import annotations

from typing import Any

from sample_kit import SiteBuilder, serials
from shapely.geometry import Polygon, box


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
    s.cameras(rows, serials=serials("J", 21070301), installed="2018-06")

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
