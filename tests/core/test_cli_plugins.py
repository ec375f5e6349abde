"""The command line finds its command groups and render layers through entry points."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
from click.testing import CliRunner

import camwatch.cli as cli_module
from camwatch.cli import COMMANDS_GROUP, OVERLAYS_GROUP, cli

SAMPLE = "sample_sites/old_residential.geojson"


def _fake(monkeypatch, group: str, entries: dict[str, str]) -> None:
    real = cli_module.plugins

    def plugins(name: str) -> dict[str, EntryPoint]:
        if name != group:
            return real(name)
        return {n: EntryPoint(n, value, name) for n, value in entries.items()}

    monkeypatch.setattr(cli_module, "plugins", plugins)


def test_installed_entry_points_name_every_group():
    commands = cli_module.plugins(COMMANDS_GROUP)
    expected = {"db", "import-site", "export-site", "compounds", "users", "devices"}
    expected |= {
        "maintenance",
        "problems",
        "inspect",
        "check",
        "plan",
        "suggest",
        "routes",
        "patrol",
    }
    expected |= {"import-dxf", "import-image", "report", "schedule", "export", "district"}
    assert set(commands) == expected
    assert set(cli_module.plugins(OVERLAYS_GROUP)) == {"suggest", "routes", "patrol"}
    homes = ("camwatch.commands.", "camwatch.importers.", "camwatch.report.", "planners.")
    assert all(ep.value.startswith(homes) for ep in commands.values())


def test_a_group_that_cannot_be_loaded_is_a_clear_error(monkeypatch):
    _fake(monkeypatch, COMMANDS_GROUP, {"ghost": "no_such_module.cli:group", "odd": "json:dumps"})
    runner = CliRunner()
    listing = runner.invoke(cli, ["--help"])
    assert listing.exit_code == 0 and "analyze" in listing.output and "ghost" in listing.output
    ghost = runner.invoke(cli, ["ghost", "--anything", "x"])
    assert ghost.exit_code == 2
    assert "'ghost' (no_such_module.cli:group) could not be loaded" in ghost.output
    assert "Traceback" not in ghost.output
    odd = runner.invoke(cli, ["odd"])
    assert odd.exit_code == 2 and "'odd' is not a click command" in odd.output


def test_a_built_in_command_wins_over_an_entry_point(monkeypatch):
    _fake(monkeypatch, COMMANDS_GROUP, {"analyze": "no_such_module:x"})
    result = CliRunner().invoke(cli, ["analyze", SAMPLE, "--json"])
    assert result.exit_code == 0 and '"monitored_area_m2"' in result.output


@pytest.mark.parametrize("flag", ["--routes", "--patrol"])
def test_render_without_the_planners_layers_is_a_usage_error(monkeypatch, tmp_path, flag):
    _fake(monkeypatch, OVERLAYS_GROUP, {})
    out = tmp_path / "plan.png"
    result = CliRunner().invoke(cli, ["render", SAMPLE, "-o", str(out), flag])
    assert result.exit_code == 2
    assert f"{flag}: no such layer is installed" in result.output
    assert not out.exists()


def test_a_missing_layer_is_reported_before_any_work(monkeypatch, tmp_path):
    _fake(monkeypatch, OVERLAYS_GROUP, {"suggest": "planners.render_layers:suggest_layer"})
    out = tmp_path / "plan.png"
    args = ["render", str(tmp_path / "missing.geojson"), "-o", str(out), "--suggest", "--patrol"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2 and "--patrol: no such layer is installed" in result.output
