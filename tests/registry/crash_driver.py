"""Run one ``camwatch`` command that stops at a named moment, for the ``kill -9`` tests.

    python -m tests.registry.crash_driver MARKER STAGE SECONDS camwatch-arguments...

When the command reaches STAGE the driver appends ``STAGE`` and a newline to
the file MARKER, sleeps SECONDS, then lets the command go on (the tests kill
the process during that sleep, or let it go on to race another process).

STAGE is one of:

``start``      just before the command runs (the tests kill after a random delay);
``flushed``    after the first flush of a ledger session: rows and their audit rows
               are written inside the transaction, which is not committed;
``commit``     the transaction's ``COMMIT`` is about to be sent;
``committed``  the transaction is committed; the command has not printed its result;
``publish``    a backup's copy is complete and is about to get its final name;
``ddl``        a schema migration has run its third ``CREATE TABLE``.

The hooks are SQLAlchemy events and a wrapper of ``os.link``/``os.replace``
set up in this process only: the registry has no test hook.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

STAGES = ("start", "flushed", "commit", "committed", "publish", "ddl")


def main(argv: list[str]) -> None:
    marker, stage, seconds, *args = argv
    if stage not in STAGES:
        raise SystemExit(f"unknown stage {stage!r} (one of {', '.join(STAGES)})")
    pause_s = float(seconds)
    fired = False

    def reach(*_args: Any, **_kwargs: Any) -> None:
        nonlocal fired
        if fired:
            return
        fired = True
        with open(marker, "a", encoding="utf-8") as out:
            out.write(stage + "\n")
        time.sleep(pause_s)

    from sqlalchemy import Engine, event
    from sqlalchemy.orm import Session

    if stage == "flushed":
        event.listen(Session, "after_flush_postexec", reach)
    elif stage == "commit":
        event.listen(Engine, "commit", reach)
    elif stage == "committed":
        event.listen(Session, "after_commit", reach)
    elif stage == "ddl":
        created = 0

        def count(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
            nonlocal created
            if statement.lstrip().upper().startswith("CREATE TABLE"):
                created += 1
                if created == 3:
                    reach()

        event.listen(Engine, "after_cursor_execute", count)
    elif stage == "publish":
        for name in ("link", "replace"):
            original = getattr(os, name)

            def wrapped(*a: Any, _original: Any = original, **kw: Any) -> Any:
                reach()
                return _original(*a, **kw)

            setattr(os, name, wrapped)

    from camwatch.cli import main as camwatch_main

    if stage == "start":
        reach()
    camwatch_main(args)


if __name__ == "__main__":
    main(sys.argv[1:])
