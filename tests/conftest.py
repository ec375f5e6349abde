"""Suite-wide test settings.

In CI (``.ci/run``) ``CAMWATCH_REQUIRE_BROWSER`` and ``CAMWATCH_REQUIRE_POSTGRES``
are set: a browser or PostgreSQL test that would be skipped there fails
instead, so a missing install step cannot hide behind a green run.
"""

from __future__ import annotations

import os

import pytest

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
