"""``camwatch check``: the docs/site-format.md §7 JSON, text output, exit codes, the ledger path."""

from __future__ import annotations

import copy
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from camwatch.cli import cli
from camwatch.sitefile import load_site
from tests.standards.sites import baseline, feature, plant_no_access, plant_retention, planted

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, data: dict, name: str = "c.geojson") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def invoke(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, (args, result.output, result.exception)
    assert "Traceback" not in result.output
    return result.output


def test_json_contract_on_a_compound_that_meets_the_standard(tmp_path):
    out = json.loads(invoke("check", str(write(tmp_path, baseline())), "--json"))
    assert out == {
        "site": "base",
        "profile": "national",
        "meets_standard": True,
        "findings": [],
        "counts": {},
    }


def test_json_contract_on_a_failing_compound_exits_0(tmp_path):
    site, _ = planted(lambda s: plant_no_access(s) | plant_retention(s))
    out = json.loads(invoke("check", str(write(tmp_path, site)), "--json"))
    assert list(out) == ["site", "profile", "meets_standard", "findings", "counts"]
    assert out["meets_standard"] is False
    assert out["counts"] == {"GATE-ACCESS": 1, "RETENTION": 1}
    keys = ["rule", "clause", "severity", "message", "features", "geometry", "fix", "fix_zh"]
    for f in out["findings"]:
        assert list(f) == keys
        assert f["severity"] in ("error", "warning", "info")
        assert set(f["message"]) == {"zh", "en"}
        assert f["geometry"]["type"] in ("LineString", "Polygon")
    access = next(f for f in out["findings"] if f["rule"] == "GATE-ACCESS")
    assert access["features"] == ["G1"]
    retention = next(f for f in out["findings"] if f["rule"] == "RETENTION")
    assert retention["features"] == []


def test_text_output_is_readable(tmp_path):
    site, _ = planted(plant_no_access)
    out = invoke("check", str(write(tmp_path, site)))
    assert "does NOT meet the standard" in out
    assert "GATE-ACCESS [G1]: gate G1 has no access control" in out
    assert "出入口 G1 无门禁" in out
    assert "整改: 在出入口 G1 安装门禁" in out
    assert "not checked: DEVICE-HEALTH" in out


def test_profile_option_and_user_profile(tmp_path):
    site, _ = planted(plant_no_access)
    path = write(tmp_path, site)
    mine = tmp_path / "lenient.toml"
    mine.write_text('name = "lenient"\n[rules.GATE-ACCESS]\nseverity = "info"\n', encoding="utf-8")
    out = json.loads(invoke("check", str(path), "--profile", str(mine), "--json"))
    assert out["profile"] == "lenient" and out["meets_standard"] is True
    out = json.loads(invoke("check", str(path), "--profile", "shanghai", "--json"))
    assert out["profile"] == "shanghai" and out["meets_standard"] is False


def test_a_site_names_a_profile_file_next_to_it(tmp_path):
    site, _ = planted(plant_no_access)
    site["site"]["profile"] = "rules/ours.toml"
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "ours.toml").write_text(
        'name = "ours"\n[rules.RETENTION]\n', encoding="utf-8"
    )
    out = json.loads(invoke("check", str(write(tmp_path, site)), "--json"))
    assert out["profile"] == "ours" and out["findings"] == []


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.geojson"], "no such file"),
        (["{site}", "--profile", "atlantis"], "neither a shipped profile"),
        (["{site}", "--profile", "{bad}"], "unknown rule id 'NOPE'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(tmp_path, args, message):
    site = write(tmp_path, baseline())
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n[rules.NOPE]\n', encoding="utf-8")
    argv = [a.format(site=site, bad=bad) for a in args]
    out = invoke("check", *argv, "--json", code=2)
    assert message in out


def test_a_bad_fact_is_a_site_format_error(tmp_path):
    site = baseline()
    feature(site, "G1")["properties"]["lanes"] = 0
    out = invoke("check", str(write(tmp_path, site)), code=2)
    assert "(gate 'G1'): lanes must be a whole number >= 1, got 0" in out


def test_samples_name_their_findings():
    """The samples' findings as docs/standards.md describes them."""
    out = json.loads(invoke("check", str(ROOT / "sample_sites/modern_gated.geojson"), "--json"))
    got = {(f["rule"], tuple(f["features"])) for f in out["findings"]}
    assert ("PERIM-ZONE-LEN", ("FQ-4",)) in got
    assert ("GATE-FIXED", ("G05", "G-N")) in got
    assert ("DOOR-CAM", ("D-2-B",)) in got
    assert ("KEY-AREAS", ("8栋架空层电梯厅 Tower 8 open lift lobby",)) in got
    assert not any(rule == "DOOR-CAM" and f[0].startswith("D-") and f != ("D-2-B",)
                   for rule, f in got)  # fmt: skip


# -- the ledger path --------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def ledger_url(request, tmp_path, monkeypatch):
    """A fresh ledger (SQLite; PostgreSQL too when CAMWATCH_TEST_POSTGRES_URL is set)."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
        invoke("db", "init", "--db", url)
        yield url
        return
    server = os.environ.get("CAMWATCH_TEST_POSTGRES_URL")
    if not server:  # tests/conftest.py turns this skip into a failure in CI
        pytest.skip("set CAMWATCH_TEST_POSTGRES_URL to run on PostgreSQL")
    from tests.registry.conftest import fresh_pg_database

    with fresh_pg_database(server) as url:
        invoke("db", "init", "--db", url)
        yield url


def test_check_a_compound_from_the_ledger(tmp_path, ledger_url):
    site, _ = planted(plant_no_access)
    site["site"]["profile"] = "shanghai"
    path = write(tmp_path, site)
    invoke("import-site", str(path), "--db", ledger_url)
    from_file = json.loads(invoke("check", str(path), "--json"))
    from_ledger = json.loads(invoke("check", "base", "--db", ledger_url, "--json"))
    assert from_ledger == from_file  # the §5 facts survived the import
    assert from_ledger["profile"] == "shanghai"
    assert invoke("check", "nosuch", "--db", ledger_url, code=2)


def test_export_keeps_the_section_5_facts(tmp_path, ledger_url):
    site = copy.deepcopy(baseline())
    site["site"]["profile"] = "shanghai"
    feature(site, "GC")["properties"].update(ptz=True, wdr=True, indoor=False)
    path = write(tmp_path, site)
    invoke("import-site", str(path), "--db", ledger_url)
    back = tmp_path / "back.geojson"
    invoke("export-site", "base", "-o", str(back), "--db", ledger_url)
    a, b = load_site(path), load_site(back)
    assert b.info.households == 100 and b.info.retention_days == 30
    assert b.info.profile == "shanghai"
    assert b.doors == a.doors and b.gates == a.gates and b.alarms == a.alarms
    assert {c.id: (c.ptz, c.wdr, c.purpose) for c in b.cameras}["GC"] == (True, True, "face")


def test_device_health_from_the_ledger(tmp_path, ledger_url):
    invoke("import-site", str(write(tmp_path, baseline())), "--db", ledger_url)
    invoke("devices", "update", "base", "F1", "--status", "faulty", "--db", ledger_url)
    out = json.loads(invoke("check", "base", "--db", ledger_url, "--json"))
    assert "DEVICE-HEALTH" not in out["counts"]  # faulty since today: within 7 days
    engine = create_engine(ledger_url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE devices SET status_changed_at = :t WHERE code = 'F1'"),
            {"t": datetime.now() - timedelta(days=10)},
        )
    engine.dispose()
    out = json.loads(invoke("check", "base", "--db", ledger_url, "--json"))
    health = [f for f in out["findings"] if f["rule"] == "DEVICE-HEALTH"]
    assert [f["features"] for f in health] == [["F1"]]
    assert health[0]["geometry"] == {"type": "Point", "coordinates": [15.0, 10.0]}
