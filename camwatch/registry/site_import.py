"""Site files into the ledger: ``import_site`` and ``update_plan``.

``import_site`` turns a validated :class:`~camwatch.model.Site` into a
compound (its plan = every non-device feature, kept in the site format) and
its devices (one row per camera, gate, alarm, intercom).  Re-importing updates
the compound and its devices *by device code* and returns the diff; devices
of the compound that are not in the file are retired (never deleted) unless
``keep_missing`` is set.  Gates, alarms and intercoms without an ``id`` get
the code ``<kind>-<n>`` (n = their 1-based position among that kind in the
file, skipping codes already used), so re-importing the same file matches
them again.  ``dry_run`` computes the same diff and validation and writes
nothing. ``update_plan`` replaces a compound's plan features (the web's plan
editor). The way back, the ledger as a site file, is
:func:`camwatch.registry.compounds.export_site`.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import UsageError, kind_word
from camwatch.i18n import Message, Said, msg
from camwatch.ladders import require_dori
from camwatch.model import DEVICE_KINDS, Site
from camwatch.registry.audit import set_actor
from camwatch.registry.codec import (
    SETTINGS_KEYS,
    STATE_FIELDS,
    DeviceState,
    check_code,
    plan_site_member,
    state_from_feature,
    state_of,
    validate_devices,
)
from camwatch.registry.compounds import apply_state, expect_version, settings_of
from camwatch.registry.models import Compound, Device, utcnow
from camwatch.sitefile import site_to_geojson

_IDENTITY_KEYS = ("id", "name", "district", "address", "georef", *SETTINGS_KEYS)
_COMPOUND_FIELDS = ("name", "district", "address", "georef", "target_standard", *SETTINGS_KEYS)


@dataclass
class ImportDiff:
    """What an import changed (or, for a dry run, would change)."""

    compound: str
    created: bool = False
    dry_run: bool = False
    compound_changes: dict[str, list[Any]] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    updated: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    retired: list[str] = field(default_factory=list)
    # devices it retires that were added or changed since the compound was last imported, and
    # how (English in the JSON; worded for a reader)
    retired_changed: dict[str, Said] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created or self.compound_changes or self.added or self.updated or self.retired
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "compound": self.compound,
            "created": self.created,
            "dry_run": self.dry_run,
            "compound_changes": _jsonable(self.compound_changes),
            "added": list(self.added),
            "updated": _jsonable(self.updated),
            "retired": list(self.retired),
            "retired_changed": dict(self.retired_changed),
            "unchanged": len(self.unchanged),
        }


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def split_site(site: Site) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(plan FeatureCollection without devices, device features in file order)."""
    collection = site_to_geojson(site)
    plan = {k: v for k, v in collection.items() if k != "features"}
    # identity and heights settings live in the compound's columns; the plan keeps units
    # and extra members
    plan["site"] = {k: v for k, v in collection["site"].items() if k not in _IDENTITY_KEYS}
    plan["features"] = [
        f for f in collection["features"] if f["properties"]["kind"] not in DEVICE_KINDS
    ]
    devices = [f for f in collection["features"] if f["properties"]["kind"] in DEVICE_KINDS]
    return plan, devices


def _states_from_site(
    device_features: list[dict[str, Any]], indexes: list[int | None]
) -> list[DeviceState]:
    """Device states of the features; ``indexes`` are their positions in the file (messages)."""
    explicit = {
        str(f["properties"]["id"]) for f in device_features if f["properties"].get("id") is not None
    }
    counters: Counter[str] = Counter()
    states: list[DeviceState] = []
    for offset, feature in enumerate(device_features):
        kind = feature["properties"]["kind"]
        counters[kind] += 1
        code = None
        if feature["properties"].get("id") is None:
            n = counters[kind]
            code = f"{kind}-{n}"
            while code in explicit:
                n += 1
                code = f"{kind}-{n}"
            explicit.add(code)
        states.append(state_from_feature(feature, index=indexes[offset], code=code))
    return states


def _field_changes(old: DeviceState, new: DeviceState) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for key in STATE_FIELDS:
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            changes[key] = [before, after]
    for key in sorted(set(old.properties) | set(new.properties)):
        before, after = old.properties.get(key), new.properties.get(key)
        if before != after:
            changes[f"properties.{key}"] = [before, after]
    if old.kind != new.kind:
        changes["kind"] = [old.kind, new.kind]
    return changes


def import_site(
    session: Session,
    site: Site,
    *,
    actor: str | None = None,
    code: str | None = None,
    dry_run: bool = False,
    keep_missing: bool = False,
    target_standard: str | None = None,
    force: bool = True,
) -> ImportDiff:
    """Create or update the compound ``code`` (default ``site.id``) from ``site``; return the diff.

    The site must already be valid (``load_site``/``parse_site`` made it).
    Everything is checked before anything is written; with ``dry_run`` nothing is.
    ``diff.retired_changed`` names the devices it would retire that were added or
    changed since the compound was last imported; with ``force=False`` such an
    import is refused (:class:`RetiresChangedDevices`, nothing written) — see
    docs/registry.md, "import-site / export-site".
    """
    # the ledger's summaries, checklists, district report and web map speak DORI levels
    require_dori(site.info.ladder, msg("the ledger (import-site)"))
    set_actor(session, actor)
    compound_code = check_code(code or site.id, kind="compound")
    plan, device_features = split_site(site)
    georef = site.info.extra.get("georef")
    if georef is not None and not isinstance(georef, dict):
        raise UsageError(msg("site.georef must be an object, got %(value)s", value=repr(georef)))
    devices_in_file: tuple[Any, ...] = (*site.cameras, *site.gates, *site.alarms, *site.intercoms)
    incoming = _states_from_site(device_features, [d.index for d in devices_in_file])

    compound = session.scalar(select(Compound).where(Compound.code == compound_code))
    diff = ImportDiff(compound=compound_code, created=compound is None, dry_run=dry_run)
    wanted = {
        "name": site.info.name,
        "district": site.info.district,
        "address": site.info.address,
        "georef": georef,
        **settings_of(site),
        "target_standard": target_standard
        if target_standard is not None
        else (compound.target_standard if compound else None),
    }
    existing: dict[str, Device] = {}
    if compound is not None:
        existing = {d.code: d for d in compound.devices}
        for key in _COMPOUND_FIELDS:
            if getattr(compound, key) != wanted[key]:
                diff.compound_changes[key] = [getattr(compound, key), wanted[key]]
        if compound.plan_json != plan:
            diff.compound_changes["plan"] = [
                _plan_summary(compound.plan_json),
                _plan_summary(plan),
            ]

    # the final device list: file devices, then kept devices missing from the file
    final: list[DeviceState] = []
    for state, feature in zip(incoming, device_features, strict=True):
        old = existing.get(state.code)
        if old is not None and state.kind != "camera" and "status" not in feature["properties"]:
            # the file says nothing about a gate's/alarm's/intercom's status: keep the ledger's
            state = replace(state, status=old.status if old.status != "retired" else "active")
        final.append(state)
    in_file = {s.code for s in incoming}
    missing = [d for code_, d in existing.items() if code_ not in in_file]
    for device in missing:
        if device.status == "retired":
            continue
        kept = state_of(device)
        final.append(kept if keep_missing else replace(kept, status="retired"))

    pseudo = _PseudoCompound(compound_code, wanted)
    _site, normal = validate_devices(plan, plan_site_member(plan, pseudo), final)

    for state in normal:
        old = existing.get(state.code)
        if old is None:
            diff.added.append(state.code)
        elif state.status == "retired" and old.status != "retired":
            diff.retired.append(state.code)
        else:
            changes = _field_changes(state_of(old), state)
            if changes:
                diff.updated[state.code] = changes
            else:
                diff.unchanged.append(state.code)

    reasons: dict[str, Message] = {}
    if compound is not None and diff.retired:
        reasons = _changed_since_import(session, compound, diff.retired)
        diff.retired_changed = {code: Said(why) for code, why in reasons.items()}
    if dry_run:
        return diff
    if diff.retired_changed and not force:
        raise RetiresChangedDevices(diff, reasons)
    if compound is None:
        compound = Compound(code=compound_code, plan_json=plan, **wanted)
        session.add(compound)
    else:
        for key in _COMPOUND_FIELDS:
            if key in diff.compound_changes:
                setattr(compound, key, copy.deepcopy(wanted[key]))
        if "plan" in diff.compound_changes:
            compound.plan_json = plan
    for state in normal:
        old = existing.get(state.code)
        if old is None:
            compound.devices.append(Device(**state.fields()))
        elif state.code in diff.updated or state.code in diff.retired:
            apply_state(old, state)
    session.flush()
    if diff.changed:  # after the flush, so the devices' updated_at are not later than this
        compound.imported_at = utcnow()
        session.flush()
    return diff


class RetiresChangedDevices(UsageError):
    """An import would retire devices added or changed since the last import."""

    def __init__(
        self, diff: ImportDiff, reasons: Mapping[str, Message | str] | None = None
    ) -> None:
        """``reasons``: why each device counts as changed (default: ``diff.retired_changed``)."""
        why_of = reasons if reasons is not None else diff.retired_changed
        listed: Message | str = ""
        for code, why in why_of.items():
            item = msg("%(code)s (%(why)s)", code=code, why=why)
            listed = msg("%(list)s; %(item)s", list=listed, item=item) if listed else item
        super().__init__(
            msg(
                "this import would retire %(n)s device(s) not in the file, "
                "%(changed)s of them added or changed since compound "
                "%(compound)s was last imported: %(listed)s. Nothing was written; "
                "add them to the file, use --keep-missing, or --force to retire them",
                n=len(diff.retired),
                changed=len(why_of),
                compound=repr(diff.compound),
                listed=listed,
            )
        )
        self.diff = diff


def _stamp(moment: Any) -> str:
    """A time as the import refusal names it (``2026-05-04 09:30``)."""
    return str(moment.strftime("%Y-%m-%d %H:%M"))


def _changed_since_import(
    session: Session, compound: Compound, codes: list[str]
) -> dict[str, Message]:
    """Which of these devices were added, edited or maintained after the last import, and how."""
    since = compound.imported_at or compound.created_at
    devices = {d.code: d for d in compound.devices}
    out: dict[str, Message] = {}
    for code in codes:
        device = devices[code]
        latest_log = max((r.created_at for r in device.maintenance), default=None)
        if device.created_at > since:
            out[code] = msg("added %(when)s", when=_stamp(device.created_at))
        elif latest_log is not None and latest_log > since:
            out[code] = msg("maintenance logged %(when)s", when=_stamp(latest_log))
        elif device.updated_at > since:
            out[code] = msg("changed %(when)s", when=_stamp(device.updated_at))
    return out


class _PseudoCompound:
    """Enough of a Compound for :func:`plan_site_member` before the row exists."""

    def __init__(self, code: str, values: dict[str, Any]) -> None:
        self.code = code
        self.name = values["name"]
        self.district = values["district"]
        self.address = values["address"]
        self.georef = values["georef"]
        for key in SETTINGS_KEYS:
            setattr(self, key, values[key])


def _plan_summary(plan: dict[str, Any]) -> str:
    kinds = Counter(f.get("properties", {}).get("kind") for f in plan.get("features") or [])
    return ", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda kv: str(kv[0])))


def update_plan(
    session: Session,
    compound: Compound,
    features: Sequence[dict[str, Any]],
    *,
    expected_version: int,
    actor: str | None = None,
) -> Site:
    """Replace the compound's plan features (every non-device feature); return the new site.

    The full site — the new plan plus the compound's live devices — is checked
    with the site loader before anything changes, so an edit that would put a
    camera inside a new building is refused like a bad site file. Feature
    numbers in messages are positions in ``features`` (the plan comes first).
    ``expected_version`` is the compound ``version`` the editor loaded; a
    different current version raises :class:`StaleEditError` and nothing is
    written. The audit trail records the change (session events).
    """
    set_actor(session, actor)
    expect_version(compound, expected_version)
    for i, feature in enumerate(features):
        kind = (feature.get("properties") or {}).get("kind") if isinstance(feature, dict) else None
        if kind in DEVICE_KINDS:
            raise UsageError(
                msg(
                    "feature #%(index)s: %(kind)s is a device; edit devices on the map",
                    index=i,
                    kind=kind_word(kind),
                )
            )
    plan = {k: copy.deepcopy(v) for k, v in (compound.plan_json or {}).items() if k != "features"}
    plan["features"] = copy.deepcopy(list(features))
    site, _ = validate_devices(
        plan, plan_site_member(plan, compound), [state_of(d) for d in compound.devices]
    )
    # store the plan as the site writer emits it (defaults filled, rings closed)
    normal, _devices = split_site(site)
    normal["site"] = plan.get("site") or normal["site"]
    if normal != compound.plan_json:
        compound.plan_json = normal
        session.flush()
    return site
