"""The ledger commands' tables under ``--lang zh`` show what the ledger stores in Chinese.

A device's kind and status, a maintenance kind, a problem's status, source and
history, an inspection item's severity, a user's role and the ledger's own
lines in a device's notes are worded with the web's labels under ``--lang zh``
(README, "CLI reference"); under ``--lang en`` they are shown as stored, as
they always were, and ``--json`` prints them as stored whatever the language.
The expected Chinese is written out here, not built from the catalogue or
``camwatch/commands/words.py``; no table cell may be a stored English value.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rich.cells import cell_len

from camwatch.cli import cli
from camwatch.model import (
    DEVICE_KINDS,
    DEVICE_STATUSES,
    MAINTENANCE_KINDS,
    PROBLEM_SOURCES,
    PROBLEM_STATUSES,
    ROLES,
    SEVERITIES,
)

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sites"
STORED = set(DEVICE_KINDS + DEVICE_STATUSES + MAINTENANCE_KINDS + PROBLEM_SOURCES)
STORED |= set(PROBLEM_STATUSES + ROLES + SEVERITIES) | {"insert", "update", "yes", "no"}
TODAY = date.today().isoformat()
LATER = (date.today() + timedelta(days=100)).isoformat()  # when the problems are overdue
DUE = (date.today() + timedelta(days=10)).isoformat()
ENV = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": None, "DATABASE_URL": None,
       "COLUMNS": "200", "CAMWATCH_USER": "tester"}  # fmt: skip


class Ledger:
    """``camwatch --lang LANG ARGV --db URL`` on one ledger."""

    def __init__(self, url: str, folder: Path) -> None:
        self.url, self.folder, self.runner = url, folder, CliRunner()

    def __call__(self, *argv: object, lang: str = "zh", db: bool = True) -> Result:
        args = ["--lang", lang, *(str(a) for a in argv), *(["--db", self.url] if db else [])]
        result = self.runner.invoke(cli, args, env=ENV, prog_name="camwatch")
        assert result.exit_code == 0, result.output
        return result


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """xingfu-li with a retired camera that was repaired, its problems and an inspection."""
    folder = tmp_path_factory.mktemp("ledger")
    run = Ledger(f"sqlite:///{folder}/l.db", folder)
    run("db", "init", lang="en")
    run("import-site", SAMPLES / "old_residential.geojson", lang="en")
    run("devices", "add", "xingfu-li", "C99", "--kind", "camera", "--at", "10,10",
        "--status", "faulty", lang="en")  # fmt: skip
    run("maintenance", "log", "xingfu-li", "C99", "--kind", "repair", "--date", "2026-03-01",
        "--status-after", "active", "--notes", "lens cleaned", lang="en")  # fmt: skip
    run("devices", "retire", "xingfu-li", "C99", "--reason", "moved to the gate", lang="en")
    run("problems", "from-analysis", "xingfu-li", "--deadline-days", "30", lang="en")
    run("problems", "open", "xingfu-li", "-d", "路灯坏了", "--days", "3",
        "--source", "resident_report", lang="en")  # fmt: skip
    run("problems", "update", "1", "--status", "fixed", "--note", "修好了", lang="en")
    run("problems", "recheck", "1", "--failed", "--result", "还是看不见",
        "--new-deadline", DUE, lang="en")  # fmt: skip
    run("inspect", "xingfu-li", "--date", "2026-03-02", lang="en")
    return run


def _cells(text: str) -> list[str]:
    """Every cell of the rich tables in ``text`` (each line of a wrapped cell apart)."""
    return [c.strip() for line in text.splitlines() for c in line.split("│")[1:-1]]


def _no_stored_words(text: str) -> None:
    leaked = sorted({c for c in _cells(text) if c in STORED})
    assert not leaked, leaked


def _row(text: str, *cells: str | None) -> bool:
    """Whether a table row begins with these cells (the first line of each; None: any)."""
    parts = [r"[^│]*" if c is None else r" *" + re.escape(c) + r" *" for c in cells]
    pattern = r"│" + r"│".join(parts) + r"│"
    return any(re.match(pattern, line) for line in text.splitlines())


def test_device_list_words_kinds_statuses_and_details(ledger):
    zh = ledger("devices", "list", "xingfu-li", "--all").stdout
    assert _row(zh, "C04", "摄像机", None, "故障")
    assert _row(zh, "C99", "摄像机", "", "已停用", "(10, 10)")
    assert "俯角" in zh and not re.search(r"\b(tilt|access|building|line of)\b", zh)
    assert _row(zh, "G1", "出入口（门禁）", None, "正常", None, "门禁：刷卡")
    assert _row(zh, "AL1", "报警", None, "正常", "(86.9, 3)", "紧急按钮")
    assert _row(zh, "IC-4-2", "对讲", "", "故障", "(110, 48)", "楼栋 4号楼")
    assert "2 个点的线" in zh
    _no_stored_words(zh)
    en = ledger("devices", "list", "xingfu-li", "--all", lang="en").stdout
    assert _row(en, "C04", "camera", None, "faulty")
    assert _row(en, "G1", "gate", None, "active", None, "access card")
    assert _row(en, "AL1", "alarm", None, "active", "(86.9, 3)", "panic_button")
    assert "access card" in en


def test_device_show_words_its_fields_maintenance_history_and_retirement(ledger):
    zh = ledger("devices", "show", "xingfu-li", "C99").stdout
    lines = zh.splitlines()
    assert [line.strip() for line in lines[:3]] == ["编号: C99", "类型: 摄像机", "状态: 已停用"]
    assert "lens cleaned" not in lines[:8]  # maintenance notes are the table's
    assert f"备注: {TODAY} 停用：moved to the gate" in [line.strip() for line in lines]
    assert _row(zh, "2026-03-01", "维修", "tester", "故障 → 正常", "lens cleaned")
    assert "新建" in _cells(zh) and "修改" in _cells(zh)
    _no_stored_words(zh)
    for key in ("code", "kind", "status", "notes", "version", "geometry", "properties"):
        assert not any(line.strip().startswith(f"{key}:") for line in lines), key
    en = ledger("devices", "show", "xingfu-li", "C99", lang="en").stdout.splitlines()
    assert en[:3] == [
        "             code: C99",
        "             kind: camera",
        "           status: retired",
    ]
    assert f"            notes: retired {TODAY}: moved to the gate" in en


def test_maintenance_list_words_kinds_and_statuses(ledger):
    zh = ledger("maintenance", "list", "xingfu-li").stdout
    assert _row(zh, "2026-03-01", "C99", "维修", "tester", "故障 → 正常", "lens cleaned")
    _no_stored_words(zh)
    en = ledger("maintenance", "list", "xingfu-li", lang="en").stdout
    assert _row(en, "2026-03-01", "C99", "repair", "tester", "faulty → active", "lens cleaned")


def test_problems_list_and_show_word_statuses_sources_and_history(ledger):
    zh = ledger("problems", "list", "--overdue", "--today", LATER).stdout
    assert _row(zh, "12", "xingfu-li", "待整改", None, "97 天")
    assert _row(zh, "1", "xingfu-li", "重新整改", DUE, "90 天")
    _no_stored_words(zh)
    shown = ledger("problems", "show", "1").stdout
    fields = [line.strip() for line in shown.splitlines() if ": " in line and "│" not in line]
    assert "状态: 重新整改" in fields and "来源: 覆盖分析" in fields
    assert "复查情况: 还是看不见" in fields
    assert _row(shown, None, "tester", "登记", "→ 待整改")
    assert _row(shown, None, "tester", "状态", "待整改 → 已整改，待复查", "", "修好了")
    assert _row(shown, None, "tester", "复查", "已整改，待复查 → 重新整改", DUE)
    _no_stored_words(shown)
    resident = ledger("problems", "show", "12").stdout
    assert "来源: 居民反映" in [line.strip() for line in resident.splitlines()]
    en = ledger("problems", "list", "--overdue", "--today", LATER, lang="en").stdout
    assert _row(en, "12", "xingfu-li", "open", None, "97 d")


def test_the_problem_and_device_messages_word_statuses(ledger):
    said = ledger("problems", "update", "2", "--status", "in_progress").stdout
    assert re.fullmatch(r"问题 #2：整改中，整改期限 \S+（版本 2）\n", said), said


def test_inspect_words_severities(ledger):
    zh = ledger("inspect", "xingfu-li", "--date", "2026-03-03").stdout
    severities = {c for c in _cells(zh) if c in ("错误", "警告", "提示")}
    assert severities == {"错误", "警告", "提示"}
    _no_stored_words(zh)


def test_compounds_users_and_schedule_word_their_values(ledger):
    compounds = ledger("compounds").stdout
    assert _row(compounds, "xingfu-li", "幸福里小区", "老城区 Old Town", "6（1 台故障/离线）")
    users = ledger("users", "list").stdout
    assert "系统管理员" not in _cells(users)  # no users yet: an empty table
    ledger("users", "add", "li", "--role", "technician", "--password", "x" * 12, lang="en")
    users = ledger("users", "list").stdout
    assert _row(users, "li", "维保技术员", "", "zh", "是")
    _no_stored_words(compounds + users)
    out = ledger.folder / "schedule.csv"
    summary = ledger("schedule", "xingfu-li", "-o", out).stdout.splitlines()
    kinds = [line.split()[0] for line in summary]
    assert set(kinds) == {"摄像机", "出入口（门禁）", "报警", "对讲"}
    models = {cell_len(line[: line.index(line.split()[1])]) for line in summary}
    assert len(models) == 1  # the model column lines up (Chinese is two cells wide)
    assert "xingfu-li,camera,C01," in out.read_text(encoding="utf-8-sig")  # the CSV: as stored
    prices = ledger.folder / "prices.csv"
    prices.write_text("model,unit_price\nDS-2CD2T47G2-L,1200\n", encoding="utf-8")
    priced = ledger("schedule", "xingfu-li", "-o", out, "--prices", prices)
    assert priced.stdout.splitlines()[-1] == "合计 2,400.00"
    assert priced.stderr.splitlines()[0].startswith("价格表中没有：DS-2CD2047G2-L, ")


@pytest.mark.parametrize(
    "argv",
    [
        ("devices", "list", "xingfu-li", "--all", "--json"),
        ("devices", "show", "xingfu-li", "C99", "--json"),
        ("maintenance", "list", "xingfu-li", "--json"),
        ("problems", "list", "--json"),
        ("problems", "show", "1", "--json"),
        ("compounds", "--json"),
    ],
)
def test_json_is_as_stored_whatever_the_language(ledger, argv):
    zh, en = ledger(*argv).stdout, ledger(*argv, lang="en").stdout
    assert zh == en
    text = json.dumps(json.loads(zh), ensure_ascii=False)
    assert not re.search(r"(已停用|故障|摄像机|维修|待整改|居民反映)\"", text)


def test_import_site_says_why_a_device_it_retires_counts_as_changed(ledger):
    ledger("devices", "add", "xingfu-li", "C98", "--kind", "camera", "--at", "10,10", lang="en")
    site = SAMPLES / "old_residential.geojson"
    zh = ledger("import-site", site, "--dry-run").stdout.splitlines()
    (line,) = [line for line in zh if line.startswith("    C98: ")]
    assert re.fullmatch(r"    C98: 上次导入后\d{4}-\d\d-\d\d \d\d:\d\d 新增", line), line
    en = ledger("import-site", site, "--dry-run", lang="en").stdout.splitlines()
    (line,) = [line for line in en if line.startswith("    C98: ")]
    assert re.fullmatch(r"    C98: added \d{4}-\d\d-\d\d \d\d:\d\d since the last import", line)
    data = json.loads(ledger("import-site", site, "--dry-run", "--json").stdout)
    assert re.fullmatch(r"added \d{4}-\d\d-\d\d \d\d:\d\d", data["retired_changed"]["C98"])


def test_an_edit_without_a_note_is_worded_in_the_history(ledger):
    ledger("problems", "update", "3", "--unit", "物业", "--person", "Li", lang="en")
    assert "修改了责任单位、责任人" in ledger("problems", "show", "3").stdout
    en = ledger("problems", "show", "3", lang="en").stdout
    assert "changed responsible unit, responsible person" in en
    stored = ledger("problems", "show", "3", "--json").stdout
    assert '"note": "changed responsible_unit, responsible_person"' in stored  # as stored
