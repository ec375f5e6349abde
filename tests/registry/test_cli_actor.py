"""Who the CLI records as the actor of a change (docs/registry.md "CLI summary")."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from camwatch.cli import cli

from .sites import tiny_site


def _retire_and_read_actor(db_url: str, tmp_path, *extra: str) -> str:
    site = tmp_path / "tiny-court.geojson"
    site.write_text(json.dumps(tiny_site()), encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["import-site", str(site), "--db", db_url])
    assert done.exit_code == 0, done.output
    retire = ["devices", "--db", db_url, *extra, "retire", "tiny-court", "C2"]
    done = runner.invoke(cli, retire)
    assert done.exit_code == 0, done.output
    shown = runner.invoke(cli, ["devices", "show", "tiny-court", "C2", "--json", "--db", db_url])
    return json.loads(shown.stdout)["history"][-1]["actor"]


@pytest.mark.parametrize("os_user", ["root", "nobody", ""])
def test_a_shared_os_account_is_recorded_as_cli(db_url, tmp_path, monkeypatch, os_user):
    monkeypatch.delenv("CAMWATCH_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: os_user)
    assert _retire_and_read_actor(db_url, tmp_path) == "cli"


def test_an_os_user_that_fails_is_recorded_as_cli(db_url, tmp_path, monkeypatch):
    def no_user() -> str:
        raise OSError("no user")

    monkeypatch.delenv("CAMWATCH_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", no_user)
    assert _retire_and_read_actor(db_url, tmp_path) == "cli"


def test_a_personal_os_user_is_recorded(db_url, tmp_path, monkeypatch):
    monkeypatch.delenv("CAMWATCH_USER", raising=False)
    monkeypatch.setattr("getpass.getuser", lambda: "wangwei")
    assert _retire_and_read_actor(db_url, tmp_path) == "wangwei"


def test_camwatch_user_and_actor_win_over_root(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    monkeypatch.setenv("CAMWATCH_USER", "li")
    assert _retire_and_read_actor(db_url, tmp_path) == "li"


def test_actor_option_wins_over_everything(db_url, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "root")
    monkeypatch.setenv("CAMWATCH_USER", "li")
    assert _retire_and_read_actor(db_url, tmp_path, "--actor", "zhang") == "zhang"
