"""Every rule's suggested fix is given in Chinese and English (docs/standards.md).

The findings come from every planted violation, the three samples and the
rules the planted set does not reach (PERIM-VIDEO, PERIM-BAND, DEVICE-HEALTH),
so each rule of the catalogue shows at least one fix. A Chinese fix is Chinese
(no English words once ids, feature names and `code` are taken out), an
English fix has no Chinese, and both carry the same figures (positions,
lengths, limits), so a translation cannot drift from the parameters.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from camwatch.sitefile import load_site, parse_site
from camwatch.standards import RULES, DeviceHealth, Finding, check
from tests.standards.sites import PLANTS, baseline, feature, planted

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sites"
CJK = re.compile(r"[\u3400-\u9fff]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
UNITS = {"MP"}  # megapixels: written MP in Chinese documents too


def _all_findings() -> list[Finding]:
    findings: list[Finding] = []
    for plant in PLANTS:
        site, _ = planted(plant)
        findings += check(parse_site(site), "national").findings
    for name in ("old_residential", "modern_gated", "urban_village"):
        findings += check(load_site(SAMPLES / f"{name}.geojson")).findings
    site = baseline()
    for cid in ("F1", "F2", "F4"):  # unwatched perimeter: PERIM-VIDEO and PERIM-BAND
        feature(site, cid)["properties"]["status"] = "offline"
    late = [DeviceHealth("F1", "camera", "faulty", since=date(2026, 1, 1), deadline=None)]
    findings += check(parse_site(site), "national", devices=late, today=date(2026, 6, 30)).findings
    return findings


FINDINGS = _all_findings()


def _strip(text: str, finding: Finding) -> str:
    """The text without `code`, the finding's feature ids/names and the lane/zone names."""
    text = re.sub(r"`[^`]*`", " ", text)
    for name in sorted(finding.features, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


def test_every_rule_is_seen_with_a_fix_in_both_languages():
    seen = Counter(f.rule for f in FINDINGS if f.fix and f.fix_zh)
    assert set(seen) == set(RULES)


@pytest.mark.parametrize("finding", FINDINGS, ids=lambda f: f"{f.rule}:{'|'.join(f.features)}")
def test_fix_is_bilingual(finding):
    assert bool(finding.fix) == bool(finding.fix_zh)
    if not finding.fix:
        return
    zh, en = _strip(finding.fix_zh, finding), _strip(finding.fix, finding)
    assert CJK.search(zh), finding.fix_zh
    leftover = set(ENGLISH_WORD.findall(zh)) - UNITS
    assert not leftover, (finding.fix_zh, leftover)
    assert not CJK.search(en), finding.fix
    assert Counter(NUMBER.findall(zh)) == Counter(NUMBER.findall(en)), (finding.fix, finding.fix_zh)


def test_json_carries_both_fixes():
    finding = next(f for f in FINDINGS if f.rule == "GATE-ACCESS")
    data = finding.to_dict()
    assert data["fix"] == finding.fix and data["fix_zh"] == finding.fix_zh
    assert finding.fix_in("zh") == finding.fix_zh and finding.fix_in("en") == finding.fix
