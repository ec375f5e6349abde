"""Ledger commands: ``db``, ``import-site``, ``export-site``, ``compounds``.

Devices and maintenance are in :mod:`.devices`, problems and inspections
in :mod:`.problems`, the web view's accounts in :mod:`.users`; shared options (``--db``, ``--actor``) in
:mod:`.common`.  Commands that need a coverage analysis import
:mod:`camwatch.geometry` inside the command (the registry library never does).
"""

from __future__ import annotations

from pathlib import Path

import click

from camwatch.clikit import echo_json
from camwatch.commands.common import (
    actor,
    console,
    ledger,
    ledger_options,
    open_engine,
    table,
)
from camwatch.commands.words import value
from camwatch.errors import UsageError
from camwatch.i18n import msg, term_msg

# -- db ------------------------------------------------------------------------------


@click.group()
@ledger_options
def db() -> None:
    """Create, migrate, back up and seed the ledger database."""


@db.command("init")
@ledger_options
def db_init() -> None:
    """Create a new ledger database (or bring an existing one up to date)."""
    from camwatch.registry.db import init_db

    engine = open_engine(for_init=True)
    revision = init_db(engine)
    url = engine.url.render_as_string()
    click.echo(msg("ledger ready at %(url)s (revision %(rev)s)", url=url, rev=revision).render())


@db.command("upgrade")
@ledger_options
def db_upgrade() -> None:
    """Apply the migrations the database does not have yet."""
    from camwatch.registry.db import current_revision, upgrade_db

    engine = open_engine(for_init=True)
    before = current_revision(engine)
    if before is None:
        raise UsageError(msg("the database has no ledger yet; run `camwatch db init`"))
    after = upgrade_db(engine)
    said = msg("revision %(before)s -> %(after)s", before=before, after=after)
    click.echo((said if before != after else msg("up to date (%(rev)s)", rev=after)).render())


@db.command("status")
@ledger_options
def db_status() -> None:
    """Show the database URL and its migration revision."""
    from camwatch.registry.db import current_revision, head_revision

    engine = open_engine(for_init=True)
    here, head = current_revision(engine), head_revision()
    state = msg("current") if here == head else msg("needs `camwatch db upgrade`")
    said = msg("%(url)s: revision %(rev)s (newest %(head)s; %(state)s)",
               url=engine.url.render_as_string(), rev=here or term_msg("list", "none"),
               head=head, state=state)  # fmt: skip
    click.echo(said.render())


@db.command("backup")
@click.argument("target", type=click.Path(dir_okay=False))
@ledger_options
def db_backup(target: str) -> None:
    """Write a consistent copy of the database to TARGET (SQLite file or pg_dump archive)."""
    from camwatch.registry.db import backup_db

    path = backup_db(open_engine(), target)
    click.echo(msg("wrote %(path)s", path=str(path)).render())


@db.command("seed-demo")
@click.option(
    "--sites",
    "sites_dir",
    type=click.Path(file_okay=False),
    default="sample_sites",
    show_default=True,
    help="Folder of *.geojson site files to import.",
)
@ledger_options
def db_seed_demo(sites_dir: str) -> None:
    """Create the database if needed, import the sample compounds and create demo users."""
    from camwatch.registry.db import init_db, session_scope
    from camwatch.registry.demo import seed_demo

    engine = open_engine(for_init=True)
    init_db(engine)
    with session_scope(engine, actor=actor()) as session:
        report = seed_demo(session, sites_dir=sites_dir, actor=actor())
    for code, diff in report["compounds"].items():
        if diff["created"]:
            what = msg("imported (%(n)s devices)", n=len(diff["added"]))
        else:
            what = msg("updated") if _diff_changed(diff) else msg("unchanged")
        click.echo(msg("compound %(code)s: %(what)s", code=code, what=what).render())
    if not report["compounds"]:
        click.echo(msg("no *.geojson files in %(folder)s", folder=sites_dir).render())
    for user in report["users"]:
        name, password = user["username"].ljust(11), user["password"].ljust(16)
        said = msg("user %(name)s password %(password)s %(role)s", name=name, password=password,
                   role=value("role", user["role"]))  # fmt: skip
        if not user["created"]:
            said = msg("%(text)s  (existing; password as set before)", text=said)
        click.echo(said.render())


def _diff_changed(diff: dict) -> bool:
    return bool(diff["compound_changes"] or diff["added"] or diff["updated"] or diff["retired"])


# -- sites ---------------------------------------------------------------------------


def _print_diff(diff: dict) -> None:
    code = diff["compound"]
    said = msg("new compound %(code)s", code=code) if diff["created"] else (
        msg("existing compound %(code)s", code=code))  # fmt: skip
    if diff["dry_run"]:
        said = msg("dry run — nothing written; %(text)s", text=said)
    click.echo(said.render())
    for key, (old, new) in diff["compound_changes"].items():
        click.echo(f"  {key}: {old!r} -> {new!r}")
    if diff["added"]:
        said = msg("added (%(n)s): %(codes)s", n=len(diff["added"]), codes=", ".join(diff["added"]))
        click.echo("  " + said.render())
    for code, changes in diff["updated"].items():
        parts = "; ".join(f"{k}: {old!r} -> {new!r}" for k, (old, new) in changes.items())
        click.echo("  " + msg("updated %(code)s: %(parts)s", code=code, parts=parts).render())
    if diff["retired"]:
        said = msg("retired (%(n)s): %(codes)s", n=len(diff["retired"]),
                   codes=", ".join(diff["retired"]))  # fmt: skip
        click.echo("  " + said.render())
    for code, why in diff.get("retired_changed", {}).items():
        click.echo(f"    {code}: " + msg("%(why)s since the last import", why=why).render())
    click.echo("  " + msg("unchanged: %(n)s device(s)", n=diff["unchanged"]).render())


@click.command("import-site")
@click.argument("site_file", type=click.Path(dir_okay=False))
@click.option("--code", help="Compound code [default: the site's id].")
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--keep-missing",
    is_flag=True,
    help="Keep devices that are not in the file (default: retire them).",
)
@click.option("--standard", "target_standard", help="Target standard of the compound.")
@click.option(
    "--force",
    is_flag=True,
    help="Retire devices missing from the file even if added or changed since the last import.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON.")
@ledger_options
def import_site_cmd(
    site_file: str,
    code: str | None,
    dry_run: bool,
    keep_missing: bool,
    target_standard: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Load SITE_FILE into the ledger: create the compound or update it by device code.

    Devices of the compound missing from the file are retired; if any of them
    was added or changed since the compound was last imported (e.g. on the web),
    nothing is written and the command exits 2 unless --force is given.
    """
    from camwatch.registry.site_import import import_site
    from camwatch.sitefile import load_site

    site = load_site(site_file)
    with ledger() as session:
        diff = import_site(
            session,
            site,
            code=code,
            dry_run=dry_run,
            keep_missing=keep_missing,
            target_standard=target_standard,
            force=force,
            actor=actor(),
        ).to_dict()
    if as_json:
        echo_json(diff)
    else:
        _print_diff(diff)


@click.command("export-site")
@click.argument("compound")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="File to write [default: stdout]."
)
@click.option(
    "--verify",
    is_flag=True,
    help="Reload the written file and check it analyses exactly as the ledger's site.",
)
@ledger_options
def export_site_cmd(compound: str, output: str | None, verify: bool) -> None:
    """Write COMPOUND (plan + devices in service) as a site file that `analyze` accepts."""
    from camwatch.registry.compounds import export_site
    from camwatch.sitefile import dumps_site, load_site, save_site

    with ledger() as session:
        site = export_site(session, compound)
    if output is None:
        if verify:
            raise UsageError(msg("--verify needs --output"))
        click.echo(dumps_site(site), nl=False)
        return
    if not Path(output).parent.exists():
        raise UsageError(
            msg("output folder does not exist: %(folder)s", folder=str(Path(output).parent))
        )
    save_site(site, output)
    click.echo(msg("wrote %(path)s", path=str(output)).render(), err=True)
    if verify:
        from camwatch.geometry.coverage import analyze

        again = load_site(output)
        if again != site or analyze(again).to_dict() != analyze(site).to_dict():
            raise UsageError(msg("%(path)s does not reload as the ledger's site", path=output))
        said = msg("verified: the file reloads as the same site with the same analysis")
        click.echo(said.render(), err=True)


@click.command("compounds")
@click.option("--district", help="Only compounds of this district.")
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def compounds_cmd(district: str | None, as_json: bool) -> None:
    """List compounds with device counts and open/overdue problems."""
    from datetime import date

    from camwatch.registry.compounds import compound_summary, list_compounds, live_and_down

    with ledger() as session:
        rows = [
            compound_summary(session, c, today=date.today())
            for c in list_compounds(session, district=district)
        ]
    if as_json:
        echo_json(rows)
        return

    def count(r: dict, kind: str) -> str:
        live, bad = live_and_down(r["devices"][kind])
        return msg("%(n)s (%(down)s down)", n=live, down=bad).render() if bad else f"{live}"

    console().print(
        table(
            msg("Compounds"),
            [
                "code",
                "name",
                "district",
                "cameras",
                "gates",
                "alarms",
                "intercoms",
                "open",
                "overdue",
            ],
            [
                [
                    r["code"],
                    r["name"],
                    r["district"],
                    count(r, "camera"),
                    count(r, "gate"),
                    count(r, "alarm"),
                    count(r, "intercom"),
                    r["open_problems"],
                    r["overdue_problems"],
                ]
                for r in rows
            ],
        )
    )
