"""Serve camwatch with waitress: ``python -m web.serve --host 127.0.0.1 --port 8000``.

On start it brings the database up to date (Alembic migrations). Demo data —
the sample sites and one user per role with a known password
(``camwatch.registry.demo.seed_demo``) — is seeded into an empty ledger only
when serving on a loopback address (``make run``) or with ``--demo``; on any
other address an empty ledger stays empty and the server prints how to create
the first administrator (``camwatch users add NAME --role admin``, which asks
for the password). The database is ``$DATABASE_URL`` or ``instance/camwatch.db``.
"""

from __future__ import annotations

import argparse
import gc
import ipaddress
import sys
from pathlib import Path

from sqlalchemy import func, select

from camwatch.errors import CamwatchError
from camwatch.registry.db import init_db, make_engine, session_scope
from camwatch.registry.demo import DEMO_USERS, demo_password, seed_demo
from camwatch.registry.models import Compound, User

REPO = Path(__file__).resolve().parent.parent
# more threads than clients a busy office has at once: a thread waiting at the request gate
# (web.overload) costs a stack and no CPU, and a request queued inside waitress instead would
# wait without a bound
THREADS = 64
SAMPLE_SITES = REPO / "sample_sites"
# The collector's thresholds while serving (docs/web.md, "Performance"): the youngest
# generation is collected every 10,000 net allocations instead of 700, so a request's
# short-lived objects mostly die before a collection promotes them to the old generations.
GC_THRESHOLDS = (10_000, 10, 10)


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def prepare_database(url: str, *, sites_dir: Path = SAMPLE_SITES, seed: bool = True) -> list[str]:
    """Create or upgrade the schema; with ``seed``, seed demo data into an empty ledger.

    Returns lines to print: the database, what was seeded, the demo users, or —
    when the ledger has no user at all — how to create the first administrator.
    """
    engine = make_engine(url)
    try:
        revision = init_db(engine)
        lines = [f"database: {engine.url.render_as_string()} (revision {revision})"]
        lines += _make_private(engine.url.database if engine.dialect.name == "sqlite" else None)
        with session_scope(engine, actor="web.serve") as session:
            empty = not session.scalar(select(func.count(Compound.id)))
            if seed and empty and sites_dir.is_dir():
                result = seed_demo(session, sites_dir=sites_dir, actor="web.serve")
                lines.append(f"seeded {len(result['compounds'])} sample compounds from {sites_dir}")
            users = list(session.scalars(select(User).order_by(User.id)))
            demo = [u for u in users if u.username in {name for name, *_ in DEMO_USERS}]
            if not users:
                lines += [
                    "no users yet: create the first administrator (it asks for the password):",
                    f"  camwatch users add NAME --role admin --db {engine.url.render_as_string()}",
                    "  (python -m web.serve --demo seeds demo users and sample compounds instead)",
                ]
            elif demo and seed:
                lines.append("demo users (user name / password / role):")
                for user in demo:
                    lines.append(
                        f"  {user.username:<11} {demo_password(user.username):<16} {user.role}"
                    )
                lines.append("  (passwords are the demo defaults unless someone changed them)")
        return lines
    finally:
        engine.dispose()


def _make_private(database: str | None) -> list[str]:
    """Take group and world access away from an SQLite ledger made before files were
    created private (its ``-wal``/``-shm`` files too). Returns lines to print."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return []
    lines = []
    for path in (Path(database), Path(database + "-wal"), Path(database + "-shm")):
        if path.exists() and path.stat().st_mode & 0o077:
            old = path.stat().st_mode & 0o777
            path.chmod(0o600)
            lines.append(f"made {path} readable by its owner only (mode 0600, was {old:o})")
    return lines


class BackgroundServer:
    """Waitress serving ``app`` on a free loopback port in a thread (tests and benchmarks).

    ``stop()`` ends the loop from its own thread and closes every socket, so no
    poll runs on a closed descriptor.
    """

    def __init__(self, app: object, *, host: str = "127.0.0.1", threads: int = 4) -> None:
        import logging
        import threading

        import waitress

        # "task queue depth" warnings are expected when a load test queues requests on purpose
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        self.server = waitress.create_server(app, host=host, port=0, threads=threads)
        self.url = f"http://{host}:{self.server.effective_port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="camwatch-test-server", daemon=True)

    def _loop(self) -> None:
        server = self.server
        try:
            while not self._stop.is_set():
                server.asyncore.loop(timeout=0.1, map=server._map, count=1)
        finally:
            for channel in list(server._map.values()):
                channel.close()
            server.task_dispatcher.shutdown()

    def start(self) -> BackgroundServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)


def tune_collector() -> None:
    """Freeze what is alive now (modules, templates, catalogues: the collector never scans
    them again) and collect the young generation less often (:data:`GC_THRESHOLDS`).

    Measured in-process on the load benchmark's mix: full collections of the untuned
    heap paused every thread for 0.2–0.4 s (the GIL is held) and the collector took
    about 9 % of the CPU; tuned, its pauses stayed under 40 ms and its share under 1.5 %.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def main(argv: list[str] | None = None) -> int:
    """Prepare the database, print the demo users (or how to add the first admin), serve."""
    parser = argparse.ArgumentParser(
        prog="python -m web.serve", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument(
        "--threads",
        type=int,
        default=THREADS,
        help=f"waitress threads (default {THREADS}; at most REQUEST_SLOTS of them run the app "
        "at once, the others wait at the gate, where the wait is bounded — web.overload)",
    )
    parser.add_argument(
        "--database",
        default=None,
        help="database URL (default $DATABASE_URL or instance/camwatch.db)",
    )
    seeding = parser.add_mutually_exclusive_group()
    seeding.add_argument(
        "--demo",
        action="store_true",
        help="seed demo users (known passwords) and sample compounds into an empty ledger, "
        "whatever the address (default: only on a loopback address)",
    )
    seeding.add_argument(
        "--no-seed", action="store_true", help="never seed demo data, even on loopback"
    )
    args = parser.parse_args(argv)
    seed = args.demo or (is_loopback(args.host) and not args.no_seed)

    import waitress

    from web import create_app

    config = {"DATABASE_URL": args.database} if args.database else None
    try:
        app = create_app(config)
        lines = prepare_database(app.config["DATABASE_URL"], seed=seed)
    except CamwatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    tune_collector()
    print(f"camwatch is serving on http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="camwatch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
