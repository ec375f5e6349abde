"""A ledger compound's fingerprint is the digest of its stored JSON, dates as ISO text."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from sqlalchemy import select

from camwatch.batch.jobs import CHECK_DEFAULTS, ledger_source, task_digest
from camwatch.registry.db import make_engine, session_scope
from camwatch.registry.models import Compound, Device
from camwatch.registry.snapshots import _camwatch_version


def _reference(task: str, source, options) -> str:
    """The fingerprint written out from its definition (docs/district.md): the inputs made
    plain JSON through text first, then canonical JSON of [1, version, task, options, site]."""
    live = [s.fields() for s in source.states if s.status != "retired"]
    site = json.loads(
        json.dumps({"plan": source.plan, "site": source.site_member, "devices": live}, default=str)
    )
    payload = [1, _camwatch_version(), task, {**options, "devices": []}, site]
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def test_ledger_fingerprints_match_their_definition_with_dates_set(ledger_url):
    engine = make_engine(ledger_url)
    try:
        with session_scope(engine, actor="tests") as session:
            for device in session.scalars(select(Device).where(Device.kind == "camera")):
                device.install_date = date(2024, 3, 9)
                device.warranty_end = date(2027, 3, 8)
        with session_scope(engine, actor="tests") as session:
            compounds = session.scalars(select(Compound).order_by(Compound.id)).all()
            assert len(compounds) == 3
            options = {**CHECK_DEFAULTS, "today": "2026-12-02"}
            digests = set()
            for compound in compounds:
                source = ledger_source(compound)
                assert any(s.install_date for s in source.states)
                for task in ("analyze", "check"):
                    digest = task_digest(task, source, options)
                    assert digest == _reference(task, source, options)
                    digests.add(digest)
            assert len(digests) == 6
    finally:
        engine.dispose()
