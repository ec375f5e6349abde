"""``camwatch district analyze|check|plan``: folder and ledger batches on Dask, resume, errors."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from camwatch.cli import cli
from camwatch.compliance import compound_check
from camwatch.geometry.coverage import analyze
from camwatch.registry.compounds import export_site, list_compounds
from camwatch.registry.db import make_engine, session_scope
from camwatch.registry.models import AnalysisSnapshot, Device
from camwatch.sitefile import load_site
from tests.batch.conftest import SAMPLES


def invoke(*args: str, code: int = 0) -> tuple[str, str]:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == code, (args, result.output, result.exception)
    assert "Traceback" not in result.output + result.stderr
    return result.stdout, result.stderr


def summary(stdout: str) -> dict:
    return json.loads(stdout)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The sample site files and one broken file."""
    out = tmp_path / "sites"
    out.mkdir()
    for path in SAMPLES.glob("*.geojson"):
        shutil.copy(path, out / path.name)
    (out / "broken.json").write_text('{"type": "Feature"}', encoding="utf-8")
    (out / "notes.txt").write_text("not a site", encoding="utf-8")
    return out


def test_folder_batch_writes_each_sites_analysis_and_names_the_broken_file(folder, scheduler):
    stdout, stderr = invoke("district", "analyze", str(folder), "--scheduler", scheduler,
                            "--json", code=1)  # fmt: skip
    out = summary(stdout)
    assert (out["done"], out["failed"], out["skipped"]) == (3, 1, 0)
    assert list(out["failures"]) == ["broken.json"]
    assert "error: broken.json: not a GeoJSON FeatureCollection" in stderr
    results = folder / "camwatch-analyze"
    assert sorted(p.name for p in results.iterdir()) == [
        "broken.analyze.json",
        "modern_gated.analyze.json",
        "old_residential.analyze.json",
        "urban_village.analyze.json",
    ]
    for path in SAMPLES.glob("*.geojson"):
        stored = json.loads((results / f"{path.stem}.analyze.json").read_text(encoding="utf-8"))
        assert stored["site_file"] == path.name and stored["task"] == "analyze"
        assert stored["result"] == json.loads(json.dumps(analyze(load_site(path)).to_dict()))


def test_a_rerun_resumes_only_what_changed(folder, scheduler, tmp_path):
    out_dir = tmp_path / "results"
    invoke("district", "analyze", str(folder), "-o", str(out_dir), "--scheduler", scheduler,
           code=1)  # fmt: skip
    first = {p.name: p.stat().st_mtime_ns for p in out_dir.iterdir()}
    # one site changes: a camera is made planned (not counted)
    site = json.loads((folder / "modern_gated.geojson").read_text(encoding="utf-8"))
    cam = next(f for f in site["features"] if f["properties"]["kind"] == "camera")
    cam["properties"]["status"] = "planned"
    (folder / "modern_gated.geojson").write_text(json.dumps(site), encoding="utf-8")
    stdout, stderr = invoke("district", "analyze", str(folder), "-o", str(out_dir),
                            "--scheduler", scheduler, "--json", code=1)  # fmt: skip
    out = summary(stdout)
    assert (out["done"], out["failed"], out["skipped"]) == (1, 0, 3)
    assert list(out["failures"]) == ["broken.json"]  # still failing, from the first run
    changed = {p.name for p in out_dir.iterdir() if p.stat().st_mtime_ns != first[p.name]}
    assert changed == {"modern_gated.analyze.json"}
    stored = json.loads((out_dir / "modern_gated.analyze.json").read_text(encoding="utf-8"))
    expected = analyze(load_site(folder / "modern_gated.geojson")).to_dict()
    assert stored["result"]["levels"] == json.loads(json.dumps(expected["levels"]))
    # --refresh recomputes everything
    stdout, _ = invoke("district", "analyze", str(folder), "-o", str(out_dir), "--refresh",
                       "--scheduler", scheduler, "--json", code=1)  # fmt: skip
    assert (summary(stdout)["done"], summary(stdout)["skipped"]) == (3, 0)


def _snapshots(url: str, task: str) -> dict[str, AnalysisSnapshot]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        codes = {c.id: c.code for c in list_compounds(session)}
        rows = session.scalars(select(AnalysisSnapshot).where(AnalysisSnapshot.task == task))
        out = {codes[r.compound_id]: r for r in rows}
        session.expunge_all()
    engine.dispose()
    return out


def test_ledger_batch_stores_snapshots_equal_to_analyze_and_check(ledger_url, scheduler):
    stdout, _ = invoke("district", "analyze", "--all", "--db", ledger_url,
                       "--scheduler", scheduler, "--json")  # fmt: skip
    assert (summary(stdout)["done"], summary(stdout)["failed"]) == (3, 0)
    stdout, _ = invoke("district", "check", "--all", "--db", ledger_url,
                       "--scheduler", scheduler, "--json")  # fmt: skip
    assert summary(stdout)["done"] == 3
    analyses, checks = _snapshots(ledger_url, "analyze"), _snapshots(ledger_url, "check")
    engine = make_engine(ledger_url)
    with session_scope(engine) as session:
        for comp in list_compounds(session):
            want = json.loads(json.dumps(analyze(export_site(session, comp.code)).to_dict()))
            assert analyses[comp.code].result == want
            report = compound_check(session, comp.code, today=date.today()).to_dict()
            assert checks[comp.code].result == json.loads(json.dumps(report))
    engine.dispose()


def test_ledger_batch_recomputes_only_the_compound_that_changed(ledger_url, scheduler):
    invoke("district", "analyze", "--all", "--db", ledger_url, "--scheduler", scheduler)
    engine = make_engine(ledger_url)
    with session_scope(engine, actor="tests") as session:
        cameras = session.scalars(select(Device).where(Device.kind == "camera")).all()
        device = next(d for d in cameras if "heading_deg" in d.properties)
        props = dict(device.properties)
        props["heading_deg"] = (float(props["heading_deg"]) + 40.0) % 360.0
        device.properties = props
        moved = device.compound.code
    stdout, _ = invoke("district", "analyze", "--all", "--db", ledger_url,
                       "--scheduler", scheduler, "--json")  # fmt: skip
    assert (summary(stdout)["done"], summary(stdout)["skipped"]) == (1, 2)
    with session_scope(engine) as session:
        counts = dict(
            session.execute(
                select(AnalysisSnapshot.compound_id, func.count()).group_by(
                    AnalysisSnapshot.compound_id
                )
            ).all()
        )
        by_code = {c.code: counts.get(c.id, 0) for c in list_compounds(session)}
        want = analyze(export_site(session, moved)).to_dict()
    engine.dispose()
    assert by_code[moved] == 2 and sorted(by_code.values()) == [1, 1, 2]
    results = [snap.result for snap in _all_snapshots(ledger_url, moved)]
    assert json.loads(json.dumps(want)) in results


def _all_snapshots(url: str, code: str) -> list[AnalysisSnapshot]:
    engine = make_engine(url)
    with session_scope(engine) as session:
        comp = next(c for c in list_compounds(session) if c.code == code)
        rows = list(
            session.scalars(select(AnalysisSnapshot).where(AnalysisSnapshot.compound_id == comp.id))
        )
        session.expunge_all()
    engine.dispose()
    return rows


@pytest.mark.slow
def test_plan_batch_on_a_local_process_cluster(tmp_path):
    """The default path: a LocalCluster of worker processes (``--workers``)."""
    sites = tmp_path / "sites"
    sites.mkdir()
    shutil.copy(SAMPLES / "modern_gated.geojson", sites)
    stdout, _ = invoke("district", "plan", str(sites), "--add", "2", "--time-limit", "5",
                       "--workers", "1", "--json")  # fmt: skip
    out = summary(stdout)
    assert (out["done"], out["failed"], out["workers"]) == (1, 0, 1)
    stored = json.loads(
        (sites / "camwatch-plan" / "modern_gated.plan.json").read_text(encoding="utf-8")
    )
    assert [s["id"] for s in stored["result"]["suggestions"]] == ["P1", "P2"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give a FOLDER of site files or --all"),
        (("--all", "FOLDER"), "give a FOLDER of site files or --all"),
        (("FOLDER", "--district", "x"), "--district goes with --all"),
        (("--all", "-o", "out"), "--output goes with a FOLDER"),
    ],
)
def test_usage_errors_exit_2(args, message, folder):
    argv = [str(folder) if a == "FOLDER" else a for a in args]
    _, stderr = invoke("district", "analyze", *argv, code=2)
    assert message in stderr


def test_plan_needs_add_or_target(folder):
    _, stderr = invoke("district", "plan", str(folder), code=2)
    assert "give exactly one of --add K or --target X" in stderr


def test_an_unknown_profile_is_refused_before_anything_runs(folder):
    _, stderr = invoke("district", "check", str(folder), "--profile", "nope", code=2)
    assert "nope" in stderr
    assert not (folder / "camwatch-check").exists()


def test_the_district_report_reads_current_snapshots(ledger_url, scheduler, tmp_path):
    invoke("district", "analyze", "--all", "--db", ledger_url, "--scheduler", scheduler)
    engine = make_engine(ledger_url)
    with session_scope(engine) as session:
        snap = session.scalars(select(AnalysisSnapshot)).first()
        planted = json.loads(json.dumps(snap.result))
        planted["levels"]["detection"]["ratio"] = 0.123456
        snap.result = planted
        code = next(c.code for c in list_compounds(session) if c.id == snap.compound_id)
    engine.dispose()
    out = tmp_path / "district.csv"
    invoke("district", "report", "-o", str(out), "--db", ledger_url)
    rows = {r.split(",")[1]: r for r in out.read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert ",0.123456," in rows[code]
    assert sum(",0.123456," in r for r in rows.values()) == 1
    # the report computed the checks itself and kept them
    assert sorted(_snapshots(ledger_url, "check")) == sorted(rows)
