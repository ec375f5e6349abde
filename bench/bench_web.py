"""Web benchmark (``make bench``): server time and latency under load, figures printed.

A 200-camera compound (:func:`bench.synthetic.generate_compound`, 60 buildings)
is imported into a throw-away SQLite ledger, the app is served by waitress on
a free **loopback** port (127.0.0.1 only) in this process, and:

1. *server time* of the map page, its data (``map.json``, ``coverage.json``)
   and the analysis API — cold (first request after a change: the analysis is
   computed) and warm (cached analysis; median of repeated requests);
2. *load*: N concurrent clients (default 20) for S seconds (default 30), each
   looping over the map page, map data, coverage layers and the analysis API
   with keep-alive connections; p50/p95/max latency per endpoint, throughput,
   and the number of errors (the target is zero).

Run: ``python -m bench.bench_web [--clients 20] [--seconds 30] [--cameras 200]``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.synthetic import generate_compound
from camwatch.registry.db import init_db, make_engine, session_scope
from camwatch.registry.models import Compound
from camwatch.registry.site_import import import_site
from camwatch.registry.users import create_user, issue_token
from camwatch.sitefile import parse_site

HOST = "127.0.0.1"  # never anything but loopback


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def prepare(folder: Path, *, n_buildings: int, n_cameras: int) -> tuple[str, str, int, str]:
    """A ledger with the generated compound and an admin; returns (url, code, id, token)."""
    url = f"sqlite:///{folder / 'bench.db'}"
    engine = make_engine(url)
    init_db(engine)
    data = generate_compound(n_buildings=n_buildings, n_cameras=n_cameras, seed=1)
    site = parse_site(data, default_id="bench-compound")
    with session_scope(engine, actor="bench") as s:
        diff = import_site(s, site, actor="bench")
        create_user(s, "bench-admin", "bench-password-1", role="admin", actor="bench")
        token = issue_token(s, "bench-admin", actor="bench")
        cid = s.query(Compound.id).filter(Compound.code == diff.compound).scalar()
    engine.dispose()
    return url, diff.compound, cid, token


class Client:
    """One keep-alive HTTP connection to the server, signed in with the session cookie."""

    def __init__(self, port: int, *, cookie: str = "", token: str = "") -> None:
        self.conn = http.client.HTTPConnection(HOST, port, timeout=120)
        self.cookie = cookie
        self.token = token

    def get(self, path: str) -> tuple[int, float, int]:
        headers = {
            "Accept": "application/json" if path.endswith((".json", "analysis")) else "text/html"
        }
        if self.cookie:
            headers["Cookie"] = self.cookie
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {self.token}"
        start = time.perf_counter()
        self.conn.request("GET", path, headers=headers)
        resp = self.conn.getresponse()
        body = resp.read()
        return resp.status, time.perf_counter() - start, len(body)

    def close(self) -> None:
        self.conn.close()


def _request(
    port: int, method: str, path: str, token: str, body: object = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def login_cookie(port: int) -> str:
    """Sign in through the form (as a browser would) and return the session cookie."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/login")
    resp = conn.getresponse()
    page = resp.read().decode()
    cookie = resp.getheader("Set-Cookie", "").split(";")[0]
    marker = 'name="csrf_token" type="hidden" value="'
    token = page.split(marker, 1)[1].split('"', 1)[0]
    body = f"csrf_token={token}&username=bench-admin&password=bench-password-1"
    conn.request(
        "POST",
        "/login",
        body=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    resp = conn.getresponse()
    resp.read()
    if resp.status != 302:
        raise RuntimeError(f"bench login failed: HTTP {resp.status}")
    conn.close()
    return resp.getheader("Set-Cookie", "").split(";")[0]


def drags(port: int, code: str, cookie: str, token: str, paths: dict[str, str], n: int) -> None:
    """A drag on the map, end to end: the edit (``PATCH``, moved 0.5 m — or turned where the site's
    rules refuse the move — or turned 25°) and the
    map's reload (``map.json``, ``coverage.json``: the analysis of the new state), median of
    ``n``; wall time and this process's CPU time (server and client threads: the server is
    in-process; the client's part is a few ms)."""
    if n <= 0:
        return
    client = Client(port, cookie=cookie, token=token)
    listing = json.loads(
        _request(port, "GET", f"/api/v1/compounds/{code}/devices?kind=camera", token)[1]
    )
    cams = [d for d in listing["devices"] if d["status"] == "active"][:8]
    walls, cpus = [], []
    for i in range(n):
        cam = cams[i % len(cams)]
        path = f"/api/v1/compounds/{code}/devices/{cam['code']}"
        current = json.loads(_request(port, "GET", path, token)[1])
        body: dict[str, object] = {"version": current["version"]}
        if i % 2:
            body["heading_deg"] = (current["properties"].get("heading_deg", 0) + 25) % 360
        else:
            x, y = current["geometry"]["coordinates"]
            body["x"], body["y"] = x + (0.5 if i % 4 == 0 else -0.5), y
        wall, cpu = time.perf_counter(), time.process_time()
        status, _ = _request(port, "PATCH", path, token, body)
        if status == 400 and "x" in body:  # moved off its mount (site rules): turn it instead
            turned = {"version": current["version"], "heading_deg": 0.0}
            turned["heading_deg"] = (current["properties"].get("heading_deg", 0) + 25) % 360
            status, _ = _request(port, "PATCH", path, token, turned)
        ok = [client.get(paths[name])[0] for name in ("map.json", "coverage.json")]
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        if status != 200 or ok != [200, 200]:
            raise RuntimeError(f"drag {i}: PATCH {status}, reload {ok}")
    client.close()
    print(
        f"  {'drag':<15} {statistics.median(walls) * 1000:9.1f} ms wall, "
        f"{statistics.median(cpus) * 1000:.1f} ms CPU (median of {n}: PATCH + map.json + "
        f"coverage.json; first {walls[0] * 1000:.0f} ms wall)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.bench_web", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="load duration (default 30)")
    parser.add_argument(
        "--cameras", type=int, default=200, help="cameras in the compound (default 200)"
    )
    parser.add_argument("--buildings", type=int, default=60, help="buildings (default 60)")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (default 8)")
    parser.add_argument("--drags", type=int, default=12, help="drags timed end to end (12)")
    args = parser.parse_args(argv)
    if not 1 <= args.clients <= 64 or not 0 < args.seconds <= 300:
        parser.error("keep it bounded: 1–64 clients, at most 300 s")

    from web import create_app
    from web.serve import BackgroundServer

    with tempfile.TemporaryDirectory(prefix="camwatch-bench-") as tmp:
        t0 = time.perf_counter()
        url, code, cid, token = prepare(
            Path(tmp), n_buildings=args.buildings, n_cameras=args.cameras
        )
        print(
            f"compound {code}: {args.buildings} buildings, {args.cameras} cameras "
            f"(generated and imported in {time.perf_counter() - t0:.1f} s)"
        )
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench-" * 8, "LOGIN_MAX_FAILURES": 1000}
        )
        server = BackgroundServer(app, host=HOST, threads=args.threads).start()
        port = server.server.effective_port
        try:
            cookie = login_cookie(port)
            paths = {
                "map page": f"/compounds/{cid}/map",
                "map.json": f"/compounds/{cid}/map.json",
                "coverage.json": f"/compounds/{cid}/coverage.json",
                "analysis API": f"/api/v1/compounds/{code}/analysis",
            }
            one = Client(port, cookie=cookie, token=token)
            print(
                "\nserver time, one client (cold = first request, analysis computed; warm = median of 20)"
            )
            print(f"  {'request':<15} {'cold ms':>9} {'warm ms':>9} {'bytes':>10}")
            for name, path in paths.items():
                status, cold, size = one.get(path)
                if status != 200:
                    raise RuntimeError(f"{name}: HTTP {status}")
                warm = statistics.median(one.get(path)[1] for _ in range(20))
                print(f"  {name:<15} {cold * 1000:9.1f} {warm * 1000:9.1f} {size:10d}")
            # one camera turned: only its footprints are recomputed, then the union
            listing = json.loads(
                _request(port, "GET", f"/api/v1/compounds/{code}/devices?kind=camera", token)[1]
            )
            cam = listing["devices"][0]
            heading = (cam["properties"].get("heading_deg", 0) + 30) % 360
            status, _ = _request(
                port,
                "PATCH",
                f"/api/v1/compounds/{code}/devices/{cam['code']}",
                token,
                {"version": cam["version"], "heading_deg": heading},
            )
            if status != 200:
                raise RuntimeError(f"turning a camera: HTTP {status}")
            status, after_edit, _ = one.get(paths["analysis API"])
            print(
                f"  {'after one edit':<15} {after_edit * 1000:9.1f}  (analysis API, one camera turned)"
            )
            one.close()
            drags(port, code, cookie, token, paths, args.drags)

            print(
                f"\nload: {args.clients} clients × {args.seconds:g} s on {HOST}:{port} "
                f"(waitress, {args.threads} threads)"
            )
            latencies: dict[str, list[float]] = {name: [] for name in paths}
            errors: list[str] = []
            lock = threading.Lock()
            stop = time.monotonic() + args.seconds

            def worker(index: int) -> None:
                client = Client(port, cookie=cookie, token=token)
                names = list(paths)
                i = index
                try:
                    while time.monotonic() < stop:
                        name = names[i % len(names)]
                        i += 1
                        try:
                            status, elapsed, _ = client.get(paths[name])
                        except (OSError, http.client.HTTPException) as exc:
                            with lock:
                                errors.append(f"{name}: {exc}")
                            client.close()
                            client = Client(port, cookie=cookie, token=token)
                            continue
                        with lock:
                            if status == 200:
                                latencies[name].append(elapsed)
                            else:
                                errors.append(f"{name}: HTTP {status}")
                finally:
                    client.close()

            workers = [threading.Thread(target=worker, args=(i,)) for i in range(args.clients)]
            started = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            wall = time.perf_counter() - started
            total = sum(len(v) for v in latencies.values())
            print(f"  {'request':<15} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            for name, values in latencies.items():
                print(
                    f"  {name:<15} {len(values):6d} {_percentile(values, 0.5) * 1000:8.1f} "
                    f"{_percentile(values, 0.95) * 1000:8.1f} {max(values, default=float('nan')) * 1000:8.1f}"
                )
            every = [v for values in latencies.values() for v in values]
            print(
                f"  {'all':<15} {total:6d} {_percentile(every, 0.5) * 1000:8.1f} "
                f"{_percentile(every, 0.95) * 1000:8.1f} {max(every, default=float('nan')) * 1000:8.1f}"
            )
            print(f"  throughput {total / wall:.1f} requests/s; errors: {len(errors)}")
            for line in errors[:10]:
                print(f"    {line}")
            summary = {
                "clients": args.clients,
                "seconds": args.seconds,
                "requests": total,
                "errors": len(errors),
                "p50_ms": round(_percentile(every, 0.5) * 1000, 1),
                "p95_ms": round(_percentile(every, 0.95) * 1000, 1),
            }
            print("\n" + json.dumps(summary))
            return 1 if errors else 0
        finally:
            server.stop()
            from web.db import engine

            engine(app).dispose()


if __name__ == "__main__":
    sys.exit(main())
