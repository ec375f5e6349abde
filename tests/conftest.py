"""Suite-wide test settings.

In CI (``.ci/run``) ``CAMWATCH_REQUIRE_BROWSER`` and ``CAMWATCH_REQUIRE_POSTGRES``
are set: a browser or PostgreSQL test that would be skipped there fails
instead, so a missing install step cannot hide behind a green run.

Hypothesis profiles: ``dev`` (default, quick) and ``ci`` (selected when the ``CI``
environment variable is set, or with ``HYPOTHESIS_PROFILE=ci``): a few hundred
examples per property. Tests that fix ``max_examples`` themselves keep it.
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
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
)

REQUIRED = {
    "browser": "CAMWATCH_REQUIRE_BROWSER",
    "postgres": "CAMWATCH_REQUIRE_POSTGRES",
}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    for marker, env in REQUIRED.items():
        if item.get_closest_marker(marker) and os.environ.get(env):
            report.outcome = "failed"
            report.longrepr = f"{marker} test skipped although {env} is set: {report.longrepr}"
