"""Serve camwatch with waitress: ``python -m web.serve --host 127.0.0.1 --port 8000``.

On start it brings the database up to date (Alembic migrations), and when the
ledger has no compounds yet, seeds the sample sites and one demo user per
role (``camwatch.registry.demo.seed_demo``) and prints the demo users and
passwords. The database is ``$DATABASE_URL`` or ``instance/camwatch.db``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import func, select

from camwatch.errors import CamwatchError
from camwatch.registry.db import init_db, make_engine, session_scope
from camwatch.registry.demo import DEMO_USERS, demo_password, seed_demo
from camwatch.registry.models import Compound, User

REPO = Path(__file__).resolve().parent.parent
SAMPLE_SITES = REPO / "sample_sites"


def prepare_database(url: str, *, sites_dir: Path = SAMPLE_SITES, seed: bool = True) -> list[str]:
    """Create or upgrade the schema; seed demo data into an empty ledger. Returns lines to print."""
    engine = make_engine(url)
    try:
        revision = init_db(engine)
        lines = [f"database: {engine.url.render_as_string()} (revision {revision})"]
        with session_scope(engine, actor="web.serve") as session:
            empty = not session.scalar(select(func.count(Compound.id)))
            if seed and empty and sites_dir.is_dir():
                result = seed_demo(session, sites_dir=sites_dir, actor="web.serve")
                lines.append(f"seeded {len(result['compounds'])} sample compounds from {sites_dir}")
            demo = [
                u
                for u in session.scalars(select(User).order_by(User.id))
                if u.username in {name for name, *_ in DEMO_USERS}
            ]
            if demo:
                lines.append("demo users (user name / password / role):")
                for user in demo:
                    lines.append(
                        f"  {user.username:<11} {demo_password(user.username):<16} {user.role}"
                    )
                lines.append("  (passwords are the demo defaults unless someone changed them)")
        return lines
    finally:
        engine.dispose()


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


def main(argv: list[str] | None = None) -> int:
    """Prepare the database, print the demo users, serve until interrupted."""
    parser = argparse.ArgumentParser(
        prog="python -m web.serve", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)"
    )
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.add_argument("--threads", type=int, default=8, help="worker threads (default 8)")
    parser.add_argument(
        "--database",
        default=None,
        help="database URL (default $DATABASE_URL or instance/camwatch.db)",
    )
    parser.add_argument(
        "--no-seed", action="store_true", help="do not seed demo data into an empty ledger"
    )
    args = parser.parse_args(argv)

    import waitress

    from web import create_app

    config = {"DATABASE_URL": args.database} if args.database else None
    app = create_app(config)
    try:
        lines = prepare_database(app.config["DATABASE_URL"], seed=not args.no_seed)
    except CamwatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for line in lines:
        print(line)
    print(f"camwatch is serving on http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="camwatch")
    return 0


if __name__ == "__main__":
    sys.exit(main())
