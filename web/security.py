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

Login rate limiting (:class:`LoginLimiter`, on Flask-Limiter's storage): at
most ``LOGIN_MAX_FAILURES`` failed sign-ins per client address and user name,
and ``LOGIN_MAX_FAILURES_PER_ADDRESS`` per client address, within
``LOGIN_WINDOW_S`` seconds; further attempts from there get HTTP 429 until the
window moves on. Nothing is counted per user name alone, so nobody can lock a
user out from elsewhere. ``RATELIMIT_STORAGE_URI`` (``CAMWATCH_RATELIMIT_STORAGE_URI``)
names a shared store when several server processes must count together.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, RateLimitItemPerSecond

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
    """Failed sign-ins per client address and per address + user name, in Flask-Limiter's
    storage (``RATELIMIT_STORAGE_URI``: process memory by default; a shared store such as
    ``redis://`` lets several server processes count together).

    Only failures count, and only where they came from: a flood of wrong
    passwords for ``admin`` from some addresses never stops the right password
    from another one. A successful sign-in forgets its address + user count.
    """

    def __init__(
        self,
        limiter: Limiter,
        *,
        max_failures: int,
        max_failures_per_address: int,
        window_s: int,
    ) -> None:
        self.flask_limiter = limiter
        self.per_user = RateLimitItemPerSecond(max_failures, window_s)
        self.per_address = RateLimitItemPerSecond(max_failures_per_address, window_s)

    def _items(self, address: str, username: str) -> list[tuple[RateLimitItem, tuple[str, ...]]]:
        return [
            (self.per_address, ("login", address)),
            (self.per_user, ("login", address, username.lower())),
        ]

    def retry_after(self, address: str, username: str) -> float:
        """Seconds until ``address`` may try ``username`` again (0 = now)."""
        strategy = self.flask_limiter.limiter
        wait = 0.0
        for item, ids in self._items(address, username):
            if not strategy.test(item, *ids):
                reset = strategy.get_window_stats(item, *ids).reset_time
                wait = max(wait, reset - time.time(), 1.0)
        return wait

    def failed(self, address: str, username: str) -> None:
        """Count a failed sign-in of ``username`` from ``address``."""
        for item, ids in self._items(address, username):
            self.flask_limiter.limiter.hit(item, *ids)

    def succeeded(self, address: str, username: str) -> None:
        """Forget the failures of ``username`` from ``address`` (after signing in)."""
        item, ids = self._items(address, username)[1]
        self.flask_limiter.limiter.clear(item, *ids)


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
    if current_app.config.get("HTTPS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if (g.get("user") is not None or request.path.startswith("/api/")) and (
        "Cache-Control" not in headers
    ):
        headers["Cache-Control"] = "no-store"  # signed-in pages and API answers stay private
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
    if (
        user is None
        or not user.active
        or user.username != session.get("username")
        or user.session_version != session.get("sv")
    ):
        session.clear()
        return
    g.user = user
    db.info["actor"] = user.username


def init_app(app: Flask) -> None:
    """Install the limiter, the user loader, security headers and template helpers."""
    flask_limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=app.config["RATELIMIT_STORAGE_URI"],
        strategy=app.config["RATELIMIT_STRATEGY"],
    )
    app.extensions["camwatch_login_limiter"] = LoginLimiter(
        flask_limiter,
        max_failures=int(app.config["LOGIN_MAX_FAILURES"]),
        max_failures_per_address=int(app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]),
        window_s=int(app.config["LOGIN_WINDOW_S"]),
    )
    if app.config["PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = int(app.config["PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.before_request(_load_user)
    app.after_request(_security_headers)
    app.jinja_env.globals["can"] = can
