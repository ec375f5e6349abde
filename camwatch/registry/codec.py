"""Device rows <-> site-file features, and validation through the site loader.

No database here: a device is handled as a :class:`DeviceState` (the values of
its row that the site file can carry), so that importing, adding, updating and
dry runs all share one conversion and one validation path.

Mapping between a device feature's properties and a row:

* ``id`` ↔ ``code``; ``name``, ``model``, ``serial`` ↔ their columns;
* ``manufacturer``, ``install_date``, ``warranty_end`` (``YYYY-MM-DD``) ↔
  their columns — a site file may carry them, an export writes them when set;
* ``status`` ↔ ``status``: cameras always carry it (docs/site-format.md §2); gates,
  alarms and intercoms carry it only when it is not ``active`` (the site format
  has no status for them, so an unset one reads as active);
* every other property (camera optics, ``access_control``, ``intercom``,
  ``alarm_type``, ``building``, unknown extras) ↔ the ``properties`` JSON.

Validation: :func:`validate_devices` builds the compound's site — its plan
plus the device features — and runs :func:`camwatch.sitefile.parse_site` on
it, so a device is checked by exactly the loader's rules and messages
(optics ranges, enumerations, camera placement against the plan, duplicate
ids).  It returns each device in the loader's normal form (defaults filled
in, heading modulo 360), which is what the ledger stores.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from camwatch.errors import SiteFormatError, ValueRangeError, named
from camwatch.i18n import msg
from camwatch.model import DEVICE_KINDS, LIVE_DEVICE_STATUSES, Site
from camwatch.registry.columns import MAX_CODE_LENGTH as MAX_CODE_LENGTH
from camwatch.registry.columns import TEXT_LIMITS as TEXT_LIMITS
from camwatch.registry.columns import check_choice as check_choice  # the ledger imports these
from camwatch.registry.columns import check_code, device_error, parse_date, text_column
from camwatch.registry.memo import Memo, digest
from camwatch.sitefile import Leading, feature_to_geojson, parse_leading, parse_site

EXPORTABLE_STATUSES: tuple[str, ...] = LIVE_DEVICE_STATUSES
_TEXT_COLUMNS = ("name", "model", "serial", "manufacturer")
_DATE_COLUMNS = ("install_date", "warranty_end")


def json_copy(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists, scalars), several times faster than
    :func:`copy.deepcopy`, which it falls back to for anything else."""
    kind = type(value)
    if kind is dict:
        return {k: json_copy(v) for k, v in value.items()}
    if kind is list:
        return [json_copy(v) for v in value]
    if kind in _JSON_SCALARS:
        return value
    return copy.deepcopy(value)


_JSON_SCALARS = (str, int, float, bool, type(None))
# a DeviceState's fields besides kind, code and properties: what a re-import compares
STATE_FIELDS = (
    "name",
    "status",
    "manufacturer",
    "model",
    "serial",
    "install_date",
    "warranty_end",
    "geometry",
)


@dataclass(frozen=True)
class DeviceState:
    """What a device row holds that a site feature can express."""

    kind: str
    code: str
    geometry: dict[str, Any]
    properties: dict[str, Any] = field(default_factory=dict)
    name: str | None = None
    status: str = "active"
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    install_date: date | None = None
    warranty_end: date | None = None

    def fields(self) -> dict[str, Any]:
        """The state as a dict of row attributes (deep copies of JSON values)."""
        return {
            "kind": self.kind,
            "code": self.code,
            "geometry": json_copy(self.geometry),
            "properties": json_copy(self.properties),
            "name": self.name,
            "status": self.status,
            "manufacturer": self.manufacturer,
            "model": self.model,
            "serial": self.serial,
            "install_date": self.install_date,
            "warranty_end": self.warranty_end,
        }


def state_of(device: Any) -> DeviceState:
    """The DeviceState of a :class:`~camwatch.registry.models.Device` row."""
    return DeviceState(
        kind=device.kind,
        code=device.code,
        geometry=json_copy(device.geometry),
        properties=json_copy(device.properties or {}),
        name=device.name,
        status=device.status,
        manufacturer=device.manufacturer,
        model=device.model,
        serial=device.serial,
        install_date=device.install_date,
        warranty_end=device.warranty_end,
    )


def state_from_feature(
    feature: Mapping[str, Any], *, index: int | None = None, code: str | None = None
) -> DeviceState:
    """Split a device feature (as the site writer emits it) into a DeviceState.

    ``code`` overrides a missing ``id`` (gates, alarms and intercoms may lack one).
    """
    props = dict(feature.get("properties") or {})
    kind = props.pop("kind")
    if kind not in DEVICE_KINDS:
        raise device_error(
            index, str(kind), None, msg("not a device kind: %(value)s", value=repr(kind))
        )
    raw_id = props.pop("id", None)
    ident = check_code(raw_id if raw_id is not None else code, index=index, kind=kind)
    values: dict[str, Any] = {}
    for key in _TEXT_COLUMNS:
        values[key] = text_column(props.pop(key, None), key, index, kind, ident)
    for key in _DATE_COLUMNS:
        values[key] = parse_date(props.pop(key, None), key, index=index, kind=kind, code=ident)
    status = props.pop("status", None)
    if status is None:
        status = "active"
    if status not in EXPORTABLE_STATUSES:
        raise device_error(
            index,
            kind,
            ident,
            msg(
                "unknown status %(value)s (expected one of: %(allowed)s)",
                value=repr(status),
                allowed=list(EXPORTABLE_STATUSES),
            ),
        )
    return DeviceState(
        kind=kind,
        code=ident,
        geometry=json_copy(dict(feature["geometry"])),
        properties=json_copy(props),
        status=status,
        **values,
    )


def feature_of(state: DeviceState) -> dict[str, Any]:
    """The site-file feature of a device (see the module docstring for the mapping)."""
    props: dict[str, Any] = {"kind": state.kind, "id": state.code}
    if state.name is not None:
        props["name"] = state.name
    if state.kind == "camera" or state.status != "active":
        props["status"] = state.status
    for key in ("model", "serial", "manufacturer"):
        value = getattr(state, key)
        if value is not None:
            props[key] = value
    for key in _DATE_COLUMNS:
        value = getattr(state, key)
        if value is not None:
            props[key] = value.isoformat()
    for key, value in state.properties.items():
        props.setdefault(key, json_copy(value))
    return {"type": "Feature", "properties": props, "geometry": json_copy(state.geometry)}


# The compound's heights settings (docs/site-format.md §4): columns of the compound, members
# of the site member in a file (docs/registry.md, "Heights").
SETTINGS_KEYS: tuple[str, ...] = ("coverage_model", "target_height_m", "max_depression_deg")


def plan_site_member(plan: Mapping[str, Any], compound: Any) -> dict[str, Any]:
    """The ``site`` member for an export: the plan's, with the compound's own identity and
    heights settings."""
    site = dict(plan.get("site") or {})
    site["id"] = compound.code
    for key in ("name", "district", "address", *SETTINGS_KEYS):
        value = getattr(compound, key)
        if value is None:
            site.pop(key, None)
        else:
            site[key] = json_copy(value)
    if compound.georef is not None:
        site["georef"] = json_copy(compound.georef)
    else:
        site.pop("georef", None)
    site.setdefault("units", "m")
    return site


def assemble(
    plan: Mapping[str, Any],
    site_member: Mapping[str, Any],
    states: Sequence[DeviceState],
    *,
    copy_plan: bool = True,
) -> tuple[dict[str, Any], int]:
    """A site FeatureCollection: plan features then device features; also the first device index.

    With ``copy_plan=False`` the plan's features are the plan's own objects (for a parse
    that keeps nothing of them: :func:`validate_devices` reusing the parsed plan)."""
    collection = {k: json_copy(v) for k, v in plan.items() if k not in ("features", "site")}
    collection["type"] = "FeatureCollection"
    collection["site"] = dict(site_member)
    plan_features = list(plan.get("features") or [])
    if copy_plan:
        plan_features = json_copy(plan_features)
    collection["features"] = plan_features + [
        feature_of(s) for s in states if s.status != "retired"
    ]
    return collection, len(plan_features)


def _parsed_devices(site: Site) -> dict[int, Any]:
    objs: list[Any] = [*site.cameras, *site.gates, *site.alarms, *site.intercoms]
    return {obj.index: obj for obj in objs}


def _relabel(
    exc: SiteFormatError, first: int, states: Sequence[DeviceState], label: Any
) -> SiteFormatError:
    """Name the device (or CSV line...) instead of the assembled feature index."""
    if exc.index is None or exc.index < first:
        return exc
    state = states[exc.index - first]
    where = label(exc.index - first) if label else None
    device = named(state.kind, state.code)
    who = msg("%(who)s: %(detail)s", who=where, detail=device) if where else device
    if isinstance(exc, ValueRangeError):  # keeps property, range and value for the reader
        return exc.located(kind=state.kind, ident=state.code, where=who)
    return SiteFormatError(msg("%(who)s: %(detail)s", who=who, detail=exc.detail_msg))


def validate_devices(
    plan: Mapping[str, Any],
    site_member: Mapping[str, Any],
    states: Sequence[DeviceState],
    *,
    label: Any = None,
) -> tuple[Site, list[DeviceState]]:
    """Check devices against the plan with the site loader; return the site and normal forms.

    ``states`` are all the compound's devices (retired ones are skipped). Device
    codes must be unique within the compound (across kinds). An error about a
    device is re-worded to name it (``camera 'C9': hfov_deg must be ...``),
    prefixed by ``label(i)`` (e.g. ``"line 7"``) when given.

    Remembered per exact input (``VALIDATED_MEMO_ENTRIES``, by a digest of the plan,
    the site member and the states in order): an edit validates the compound's
    new devices, and reading the new state (:func:`~camwatch.registry.compounds.export_site`)
    asks for the same validation again, which is then not parsed a second time.
    The plan's features, parsed, are remembered apart (``PLAN_MEMO_ENTRIES``): an
    edit that changes only devices parses only the device features (docs/registry.md,
    "Loader speed").
    """
    plan_digest = digest(plan)  # once per call: both keys and the plan memo use it
    key = _validation_key(plan_digest, site_member, states)
    found = _VALIDATED.get(key)
    if found is not None:
        return found[0], list(found[1])
    site, normal = _validate_devices(
        plan, site_member, states, label=label, plan_digest=plan_digest
    )
    # the rows then hold the normal forms: an export of them is this same validation
    for k in (key, _validation_key(plan_digest, site_member, normal)):
        _VALIDATED.put(k, (site, tuple(normal)))
    return site, normal


VALIDATED_MEMO_ENTRIES = 32  # sites remembered by validate_devices (a few MB at most)
_VALIDATED: Memo[bytes, tuple[Site, tuple[DeviceState, ...]]] = Memo(VALIDATED_MEMO_ENTRIES)
# Plans parsed (parse_leading), by a digest of the plan and the site member's level ladder;
# the remembered sites above share their objects.
PLAN_MEMO_ENTRIES = 32
_PLANS: Memo[bytes, Leading] = Memo(PLAN_MEMO_ENTRIES)
_STATE_FIELDS = tuple(f.name for f in fields(DeviceState))


def _validation_key(
    plan_digest: bytes, site_member: Mapping[str, Any], states: Sequence[DeviceState]
) -> bytes:
    """A digest of everything :func:`validate_devices` reads (the plan by its digest)."""
    rows = [[getattr(s, name) for name in _STATE_FIELDS] for s in states]
    return plan_digest + digest([site_member, rows])


def _plan_leading(
    collection: Mapping[str, Any], first: int, plan_digest: bytes, default_id: str
) -> Leading | None:
    """The plan's features (the first ``first`` of ``collection``) parsed, remembered; None
    when they do not parse on their own (then the whole site is parsed, which words the
    error as a full parse does)."""
    key = plan_digest + digest(collection["site"].get("levels"))
    leading = _PLANS.get(key)
    if leading is None:
        own = {**collection, "features": json_copy(collection["features"][:first])}
        try:  # on its own copy: the remembered objects must not share the caller's plan
            leading = parse_leading(own, first, default_id=default_id)
        except SiteFormatError:
            return None
        _PLANS.put(key, leading)
    return leading


def _validate_devices(
    plan: Mapping[str, Any],
    site_member: Mapping[str, Any],
    states: Sequence[DeviceState],
    *,
    label: Any = None,
    plan_digest: bytes | None = None,
) -> tuple[Site, list[DeviceState]]:
    live = [s for s in states if s.status != "retired"]
    seen: dict[str, int] = {}
    for i, state in enumerate(states):
        if state.code in seen:
            where = label(i) if label else None
            other = states[seen[state.code]]
            device = named(state.kind, state.code)
            who = msg("%(who)s: %(detail)s", who=where, detail=device) if where else device
            text = msg(
                "device code already used by %(other)s (codes are unique within a compound)",
                other=named(other.kind, other.code),
            )
            raise SiteFormatError(msg("%(who)s: %(detail)s", who=who, detail=text))
        seen[state.code] = i
    collection, first = assemble(plan, site_member, live, copy_plan=False)
    default_id = str(site_member.get("id", "site"))
    leading = _plan_leading(collection, first, plan_digest or digest(plan), default_id)
    if leading is None:  # the whole site is parsed: it keeps the plan's values, on a copy
        collection["features"][:first] = json_copy(collection["features"][:first])
    position = [i for i, s in enumerate(states) if s.status != "retired"]
    live_label = (lambda j: label(position[j])) if label else None
    try:
        site = parse_site(collection, default_id=default_id, leading=leading)
    except SiteFormatError as exc:
        raise _relabel(exc, first, live, live_label) from None
    parsed = _parsed_devices(site)
    normal: list[DeviceState] = []
    live_iter = iter(range(len(live)))
    for state in states:
        if state.status == "retired":
            normal.append(state)
            continue
        j = next(live_iter)
        feature = feature_to_geojson(parsed[first + j])
        try:  # the ledger's own limits (text lengths)
            normal_state = state_from_feature(feature, index=first + j)
        except SiteFormatError as exc:
            raise _relabel(exc, first, live, live_label) from None
        normal.append(replace(normal_state, status=state.status))
    return site, normal
