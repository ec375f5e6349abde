"""Configuration of the web app: defaults, environment, instance files.

Order (later wins): :data:`DEFAULTS`, environment variables (``CAMWATCH_*``,
``DATABASE_URL``, ``SECRET_KEY``), then the ``test_config`` mapping passed to
:func:`web.create_app`.

The secret key signs session cookies and CSRF tokens. If neither
``SECRET_KEY`` nor ``CAMWATCH_SECRET_KEY`` is set, a random key is generated
once and kept in ``<instance>/secret_key`` (mode 0600), so sessions survive
a restart without anyone having to invent a key. A configured key shorter than
:data:`MIN_SECRET_KEY_LENGTH` characters is refused (:func:`check_secret_key`):
the app does not start.

``CAMWATCH_HTTPS=1`` (older name: ``CAMWATCH_SECURE_COOKIES``) says the app is
reached over HTTPS: session cookies get ``Secure``, responses carry HSTS and
URLs are built with ``https``. Behind a reverse proxy, ``CAMWATCH_PROXIES=N``
trusts the ``X-Forwarded-For``/``-Proto`` headers of N proxies (werkzeug's
``ProxyFix``), so the login throttle sees the client's address, not the proxy's.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from camwatch.errors import UsageError
from camwatch.i18n import CATALOGUE

MIN_SECRET_KEY_LENGTH = 32

DEFAULTS: dict[str, Any] = {
    # session cookie: not readable by scripts, not sent on cross-site sub-requests
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # CAMWATCH_HTTPS=1 behind HTTPS (see load_config)
    # served over HTTPS: Secure cookies, HSTS, https URLs (CAMWATCH_HTTPS=1)
    "HTTPS": False,
    # reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted
    # (CAMWATCH_PROXIES=N; 0 = none, the app sees clients directly)
    "PROXIES": 0,
    "SESSION_COOKIE_NAME": "camwatch_session",
    "PERMANENT_SESSION_LIFETIME": 12 * 3600,
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,  # site files and forms; larger bodies get 413
    "WTF_CSRF_TIME_LIMIT": 12 * 3600,
    "BABEL_DEFAULT_LOCALE": "zh",
    "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
    "LANGUAGES": ("zh", "en"),
    # the one message catalogue of camwatch, shared with the core and planners (camwatch.i18n)
    "BABEL_TRANSLATION_DIRECTORIES": str(CATALOGUE),
    # login rate limit: this many failures per address + user name, and per address,
    # within the window (web.security.LoginLimiter)
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "LOGIN_WINDOW_S": 300,
    # where the counts live: process memory, or a shared store for several processes
    # (CAMWATCH_RATELIMIT_STORAGE_URI, e.g. redis://host:6379)
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_STRATEGY": "moving-window",
    # district target share of compliant compounds
    "DISTRICT_TARGET": 0.80,
    # the web cache's cap on the estimated bytes it holds (web.cache; CAMWATCH_CACHE_BYTES)
    "CACHE_BYTES": 256 * 1024 * 1024,
    # entries of the memo of compound state digests (web.ledger; CAMWATCH_STATE_MEMO_ENTRIES)
    "STATE_MEMO_ENTRIES": 4096,
    # load shedding (web.overload): requests running at once, how long another waits for a
    # slot before a 503 with Retry-After (CAMWATCH_REQUEST_SLOTS, 0 = no gate;
    # CAMWATCH_REQUEST_QUEUE_WAIT_S), and the Retry-After it gets
    "REQUEST_SLOTS": 4,
    "REQUEST_QUEUE_WAIT_S": 3.0,
    "REQUEST_RETRY_AFTER_S": 2.0,
    # how long the analysis page waits for its intruder and patrol routes, computed on the
    # cache's worker thread, before saying "still being computed" (web.map_planners)
    "PLANNER_WAIT_S": 0.1,
    # how long the compound list waits for a row being computed after a write (web.warm)
    # before listing it as "being computed" (web.list_rows)
    "LIST_WAIT_S": 0.05,
    # the analysis page's routes of a compound under edits wait for a pause this long
    # (web.cache.LRUCache.get_or_start settle_s; docs/web.md "Performance")
    "PLANNER_SETTLE_S": 5.0,
    # after a write, compute the changed compounds' list rows on the cache's worker (web.warm;
    # CAMWATCH_WARM_AFTER_WRITE)
    "WARM_AFTER_WRITE": True,
    # coverage states kept for incremental re-analysis (web.incremental; docs/web.md)
    "INCREMENTAL_STATES": 8,
    "INCREMENTAL_BYTES": 128 * 1024 * 1024,
    "INCREMENTAL_MAX_CHANGES": 10,
    "PROBLEM_DEADLINE_DAYS": 30,
    "PLAN_TIMEOUT_S": 90.0,  # hard limit of one "Plan K cameras" request (see web.planning)
}


def _env_flag(name: str) -> bool | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return value.strip().lower() in ("1", "true", "yes", "on")


def secret_key(instance_path: str | os.PathLike[str]) -> str:
    """The app's secret key: from the environment, else the instance file (created once)."""
    for name in ("CAMWATCH_SECRET_KEY", "SECRET_KEY"):
        if os.environ.get(name):
            return os.environ[name]
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    tmp.replace(path)
    return key


def load_config(app: Flask, test_config: Mapping[str, Any] | None = None) -> None:
    """Fill ``app.config`` from defaults, environment and ``test_config``."""
    app.config.from_mapping(DEFAULTS)
    for name in ("CAMWATCH_SECURE_COOKIES", "CAMWATCH_HTTPS"):  # the older name first
        https = _env_flag(name)
        if https is not None:
            app.config["HTTPS"] = https
    warm = _env_flag("CAMWATCH_WARM_AFTER_WRITE")
    if warm is not None:
        app.config["WARM_AFTER_WRITE"] = warm
    if os.environ.get("CAMWATCH_PROXIES"):
        app.config["PROXIES"] = _env_int("CAMWATCH_PROXIES")
    if os.environ.get("CAMWATCH_RATELIMIT_STORAGE_URI"):
        app.config["RATELIMIT_STORAGE_URI"] = os.environ["CAMWATCH_RATELIMIT_STORAGE_URI"]
    if os.environ.get("CAMWATCH_CACHE_BYTES"):
        app.config["CACHE_BYTES"] = _env_int("CAMWATCH_CACHE_BYTES")
    for name in ("STATE_MEMO_ENTRIES", "REQUEST_SLOTS", "INCREMENTAL_STATES", "INCREMENTAL_BYTES"):
        if os.environ.get("CAMWATCH_" + name):
            app.config[name] = _env_int("CAMWATCH_" + name)
    if os.environ.get("CAMWATCH_REQUEST_QUEUE_WAIT_S"):
        app.config["REQUEST_QUEUE_WAIT_S"] = _env_seconds("CAMWATCH_REQUEST_QUEUE_WAIT_S")
    if os.environ.get("DATABASE_URL"):
        app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    if test_config:
        app.config.from_mapping(test_config)
    if not app.config.get("DATABASE_URL"):
        db_path = Path(app.instance_path) / "camwatch.db"
        app.config["DATABASE_URL"] = f"sqlite:///{db_path}"
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(app.instance_path)
    check_secret_key(app.config["SECRET_KEY"])
    if app.config["HTTPS"]:
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["PREFERRED_URL_SCHEME"] = "https"


def check_secret_key(key: str | bytes) -> None:
    """Refuse a secret key shorter than :data:`MIN_SECRET_KEY_LENGTH` (a short key can be
    guessed offline from one signed cookie, and then any session can be forged)."""
    if len(key) < MIN_SECRET_KEY_LENGTH:
        raise UsageError(
            f"the secret key (CAMWATCH_SECRET_KEY / SECRET_KEY) has {len(key)} characters; "
            f"it needs at least {MIN_SECRET_KEY_LENGTH} — make one with "
            "python3 -c 'import secrets; print(secrets.token_hex(32))', or unset it and "
            "camwatch keeps a random one in instance/secret_key"
        )


def _env_int(name: str) -> int:
    value = os.environ[name].strip()
    if not value.isdigit():
        raise UsageError(f"{name} must be a whole number ≥ 0, got {value!r}")
    return int(value)


def _env_seconds(name: str) -> float:
    value = os.environ[name].strip()
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise UsageError(f"{name} must be a number of seconds from 0 to 3600, got {value!r}")
    return seconds
