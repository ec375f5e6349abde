"""``camwatch maintenance ...``: the maintenance log of devices (log a visit, list them).

Apart from :mod:`camwatch.commands.devices` (the devices themselves); both groups
write through the registry (:mod:`camwatch.registry.maintenance`).
"""

from __future__ import annotations

from datetime import date

import click

from camwatch.clikit import echo_json
from camwatch.commands.common import DATE, actor, console, iso, ledger, ledger_options, table
from camwatch.commands.words import change, value
from camwatch.i18n import msg
from camwatch.model import LIVE_DEVICE_STATUSES, MAINTENANCE_KINDS


@click.group()
@ledger_options
def maintenance() -> None:
    """Maintenance log of devices."""


@maintenance.command("log")
@click.argument("compound")
@click.argument("code")
@click.option("--kind", required=True, type=click.Choice(MAINTENANCE_KINDS))
@click.option("--technician", help="Who did the work [default: the actor].")
@click.option("--date", "on", type=DATE, help="When [default: today].")
@click.option("--notes")
@click.option(
    "--status-after", type=click.Choice(LIVE_DEVICE_STATUSES), help="Device status after."
)
@ledger_options
def maintenance_log(
    compound: str,
    code: str,
    kind: str,
    technician: str | None,
    on: date | None,
    notes: str | None,
    status_after: str | None,
) -> None:
    """Record maintenance of device CODE (and its new status)."""
    from camwatch.registry.maintenance import log_maintenance

    with ledger() as session:
        record = log_maintenance(
            session,
            compound,
            code,
            kind=kind,
            technician=technician or actor(),
            on=on,
            notes=notes,
            status_after=status_after,
            actor=actor(),
        )
        said = msg(
            "logged %(kind)s of %(code)s on %(date)s (%(before)s → %(after)s)",
            kind=value("maintenance", record.kind),
            code=code,
            date=record.date.isoformat(),
            before=value("status", str(record.status_before)),
            after=value("status", str(record.status_after)),
        )
        click.echo(said.render())


@maintenance.command("list")
@click.argument("compound")
@click.option("--device", "code", help="Only this device.")
@click.option("--since", type=DATE)
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def maintenance_list(compound: str, code: str | None, since: date | None, as_json: bool) -> None:
    """List maintenance records of COMPOUND, newest first."""
    from camwatch.registry.maintenance import list_maintenance

    with ledger() as session:
        rows = [
            {
                "date": iso(m.date),
                "device": m.device.code,
                "kind": m.kind,
                "technician": m.technician,
                "status_before": m.status_before,
                "status_after": m.status_after,
                "notes": m.notes,
            }
            for m in list_maintenance(session, compound, code=code, since=since)
        ]
    if as_json:
        echo_json(rows)
        return
    console().print(
        table(
            msg("Maintenance of %(compound)s", compound=compound),
            ["date", "device", "kind", "technician", "status", "notes"],
            [
                [
                    r["date"],
                    r["device"],
                    value("maintenance", str(r["kind"])),
                    r["technician"],
                    change("status", r["status_before"], r["status_after"]),
                    r["notes"],
                ]
                for r in rows
            ],
        )
    )
