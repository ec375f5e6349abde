"""The registry commands through ``camwatch.cli.cli`` (click's CliRunner): exit 0 / 2."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from camwatch.cli import cli
from camwatch.geometry.coverage import analyze
from camwatch.sitefile import load_site, parse_site

from .sites import tiny_site


@pytest.fixture
def run(db_url, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0, db: bool = True, input: str | None = None):
        argv = list(args) + (["--db", db_url] if db else [])
        result = runner.invoke(cli, argv, input=input)
        assert result.exit_code == code, (argv, result.output, result.exception)
        return result

    return invoke


@pytest.fixture
def site_file(tmp_path) -> Path:
    path = tmp_path / "tiny-court.geojson"
    path.write_text(json.dumps(tiny_site()), encoding="utf-8")
    return path


def test_db_init_creates_the_file_and_backup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    runner = CliRunner()
    missing = runner.invoke(cli, ["devices", "list", "x"])
    assert missing.exit_code == 2
    assert "no ledger database at instance/camwatch.db; run `camwatch db init`" in missing.output
    assert not (tmp_path / "instance" / "camwatch.db").exists()
    assert runner.invoke(cli, ["db", "init"]).exit_code == 0
    assert (tmp_path / "instance" / "camwatch.db").exists()
    status = runner.invoke(cli, ["db", "status"])
    assert "current" in status.output
    assert runner.invoke(cli, ["db", "upgrade"]).output.startswith("up to date")
    assert runner.invoke(cli, ["db", "backup", "copy.db"]).exit_code == 0
    assert (tmp_path / "copy.db").exists()
    again = runner.invoke(cli, ["db", "backup", "copy.db"])
    assert again.exit_code == 2 and "already exists" in again.output


def test_import_export_round_trip(run, site_file, tmp_path):
    dry = run("import-site", str(site_file), "--dry-run", "--json")
    assert json.loads(dry.stdout)["dry_run"] is True
    assert "no compound" in run("export-site", "tiny-court", code=2).output
    out = run("import-site", str(site_file)).output
    assert "new compound tiny-court" in out and "added (8)" in out
    assert "unchanged: 8 device(s)" in run("import-site", str(site_file)).output
    exported = tmp_path / "out.geojson"
    result = run("export-site", "tiny-court", "-o", str(exported), "--verify")
    assert "verified" in result.output
    original = parse_site(tiny_site())
    assert analyze(load_site(exported)).to_dict() == analyze(original).to_dict()
    stdout = run("export-site", "tiny-court").stdout
    assert json.loads(stdout)["site"]["id"] == "tiny-court"
    listing = json.loads(run("compounds", "--json").stdout)
    assert listing[0]["devices"]["camera"] == {"active": 2, "faulty": 1, "planned": 1}


def test_bad_site_file_exit_2(run, tmp_path):
    bad = tiny_site()
    bad["features"][7]["properties"]["hfov_deg"] = 0
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(bad), encoding="utf-8")
    result = run("import-site", str(path), code=2)
    assert "feature #7 (camera 'C1'): hfov_deg must be in (0, 360], got 0" in result.output
    assert json.loads(run("compounds", "--json").stdout) == []


def test_devices_commands(run, site_file, tmp_path):
    run("import-site", str(site_file))
    run(
        "devices",
        "add",
        "tiny-court",
        "C9",
        "--kind",
        "camera",
        "--at",
        "10,15",
        "--set",
        "heading_deg=90",
        "--set",
        "resolution=[2688,1520]",
        "--model",
        "X1",
    )
    bad = run("devices", "add", "tiny-court", "C10", "--kind", "camera", "--at", "20,15", code=2)
    assert "camera 'C10': camera at (20, 15) is inside building 'Block A'" in bad.output
    run("devices", "update", "tiny-court", "C9", "--status", "faulty", "--expected-version", "1")
    stale = run(
        "devices", "update", "tiny-court", "C9", "--name", "x", "--expected-version", "1", code=2
    )
    assert "changed by someone else" in stale.output
    run(
        "maintenance",
        "log",
        "tiny-court",
        "C9",
        "--kind",
        "repair",
        "--status-after",
        "active",
        "--notes",
        "new PSU",
    )
    logs = json.loads(run("maintenance", "list", "tiny-court", "--json").stdout)
    assert logs[0]["status_before"] == "faulty" and logs[0]["technician"] == "tester"
    run("devices", "retire", "tiny-court", "C9", "--reason", "stolen")
    listed = json.loads(run("devices", "list", "tiny-court", "--json", "--all").stdout)
    c9 = [d for d in listed if d["code"] == "C9"][0]
    assert c9["status"] == "retired" and c9["version"] == 4
    shown = json.loads(run("devices", "show", "tiny-court", "C9", "--json").stdout)
    assert [h["actor"] for h in shown["history"]] == ["tester"] * 4
    assert "C9" not in run("devices", "list", "tiny-court").output
    csv_path = tmp_path / "new.csv"
    csv_path.write_text("kind,code,x,y\ncamera,C20,10,16\ncamera,C21,20,15\n", encoding="utf-8")
    result = run("devices", "import-csv", str(csv_path), "--compound", "tiny-court", code=2)
    assert "line 3: camera 'C21'" in result.output
    assert "C20" not in run("devices", "list", "tiny-court").output
    csv_path.write_text("kind,code,x,y\ncamera,C20,10,16\n", encoding="utf-8")
    assert (
        "added 1 device(s): C20"
        in run("devices", "import-csv", str(csv_path), "--compound", "tiny-court").output
    )


def test_problem_life_cycle_from_the_cli(run, site_file):
    run("import-site", str(site_file))
    today = date.today()
    out = run("problems", "from-analysis", "tiny-court", "--deadline-days", "0", "--json").stdout
    created = json.loads(out)["created"]
    assert created
    again = json.loads(
        run("problems", "from-analysis", "tiny-court", "--deadline-days", "0", "--json").stdout
    )
    assert again["created"] == [] and sorted(again["existing"]) == sorted(created)
    # due today: not overdue today, overdue tomorrow
    assert json.loads(run("problems", "list", "--overdue", "--json").stdout) == []
    tomorrow = (today + timedelta(days=1)).isoformat()
    late = json.loads(run("problems", "list", "--overdue", "--today", tomorrow, "--json").stdout)
    assert sorted(p["id"] for p in late) == sorted(created)

    opened = run(
        "problems",
        "open",
        "tiny-court",
        "-d",
        "gate lock broken",
        "--days",
        "3",
        "--unit",
        "Property office",
        "--person",
        "Wang",
        "--device",
        "G1",
    ).output
    pid = opened.split("#")[1].split()[0]
    run("problems", "update", pid, "--status", "in_progress", "--note", "ordered")
    run("problems", "update", pid, "--status", "fixed")
    bad = run("problems", "recheck", pid, "--failed", "--result", "still broken", code=2)
    assert "needs a new deadline" in bad.output
    later = (today + timedelta(days=10)).isoformat()
    assert (
        "reopened, new deadline"
        in run(
            "problems",
            "recheck",
            pid,
            "--failed",
            "--result",
            "still broken",
            "--new-deadline",
            later,
        ).output
    )
    run("problems", "update", pid, "--status", "fixed", "--note", "new lock")
    run("problems", "recheck", pid, "--passed", "--result", "works")
    shown = json.loads(run("problems", "show", pid, "--json").stdout)
    assert shown["status"] == "verified"
    assert [e["to"] for e in shown["history"]] == [
        "open",
        "in_progress",
        "fixed",
        "reopened",
        "fixed",
        "verified",
    ]
    assert {e["actor"] for e in shown["history"]} == {"tester"}
    illegal = run("problems", "update", pid, "--status", "in_progress", code=2)
    assert "verified" in illegal.output


def test_inspect(run, site_file):
    run("import-site", str(site_file))
    result = json.loads(run("inspect", "tiny-court", "--json").stdout)
    assert result["inspector"] == "tester"
    # the items are the rule results of `camwatch check` plus the kept checklist items
    check = json.loads(run("check", "tiny-court", "--json").stdout)
    assert result["passed"] is check["meets_standard"]
    rules = [i for i in result["items"] if i["rule"]]
    assert [i["key"] for i in result["items"] if not i["rule"]] == [
        "blind_spots",
        "device_health",
        "problems",
    ]
    for item in rules:
        mine = [f for f in check["findings"] if f["rule"] == item["rule"]]
        assert item["key"] == f"rule:{item['rule']}"
        assert item["count"] == len(mine) and item["passed"] is (not mine)
        assert set(item["features"]) == {x for f in mine for x in f["features"]}
    assert {f["rule"] for f in check["findings"]} <= {i["rule"] for i in rules}
    assert ("FAILED" in run("inspect", "tiny-court").output) is (not check["meets_standard"])


def test_users_commands(run):
    run("users", "add", "wang", "--role", "planner", "--password", "long-enough")
    run("users", "add", "li", "--role", "manager", input="pw-typed-in\npw-typed-in\n")
    bad = run(
        "users",
        "add",
        "zhao",
        "--role",
        "manager",
        "--password",
        "long-enough",
        "--compound",
        "nowhere",
        code=2,
    )
    assert "no compound with code 'nowhere'" in bad.output
    users = json.loads(run("users", "list", "--json").stdout)
    assert [u["username"] for u in users] == ["li", "wang"]
    token = run("users", "token", "wang").stdout.strip()
    assert len(token) >= 40


def test_actor_option_and_db_on_the_group(run, site_file, db_url):
    run("import-site", str(site_file))
    runner = CliRunner()
    result = runner.invoke(
        cli, ["devices", "--db", db_url, "--actor", "zhang", "retire", "tiny-court", "C2"]
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(run("devices", "show", "tiny-court", "C2", "--json").stdout)
    assert shown["history"][-1]["actor"] == "zhang"


def test_unknown_things_exit_2(run):
    assert "no compound with code 'nope'" in run("devices", "list", "nope", code=2).output
    assert "no problem #99" in run("problems", "show", "99", code=2).output
    assert run("devices", "add", "x", "C1", "--kind", "lamp", code=2)


@pytest.mark.parametrize(
    "argv, named",
    [
        (("problems", "show", str(2**63)), "PROBLEM_ID"),
        (("problems", "update", "99999999999999999999", "--status", "fixed"), "PROBLEM_ID"),
        (("problems", "recheck", str(2**63), "--passed", "--result", "ok"), "PROBLEM_ID"),
        (("problems", "open", "x", "-d", "lamp", "--days", "5000000"), "--days"),
        (("problems", "from-analysis", "x", "--deadline-days", str(2**64)), "--deadline-days"),
    ],
)
def test_numbers_beyond_what_a_row_or_a_calendar_holds_exit_2(run, argv, named):
    """A problem id past 64 bits reached the driver (OverflowError), days past the calendar
    date arithmetic: both tracebacks; now click names the argument (exit 2)."""
    out = run(*argv, code=2).output
    assert named in out and "Traceback" not in out
