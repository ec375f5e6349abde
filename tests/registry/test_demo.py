"""seed_demo: sample compounds + one user per role, idempotent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from camwatch.cli import cli
from camwatch.errors import UsageError
from camwatch.registry.db import session_scope
from camwatch.registry.demo import DEMO_USERS, demo_password, seed_demo
from camwatch.registry.users import authenticate, get_user
from camwatch.sitefile import load_site

from .sites import tiny_site

SAMPLE_SITES = Path(__file__).resolve().parents[2] / "sample_sites"


@pytest.fixture
def sites(tmp_path) -> Path:
    folder = tmp_path / "sites"
    folder.mkdir()
    for stem, code in (("modern", "new-towers"), ("old_residential", "lanes")):
        (folder / f"{stem}.geojson").write_text(json.dumps(tiny_site(code)), encoding="utf-8")
    return folder


def test_seed_demo_is_idempotent(engine, sites):
    with session_scope(engine) as s:
        first = seed_demo(s, sites_dir=sites)
    assert sorted(first["compounds"]) == ["lanes", "new-towers"]
    assert all(u["created"] for u in first["users"])
    with session_scope(engine) as s:
        second = seed_demo(s, sites_dir=sites)
        assert not any(u["created"] for u in second["users"])
        assert not any(
            d["added"] or d["updated"] or d["retired"] or d["compound_changes"]
            for d in second["compounds"].values()
        )
        for username, role, _, _ in DEMO_USERS:
            user = authenticate(s, username, demo_password(username))
            assert user is not None and user.role == role
        assert [c.code for c in get_user(s, "manager").compounds] == ["lanes"]
        with pytest.raises(UsageError, match="does not exist"):
            seed_demo(s, sites_dir=sites / "missing")


def test_seed_demo_command(db_url, sites):
    result = CliRunner().invoke(
        cli, ["db", "seed-demo", "--sites", str(sites), "--db", db_url, "--actor", "make-run"]
    )
    assert result.exit_code == 0, result.output
    assert "compound lanes: imported (8 devices)" in result.output
    assert "user admin       password admin-demo" in result.output


def test_seed_demo_with_the_sample_sites(engine):
    with session_scope(engine) as s:
        report = seed_demo(s, sites_dir=SAMPLE_SITES)
        assert len(report["compounds"]) == len(list(SAMPLE_SITES.glob("*.geojson")))
        managed = [c.code for c in get_user(s, "manager").compounds]
        old = load_site(SAMPLE_SITES / "old_residential.geojson").id
        assert managed == [old]
