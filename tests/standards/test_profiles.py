"""Profiles are data: shipped TOML files, user files, and clear errors."""

from __future__ import annotations

import pytest

from camwatch.errors import UsageError
from camwatch.standards import RULES, SHIPPED_PROFILES, load_profile


@pytest.mark.parametrize("name", SHIPPED_PROFILES)
def test_shipped_profiles_list_every_rule(name):
    profile = load_profile(name)
    assert profile.name == name
    assert set(profile.rules) == set(RULES)


def test_a_user_profile_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\n[rules.RETENTION]\nseverity = "warning"\nmin_days = 90\n', encoding="utf-8"
    )
    profile = load_profile(str(path))
    assert profile.name == "mine" and list(profile.rules) == ["RETENTION"]
    assert profile.rules["RETENTION"].params == {"min_days": 90}
    assert profile.rules["RETENTION"].severity == "warning"


@pytest.mark.parametrize(
    "text, message",
    [
        ('name = "x"\n[rules.NO-SUCH-RULE]\n', "unknown rule id 'NO-SUCH-RULE'"),
        ('name = "x"\n[rules.RETENTION\n', "not valid TOML"),
        ('name = "x"\n[rules.RETENTION]\nseverity = "fatal"\n', "unknown severity 'fatal'"),
        ('name = "x"\n[rules.RETENTION]\nmax_days = 3\n', "unknown parameter 'max_days'"),
        ('name = "x"\n[rules.RETENTION]\nmin_days = "thirty"\n', "min_days must be like 30"),
        ('name = "x"\n[rules.RETENTION]\nmin_days = -1\n', "min_days must be >= 0"),
        ("[rules.RETENTION]\n", "needs a name"),
        ('name = "x"\n', "lists no [rules.<ID>] tables"),
        ('name = "x"\nrule = 1\n[rules.RETENTION]\n', "unknown key(s) rule"),
        ("", "needs a name"),
    ],
)
def test_bad_profiles_are_clear_errors(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError) as err:
        load_profile(str(path))
    assert message in str(err.value)


def test_an_unknown_profile_name_is_a_clear_error():
    with pytest.raises(UsageError, match="neither a shipped profile"):
        load_profile("atlantis")
