"""Site files: defaults, normalisation and save -> load round trips (docs/site-format.md §1–2)."""

from __future__ import annotations

import json
import math
import os
import stat
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, Point, Polygon

from camwatch.errors import SiteFormatError
from camwatch.model import (
    ACCESS_CONTROL_TYPES,
    ALARM_TYPES,
    CAMERA_STATUSES,
    LEVELS,
    ZONE_TYPES,
    Alarm,
    Building,
    Camera,
    Gate,
    Intercom,
    Mount,
    Obstacle,
    Site,
    SiteInfo,
    Wall,
    Zone,
    required_level_for,
)
from camwatch.sitefile import (
    dumps_site,
    feature_to_geojson,
    load_site,
    parse_feature,
    parse_site,
    save_site,
    site_to_geojson,
)


def _f(kind: str, geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": {"kind": kind, **props}, "geometry": geometry}


def _poly(*ring: tuple[float, float]) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[list(p) for p in ring]]}


def _pt(x: float, y: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [x, y]}


SQUARE = _poly((0, 0), (100, 0), (100, 100), (0, 100))


def _collection(*features: dict[str, Any], **site: Any) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "site": site,
        "features": [_f("boundary", SQUARE), *features],
    }


def _camera(**props: Any) -> Camera:
    site = parse_site(_collection(_f("camera", _pt(50, 50), **{"id": "C1", **props})))
    return site.cameras[0]


def rich_site() -> dict[str, Any]:
    """Every kind, optional properties, holes, extras and Chinese names."""
    return {
        "type": "FeatureCollection",
        "site": {
            "id": "maple-court",
            "name": "枫林苑",
            "district": "Riverside",
            "address": "12 Maple Rd",
            "units": "m",
            "programme": "safe-compound-2024",
        },
        "crs_note": "local metres",
        "features": [
            _f(
                "building",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[10, 10], [40, 10], [40, 40], [10, 40], [10, 10]],
                        [[20, 20], [30, 20], [30, 30], [20, 30]],
                    ],
                },
                name="1号楼",
                height_m=18,
                floors=6,
            ),
            _f(
                "boundary",
                {
                    "type": "Polygon",
                    "coordinates": [
                        [[0, 0], [100, 0], [100, 100], [0, 100]],
                        [[90, 90], [95, 90], [95, 95], [90, 95]],
                    ],
                },
            ),
            _f("obstacle", _poly((60, 10), (64, 10), (64, 14), (60, 14)), name="bike shed"),
            _f(
                "wall",
                {"type": "LineString", "coordinates": [[40, 60], [40, 90], [60, 90]]},
                thickness_m=0.24,
            ),
            _f(
                "zone",
                _poly((80, 0), (100, 0), (100, 20), (80, 20)),
                name="south gate",
                zone_type="entrance",
            ),
            _f(
                "zone",
                _poly((0, 60), (20, 60), (20, 80)),
                name="parking",
                zone_type="parking",
                required_level="recognition",
                weight=2.5,
            ),
            _f(
                "camera",
                _pt(40, 25),
                id=7,
                name="east facade",
                status="faulty",
                height_m=4.5,
                heading_deg=-90,
                tilt_deg=30,
                focal_mm=4,
                sensor_width_mm=5.37,
                resolution=[2688, 1520],
                model="DS-2CD",
                serial=12345,
                install_date="2023-05-01",
            ),
            _f(
                "camera",
                _pt(70, 70),
                id="C2",
                hfov_deg=360,
                range_m=30,
                vfov_deg=60,
                status="planned",
            ),
            _f(
                "gate",
                {"type": "LineString", "coordinates": [[85, 0], [95, 0]]},
                id="G1",
                name="南门",
                access_control="face",
                intercom=True,
            ),
            _f(
                "alarm",
                {"type": "LineString", "coordinates": [[0, 0], [0, 100]]},
                id="A1",
                alarm_type="electric_fence",
                voltage_kv=8,
            ),
            _f("alarm", _pt(40, 20), alarm_type="door_contact"),
            _f("intercom", _pt(25, 10), id=3, building="1号楼"),
            _f("mount", _pt(0, 50)),
            _f(
                "mount",
                {"type": "LineString", "coordinates": [[10, 40], [40, 40]]},
                name="block 1 north facade",
            ),
        ],
    }


# -- defaults and normalisation ----------------------------------------------------------


def test_rich_site_parses_every_kind() -> None:
    site = parse_site(rich_site())
    assert site.id == "maple-court" and site.info.name == "枫林苑"
    assert site.info.extra == {"programme": "safe-compound-2024"}
    assert site.extra == {"crs_note": "local metres"}
    assert len(list(site.boundary.interiors)) == 1
    assert [b.name for b in site.buildings] == ["1号楼"] and site.buildings[0].extra == {
        "floors": 6
    }
    assert site.walls[0].thickness_m == 0.24
    assert [(z.name, z.required_level, z.weight) for z in site.zones] == [
        ("south gate", "identification", 1.0),
        ("parking", "recognition", 2.5),
    ]
    c7, c2 = site.cameras
    assert (c7.id, c7.index, c7.heading_deg, c7.serial) == ("7", 6, 270.0, "12345")
    assert c7.extra == {"install_date": "2023-05-01"}
    assert c7.hfov_deg is None and c7.hfov == pytest.approx(math.degrees(2 * math.atan(5.37 / 8)))
    assert (c2.hfov, c2.range_m, c2.vfov_deg) == (360.0, 30.0, 60.0)
    assert isinstance(site.gates[0].geometry, LineString) and site.gates[0].intercom is True
    assert site.alarms[1].id is None and isinstance(site.alarms[1].geometry, Point)
    assert site.intercoms[0].id == "3" and site.intercoms[0].building == "1号楼"
    assert len(site.mounts) == 2


def test_defaults() -> None:
    site = parse_site(
        _collection(
            _f("camera", _pt(50, 50), id="C1"),
            _f("building", _poly((10, 10), (20, 10), (20, 20))),
            _f("obstacle", _poly((60, 10), (64, 10), (64, 14))),
            _f("wall", {"type": "LineString", "coordinates": [[40, 60], [40, 90]]}),
            _f("zone", _poly((0, 60), (20, 60), (20, 80)), name="z"),
            _f("gate", _pt(0, 10)),
        ),
    )
    cam = site.cameras[0]
    assert cam == Camera(id="C1", position=(50.0, 50.0))
    assert (cam.status, cam.height_m, cam.heading_deg, cam.tilt_deg, cam.hfov) == (
        "active",
        3.0,
        0.0,
        15.0,
        90.0,
    )
    assert cam.resolution == (1920, 1080) and cam.vfov_deg is None and cam.range_m is None
    assert site.buildings[0].height_m == 10.0 and site.obstacles[0].height_m == 2.0
    assert site.walls[0].thickness_m == 0.2
    assert (site.zones[0].zone_type, site.zones[0].required_level, site.zones[0].weight) == (
        "other",
        "detection",
        1.0,
    )
    assert (site.gates[0].id, site.gates[0].access_control, site.gates[0].intercom) == (
        None,
        "none",
        False,
    )
    assert site.id == "site" and site.info.units == "m"


@pytest.mark.parametrize("zone_type", ZONE_TYPES)
def test_required_level_defaults_by_zone_type(zone_type: str) -> None:
    site = parse_site(_collection(_f("zone", SQUARE, name="z", zone_type=zone_type)))
    expected = {"entrance": "identification", "parking": "observation", "bike_shed": "observation"}
    assert site.zones[0].required_level == expected.get(zone_type, "detection")
    assert site.zones[0].required_level == required_level_for(zone_type)


def test_null_property_takes_default() -> None:
    cam = _camera(height_m=None, status=None, name=None)
    assert (cam.height_m, cam.status, cam.name) == (3.0, "active", None)


@pytest.mark.parametrize(
    "given, stored",
    [
        (0, 0.0),
        (370, 10.0),
        (-90, 270.0),
        (360, 0.0),
        (720.5, 0.5),
        (-1e-20, 0.0),
        (359.9, 359.9),
        (-0.0, 0.0),
    ],
)
def test_heading_is_taken_modulo_360(given: float, stored: float) -> None:
    heading = _camera(heading_deg=given).heading_deg
    assert heading == pytest.approx(stored) and 0.0 <= heading < 360.0
    assert math.copysign(1.0, heading) == 1.0


@pytest.mark.parametrize("hfov", [360, 359.99, 0.001, 180])
def test_hfov_bounds_accepted(hfov: float) -> None:
    assert _camera(hfov_deg=hfov).hfov == hfov


@pytest.mark.parametrize("tilt", [-90, 90, 0, -5])
def test_tilt_bounds_accepted(tilt: float) -> None:
    assert _camera(tilt_deg=tilt).tilt_deg == tilt


def test_focal_and_sensor_kept_and_hfov_wins() -> None:
    lens = _camera(focal_mm=2.8, sensor_width_mm=5.37)
    assert (lens.focal_mm, lens.sensor_width_mm, lens.hfov_deg) == (2.8, 5.37, None)
    assert lens.hfov == pytest.approx(math.degrees(2 * math.atan(5.37 / 5.6)))
    both = _camera(focal_mm=2.8, sensor_width_mm=5.37, hfov_deg=100)
    assert both.hfov == 100 and both.focal_mm == 2.8


def test_rings_are_closed_automatically() -> None:
    open_ring = parse_site(_collection())
    closed = parse_site(
        {
            **_collection(),
            "features": [_f("boundary", _poly((0, 0), (100, 0), (100, 100), (0, 100), (0, 0)))],
        }
    )
    assert open_ring.boundary == closed.boundary
    assert list(open_ring.boundary.exterior.coords)[-1] == (0.0, 0.0)


def test_altitude_is_dropped() -> None:
    cam = parse_site(
        _collection(_f("camera", {"type": "Point", "coordinates": [50, 50, 12]}, id="C1"))
    ).cameras[0]
    assert cam.position == (50.0, 50.0)


def test_site_id_defaults_to_file_stem(tmp_path: Any) -> None:
    path = tmp_path / "old-town.geojson"
    path.write_text(json.dumps(_collection()), encoding="utf-8")
    assert load_site(path).id == "old-town"
    path.write_text(json.dumps(_collection(id=42)), encoding="utf-8")
    assert load_site(path).id == "42"


def test_load_accepts_utf8_bom(tmp_path: Any) -> None:
    path = tmp_path / "bom.geojson"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(_collection(name="枫林苑"), ensure_ascii=False).encode()
    )
    assert load_site(path).info.name == "枫林苑"


def test_parse_feature_dispatches_on_kind() -> None:
    data = rich_site()["features"]
    kinds = [type(parse_feature(f, i)).__name__ for i, f in enumerate(data)]
    assert kinds[:5] == ["Building", "Polygon", "Obstacle", "Wall", "Zone"]
    assert kinds[5:] == [
        "Zone",
        "Camera",
        "Camera",
        "Gate",
        "Alarm",
        "Alarm",
        "Intercom",
        "Mount",
        "Mount",
    ]


def test_feature_to_geojson_round_trips_one_feature() -> None:
    cam = _camera(id=9, heading_deg=370, focal_mm=4, sensor_width_mm=5.37, note="x")
    feature = feature_to_geojson(cam)
    assert feature["properties"]["id"] == "9" and feature["properties"]["heading_deg"] == 10.0
    assert feature["properties"]["note"] == "x" and "hfov_deg" not in feature["properties"]
    assert parse_feature(feature, cam.index) == cam


# -- round trips --------------------------------------------------------------------------


def test_rich_site_round_trip_dict() -> None:
    site = parse_site(rich_site())
    again = parse_site(site_to_geojson(site))
    assert again == site
    assert site_to_geojson(again) == site_to_geojson(site)


def test_load_save_load_equal(tmp_path: Any) -> None:
    src = tmp_path / "maple.geojson"
    src.write_text(json.dumps(rich_site(), ensure_ascii=False), encoding="utf-8")
    site = load_site(src)
    out = tmp_path / "copy.geojson"
    save_site(site, out)
    again = load_site(out)
    assert again == site
    text = out.read_text(encoding="utf-8")
    assert "枫林苑" in text and text.startswith('{\n  "type": "FeatureCollection",\n')
    assert text.endswith("}\n") and text == dumps_site(site)
    saved = json.loads(text)
    cam7 = next(f["properties"] for f in saved["features"] if f["properties"].get("id") == "7")
    assert cam7["install_date"] == "2023-05-01"  # extra property written back
    assert (cam7["focal_mm"], cam7["sensor_width_mm"], cam7["heading_deg"]) == (4.0, 5.37, 270.0)
    assert "hfov_deg" not in cam7
    assert (
        saved["site"]["programme"] == "safe-compound-2024" and saved["crs_note"] == "local metres"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.geojson", "maple.geojson"]


def test_int_id_written_as_string_and_heading_normalised(tmp_path: Any) -> None:
    path = tmp_path / "s.geojson"
    path.write_text(
        json.dumps(_collection(_f("camera", _pt(50, 50), id=3, heading_deg=370))), encoding="utf-8"
    )
    save_site(load_site(path), path)
    props = json.loads(path.read_text(encoding="utf-8"))["features"][1]["properties"]
    assert props["id"] == "3" and props["heading_deg"] == 10.0


def test_save_replaces_existing_file_and_keeps_its_mode(tmp_path: Any) -> None:
    path = tmp_path / "s.geojson"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    site = parse_site(rich_site())
    save_site(site, path)
    assert load_site(path) == site
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["s.geojson"]


def test_new_file_mode_follows_umask(tmp_path: Any) -> None:
    old = os.umask(0o022)
    try:
        save_site(parse_site(_collection()), tmp_path / "n.geojson")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "n.geojson").stat().st_mode) == 0o644


def test_index_is_not_part_of_equality() -> None:
    site = parse_site(rich_site())
    again = parse_site(site_to_geojson(site))
    assert (site.buildings[0].index, again.buildings[0].index) == (0, 1)  # boundary written first
    assert again.buildings == site.buildings


def test_save_invalid_site_raises_before_writing(tmp_path: Any) -> None:
    site = parse_site(rich_site())
    cam = Camera(id="C2", position=(99.0, 99.0))  # duplicate id
    with pytest.raises(SiteFormatError, match=r"duplicate camera id 'C2'"):
        save_site(site.with_cameras([*site.cameras, cam]), tmp_path / "x.geojson")
    assert list(tmp_path.iterdir()) == []


# -- hypothesis: generated small sites survive save -> load ---------------------------------

_coord = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
_text = st.text(min_size=1, max_size=8).filter(lambda s: s.strip() != "")
_opt_text = st.none() | _text
_json_scalar = (
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | _coord | st.text(max_size=6)
)
_json = st.recursive(
    _json_scalar,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


def _extra(kind_keys: tuple[str, ...]) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.text(min_size=1, max_size=6).filter(lambda k: k not in kind_keys and k != "kind")
    return st.dictionaries(keys, _json, max_size=2)


def _rect(x0: float, y0: float, w: float, h: float) -> Polygon:
    return Polygon([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h)])


@st.composite
def sites(draw: st.DrawFn) -> Site:
    """Boundary [ox, ox+100] x [oy, oy+100]; opaque things in the east half, cameras in the west."""
    from camwatch.sitefile.features import KNOWN_PROPERTIES as K

    ox, oy = draw(_coord), draw(_coord)
    pos = st.tuples(
        st.floats(min_value=0, max_value=45, allow_nan=False).map(lambda v: ox + v),
        st.floats(min_value=0, max_value=100, allow_nan=False).map(lambda v: oy + v),
    )
    east = st.tuples(
        st.floats(min_value=55, max_value=90, allow_nan=False),
        st.floats(min_value=0, max_value=90, allow_nan=False),
        st.floats(min_value=0.5, max_value=10, allow_nan=False),
    )
    positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False)
    buildings = [
        Building(
            _rect(ox + x, oy + y, s, s),
            name=draw(_opt_text),
            height_m=draw(positive),
            extra=draw(_extra(K["building"])),
        )
        for x, y, s in draw(st.lists(east, max_size=2))
    ]
    walls = [
        Wall(
            LineString([(ox + x, oy + y), (ox + x + s, oy + y)]),
            thickness_m=draw(positive),
            name=draw(_opt_text),
        )
        for x, y, s in draw(st.lists(east, max_size=2))
    ]
    ids = draw(st.lists(_text, unique=True, max_size=4))
    lens = st.none() | st.tuples(positive, positive)
    cameras = []
    for cid in ids:
        focal_sensor = draw(lens)
        cameras.append(
            Camera(
                id=cid,
                position=draw(pos),
                name=draw(_opt_text),
                status=draw(st.sampled_from(CAMERA_STATUSES)),
                height_m=draw(positive),
                heading_deg=draw(st.floats(min_value=0, max_value=360, exclude_max=True)),
                tilt_deg=draw(st.floats(min_value=-90, max_value=90)),
                hfov_deg=draw(st.none() | st.floats(min_value=0, max_value=360, exclude_min=True)),
                focal_mm=focal_sensor[0] if focal_sensor else None,
                sensor_width_mm=focal_sensor[1] if focal_sensor else None,
                resolution=draw(st.tuples(st.integers(1, 10000), st.integers(1, 10000))),
                vfov_deg=draw(st.none() | st.floats(min_value=1e-3, max_value=179.9)),
                range_m=draw(st.none() | positive),
                model=draw(_opt_text),
                serial=draw(_opt_text),
                extra=draw(_extra(K["camera"])),
            )
        )
    zone_names = draw(st.lists(_text, unique=True, max_size=3))
    zones = []
    for name in zone_names:
        zone_type = draw(st.sampled_from(ZONE_TYPES))
        zones.append(
            Zone(
                name=name,
                polygon=_rect(ox + draw(st.floats(0, 90)), oy + draw(st.floats(0, 90)), 5.0, 5.0),
                zone_type=zone_type,
                required_level=draw(st.sampled_from(LEVELS)),
                weight=draw(positive),
                extra=draw(_extra(K["zone"])),
            )
        )
    line_or_point = st.one_of(
        pos.map(Point),
        st.tuples(pos, pos).filter(lambda ab: ab[0] != ab[1]).map(LineString),
    )
    gate_ids = draw(st.lists(_text, unique=True, max_size=2))
    gates = [
        Gate(
            id=g,
            geometry=draw(line_or_point),
            name=draw(_opt_text),
            access_control=draw(st.sampled_from(ACCESS_CONTROL_TYPES)),
            intercom=draw(st.booleans()),
        )
        for g in gate_ids
    ]
    alarms = [
        Alarm(id=None, geometry=draw(line_or_point), alarm_type=draw(st.sampled_from(ALARM_TYPES)))
        for _ in range(draw(st.integers(0, 2)))
    ]
    intercoms = [Intercom(id=draw(_opt_text), position=draw(pos), building=draw(_opt_text))]
    mounts = [Mount(geometry=draw(line_or_point), name=draw(_opt_text))]
    obstacles = (
        [Obstacle(_rect(ox + 80, oy + 80, 2, 3), name="kiosk")] if draw(st.booleans()) else []
    )
    info = SiteInfo(
        id=draw(_text),
        name=draw(_opt_text),
        district=draw(_opt_text),
        address=draw(_opt_text),
        extra=draw(_extra(("id", "name", "district", "address", "units"))),
    )
    return Site(
        info=info,
        boundary=_rect(ox, oy, 100, 100),
        buildings=tuple(buildings),
        obstacles=tuple(obstacles),
        walls=tuple(walls),
        zones=tuple(zones),
        cameras=tuple(cameras),
        gates=tuple(gates),
        alarms=tuple(alarms),
        intercoms=tuple(intercoms),
        mounts=tuple(mounts),
        extra=draw(_extra(("type", "features", "site"))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sites())
def test_generated_sites_round_trip(site: Site) -> None:
    text = dumps_site(site)
    again = parse_site(json.loads(text), default_id="unused")
    assert again == site
    assert dumps_site(again) == text


_any_value = (
    _json | st.floats() | st.sampled_from([math.inf, -math.inf, 1e300, -0.0, True, "3", [1, 2]])
)


@settings(max_examples=150, deadline=None)
@given(
    key=st.sampled_from(
        [
            "id",
            "hfov_deg",
            "focal_mm",
            "tilt_deg",
            "height_m",
            "heading_deg",
            "resolution",
            "vfov_deg",
            "range_m",
            "status",
            "serial",
            "kind",
        ]
    ),
    value=_any_value,
    coords=st.lists(_any_value, max_size=3),
)
def test_arbitrary_camera_values_raise_only_site_format_errors(
    key: str, value: Any, coords: list[Any]
) -> None:
    """Whatever a file holds, the loader answers with a Site or a SiteFormatError, never a crash."""
    for geometry in (_pt(50, 50), {"type": "Point", "coordinates": coords}):
        feature = {
            "type": "Feature",
            "properties": {"kind": "camera", "id": "C1", key: value},
            "geometry": geometry,
        }
        data = _collection(feature)
        try:
            site = parse_site(data)
        except SiteFormatError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            assert parse_site(site_to_geojson(site)) == site


_small = st.integers(-3, 110) | st.sampled_from([1e7, 1.5, math.nan, "1", None])


@settings(max_examples=150, deadline=None)
@given(
    kind=st.sampled_from(["building", "obstacle", "zone", "boundary"]),
    rings=st.lists(st.lists(st.lists(_small, min_size=2, max_size=2), max_size=6), max_size=3),
)
def test_arbitrary_polygons_raise_only_site_format_errors(kind: str, rings: list[Any]) -> None:
    feature = {
        "type": "Feature",
        "properties": {"kind": kind, "name": "p"},
        "geometry": {"type": "Polygon", "coordinates": rings},
    }
    try:
        polygon = parse_feature(feature, 3)
    except SiteFormatError as exc:
        assert str(exc).startswith("feature #3 (") and "\n" not in str(exc)
    else:
        poly = polygon if isinstance(polygon, Polygon) else polygon.polygon
        assert poly.is_valid and poly.area > 0


def test_ring_zone_with_hole_loads():
    """A perimeter strip is drawn as a zone with a hole (docs/site-format.md is silent; we allow it)."""
    from camwatch.sitefile import parse_site

    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": "boundary"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [50, 0], [50, 50], [0, 50]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"kind": "zone", "name": "perimeter", "zone_type": "perimeter"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[0, 0], [50, 0], [50, 50], [0, 50]],
                        [[3, 3], [47, 3], [47, 47], [3, 47]],
                    ],
                },
            },
        ],
    }
    zone = parse_site(data).zones[0]
    assert zone.polygon.area == 50 * 50 - 44 * 44
