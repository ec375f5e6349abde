"""Who may do what: signed-in user, roles and permissions, login rate limit, headers.

Roles (``camwatch.model.ROLES``) map to permissions in one table,
:data:`PERMISSIONS`, so the rules are read in one place and tested row by row:

============== ================================================================
admin          everything, including users and deleting compounds
district       read-only across all compounds; the district dashboard
planner        analyse, plan, accept suggestions as *planned* cameras, open
               problems, re-check them, record inspections, import compounds
technician     add, move and edit devices, log maintenance and status changes,
               move problems along (in progress, fixed); no deletions
manager        read their own compounds (``user.compounds``) and move their
               problems along (in progress, fixed)
============== ================================================================

Every role except ``manager`` sees every compound; a manager gets 404 for a
compound that is not theirs (not 403, so compound ids do not leak).

Login rate limiting (:class:`LoginLimiter`) is a small in-process counter:
at most ``LOGIN_MAX_FAILURES`` failed logins per client address and per user
name within ``LOGIN_WINDOW_S`` seconds; further attempts get HTTP 429 until
the oldest failure leaves the window. It lives in the server process, which
is right for the single waitress process camwatch runs; several processes
would each count separately (put a shared limiter in front of them then).
"""

from __future__ import annotations

import functools
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, redirect, request, session, url_for

from camwatch.model import ROLES
from camwatch.registry.models import Compound, User

F = TypeVar("F", bound=Callable[..., Any])

ALL_ROLES = ROLES

PERMISSIONS: dict[str, frozenset[str]] = {
    name: frozenset(roles)
    for name, roles in {
        "compound.view": ALL_ROLES,
        "compound.import": ("admin", "planner"),
        "compound.delete": ("admin",),
        "device.edit": ("admin", "technician"),
        "device.plan": ("admin", "planner", "technician"),
        "maintenance.log": ("admin", "technician"),
        "analysis.run": ALL_ROLES,
        "plan.run": ("admin", "planner"),
        "plan.accept": ("admin", "planner"),
        "problem.view": ALL_ROLES,
        "problem.create": ("admin", "planner"),
        "problem.progress": ("admin", "planner", "technician", "manager"),
        "problem.recheck": ("admin", "planner"),
        "inspection.view": ALL_ROLES,
        "inspection.record": ("admin", "planner"),
        "district.view": ("admin", "district", "planner"),
        "user.manage": ("admin",),
        "token.own": ALL_ROLES,
    }.items()
}


def has_permission(user: User | None, permission: str) -> bool:
    """Whether ``user`` (None = anonymous) holds ``permission``."""
    if user is None or not user.active:
        return False
    return user.role in PERMISSIONS[permission]


def can(permission: str) -> bool:
    """Template helper: does the signed-in user hold ``permission``?"""
    return has_permission(g.get("user"), permission)


def can_see_compound(user: User | None, compound: Compound) -> bool:
    """Managers see only their own compounds; other signed-in roles see all."""
    if user is None or not user.active:
        return False
    if user.role != "manager":
        return True
    return any(c.id == compound.id for c in user.compounds)


def login_required(view: F) -> F:
    """Redirect anonymous visitors to the login page (JSON 401 for JSON requests)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            if wants_json():
                abort(401)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]


def require(permission: str) -> Callable[[F], F]:
    """Decorator: the signed-in user must hold ``permission`` (else 403)."""
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.get("user") is None:
                if wants_json():
                    abort(401)
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not has_permission(g.user, permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def wants_json() -> bool:
    """Whether the client expects JSON (API paths, fetch() calls, JSON bodies)."""
    if request.path.startswith("/api/"):
        return True
    if request.is_json:
        return True
    return request.accept_mimetypes.best == "application/json"


class LoginLimiter:
    """Failed-login counter per key (client address, user name) over a sliding window."""

    def __init__(self, *, max_failures: int, window_s: float) -> None:
        self.max_failures = max_failures
        self.window_s = window_s
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] >= self.window_s:
            times.popleft()
        return times

    def retry_after(self, *keys: str, now: float | None = None) -> float:
        """Seconds until another attempt is allowed for all ``keys`` (0 = allowed now)."""
        now = time.monotonic() if now is None else now
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= self.max_failures:
                    wait = max(wait, self.window_s - (now - times[0]))
        return wait

    def failed(self, *keys: str, now: float | None = None) -> None:
        """Record a failed attempt for every key."""
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)
            if len(self._failures) > 10_000:  # forget idle keys so memory stays bounded
                for key in [k for k, v in self._failures.items() if not v]:
                    del self._failures[key]

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key`` (a user name after a successful login)."""
        with self._lock:
            self._failures.pop(key, None)


def limiter() -> LoginLimiter:
    """The app's login limiter."""
    return current_app.extensions["camwatch_login_limiter"]


CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response: Any) -> Any:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if g.get("user") is not None and "Cache-Control" not in headers:
        headers["Cache-Control"] = "no-store"  # signed-in pages stay out of shared caches
    return response


def _load_user() -> None:
    """Put the signed-in user (from the session cookie) on ``g.user``, or None."""
    from web.db import db_session

    g.user = None
    uid = session.get("uid")
    if uid is None or request.path.startswith("/api/") or request.endpoint == "static":
        return
    db = db_session()
    user = db.get(User, uid)
    if user is None or not user.active or user.username != session.get("username"):
        session.clear()
        return
    g.user = user
    db.info["actor"] = user.username


def init_app(app: Flask) -> None:
    """Install the limiter, the user loader, security headers and template helpers."""
    app.extensions["camwatch_login_limiter"] = LoginLimiter(
        max_failures=int(app.config["LOGIN_MAX_FAILURES"]),
        window_s=float(app.config["LOGIN_WINDOW_S"]),
    )
    app.before_request(_load_user)
    app.after_request(_security_headers)
    app.jinja_env.globals["can"] = can
