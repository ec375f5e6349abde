"""幸福里小区 — an old residential compound (老旧小区): slabs in rows, one gate, few cameras.

``sample_sites/old_residential.geojson``, written by ``tools/make_samples.py``.
"""

from __future__ import annotations

from typing import Any

from sample_kit import SiteBuilder, facade_point, serials
from shapely.geometry import box


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
    ], serials=serials("E7185", 2014))
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
