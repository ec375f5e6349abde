"""``camwatch devices ...``: list, add, update, retire, restore and show devices, CSV import.

The maintenance log is :mod:`camwatch.commands.maintenance`; how a device reads on the
terminal is :mod:`camwatch.commands.device_rows`.
"""

from __future__ import annotations

from typing import Any

import click

from camwatch.clikit import echo_json
from camwatch.commands.common import (
    DATE,
    actor,
    console,
    field_lines,
    iso,
    ledger,
    ledger_options,
    parse_assignments,
    parse_line,
    parse_point,
    table,
)
from camwatch.commands.device_rows import detail_cell, device_dict, where_cell
from camwatch.commands.words import change, value
from camwatch.errors import UsageError, ValueRangeError, kind_word
from camwatch.i18n import msg
from camwatch.model import DEVICE_KINDS, DEVICE_STATUSES, LIVE_DEVICE_STATUSES

LIVE_STATUSES = LIVE_DEVICE_STATUSES


@click.group()
@ledger_options
def devices() -> None:
    """Cameras, gates, alarms and intercoms of a compound."""


@devices.command("list")
@click.argument("compound")
@click.option("--kind", type=click.Choice(DEVICE_KINDS))
@click.option("--status", type=click.Choice(DEVICE_STATUSES))
@click.option("--all", "include_retired", is_flag=True, help="Include retired devices.")
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def devices_list(
    compound: str, kind: str | None, status: str | None, include_retired: bool, as_json: bool
) -> None:
    """List the devices of COMPOUND."""
    from camwatch.registry.devices import list_devices

    with ledger() as session:
        found = list_devices(
            session, compound, kind=kind, status=status, include_retired=include_retired
        )
        rows = [device_dict(d) for d in found]
        cells = [
            [
                d.code,
                value("kind", d.kind),
                d.name,
                value("status", d.status),
                where_cell(d.geometry),
                detail_cell(d),
                " ".join(x for x in (d.manufacturer, d.model) if x),
                d.serial,
                iso(d.install_date),
                d.version,
            ]
            for d in found
        ]
    if as_json:
        echo_json(rows)
        return
    console().print(
        table(
            msg("Devices of %(compound)s (%(n)s)", compound=compound, n=len(rows)),
            [
                "code",
                "kind",
                "name",
                "status",
                "where",
                "detail",
                "make/model",
                "serial",
                "installed",
                "v",
            ],
            cells,
        )
    )


def _geometry(at: str | None, line: str | None) -> dict[str, Any] | None:
    if at and line:
        raise UsageError(msg("give --at or --line, not both"))
    if at:
        return parse_point(at)
    if line:
        return parse_line(line)
    return None


def _check_values(kind: str, code: str, properties: dict[str, Any]) -> None:
    """The typed numbers against their ranges (camwatch.properties, docs/ranges.md), first."""
    from camwatch.properties import check_properties

    try:
        check_properties(kind, properties)
    except ValueRangeError as exc:
        where = msg("%(kind)s '%(ident)s'", kind=kind_word(kind), ident=code)
        raise exc.located(kind=kind, ident=code, where=where) from None


_common_fields = [
    click.option("--name"),
    click.option("--manufacturer"),
    click.option("--model"),
    click.option("--serial"),
    click.option("--install-date", type=DATE),
    click.option("--warranty-end", type=DATE),
    click.option("--notes"),
    click.option("--at", metavar="X,Y", help="Position in site metres."),
    click.option("--line", metavar="'X1,Y1 X2,Y2 ...'", help="A line (gates, alarms)."),
    click.option(
        "--set",
        "assignments",
        multiple=True,
        metavar="KEY=VALUE",
        help="Kind-specific property, e.g. heading_deg=90, access_control=card (repeat).",
    ),
]


def _with_fields(f: Any) -> Any:
    for option in reversed(_common_fields):
        f = option(f)
    return f


@devices.command("add")
@click.argument("compound")
@click.argument("code")
@click.option("--kind", required=True, type=click.Choice(DEVICE_KINDS))
@click.option("--status", type=click.Choice(LIVE_STATUSES), default="active", show_default=True)
@_with_fields
@ledger_options
def devices_add(compound: str, code: str, kind: str, status: str, **fields: Any) -> None:
    """Register device CODE in COMPOUND (validated like a site-file feature)."""
    from camwatch.registry.devices import add_device

    geometry = _geometry(fields.pop("at"), fields.pop("line"))
    if geometry is None:
        raise UsageError(msg("a new device needs a position: --at X,Y or --line 'X1,Y1 X2,Y2'"))
    properties = parse_assignments(fields.pop("assignments"))
    _check_values(kind, code, properties)
    with ledger() as session:
        device = add_device(
            session,
            compound,
            kind=kind,
            code=code,
            geometry=geometry,
            properties=properties,
            status=status,
            actor=actor(),
            **fields,
        )
        said = msg(
            "added %(kind)s %(code)s to %(compound)s (%(status)s)",
            kind=kind_word(device.kind),
            code=device.code,
            compound=compound,
            status=value("status", device.status),
        )
        click.echo(said.render())


@devices.command("update")
@click.argument("compound")
@click.argument("code")
@click.option("--status", type=click.Choice(LIVE_STATUSES))
@_with_fields
@click.option("--unset", multiple=True, metavar="KEY", help="Remove a property (repeat).")
@click.option(
    "--expected-version",
    type=int,
    help="Refuse if the device is no longer at this version (someone else edited it).",
)
@ledger_options
def devices_update(
    compound: str,
    code: str,
    status: str | None,
    unset: tuple[str, ...],
    expected_version: int | None,
    **fields: Any,
) -> None:
    """Change fields or properties of device CODE."""
    from camwatch.registry.devices import get_device, update_device

    changes: dict[str, Any] = {
        k: v for k, v in fields.items() if k not in ("at", "line", "assignments") and v is not None
    }
    if status:
        changes["status"] = status
    geometry = _geometry(fields["at"], fields["line"])
    if geometry is not None:
        changes["geometry"] = geometry
    props = parse_assignments(fields["assignments"])
    props.update({key: None for key in unset})
    if props:
        changes["properties"] = props
    if not changes:
        raise UsageError(msg("nothing to change (see --help for the options)"))
    with ledger() as session:
        _check_values(get_device(session, compound, code).kind, code, props)
        device = update_device(
            session, compound, code, changes, expected_version=expected_version, actor=actor()
        )
        said = msg(
            "updated %(kind)s %(code)s (version %(version)s)",
            kind=kind_word(device.kind),
            code=device.code,
            version=device.version,
        )
        click.echo(said.render())


@devices.command("retire")
@click.argument("compound")
@click.argument("code")
@click.option("--reason", help="Why (kept in the device's notes).")
@click.option("--expected-version", type=int)
@ledger_options
def devices_retire(
    compound: str, code: str, reason: str | None, expected_version: int | None
) -> None:
    """Retire device CODE: kept with its history, out of exports and analyses."""
    from camwatch.registry.retirement import retire_device

    with ledger() as session:
        device = retire_device(
            session,
            compound,
            code,
            reason=reason,
            expected_version=expected_version,
            actor=actor(),
        )
        said = msg("retired %(kind)s %(code)s", kind=kind_word(device.kind), code=device.code)
        click.echo(said.render())


@devices.command("restore")
@click.argument("compound")
@click.argument("code")
@click.option("--reason", help="Why (kept in the device's notes).")
@click.option("--expected-version", type=int)
@ledger_options
def devices_restore(
    compound: str, code: str, reason: str | None, expected_version: int | None
) -> None:
    """Bring retired device CODE back (status before retirement, else offline)."""
    from camwatch.registry.retirement import restore_device

    with ledger() as session:
        device = restore_device(
            session,
            compound,
            code,
            reason=reason,
            expected_version=expected_version,
            actor=actor(),
        )
        said = msg(
            "restored %(kind)s %(code)s (status %(status)s)",
            kind=kind_word(device.kind),
            code=device.code,
            status=value("status", device.status),
        )
        click.echo(said.render())


@devices.command("show")
@click.argument("compound")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def devices_show(compound: str, code: str, as_json: bool) -> None:
    """Show one device with its maintenance log and change history."""
    from camwatch.registry.audit import history
    from camwatch.registry.devices import get_device
    from camwatch.registry.ledger_notes import notes_text

    with ledger() as session:
        device = get_device(session, compound, code)
        data = device_dict(device)
        data["maintenance"] = [
            {
                "date": iso(m.date),
                "kind": m.kind,
                "technician": m.technician,
                "status_before": m.status_before,
                "status_after": m.status_after,
                "notes": m.notes,
            }
            for m in device.maintenance
        ]
        data["history"] = [
            {
                "at": iso(a.at),
                "actor": a.actor,
                "action": a.action,
                "before": a.before,
                "after": a.after,
            }
            for a in history(session, "devices", device.id)
        ]
    if as_json:
        echo_json(data)
        return
    out = console()
    shown = {
        **data,
        "kind": value("kind", data["kind"]),
        "status": value("status", data["status"]),
        "notes": data["notes"] and notes_text(data["notes"]),  # the ledger's lines worded
    }
    keys = ["code", "kind", "name", "status", "manufacturer", "model", "serial", "install_date",
            "warranty_end", "status_changed_at", "notes", "version", "geometry", "properties"]  # fmt: skip
    for line in field_lines(shown, keys, 17):
        out.print(line)
    if data["maintenance"]:
        out.print(
            table(
                msg("Maintenance"),
                ["date", "kind", "technician", "status", "notes"],
                [
                    [
                        m["date"],
                        value("maintenance", m["kind"]),
                        m["technician"],
                        change("status", m["status_before"], m["status_after"]),
                        m["notes"],
                    ]
                    for m in data["maintenance"]
                ],
            )
        )
    out.print(
        table(
            msg("History"),
            ["at", "actor", "action", "changes"],
            [
                [
                    h["at"],
                    h["actor"],
                    value("audit", h["action"]),
                    ", ".join(f"{k}: {h['before'].get(k)!r} → {v!r}" for k, v in h["after"].items())
                    if h["action"] == "update"
                    else "",
                ]
                for h in data["history"]
            ],
        )
    )


@devices.command("import-csv")
@click.argument("csv_file", type=click.Path(dir_okay=False))
@click.option("--compound", help="Compound of rows without a compound column.")
@ledger_options
def devices_import_csv(csv_file: str, compound: str | None) -> None:
    """Add many devices from CSV_FILE: all rows or none (errors name the line)."""
    from camwatch.registry.devices_csv import import_devices_csv

    with ledger() as session:
        added = import_devices_csv(session, csv_file, compound=compound, actor=actor())
    for code, codes in added.items():
        said = msg(
            "%(compound)s: added %(n)s device(s): %(codes)s",
            compound=code,
            n=len(codes),
            codes=", ".join(codes),
        )
        click.echo(said.render())


@devices.command("csv-template")
def devices_csv_template() -> None:
    """Print a CSV header with one example row per kind."""
    from camwatch.registry.csv_rows import csv_template

    click.echo(csv_template(), nl=False)
