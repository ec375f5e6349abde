"""A compound's heights settings (docs/site-format.md §4; docs/registry.md, "Heights").

``coverage_model`` (``ground``/``standing``), ``target_height_m`` (a number for
every level or ``{level: metres}``) and ``max_depression_deg``
(``{level: degrees}``) are columns of the compound; ``None`` means the site
format's default. :func:`update_settings` checks new values with the site
loader — the compound's whole site with the new ``site`` member, so the ranges
and messages are exactly those of a site file (:mod:`camwatch.properties`) —
and stores the loader's normal form, or raises and writes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from camwatch.registry.audit import set_actor
from camwatch.registry.codec import SETTINGS_KEYS, plan_site_member, state_of, validate_devices
from camwatch.registry.compounds import expect_version, settings_of
from camwatch.registry.models import Compound


class _Proposed:
    """The compound's identity with proposed settings (for :func:`plan_site_member`)."""

    def __init__(self, compound: Compound, values: dict[str, Any]) -> None:
        for key in ("code", "name", "district", "address", "georef"):
            setattr(self, key, getattr(compound, key))
        for key in SETTINGS_KEYS:
            setattr(self, key, values[key])


def current_settings(compound: Compound) -> dict[str, Any]:
    """The compound's heights settings as stored (None: the default)."""
    return {key: copy.deepcopy(getattr(compound, key)) for key in SETTINGS_KEYS}


def change_settings(
    session: Session,
    compound: Compound,
    changes: Mapping[str, Any],
    *,
    expected_version: int | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """:func:`update_settings` with only the settings members of ``changes``: a member left
    out stays as it is (other keys, e.g. ``version``, are ignored)."""
    values = current_settings(compound)
    values.update((k, v) for k, v in changes.items() if k in values)
    return update_settings(
        session, compound, **values, expected_version=expected_version, actor=actor
    )


def update_settings(
    session: Session,
    compound: Compound,
    *,
    coverage_model: str | None,
    target_height_m: float | dict[str, float] | None,
    max_depression_deg: dict[str, float] | None,
    expected_version: int | None = None,
    actor: str | None = None,
) -> dict[str, Any]:
    """Set the compound's heights settings; return what changed (``{key: [before, after]}``).

    Checked by the site loader before anything is written (a
    :class:`~camwatch.errors.SiteFormatError` naming the member otherwise).
    ``expected_version``, when given, must be the compound's current version
    (:class:`StaleEditError` otherwise, nothing written).
    """
    set_actor(session, actor)
    if expected_version is not None:
        expect_version(compound, expected_version)
    proposed = {
        "coverage_model": coverage_model,
        "target_height_m": target_height_m,
        "max_depression_deg": max_depression_deg,
    }
    site, _ = validate_devices(
        compound.plan_json,
        plan_site_member(compound.plan_json, _Proposed(compound, proposed)),
        [state_of(d) for d in compound.devices],
    )
    normal = settings_of(site)
    changes = {
        key: [getattr(compound, key), normal[key]]
        for key in SETTINGS_KEYS
        if getattr(compound, key) != normal[key]
    }
    for key in changes:
        setattr(compound, key, copy.deepcopy(normal[key]))
    if changes:
        session.flush()
    return changes
