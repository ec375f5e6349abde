"""Devices: validation like the site loader, optimistic locking, retire, CSV import."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from camwatch.errors import CamwatchError, SiteFormatError, StaleEditError, UsageError
from camwatch.registry.compounds import export_site
from camwatch.registry.csv_rows import csv_template
from camwatch.registry.db import session_scope
from camwatch.registry.devices import (
    add_device,
    get_device,
    list_devices,
    update_device,
)
from camwatch.registry.devices_csv import import_devices_csv
from camwatch.registry.models import Device
from camwatch.registry.retirement import retire_device
from camwatch.sitefile import parse_site

from .helpers import load_tiny
from .sites import feature, point, tiny_site, with_features


@pytest.fixture
def tiny(engine):
    return load_tiny(engine)


def _loader_message(**camera_props) -> str:
    """What the site loader says about this camera in the tiny site."""
    props = {"id": "C9", **camera_props}  # a copy
    at = props.pop("at", (10, 15))
    with pytest.raises(SiteFormatError) as info:
        parse_site(with_features(tiny_site(), feature("camera", point(*at), **props)))
    return info.value.detail


@pytest.mark.parametrize(
    "props",
    [
        {"hfov_deg": 0},
        {"tilt_deg": 95},
        {"focal_mm": 4},
        {"status": "broken"},
        {"resolution": [1920]},
        {"at": (20, 15)},  # inside Block A
        {"at": (50, 15)},  # outside the boundary
    ],
)
def test_add_rejects_like_the_loader(engine, tiny, props):
    props = dict(props)
    expected = _loader_message(**props)
    at = props.pop("at", (10, 15))
    status = props.pop("status", "active")
    with pytest.raises((SiteFormatError, UsageError)) as info, session_scope(engine) as s:
        add_device(
            s,
            tiny,
            kind="camera",
            code="C9",
            geometry=point(*at),
            properties=props,
            status=status,
        )
    if status == "active":
        assert str(info.value) == f"camera 'C9': {expected}"
    else:
        assert "status must be one of" in str(info.value)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Device.id)).where(Device.code == "C9")) == 0


def test_add_stores_the_loaders_normal_form(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        device = add_device(
            s,
            tiny,
            kind="camera",
            code="C9",
            geometry=point(10, 15),
            properties={"heading_deg": -90, "focal_mm": 2.8, "sensor_width_mm": 5.37},
            model="DS-2CD",
            install_date="2024-05-01",
        )
        assert device.properties["heading_deg"] == 270.0
        assert device.properties["height_m"] == 3.0
        assert device.install_date.isoformat() == "2024-05-01"
    with session_scope(engine) as s:
        cam = export_site(s, tiny).camera("C9")
        assert (cam.heading_deg, cam.focal_mm, cam.model) == (270.0, 2.8, "DS-2CD")


def test_add_gate_alarm_intercom(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        add_device(
            s,
            tiny,
            kind="gate",
            code="G9",
            geometry={"type": "LineString", "coordinates": [[40, 20], [40, 24]]},
            properties={"access_control": "face"},
        )
        add_device(
            s,
            tiny,
            kind="alarm",
            code="A9",
            geometry=point(5, 5),
            properties={"alarm_type": "panic_button"},
        )
        add_device(
            s,
            tiny,
            kind="intercom",
            code="I9",
            geometry=point(25, 15),
            properties={"building": "Block A"},
            status="offline",
        )
        with pytest.raises(SiteFormatError, match="alarm 'A10': alarm_type is required"):
            add_device(s, tiny, kind="alarm", code="A10", geometry=point(5, 5))
        with pytest.raises(SiteFormatError, match="unknown access_control 'gold'"):
            add_device(
                s,
                tiny,
                kind="gate",
                code="G10",
                geometry=point(0, 10),
                properties={"access_control": "gold"},
            )
    with session_scope(engine) as s:
        site = export_site(s, tiny)
        assert [g.access_control for g in site.gates] == ["card", "none", "face"]
        assert site.intercoms[-1].extra == {"status": "offline"}
        assert [d.code for d in list_devices(s, tiny, kind="alarm")] == ["A1", "A9"]


def test_duplicate_code_refused(engine, tiny):
    with pytest.raises(UsageError, match="already has a device 'G1'"), session_scope(engine) as s:
        add_device(s, tiny, kind="camera", code="G1", geometry=point(10, 15))


def test_update_validates_and_merges_properties(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        device = update_device(
            s,
            tiny,
            "C2",
            {"properties": {"tilt_deg": 30, "hfov_deg": None}, "name": "corner"},
            expected_version=1,
        )
        assert device.version == 2
        assert "hfov_deg" not in device.properties and device.properties["tilt_deg"] == 30.0
        with pytest.raises(SiteFormatError, match=r"camera 'C2': tilt_deg must be in \[-90, 90\]"):
            update_device(s, tiny, "C2", {"properties": {"tilt_deg": 100}})
        with pytest.raises(UsageError, match="cannot change code"):
            update_device(s, tiny, "C2", {"code": "X"})
    with session_scope(engine) as s:
        device = get_device(s, tiny, "C2")
        assert (device.name, device.properties["tilt_deg"], device.version) == ("corner", 30.0, 2)


def test_stale_expected_version_is_refused(engine, tiny):
    with session_scope(engine, actor="a") as s:
        update_device(s, tiny, "C1", {"name": "first"}, expected_version=1)
    with (
        pytest.raises(StaleEditError, match="now version 2, you edited version 1"),
        session_scope(engine, actor="b") as s,
    ):
        update_device(s, tiny, "C1", {"name": "second"}, expected_version=1)
    with session_scope(engine) as s:
        assert get_device(s, tiny, "C1").name == "first"


def test_two_sessions_same_device_one_conflict_nothing_lost(engine, session_factory, tiny):
    """Both read version 1; the first commit wins, the second gets StaleEditError."""
    first, second = session_factory(), session_factory()
    outcomes = []
    try:
        first.info["actor"], second.info["actor"] = "ann", "bob"
        d1, d2 = get_device(first, tiny, "C1"), get_device(second, tiny, "C1")
        assert d1.version == d2.version == 1
        update_device(first, tiny, "C1", {"properties": {"heading_deg": 10}})
        first.commit()
        for session in (second,):
            try:
                update_device(session, tiny, "C1", {"serial": "SN-B"})
                session.commit()
                outcomes.append("ok")
            except StaleEditError:
                session.rollback()
                outcomes.append("conflict")
    finally:
        first.close()
        second.close()
    assert outcomes == ["conflict"]
    with session_scope(engine) as s:
        device = get_device(s, tiny, "C1")
        assert device.properties["heading_deg"] == 10.0  # the first edit is kept
        assert device.serial is None  # the stale one wrote nothing
        assert device.version == 2


def test_retire_instead_of_delete(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        device = retire_device(s, tiny, "C3", reason="replaced by C9", expected_version=1)
        assert device.status == "retired" and "replaced by C9" in device.notes
    with session_scope(engine) as s:
        assert "C3" not in [c.id for c in export_site(s, tiny).cameras]
        assert "C3" not in [d.code for d in list_devices(s, tiny)]
        assert "C3" in [d.code for d in list_devices(s, tiny, include_retired=True)]
        with pytest.raises(UsageError, match="retired devices are not edited"):
            update_device(s, tiny, "C3", {"name": "x"})
        with pytest.raises(UsageError, match="already retired"):
            retire_device(s, tiny, "C3")
        with pytest.raises(UsageError, match=r"retired; codes are never reused"):
            add_device(s, tiny, kind="camera", code="C3", geometry=point(10, 15))


GOOD_CSV = """kind,code,x,y,line,heading_deg,hfov_deg,resolution,access_control,alarm_type,install_date
camera,C10,10,15,,90,80,2688x1520,,,2024-05-01
gate,G10,,,"40,20 40,24",,,,face,,
alarm,A10,5,5,,,,,,panic_button,
"""


def test_csv_import(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        added = import_devices_csv(s, io.StringIO(GOOD_CSV), compound=tiny)
    assert added == {tiny: ["C10", "G10", "A10"]}
    with session_scope(engine) as s:
        cam = export_site(s, tiny).camera("C10")
        assert (cam.hfov_deg, cam.resolution, cam.heading_deg) == (80.0, (2688, 1520), 90.0)
        assert get_device(s, tiny, "C10").install_date.isoformat() == "2024-05-01"


@pytest.mark.parametrize(
    "bad_row, message",
    [
        (
            "camera,C11,20,15,,,,,,,",
            r"^line 5: camera 'C11': camera at \(20, 15\) is inside building",
        ),
        ("camera,C11,10,15,,east,,,,,", r"^line 5: heading_deg must be a number, got 'east'"),
        ("camera,C11,10,15,,,0,,,,", r"^line 5: camera 'C11': hfov_deg must be in \(0, 360\]"),
        ("camera,C10,10,16,,,,,,,", r"^line 5: camera 'C10': device code already used"),
        ("camera,C1,10,16,,,,,,,", r"^line 5: compound 'tiny-court' already has a device 'C1'"),
        ("gate,G11,,,,,,,,,", r"^line 5: x and y \(or line\) are required"),
        ("lamp,L1,1,1,,,,,,,", r"^line 5: unknown kind 'lamp'"),
        (
            "camera,C11,10,15,,,,,,,2024-13-01",
            r"^line 5: camera 'C11': install_date must be a date",
        ),
        ("alarm,A11,5,5,,,,,,laser,", r"^line 5: alarm 'A11': unknown alarm_type 'laser'"),
    ],
)
def test_bad_csv_writes_nothing_and_names_the_line(engine, tiny, bad_row, message):
    text = GOOD_CSV + bad_row + "\n"
    with session_scope(engine) as s:
        before = s.scalar(select(func.count(Device.id)))
    with pytest.raises(CamwatchError) as info, session_scope(engine, actor="tech") as s:
        import_devices_csv(s, io.StringIO(text), compound=tiny)
    assert info.match(message)
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Device.id))) == before


def test_csv_header_problems(engine, tiny):
    with session_scope(engine) as s:
        with pytest.raises(UsageError, match="line 1: unknown column"):
            import_devices_csv(s, io.StringIO("kind,code,colour\ncamera,C1,red\n"), compound=tiny)
        with pytest.raises(UsageError, match="no device rows"):
            import_devices_csv(s, io.StringIO("kind,code,x,y\n"), compound=tiny)
        with pytest.raises(UsageError, match="line 2: no compound"):
            import_devices_csv(s, io.StringIO("kind,code,x,y\ncamera,C20,10,15\n"))
        with pytest.raises(UsageError, match="line 2: no compound with code 'nope'"):
            import_devices_csv(s, io.StringIO("compound,kind,code,x,y\nnope,camera,C20,10,15\n"))


def test_csv_template_imports(engine):
    site = tiny_site("maple-court")
    load_tiny(engine, site)
    with session_scope(engine, actor="tech") as s:
        added = import_devices_csv(s, io.StringIO(csv_template()))
    assert added == {"maple-court": ["C10", "G3", "A5", "I7"]}
