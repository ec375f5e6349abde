"""Load benchmark (``make bench``): mixed reads and 10 % writes by every role, 0 server errors.

A throw-away SQLite ledger is seeded with the sample sites and the demo users
(:func:`camwatch.registry.demo.seed_demo`; each demo user also gets an API
token), then the web app is served by ``python -m web.serve`` (waitress) in a
**separate process** on a free **loopback** port (127.0.0.1 only), so its
memory can be read from ``/proc/<pid>/status``.  One browser session per role
(admin, district, planner, technician, manager) signs in through the login
form; each client uses the session and API token of one role (round robin).

For each client count (default 20, then 50) the clients loop for ``--seconds``
(default 30) over keep-alive connections.  Each step is a write with
probability ``--writes`` (default 0.1), else one of these reads, chosen
uniformly, on a compound the role may see:

* compound list (``/compounds/``; a manager's own compound overview, where the list
  redirects), map data (``map.json``), analysis page,
  device page (``/devices/<id>``);
* API GETs: compounds, devices of a compound, analysis of a compound.

A write reads a camera through the API (``GET``, for its ``version``) and
turns it with ``PATCH {"version", "heading_deg"}``; a 409 conflict is
retried with the version the 409 body reports (at most 5 tries).  Writes go
to four "hot" cameras per compound, so writers collide on purpose, and are
made by the technician's token (admin clients use their own): the other roles
may not edit devices.

Printed per client count: requests, p50/p95/p99/max latency per request
kind, 409 conflicts (expected, counted apart), other 3xx/4xx, server errors (any
5xx or a failed connection) and the server's resident memory (``VmRSS``)
before and after plus its peak (``VmHWM``).  The exit status is 1 if there
was any server error or unexpected status, so ``make bench`` fails on one.

By default the clients never pause (each sends its next request as soon as the
last is answered): the server is saturated, so latency is mostly queueing and
measures throughput. ``--think S`` makes each client pause between requests as
a person at a browser does (exponential, mean ``S`` seconds; ``make bench``
runs both, ``--think 1`` as the second): latency then measures what one user
waits for under the others' load (docs/web.md, "Performance").

Each phase first runs the same load for ``--warmup`` seconds (default 5), tallied
apart and printed on one line under the table: right after the server starts, the
first requests compute every compound's analysis, checks and routes at once, which
says how a restart feels, not how the server runs. Failures in the warm-up count.

Run: ``python -m bench.bench_load [--clients 20,50] [--seconds 30] [--writes 0.1] [--think S]
[--warmup 5]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.load_server import (
    HOST,
    TIMEOUT_S,
    Role,
    free_port,
    login,
    prepare,
    start_server,
)
from bench.load_stats import (
    MAX_TRIES,
    READS,
    Tally,
    cpu_seconds,
    memory_kb,
    report,
    report_warmup,
)
from camwatch.registry.demo import demo_password
from web.serve import THREADS


class Client:
    """One keep-alive connection acting as one role."""

    def __init__(self, port: int, role: Role, writer: Role, seed: int) -> None:
        self.port = port
        self.role = role
        self.writer = writer
        self.rng = random.Random(seed)
        self.warm = Tally()  # what the client saw during the warm-up
        self.measured = Tally()
        self.tally = self.measured
        self.conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)

    def request(
        self, kind: str, method: str, path: str, *, token: str = "", body: Any = None
    ) -> tuple[int, Any]:
        headers = {"Accept": "application/json" if token else "text/html"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        else:
            headers["Cookie"] = self.role.cookie
        data = None
        if body is not None:
            data = json.dumps(body)
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            self.conn.request(method, path, body=data, headers=headers)
            resp = self.conn.getresponse()
            raw = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self.conn.close()  # reconnects on the next request
            self.tally.broken += 1
            self.tally.failures.append(f"{method} {path}: {type(exc).__name__}: {exc}")
            return 0, None
        took = time.perf_counter() - start
        self.tally.status[resp.status] += 1
        if resp.status == 503 and resp.getheader("Retry-After"):
            # the server's load shedding: counted apart; a polite client waits as told
            self.tally.shed.append(took)
            time.sleep(float(resp.getheader("Retry-After", "1")))
            return resp.status, None
        self.tally.latency[kind].append(took)
        if resp.status >= 300 and resp.status != 409:  # redirects too: a lost session
            self.tally.failures.append(f"{method} {path}: HTTP {resp.status} {raw[:200]!r}")
        if token and raw and resp.status < 500:
            try:
                return resp.status, json.loads(raw)
            except ValueError:
                self.tally.failures.append(f"{method} {path}: not JSON {raw[:200]!r}")
        return resp.status, None

    def read(self) -> None:
        cid, code = self.rng.choice(self.role.compounds)
        kind = self.rng.choice(READS)
        token = self.role.token
        paths = {
            # a manager of one compound is sent from the list to its overview: ask for that
            "compound list": (
                "/compounds/" if self.role.name != "manager" else f"/compounds/{cid}",
                "",
            ),
            "map.json": (f"/compounds/{cid}/map.json", ""),
            "analysis page": (f"/compounds/{cid}/analysis", ""),
            "device page": (f"/devices/{self.rng.choice(self.role.devices[code])}", ""),
            "API compounds": ("/api/v1/compounds", token),
            "API devices": (f"/api/v1/compounds/{code}/devices", token),
            "API analysis": (f"/api/v1/compounds/{code}/analysis", token),
        }
        path, tok = paths[kind]
        self.request(kind, "GET", path, token=tok)

    def write(self) -> None:
        _cid, code = self.rng.choice(self.role.compounds)
        camera = self.rng.choice(self.role.hot[code])
        token = self.writer.token
        path = f"/api/v1/compounds/{code}/devices/{camera}"
        status, device = self.request("API device GET", "GET", path, token=token)
        if status != 200 or not device:
            return
        version = device["version"]
        for _ in range(MAX_TRIES):
            heading = self.rng.randrange(360)
            body = {"version": version, "heading_deg": heading}
            status, answer = self.request("API PATCH", "PATCH", path, token=token, body=body)
            if status != 409:
                return
            self.tally.conflicts += 1
            current = (answer or {}).get("current") or {}
            if "version" not in current:
                self.tally.failures.append(f"PATCH {path}: 409 without the current version")
                return
            version = current["version"]
        self.tally.gave_up += 1

    def run(
        self, until: float, write_share: float, think: float = 0.0, measure_from: float = 0.0
    ) -> None:
        """Loop until ``until``; with ``think`` > 0, pause between steps as a person would
        (exponential, mean ``think`` seconds; the pause is not part of any latency). Steps
        started before ``measure_from`` are tallied apart (the warm-up)."""
        while time.monotonic() < until:
            self.tally = self.warm if time.monotonic() < measure_from else self.measured
            if self.rng.random() < write_share:
                self.write()
            else:
                self.read()
            if think > 0:
                time.sleep(
                    min(self.rng.expovariate(1.0 / think), max(0.0, until - time.monotonic()))
                )
        self.conn.close()


def run_phase(
    port: int,
    roles: dict[str, Role],
    n_clients: int,
    seconds: float,
    write_share: float,
    seed: int,
    think: float = 0.0,
    warmup: float = 0.0,
    server_pid: int | None = None,
) -> tuple[Tally, Tally, float, float]:
    """Run the clients for ``warmup`` + ``seconds``: the tallies of the measured part and
    of the warm-up, the measured seconds and the server's CPU seconds in them."""
    order = [roles[name] for name in ("admin", "district", "planner", "technician", "manager")]
    clients = []
    for i in range(n_clients):
        role = order[i % len(order)]
        writer = role if role.name == "admin" else roles["technician"]
        clients.append(Client(port, role, writer, seed * 1000 + i))
    start = time.monotonic()
    measure_from = start + warmup
    until = measure_from + seconds
    threads = [
        threading.Thread(target=c.run, args=(until, write_share, think, measure_from), daemon=True)
        for c in clients
    ]
    for t in threads:
        t.start()
    time.sleep(max(0.0, measure_from - time.monotonic()))
    cpu = cpu_seconds(server_pid) if server_pid else 0.0
    measured_start = time.monotonic()
    for t in threads:
        t.join(timeout=max(0.0, until - time.monotonic()) + TIMEOUT_S * MAX_TRIES * 2 + 10)
    elapsed = time.monotonic() - measured_start
    cpu = (cpu_seconds(server_pid) - cpu) if server_pid else 0.0
    total, warm = Tally(), Tally()
    for c in clients:
        total.merge(c.measured)
        warm.merge(c.warm)
    stuck = sum(t.is_alive() for t in threads)
    if stuck:
        total.failures.append(f"{stuck} client(s) still waiting when the phase ended")
    return total, warm, elapsed, cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_load", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--clients", default="20,50", help="client counts, one phase each")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per phase (30)")
    parser.add_argument("--writes", type=float, default=0.1, help="share of writes (0.1)")
    parser.add_argument(
        "--threads", type=int, default=THREADS, help=f"waitress threads ({THREADS})"
    )
    parser.add_argument(
        "--slots",
        type=int,
        default=None,
        help="CAMWATCH_REQUEST_SLOTS of the server (default: the app's; 0 = no gate)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed of the clients")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean pause of a client between requests, s (exponential; default 0: none)",
    )
    parser.add_argument(
        "--warmup",
        type=float,
        default=5.0,
        help="seconds of the same load before each phase is measured (5; tallied apart)",
    )
    args = parser.parse_args(argv)
    try:
        counts = [int(n) for n in args.clients.split(",")]
    except ValueError:
        parser.error(f"--clients must be numbers separated by commas, got {args.clients!r}")
    if not all(1 <= n <= 64 for n in counts) or not 0 < args.seconds <= 300:
        parser.error("keep it bounded: 1–64 clients, at most 300 s per phase")
    if not 0 <= args.writes <= 1:
        parser.error("--writes is a share between 0 and 1")
    if not 0 <= args.think <= 60:
        parser.error("--think is a pause in seconds between 0 and 60")
    if not 0 <= args.warmup <= 120:
        parser.error("--warmup is between 0 and 120 seconds")

    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="camwatch-load-") as tmp:
        url, roles = prepare(Path(tmp))
        port = free_port()
        server = start_server(url, port, args.threads, Path(tmp) / "server.log", args.slots)
        try:
            print(f"server: python -m web.serve on {HOST}:{port}, pid {server.pid}, {url}")
            print(f"  memory at start: RSS {memory_kb(server.pid)['VmRSS'] / 1024:.0f} MB")
            for name, role in roles.items():
                role.cookie = login(port, name, demo_password(name))
            print(f"  signed in: {', '.join(roles)}; compounds: {len(roles['admin'].compounds)}")
            for n in counts:
                before = memory_kb(server.pid)
                print(
                    f"\n{n} clients × {args.seconds:g} s, {args.writes:.0%} writes, "
                    + (f"pauses of {args.think:g} s on average " if args.think else "no pauses ")
                    + f"(waitress, {args.threads} threads, request slots: "
                    f"{'app default' if args.slots is None else args.slots})"
                )
                tally, warm, elapsed, cpu = run_phase(
                    port, roles, n, args.seconds, args.writes, args.seed, args.think,
                    args.warmup, server.pid,
                )  # fmt: skip
                after = memory_kb(server.pid)
                report(tally, elapsed, cpu)
                report_warmup(warm, args.warmup)
                print(
                    f"  server memory: RSS {before['VmRSS'] / 1024:.0f} MB before, "
                    f"{after['VmRSS'] / 1024:.0f} MB after; peak {after['VmHWM'] / 1024:.0f} MB"
                )
                failures += tally.failures + warm.failures
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if failures:
            log = (Path(tmp) / "server.log").read_text(errors="replace")
            print(f"\nFAILED: {len(failures)} server error(s) or unexpected answer(s):")
            for line, n in Counter(failures).most_common(10):
                print(f"  {n} × {line}")
            print(f"server log (end):\n{log[-3000:]}")
            return 1
    print("\nOK: no server errors")
    return 0


if __name__ == "__main__":
    sys.exit(main())
