"""达标 from findings: the dashboard, the district report and `camwatch check` agree.

The seeded samples do not meet the standard (each has error findings); the
hand-built baseline compound of tests/standards/sites.py meets every rule, and
a copy of it with a warning (MOUNT-HEIGHT) and a note (HIGH-POINT) still meets
the standard (only errors count), so the expected share is 2 of 5 — neither
all-false, all-true, nor "no findings at all".
The oracle is `camwatch check COMPOUND --json` run as its own process.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

from camwatch.registry.db import make_engine, session_scope
from camwatch.registry.models import Compound
from camwatch.registry.site_import import import_site
from camwatch.report.district import DistrictSummary, district_rows
from camwatch.sitefile import parse_site
from tests.standards.sites import baseline, plant_big, plant_low_mount, planted
from tests.web.conftest import login


def cli_meets(db_file, code: str) -> bool:
    out = subprocess.run(
        [sys.executable, "-m", "camwatch", "check", code, "--json", "--db", f"sqlite:///{db_file}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return bool(json.loads(out.stdout)["meets_standard"])


def test_dashboard_report_and_check_agree(client, db_path):
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        with session_scope(engine, actor="tests") as s:
            import_site(s, parse_site(baseline()), actor="tests", code="baseline-court")
            warned, _ = planted(lambda site: plant_low_mount(site) | plant_big(site))
            import_site(s, parse_site(warned), actor="tests", code="warned-court")
        with session_scope(engine) as s:
            codes = sorted(s.scalars(Compound.__table__.select().with_only_columns(Compound.code)))
            rows = district_rows(s, district=None, today=date.today())
    finally:
        engine.dispose()
    expected = {code: cli_meets(db_path, code) for code in codes}
    assert expected["baseline-court"] is True and expected["warned-court"] is True
    assert sum(expected.values()) == 2 and len(expected) == 5
    # the district report
    assert {r.code: r.meets for r in rows} == expected
    summary = DistrictSummary.of(rows, target=0.8, district=None, today=date.today())
    assert summary.share == sum(expected.values()) / len(expected)
    # the dashboard
    login(client, "admin")
    html = client.get("/district/").get_data(as_text=True)
    meeting, total = map(int, re.search(r'<div class="v">(\d+)/(\d+)</div>', html).groups())
    assert (meeting, total) == (sum(expected.values()), len(expected))
    assert meeting / total == summary.share
