"""The load benchmark's server side: a seeded throw-away ledger, the web app in its own
process on a loopback port, and signing in through the login form (:mod:`bench.bench_load`)."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from camwatch.registry.db import init_db, make_engine, session_scope
from camwatch.registry.demo import DEMO_USERS, seed_demo
from camwatch.registry.models import Compound, Device, User
from camwatch.registry.users import issue_token

HOST = "127.0.0.1"  # never anything but loopback
REPO = Path(__file__).resolve().parent.parent
TIMEOUT_S = 60.0  # one request; the whole run is bounded by --seconds plus this
HOT_CAMERAS = 4


@dataclass
class Role:
    """What one role may see, and its credentials."""

    name: str
    token: str
    cookie: str = ""
    compounds: list[tuple[int, str]] = field(default_factory=list)  # (id, code)
    devices: dict[str, list[int]] = field(default_factory=dict)  # code -> device ids
    hot: dict[str, list[str]] = field(default_factory=dict)  # code -> camera codes


def prepare(folder: Path) -> tuple[str, dict[str, Role]]:
    """Seed a SQLite ledger with the sample sites and demo users; give every user a token."""
    url = f"sqlite:///{folder / 'load.db'}"
    engine = make_engine(url)
    try:
        init_db(engine)
        roles: dict[str, Role] = {}
        with session_scope(engine, actor="bench") as s:
            seed_demo(s, sites_dir=REPO / "sample_sites", actor="bench")
            everything = s.scalars(select(Compound).order_by(Compound.id)).all()
            for username, role, _name, _lang in DEMO_USERS:
                user = s.scalar(select(User).where(User.username == username))
                assert user is not None
                visible = list(user.compounds) if role == "manager" else list(everything)
                r = Role(role, issue_token(s, username, actor="bench"))
                for c in visible:
                    devices = s.scalars(select(Device).where(Device.compound_id == c.id)).all()
                    live = [d for d in devices if d.status != "retired"]
                    r.compounds.append((c.id, c.code))
                    r.devices[c.code] = [d.id for d in live]
                    r.hot[c.code] = [d.code for d in live if d.kind == "camera"][:HOT_CAMERAS]
                roles[role] = r
    finally:
        engine.dispose()
    return url, roles


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(
    url: str, port: int, threads: int, log: Path, slots: int | None = None
) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=url, CAMWATCH_SECRET_KEY=secrets.token_hex(32))
    if slots is not None:
        env["CAMWATCH_REQUEST_SLOTS"] = str(slots)
    argv = [sys.executable, "-m", "web.serve", "--host", HOST, "--port", str(port)]
    argv += ["--threads", str(threads), "--database", url]
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited ({proc.returncode}):\n{log.read_text()[-2000:]}")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/login")
            if conn.getresponse().status == 200:
                conn.close()
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not answer within 60 s")


def login(port: int, username: str, password: str) -> str:
    """Sign in through the form (CSRF token included); return the session cookie."""
    conn = http.client.HTTPConnection(HOST, port, timeout=TIMEOUT_S)
    conn.request("GET", "/login")
    resp = conn.getresponse()
    page = resp.read().decode()
    cookie = resp.getheader("Set-Cookie", "").split(";")[0]
    csrf = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    body = f"csrf_token={csrf}&username={username}&password={password}"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    conn.request("POST", "/login", body=body, headers=headers)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    if resp.status != 302:
        raise RuntimeError(f"login of {username} failed: HTTP {resp.status}")
    return resp.getheader("Set-Cookie", "").split(";")[0]
