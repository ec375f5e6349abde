"""Ranges (docs/ranges.md) at the ledger and the command line: a value out of range is refused
with one message naming the property, range and value, and nothing is written."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from camwatch.cli import cli
from camwatch.errors import CamwatchError, ValueRangeError
from camwatch.registry.db import session_scope
from camwatch.registry.devices import add_device, get_device, update_device
from camwatch.registry.devices_csv import import_devices_csv
from camwatch.registry.models import Base

from .helpers import load_tiny
from .sites import feature, point, tiny_site, with_features

# (properties, expected message after "camera 'C9': "); written out here, not read from the code
BAD = [
    ({"focal_mm": 1e308, "sensor_width_mm": 5.37}, "focal_mm must be in [0.5, 2000], got 1e+308"),
    ({"focal_mm": 4, "sensor_width_mm": 120}, "sensor_width_mm must be in [0.5, 100], got 120"),
    ({"height_m": 250}, "height_m must be in [0.1, 100], got 250"),
    ({"range_m": 5000}, "range_m must be in (0, 2000], got 5000"),
    ({"tilt_deg": 95}, "tilt_deg must be in [-90, 90], got 95"),
    ({"hfov_deg": 0}, "hfov_deg must be in (0, 360], got 0"),
    ({"vfov_deg": 180}, "vfov_deg must be in (0, 180), got 180"),
    (
        {"resolution": [100, 100]},
        "resolution must be [width, height] in integer pixels, each in [160, 20000], got [100, 100]",
    ),
]


@pytest.fixture
def tiny(engine):
    return load_tiny(engine)


def _counts(engine) -> dict[str, int]:
    """Rows in every ledger table."""
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
            for t in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("props, message", BAD)
def test_add_refuses_out_of_range_values(engine, tiny, props, message):
    before = _counts(engine)
    with pytest.raises(ValueRangeError) as info, session_scope(engine, actor="tech") as s:
        add_device(s, tiny, kind="camera", code="C9", geometry=point(10, 15), properties=props)
    assert str(info.value) == f"camera 'C9': {message}"
    assert info.value.prop == next(iter(props)) or info.value.prop in props
    assert _counts(engine) == before


@pytest.mark.parametrize("props, message", BAD)
def test_update_refuses_out_of_range_values(engine, tiny, props, message):
    with session_scope(engine) as s:
        old = get_device(s, tiny, "C2")
        version, properties = old.version, dict(old.properties)
    before = _counts(engine)
    changes = {"properties": {**props, "hfov_deg": props.get("hfov_deg")}}
    with pytest.raises(ValueRangeError) as info, session_scope(engine, actor="tech") as s:
        update_device(s, tiny, "C2", changes, expected_version=version)
    assert str(info.value) == f"camera 'C2': {message}"
    assert _counts(engine) == before
    with session_scope(engine) as s:
        again = get_device(s, tiny, "C2")
        assert (again.version, again.properties) == (version, properties)


CSV_HEAD = "kind,code,x,y,focal_mm,sensor_width_mm,height_m,resolution\n"


@pytest.mark.parametrize(
    "row, message",
    [
        ("camera,C12,10,16,1e308,5.37,,", "line 3: camera 'C12': focal_mm must be in [0.5, 2000]"),
        ("camera,C12,10,16,1e999,5.37,,", "line 3: camera 'C12': focal_mm must be in [0.5, 2000]"),
        ("camera,C12,10,16,nan,5.37,,", "line 3: camera 'C12': focal_mm must be in [0.5, 2000]"),
        ("camera,C12,10,16,,,1000,", "line 3: camera 'C12': height_m must be in [0.1, 100]"),
        ("camera,C12,10,16,,,,100x100", "line 3: camera 'C12': resolution must be [width"),
    ],
)
def test_csv_with_an_out_of_range_value_writes_nothing(engine, tiny, row, message):
    text = CSV_HEAD + "camera,C11,10,15,4,5.37,3,1920x1080\n" + row + "\n"
    before = _counts(engine)
    with pytest.raises(CamwatchError) as info, session_scope(engine, actor="tech") as s:
        import_devices_csv(s, io.StringIO(text), compound=tiny)
    assert str(info.value).startswith(message), str(info.value)
    assert _counts(engine) == before


# -- the command line: exit 2, one line, nothing written -----------------------------------


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, db: bool = True):
        argv = list(args) + (["--db", db_url] if db else [])
        result = runner.invoke(cli, argv)
        assert result.exit_code == code, (argv, result.output, result.exception)
        return result

    return invoke


def test_cli_devices_add_and_update_exit_2(run, engine, tmp_path):
    site = tmp_path / "tiny-court.geojson"
    site.write_text(json.dumps(tiny_site()), encoding="utf-8")
    run("import-site", str(site))
    before = _counts(engine)
    add = run(
        "devices", "add", "tiny-court", "C9", "--kind", "camera", "--at", "10,15",
        "--set", "focal_mm=1e308", "--set", "sensor_width_mm=5.37", code=2,
    )  # fmt: skip
    assert "camera 'C9': focal_mm must be in [0.5, 2000], got 1e+308" in add.output
    upd = run("devices", "update", "tiny-court", "C2", "--set", "height_m=1e999", code=2)
    assert "camera 'C2': height_m must be in [0.1, 100], got inf" in upd.output
    nan = run("devices", "update", "tiny-court", "C2", "--set", "tilt_deg=NaN", code=2)
    assert "camera 'C2': tilt_deg must be in [-90, 90], got nan" in nan.output
    assert "Traceback" not in add.output + upd.output + nan.output
    assert _counts(engine) == before


def test_cli_import_and_analyze_refuse_the_same_file(run, engine, tmp_path):
    """``import-site`` used to accept focal_mm 1e308 (exit 0) that ``analyze`` then crashed on."""
    bad = with_features(
        tiny_site(),
        feature("camera", point(10, 15), id="C9", focal_mm=1e308, sensor_width_mm=5.37),
    )
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(bad), encoding="utf-8")
    before = _counts(engine)
    imported = run("import-site", str(path), code=2)
    analysed = run("analyze", str(path), db=False, code=2)
    for result in (imported, analysed):
        assert "(camera 'C9'): focal_mm must be in [0.5, 2000], got 1e+308" in result.output
    assert _counts(engine) == before


@pytest.mark.parametrize("field, limit", [("name", 200), ("model", 100), ("serial", 100)])
def test_text_longer_than_its_column_is_refused(engine, tiny, field, limit):
    """PostgreSQL refuses text longer than the column (SQLite would store it): refuse first."""
    before = _counts(engine)
    with pytest.raises(CamwatchError) as info, session_scope(engine, actor="tech") as s:
        add_device(
            s, tiny, kind="camera", code="C9", geometry=point(10, 15), **{field: "x" * (limit + 1)}
        )
    assert str(info.value) == f"camera 'C9': {field} is longer than {limit} characters"
    assert _counts(engine) == before
    with session_scope(engine, actor="tech") as s:  # exactly the limit is fine
        add_device(
            s, tiny, kind="camera", code="C9", geometry=point(10, 15), **{field: "x" * limit}
        )
