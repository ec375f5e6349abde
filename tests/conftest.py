"""Suite-wide test settings: skips that must not hide failures in CI.

A skipped test is green in the summary, so in CI a missing install step or a
missing file could hide behind a passing run. Environment variables turn skips
into failures:

* ``CAMWATCH_REQUIRE_BROWSER`` / ``CAMWATCH_REQUIRE_POSTGRES``: a test marked
  ``browser`` / ``postgres`` that is skipped fails instead;
* ``CAMWATCH_REQUIRE_ALL``: *every* skip fails — a skip while running a test
  (``pytest.skip``, ``skipif`` such as "no sample sites yet", a skipping
  fixture) and a skip while collecting a module (``pytest.importorskip`` of a
  missing test dependency), which fails the collection of that module.

``.ci/run`` sets them. Expected failures (``xfail``) are not skips and are
left alone: they are known, named gaps, reported as such by ``-ra``.

Hypothesis profiles: ``dev`` (default, quick) and ``ci`` (selected when the ``CI``
environment variable is set, or with ``HYPOTHESIS_PROFILE=ci``): a few hundred
examples per property, the same ones on every run (``derandomize``), so CI is
reproducible; the dev profile draws new examples each run and may find more.
Tests that fix ``max_examples`` themselves keep it.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    print_blob=True,
    derandomize=True,  # the same examples on every CI run: a red run is reproducible
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

REQUIRED = {
    "browser": "CAMWATCH_REQUIRE_BROWSER",
    "postgres": "CAMWATCH_REQUIRE_POSTGRES",
}
REQUIRE_ALL = "CAMWATCH_REQUIRE_ALL"


def _required_by(item: pytest.Item) -> str | None:
    """The variable that forbids skipping ``item``, if one is set."""
    if os.environ.get(REQUIRE_ALL):
        return REQUIRE_ALL
    for marker, env in REQUIRED.items():
        if item.get_closest_marker(marker) and os.environ.get(env):
            return env
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or hasattr(report, "wasxfail"):
        return
    env = _required_by(item)
    if env is not None:
        report.outcome = "failed"
        report.longrepr = f"test skipped although {env} is set: {report.longrepr}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and os.environ.get(REQUIRE_ALL):
        report.outcome = "failed"
        report.longrepr = f"module skipped although {REQUIRE_ALL} is set: {report.longrepr}"
