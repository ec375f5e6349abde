"""``update_plan``: the plan editor's registry call (docs/web.md, "Plan editor").

Runs on SQLite and, with CAMWATCH_TEST_POSTGRES_URL, on PostgreSQL."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from camwatch.errors import SiteFormatError, StaleEditError, UsageError
from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import export_site, get_compound
from camwatch.registry.db import session_scope
from camwatch.registry.models import AuditLog
from camwatch.registry.site_import import update_plan

from .helpers import load_tiny
from .sites import feature, point, rect


def _plan(engine, code):
    with session_scope(engine) as s:
        c = get_compound(s, code)
        return copy.deepcopy(c.plan_json["features"]), c.version


def test_update_replaces_the_plan_and_the_analysis_follows(engine):
    code = load_tiny(engine)
    features, version = _plan(engine, code)
    before = analyze(_export(engine, code)).monitored_area_m2
    features.append(feature("obstacle", rect(30, 10, 34, 13), name="bike shed", height_m=2))
    with session_scope(engine) as s:
        site = update_plan(
            s, get_compound(s, code), features, expected_version=version, actor="pat"
        )
        assert len(site.obstacles) == 2
    features2, version2 = _plan(engine, code)
    assert version2 == version + 1
    assert any(f["properties"].get("name") == "bike shed" for f in features2)
    # 4 × 3 m of free space less, by the analysis of the exported site
    assert analyze(_export(engine, code)).monitored_area_m2 == pytest.approx(
        before - 12.0, abs=1e-6
    )
    with session_scope(engine) as s:
        row = s.scalars(
            select(AuditLog).where(AuditLog.entity == "compounds").order_by(AuditLog.id.desc())
        ).first()
        assert row.actor == "pat" and row.action == "update" and "plan_json" in row.after


def _export(engine, code):
    with session_scope(engine) as s:
        return export_site(s, code)


def test_stale_version_writes_nothing(engine):
    code = load_tiny(engine)
    features, version = _plan(engine, code)
    features[1]["properties"]["name"] = "Block B"
    with session_scope(engine) as s, pytest.raises(StaleEditError, match="version"):
        update_plan(s, get_compound(s, code), features, expected_version=version - 1)
    assert _plan(engine, code) == (_plan(engine, code)[0], version)
    assert all(f["properties"].get("name") != "Block B" for f in _plan(engine, code)[0])


@pytest.mark.parametrize(
    "extra, error, words",
    [
        (feature("building", rect(0.2, 0.2, 2, 2), name="over C1"), SiteFormatError, "C1"),
        (feature("boundary", rect(0, 0, 10, 10)), SiteFormatError, "second boundary"),
        (feature("camera", point(5, 5), id="C9"), UsageError, "device"),
        (feature("zone", rect(1, 1, 2, 2), name="parking"), SiteFormatError, "duplicate"),
    ],
)
def test_bad_plans_are_refused(engine, extra, error, words):
    code = load_tiny(engine)
    features, version = _plan(engine, code)
    with session_scope(engine) as s, pytest.raises(error, match=words):
        update_plan(s, get_compound(s, code), [*features, extra], expected_version=version)
    assert _plan(engine, code) == (features, version)


def test_unchanged_plan_keeps_the_version(engine):
    code = load_tiny(engine)
    features, version = _plan(engine, code)
    with session_scope(engine) as s:
        update_plan(s, get_compound(s, code), features, expected_version=version)
    assert _plan(engine, code)[1] == version
