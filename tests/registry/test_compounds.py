"""Site file -> ledger -> site file: round trip, re-import diffs, dry runs."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from camwatch.errors import NotFoundError, SiteFormatError
from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import export_site, get_compound
from camwatch.registry.db import session_scope
from camwatch.registry.devices import get_device, update_device
from camwatch.registry.models import AuditLog, Compound, Device
from camwatch.registry.site_import import import_site
from camwatch.sitefile import load_site, parse_site

from .helpers import load_tiny
from .sites import feature, point, tiny_site, with_features, without

SAMPLE_SITES = Path(__file__).resolve().parents[2] / "sample_sites"


def _tiny_with_ids() -> dict:
    site = tiny_site()
    for f in site["features"]:
        if f["properties"]["kind"] == "gate" and "id" not in f["properties"]:
            f["properties"]["id"] = "G2"
    return site


def test_round_trip_gives_the_same_site_and_analysis(engine):
    original = parse_site(_tiny_with_ids())
    with session_scope(engine, actor="ann") as s:
        diff = import_site(s, original, actor="ann")
    assert diff.created and diff.added == ["C1", "C2", "C3", "C4", "G1", "G2", "A1", "I1"]
    with session_scope(engine) as s:
        exported = export_site(s, "tiny-court")
    assert exported == original
    assert analyze(exported).to_dict() == analyze(original).to_dict()
    assert (
        analyze(exported, include_planned=True).to_dict()
        == analyze(original, include_planned=True).to_dict()
    )


def test_device_without_id_gets_a_stable_code(engine):
    original = parse_site(tiny_site())
    load_tiny(engine)
    with session_scope(engine) as s:
        exported = export_site(s, "tiny-court")
        assert [g.id for g in exported.gates] == ["G1", "gate-2"]
        # the export differs only by that id; importing the original again changes nothing
        assert replace(exported, gates=original.gates) == original
        again = import_site(s, original, actor="ann")
        assert not again.changed and len(again.unchanged) == 8


def test_reimport_of_export_changes_nothing(engine):
    load_tiny(engine)
    with session_scope(engine) as s:
        exported = export_site(s, "tiny-court")
        diff = import_site(s, exported, actor="ann")
    assert not diff.changed


def test_dry_run_writes_nothing(engine):
    with session_scope(engine, actor="ann") as s:
        diff = import_site(s, parse_site(tiny_site()), dry_run=True, actor="ann")
    assert diff.created and diff.dry_run and len(diff.added) == 8
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Compound.id))) == 0
        assert s.scalar(select(func.count(AuditLog.id))) == 0


def test_reimport_updates_by_code_retires_missing_and_prints_the_diff(engine):
    load_tiny(engine)
    changed = without(tiny_site(), "C2")
    for f in changed["features"]:
        if f["properties"].get("id") == "C1":
            f["properties"]["heading_deg"] = 60
            f["properties"]["status"] = "offline"
    changed = with_features(changed, feature("camera", point(5, 15), id="C7", heading_deg=90))
    changed["site"]["name"] = "Tiny Court II"
    with session_scope(engine, actor="bob") as s:
        diff = import_site(s, parse_site(changed), actor="bob")
    assert diff.compound_changes == {"name": ["Tiny Court", "Tiny Court II"]}
    assert diff.added == ["C7"]
    assert diff.retired == ["C2"]
    assert diff.updated == {
        "C1": {"status": ["active", "offline"], "properties.heading_deg": [45.0, 60.0]}
    }
    with session_scope(engine) as s:
        c1 = get_device(s, "tiny-court", "C1")
        assert (c1.status, c1.properties["heading_deg"], c1.version) == ("offline", 60.0, 2)
        assert get_device(s, "tiny-court", "C2").status == "retired"
        site = export_site(s, "tiny-court")
        assert sorted(c.id for c in site.cameras) == ["C1", "C3", "C4", "C7"]
        assert get_compound(s, "tiny-court").name == "Tiny Court II"


def test_keep_missing_keeps_devices_not_in_the_file(engine):
    load_tiny(engine)
    with session_scope(engine, actor="bob") as s:
        diff = import_site(s, parse_site(without(tiny_site(), "C2")), keep_missing=True)
    assert not diff.changed
    with session_scope(engine) as s:
        assert get_device(s, "tiny-court", "C2").status == "active"


def test_reimport_keeps_ledger_status_of_gates(engine):
    load_tiny(engine)
    with session_scope(engine, actor="tech") as s:
        update_device(s, "tiny-court", "G1", {"status": "faulty"})
    with session_scope(engine, actor="bob") as s:
        assert not import_site(s, parse_site(tiny_site())).changed
        assert get_device(s, "tiny-court", "G1").status == "faulty"
        # ... and the export carries it, so a round trip keeps it too
        exported = export_site(s, "tiny-court")
        assert exported.gates[0].extra == {"status": "faulty"}
        assert not import_site(s, exported).changed


def test_import_under_another_code(engine):
    with session_scope(engine, actor="ann") as s:
        import_site(s, parse_site(tiny_site()), code="TC-01")
        assert export_site(s, "TC-01").id == "TC-01"
        with pytest.raises(NotFoundError, match="no compound with code 'tiny-court'"):
            export_site(s, "tiny-court")


def test_codes_unique_across_kinds_and_nothing_written(engine):
    bad = tiny_site()
    for f in bad["features"]:
        if f["properties"].get("id") == "I1":
            f["properties"]["id"] = "C1"
    with (
        pytest.raises(SiteFormatError, match="intercom 'C1': device code already used by camera"),
        session_scope(engine, actor="ann") as s,
    ):
        import_site(s, parse_site(bad))
    with session_scope(engine) as s:
        assert s.scalar(select(func.count(Compound.id))) == 0
        assert s.scalar(select(func.count(Device.id))) == 0


def test_ledger_fields_travel_through_the_site_file(engine):
    site = _tiny_with_ids()
    site["features"][8]["properties"].update(
        manufacturer="Hikvision", install_date="2024-03-01", warranty_end="2027-03-01"
    )
    load_tiny(engine, site)
    with session_scope(engine) as s:
        c2 = get_device(s, "tiny-court", "C2")
        assert c2.manufacturer == "Hikvision"
        assert c2.install_date.isoformat() == "2024-03-01"
        assert "install_date" not in c2.properties
        assert export_site(s, "tiny-court") == parse_site(site)
    broken = copy.deepcopy(site)
    broken["features"][8]["properties"]["install_date"] = "March"
    with (
        pytest.raises(SiteFormatError, match=r"feature #8 \(camera 'C2'\): install_date must be"),
        session_scope(engine) as s,
    ):
        import_site(s, parse_site(broken))


def test_sample_sites_round_trip(engine):
    for path in sorted(SAMPLE_SITES.glob("*.geojson")):
        original = load_site(path)
        with session_scope(engine, actor="ann") as s:
            code = import_site(s, original).compound
        with session_scope(engine) as s:
            exported = export_site(s, code)
        assert analyze(exported).to_dict() == analyze(original).to_dict(), path.name


def test_delete_compound_removes_everything_and_audits_it(engine):
    from camwatch.registry.compounds import delete_compound
    from camwatch.registry.problems import open_problem

    load_tiny(engine)
    with session_scope(engine, actor="ann") as s:
        open_problem(
            s,
            "tiny-court",
            description="blind spot by the gate",
            deadline=date(2026, 12, 31),
            actor="ann",
        )
    with session_scope(engine, actor="root") as s:
        delete_compound(s, get_compound(s, "tiny-court"), actor="root")
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(Compound)) == 0
        assert s.scalar(select(func.count()).select_from(Device)) == 0
        deletes = s.scalars(
            select(AuditLog).where(AuditLog.action == "delete", AuditLog.actor == "root")
        ).all()
        assert {a.entity for a in deletes} >= {"compounds", "devices", "problems"}
        with pytest.raises(NotFoundError):
            get_compound(s, "tiny-court")
