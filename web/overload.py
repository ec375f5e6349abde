"""Load shedding: at most ``REQUEST_SLOTS`` requests run at once; the others wait for a
slot at most ``REQUEST_QUEUE_WAIT_S`` seconds, then get **503** with ``Retry-After``.

Why (docs/web.md, "Performance"): the app is CPU-bound Python on a few cores;
running more requests at once does not finish more of them (the GIL), it only
makes every one slower, and an unbounded queue turns a burst into requests
that wait half a minute. A quick "busy, retry in N s" is better for a person
and for a script than a 30 s wait. The gate is a WSGI middleware, so it sits
in front of everything (sessions, database, templates); waitress runs more
threads than there are slots (``python -m web.serve --threads``), so waiting
requests wait here, where the wait is bounded, rather than in waitress's own
queue, where it is not.

The answer is JSON (``{"error": {"code": "busy", "status": 503, ...}}``) for
the API and clients that accept JSON, else a short page in both languages
(the gate runs before the app picks the reader's language) that reloads itself
after ``Retry-After`` seconds. ``REQUEST_SLOTS
= 0`` turns the gate off.
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

Wsgi = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

BUSY_EN = "The server is busy; please try again in a few seconds."
BUSY_ZH = "服务器繁忙，请几秒后再试。"


class RequestGate:
    """WSGI middleware: ``slots`` requests at a time, the rest wait ``max_wait_s`` or get 503."""

    def __init__(self, app: Wsgi, *, slots: int, max_wait_s: float, retry_after_s: float) -> None:
        self.app = app
        self.slots = slots
        self.max_wait_s = max_wait_s
        self.retry_after_s = retry_after_s
        self._sem = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.active = 0
        self.shed = 0  # requests answered 503 since start

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not self._sem.acquire(timeout=self.max_wait_s):
            with self._lock:
                self.shed += 1
            return self._busy(environ, start_response)
        with self._lock:
            self.active += 1
        try:
            # Flask has built the body when it returns; sending it is the server's I/O, so the
            # slot is given back here (a streamed body is not counted while it streams)
            return self.app(environ, start_response)
        finally:
            self._release()

    def _release(self) -> None:
        with self._lock:
            self.active -= 1
        self._sem.release()

    def _busy(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        retry = str(max(1, math.ceil(self.retry_after_s)))
        accept = environ.get("HTTP_ACCEPT", "")
        if environ.get("PATH_INFO", "").startswith("/api/") or "json" in accept:
            body = json.dumps(
                {
                    "error": {
                        "code": "busy",
                        "status": 503,
                        "message": BUSY_EN,
                        "retry_after_s": int(retry),
                    }
                }
            ).encode()
            kind = "application/json"
        else:
            body = (
                '<!doctype html><meta charset="utf-8"><title>503</title>'
                f'<meta http-equiv="refresh" content="{retry}">'
                f'<p lang="zh">{BUSY_ZH}</p><p lang="en">{BUSY_EN}</p>'
            ).encode()
            kind = "text/html; charset=utf-8"
        headers = [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Retry-After", retry),
            ("Cache-Control", "no-store"),
        ]
        start_response("503 Service Unavailable", headers)
        return [body]


def init_app(app: Flask) -> None:
    """Wrap the app's WSGI callable in a :class:`RequestGate` (unless ``REQUEST_SLOTS`` is 0)."""
    slots = int(app.config["REQUEST_SLOTS"])
    if slots <= 0:
        return
    gate = RequestGate(
        app.wsgi_app,
        slots=slots,
        max_wait_s=float(app.config["REQUEST_QUEUE_WAIT_S"]),
        retry_after_s=float(app.config["REQUEST_RETRY_AFTER_S"]),
    )
    app.wsgi_app = gate  # type: ignore[method-assign]
    app.extensions["camwatch_gate"] = gate
