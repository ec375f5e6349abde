"""Memory bounds and single-flight of the web's memos (web.cache, web.ledger)."""

from __future__ import annotations

import threading

from sqlalchemy import select

from camwatch.registry.models import Compound
from web.cache import LRUCache
from web.ledger import DigestMemo, state_digests

from .conftest import login, make_app


def test_newcomer_after_a_computation_finds_its_value():
    """The in-flight gate goes only once the value is stored: a request arriving while the
    first one is storing (here: sizing) its value does not compute it again."""
    sizing, go_on = threading.Event(), threading.Event()
    calls: list[str] = []

    def slow_sizeof(value):
        if value == "v":
            sizing.set()
            go_on.wait(30)
        return 10

    cache = LRUCache(10_000, sizeof=slow_sizeof)
    first = threading.Thread(
        target=cache.get_or_compute, args=("k", lambda: calls.append("a") or "v")
    )
    first.start()
    assert sizing.wait(30)
    out: list[str] = []
    second = threading.Thread(
        target=lambda: out.append(cache.get_or_compute("k", lambda: calls.append("b") or "v"))
    )
    second.start()
    go_on.set()
    first.join(30)
    second.join(30)
    assert calls == ["a"] and out == ["v"]
    assert cache.misses == 1 and cache.hits == 1


def test_digest_memo_keeps_at_most_its_cap():
    memo = DigestMemo(3)
    for i in range(10):
        memo.put(bytes([i]), f"d{i}")
    assert len(memo) == 3
    assert memo.get(bytes([0])) is None and memo.get(bytes([9])) == "d9"
    memo.get(bytes([7]))  # used: stays when the next one comes
    memo.put(b"x", "dx")
    assert memo.get(bytes([7])) == "d7" and memo.get(bytes([8])) is None


def test_state_digests_bounded_by_setting(db_path, shared_cache):
    app = make_app(db_path, shared_cache, STATE_MEMO_ENTRIES=2)
    client = app.test_client()
    login(client, "admin")
    with app.app_context():
        from web.db import db_session

        cids = list(db_session().scalars(select(Compound.id)))
    assert len(cids) >= 3
    for cid in cids:
        assert client.get(f"/compounds/{cid}/map.json").status_code == 200
    assert len(state_digests(app)) == 2
