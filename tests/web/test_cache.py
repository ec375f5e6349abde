"""The web cache is capped in bytes: it never holds more than its cap, whatever is put in,
and after many edits of one compound it stays at its cap."""

from __future__ import annotations

import random
import subprocess
import sys
import textwrap
import threading

import pytest

from tests.web.conftest import login, make_app
from web.cache import LRUCache
from web.sizes import estimate_size

JSON = {"Accept": "application/json"}


def _stored(cache: LRUCache) -> dict:
    return {key: entry[0] for key, entry in cache._data.items()}


@pytest.mark.parametrize("seed", range(5))
def test_cache_never_exceeds_its_cap(seed):
    """Random values (bytes of 0–40 kB, some larger than the cap) under a 100 kB cap, with
    an independent model of LRU order: held bytes ≤ cap and exactly the most recent keys
    that fit are kept."""
    rng = random.Random(seed)
    cap = 100_000
    cache = LRUCache(cap, sizeof=lambda v: len(v) if isinstance(v, bytes) else 0)
    order: list[int] = []  # model: keys from least to most recently used
    sizes: dict[int, int] = {}
    for _ in range(2000):
        key = rng.randrange(60)
        size = rng.choice([0, 10, 1_000, 20_000, 40_000, 120_000])
        value = cache.get_or_compute(key, lambda size=size: b"x" * size)
        if key in sizes:  # a hit: the model only moves the key to the end
            order.remove(key)
            order.append(key)
            assert len(value) == sizes[key]
            continue
        if len(value) > cap:  # served, not kept
            continue
        sizes[key] = len(value)
        order.append(key)
        while sum(sizes[k] for k in order) > cap:
            del sizes[order.pop(0)]
        held = _stored(cache)
        assert sum(len(v) for v in held.values()) <= cap
        assert list(held) == order
    assert cache.bytes == sum(len(v) for v in _stored(cache).values()) <= cap


def test_default_estimate_bounds_what_is_held():
    cache = LRUCache(50_000)
    for i in range(500):
        cache.get_or_compute(("json", i), lambda i=i: "é" * (i * 7 % 3000))
        held = _stored(cache)
        # each str costs at least its characters: the cap bounds the text held
        assert sum(len(v) for v in held.values()) <= cache.bytes <= 50_000
    assert 0 < len(cache) < 500


def test_value_larger_than_the_cap_is_served_not_kept():
    cache = LRUCache(1_000)
    big = cache.get_or_compute("big", lambda: "y" * 5_000)
    assert big == "y" * 5_000 and len(cache) == 0 and cache.bytes == 0


def test_single_flight_still_computes_once():
    cache = LRUCache(10**6)
    calls = []
    gate = threading.Event()

    def compute():
        calls.append(1)
        gate.wait(1)
        return "v"

    threads = [threading.Thread(target=cache.get_or_compute, args=("k", compute)) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert len(calls) == 1 and cache.misses == 1 and cache.hits == 7


def test_many_camera_turns_keep_the_cache_at_its_cap(db_path, ids):
    """Each turn makes a new compound state (new site, footprint, analysis, JSON): the
    cache holds at most its cap in bytes all along, while the count of states grows."""
    cap = 4 * 2**20
    cache = LRUCache(cap)
    app = make_app(db_path, cache)
    client = app.test_client()
    login(client, "technician")
    cam, cid = ids["own_cam"], ids["own"]
    version = client.get(f"/devices/{cam}", headers=JSON).get_json()["properties"]["version"]
    peak = 0
    for turn in range(25):
        resp = client.patch(
            f"/devices/{cam}", json={"version": version, "heading_deg": turn * 14}, headers=JSON
        )
        assert resp.status_code == 200
        version = resp.get_json()["properties"]["version"]
        assert client.get(f"/compounds/{cid}/coverage.json").status_code == 200
        assert client.get(f"/compounds/{cid}/map.json").status_code == 200
        assert cache.bytes <= cap
        assert cache.bytes == sum(size for _, size in cache._data.values())
        peak = max(peak, cache.bytes)
    assert peak > cap // 2  # the edits did fill it: the cap, not the workload, bounded it


@pytest.mark.slow
def test_estimate_matches_the_memory_an_analysis_takes():
    """The estimate of a cached analysis against the resident memory that 40 copies of it
    add to a fresh process (measured, so independent of the estimator's rules)."""
    script = textwrap.dedent(
        """
        import gc, pickle
        from camwatch.geometry.coverage import analyze
        from camwatch.sitefile import load_site
        from web.sizes import estimate_size

        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * 4096

        value = analyze(load_site("sample_sites/modern_gated.geojson"))
        blob = pickle.dumps(value)
        gc.collect()
        before = rss()
        copies = [pickle.loads(blob) for _ in range(40)]
        gc.collect()
        print(estimate_size(value), (rss() - before) / len(copies))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=300
    ).stdout.split()
    estimate, measured = float(out[0]), float(out[1])
    assert measured > 100_000, measured  # the measurement saw the copies
    assert 0.67 <= estimate / measured <= 1.5, (estimate, measured)


def test_estimate_counts_shared_objects_once_and_walks_dataclasses():
    from dataclasses import dataclass

    from shapely.geometry import box

    @dataclass(frozen=True)
    class Holder:
        geometry: object
        label: str

    square = box(0, 0, 1, 1)
    one = estimate_size(Holder(square, "a"))
    assert one > estimate_size(square) > estimate_size(box(0, 0, 1, 1).exterior.coords[0])
    shared = estimate_size([Holder(square, "a")] * 10)
    assert shared < 2 * one  # ten references to one object
