"""`camwatch render --suggest --routes --patrol` draws the planners' overlays on the plan."""

from __future__ import annotations

from click.testing import CliRunner

from camwatch.cli import cli

SAMPLE = "sample_sites/old_residential.geojson"


def _png_size(path) -> int:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return len(data)


def test_overlays_change_the_picture(tmp_path):
    plain, layered = tmp_path / "plain.png", tmp_path / "layered.png"
    runner = CliRunner()
    assert runner.invoke(cli, ["render", SAMPLE, "-o", str(plain), "--lang", "en"]).exit_code == 0
    result = runner.invoke(
        cli,
        ["render", SAMPLE, "-o", str(layered), "--lang", "en", "--suggest", "--routes", "--patrol"],
    )
    assert result.exit_code == 0, result.output
    assert _png_size(layered) != _png_size(plain)
