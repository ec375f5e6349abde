"""``camwatch inspect``: check a compound against its standards profile and record the
inspection (docs/standards.md, docs/registry.md).

Shared options (``--db``, ``--actor``) are in :mod:`.common`; the analysis it records
is :func:`camwatch.commands.problems.analysis_of`'s, as ``problems from-analysis`` uses.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import click

from camwatch.clikit import echo_json
from camwatch.commands.common import DATE, actor, console, iso, ledger, ledger_options, table
from camwatch.commands.problems import analysis_of
from camwatch.commands.words import value
from camwatch.i18n import msg


@click.command("inspect")
@click.argument("compound")
@click.option("--inspector", help="Who inspects [default: the actor].")
@click.option("--date", "on", type=DATE, help="Day of the inspection [default: today].")
@click.option("--notes")
@click.option("--json", "as_json", is_flag=True)
@ledger_options
def inspect_cmd(
    compound: str, inspector: str | None, on: date | None, notes: str | None, as_json: bool
) -> None:
    """Check COMPOUND against its standards profile and record the rule results.

    The items are the rule results of ``camwatch check COMPOUND`` plus the old
    checklist items no rule covers (docs/standards.md); the inspection passes
    when the compound meets the standard (no error finding).
    """
    from camwatch.compliance import inspection_check
    from camwatch.registry.inspections import run_inspection

    with ledger() as session:
        report, rules = inspection_check(session, compound, today=on)
        inspection = run_inspection(
            session,
            compound,
            analysis_of(session, compound),
            inspector=inspector or actor(),
            today=on,
            notes=notes,
            actor=actor(),
            check=report,
            rules=rules,
        )
        data: dict[str, Any] = {
            "id": inspection.id,
            "compound": compound,
            "date": iso(inspection.date),
            "inspector": inspection.inspector,
            "score": inspection.score,
            "passed": inspection.passed,
            "items": inspection.items,
        }
    if as_json:
        echo_json(data)
        return
    out = console()
    out.print(
        table(
            msg(
                "Inspection #%(id)s of %(compound)s on %(date)s by %(who)s",
                id=data["id"],
                compound=compound,
                date=data["date"],
                who=data["inspector"],
            ),
            ["item", "severity", "result", "findings", "features"],
            [
                [
                    i["key"],
                    value("severity", i["severity"]),
                    (msg("pass") if i["passed"] else msg("FAIL")).render(),
                    i["count"],
                    ", ".join(i["features"]),
                ]
                for i in data["items"]
            ],
        )
    )
    verdict = (
        "[green]" + msg("PASSED").render() + "[/green]"
        if data["passed"]
        else "[red]" + msg("FAILED").render() + "[/red]"
    )
    passing = sum(1 for i in data["items"] if i["passed"])
    score = msg("score %(score)s / 100 (%(n)s of %(total)s items pass; pass: no error item fails)",
                score=format(data["score"], ".0f"), n=passing, total=len(data["items"]))  # fmt: skip
    out.print(score.render() + " " + verdict)
