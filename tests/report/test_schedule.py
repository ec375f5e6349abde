"""The camera schedule: CSV that re-imports through the ledger, XLSX, per-model costs."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from click.testing import CliRunner

from camwatch.cli import cli
from camwatch.geometry.optics import dori_distance
from camwatch.registry.csv_rows import CSV_COLUMNS
from camwatch.report.schedule import load_prices, model_lines, schedule_rows
from camwatch.sitefile import load_site
from tests.report.conftest import SAMPLES

DEVICE_KINDS = ("camera", "gate", "alarm", "intercom")


def _empty_copy(src, tmp_path, new_id):
    """The sample's plan under a new id, with no devices (a compound to import into)."""
    data = json.loads(src.read_text(encoding="utf-8"))
    data["site"]["id"] = new_id
    data["features"] = [f for f in data["features"] if f["properties"]["kind"] not in DEVICE_KINDS]
    path = tmp_path / f"{new_id}.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def _devices(db, code):
    out = CliRunner().invoke(cli, ["devices", "list", code, "--json", "--db", db])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def _comparable(device):
    """What the import's columns carry (extras such as a sample's 'installed' note are not)."""
    d = dict(device)
    for key in ("id", "version", "compound", "created_at", "updated_at", "status_changed_at"):
        d.pop(key, None)
    d["properties"] = {k: v for k, v in d["properties"].items() if k in CSV_COLUMNS}
    return d


@pytest.mark.parametrize("sample", ["old_residential", "modern_gated"])
def test_csv_round_trip_through_the_ledger_import(ledger_url, tmp_path, sample):
    site = load_site(SAMPLES / f"{sample}.geojson")
    runner = CliRunner()
    out = tmp_path / "schedule.csv"
    res = runner.invoke(cli, ["schedule", site.id, "-o", str(out), "--db", ledger_url])
    assert res.exit_code == 0, res.output
    copy = _empty_copy(SAMPLES / f"{sample}.geojson", tmp_path, f"{site.id}-copy")
    assert runner.invoke(cli, ["import-site", str(copy), "--db", ledger_url]).exit_code == 0
    text = out.read_text(encoding="utf-8-sig").replace(f"{site.id},", f"{site.id}-copy,")
    (tmp_path / "copy.csv").write_text(text, encoding="utf-8")
    res = runner.invoke(
        cli, ["devices", "import-csv", str(tmp_path / "copy.csv"), "--db", ledger_url]
    )
    assert res.exit_code == 0, res.output
    before = sorted(
        (_comparable(d) for d in _devices(ledger_url, site.id)), key=lambda d: d["code"]
    )
    after = sorted(
        (_comparable(d) for d in _devices(ledger_url, f"{site.id}-copy")), key=lambda d: d["code"]
    )
    assert len(after) == len(before) > 0
    assert after == before


def test_site_file_csv_imports_with_a_compound_option(ledger_url, tmp_path):
    src = SAMPLES / "urban_village.geojson"
    runner = CliRunner()
    out = tmp_path / "s.csv"
    assert runner.invoke(cli, ["schedule", str(src), "-o", str(out)]).exit_code == 0
    copy = _empty_copy(src, tmp_path, "village-copy")
    assert runner.invoke(cli, ["import-site", str(copy), "--db", ledger_url]).exit_code == 0
    res = runner.invoke(
        cli, ["devices", "import-csv", str(out), "--compound", "village-copy", "--db", ledger_url]
    )
    assert res.exit_code == 0, res.output
    site = load_site(src)
    n = len(site.cameras) + len(site.gates) + len(site.alarms) + len(site.intercoms)
    assert len(_devices(ledger_url, "village-copy")) == n


def test_rows_carry_dori_distances_and_ledger_dates(ledger_url, tmp_path):
    runner = CliRunner()
    res = runner.invoke(
        cli,
        ["maintenance", "log", "xingfu-li", "C01", "--kind", "cleaning", "--date", "2026-03-04",
         "--technician", "王", "--db", ledger_url],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    out = tmp_path / "s.csv"
    assert (
        runner.invoke(cli, ["schedule", "xingfu-li", "-o", str(out), "--db", ledger_url]).exit_code
        == 0
    )
    rows = {r["code"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig")))}
    assert rows["C01"]["last_maintenance"] == "2026-03-04"
    assert rows["C01"]["compound"] == "xingfu-li"
    cam = load_site(SAMPLES / "old_residential.geojson").camera("C01")
    for level in ("detection", "identification"):
        assert float(rows["C01"][f"dori_{level}_m"]) == pytest.approx(
            dori_distance(cam, level), abs=0.05
        )
    # hand check of the formula for the first camera: W / (2 · 25 px/m · tan(α/2))
    alpha = (
        2 * math.atan(cam.sensor_width_mm / (2 * cam.focal_mm))
        if cam.focal_mm
        else math.radians(cam.hfov)
    )
    assert float(rows["C01"]["dori_detection_m"]) == pytest.approx(
        cam.resolution[0] / (50 * math.tan(alpha / 2)), abs=0.05
    )


def test_xlsx_has_the_rows_and_priced_models(tmp_path):
    from openpyxl import load_workbook

    src = SAMPLES / "modern_gated.geojson"
    site = load_site(src)
    models = sorted({c.model for c in site.cameras if c.model})
    prices = tmp_path / "prices.csv"
    prices.write_text(
        "model,unit_price\n" + "".join(f"{m},{100 + i}\n" for i, m in enumerate(models))
    )
    out = tmp_path / "s.xlsx"
    res = CliRunner().invoke(cli, ["schedule", str(src), "-o", str(out), "--prices", str(prices)])
    assert res.exit_code == 0, res.output
    book = load_workbook(out)
    sheet, summary = book.worksheets
    n = len(site.cameras) + len(site.gates) + len(site.alarms) + len(site.intercoms)
    assert sheet.max_row == n + 1
    assert sheet.cell(1, 3).value == "编号"
    totals = [r for r in summary.iter_rows(values_only=True) if r[0] == "合计"]
    expected = sum((100 + models.index(c.model)) for c in site.cameras if c.model in models)
    assert totals and totals[0][4] == pytest.approx(expected)
    assert f"{expected:,.2f}" in res.stdout


def test_model_lines_count_and_price():
    rows = schedule_rows(load_site(SAMPLES / "old_residential.geojson"))
    lines = model_lines(rows, {"DS-2CD2T47G2-L": 10.0})
    assert sum(line.count for line in lines) == len(rows)
    priced = [line for line in lines if line.unit_price is not None]
    assert priced and all(line.cost == 10.0 * line.count for line in priced)
    assert model_lines([], None) == []


@pytest.mark.parametrize(
    "text, message",
    [
        ("model,price\nA,1\n", "needs a header"),
        ("model,unit_price\nA,-1\n", "line 2"),
        ("model,unit_price\nA,abc\n", "line 2"),
        ("model,unit_price\nA,1\nA,2\n", "priced twice"),
    ],
)
def test_bad_price_tables_are_refused(tmp_path, text, message):
    from camwatch.errors import UsageError

    path = tmp_path / "p.csv"
    path.write_text(text)
    with pytest.raises(UsageError, match=message):
        load_prices(path)
