"""``camwatch problems from-findings``: one problem per rule × features, idempotent, re-checked."""

from __future__ import annotations

import json
import re

import pytest

from camwatch.registry.findings import MAX_KEY, finding_key
from tests.standards.sites import plant_no_access, plant_retention, planted
from tests.standards.test_cli import invoke, ledger_url, write  # noqa: F401 - fixture

pytestmark = pytest.mark.usefixtures("ledger_url")


def from_findings(url: str, *extra: str) -> dict:
    out = invoke("problems", "from-findings", "base", "--deadline-days", "14", "--json",
                 "--db", url, *extra)  # fmt: skip
    return json.loads(out)


def test_idempotent_then_closed_by_a_passing_recheck(tmp_path, ledger_url):  # noqa: F811
    site, _ = planted(lambda s: plant_no_access(s) | plant_retention(s))
    invoke("import-site", str(write(tmp_path, site)), "--db", ledger_url)
    first = from_findings(ledger_url)
    assert len(first["created"]) == 2 and first["existing"] == []
    again = from_findings(ledger_url)
    assert again["created"] == [] and sorted(again["existing"]) == sorted(first["created"])

    listed = json.loads(invoke("problems", "list", "base", "--json", "--db", ledger_url))
    keys = {p["id"]: p for p in listed}
    access = next(i for i, p in keys.items() if "GATE-ACCESS" in p["description"])
    retention = next(i for i in first["created"] if i != access)
    # each problem says the rule's finding and fix in the reader's language (camwatch.i18n.Bilingual)
    zh = invoke("--lang", "zh", "problems", "show", str(access), "--db", ledger_url)
    en = invoke("--lang", "en", "problems", "show", str(access), "--db", ledger_url)
    assert "[GATE-ACCESS]" in zh and "整改建议：" in zh and "Fix:" not in zh
    assert "[GATE-ACCESS]" in en and ". Fix: " in en and "整改建议" not in en
    assert not re.search(r"[\u4e00-\u9fff]", keys[access]["description"])  # stored: English
    # both marked fixed; only the gate really is: its problem is verified, the other reopened
    for pid in (access, retention):
        invoke("problems", "update", str(pid), "--status", "fixed", "--db", ledger_url)
    invoke("devices", "update", "base", "G1", "--set", "access_control=card", "--db", ledger_url)
    third = from_findings(ledger_url)
    assert third["verified"] == [access] and third["reopened"] == [retention]
    assert third["created"] == []
    shown = json.loads(invoke("problems", "show", str(access), "--json", "--db", ledger_url))
    assert shown["status"] == "verified"
    assert shown["recheck_result"] == "standards check (national) no longer finds it"  # stored
    # the re-check results are worded for the reader (camwatch.registry.ledger_notes)
    verified = invoke("--lang", "zh", "problems", "show", str(access), "--db", ledger_url)
    assert "标准检查（national）已不再发现该问题" in verified and "no longer" not in verified
    reopened = invoke("--lang", "zh", "problems", "show", str(retention), "--db", ledger_url)
    assert "标准检查（national）仍发现：" in reopened and "still finds" not in reopened


def test_unresolved_problem_no_longer_found_is_a_candidate(tmp_path, ledger_url):  # noqa: F811
    site, _ = planted(plant_no_access)
    invoke("import-site", str(write(tmp_path, site)), "--db", ledger_url)
    (pid,) = from_findings(ledger_url)["created"]
    invoke("devices", "update", "base", "G1", "--set", "access_control=qr", "--db", ledger_url)
    out = from_findings(ledger_url)
    assert out["resolved_candidates"] == [pid] and out["verified"] == []


def test_min_severity_filters(tmp_path, ledger_url):  # noqa: F811
    site, _ = planted(plant_no_access)
    invoke("import-site", str(write(tmp_path, site)), "--db", ledger_url)
    mine = tmp_path / "p.toml"
    mine.write_text('name = "p"\n[rules.GATE-ACCESS]\nseverity = "info"\n', encoding="utf-8")
    out = from_findings(ledger_url, "--profile", str(mine))
    assert out["created"] == []
    out = from_findings(ledger_url, "--profile", str(mine), "--min-severity", "info")
    assert len(out["created"]) == 1


def test_finding_keys_are_stable_and_bounded():
    f = {"rule": "PERIM-BAND", "features": ["东侧周界", "north"]}
    assert finding_key(f) == "finding:PERIM-BAND:东侧周界|north"
    assert finding_key({"rule": "RETENTION", "features": []}) == "finding:RETENTION:"
    long = {"rule": "ZONE-LEVEL", "features": ["z" * 400]}
    other = {"rule": "ZONE-LEVEL", "features": ["z" * 399 + "y"]}
    assert len(finding_key(long)) == MAX_KEY and finding_key(long) != finding_key(other)


def test_keys_touch_only_those_problems(tmp_path, ledger_url):  # noqa: F811
    """The web's "open problem" per finding: other keys' problems are left alone."""
    from datetime import date

    from camwatch.registry.db import make_engine, session_scope
    from camwatch.registry.findings import problems_from_findings
    from camwatch.registry.problems import get_problem

    site, _ = planted(lambda s: plant_no_access(s) | plant_retention(s))
    invoke("import-site", str(write(tmp_path, site)), "--db", ledger_url)
    check = json.loads(invoke("check", "base", "--json", "--db", ledger_url))
    access = next(f for f in check["findings"] if f["rule"] == "GATE-ACCESS")
    retention = next(f for f in check["findings"] if f["rule"] == "RETENTION")
    engine = make_engine(ledger_url)
    try:
        with session_scope(engine, actor="t") as s:
            out = problems_from_findings(
                s, "base", check, deadline_days=7, keys=[finding_key(retention)]
            )
            (ret_id,) = out["created"]
        invoke("problems", "update", str(ret_id), "--status", "fixed", "--db", ledger_url)
        # a check where RETENTION is gone, but only GATE-ACCESS's key is asked for
        gone = {**check, "findings": [access]}
        with session_scope(engine, actor="t") as s:
            out = problems_from_findings(
                s, "base", gone, deadline_days=7, keys=[finding_key(access)], today=date.today()
            )
            assert len(out["created"]) == 1 and out["verified"] == []
            assert get_problem(s, ret_id).status == "fixed"  # not verified by another key's run
            again = problems_from_findings(
                s, "base", gone, deadline_days=7, keys=[finding_key(access)]
            )
            assert again["created"] == [] and again["existing"] == out["created"]
    finally:
        engine.dispose()
