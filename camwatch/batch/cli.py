"""``camwatch district analyze|check|plan [FOLDER | --all]``: batches on Dask (docs/district.md).

FOLDER: every site file in it; each result is written to
``OUTPUT/<stem>.<task>.json`` with the fingerprint of its inputs. ``--all``:
every ledger compound (of ``--district``); each result is stored as an
analysis snapshot. Either way a re-run skips what is current (``--refresh``
recomputes), so an interrupted batch resumes where it stopped.

Exit status: 0 when every compound has its result, 1 when some compounds
failed (each named on stderr; the others are stored), 2 for bad usage.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import click

from camwatch.batch.jobs import (
    ANALYZE_DEFAULTS,
    CHECK_DEFAULTS,
    Job,
    folder_job_state,
    folder_jobs,
    ledger_source,
    task_digest,
)
from camwatch.batch.runner import Outcome, Tally, run_jobs
from camwatch.batch.tasks import TASK_GROUP, Task
from camwatch.clikit import echo_json
from camwatch.commands.common import ledger, ledger_options
from camwatch.errors import UsageError
from camwatch.i18n import Message, msg, text_of


def load_task(name: str) -> Task:
    """The batch task plugin ``name`` (``camwatch.batch_tasks`` entry points)."""
    found = {ep.name: ep for ep in entry_points(group=TASK_GROUP)}
    if name not in found:
        raise UsageError(
            msg(
                "batch task %(name)s is not installed (have: %(names)s)",
                name=repr(name),
                names=", ".join(sorted(found)),
            )
        )
    task: Task = found[name].load()
    return task


def _write_result(outcome: Outcome, task: str) -> None:
    from camwatch.output import write_atomic

    job = outcome.job
    assert job.output is not None
    body: dict[str, Any] = {
        "site_file": job.key,
        "task": task,
        "fingerprint": job.digest,
        "seconds": round(outcome.seconds, 4),
    }
    body["error" if outcome.error is not None else "result"] = (
        outcome.error if outcome.error is not None else outcome.result
    )
    job.output.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(job.output, json.dumps(body, ensure_ascii=False).encode())


def _ledger_jobs(
    session: Any, task: str, options: Mapping[str, Any], district: str | None, refresh: bool
) -> tuple[list[Job], int, list[tuple[str, str]]]:
    """Jobs for the compounds without a current snapshot; the count and stored errors of
    those with one."""
    from camwatch.compliance import device_health
    from camwatch.registry.compounds import list_compounds
    from camwatch.registry.snapshots import find_snapshot

    jobs, skipped, failed = [], 0, []
    for compound in list_compounds(session, district=district):
        source = ledger_source(compound)
        devices = tuple(device_health(session, compound)) if task == "check" else ()
        digest = task_digest(task, source, options, devices)
        current = None if refresh else find_snapshot(session, compound.id, task, digest)
        if current is not None:
            skipped += 1
            if current.error is not None:
                failed.append((compound.code, current.error))
            continue
        jobs.append(Job(compound.code, source, digest, devices, compound.id, options=dict(options)))
    return jobs, skipped, failed


def _progress(enabled: bool) -> tuple[Callable[[int, int], None] | None, Callable[[], None]]:
    if not enabled:
        return None, lambda: None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        transient=True,
    )
    handle: dict[str, Any] = {}

    def update(finished: int, total: int) -> None:
        if "id" not in handle:
            bar.start()
            handle["id"] = bar.add_task("compounds", total=total)
        bar.update(handle["id"], completed=finished)

    def stop() -> None:
        if "id" in handle:
            bar.stop()

    return update, stop


def run_batch(
    task: str,
    options: dict[str, Any],
    *,
    folder: str | None,
    all_: bool,
    district: str | None,
    output: str | None,
    workers: int | None,
    scheduler: str | None,
    retries: int,
    refresh: bool,
    as_json: bool,
) -> None:
    """Shared body of the three commands."""
    if (folder is None) == (not all_):
        raise UsageError(msg("give a FOLDER of site files or --all (ledger compounds), not both"))
    if district and not all_:
        raise UsageError(msg("--district goes with --all"))
    if output and all_:
        raise UsageError(msg("--output goes with a FOLDER (--all stores results in the ledger)"))
    fn = load_task(task)
    show, stop = _progress(not as_json)
    failures: list[Failure] = []

    def note(outcome: Outcome) -> None:
        if outcome.error is not None:
            failures.append((outcome.job.key, outcome.error, outcome.words or outcome.error))

    if folder is not None:
        out = Path(output) if output else Path(folder) / f"camwatch-{task}"
        jobs = folder_jobs(Path(folder), out, task, options)
        todo = []
        for job in jobs:
            current, error = (False, None) if refresh else folder_job_state(job)
            if not current:
                todo.append(job)
            elif error is not None:
                failures.append((job.key, error, error))

        def store(outcome: Outcome) -> None:
            note(outcome)
            _write_result(outcome, task)

        try:
            tally = run_jobs(todo, fn, store, workers=workers, scheduler=scheduler,
                             retries=retries, progress=show)  # fmt: skip
        finally:
            stop()
        tally.skipped = len(jobs) - len(todo)
        where: str | Message = str(out)
    else:
        from camwatch.registry.snapshots import save_snapshot

        with ledger() as session:
            todo, skipped, stored = _ledger_jobs(session, task, options, district, refresh)
            failures.extend((key, error, error) for key, error in stored)

            def keep(outcome: Outcome) -> None:
                note(outcome)
                job = outcome.job
                assert job.compound_id is not None
                save_snapshot(session, job.compound_id, task, job.digest, result=outcome.result,
                              error=outcome.error, seconds=outcome.seconds, replace=refresh)  # fmt: skip

            try:
                tally = run_jobs(todo, fn, keep, workers=workers, scheduler=scheduler,
                                 retries=retries, progress=show)  # fmt: skip
            finally:
                stop()
        tally.skipped = skipped
        where = LEDGER_RESULTS
    _report(tally, failures, where, as_json)


# A compound that failed: its key, the error's English (stored, and in --json) and the
# error to word in --lang (a catalogue message when it came from this run; an error stored
# by an earlier run is its stored English, shown as it is: docs/web.md, "Languages").
Failure = tuple[str, str, Message | str]
LEDGER_RESULTS = msg("the ledger's analysis snapshots")


def _report(tally: Tally, failures: list[Failure], where: str | Message, as_json: bool) -> None:
    for key, _english, words in sorted(failures, key=lambda f: f[:2]):
        text = text_of(words)
        named = (
            text
            if text.startswith((f"{key}:", f"{key}："))
            else (msg("%(who)s: %(detail)s", who=key, detail=words).render())
        )
        click.echo(msg("error: %(message)s", message=named).render(), err=True)
    earlier = len(failures) - tally.failed
    if as_json:
        failed = {key: english for key, english, _ in sorted(failures, key=lambda f: f[:2])}
        echo_json({**tally.to_dict(), "results": text_of(where, "en"), "failures": failed})
    else:
        counts = msg(
            "%(done)s done, %(failed)s failed, %(skipped)s already current",
            done=tally.done,
            failed=tally.failed,
            skipped=tally.skipped,
        )
        if earlier:
            counts = msg("%(counts)s (%(n)s of them failed before)", counts=counts, n=earlier)
        line = msg(
            "%(counts)s; %(workers)s worker(s) (started in %(startup)s s), %(seconds)s s, "
            "%(rate)s compounds/hour; results in %(where)s",
            counts=counts,
            workers=tally.workers,
            startup=format(tally.startup_seconds, ".1f"),
            seconds=format(tally.seconds, ".1f"),
            rate=format(tally.per_hour(), ",.0f"),
            where=where,
        )
        click.echo(line.render(), err=True)
    if failures:
        raise SystemExit(1)


def batch_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options every ``district`` batch command takes."""
    for decorator in reversed(
        (
            click.argument("folder", required=False, type=click.Path(exists=True, file_okay=False)),
            click.option("--all", "all_", is_flag=True, help="Every ledger compound."),
            click.option("--district", help="With --all: only compounds of this district."),
            click.option(
                "-o",
                "--output",
                type=click.Path(file_okay=False),
                help="With FOLDER: where results go [FOLDER/camwatch-TASK].",
            ),  # fmt: skip
            click.option(
                "--workers",
                type=click.IntRange(1, 256),
                help="Local worker processes [one per core].",
            ),  # fmt: skip
            click.option(
                "--scheduler",
                metavar="ADDRESS",
                help="A running Dask scheduler, e.g. tcp://10.0.0.5:8786.",
            ),  # fmt: skip
            click.option(
                "--retries",
                type=click.IntRange(0, 10),
                default=2,
                show_default=True,
                help="Retries of a task whose worker failed.",
            ),  # fmt: skip
            click.option("--refresh", is_flag=True, help="Recompute results that are current."),
            click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON."),
            ledger_options,
        )
    ):
        f = decorator(f)
    return f


def _common(kw: dict[str, Any]) -> dict[str, Any]:
    keys = ("folder", "all_", "district", "output", "workers", "scheduler", "retries",
            "refresh", "as_json")  # fmt: skip
    return {k: kw.pop(k) for k in keys}


PLANNED = click.option("--include-planned", is_flag=True, help="Count planned cameras too.")


@click.command("analyze")
@batch_options
@PLANNED
@click.option("--coverage-model", type=click.Choice(["ground", "standing"]),
              help="Override each site's coverage model.")  # fmt: skip
def analyze_batch(**kw: Any) -> None:
    """Coverage of every compound (the ``camwatch analyze --json`` object each)."""
    common = _common(kw)
    options = {
        **ANALYZE_DEFAULTS,
        "include_planned": kw["include_planned"],
        "coverage_model": kw["coverage_model"],
    }
    run_batch("analyze", options, **common)


@click.command("check")
@batch_options
@PLANNED
@click.option("--profile", help="Standards profile [the one each compound names].")
def check_batch(**kw: Any) -> None:
    """Standards check of every compound (the ``camwatch check --json`` object each)."""
    common = _common(kw)
    if kw["profile"]:
        from camwatch.standards import load_profile

        load_profile(kw["profile"])  # a bad name is a usage error before anything runs
    options = {
        **CHECK_DEFAULTS,
        "include_planned": kw["include_planned"],
        "profile": kw["profile"],
        "today": date.today().isoformat(),
    }
    run_batch("check", options, **common)


@click.command("plan")
@batch_options
@click.option("--add", type=click.IntRange(1, 200), help="Cameras to add per compound.")
@click.option("--target", type=click.FloatRange(0, 1, min_open=True),
              help="Fewest cameras to reach this detection share.")  # fmt: skip
@click.option("--time-limit", type=click.FloatRange(0.1, 3600), default=20.0, show_default=True,
              help="Seconds of optimisation per compound.")  # fmt: skip
def plan_batch(**kw: Any) -> None:
    """Camera suggestions for every compound (the ``camwatch plan --json`` object each)."""
    common = _common(kw)
    if (kw["add"] is None) == (kw["target"] is None):
        raise UsageError(msg("give exactly one of --add K or --target X"))
    options = {
        "add": kw["add"],
        "target": kw["target"],
        "time_limit": kw["time_limit"],
    }
    run_batch("plan", options, **common)
