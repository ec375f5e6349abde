"""Commands: ``report``, ``schedule``, ``export`` and ``district report`` (docs/reports.md).

SOURCE is a site file (an existing file) or a compound code in the ledger
(``--db URL``). Every option and input is checked, and every output built in
memory, before the one atomic write: a bad request writes nothing (exit 2).
"""

from __future__ import annotations

import json
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from camwatch.batch.cli import analyze_batch, check_batch, plan_batch
from camwatch.commands.common import ledger, ledger_options
from camwatch.errors import UsageError
from camwatch.i18n import msg
from camwatch.ladders import require_dori
from camwatch.model import Site
from camwatch.output import check_output, write_atomic
from camwatch.report.facts import LedgerFacts

SUGGESTIONS_GROUP = "camwatch.report_suggestions"  # name "cameras" -> f(site, add) -> plan dict
LANG = click.Choice(["zh", "en"])


def load_source(source: str, *, today: date) -> tuple[Site, LedgerFacts | None]:
    """A site file's site, or a ledger compound's site and facts."""
    from camwatch.sitefile import load_site

    path = Path(source)
    if path.is_file():
        return load_site(path), None
    if path.suffix.lower() in (".geojson", ".json") or "/" in source or "\\" in source:
        raise UsageError(msg("no such site file: %(path)s", path=source))
    from camwatch.report.ledger import compound_inputs

    with ledger() as session:
        return compound_inputs(session, source, today=today)


def _suggestions(site: Site, add: int) -> dict[str, Any]:
    found = {ep.name: ep for ep in entry_points(group=SUGGESTIONS_GROUP)}
    if "cameras" not in found:
        raise UsageError(msg("--suggest needs the planners, which are not installed"))
    return dict(found["cameras"].load()(site, add))


def _plan_file(path: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(
            msg(
                "--suggestions %(path)s: not a readable JSON file (%(detail)s)",
                path=path,
                detail=str(exc),
            )
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("suggestions"), list):
        raise UsageError(
            msg(
                "--suggestions %(path)s: expected the object `camwatch plan --json` prints",
                path=path,
            )
        )
    for s in data["suggestions"]:
        keys = ("id", "position", "heading_deg", "hfov_deg", "height_m", "gain_m2")
        if not isinstance(s, dict) or any(k not in s for k in keys):
            raise UsageError(
                msg(
                    "--suggestions %(path)s: each suggestion needs %(keys)s",
                    path=path,
                    keys=", ".join(keys),
                )
            )
    return data


@click.command("report")
@click.argument("source")
@click.option("-o", "--output", required=True, type=click.Path(), help="PDF to write.")
@click.option("--lang", type=LANG, default="zh", show_default=True)
@click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
@click.option("--suggest", "add", type=click.IntRange(1, 50), help="Suggest K cameras (planners).")
@click.option("--suggestions", "plan_file", type=click.Path(dir_okay=False),
              help="Suggestions from `camwatch plan --json` instead of --suggest.")  # fmt: skip
@click.option("--prepared-by", default="", help="Who prepared the report (cover).")
@click.option("--level-pictures", is_flag=True, help="Add a plan page per DORI level.")
@ledger_options
def report_cmd(
    source: str,
    output: str,
    lang: str,
    include_planned: bool,
    add: int | None,
    plan_file: str | None,
    prepared_by: str,
    level_pictures: bool,
) -> None:
    """The compound report of SOURCE (site file or compound code) as a PDF."""
    from camwatch.commands.check import run_check
    from camwatch.geometry.coverage import analyze
    from camwatch.report.compound import compound_pdf

    target = check_output(output, [".pdf"])
    if add is not None and plan_file is not None:
        raise UsageError(msg("give --suggest or --suggestions, not both"))
    plan = _plan_file(plan_file) if plan_file else None
    today = date.today()
    site, facts = load_source(source, today=today)
    require_dori(site.info.ladder, msg("the compound report"))
    if add is not None:
        plan = _suggestions(site, add)
    analysis = analyze(site, include_planned=include_planned)
    # the very check `camwatch check SOURCE` runs (its profile, the ledger's device facts)
    _, _, standards = run_check(source, profile=None, include_planned=include_planned, today=today)
    data = compound_pdf(
        site,
        analysis,
        lang=lang,
        plan=plan,
        facts=facts,
        prepared_by=prepared_by,
        today=today,
        per_level=level_pictures,
        standards=standards,
    )
    write_atomic(target, data)
    click.echo(msg("wrote %(path)s", path=str(target)).render(), err=True)


@click.command("schedule")
@click.argument("source")
@click.option("-o", "--output", required=True, type=click.Path(), help=".csv or .xlsx to write.")
@click.option(
    "--prices", type=click.Path(dir_okay=False), help="CSV price table: model,unit_price."
)
@click.option("--lang", type=LANG, default="zh", show_default=True, help="XLSX headings.")
@ledger_options
def schedule_cmd(source: str, output: str, prices: str | None, lang: str) -> None:
    """The camera schedule / bill of materials of SOURCE (CSV re-imports with devices import-csv)."""
    from rich.cells import cell_len

    from camwatch.commands.words import value
    from camwatch.report import schedule as sch

    target = check_output(output, [".csv", ".xlsx"])
    table = sch.load_prices(prices) if prices else None
    site, facts = load_source(source, today=date.today())
    rows = sch.schedule_rows(site, facts=facts)
    lines = sch.model_lines(rows, table)
    if target.suffix.lower() == ".csv":
        data = sch.schedule_csv(rows)
    else:
        data = sch.schedule_xlsx(rows, lines, lang=lang, title=site.info.name or site.id)
    write_atomic(target, data)
    kinds = {line.kind: value("kind", line.kind) for line in lines}  # --lang's (English: stored)
    width = max([9, *(cell_len(k) for k in kinds.values())])
    for line in lines:
        cost = "" if line.cost is None else f"  {line.cost:,.2f}"
        kind = kinds[line.kind] + " " * (width - cell_len(kinds[line.kind]))
        click.echo(f"{kind} {line.model:28} {line.count:4}{cost}")
    if table is not None:
        total = format(sum(x.cost or 0.0 for x in lines), ",.2f")
        click.echo(msg("total %(total)s", total=total).render())
        unpriced = sorted({x.model for x in lines if x.unit_price is None})
        if unpriced:
            said = msg("not in the price table: %(models)s", models=", ".join(unpriced))
            click.echo(said.render(), err=True)
    click.echo(msg("wrote %(path)s", path=str(target)).render(), err=True)


@click.command("export")
@click.argument("source")
@click.option("--format", "fmt", type=click.Choice(["kml", "geojson84"]), required=True)
@click.option("-o", "--output", required=True, type=click.Path(), help="File to write.")
@click.option("--lang", type=LANG, default="zh", show_default=True, help="Folder and layer names.")
@click.option("--include-planned", is_flag=True, help="Count planned cameras too.")
@ledger_options
def export_cmd(source: str, fmt: str, output: str, lang: str, include_planned: bool) -> None:
    """SOURCE in WGS84 as KML or RFC 7946 GeoJSON (needs site.crs)."""
    from camwatch.geometry.coverage import analyze
    from camwatch.report.geo import site_georef, wgs84_transform
    from camwatch.report.gis import geojson84, kml

    suffixes = [".kml"] if fmt == "kml" else [".geojson", ".json"]
    target = check_output(output, suffixes)
    site, _ = load_source(source, today=date.today())
    require_dori(site.info.ladder, msg("the export of footprints per level"))
    wgs84_transform(site_georef(site))  # refuse before the analysis
    analysis = analyze(site, include_planned=include_planned)
    data = (kml if fmt == "kml" else geojson84)(site, analysis, lang=lang)
    write_atomic(target, data)
    click.echo(msg("wrote %(path)s", path=str(target)).render(), err=True)


@click.group("district")
def district() -> None:
    """District-level reports and batches (analyze, check, plan) over many compounds."""


district.add_command(analyze_batch)
district.add_command(check_batch)
district.add_command(plan_batch)


@district.command("report")
@click.option("-o", "--output", required=True, type=click.Path(), help=".pdf or .csv to write.")
@click.option("--district", "name", help="Only compounds of this district.")
@click.option("--lang", type=LANG, default="zh", show_default=True)
@click.option("--target", type=click.FloatRange(0, 1), default=0.8, show_default=True,
              help="Share of compounds that should meet the standard.")  # fmt: skip
@ledger_options
def district_report_cmd(output: str, name: str | None, lang: str, target: float) -> None:
    """Compounds ranked, share meeting the standard, overdue items, faulty cameras."""
    import camwatch.report.district as dist

    path = check_output(output, [".pdf", ".csv"])
    today = date.today()
    with ledger() as session:
        rows = dist.district_rows(session, district=name, today=today)
    summary = dist.DistrictSummary.of(rows, target=target, district=name, today=today)
    if path.suffix.lower() == ".csv":
        data = dist.district_csv(summary, lang=lang)
    else:
        from camwatch.report.pdf import report_pdf

        data = report_pdf(dist.district_report(summary, lang=lang))
    write_atomic(path, data)
    click.echo(msg("wrote %(path)s", path=str(path)).render(), err=True)
