"""The compound's heights settings on the web (docs/web.md, "Heights").

A planner sets the compound's coverage model (ground or standing), the target
height per DORI level and the maximum depression per level
(docs/site-format.md §4) on ``/compounds/<id>/settings`` — an HTML form or a
JSON body loaded by :class:`web.api.schemas.CompoundSettings`. Both check each
value with the one validator of :mod:`camwatch.properties` (the form words
the error in the page's language, next to the field), and the ledger checks
the whole site again with the site loader before it writes
(:func:`camwatch.registry.settings.update_settings`).

Form fields: ``coverage_model`` (empty: the site format's default),
``target_height_m.<level>`` and ``max_depression_deg.<level>`` (empty: that
level's default). Four equal target heights are stored as one number, as a
site file would say it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

from camwatch.errors import CamwatchError, SiteFormatError, ValueRangeError
from camwatch.model import (
    COVERAGE_MODELS,
    DEFAULT_MAX_DEPRESSION_DEG,
    DEFAULT_TARGET_HEIGHT_M,
    LEVELS,
)
from camwatch.properties import MAX_DEPRESSION, TARGET_HEIGHT, Property
from camwatch.registry.codec import SETTINGS_KEYS
from web.errors import FieldError
from web.i18n import gettext as _
from web.messages import PROPERTY_LABELS, range_text
from web.templating import LEVEL_LABELS

MODEL_LABELS = {"ground": _l("Ground model"), "standing": _l("Standing-person model")}


class SettingsFormError(ValueError):
    """Bad values in the settings form: ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def field_error(exc: CamwatchError) -> CamwatchError:
    """A loader error about one of the settings as a :class:`FieldError` naming it (400 with
    ``error.field``); other errors as they are."""
    text = str(exc).removeprefix("site: ")
    if isinstance(exc, SiteFormatError):
        for key in SETTINGS_KEYS:
            if text.startswith(key):
                return FieldError(key, text)
    return exc


def _number(raw: str, prop: Property, level: str) -> float:
    """One form value checked by ``prop`` (a message in the page's language otherwise)."""
    try:
        value = float(raw.replace(",", "."))
    except ValueError:
        named = f"{PROPERTY_LABELS[prop.name]} {prop.name}"
        raise ValueError(
            _(
                "%(level)s: %(prop)s must be a number, got %(value)s",
                level=LEVEL_LABELS[level],
                prop=named,
                value=repr(raw[:40]),
            )
        ) from None
    try:
        return prop.check(value)
    except ValueRangeError as exc:
        text = range_text(exc, with_who=False)
        raise ValueError(_("%(who)s: %(text)s", who=LEVEL_LABELS[level], text=text)) from None


def _per_level(form: Mapping[str, str], prop: Property, errors: dict[str, str]) -> dict[str, float]:
    out: dict[str, float] = {}
    for level in LEVELS:
        name = f"{prop.name}.{level}"
        raw = (form.get(name) or "").strip()
        if not raw:
            continue
        try:
            out[level] = _number(raw, prop, level)
        except ValueError as exc:
            errors[name] = str(exc)
    return out


def settings_from_form(form: Mapping[str, str]) -> dict[str, Any]:
    """The form's values as ``update_settings`` takes them; :class:`SettingsFormError` else."""
    errors: dict[str, str] = {}
    model = (form.get("coverage_model") or "").strip() or None
    if model is not None and model not in COVERAGE_MODELS:
        errors["coverage_model"] = _(
            "coverage model must be one of %(choices)s, got %(value)s",
            choices=", ".join(str(MODEL_LABELS[m]) for m in COVERAGE_MODELS),
            value=repr(model[:40]),
        )
    targets = _per_level(form, TARGET_HEIGHT, errors)
    depressions = _per_level(form, MAX_DEPRESSION, errors)
    if errors:
        raise SettingsFormError(errors)
    target: float | dict[str, float] | None = targets or None
    if len(targets) == len(LEVELS) and len(set(targets.values())) == 1:
        target = targets[LEVELS[0]]
    return {
        "coverage_model": model,
        "target_height_m": target,
        "max_depression_deg": depressions or None,
    }


def form_values(settings: Mapping[str, Any]) -> dict[str, str]:
    """The stored settings as the form's field values (empty: the default)."""
    out = {"coverage_model": settings.get("coverage_model") or ""}
    target = settings.get("target_height_m")
    depressions = settings.get("max_depression_deg") or {}
    for level in LEVELS:
        value = target.get(level) if isinstance(target, dict) else target
        out[f"target_height_m.{level}"] = "" if value is None else f"{value:g}"
        given = depressions.get(level)
        out[f"max_depression_deg.{level}"] = "" if given is None else f"{given:g}"
    return out


def defaults() -> dict[str, str]:
    """What an empty field means, per field (shown as the placeholder)."""
    out: dict[str, str] = {}
    for level in LEVELS:
        out[f"target_height_m.{level}"] = f"{DEFAULT_TARGET_HEIGHT_M:g}"
        limit = DEFAULT_MAX_DEPRESSION_DEG.get(level)
        out[f"max_depression_deg.{level}"] = "" if limit is None else f"{limit:g}"
    return out
