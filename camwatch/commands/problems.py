"""``camwatch problems ...``: rectification items (``inspect`` is in :mod:`.inspect`)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import click

from camwatch.clikit import DEADLINE_DAYS, ROW_ID, echo_json
from camwatch.commands.common import (
    DATE,
    actor,
    console,
    field_lines,
    iso,
    ledger,
    ledger_options,
    table,
)
from camwatch.commands.words import value
from camwatch.errors import UsageError
from camwatch.i18n import msg, text_of
from camwatch.model import PROBLEM_SOURCES, PROBLEM_STATUSES


def problem_dict(problem: Any, *, today: date, events: bool = False) -> dict[str, Any]:
    """A problem as plain JSON data (``problems list --json``), with its overdue state."""
    from camwatch.registry.problems import days_overdue, is_overdue

    data = {
        "id": problem.id,
        "compound": problem.compound.code,
        "status": problem.status,
        "description": problem.description,  # English, or as typed
        "description_msg": problem.description_msg,  # key + params, or null (docs/registry.md)
        "source": problem.source,
        "device": problem.device.code if problem.device else None,
        "zone": problem.zone_name,
        "reference": problem.reference,
        "responsible_unit": problem.responsible_unit,
        "responsible_person": problem.responsible_person,
        "deadline": iso(problem.deadline),
        "overdue": is_overdue(problem, today),
        "days_overdue": days_overdue(problem, today),
        "recheck_date": iso(problem.recheck_date),
        "recheck_result": problem.recheck_result,
        "opened_at": iso(problem.opened_at),
        "closed_at": iso(problem.closed_at),
        "created_by": problem.created_by,
        "version": problem.version,
    }
    if events:
        data["history"] = [
            {
                "at": iso(e.at),
                "actor": e.actor,
                "action": e.action,
                "from": e.from_status,
                "to": e.to_status,
                "deadline": iso(e.deadline),
                "note": e.note,
            }
            for e in problem.events
        ]
    return data


def analysis_of(session: Any, compound: str) -> dict[str, Any]:
    """Coverage analysis of the compound's current export (active cameras only)."""
    from shapely.geometry import mapping

    from camwatch.geometry.coverage import analyze
    from camwatch.registry.compounds import export_site

    analysis = analyze(export_site(session, compound))
    data = analysis.to_dict()
    for row, spot in zip(data["blind_spots"], analysis.blind_spots, strict=True):
        row["geometry"] = mapping(spot.geometry)  # outlines match spots across analyses
    return data


@click.group()
@ledger_options
def problems() -> None:
    """Rectification items: open, update, re-check, list (overdue), from an analysis."""


@problems.command("open")
@click.argument("compound")
@click.option("--description", "-d", required=True, help="What is wrong.")
@click.option("--deadline", type=DATE, help="Due date (YYYY-MM-DD).")
@click.option("--days", type=DEADLINE_DAYS, help="Due in this many days (instead).")
@click.option("--source", type=click.Choice(PROBLEM_SOURCES), default="patrol", show_default=True)
@click.option("--unit", "responsible_unit", help="Responsible unit.")
@click.option("--person", "responsible_person", help="Responsible person.")
@click.option("--device", help="Device code the problem is about.")
@click.option("--zone", help="Zone name the problem is about.")
@ledger_options
def problems_open(
    compound: str,
    description: str,
    deadline: date | None,
    days: int | None,
    source: str,
    responsible_unit: str | None,
    responsible_person: str | None,
    device: str | None,
    zone: str | None,
) -> None:
    """Open a rectification item in COMPOUND."""
    from camwatch.registry.problems import open_problem

    if (deadline is None) == (days is None):
        raise UsageError(msg("give exactly one of --deadline DATE or --days N"))
    due = deadline if deadline is not None else date.today() + timedelta(days=days or 0)
    with ledger() as session:
        problem = open_problem(
            session,
            compound,
            description=description,
            deadline=due,
            source=source,
            responsible_unit=responsible_unit,
            responsible_person=responsible_person,
            device=device,
            zone=zone,
            actor=actor(),
        )
        said = msg("opened problem #%(id)s in %(compound)s, due %(due)s", id=problem.id,
                   compound=compound, due=due.isoformat())  # fmt: skip
        click.echo(said.render())


@problems.command("list")
@click.argument("compound", required=False)
@click.option("--status", type=click.Choice(PROBLEM_STATUSES), multiple=True)
@click.option("--open", "unresolved", is_flag=True, help="Only not yet fixed ones.")
@click.option("--overdue", is_flag=True, help="Only overdue ones (deadline before today).")
@click.option("--today", type=DATE, help="Judge overdue as on this day [default: today].")
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def problems_list(
    compound: str | None,
    status: tuple[str, ...],
    unresolved: bool,
    overdue: bool,
    today: date | None,
    as_json: bool,
) -> None:
    """List problems (of COMPOUND or all), by deadline."""
    from camwatch.registry.problems import list_problems

    day = today or date.today()
    with ledger() as session:
        found = list_problems(
            session,
            compound=compound,
            status=list(status) or None,
            overdue=overdue,
            unresolved=unresolved,
            today=day,
        )
        rows = [problem_dict(p, today=day) for p in found]
    if as_json:
        echo_json(rows)
        return
    console().print(
        table(
            msg("Problems (%(n)s) — overdue", n=len(rows))
            if overdue
            else msg("Problems (%(n)s)", n=len(rows)),
            ["#", "compound", "status", "deadline", "overdue", "responsible", "description"],
            [
                [
                    r["id"],
                    r["compound"],
                    value("problem", r["status"]),
                    r["deadline"],
                    msg("%(n)s d", n=r["days_overdue"]).render() if r["overdue"] else "",
                    " / ".join(x for x in (r["responsible_unit"], r["responsible_person"]) if x),
                    text_of(r["description_msg"] or r["description"]),
                ]
                for r in rows
            ],
        )
    )


@problems.command("show")
@click.argument("problem_id", type=ROW_ID)
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def problems_show(problem_id: int, as_json: bool) -> None:
    """Show one problem with its full history."""
    from camwatch.registry.ledger_notes import event_note_text
    from camwatch.registry.problems import get_problem

    today = date.today()
    with ledger() as session:
        data = problem_dict(get_problem(session, problem_id), today=today, events=True)
    if as_json:
        echo_json(data)
        return
    data["description"] = text_of(data.pop("description_msg") or data["description"])
    shown = {**data, "status": value("problem", data["status"])}
    shown["source"] = data["source"] and value("source", data["source"])
    shown["recheck_result"] = event_note_text(data["recheck_result"])
    out = console()
    keys = ["id", "compound", "status", "description", "source", "device", "zone",
            "responsible_unit", "responsible_person", "deadline", "recheck_date",
            "recheck_result", "created_by", "version"]  # fmt: skip
    for line in field_lines(shown, keys, 18):
        out.print(line)
    if data["overdue"]:
        late = msg("overdue by %(n)s day(s)", n=data["days_overdue"]).render()
        out.print(f"{'':>18}  [red]{late}[/red]")
    out.print(
        table(
            msg("History"),
            ["at", "actor", "action", "status", "deadline", "note"],
            [
                [
                    e["at"][:19],
                    e["actor"],
                    value("event", e["action"]),
                    f"{value('problem', e['from'] or '')} → {value('problem', e['to'])}"
                    if e["to"]
                    else "",
                    e["deadline"],
                    event_note_text(e["note"]),
                ]
                for e in data["history"]
            ],
        )
    )


@problems.command("update")
@click.argument("problem_id", type=ROW_ID)
@click.option(
    "--status", type=click.Choice(["in_progress", "fixed"]), help="Move the problem along."
)
@click.option("--unit", "responsible_unit")
@click.option("--person", "responsible_person")
@click.option("--description")
@click.option("--deadline", type=DATE, help="New deadline (needs --note).")
@click.option("--note", help="Why / what was done (kept in the history).")
@click.option("--expected-version", type=int)
@ledger_options
def problems_update(problem_id: int, **fields: Any) -> None:
    """Work on problem PROBLEM_ID: status, responsible, description, deadline, note."""
    from camwatch.registry.problems import update_problem

    with ledger() as session:
        problem = update_problem(session, problem_id, actor=actor(), **fields)
        said = msg("problem #%(id)s: %(status)s, due %(due)s (version %(v)s)", id=problem.id,
                   status=value("problem", problem.status), due=problem.deadline.isoformat(),
                   v=problem.version)  # fmt: skip
        click.echo(said.render())


@problems.command("recheck")
@click.argument("problem_id", type=ROW_ID)
@click.option("--passed/--failed", default=None, help="Outcome of the re-check (required).")
@click.option("--result", required=True, help="What the re-check found.")
@click.option("--date", "on", type=DATE, help="Day of the re-check [default: today].")
@click.option("--new-deadline", type=DATE, help="New deadline when it failed (required then).")
@click.option("--expected-version", type=int)
@ledger_options
def problems_recheck(
    problem_id: int,
    passed: bool | None,
    result: str,
    on: date | None,
    new_deadline: date | None,
    expected_version: int | None,
) -> None:
    """Re-check a fixed problem: --passed verifies it, --failed reopens it with a new deadline."""
    from camwatch.registry.problems import recheck

    if passed is None:
        raise UsageError(msg("say --passed or --failed"))
    with ledger() as session:
        problem = recheck(
            session,
            problem_id,
            passed=passed,
            result=result,
            on=on,
            new_deadline=new_deadline,
            expected_version=expected_version,
            actor=actor(),
        )
        said = msg("problem #%(id)s: %(status)s", id=problem.id,
                   status=value("problem", problem.status))  # fmt: skip
        if not passed:
            said = msg(
                "%(text)s, new deadline %(due)s", text=said, due=problem.deadline.isoformat()
            )
        click.echo(said.render())


@problems.command("from-analysis")
@click.argument("compound")
@click.option("--deadline-days", type=DEADLINE_DAYS, required=True)
@click.option("--unit", "responsible_unit", help="Responsible unit of the new problems.")
@click.option("--person", "responsible_person", help="Responsible person of the new problems.")
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def problems_from_analysis_cmd(
    compound: str,
    deadline_days: int,
    responsible_unit: str | None,
    responsible_person: str | None,
    as_json: bool,
) -> None:
    """Analyse COMPOUND and open a problem per blind spot and failing zone (no duplicates)."""
    from camwatch.registry.analysis_problems import problems_from_analysis

    with ledger() as session:
        result = problems_from_analysis(
            session,
            compound,
            analysis_of(session, compound),
            deadline_days=deadline_days,
            responsible_unit=responsible_unit,
            responsible_person=responsible_person,
            actor=actor(),
        )
    if as_json:
        echo_json(result)
        return
    opened = msg("%(compound)s: %(n)s problem(s) opened", compound=compound,
                 n=len(result["created"]))  # fmt: skip
    if result["created"]:
        opened = msg(
            "%(text)s (#%(ids)s)", text=opened, ids=", #".join(map(str, result["created"]))
        )
    click.echo(msg("%(text)s, %(n)s already open", text=opened, n=len(result["existing"])).render())
    if result["resolved_candidates"]:
        ids = ", #".join(map(str, result["resolved_candidates"]))
        click.echo(
            msg("no longer found by the analysis (re-check them): #%(ids)s", ids=ids).render()
        )


def _add_from_findings() -> None:
    """``problems from-findings`` lives with the check command (camwatch/commands/check.py)."""
    from camwatch.commands.check import from_findings_cmd

    problems.add_command(ledger_options(from_findings_cmd))


_add_from_findings()
