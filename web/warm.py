"""After a write, the changed compounds' list rows are computed on the cache's worker.

A camera turned makes a new compound state, and the next compound list (or
overview) computed that state's coverage summary and standards check inside the
request — about 100 ms of CPU on a sample compound, the slowest read after a
write (docs/web.md, "Performance"). Now a request whose database writes touched
compounds (devices, problems, inspections, the compound itself; noted by the
session, :mod:`web.db`) and that answered without error queues one job per
compound on the cache's worker thread (:meth:`web.cache.LRUCache.get_or_start`);
the job computes that compound's list row with the same functions and cache keys
the list uses, so the next reader finds it ready. Decisions: per compound only
the newest queued job runs (ten quick edits: one warm-up), and before the
routes queued on the worker (``urgent``: a row takes ~0.1 s, the routes up to
seconds, and the next list needs the row); the job runs as no
user (it only reads and fills caches, as the first reader would have); its
failure is logged and changes nothing. ``WARM_AFTER_WRITE`` (True;
``CAMWATCH_WARM_AFTER_WRITE``) turns it off.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from typing import Any

from flask import Flask, Response, current_app, g

from camwatch.registry.models import Compound
from web.cache import Pending, cache_for

_jobs = itertools.count()


def init_app(app: Flask) -> None:
    app.after_request(_after_write)


def _after_write(response: Response) -> Response:
    written = g.pop("written_compounds", None)
    if written and response.status_code < 400 and current_app.config["WARM_AFTER_WRITE"]:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        for cid in sorted(written):
            warm(app, cid)
    return response


def warm(app: Flask, cid: int) -> None:
    """Queue the list row of compound ``cid`` on the cache's worker (newest job per compound)."""

    def job() -> bool:
        with app.app_context():
            try:
                _compute_row(cid)
            except Exception:  # a warm-up never fails anything: the reader computes it
                app.logger.exception("warming the list row of compound %s failed", cid)
        return True

    with contextlib.suppress(Pending):  # queued: the usual answer, nothing waits for it
        cache_for(app).get_or_start(
            ("warm", cid, next(_jobs)), job, wait_s=0.0, group=("warm", cid), urgent=True
        )


def warming(cid: int) -> threading.Event | None:
    """Set once the list row of compound ``cid`` queued after a write is computed; None when
    none is queued or running."""
    return cache_for(current_app).in_progress(("warm", cid))


def _compute_row(cid: int) -> Any:
    from web.db import db_session
    from web.list_rows import list_rows

    g.user = None
    compound = db_session().get(Compound, cid)
    if compound is None:  # deleted meanwhile
        return None
    return list_rows([compound], defer=False)  # the job computes what the list defers to it
