"""The rule catalogue, profiles and the check itself (docs/standards.md, docs/site-format.md §7).

A **rule** is one function registered with :func:`rule`: it has a stable id
(``GATE-LANE-CAM``), the clause it implements, a default severity and
parameters with defaults, and yields :class:`Draft` findings for a
:class:`~camwatch.standards.context.Context`. A **profile** is data (TOML):
which rules run, at which severity, with which parameters. :func:`check`
runs a profile's rules and returns a :class:`Report` whose
:meth:`Report.to_dict` is the §7 JSON object.

Adding a rule is one function in a rule module plus one test.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from camwatch.errors import UsageError
from camwatch.i18n import Message, msg, term_msg
from camwatch.model import SEVERITIES

RuleFunc = Callable[["Any", Mapping[str, Any]], Iterable["Draft"]]


@dataclass(frozen=True)
class Draft:
    """What a rule reports; the engine adds the rule's id, clause and severity.

    ``severity`` overrides the profile's severity for this finding (e.g.
    PERIM-VIDEO on a beam with no physical barrier is an error). The message
    (``zh``, ``en``) and the suggested fix (``fix`` in English, ``fix_zh`` in
    Chinese) are both bilingual; a rule that gives a fix gives both.
    """

    zh: str
    en: str
    features: tuple[str, ...] = ()
    geometry: BaseGeometry | None = None
    fix: str = ""
    severity: str | None = None
    fix_zh: str = ""


@dataclass(frozen=True)
class Rule:
    id: str
    clause: str
    severity: str
    params: Mapping[str, Any]
    func: RuleFunc
    note: str = ""
    needs_ledger: bool = False


RULES: dict[str, Rule] = {}


def rule(
    rule_id: str,
    *,
    clause: str,
    severity: str,
    params: Mapping[str, Any] | None = None,
    note: str = "",
    needs_ledger: bool = False,
) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule function under ``rule_id`` (ids are stable: they appear in output)."""
    if severity not in SEVERITIES:
        raise ValueError(f"{rule_id}: unknown severity {severity!r}")

    def register(func: RuleFunc) -> RuleFunc:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = Rule(
            rule_id, clause, severity, dict(params or {}), func, note or (func.__doc__ or ""),
            needs_ledger,
        )  # fmt: skip
        return func

    return register


# -- findings ---------------------------------------------------------------------


def geometry_json(geom: BaseGeometry | None) -> dict[str, Any] | None:
    """A GeoJSON geometry with plain lists, coordinates (x, y) rounded to the millimetre
    (``+ 0.0``: no ``-0.0``). Read ring by ring as arrays: a report's uncovered areas have
    thousands of vertices, and a walk of ``mapping``'s nested tuples rounding each number
    took a quarter of the standards rules' time."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type == "GeometryCollection":
        return {"type": geom.geom_type, "geometries": [geometry_json(g) for g in geom.geoms]}
    return {"type": geom.geom_type, "coordinates": _coordinates(geom)}


def _coordinates(geom: BaseGeometry) -> Any:
    kind = geom.geom_type
    if kind == "Point":
        return _rounded(geom)[0]
    if kind in ("LineString", "LinearRing", "MultiPoint"):
        return _rounded(geom)
    if kind == "Polygon":
        return [_rounded(ring) for ring in (geom.exterior, *geom.interiors)]
    return [_coordinates(part) for part in geom.geoms]  # MultiLineString, MultiPolygon


def _rounded(geom: BaseGeometry) -> list[list[float]]:
    # numpy's rounding (of the value times 1000, half to even): a coordinate exactly
    # halfway between two millimetres may go the other way than Python's round() (our
    # decision: either is the millimetre; this is 13× faster on a report's big areas)
    rounded: list[list[float]] = (np.round(shapely.get_coordinates(geom), 3) + 0.0).tolist()
    return rounded


@dataclass(frozen=True)
class Finding:
    rule: str
    clause: str
    severity: str
    message: dict[str, str]
    features: tuple[str, ...]
    geometry: dict[str, Any] | None
    fix: str
    fix_zh: str = ""

    def fix_in(self, lang: str) -> str:
        """The suggested fix in ``lang`` (``zh``; anything else is English)."""
        return self.fix_zh if lang == "zh" else self.fix

    def to_dict(self) -> dict[str, Any]:
        """Keys as docs/site-format.md §7; ``fix`` English, ``fix_zh`` Chinese (docs/standards.md)."""
        return {
            "rule": self.rule,
            "clause": self.clause,
            "severity": self.severity,
            "message": dict(self.message),
            "features": list(self.features),
            "geometry": self.geometry,
            "fix": self.fix,
            "fix_zh": self.fix_zh,
        }


@dataclass(frozen=True)
class Report:
    site: str
    profile: str
    findings: tuple[Finding, ...]
    not_checked: tuple[str, ...] = field(default=())  # rule ids that could not run (text only)

    @property
    def meets_standard(self) -> bool:
        """True when no finding is an error (docs/site-format.md §7)."""
        return not any(f.severity == "error" for f in self.findings)

    def counts(self) -> dict[str, int]:
        return dict(sorted(Counter(f.rule for f in self.findings).items()))

    def to_dict(self) -> dict[str, Any]:
        """The docs/site-format.md §7 JSON object."""
        return {
            "site": self.site,
            "profile": self.profile,
            "meets_standard": self.meets_standard,
            "findings": [f.to_dict() for f in self.findings],
            "counts": self.counts(),
        }


# -- profiles ---------------------------------------------------------------------


@dataclass(frozen=True)
class RuleSetting:
    severity: str
    params: Mapping[str, Any]


@dataclass(frozen=True)
class Profile:
    name: str
    rules: Mapping[str, RuleSetting]
    description: str = ""

    def rule_settings(self) -> dict[str, dict[str, Any]]:
        """Rule id → ``{"severity", "params"}``: what an inspection records of the profile."""
        return {
            rid: {"severity": s.severity, "params": dict(s.params)} for rid, s in self.rules.items()
        }


SHIPPED_PROFILES: tuple[str, ...] = ("national", "shanghai")


def _check_value(where: Message, key: str, default: Any, value: Any) -> Any:
    """A profile parameter must have its default's type (an int is fine for a float)."""
    if isinstance(default, bool) or isinstance(value, bool):
        ok = isinstance(value, bool) and isinstance(default, bool)
    elif isinstance(default, int | float):
        ok = isinstance(value, int | float)
    elif isinstance(default, list):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        raise UsageError(
            msg(
                "%(where)s: %(key)s must be like %(default)s, got %(value)s",
                where=where,
                key=key,
                default=repr(default),
                value=repr(value),
            )
        )
    if isinstance(default, int | float) and not isinstance(default, bool) and value < 0:
        raise UsageError(
            msg(
                "%(where)s: %(key)s must be >= 0, got %(value)s",
                where=where,
                key=key,
                value=repr(value),
            )
        )
    return float(value) if isinstance(default, float) else value


def parse_profile(data: Mapping[str, Any], *, source: str | Message) -> Profile:
    """Validate a decoded profile: known rule ids, known severities and parameters."""
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise UsageError(msg('%(source)s: the profile needs a name = "..."', source=source))
    unknown_top = sorted(set(data) - {"name", "description", "rules"})
    if unknown_top:
        raise UsageError(
            msg("%(source)s: unknown key(s) %(keys)s", source=source, keys=", ".join(unknown_top))
        )
    rules = data.get("rules")
    if not isinstance(rules, Mapping) or not rules:
        raise UsageError(msg("%(source)s: the profile lists no [rules.<ID>] tables", source=source))
    settings: dict[str, RuleSetting] = {}
    for rule_id, table in rules.items():
        where = msg("%(source)s: rules.%(rule)s", source=source, rule=rule_id)
        if rule_id not in RULES:
            raise UsageError(
                msg(
                    "%(source)s: unknown rule id %(rule)s (known: %(known)s)",
                    source=source,
                    rule=repr(rule_id),
                    known=", ".join(sorted(RULES)),
                )
            )
        if not isinstance(table, Mapping):
            raise UsageError(msg("%(where)s must be a table", where=where))
        known = RULES[rule_id]
        severity = table.get("severity", known.severity)
        if severity not in SEVERITIES:
            raise UsageError(
                msg(
                    "%(where)s: unknown severity %(severity)s (expected one of: %(names)s)",
                    where=where,
                    severity=repr(severity),
                    names=", ".join(SEVERITIES),
                )
            )
        params = dict(known.params)
        for key, value in table.items():
            if key == "severity":
                continue
            if key not in known.params:
                names = ", ".join(known.params) or term_msg("list", "none")
                raise UsageError(
                    msg(
                        "%(where)s: unknown parameter %(key)s (parameters: %(names)s)",
                        where=where,
                        key=repr(key),
                        names=names,
                    )
                )
            params[key] = _check_value(where, key, known.params[key], value)
        settings[rule_id] = RuleSetting(severity, params)
    description = data.get("description", "")
    return Profile(name=name, rules=settings, description=str(description))


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by name (``national``, ``shanghai``) or a TOML file by path."""
    text: str
    source = str(name_or_path)
    if isinstance(name_or_path, str) and name_or_path in SHIPPED_PROFILES:
        text = (
            resources.files("camwatch.standards")
            .joinpath(f"{name_or_path}.toml")
            .read_text(encoding="utf-8")
        )
    else:
        path = Path(name_or_path)
        if not path.is_file():
            raise UsageError(
                msg(
                    "profile %(source)s: neither a shipped profile (%(names)s) nor a TOML file",
                    source=repr(source),
                    names=", ".join(SHIPPED_PROFILES),
                )
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(
                msg("profile %(source)s: cannot read (%(detail)s)", source=source, detail=str(exc))
            ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(
            msg("profile %(source)s: not valid TOML (%(detail)s)", source=source, detail=str(exc))
        ) from None
    return parse_profile(data, source=msg("profile %(source)s", source=source))


# -- running -----------------------------------------------------------------------


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


def run_rules(ctx: Any, profile: Profile, *, site_id: str) -> Report:
    """Run the profile's rules on a context; findings sorted by severity, rule, features."""
    findings: list[Finding] = []
    skipped: list[str] = []
    for rule_id, setting in profile.rules.items():
        known = RULES[rule_id]
        if known.needs_ledger and not ctx.has_ledger:
            skipped.append(rule_id)
            continue
        for draft in known.func(ctx, setting.params):
            findings.append(
                Finding(
                    rule=rule_id,
                    clause=known.clause,
                    severity=draft.severity or setting.severity,
                    message={"zh": draft.zh, "en": draft.en},
                    features=tuple(draft.features),
                    geometry=geometry_json(draft.geometry),
                    fix=draft.fix,
                    fix_zh=draft.fix_zh,
                )
            )
    order = list(profile.rules)
    findings.sort(key=lambda f: (severity_rank(f.severity), order.index(f.rule), f.features))
    return Report(site_id, profile.name, tuple(findings), tuple(skipped))
