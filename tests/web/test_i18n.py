"""Message catalogues: complete, compiled, and using the programme's terms."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import web.i18n

PO = Path(web.i18n.TRANSLATIONS) / "zh" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")

TERMS = {
    "Safe compounds": "平安小区",
    "Camera": "摄像机",
    "Access control": "门禁",
    "Intercom": "对讲",
    "Alarm": "报警",
    "Blind spots": "盲区",
    "Detection": "探测",
    "Observation": "观察",
    "Recognition": "识别",
    "Identification": "辨认",
    "Problems": "问题清单",
    "Rectification deadline": "整改期限",
    "Responsible unit": "责任单位",
    "Responsible person": "责任人",
    "Re-check": "复查",
    "Verified": "已核实",
    "overdue": "逾期",
    "Inspections": "检查验收",
    "Compliant": "达标",
}


def _po():
    with PO.open("rb") as fh:
        return read_po(fh, locale="zh")


def test_every_string_translated():
    assert web.i18n.main(["--check"]) == 0


def test_programme_terms():
    catalog = _po()
    for english, chinese in TERMS.items():
        assert chinese in catalog[english].string, english
    assert "覆盖率" in catalog["Detection coverage"].string
    assert (
        "台账"
        in catalog["Coverage planning, device ledger and rectification for safe compounds."].string
    )


def test_compiled_catalogue_matches_po():
    po = {m.id: m.string for m in _po() if m.id}
    with MO.open("rb") as fh:
        mo = {m.id: m.string for m in read_mo(fh) if m.id}
    assert mo == po


def test_placeholders_kept():
    import re

    for m in _po():
        if not m.id:
            continue
        assert sorted(re.findall(r"%\(\w+\)\w", m.id)) == sorted(
            re.findall(r"%\(\w+\)\w", m.string)
        ), m.id
