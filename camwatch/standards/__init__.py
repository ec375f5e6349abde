"""Standards checks: does a compound meet the standard, clause by clause (docs/standards.md).

Rules are code (one function each, registered in :mod:`camwatch.standards.engine`
by the rule modules imported here); profiles are data (``national.toml`` and
``shanghai.toml`` ship with the package; a user may pass a path to a copy).
:func:`check` gives a :class:`Report` whose ``to_dict()`` is the
docs/site-format.md §7 JSON object.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from camwatch.model import Site
from camwatch.standards import areas, equipment, gates, perimeter  # noqa: F401 - registers rules
from camwatch.standards.context import Context, DeviceHealth
from camwatch.standards.engine import (
    RULES,
    SHIPPED_PROFILES,
    Draft,
    Finding,
    Profile,
    Report,
    Rule,
    load_profile,
    parse_profile,
    rule,
    run_rules,
)
from camwatch.standards.verdict import meets_standard

__all__ = [
    "RULES",
    "SHIPPED_PROFILES",
    "Context",
    "DeviceHealth",
    "Draft",
    "Finding",
    "Profile",
    "Report",
    "Rule",
    "check",
    "load_profile",
    "meets_standard",
    "parse_profile",
    "rule",
]


def check(
    site: Site,
    profile: Profile | str | Path | None = None,
    *,
    include_planned: bool = False,
    devices: list[DeviceHealth] | None = None,
    today: date | None = None,
) -> Report:
    """Check ``site`` against ``profile`` (default: the profile the site names).

    ``devices`` are ledger facts (DEVICE-HEALTH runs only when they are given).
    """
    if profile is None:
        profile = site.info.rule_profile
    if not isinstance(profile, Profile):
        profile = load_profile(profile)
    ctx = Context(
        site,
        include_planned=include_planned,
        devices=devices,
        today=today,
        active_rules=tuple(profile.rules),
    )
    return run_rules(ctx, profile, site_id=site.id)
