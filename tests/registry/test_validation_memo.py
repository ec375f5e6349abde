"""validate_devices remembers its answers: an edit's validation serves the export after it,
and a remembered site is the site a fresh parse gives (docs/registry.md)."""

from __future__ import annotations

import pytest

from camwatch.registry import codec
from camwatch.registry.compounds import export_site
from camwatch.registry.db import session_scope
from camwatch.registry.devices import update_device
from camwatch.registry.retirement import restore_device, retire_device

from .helpers import load_tiny


@pytest.fixture
def parses(monkeypatch):
    """Count the validations that really parse (memo misses)."""
    calls: list[int] = []
    real = codec._validate_devices

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(codec, "_validate_devices", counted)
    codec._VALIDATED.clear()  # no answer remembered from another test
    return calls


@pytest.mark.parametrize("heading", [45, 46.5, 300.25])
def test_the_export_after_an_edit_is_not_parsed_again(engine, parses, heading):
    code = load_tiny(engine)
    parses.clear()
    with session_scope(engine, actor="t") as s:
        update_device(s, code, "C2", {"properties": {"heading_deg": heading}})
    assert len(parses) == 1
    with session_scope(engine) as s:
        site = export_site(s, code)
    assert len(parses) == 1  # remembered by the normal forms the rows now hold
    assert {c.id: c.heading_deg for c in site.cameras}["C2"] == pytest.approx(heading)
    codec._VALIDATED.clear()
    with session_scope(engine) as s:
        fresh = export_site(s, code)
    assert len(parses) == 2 and fresh == site  # the remembered site is the parsed one


def test_retire_and_restore_keep_the_ledger_order(engine, parses):
    code = load_tiny(engine)
    with session_scope(engine) as s:
        before = export_site(s, code)
    with session_scope(engine, actor="t") as s:
        retire_device(s, code, "C2", reason="test")
    with session_scope(engine, actor="t") as s:
        restore_device(s, code, "C2")
    with session_scope(engine) as s:
        after = export_site(s, code)
    assert [c.id for c in after.cameras] == [c.id for c in before.cameras]
    assert after == before


def test_a_changed_plan_or_device_is_validated_again(engine, parses):
    code = load_tiny(engine)
    codec._VALIDATED.clear()
    parses.clear()
    with session_scope(engine) as s:
        export_site(s, code)
        export_site(s, code)
    assert len(parses) == 1
    with session_scope(engine, actor="t") as s:
        update_device(s, code, "C2", {"name": "corner camera"})
    assert len(parses) == 2
