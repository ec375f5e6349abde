"""Every rule passes on the baseline compound and fails on a planted violation.

The expected findings are written by hand in tests/standards/sites.py; the
checks below compare the exact set of (rule, features) the national profile
reports.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest

from camwatch.sitefile import parse_site
from camwatch.standards import RULES, DeviceHealth, check, load_profile, parse_profile
from tests.standards.sites import PLANTS, baseline, feature, planted


def found(site_dict, profile="national", **kw):
    report = check(parse_site(site_dict), profile, **kw)
    return report, {(f.rule, f.features) for f in report.findings}


def test_the_baseline_meets_the_national_and_shanghai_profiles():
    for profile in ("national", "shanghai"):
        report, got = found(baseline(), profile)
        assert got == set(), profile
        assert report.meets_standard


@pytest.mark.parametrize("plant", PLANTS, ids=lambda f: f.__name__)
def test_a_planted_violation_gives_exactly_its_findings(plant):
    site, expected = planted(plant)
    report, got = found(site)
    assert got == expected
    severities = {f.severity for f in report.findings}
    assert report.meets_standard == ("error" not in severities)


def test_the_planted_set_covers_every_rule_but_the_ledger_and_video_ones():
    covered = {rule for plant in PLANTS for rule, _ in planted(plant)[1]}
    assert set(RULES) - covered == {"DEVICE-HEALTH", "PERIM-VIDEO", "PERIM-BAND"}


def _only(rule_id, **params):
    return parse_profile({"name": "one", "rules": {rule_id: params}}, source="test profile")


def test_perim_video_fails_when_the_cameras_on_a_zone_are_offline():
    site = baseline()
    for cid in ("F2", "F4"):  # the east half: zone Z2 runs (30,40)-(60,40)-(60,0)-(35,0)
        feature(site, cid)["properties"]["status"] = "offline"
    report, got = found(site, _only("PERIM-VIDEO"))
    assert got == {("PERIM-VIDEO", ("Z2",))}
    assert report.findings[0].severity == "error"  # a beam: no physical barrier
    # the same zone as an electric fence is a warning (the profile's severity)
    for ident in ("IR-2",):
        feature(site, ident)["properties"]["alarm_type"] = "electric_fence"
    report, _ = found(site, _only("PERIM-VIDEO"))
    assert [f.severity for f in report.findings] == ["warning"]
    _, passing = found(baseline(), _only("PERIM-VIDEO"))
    assert passing == set()


def test_perim_video_ratio_parameter():
    site = baseline()
    feature(site, "F4")["properties"]["status"] = "offline"
    # F2 at (45, 10) still watches part of zone Z2, F3 at (15, 30) part of its north edge
    _, strict = found(site, _only("PERIM-VIDEO", min_ratio=1.0))
    _, lax = found(site, _only("PERIM-VIDEO", min_ratio=0.0))
    assert strict == {("PERIM-VIDEO", ("Z2",))} and lax == set()


def test_perim_band_reports_the_blind_spot_by_its_zone():
    site = baseline()
    feature(site, "F1")["properties"]["status"] = "faulty"
    report, got = found(site, _only("PERIM-BAND"))
    assert got and all(rule == "PERIM-BAND" for rule, _ in got)
    # F1's quarter [0, 30] × [0, 20] loses the band parts F2/F3 cannot reach
    geoms = [f.geometry for f in report.findings]
    assert all(g["type"] in ("Polygon", "MultiPolygon") for g in geoms)
    _, passing = found(baseline(), _only("PERIM-BAND"))
    assert passing == set()


def test_device_health_uses_the_repair_deadline():
    site = baseline()
    today = date(2026, 6, 30)
    devices = [
        DeviceHealth("F1", "camera", "faulty", since=date(2026, 6, 1), deadline=None),
        DeviceHealth("F2", "camera", "offline", since=date(2026, 6, 28), deadline=None),
        DeviceHealth("F3", "camera", "faulty", since=date(2026, 1, 1), deadline=date(2026, 7, 1)),
        DeviceHealth("G1", "gate", "faulty", since=date(2026, 1, 1), deadline=None),
        DeviceHealth("F4", "camera", "active", since=date(2020, 1, 1), deadline=None),
    ]
    _, got = found(site, _only("DEVICE-HEALTH"), devices=devices, today=today)
    assert got == {("DEVICE-HEALTH", ("F1",))}  # 29 days > 7; F2 2 days; F3 due tomorrow
    report = check(parse_site(site), _only("DEVICE-HEALTH"))  # no ledger: not checked
    assert report.findings == () and report.not_checked == ("DEVICE-HEALTH",)


def test_zone_len_limit_is_inclusive_and_a_parameter():
    site = baseline()  # two zones of 95 m
    _, got = found(site, _only("PERIM-ZONE-LEN", max_length_m=95.0))
    assert got == set()
    _, got = found(site, _only("PERIM-ZONE-LEN", max_length_m=94.0))
    assert got == {("PERIM-ZONE-LEN", ("Z1",)), ("PERIM-ZONE-LEN", ("Z2",))}


def test_a_door_intercom_device_next_to_the_door_counts():
    site = baseline()
    feature(site, "D1")["properties"]["intercom"] = False
    site["features"].append(
        {"type": "Feature", "properties": {"kind": "intercom", "id": "IC1", "building": "B1"},
         "geometry": {"type": "Point", "coordinates": [31.5, 15]}}
    )  # fmt: skip
    _, got = found(site, _only("DOOR-INTERCOM"))
    assert got == set()
    feature(site, "IC1")["geometry"]["coordinates"] = [33, 15]  # 3 m away: too far
    _, got = found(site, _only("DOOR-INTERCOM"))
    assert got == {("DOOR-INTERCOM", ("D1",))}


def test_gate_face_depression_limit():
    site = baseline()
    # the gate camera raised to 9 m: from the lane axis (≤ 1.4 m in, ≥ 7.6 m away) the
    # face's depression is atan(7.4 / 8.9) ≥ 39.7° > 30°
    feature(site, "GC")["properties"]["height_m"] = 9.0
    feature(site, "GC")["properties"]["tilt_deg"] = 45.0
    # The rule's own limit, pinned to the ground model: in the standing model the site's
    # identification footprint already stops at 30° (docs/site-format.md §4), so the
    # footprint, not the rule, would decide.
    site["site"]["coverage_model"] = "ground"
    _, got = found(site, _only("GATE-FACE"))
    assert got == {("GATE-FACE", ("G1",))}
    _, got = found(site, _only("GATE-FACE", max_depression_deg=60.0))
    assert got == set()


def test_gate_lane_cam_needs_one_camera_per_lane():
    site = baseline()
    feature(site, "G1")["properties"].update(gate_type="vehicle", lanes=2)
    _, got = found(site, _only("GATE-LANE-CAM"))
    assert got == {("GATE-LANE-CAM", ("G1",))}
    # a second outward camera over lane 2 (centre (32.5, 0)) fixes it
    site["features"].append(
        {"type": "Feature",
         "properties": {"kind": "camera", "id": "GC2", "height_m": 3.0, "heading_deg": 180,
                        "tilt_deg": 10, "hfov_deg": 40, "resolution": [2560, 1440]},
         "geometry": {"type": "Point", "coordinates": [33, 9]}}
    )  # fmt: skip
    _, got = found(site, _only("GATE-LANE-CAM"))
    assert got == set()


def test_gate_lane_cam_heading_must_face_outward():
    site = baseline()
    feature(site, "G1")["properties"]["gate_type"] = "vehicle"
    feature(site, "GC")["properties"]["heading_deg"] = 240  # 60° off the outward normal
    _, got = found(site, _only("GATE-LANE-CAM"))
    assert got == {("GATE-LANE-CAM", ("G1",))}


def test_findings_carry_geojson_and_a_fix():
    site, _ = planted(lambda s: {feature(s, "G1")["properties"].update(access_control="none")})
    report, _ = found(site)
    (finding,) = report.findings
    data = finding.to_dict()
    assert set(data) == {
        "rule", "clause", "severity", "message", "features", "geometry", "fix", "fix_zh"
    }  # fmt: skip
    assert data["geometry"] == {"type": "LineString", "coordinates": [[25.0, 0.0], [35.0, 0.0]]}
    assert set(data["message"]) == {"zh", "en"} and "G1" in data["message"]["zh"]
    assert (
        data["clause"]
        and data["fix"]
        and data["fix_zh"] == "在出入口 G1 安装门禁（刷卡、人脸、密码或二维码）"
    )


def test_suggested_gate_camera_position_is_inside_facing_out():
    site = baseline()
    feature(site, "G1")["properties"]["gate_type"] = "vehicle"
    feature(site, "GC")["properties"]["status"] = "offline"
    report = check(parse_site(site), _only("GATE-LANE-CAM"))
    (finding,) = report.findings
    assert "(30.0, 6.0)" in finding.fix and "facing 180°" in finding.fix
    assert "(30.0, 6.0)" in finding.fix_zh and "朝向 180°（朝外）" in finding.fix_zh


def test_profile_severity_overrides_the_default():
    site, _ = planted(lambda s: {feature(s, "G1")["properties"].update(access_control="none")})
    report, _ = found(site, _only("GATE-ACCESS", severity="info"))
    assert [f.severity for f in report.findings] == ["info"] and report.meets_standard


def test_site_names_its_profile():
    site = copy.deepcopy(baseline())
    site["site"]["profile"] = "shanghai"
    report = check(parse_site(site))
    assert report.profile == "shanghai"
    assert load_profile("shanghai").rules["GATE-FIXED"].severity == "error"
    assert load_profile("national").rules["GATE-FIXED"].severity == "warning"


@pytest.mark.parametrize(
    "props, failing",
    [
        ({"height_m": 3.0}, True),  # outdoor below 3.5 m
        ({"height_m": 3.0, "indoor": True}, False),  # indoor 2.5–5 m
        ({"height_m": 6.0, "indoor": True}, True),
        ({"height_m": 2.0, "purpose": "plate"}, False),  # face and plate cameras exempt
        ({"height_m": 2.0, "purpose": "face"}, False),
        ({"height_m": 2.0, "purpose": "overview"}, True),
        ({"height_m": 10.0}, False),  # limits inclusive
    ],
)
def test_mount_height_ranges_and_exemptions(props, failing):
    site = baseline()
    feature(site, "DC")["properties"].update(props)
    _, got = found(site, _only("MOUNT-HEIGHT"))
    assert got == ({("MOUNT-HEIGHT", ("DC",))} if failing else set())


def test_plate_needs_the_camera_near_the_lane_axis_face_allows_more():
    site = baseline()
    # from (36, 9) the lane axis x = 30, y ∈ [0, 2] is seen 33.7°–40.6° off the axis:
    # more than GATE-PLATE's 30°, less than GATE-FACE's 45°
    gc = feature(site, "GC")
    gc["geometry"]["coordinates"] = [36, 9]
    gc["properties"]["heading_deg"] = 216.9
    _, got = found(site)
    assert got == {("GATE-PLATE", ("G1",))}
    _, got = found(site, _only("GATE-PLATE", max_axis_deg=42.0))
    assert got == set()


def test_a_point_gate_is_an_opening_of_its_width():
    site = baseline()
    gate = feature(site, "G1")
    gate["geometry"] = {"type": "Point", "coordinates": [30, 0]}  # 6 m wide by default
    feature(site, "IR-1")["geometry"]["coordinates"][0] = [27, 0]
    feature(site, "IR-2")["geometry"]["coordinates"][-1] = [33, 0]
    _, got = found(site, _only("PERIM-CONTINUOUS"))
    assert got == set()
    # 2 m wide: gaps from 27.5 (line end + 0.5 m tolerance) to 29 and from 31 to 32.5
    _, got = found(site, _only("PERIM-CONTINUOUS", point_gate_width_m=2.0))
    assert got == {("PERIM-CONTINUOUS", ("Z1",)), ("PERIM-CONTINUOUS", ("Z2",))}
