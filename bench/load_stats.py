"""Tallies and the printed report of the load benchmark (:mod:`bench.bench_load`)."""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

MAX_TRIES = 5  # PATCH attempts on conflicts
READS = (
    "compound list",
    "map.json",
    "analysis page",
    "device page",
    "API compounds",
    "API devices",
    "API analysis",
)


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in kB, from /proc."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads), from ``/proc/<pid>/stat``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    """What the clients saw (one per client; merged at the end)."""

    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    status: Counter[int] = field(default_factory=Counter)
    conflicts: int = 0
    gave_up: int = 0  # writes still in conflict after MAX_TRIES
    broken: int = 0  # requests without an answer (socket error, timeout)
    shed: list[float] = field(default_factory=list)  # latency of 503 "busy" answers
    failures: list[str] = field(default_factory=list)  # 5xx, unexpected statuses, socket errors

    def merge(self, other: Tally) -> None:
        for key, values in other.latency.items():
            self.latency[key].extend(values)
        self.status.update(other.status)
        self.conflicts += other.conflicts
        self.gave_up += other.gave_up
        self.broken += other.broken
        self.shed.extend(other.shed)
        self.failures.extend(other.failures)


def _pct(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1), in milliseconds."""
    ordered = sorted(values)
    return 1000 * ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def report(tally: Tally, elapsed: float, cpu_s: float) -> None:
    """Print latency per request kind (503 "busy" answers apart), counts and server CPU."""
    print(f"  {'request':<15} {'count':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    every: list[float] = []
    for kind in (*READS, "API device GET", "API PATCH"):
        values = tally.latency.get(kind, [])
        every.extend(values)
        if values:
            print(
                f"  {kind:<15} {len(values):7d} {_pct(values, 0.5):8.1f} {_pct(values, 0.95):8.1f}"
                f" {_pct(values, 0.99):8.1f} {max(values) * 1000:8.1f}"
            )
    if every:
        print(
            f"  {'all':<15} {len(every):7d} {_pct(every, 0.5):8.1f} {_pct(every, 0.95):8.1f}"
            f" {_pct(every, 0.99):8.1f} {max(every) * 1000:8.1f}"
        )
    if tally.shed:
        print(
            f"  {'503 busy':<15} {len(tally.shed):7d} {_pct(tally.shed, 0.5):8.1f}"
            f" {_pct(tally.shed, 0.95):8.1f} {_pct(tally.shed, 0.99):8.1f}"
            f" {max(tally.shed) * 1000:8.1f}"
        )
    answered = len(every) + len(tally.shed)
    if answered:
        print(
            f"  shed (503 + Retry-After): {len(tally.shed)} of {answered} "
            f"({len(tally.shed) / answered:.1%}); over 5 s: "
            f"{sum(v > 5 for v in every + tally.shed)}"
        )
    if cpu_s > 0 and every:
        print(
            f"  server CPU {cpu_s:.1f} s in {elapsed:.1f} s ({cpu_s / elapsed:.2f} cores): "
            f"{1000 * cpu_s / answered:.1f} ms CPU per request, "
            f"{len(every) / cpu_s:.1f} requests per server CPU-second"
        )
    writes = len(tally.latency.get("API PATCH", []))
    fivexx = sum(n for s, n in tally.status.items() if s >= 500 and s != 503)
    other4xx = sum(n for s, n in tally.status.items() if 300 <= s < 500 and s != 409)
    print(
        f"  {len(every)} requests in {elapsed:.1f} s ({len(every) / elapsed:.1f}/s); "
        f"PATCH {writes} ({tally.conflicts} × 409 conflict, {tally.gave_up} gave up after "
        f"{MAX_TRIES} tries); other 3xx/4xx {other4xx}; 5xx other than 503 {fivexx}; "
        f"no answer {tally.broken}"
    )
    print(f"  status counts: {dict(sorted(tally.status.items()))}")


def report_warmup(warm: Tally, seconds: float) -> None:
    """One line on the warm-up before the measured part (not in the table above)."""
    every = [v for values in warm.latency.values() for v in values]
    if not every:
        return
    print(
        f"  warm-up {seconds:g} s before (not in the table): {len(every)} requests, "
        f"p50 {_pct(every, 0.5):.1f} ms, p95 {_pct(every, 0.95):.1f} ms, "
        f"max {max(every) * 1000:.1f} ms, {len(warm.failures)} failures"
    )
