"""Restoring a retired device: status from the audit trail, locking, audit, CLI (docs/registry.md)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from camwatch.cli import cli
from camwatch.errors import StaleEditError, UsageError
from camwatch.registry.compounds import export_site
from camwatch.registry.db import session_scope
from camwatch.registry.devices import get_device, set_status, update_device
from camwatch.registry.models import AuditLog, Device
from camwatch.registry.retirement import restore_device, retire_device

from .helpers import load_tiny


@pytest.fixture
def tiny(engine):
    return load_tiny(engine)


def test_restore_brings_back_the_status_before_retirement(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        update_device(s, tiny, "C3", {"status": "faulty"})
    with session_scope(engine, actor="tech") as s:
        version = retire_device(s, tiny, "C3", reason="pole down").version
    with session_scope(engine, actor="restorer") as s, pytest.raises(StaleEditError):
        restore_device(s, tiny, "C3", expected_version=version - 1)
    with session_scope(engine, actor="restorer") as s:
        device = restore_device(s, tiny, "C3", reason="pole rebuilt", expected_version=version)
        assert device.status == "faulty"
        assert device.notes.splitlines()[-1].endswith("pole rebuilt")
        assert device.notes.splitlines()[-1].startswith("restored ")
    with session_scope(engine) as s:
        assert "C3" in [c.id for c in export_site(s, tiny).cameras]
        device = get_device(s, tiny, "C3")
        last = s.scalars(
            select(AuditLog)
            .where(AuditLog.entity == "devices", AuditLog.entity_id == str(device.id))
            .order_by(AuditLog.id.desc())
        ).first()
        assert last.actor == "restorer"
        assert last.before["status"] == "retired" and last.after["status"] == "faulty"
        with pytest.raises(UsageError, match="not retired"):
            restore_device(s, tiny, "C3")


def test_restore_without_a_recorded_status_is_offline(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        retire_device(s, tiny, "C2")
    with session_scope(engine) as s:  # the audit trail lost the retirement (e.g. pruned)
        device = get_device(s, tiny, "C2")
        for row in s.scalars(
            select(AuditLog).where(
                AuditLog.entity == "devices", AuditLog.entity_id == str(device.id)
            )
        ):
            s.delete(row)
    with session_scope(engine, actor="tech") as s:
        assert restore_device(s, tiny, "C2").status == "offline"


def test_retired_while_planned_comes_back_planned(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        retire_device(s, tiny, "C4")  # C4 is planned in the tiny site
    with session_scope(engine, actor="tech") as s:
        assert restore_device(s, tiny, "C4").status == "planned"


def test_status_set_by_maintenance_counts(engine, tiny):
    with session_scope(engine, actor="tech") as s:
        set_status(s, s.scalar(select(Device).where(Device.code == "C2")), "offline")
    with session_scope(engine, actor="tech") as s:
        retire_device(s, tiny, "C2")
    with session_scope(engine, actor="tech") as s:
        assert restore_device(s, tiny, "C2").status == "offline"
    with session_scope(engine, actor="tech") as s:
        update_device(s, tiny, "C2", {"status": "active"})
        retire_device(s, tiny, "C2")
    with session_scope(engine, actor="tech") as s:  # the latest retirement decides
        assert restore_device(s, tiny, "C2").status == "active"


def test_cli_restore(db_url, engine, tiny, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAMWATCH_USER", "cli-user")
    with session_scope(engine, actor="tech") as s:
        retire_device(s, tiny, "C2")
    runner = CliRunner()
    ok = runner.invoke(cli, ["devices", "restore", tiny, "C2", "--reason", "back", "--db", db_url])
    assert ok.exit_code == 0, ok.output
    assert "restored camera C2 (status active)" in ok.output
    again = runner.invoke(cli, ["devices", "restore", tiny, "C2", "--db", db_url])
    assert again.exit_code == 2 and "not retired" in again.output
    assert "Traceback" not in again.output
