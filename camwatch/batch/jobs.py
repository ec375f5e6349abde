"""One compound's job: its site input, ledger facts and fingerprint.

A job's ``source`` is cheap to make and to ship: the text of a site file, or a
ledger compound's raw plan, site member and device states. The worker turns it
into a :class:`~camwatch.model.Site` (:func:`build_site`), so the client does no
geometry and a thousand compounds are queued in a second or two.

The fingerprint (:func:`camwatch.registry.snapshots.fingerprint`) is taken of
the same raw inputs plus the task's options; for ``check`` the options carry
the day and the devices' health facts, which DEVICE-HEALTH reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from camwatch.model import Site
from camwatch.registry.snapshots import fingerprint
from camwatch.standards.context import DeviceHealth

SITE_SUFFIXES = (".geojson", ".json")
# The options of a plain ``camwatch analyze`` / ``check`` (what the web view reads back).
ANALYZE_DEFAULTS: dict[str, Any] = {"include_planned": False, "coverage_model": None}
CHECK_DEFAULTS: dict[str, Any] = {"include_planned": False, "profile": None}


@dataclass(frozen=True)
class FileSource:
    """A site file's bytes (parsed on the worker, which needs no shared disk)."""

    name: str
    data: bytes


@dataclass(frozen=True)
class LedgerSource:
    """A ledger compound as stored: plan, ``site`` member and device states."""

    plan: dict[str, Any]
    site_member: dict[str, Any]
    states: tuple[Any, ...]  # camwatch.registry.codec.DeviceState

    def digest_input(self) -> dict[str, Any]:
        """What the fingerprint covers: plan, identity and the live devices' fields (JSON
        values and dates, which the fingerprint writes as ISO text: the digest of the stored
        JSON, without a copy of the plan made through text first)."""
        live = [s.fields() for s in self.states if s.status != "retired"]
        return {"plan": self.plan, "site": self.site_member, "devices": live}


@dataclass(frozen=True)
class Job:
    """One compound of a batch."""

    key: str  # the site file's name, or the compound's code
    source: FileSource | LedgerSource
    digest: str
    devices: tuple[DeviceHealth, ...] = ()
    compound_id: int | None = None
    output: Path | None = None  # folder batches: where the result goes
    options: dict[str, Any] = field(default_factory=dict)


def build_site(source: FileSource | LedgerSource) -> Site:
    """The job's site, through the site loader (errors are the compound's answer)."""
    if isinstance(source, FileSource):
        from camwatch.sitefile import loads_site

        return loads_site(source.data, source.name)
    from camwatch.registry.codec import validate_devices

    site, _ = validate_devices(source.plan, source.site_member, list(source.states))
    return site


def devices_json(devices: Sequence[DeviceHealth]) -> list[dict[str, Any]]:
    """Health facts as JSON values (for the fingerprint)."""
    return json.loads(json.dumps([asdict(d) for d in devices], default=str))


def task_digest(
    task: str,
    source: FileSource | LedgerSource,
    options: Mapping[str, Any],
    devices: Sequence[DeviceHealth] = (),
) -> str:
    """The fingerprint of a task on this input."""
    if isinstance(source, FileSource):
        site: dict[str, Any] = {"file_sha256": hashlib.sha256(source.data).hexdigest()}
    else:
        site = source.digest_input()
    return fingerprint(task, site, {**options, "devices": devices_json(devices)})


def result_path(output: Path, name: str, task: str) -> Path:
    """Where a folder batch writes one site's result: ``OUTPUT/<stem>.<task>.json``."""
    return output / f"{Path(name).stem}.{task}.json"


def folder_jobs(folder: Path, output: Path, task: str, options: Mapping[str, Any]) -> list[Job]:
    """A job per site file in ``folder`` (``*.geojson``, ``*.json``; not recursive), by name."""
    jobs = []
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SITE_SUFFIXES)
    for path in files:
        source = FileSource(path.name, path.read_bytes())
        jobs.append(
            Job(
                key=path.name,
                source=source,
                digest=task_digest(task, source, options),
                output=result_path(output, path.name, task),
                options=dict(options),
            )
        )
    return jobs


def folder_job_state(job: Job) -> tuple[bool, str | None]:
    """``(current, error)``: whether the job's result file has this fingerprint, and
    the error stored in it (a compound whose answer was an error stays failed)."""
    if job.output is None or not job.output.is_file():
        return False, None
    try:
        stored = json.loads(job.output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False, None
    if not isinstance(stored, dict) or stored.get("fingerprint") != job.digest:
        return False, None
    error = stored.get("error")
    return True, str(error) if error is not None else None


def ledger_source(compound: Any) -> LedgerSource:
    """A ledger compound's job source (no parsing, no geometry)."""
    from camwatch.registry.codec import plan_site_member, state_of

    return LedgerSource(
        plan=compound.plan_json,
        site_member=plan_site_member(compound.plan_json, compound),
        states=tuple(state_of(d) for d in compound.devices),
    )
