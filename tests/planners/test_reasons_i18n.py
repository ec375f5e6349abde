"""Planners' reasons come from the message catalogue, in English and Chinese (docs/planners.md)."""

from __future__ import annotations

from shapely.geometry import LineString, Point, box

from camwatch.geometry.coverage import analyze
from camwatch.geometry.space import free_space
from camwatch.i18n import Message, use_language
from camwatch.model import Alarm, Gate, Mount
from planners.devices import suggest_devices
from planners.mounts import geometry_error, mount_points
from planners.routes import intruder_routes
from tests.planners.sites import make_site

BOUNDARY = box(0, 0, 60, 40)
HOUSE = box(25, 15, 35, 25)


def _items():
    gate = Gate(id="G1", geometry=LineString([(28, 0), (32, 0)]), name="south gate")
    site = make_site(BOUNDARY, buildings=[HOUSE], gates=[gate])
    return {i["type"]: i for i in suggest_devices(site, analyze(site))}


def test_device_reasons_in_both_languages():
    items = _items()
    access = items["access_control"]
    assert access["reason"] == (
        "gate 'south gate' has no access control: add face-recognition (or card) access control"
    )
    assert access["reason_zh"] == "出入口「south gate」未设门禁，建议加装人脸识别（或刷卡）门禁"
    ident = items["identification_camera"]
    assert ident["reason"].startswith(
        "the entrance area of gate 'south gate' (within 3 m) has 0% identification-level coverage"
    )
    assert ident["reason_zh"].startswith(
        "出入口「south gate」（3米范围内）辨认级（人脸）覆盖率0%，不足98%"
    )
    fence = items["electric_fence"]
    assert fence["reason"].endswith(
        "has neither an alarm line nor detection-level camera coverage: add an electric fence"
    )
    assert fence["reason_zh"].endswith("既无报警线也无探测级视频覆盖，建议加装电子围栏")
    for item in items.values():
        stored = Message.from_json(item["reason_msg"])  # a reader words it later
        assert stored.render("en") == item["reason"]
        assert stored.render("zh") == item["reason_zh"]


def test_reasons_json_does_not_depend_on_the_current_language():
    english = _items()
    with use_language("zh"):
        chinese_reader = _items()
    assert {k: v["reason"] for k, v in english.items()} == {
        k: v["reason"] for k, v in chinese_reader.items()
    }


def test_route_reason_in_both_languages():
    gate = Gate(id="G1", geometry=Point(30, 0), access_control="card")
    ring = LineString([(0, 0), (60, 0), (60, 40), (0, 40), (0, 0)])
    alarm = Alarm(id="A1", geometry=ring, alarm_type="infrared_beam")
    site = make_site(BOUNDARY, buildings=[HOUSE], gates=[gate])
    site = site.__class__(**{**site.__dict__, "alarms": (alarm,)})
    (route,) = intruder_routes(site, analyze(site))
    assert route["reason"] == (
        "no way in: alarm lines cover the open perimeter and every gate has access control"
    )
    assert route["reason_zh"] == "无法进入：开放周界均有报警线，各出入口均设门禁"
    assert Message.from_json(route["reason_msg"]).render("zh") == route["reason_zh"]


def test_mount_remarks_in_both_languages():
    """A mount outside free space and a spot GEOS failed on: English in the JSON, worded."""
    site = make_site(BOUNDARY, mounts=[Mount(geometry=Point(10, 0)),
                                      Mount(geometry=Point(70, 50), name="far away")])  # fmt: skip
    mounts, skipped = mount_points(site, free_space(site), spacing=2.0)
    (far,) = skipped
    assert far == "mount #1 'far away' at (70, 50) is not in free space"
    assert far.text("zh") == "安装点 #1 'far away' 位于 (70, 50)，不在可通行空间内"
    (spot,) = mounts
    error = geometry_error(spot)
    assert error == "spot (10, 0) on mount #0: geometry error, skipped"
    assert error.text("zh") == "安装点 #0 上的位置 (10, 0)：几何计算出错，已跳过"
