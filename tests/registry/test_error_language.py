"""The ledger's errors are catalogue messages: worded in the reader's language, English unchanged.

Every error the registry raises carries a :class:`~camwatch.i18n.Message`, so
``exc.text("zh")`` is Chinese and ``exc.text("en")`` the English key with its
values filled in (docs/registry.md); the CLI words them, and click's own usage
errors, in ``camwatch --lang``.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from camwatch.cli import cli
from camwatch.errors import CamwatchError, NotFoundError, StaleEditError, UsageError
from camwatch.i18n import Message
from camwatch.registry.db import session_scope
from camwatch.registry.devices import (
    add_device,
    get_device,
    update_device,
)
from camwatch.registry.devices_csv import import_devices_csv
from camwatch.registry.problems import get_problem, open_problem, update_problem
from camwatch.registry.retirement import retire_device
from camwatch.registry.site_import import RetiresChangedDevices, import_site
from camwatch.registry.users import create_user
from camwatch.sitefile import parse_site

from .helpers import load_tiny
from .sites import point, tiny_site

CJK = re.compile(r"[\u4e00-\u9fff]")


def _add_c1_again(s: Session) -> None:
    add_device(s, "tiny-court", kind="camera", code="C1", geometry=point(10, 15))


def _retired_c2_edited(s: Session) -> None:
    retire_device(s, "tiny-court", "C2", reason="broken")
    update_device(s, "tiny-court", "C2", {"name": "x"})


def _stale_c1(s: Session) -> None:
    update_device(s, "tiny-court", "C1", {"name": "x"}, expected_version=99)


def _csv_bad_number(s: Session) -> None:
    text = "kind,code,x,y\ncamera,C10,ten,15\n"
    import_devices_csv(s, io.StringIO(text), compound="tiny-court")


def _user_twice(s: Session) -> None:
    create_user(s, "wang", "long-enough", role="planner")
    create_user(s, "wang", "long-enough", role="planner")


def _problem_deadline_without_note(s: Session) -> None:
    today = date.today()
    problem = open_problem(
        s, "tiny-court", description="Gate camera faulty", deadline=today + timedelta(days=5)
    )
    update_problem(s, problem.id, deadline=today + timedelta(days=9))


# (what fails, the error class, its English wording, words its Chinese wording must hold)
CASES: list[tuple[Callable[[Session], object], type[CamwatchError], str, list[str]]] = [
    (
        _add_c1_again,
        UsageError,
        "compound 'tiny-court' already has a device 'C1'",
        ["小区", "已有设备", "'C1'", "'tiny-court'"],
    ),
    (
        lambda s: get_device(s, "tiny-court", "C99"),
        NotFoundError,
        "compound 'tiny-court' has no device 'C99'",
        ["没有设备", "'C99'"],
    ),
    (
        _retired_c2_edited,
        UsageError,
        "camera 'C2' is retired; retired devices are not edited",
        ["摄像机", "'C2'", "已停用"],
    ),
    (
        _stale_c1,
        StaleEditError,
        "conflict: camera 'C1' was changed by someone else (now version 1, you edited "
        "version 99); nothing was saved — reload and try again",
        ["冲突", "摄像机", "第 1 版", "第 99 版", "刷新"],
    ),
    (
        _csv_bad_number,
        UsageError,
        "line 2: x must be a number, got 'ten'",
        ["第 2 行", "x 应为数字", "'ten'"],
    ),
    (_user_twice, UsageError, "user 'wang' already exists", ["用户", "'wang'", "已存在"]),
    (lambda s: get_problem(s, 4242), NotFoundError, "no problem #4242", ["没有问题", "#4242"]),
    (
        _problem_deadline_without_note,
        UsageError,
        "changing a deadline needs a note saying why",
        ["整改期限", "说明"],
    ),
]


@pytest.mark.parametrize(
    "fail, cls, english, chinese",
    CASES,
    ids=["duplicate", "no-device", "retired", "stale", "csv", "user", "no-problem", "deadline"],
)
def test_registry_errors_in_both_languages(engine, fail, cls, english, chinese):
    load_tiny(engine)
    with pytest.raises(cls) as info, session_scope(engine, actor="tester") as s:
        fail(s)
    exc = info.value
    assert isinstance(exc.words, Message)  # a catalogue message, not text worded once
    assert exc.text("en") == english == str(exc)  # outside a web request or --lang: English
    zh = exc.text("zh")
    assert "%(" not in zh and "%(" not in exc.text("en")
    for part in chinese:
        assert part in zh, zh
    assert CJK.search(zh)
    leftover = re.sub(r"'[^']*'", "", zh)  # codes are shown as they are; no English sentence
    assert not re.search(r"\b(?:compound|device|already|retired|conflict|line|user)\b", leftover)


def test_import_refusal_lists_the_changed_devices_in_chinese(engine):
    load_tiny(engine)
    with session_scope(engine, actor="tech") as s:
        add_device(s, "tiny-court", kind="camera", code="C9", geometry=point(10, 15))
    site = parse_site(tiny_site())  # without C9, added since the import
    with pytest.raises(RetiresChangedDevices) as info, session_scope(engine, actor="cli") as s:
        import_site(s, site, force=False)
    en, zh = info.value.text("en"), info.value.text("zh")
    assert en.startswith("this import would retire 1 device(s) not in the file, 1 of them")
    assert re.search(r"C9 \(added \d{4}-\d\d-\d\d \d\d:\d\d\)\. Nothing was written", en)
    assert "本次导入将停用" in zh and re.search(r"C9（\d{4}-\d\d-\d\d \d\d:\d\d 新增）", zh)
    assert info.value.diff.retired_changed["C9"].startswith("added ")  # --json stays English


@pytest.fixture
def cli_run(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    runner = CliRunner()

    def invoke(*args: str, lang: str | None = "zh"):
        head = ["--lang", lang] if lang else []
        return runner.invoke(cli, [*head, *args], prog_name="camwatch")

    return invoke


@pytest.fixture
def site_file(tmp_path) -> Path:
    path = tmp_path / "tiny-court.geojson"
    path.write_text(json.dumps(tiny_site()), encoding="utf-8")
    return path


def test_cli_words_a_registry_error_in_lang(cli_run, db_url, site_file):
    assert cli_run("import-site", str(site_file), "--db", db_url).exit_code == 0
    argv = ["devices", "add", "tiny-court", "C1", "--kind", "camera", "--at", "10,15"]
    zh = cli_run(*argv, "--db", db_url)
    assert zh.exit_code == 2, zh.output
    assert "小区 'tiny-court' 已有设备 'C1'" in zh.output
    assert "already has" not in zh.output
    en = cli_run(*argv, "--db", db_url, lang="en")
    assert en.exit_code == 2 and "compound 'tiny-court' already has a device 'C1'" in en.output


@pytest.mark.parametrize(
    "argv, chinese, english",
    [
        (["devicez", "list"], "错误：没有命令 'devicez'。", "Error: No such command 'devicez'."),
        (["--bogus"], "错误：没有选项 '--bogus'。", "Error: No such option '--bogus'."),
        (["devices", "add"], "缺少参数 'COMPOUND'", "Missing argument 'COMPOUND'."),
        (
            ["devices", "add", "x", "C1", "--kind", "robot"],
            "'--kind' 的值无效：'robot' 不是可选值之一",
            "Invalid value for '--kind': 'robot' is not one of",
        ),
        (["analyze", "a", "b"], "多余的参数（b）", "Got unexpected extra argument (b)"),
    ],
)
def test_click_usage_errors_in_lang(cli_run, argv, chinese, english):
    zh = cli_run(*argv)
    assert zh.exit_code == 2, zh.output
    assert chinese in zh.output and "用法：camwatch" in zh.output
    assert "运行 'camwatch" in zh.output and "Error:" not in zh.output
    en = cli_run(*argv, lang="en")
    assert en.exit_code == 2 and english in en.output and "Usage: camwatch" in en.output
    assert not CJK.search(en.output)


def test_click_usage_errors_follow_the_locale(cli_run, monkeypatch):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert "没有命令 'nosuch'" in cli_run("nosuch", lang=None).output
    bad_lang = cli_run("nosuch", lang="fr")  # --lang itself is wrong: the locale decides
    assert bad_lang.exit_code == 2 and "'--lang' 的值无效：'fr'" in bad_lang.output


def test_flush_conflict_names_the_record_in_chinese(engine, session_factory):
    """Two sessions edit one device; the later flush's StaleEditError words its label."""
    load_tiny(engine)
    first, second = session_factory(), session_factory()
    try:
        d1, d2 = get_device(first, "tiny-court", "C2"), get_device(second, "tiny-court", "C2")
        d1.name = "from first"
        first.commit()
        d2.name = "from second"
        with pytest.raises(StaleEditError) as info:
            second.flush()
        second.rollback()
    finally:
        first.close()
        second.close()
    assert info.value.text("en") == (
        "conflict: camera 'C2' was changed by someone else since it was read; "
        "nothing was saved — reload and try again"
    )
    assert (
        info.value.text("zh") == "冲突：摄像机「C2」在读取后已被他人修改，本次未保存，请刷新后重试"
    )


def test_cli_own_usage_error_in_lang(cli_run, tmp_path):
    out = str(tmp_path / "missing" / "plan.png")
    zh = cli_run("render", "site.geojson", "-o", out)
    assert zh.exit_code == 2 and f"输出文件夹不存在：{tmp_path / 'missing'}" in zh.output
    en = cli_run("render", "site.geojson", "-o", out, lang="en")
    assert f"error: output folder does not exist: {tmp_path / 'missing'}" in en.output
