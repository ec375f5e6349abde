"""Re-import does not silently retire devices added or changed since the last import."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from camwatch.cli import cli
from camwatch.registry.db import session_scope
from camwatch.registry.devices import add_device, list_devices
from camwatch.registry.maintenance import log_maintenance
from camwatch.registry.models import Device
from camwatch.registry.site_import import RetiresChangedDevices, import_site
from camwatch.sitefile import parse_site

from .helpers import load_tiny
from .sites import point, tiny_site


@pytest.fixture
def tiny(engine):
    return load_tiny(engine)


def _statuses(engine, compound) -> dict[str, str]:
    with session_scope(engine) as s:
        return {d.code: d.status for d in list_devices(s, compound, include_retired=True)}


def test_reimport_refuses_to_retire_a_device_added_since(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        add_device(s, tiny, kind="camera", code="C9", geometry=point(10, 15))
    before = _statuses(engine, tiny)
    with session_scope(engine, actor="cli") as s, pytest.raises(RetiresChangedDevices) as info:
        import_site(s, parse_site(tiny_site()), force=False)
    assert "C9 (added" in str(info.value) and "--force" in str(info.value)
    assert _statuses(engine, tiny) == before  # nothing written
    with session_scope(engine, actor="cli") as s:  # a dry run lists them
        diff = import_site(s, parse_site(tiny_site()), dry_run=True, force=False)
        assert list(diff.retired_changed) == ["C9"] and diff.retired == ["C9"]
    with session_scope(engine, actor="cli") as s:
        import_site(s, parse_site(tiny_site()), force=True)
    assert _statuses(engine, tiny)["C9"] == "retired"


def test_unchanged_devices_are_retired_without_force(engine, tiny):
    site = tiny_site()
    site["features"] = [f for f in site["features"] if f["properties"].get("id") != "C2"]
    with session_scope(engine, actor="cli") as s:
        diff = import_site(s, parse_site(site), force=False)
    assert diff.retired == ["C2"] and diff.retired_changed == {}


def test_maintenance_since_the_import_counts(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        log_maintenance(s, tiny, "C2", kind="cleaning", technician="tech")
    site = tiny_site()
    site["features"] = [f for f in site["features"] if f["properties"].get("id") != "C2"]
    with session_scope(engine, actor="cli") as s, pytest.raises(RetiresChangedDevices) as info:
        import_site(s, parse_site(site), force=False)
    assert "C2 (maintenance logged" in str(info.value)


def test_cli_import_needs_force(db_url, engine, tiny, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with session_scope(engine, actor="tech") as s:
        add_device(s, tiny, kind="camera", code="C9", geometry=point(10, 15))
    path = tmp_path / "tiny.geojson"
    path.write_text(json.dumps(tiny_site()), encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(cli, ["import-site", str(path), "--db", db_url])
    assert refused.exit_code == 2, refused.output
    assert "C9" in refused.output and "--force" in refused.output
    assert "Traceback" not in refused.output
    assert _statuses(engine, tiny)["C9"] == "active"
    dry = runner.invoke(cli, ["import-site", str(path), "--dry-run", "--db", db_url])
    assert dry.exit_code == 0 and "C9: added" in dry.output
    forced = runner.invoke(cli, ["import-site", str(path), "--force", "--db", db_url])
    assert forced.exit_code == 0, forced.output
    assert _statuses(engine, tiny)["C9"] == "retired"
    again = runner.invoke(cli, ["import-site", str(path), "--db", db_url])
    assert again.exit_code == 0, again.output  # nothing changed since: no question
    with session_scope(engine) as s:
        assert s.scalar(select(Device.status).where(Device.code == "C9")) == "retired"
