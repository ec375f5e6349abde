"""``camwatch check SITE|COMPOUND``: the standards check (docs/standards.md, docs/site-format.md §7).

SITE is a site file (an existing path, or any name ending in ``.geojson`` or
``.json``); anything else is a COMPOUND code in the ledger, checked on its
current export plus the ledger's device facts (DEVICE-HEALTH). A compound
that fails the standard is not an error: exit 0; bad input exits 2.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from camwatch.clikit import DEADLINE_DAYS, echo_json
from camwatch.compliance import ledger_site
from camwatch.i18n import Message, current_language, msg, term_msg
from camwatch.model import SEVERITIES, Site
from camwatch.sitefile import load_site
from camwatch.standards import (
    SHIPPED_PROFILES,
    Profile,
    Report,
    check,
    load_profile,
)

SEVERITY_ZH = {"error": "不达标", "warning": "警告", "info": "提示"}


def is_site_file(target: str) -> bool:
    return Path(target).is_file() or target.lower().endswith((".geojson", ".json"))


def site_profile(site: Site, target: str) -> str:
    """The profile a site names; a relative path in a site file is relative to that file."""
    named = site.info.rule_profile
    if named in SHIPPED_PROFILES or Path(named).is_absolute() or not is_site_file(target):
        return named
    return str(Path(target).parent / named)


def run_check(
    target: str, *, profile: str | None, include_planned: bool, today: date | None = None
) -> tuple[Site, Profile, Report]:
    """Load SITE or COMPOUND and check it (the ledger only for a compound)."""
    if is_site_file(target):
        site = load_site(target)
        devices = None
    else:
        from camwatch.commands.common import ledger

        with ledger() as session:
            site, devices = ledger_site(session, target)
    chosen = load_profile(profile if profile is not None else site_profile(site, target))
    report = check(site, chosen, include_planned=include_planned, devices=devices, today=today)
    return site, chosen, report


def not_checked(site: Site, profile: Profile, report: Report) -> list[Message]:
    """Rules of the profile that could not run for lack of facts (text output only)."""
    notes = [
        msg("%(rule)s (needs the ledger: check a COMPOUND)", rule=r) for r in report.not_checked
    ]
    if site.info.retention_days is None and "RETENTION" in profile.rules:
        notes.append(msg("RETENTION (the site does not record retention_days)"))
    return notes


def print_report(site: Site, profile: Profile, report: Report) -> None:
    """The findings as text: in English, each finding in both languages (as it always was);
    in Chinese, in Chinese only (docs/web.md, "Languages")."""
    both = current_language() == "en"
    verdict = (
        msg("meets the standard 达标")
        if report.meets_standard
        else msg("does NOT meet the standard 不达标")
    )
    head = msg("%(name)s (%(id)s) — profile %(profile)s: %(verdict)s", name=site.info.name or site.id,
               id=site.id, profile=report.profile, verdict=verdict)  # fmt: skip
    click.echo(head.render())
    if not report.findings:
        click.echo(msg("no findings").render())
    for severity in SEVERITIES:
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        if both:
            click.echo(f"\n{severity.upper()} {SEVERITY_ZH[severity]} ({len(group)})")
        else:
            words = msg("%(severity)s (%(n)s)", severity=SEVERITY_ZH[severity], n=len(group))
            click.echo("\n" + words.render())
        for f in group:
            about = f" [{', '.join(f.features)}]" if f.features else ""
            if both:
                click.echo(f"  {f.rule}{about}: {f.message['en']}")
                click.echo(f"      {f.message['zh']}")
            else:
                said = msg("%(rule)s: %(message)s", rule=f.rule + about, message=f.message["zh"])
                click.echo("  " + said.render())
            click.echo("      " + msg("clause: %(clause)s", clause=f.clause).render())
            if f.fix and both:
                click.echo(f"      fix: {f.fix}")
                click.echo(f"      整改: {f.fix_zh}")
            elif f.fix:
                click.echo("      " + msg("fix: %(fix)s", fix=f.fix_zh).render())
    if report.findings:
        counts = ", ".join(
            f"{k if both else SEVERITY_ZH.get(k, k)} {v}" for k, v in report.counts().items()
        )
        click.echo("\n" + msg("counts: %(counts)s", counts=counts).render())
    skipped = not_checked(site, profile, report)
    if skipped:
        rules = skipped[0]
        for more in skipped[1:]:
            rules = msg("%(text)s; %(more)s", text=rules, more=more)
        click.echo(msg("not checked: %(rules)s", rules=rules).render())


@click.command("check")
@click.argument("target", metavar="SITE|COMPOUND")
@click.option(
    "--profile",
    metavar="P",
    help="Rule profile: national, shanghai or a TOML file [default: the one the site names, "
    "else national].",
)
@click.option("--include-planned", is_flag=True, help="Count planned cameras as installed.")
@click.option(
    "--db", metavar="URL", help="Ledger database for a COMPOUND [default: $DATABASE_URL]."
)
@click.option("--json", "as_json", is_flag=True, help="Print the docs/site-format.md §7 object.")
def check_cmd(
    target: str, profile: str | None, include_planned: bool, db: str | None, as_json: bool
) -> None:
    """Check SITE (a file) or COMPOUND (in the ledger) against a standards profile."""
    if db is not None:
        from camwatch.commands.common import DB_KEY

        click.get_current_context().meta[DB_KEY] = db
    site, chosen, report = run_check(target, profile=profile, include_planned=include_planned)
    if as_json:
        echo_json(report.to_dict())
    else:
        print_report(site, chosen, report)


@click.command("from-findings")
@click.argument("compound")
@click.option("--deadline-days", type=DEADLINE_DAYS, required=True)
@click.option("--profile", metavar="P", help="Rule profile [default: the compound's].")
@click.option(
    "--min-severity",
    type=click.Choice(SEVERITIES),
    default="warning",
    show_default=True,
    help="Skip findings less severe than this.",
)
@click.option("--unit", "responsible_unit", help="Responsible unit of the new problems.")
@click.option("--person", "responsible_person", help="Responsible person of the new problems.")
@click.option("--json", "as_json", is_flag=True)
def from_findings_cmd(
    compound: str,
    deadline_days: int,
    profile: str | None,
    min_severity: str,
    responsible_unit: str | None,
    responsible_person: str | None,
    as_json: bool,
) -> None:
    """Check COMPOUND and keep one problem per rule × feature (idempotent; re-checks fixed ones)."""
    from camwatch.commands.common import actor, ledger
    from camwatch.registry.findings import problems_from_findings

    with ledger() as session:
        site, devices = ledger_site(session, compound)
        chosen = load_profile(profile if profile is not None else site.info.rule_profile)
        report = check(site, chosen, devices=devices)
        result = problems_from_findings(
            session,
            compound,
            report.to_dict(),
            deadline_days=deadline_days,
            min_severity=min_severity,
            responsible_unit=responsible_unit,
            responsible_person=responsible_person,
            actor=actor(),
        )
    if as_json:
        echo_json(result)
        return
    said = {k: FINDINGS_WORDS.get(k) or k.replace("_", " ") for k in result}
    parts = [msg("%(n)s %(state)s", n=len(v), state=said[k]) for k, v in result.items() if v]
    summary = parts or [msg("no findings, no problems")]
    click.echo(msg("%(who)s: %(detail)s", who=compound, detail=summary).render())
    for key, ids in result.items():
        if ids:
            numbers = "#" + ", #".join(map(str, ids))
            click.echo("  " + msg("%(who)s: %(detail)s", who=said[key], detail=numbers).render())


# what problems_from_findings did, by key, as the reader says it
FINDINGS_WORDS = {
    "created": term_msg("problems", "created"),
    "existing": term_msg("problems", "existing"),
    "reopened": term_msg("problems", "reopened"),
    "verified": term_msg("problems", "verified"),
    "resolved_candidates": term_msg("problems", "resolved candidates"),
}
