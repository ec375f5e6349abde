"""南岗村 — an urban village (城中村): dense self-built houses, alleys, an irregular line.

``sample_sites/urban_village.geojson``, written by ``tools/make_samples.py``; the
houses come from a seeded random generator, so the file is the same on every run.
"""

from __future__ import annotations

import random
from typing import Any

from sample_kit import SiteBuilder, facade_point, segment_point, serials
from shapely import affinity
from shapely.geometry import LineString, Polygon, box
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

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
    ], serials=serials("NG", 110301), installed="2021-03")
    # fmt: on
    return s.geojson()
