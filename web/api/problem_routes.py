"""The API's problem resources: rectification items, opening one, moving it along and
rechecking it (see :mod:`web.api` for authentication and errors).

Bodies and query strings are validated by the schemas of :mod:`web.api.schemas`
before a view runs; the views check the role, then call the registry.
"""

from __future__ import annotations

from typing import Any

from flask import abort, g, url_for

from camwatch.errors import StaleEditError
from camwatch.registry.models import Problem
from camwatch.registry.problems import list_problems, open_problem, recheck, update_problem
from web.api import bp
from web.api.common import conflict, registry_errors
from web.api.guards import documents_errors, need, requires
from web.api.outputs import ProblemList, ProblemOut
from web.api.schemas import ProblemInput, ProblemPatch, ProblemQuery, RecheckInput
from web.db import db_session
from web.ledger import compound_by_code


def _problem(pid: int) -> Problem:
    problem = db_session().get(Problem, pid)
    if problem is None:
        abort(404)
    compound_by_code(problem.compound.code, g.user)
    return problem


def _current_problem(pid: int) -> dict[str, Any] | None:
    fresh = db_session().get(Problem, pid)
    return ProblemOut().dump(fresh) if fresh is not None else None


@bp.route("/problems", methods=["GET"])
@requires("problem.view")
@bp.arguments(ProblemQuery, location="query")
@bp.response(200, ProblemList)
@documents_errors(400)
def list_all_problems(query: dict[str, Any]):
    """Rectification items by deadline."""
    code = query.get("compound")
    if code is not None:
        compound_by_code(code, g.user)
    ids = [c.id for c in g.user.compounds] if g.user.role == "manager" else None
    rows = list_problems(
        db_session(),
        compound=code,
        status=query.get("status"),
        overdue=query.get("overdue", "false") in ("true", "1"),
        compound_ids=ids,
    )
    return {"problems": rows}


@bp.route("/compounds/<code>/problems", methods=["POST"])
@requires("problem.create")
@bp.arguments(ProblemInput)
@bp.response(201, ProblemOut)
@documents_errors(400)
def add_problem(data: dict[str, Any], code: str):
    """Open a rectification item."""
    compound = compound_by_code(code, g.user)
    if not data["description"].strip():
        from web.errors import FieldError

        raise FieldError("description", "is required")
    db = db_session()
    with registry_errors():
        problem = open_problem(db, compound.code, **data, actor=g.user.username)
        db.commit()
    return problem, 201, {"Location": url_for("api.get_problem", pid=problem.id)}


@bp.route("/problems/<int:pid>", methods=["GET"])
@requires("problem.view")
@bp.response(200, ProblemOut)
@documents_errors()
def get_problem(pid: int):
    """One problem with its history."""
    return _problem(pid)


@bp.route("/problems/<int:pid>", methods=["PATCH"])
@bp.arguments(ProblemPatch)
@bp.response(200, ProblemOut)
@documents_errors(400, 409)
def patch_problem(data: dict[str, Any], pid: int):
    """Move a problem along or change who/what/when (a new deadline needs a note)."""
    problem = _problem(pid)
    edits = any(
        k in data for k in ("responsible_unit", "responsible_person", "description", "deadline")
    )
    need("problem.create" if edits else "problem.progress")
    db = db_session()
    version = data.pop("version")
    try:
        with registry_errors():
            update_problem(db, pid, **data, expected_version=version, actor=g.user.username)
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _current_problem(pid))
    return problem


@bp.route("/problems/<int:pid>/recheck", methods=["POST"])
@requires("problem.recheck")
@bp.arguments(RecheckInput)
@bp.response(200, ProblemOut)
@documents_errors(400, 409)
def post_recheck(data: dict[str, Any], pid: int):
    """Record the recheck of a fixed problem (passed: verified; failed: reopened)."""
    _problem(pid)
    db = db_session()
    try:
        with registry_errors():
            problem = recheck(
                db,
                pid,
                passed=data["passed"],
                result=data.get("result") or "",
                new_deadline=data.get("new_deadline"),
                on=data.get("date"),
                expected_version=data["version"],
                actor=g.user.username,
            )
            db.commit()
    except StaleEditError as exc:
        return conflict(exc, lambda: _current_problem(pid))
    return problem
