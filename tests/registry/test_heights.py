"""Heights in the ledger (docs/registry.md, "Heights"): every docs/site-format.md §4 key
survives import-site → export-site, the compound's settings live in its columns, the
migration moves old values out of the plan, and bad settings are refused."""

from __future__ import annotations

import copy
import json
import os

import pytest
from sqlalchemy import select, text

from camwatch.errors import SiteFormatError, StaleEditError
from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import export_site, get_compound
from camwatch.registry.db import downgrade_db, make_engine, session_scope, upgrade_db
from camwatch.registry.models import AuditLog
from camwatch.registry.settings import update_settings
from camwatch.registry.site_import import import_site
from camwatch.sitefile import parse_site, site_to_geojson

from .conftest import PG_ENV, fresh_pg_database
from .sites import feature, line, point, rect, tiny_site


def heights_site() -> dict:
    """The tiny site with every §4 key set to a value that is not its default."""
    site = tiny_site("tall-court")
    for f in site["features"]:
        if f["properties"]["kind"] == "gate" and "id" not in f["properties"]:
            f["properties"]["id"] = "G2"
    site["site"].update(
        coverage_model="standing",
        target_height_m={"detection": 1.2, "identification": 1.7},
        max_depression_deg={"identification": 25.0, "recognition": 40.0},
    )
    site["features"] += [
        feature("obstacle", rect(8, 12, 10, 14), name="hedge", height_m=1.1),
        feature("wall", line((2, 28), (12, 28)), height_m=1.4, see_through=True),
        feature("wall", line((32, 12), (32, 18)), height_m=3.5, thickness_m=0.25),
        feature("building", rect(26, 22, 28, 25), name="shed", height_m=2.6),
        feature(
            "camera",
            point(32.15, 15),  # a pole against the 3.5 m wall, above it
            id="C9",
            height_m=5.5,
            tilt_deg=32.5,
            heading_deg=270,
        ),
    ]
    return site


def _plain(site: dict) -> tuple[str, list[str]]:
    """The site member and the features, order aside (an export lists devices last)."""
    features = sorted(json.dumps(f, sort_keys=True) for f in site["features"])
    return json.dumps(site["site"], sort_keys=True), features


def test_every_heights_key_round_trips(engine):
    original = parse_site(heights_site())
    with session_scope(engine, actor="ann") as s:
        import_site(s, original, actor="ann")
    with session_scope(engine) as s:
        compound = get_compound(s, "tall-court")
        # compound-level settings are real columns, not left inside the stored plan
        assert compound.coverage_model == "standing"
        assert compound.target_height_m == {"detection": 1.2, "identification": 1.7}
        assert compound.max_depression_deg == {"identification": 25.0, "recognition": 40.0}
        assert not set(compound.plan_json["site"]) & {
            "coverage_model",
            "target_height_m",
            "max_depression_deg",
        }
        exported = export_site(s, "tall-court")
    assert exported == original
    out = site_to_geojson(exported)
    # an independent check on the written file (not through the model's equality)
    assert out["site"]["coverage_model"] == "standing"
    assert out["site"]["target_height_m"] == {"detection": 1.2, "identification": 1.7}
    assert out["site"]["max_depression_deg"] == {"identification": 25.0, "recognition": 40.0}
    props = [f["properties"] for f in out["features"]]
    hedge = next(p for p in props if p.get("name") == "hedge")
    assert hedge["height_m"] == 1.1
    railing = next(p for p in props if p["kind"] == "wall" and p.get("see_through"))
    assert railing["height_m"] == 1.4
    shed = next(p for p in props if p.get("name") == "shed")
    assert shed["height_m"] == 2.6
    c9 = next(p for p in props if p.get("id") == "C9")
    assert (c9["height_m"], c9["tilt_deg"]) == (5.5, 32.5)
    assert analyze(exported).to_dict() == analyze(original).to_dict()
    assert analyze(exported).coverage_model == "standing"


def test_scalar_target_height_stays_a_scalar(engine):
    site = heights_site()
    site["site"]["target_height_m"] = 1.5
    with session_scope(engine) as s:
        import_site(s, parse_site(site))
    with session_scope(engine) as s:
        assert get_compound(s, "tall-court").target_height_m == 1.5
        assert site_to_geojson(export_site(s, "tall-court"))["site"]["target_height_m"] == 1.5


def test_a_site_without_settings_exports_without_them(engine):
    with session_scope(engine) as s:
        import_site(s, parse_site(tiny_site()))
    with session_scope(engine) as s:
        compound = get_compound(s, "tiny-court")
        assert (compound.coverage_model, compound.target_height_m) == (None, None)
        assert compound.max_depression_deg is None
        out = site_to_geojson(export_site(s, "tiny-court"))
    assert not set(out["site"]) & {"coverage_model", "target_height_m", "max_depression_deg"}


def test_reimport_reports_and_applies_a_changed_setting(engine):
    with session_scope(engine) as s:
        import_site(s, parse_site(heights_site()))
    site = heights_site()
    site["site"]["coverage_model"] = "ground"
    with session_scope(engine) as s:
        dry = import_site(s, parse_site(site), dry_run=True)
        assert dry.compound_changes == {"coverage_model": ["standing", "ground"]}
        assert get_compound(s, "tall-court").coverage_model == "standing"
    with session_scope(engine) as s:
        diff = import_site(s, parse_site(site))
        assert diff.compound_changes == {"coverage_model": ["standing", "ground"]}
    with session_scope(engine) as s:
        assert get_compound(s, "tall-court").coverage_model == "ground"


def test_update_settings_stores_the_loaders_normal_form(engine):
    with session_scope(engine) as s:
        import_site(s, parse_site(tiny_site()))
    with session_scope(engine, actor="pat") as s:
        compound = get_compound(s, "tiny-court")
        changes = update_settings(
            s,
            compound,
            coverage_model="standing",
            target_height_m={"detection": 1},
            max_depression_deg={"identification": 20},
            expected_version=compound.version,
            actor="pat",
        )
        assert changes["coverage_model"] == [None, "standing"]
    with session_scope(engine) as s:
        compound = get_compound(s, "tiny-court")
        audit = s.scalars(
            select(AuditLog).where(AuditLog.entity == "compounds", AuditLog.actor == "pat")
        ).all()
        assert [(a.before["coverage_model"], a.after["coverage_model"]) for a in audit] == [
            (None, "standing")
        ]
        assert compound.target_height_m == {"detection": 1.0}
        assert compound.max_depression_deg == {"identification": 20.0}
        site = export_site(s, "tiny-court")
    assert site.info.target_heights()["detection"] == 1.0
    assert site.info.max_depressions()["identification"] == 20.0
    assert analyze(site).coverage_model == "standing"


@pytest.mark.parametrize(
    "values, message",
    [
        ({"coverage_model": "flying"}, "coverage_model must be one of ground, standing"),
        ({"target_height_m": 101}, r"target_height_m must be in \[0, 100\]"),
        ({"target_height_m": -0.5}, r"target_height_m must be in \[0, 100\]"),
        ({"target_height_m": {"detection": float("nan")}}, "target_height_m.detection"),
        ({"target_height_m": {"everything": 1.6}}, "unknown level"),
        ({"max_depression_deg": {"identification": 0}}, r"max_depression_deg.identification"),
        ({"max_depression_deg": {"identification": 91}}, r"\(0, 90\]"),
        ({"max_depression_deg": 30}, "must be an object of level"),
        ({"target_height_m": True}, "target_height_m"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_written(engine, values, message):
    with session_scope(engine) as s:
        import_site(s, parse_site(heights_site()))
    with session_scope(engine) as s:
        compound = get_compound(s, "tall-court")
        before = (compound.coverage_model, compound.target_height_m, compound.max_depression_deg)
        given = {
            "coverage_model": compound.coverage_model,
            "target_height_m": compound.target_height_m,
            "max_depression_deg": compound.max_depression_deg,
            **values,
        }
        with pytest.raises(SiteFormatError, match=message):
            update_settings(s, compound, **given)
    with session_scope(engine) as s:
        compound = get_compound(s, "tall-court")
        after = (compound.coverage_model, compound.target_height_m, compound.max_depression_deg)
    assert after == before


def test_a_stale_settings_edit_is_refused(engine):
    with session_scope(engine) as s:
        import_site(s, parse_site(tiny_site()))
    with session_scope(engine) as s, pytest.raises(StaleEditError):
        compound = get_compound(s, "tiny-court")
        update_settings(
            s,
            compound,
            coverage_model="ground",
            target_height_m=None,
            max_depression_deg=None,
            expected_version=compound.version - 1,
        )


def test_the_database_refuses_an_unknown_coverage_model(engine):
    with session_scope(engine) as s:
        import_site(s, parse_site(tiny_site()))
    with pytest.raises(Exception, match="(?i)check"), engine.begin() as conn:
        conn.execute(text("UPDATE compounds SET coverage_model = 'flying'"))


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_migration_moves_settings_out_of_the_plan_and_back(kind, tmp_path):
    """A ledger at 0005 kept the settings inside plan_json's site member."""
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        ctx = None
    else:
        server = os.environ.get(PG_ENV)
        if not server:
            pytest.skip(f"set {PG_ENV} to run on PostgreSQL")
        ctx = fresh_pg_database(server)
        url = ctx.__enter__()
    engine = make_engine(url)
    try:
        upgrade_db(engine, "0005")
        plan = {
            "type": "FeatureCollection",
            "site": {
                "units": "m",
                "coverage_model": "standing",
                "target_height_m": 1.4,
                "max_depression_deg": {"identification": 28.0},
                "households": 120,
            },
            "features": [feature("boundary", rect(0, 0, 10, 10))],
        }
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO compounds (code, plan_json, created_at, updated_at, version) "
                    "VALUES ('old', :plan, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
                ),
                {"plan": json.dumps(plan)},
            )
        upgrade_db(engine)
        with session_scope(engine) as s:
            compound = get_compound(s, "old")
            assert compound.coverage_model == "standing"
            assert compound.target_height_m == 1.4
            assert compound.max_depression_deg == {"identification": 28.0}
            assert compound.plan_json["site"] == {"units": "m", "households": 120}
            site = export_site(s, "old")
        assert site.info.coverage_model == "standing"
        assert site.info.target_height_m == 1.4
        assert site.info.households == 120
        downgrade_db(engine, "0005")
        with engine.connect() as conn:
            raw = conn.execute(text("SELECT plan_json FROM compounds")).scalar_one()
        back = raw if isinstance(raw, dict) else json.loads(raw)
        assert back["site"] == plan["site"]
    finally:
        engine.dispose()
        if ctx is not None:
            ctx.__exit__(None, None, None)


def test_export_is_what_analyze_reads_in_both_models(engine):
    """The exported site analysed with either model override gives that model."""
    site = heights_site()
    with session_scope(engine) as s:
        import_site(s, parse_site(copy.deepcopy(site)))
    with session_scope(engine) as s:
        exported = export_site(s, "tall-court")
    ground = analyze(exported, coverage_model="ground")
    standing = analyze(exported)
    assert ground.coverage_model == "ground" and standing.coverage_model == "standing"
    # the pole camera above a 1.1 m hedge sees differently in the two models
    assert ground.to_dict()["levels"] != standing.to_dict()["levels"]
    assert _plain(site_to_geojson(exported)) == _plain(site_to_geojson(parse_site(site)))


def test_a_camera_on_the_kiosk_roof_keeps_the_compound_in_the_standing_model(engine):
    """docs/site-format.md §4: a 3 m camera may stand on the 2 m kiosk in the standing model
    (the default); the ground model would put it off free space, so switching to it is
    refused naming the camera, and nothing changes."""
    from camwatch.registry.devices import add_device

    with session_scope(engine) as s:
        import_site(s, parse_site(tiny_site()))
    with session_scope(engine) as s:
        add_device(s, "tiny-court", kind="camera", code="C9", geometry=point(4.5, 23.5),
                   properties={"height_m": 3.0, "heading_deg": 90})  # fmt: skip
    with session_scope(engine) as s:
        site = export_site(s, "tiny-court")
        assert [c.position for c in site.cameras if c.id == "C9"] == [(4.5, 23.5)]
        compound = get_compound(s, "tiny-court")
        with pytest.raises(SiteFormatError, match=r"camera 'C9'.*inside obstacle 'kiosk'"):
            update_settings(
                s, compound, coverage_model="ground", target_height_m=None, max_depression_deg=None
            )
    with session_scope(engine) as s:
        assert get_compound(s, "tiny-court").coverage_model is None
    with session_scope(engine) as s, pytest.raises(SiteFormatError, match="inside obstacle"):
        low = {"height_m": 2.0}  # as high as the kiosk
        add_device(s, "tiny-court", kind="camera", code="C10", geometry=point(4.5, 23.0),
                   properties=low)  # fmt: skip
