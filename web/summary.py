"""Numbers about a compound for lists, overviews and the district dashboard.

``compound_status`` gathers, for one compound: the coverage analysis (cached),
the *key area* left uncovered (zone area not reaching the zone's required
level — what the programme calls key areas: entrances, perimeter, parking…),
device health, open and overdue problems, the latest inspection and, on
request, the live inspection checklist (the registry's own checklist run on
today's state without recording anything) and the standards check
(:func:`findings_outcome`, cached per compound state, day and problem
deadlines). The coverage summary and the standards check are read from the
ledger's analysis snapshots when a current one exists (``camwatch district
analyze|check --all`` fills them for a whole district; docs/district.md), and
what this app computes is stored as one, so a restart or a second server
process does not recompute them. A compound **meets the standard** (达标) when its standards check
has no error finding (:func:`camwatch.standards.meets_standard`, the same
function the district report uses); the district share is counted on this.

A compound whose analysis fails — a value an old database holds that today's
ranges refuse (``docs/ranges.md``), or any error in the engine — does not take
the lists down: :func:`analysis_outcome` returns the error instead, remembered
per compound state like a result, and ``compound_status`` carries it as
``error`` (worded for the reader) with the coverage numbers ``None``. Such a
compound does not meet the standard (its coverage is unknown); a standards
check that fails likewise leaves the compound not meeting the standard, with
``error`` saying why.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from typing import Any

from flask import abort, current_app
from sqlalchemy.exc import SQLAlchemyError

from camwatch.batch.jobs import ANALYZE_DEFAULTS
from camwatch.batch.stored import check_report, current_result
from camwatch.model import DEVICE_KINDS
from camwatch.registry.checklist import checklist, score_of
from camwatch.registry.compounds import live_and_down
from camwatch.registry.inspections import latest_inspection
from camwatch.registry.models import Compound
from camwatch.registry.problems import is_overdue, list_problems
from camwatch.registry.snapshots import save_snapshot
from camwatch.standards import meets_standard
from web.cache import cache_for
from web.db import db_session, new_session
from web.ledger import CompoundAnalysis, analysis_of, model_of, state_key
from web.messages import analysis_failed

Outcome = tuple[CompoundAnalysis | None, BaseException | None]


def analysis_outcome(
    compound: Compound, *, include_planned: bool = False, coverage_model: str | None = None
) -> Outcome:
    """``(analysis, None)``, or ``(None, error)`` when the analysis fails (never raises for it).

    ``coverage_model`` ("ground" | "standing") overrides the compound's own
    (:func:`web.ledger.model_of`; an unknown one raises UsageError, a 400).
    A failure is remembered under the compound's state key and the model, so an
    unchanged broken compound is not re-analysed on every request; database
    errors are not analysis failures and propagate.
    """
    model = model_of(compound, coverage_model)

    def compute() -> Outcome:
        try:
            return analysis_of(
                compound, include_planned=include_planned, coverage_model=model
            ), None
        except SQLAlchemyError:
            raise
        except Exception as exc:  # any failure of the analysis is shown, not raised
            current_app.logger.warning("analysis of %s failed: %r", compound.code, exc)
            exc.__traceback__ = None  # keep no frames alive in the cache
            exc.__context__ = exc.__cause__ = None
            return None, exc

    key = ("analysis-outcome", state_key(compound), include_planned, model)
    return cache_for(current_app).get_or_compute(key, compute)


def keep_result(
    compound: Compound, task: str, digest: str, result: dict[str, Any], seconds: float
) -> None:
    """Store a result computed here as a snapshot, in its own session (best effort)."""
    session = new_session()
    try:
        save_snapshot(session, compound.id, task, digest, result=result, seconds=seconds)
    except SQLAlchemyError as exc:  # a cache write never fails a page
        current_app.logger.warning("snapshot of %s not stored: %r", compound.code, exc)
    finally:
        session.close()


SummaryOutcome = tuple[dict[str, Any] | None, BaseException | None]


def summary_outcome(compound: Compound) -> SummaryOutcome:
    """The ``camwatch analyze --json`` object of the compound, or ``(None, error)``.

    Read from a current snapshot when there is one (lists and the dashboard
    need no geometry), else computed and stored as one.
    """

    def compute() -> SummaryOutcome:
        digest, stored = current_result(db_session(), compound, "analyze", ANALYZE_DEFAULTS)
        if stored is not None:
            return stored, None
        start = time.perf_counter()
        result, failure = analysis_outcome(compound)
        if result is None:
            return None, failure
        summary = result.figures.to_dict()
        keep_result(compound, "analyze", digest, summary, time.perf_counter() - start)
        return summary, None

    key = ("summary-outcome", state_key(compound))
    return cache_for(current_app).get_or_compute(key, compute)


def analysis_or_422(
    compound: Compound, *, include_planned: bool = False, coverage_model: str | None = None
) -> CompoundAnalysis:
    """The compound's analysis, or a 422 answer saying why it failed (for JSON and downloads)."""
    result, failure = analysis_outcome(
        compound, include_planned=include_planned, coverage_model=coverage_model
    )
    if result is None:
        abort(422, description=analysis_failed(failure or RuntimeError("unknown")))
    return result


def uncovered_key_area(zones: list[dict[str, Any]]) -> float:
    """Zone area (m²) that does not reach the zone's required DORI level."""
    return sum(max(float(z["area_m2"]) - float(z["covered_m2"]), 0.0) for z in zones)


def health_of(compound: Compound) -> dict[str, Counter[str]]:
    """Device counts by kind and status (retired excluded)."""
    out: dict[str, Counter[str]] = {k: Counter() for k in DEVICE_KINDS}
    for device in compound.devices:
        if device.status != "retired":
            out.setdefault(device.kind, Counter())[device.status] += 1
    return out


def live_checklist(
    compound: Compound, summary: dict[str, Any], today: date
) -> list[dict[str, Any]]:
    """The inspection checklist on today's state (cached per state, day and problem deadlines)."""
    session = db_session()
    problems = list_problems(session, compound=compound.code)
    pkey = tuple((p.id, p.status, p.deadline.isoformat()) for p in problems)
    key = ("checklist", state_key(compound), today.isoformat(), pkey)
    return cache_for(current_app).get_or_compute(
        key, lambda: checklist(session, compound.code, summary, today=today)
    )


def _failure(what: str, compound: Compound, exc: Exception) -> BaseException:
    current_app.logger.warning("%s of %s failed: %r", what, compound.code, exc)
    exc.__traceback__ = None  # keep no frames alive in the cache
    exc.__context__ = exc.__cause__ = None
    return exc


FindingsOutcome = tuple[dict[str, Any] | None, BaseException | None]


def findings_outcome(
    compound: Compound,
    today: date | None = None,
    *,
    problems_key: tuple[tuple[Any, ...], ...] | None = None,
) -> FindingsOutcome:
    """``(check, None)`` — the docs/site-format.md §7 object of the compound's standards
    check, as ``camwatch check COMPOUND`` gives it — or ``(None, error)`` when it fails.

    Cached per compound state, day and problem deadlines (DEVICE-HEALTH reads the
    repair deadlines and today's date; ``problems_key`` gives them as
    ``(id, status, deadline ISO, device id)`` in deadline order when already read);
    database errors propagate.
    """
    day = today or date.today()
    session = db_session()
    pkey = problems_key
    if pkey is None:  # (the compound list reads every compound's problems in one query)
        problems = list_problems(session, compound=compound.code)
        pkey = tuple((p.id, p.status, p.deadline.isoformat(), p.device_id) for p in problems)

    def _check_on_our_analysis() -> dict[str, Any]:
        """``camwatch check`` of the compound, its coverage read from this app's analysis
        (cached, or derived incrementally after an edit) instead of analysed again."""
        from camwatch.compliance import device_health
        from camwatch.standards import load_profile
        from camwatch.standards.context import Context
        from camwatch.standards.engine import run_rules

        result = analysis_of(compound, coverage_model=None)
        site = result.site
        profile = load_profile(site.info.rule_profile)
        devices = device_health(session, compound)
        ctx = Context(site, devices=devices, today=day, active_rules=tuple(profile.rules))
        if result.figures.coverage_model == site.info.model:
            ctx.analysis = result.analysis  # what Context would compute: analyze(site)
        return run_rules(ctx, profile, site_id=site.id).to_dict()

    def compute() -> FindingsOutcome:
        def keep(task: str, digest: str, result: dict[str, Any], seconds: float) -> None:
            keep_result(compound, task, digest, result, seconds)

        try:
            return check_report(session, compound, day, keep, _check_on_our_analysis), None
        except SQLAlchemyError:
            raise
        except Exception as exc:  # any failure of the check is shown, not raised
            return None, _failure("standards check", compound, exc)

    key = ("findings", state_key(compound), day.isoformat(), pkey)
    return cache_for(current_app).get_or_compute(key, compute)


def camera_figures(cams: Counter[str]) -> dict[str, Any]:
    """What the compound list and the overview show of a compound's cameras (by status)."""
    installed = cams["active"] + cams["faulty"] + cams["offline"]
    return {
        "cameras": cams,
        "cameras_installed": installed,
        "cameras_live": live_and_down(cams)[0],
        "camera_health": (cams["active"] / installed) if installed else None,
    }


def summary_figures(summary: dict[str, Any]) -> dict[str, Any]:
    """What the compound list and the overview show of an analysis summary."""
    zones = summary["zones"]
    return {
        "summary": summary,
        "compliant": summary["compliant"],
        "detection": summary["levels"]["detection"]["ratio"],
        "blind_spots": len(summary["blind_spots"]),
        "blind_area": sum(s["area_m2"] for s in summary["blind_spots"]),
        "key_uncovered": round(uncovered_key_area(zones), 2),
        "zones_pass": sum(1 for z in zones if z["pass"]),
        "zones": len(zones),
    }


def compound_status(compound: Compound, *, with_checklist: bool = True) -> dict[str, Any]:
    """Everything the lists and dashboards show about one compound.

    When its analysis fails, ``error`` says why and the coverage numbers are ``None``.
    """
    today = date.today()
    summary, failure = summary_outcome(compound)
    problems = list_problems(db_session(), compound=compound.code, unresolved=True)
    overdue = [p for p in problems if is_overdue(p, today)]
    cams = Counter(d.status for d in compound.devices if d.kind == "camera")
    status: dict[str, Any] = {
        "compound": compound,
        "error": analysis_failed(failure) if failure is not None else None,
        **camera_figures(cams),
        "open_problems": len(problems),
        "overdue_problems": len(overdue),
        "last_inspection": latest_inspection(db_session(), compound.code),
    }
    if summary is None:
        unknown = ("summary", "compliant", "detection", "blind_spots", "blind_area")
        status.update(dict.fromkeys(unknown + ("key_uncovered", "zones_pass", "zones")))
        status["compliant"] = False
        if with_checklist:
            status.update(checklist=[], score=None, meets_standard=False, findings=None)
        return status
    status.update(summary_figures(summary))
    if with_checklist:
        items = live_checklist(compound, summary, today)
        status["checklist"] = items
        status["score"] = score_of(items)
        report, failed = findings_outcome(compound, today)
        status["findings"] = report
        status["meets_standard"] = report is not None and meets_standard(report)
        if failed is not None:
            status["error"] = analysis_failed(failed)
    return status
