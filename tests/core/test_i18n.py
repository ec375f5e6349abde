"""The one message catalogue (camwatch/i18n.py): complete in Chinese, worded late, CLI --lang."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from click.testing import CliRunner

from camwatch.cli import cli, locale_language
from camwatch.errors import SiteFormatError
from camwatch.i18n import CATALOGUE, Message, msg, term_msg, text_of, use_language
from camwatch.sitefile import load_site

ROOT = Path(__file__).resolve().parents[2]
MO = CATALOGUE / "zh" / "LC_MESSAGES" / "messages.mo"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _compiled() -> dict[tuple[str | None, str], str]:
    with MO.open("rb") as fh:
        return {(m.context, m.id): m.string for m in read_mo(fh) if m.id}


def _keys_in_source() -> set[tuple[str | None, str]]:
    """Every literal msg("...") / term_msg("ctx", "...") key in camwatch/ and planners/,
    read with ast (not with Babel's extractor, which the catalogue tool uses)."""
    keys: set[tuple[str | None, str]] = set()
    for folder in ("camwatch", "planners"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                    continue
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if node.func.id == "msg" and args and isinstance(args[0], str):
                    keys.add((None, args[0]))
                elif node.func.id == "term_msg" and len(args) == 2:
                    keys.add((args[0], args[1]))
    return keys


def test_every_message_of_the_core_and_planners_has_a_chinese_translation():
    compiled = _compiled()
    keys = _keys_in_source()
    assert len(keys) > 150  # the loader's, the planners', the problems' and the plan's words
    missing = sorted(k for k in keys if not compiled.get(k))
    assert missing == []
    for context, key in keys:
        zh = compiled[(context, key)]
        assert CJK.search(zh) or key.startswith("%("), key  # really Chinese, not a copy
        assert sorted(PLACEHOLDER.findall(zh)) == sorted(PLACEHOLDER.findall(key)), key


def test_every_catalogue_entry_is_translated():
    compiled = _compiled()
    assert len(compiled) > 500  # web + core + planners: one catalogue
    assert [k for k, v in compiled.items() if not v] == []


@pytest.mark.parametrize(
    "message, en, zh",
    [
        (term_msg("plan", "bike shed"), "bike shed", "非机动车棚"),
        (term_msg("plan", "none"), "none", "无门禁"),  # the context keeps its own sense
        (msg("polygon is empty"), "polygon is empty", "多边形为空"),
        (
            msg("%(kind)s '%(ident)s'", kind=term_msg("feature", "camera"), ident="C1"),
            "camera 'C1'",
            "摄像机「C1」",
        ),
        (msg("unknown words stay as the key"), "unknown words stay as the key", None),
    ],
)
def test_messages_are_worded_in_each_language(message, en, zh):
    assert message.render("en") == en
    assert message.render("zh") == (zh or en)
    assert Message.from_json(message.to_json()) == message


def test_current_language_is_english_unless_chosen():
    m = msg("polygon is empty")
    assert str(m) == "polygon is empty"
    with use_language("zh_CN.UTF-8"):
        assert str(m) == "多边形为空"
        with use_language("fr"):
            assert str(m) == "polygon is empty"
    assert str(m) == "polygon is empty"


def test_stored_form_and_plain_text_both_read():
    stored = msg("Blind spot %(id)s", id="B2").to_json()
    assert stored == {"key": "Blind spot %(id)s", "params": {"id": "B2"}}
    assert text_of(stored, "zh") == "盲区 B2" and text_of(stored, "en") == "Blind spot B2"
    assert text_of("Hedge blocks camera C3", "zh") == "Hedge blocks camera C3"
    assert text_of(None, "zh") == ""


def test_site_error_keeps_its_english_and_words_chinese_on_demand():
    exc = SiteFormatError(msg("name is required"), index=4, kind="building", ident=None)
    assert str(exc) == "feature #4 (building): name is required"  # unchanged English
    assert exc.text("zh") == "要素 #4（建筑）：名称为必填项"
    assert exc.args == ("feature #4 (building): name is required",)


def _bad_site(tmp_path: Path) -> Path:
    path = tmp_path / "bad.geojson"
    path.write_text(
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","properties":{"kind":"boundary"},"geometry":{"type":"Polygon",'
        '"coordinates":[[[0,0],[40,0],[40,30],[0,30],[0,0]]]}},'
        '{"type":"Feature","properties":{"kind":"building","name":"Block A","height_m":10},'
        '"geometry":{"type":"Polygon","coordinates":[[[10,10],[30,10],[30,25],[10,25],[10,10]]]}},'
        '{"type":"Feature","properties":{"kind":"camera","id":"C10","height_m":3,'
        '"heading_deg":0,"hfov_deg":90},"geometry":{"type":"Point","coordinates":[20,15]}}]}',
        encoding="utf-8",
    )
    return path


def test_cli_error_line_follows_lang(tmp_path):
    site = str(_bad_site(tmp_path))
    runner = CliRunner()
    zh = runner.invoke(cli, ["--lang", "zh", "analyze", site], env={"LANG": "C"})
    assert zh.exit_code == 2
    assert zh.output.strip() == (
        "错误：要素 #2（摄像机「C10」）：摄像机位于 (20, 15)，在建筑「Block A」（要素 #1）内部，"
        "距可安装空间 5.00 米（允许 0.05 米）"
    )
    en = runner.invoke(cli, ["analyze", site], env={"LANG": "C", "LC_ALL": None})
    assert en.exit_code == 2
    assert en.output.strip() == (
        "error: feature #2 (camera 'C10'): camera at (20, 15) is inside building 'Block A' "
        "(feature #1), 5.00 m from free space (allowed 0.05 m)"
    )
    by_locale = runner.invoke(
        cli, ["analyze", site], env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "zh_CN.UTF-8"}
    )
    assert by_locale.output == zh.output
    # the language does not leak out of the command
    with pytest.raises(SiteFormatError) as caught:
        load_site(site)
    assert str(caught.value).startswith("feature #2 (camera 'C10'): camera at (20, 15)")


@pytest.mark.parametrize(
    "environ, expected",
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "zh_TW"}, "zh"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN", "LANG": "en_US"}, "zh"),
        ({"LC_ALL": "", "LANG": "zh_CN"}, "zh"),  # an empty variable is not set
    ],
)
def test_locale_language(environ, expected):
    assert locale_language(environ) == expected


def test_analyze_text_follows_lang():
    site = str(ROOT / "sample_sites" / "urban_village.geojson")
    runner = CliRunner()
    zh = runner.invoke(cli, ["--lang", "zh", "analyze", site], env={"COLUMNS": "200"})
    en = runner.invoke(cli, ["--lang", "en", "analyze", site], env={"COLUMNS": "200"})
    assert zh.exit_code == en.exit_code == 0
    assert "监控范围" in zh.output and "各等级覆盖率" in zh.output and "辨认" in zh.output
    assert "monitored area" not in zh.output and "FAIL" not in zh.output
    assert "monitored area" in en.output and "Coverage by DORI level" in en.output
    names = " ".join(z.name for z in load_site(site).zones)
    # Chinese in the English output only inside proper names (zone names are split over lines)
    assert set(CJK.findall(en.output)) <= set(CJK.findall(names))
