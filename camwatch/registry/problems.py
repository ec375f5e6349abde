"""Rectification items: open, work, fix, re-check, verify — or reopen with a new deadline.

Life cycle (every step is a :class:`ProblemEvent` history row and an audit row)::

    open ──► in_progress ──► fixed ──recheck passed──► verified   (closed)
      │                        ▲  └──recheck failed──► reopened (new deadline)
      └────────────────────────┘                         │
                                                         └──► in_progress / fixed ...

``fixed`` is the responsible unit's claim; only a re-check (``recheck``)
moves a problem on from there.  ``verified`` is final: a recurrence is a new
problem.

**Overdue**: a problem is overdue on day ``today`` when it is not yet fixed
(status open, in_progress or reopened) and ``deadline < today``.  A problem
due today is *not* overdue; it becomes overdue the next day.  A problem that
was fixed late is not overdue (its re-check is pending, not its work).

:func:`camwatch.registry.analysis_problems.problems_from_analysis` turns a coverage analysis (the docs/site-format.md §3
JSON object, computed by the caller) into problems: one per blind spot and
one per failing zone, never duplicating an unresolved one (see its docstring
for how findings are matched).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from camwatch.errors import NotFoundError, StaleEditError, UsageError
from camwatch.i18n import Message, msg
from camwatch.model import PROBLEM_SOURCES, PROBLEM_STATUSES, UNRESOLVED_PROBLEM_STATUSES
from camwatch.registry.audit import set_actor
from camwatch.registry.codec import check_choice
from camwatch.registry.compounds import compound_id, get_compound
from camwatch.registry.devices import get_device
from camwatch.registry.finding_match import BLIND_SPOT_KEY, ZONE_KEY_PREFIX
from camwatch.registry.ledger_notes import changed_note
from camwatch.registry.models import Compound, Problem, ProblemEvent, utcnow

# status -> statuses `update_problem` may move it to (fixed -> verified/reopened is `recheck`)
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "fixed"),
    "in_progress": ("fixed",),
    "reopened": ("in_progress", "fixed"),
    "fixed": (),
    "verified": (),
}


class DuplicateProblemError(StaleEditError):
    """The finding already has a problem that is not verified (one per finding)."""

    def __init__(self, message: str | Message, problem_id: int) -> None:
        super().__init__(message)
        self.problem_id = problem_id


def is_overdue(problem: Problem, today: date) -> bool:
    """Not yet fixed and the deadline has passed (due today is not overdue)."""
    return problem.status in UNRESOLVED_PROBLEM_STATUSES and problem.deadline < today


def days_overdue(problem: Problem, today: date) -> int:
    """How many days past the deadline an overdue problem is (0 when not overdue)."""
    return (today - problem.deadline).days if is_overdue(problem, today) else 0


def get_problem(session: Session, problem_id: int) -> Problem:
    """The problem with this number (NotFoundError otherwise)."""
    problem = session.get(Problem, problem_id)
    if problem is None:
        raise NotFoundError(msg("no problem #%(id)s", id=problem_id))
    return problem


def list_problems(
    session: Session,
    *,
    compound: str | None = None,
    status: str | Sequence[str] | None = None,
    overdue: bool = False,
    unresolved: bool = False,
    today: date | None = None,
    compound_ids: Sequence[int] | None = None,
) -> Sequence[Problem]:
    """Problems by deadline, filtered by compound, status, unresolved or overdue on ``today``.

    ``compound_ids`` restricts the list to those compounds (a manager's view).
    """
    stmt = select(Problem).order_by(Problem.deadline, Problem.id)
    if compound:
        stmt = stmt.where(Problem.compound_id == compound_id(session, compound))
    if compound_ids is not None:
        stmt = stmt.where(Problem.compound_id.in_(list(compound_ids)))
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        for s in statuses:
            check_choice("status", s, PROBLEM_STATUSES)
        stmt = stmt.where(Problem.status.in_(statuses))
    if unresolved or overdue:
        stmt = stmt.where(Problem.status.in_(UNRESOLVED_PROBLEM_STATUSES))
    if overdue:
        stmt = stmt.where(Problem.deadline < (today or date.today()))
    return session.scalars(stmt).all()


def _expect(problem: Problem, expected_version: int | None) -> None:
    if expected_version is not None and problem.version != expected_version:
        raise StaleEditError(
            msg(
                "conflict: problem #%(id)s was changed by someone else "
                "(now version %(version)s, you edited version %(expected)s); "
                "nothing was saved — reload and try again",
                id=problem.id,
                version=problem.version,
                expected=expected_version,
            )
        )


def _event(
    session: Session,
    problem: Problem,
    action: str,
    *,
    actor: str | None,
    from_status: str | None = None,
    to_status: str | None = None,
    deadline: date | None = None,
    note: str | None = None,
) -> None:
    with session.no_autoflush:  # loading the collection must not flush half an edit
        events = problem.events
    events.append(
        ProblemEvent(
            actor=actor or str(session.info.get("actor") or "system"),
            action=action,
            from_status=from_status,
            to_status=to_status,
            deadline=deadline,
            note=note,
        )
    )


def zone_names(compound: Compound) -> list[str]:
    """The names of the compound plan's zones."""
    features = (compound.plan_json or {}).get("features") or []
    return [
        f["properties"]["name"]
        for f in features
        if f.get("properties", {}).get("kind") == "zone" and f["properties"].get("name")
    ]


def open_problem(
    session: Session,
    compound: str,
    *,
    description: str | Message,
    deadline: date,
    source: str = "patrol",
    responsible_unit: str | None = None,
    responsible_person: str | None = None,
    device: str | None = None,
    zone: str | None = None,
    ref_key: str | None = None,
    reference: Mapping[str, Any] | None = None,
    today: date | None = None,
    actor: str | None = None,
) -> Problem:
    """Open a rectification item; ``device`` (code) and ``zone`` (name) must exist.

    A :class:`~camwatch.i18n.Message` description is stored as its key and
    parameters (``description_msg``) and its English text (``description``), and
    shown in the reader's language (:meth:`Problem.description_text`).
    """
    set_actor(session, actor)
    comp = get_compound(session, compound)
    check_choice("source", source, PROBLEM_SOURCES)
    words = description if isinstance(description, Message) else None
    english = words.render("en") if words is not None else str(description)
    if not english or not english.strip():
        raise UsageError(msg("a problem needs a description"))
    day = today or date.today()
    if deadline < day:
        raise UsageError(
            msg(
                "deadline %(deadline)s is before today (%(today)s)",
                deadline=deadline.isoformat(),
                today=day.isoformat(),
            )
        )
    device_row = get_device(session, compound, device) if device else None
    if zone is not None and zone not in zone_names(comp):
        raise NotFoundError(
            msg(
                "compound %(compound)s has no zone %(zone)s",
                compound=repr(compound),
                zone=repr(zone),
            )
        )
    key = ref_key or (f"{ZONE_KEY_PREFIX}{zone}" if zone else None)
    # findings of an analysis hold their key while not verified (docs/registry.md)
    open_key = key if source == "analysis" and key and key != BLIND_SPOT_KEY else None
    if open_key is not None:
        held = session.scalar(
            select(Problem).where(Problem.compound_id == comp.id, Problem.open_key == open_key)
        )
        if held is not None:
            raise DuplicateProblemError(
                msg(
                    "already in the problem list: #%(id)s (%(key)s)",
                    id=held.id,
                    key=open_key,
                ),
                held.id,
            )
    problem = Problem(
        compound=comp,
        device=device_row,
        zone_name=zone,
        ref_key=key,
        open_key=open_key,
        reference=dict(reference) if reference else None,
        description=english.strip(),
        description_msg=words.to_json() if words is not None else None,
        source=source,
        responsible_unit=responsible_unit,
        responsible_person=responsible_person,
        deadline=deadline,
        status="open",
        created_by=actor or str(session.info.get("actor") or "system"),
    )
    session.add(problem)
    _event(session, problem, "opened", actor=actor, to_status="open", deadline=deadline)
    session.flush()
    return problem


def update_problem(
    session: Session,
    problem_id: int,
    *,
    status: str | None = None,
    responsible_unit: str | None = None,
    responsible_person: str | None = None,
    description: str | None = None,
    deadline: date | None = None,
    note: str | None = None,
    expected_version: int | None = None,
    actor: str | None = None,
) -> Problem:
    """Move a problem along (see :data:`TRANSITIONS`) or edit who/what/when.

    Moving the deadline of an unresolved problem needs a ``note`` saying why
    (it is how overdue items get out of the overdue list, so it is recorded).
    """
    set_actor(session, actor)
    problem = get_problem(session, problem_id)
    _expect(problem, expected_version)
    if problem.status == "verified":
        raise UsageError(
            msg("problem #%(id)s is verified (closed); open a new problem", id=problem_id)
        )
    changed = False
    if status is not None and status != problem.status:
        check_choice("status", status, PROBLEM_STATUSES)
        if status not in TRANSITIONS[problem.status]:
            allowed = TRANSITIONS[problem.status]
            hint = (
                msg("allowed: %(allowed)s", allowed=list(allowed))
                if allowed
                else msg("use recheck to verify or reopen it")
            )
            raise UsageError(
                msg(
                    "problem #%(id)s cannot go from %(old)s to %(new)s (%(hint)s)",
                    id=problem_id,
                    old=problem.status,
                    new=status,
                    hint=hint,
                )
            )
        _event(
            session,
            problem,
            "status",
            actor=actor,
            from_status=problem.status,
            to_status=status,
            note=note,
        )
        problem.status = status
        changed = True
    if deadline is not None and deadline != problem.deadline:
        if problem.status not in UNRESOLVED_PROBLEM_STATUSES:
            raise UsageError(
                msg(
                    "problem #%(id)s is %(status)s; its deadline is settled",
                    id=problem_id,
                    status=problem.status,
                )
            )
        if not note:
            raise UsageError(msg("changing a deadline needs a note saying why"))
        _event(session, problem, "deadline", actor=actor, deadline=deadline, note=note)
        problem.deadline = deadline
        changed = True
    edits = {
        "responsible_unit": responsible_unit,
        "responsible_person": responsible_person,
        "description": description,
    }
    edited = [k for k, v in edits.items() if v is not None and v != getattr(problem, k)]
    for key in edited:
        setattr(problem, key, edits[key])
    if "description" in edited:  # a person's words now: shown as typed
        problem.description_msg = None
    if edited:
        _event(session, problem, "edit", actor=actor, note=note or changed_note(edited))
        changed = True
    if not changed:
        if note:
            _event(session, problem, "note", actor=actor, note=note)
        else:
            raise UsageError(msg("nothing to change"))
    session.flush()
    return problem


def recheck(
    session: Session,
    problem_id: int,
    *,
    passed: bool,
    result: str,
    on: date | None = None,
    new_deadline: date | None = None,
    expected_version: int | None = None,
    actor: str | None = None,
) -> Problem:
    """Re-check a fixed problem: passed → verified (closed); failed → reopened, new deadline."""
    set_actor(session, actor)
    problem = get_problem(session, problem_id)
    _expect(problem, expected_version)
    if problem.status != "fixed":
        raise UsageError(
            msg(
                "problem #%(id)s is %(status)s; only a fixed problem is re-checked",
                id=problem_id,
                status=problem.status,
            )
        )
    if not result or not result.strip():
        raise UsageError(msg("a re-check needs a result (what was found)"))
    day = on or date.today()
    if passed:
        if new_deadline is not None:
            raise UsageError(msg("a passed re-check takes no new deadline"))
        to_status = "verified"
        problem.closed_at = utcnow()
        problem.open_key = None  # a recurrence is a new problem
    else:
        if new_deadline is None:
            raise UsageError(msg("a failed re-check needs a new deadline"))
        if new_deadline < day:
            raise UsageError(
                msg(
                    "new deadline %(deadline)s is before the re-check (%(day)s)",
                    deadline=new_deadline.isoformat(),
                    day=day.isoformat(),
                )
            )
        to_status = "reopened"
        problem.deadline = new_deadline
    _event(
        session,
        problem,
        "recheck",
        actor=actor,
        from_status=problem.status,
        to_status=to_status,
        deadline=new_deadline,
        note=result.strip(),
    )
    problem.status = to_status
    problem.recheck_date = day
    problem.recheck_result = result.strip()
    session.flush()
    return problem
