"""The command line's own errors follow ``camwatch --lang`` (README, "CLI reference").

Every error a command raises is a catalogue message: under ``--lang zh`` the
line is ``错误：`` and the sentence in Chinese; under ``--lang en`` it is
exactly the English it always was (``error: ...``). A library's own English
(SQLAlchemy's, ezdxf's, Dask's) is kept as it is, inside a worded frame.

The expected lines are written out here, not built from the catalogue or the
code's message keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import ezdxf
import pytest
from click.testing import CliRunner, Result
from shapely.geometry import Point

from camwatch.cli import cli
from camwatch.errors import CamwatchError, UsageError
from camwatch.importers.dxf_read import read_dxf
from camwatch.ladders import ladder
from camwatch.render.overlays import Overlays

CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")  # three English words
COMMAND = re.compile(r"`[^`]*`")  # a command to type (`camwatch db init`) is not a sentence

Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(*argv, lang="zh")``: ``camwatch --lang LANG ARGV`` with no locale or ledger set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    runner = CliRunner()

    def invoke(*argv: object, lang: str = "zh") -> Result:
        return runner.invoke(cli, ["--lang", lang, *(str(a) for a in argv)], prog_name="camwatch")

    return invoke


def _site(folder: Path, *, levels: str | None = None) -> Path:
    """A 40 × 30 m compound, one building, one camera (no georeference)."""
    info: dict[str, object] = {"id": "tiny"}
    if levels:
        info["levels"] = levels
    feature = {"type": "Feature"}
    data = {
        "type": "FeatureCollection",
        "site": info,
        "features": [
            {
                **feature,
                "properties": {"kind": "boundary"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[0, 0], [40, 0], [40, 30], [0, 30], [0, 0]]],
                },
            },
            {
                **feature,
                "properties": {"kind": "building", "name": "A", "height_m": 10},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[10, 10], [30, 10], [30, 25], [10, 25], [10, 10]]],
                },
            },
            {
                **feature,
                "properties": {
                    "kind": "camera",
                    "id": "C1",
                    "height_m": 3,
                    "heading_deg": 45,
                    "hfov_deg": 90,
                },
                "geometry": {"type": "Point", "coordinates": [5, 5]},
            },
        ],
    }
    path = folder / ("iec.geojson" if levels else "tiny.geojson")
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _dxf(path: Path, layer: str) -> Path:
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 6  # metres
    pts = [(0, 0), (50, 0), (50, 50), (0, 50)]
    doc.modelspace().add_lwpolyline(pts, close=True, dxfattribs={"layer": layer})
    doc.saveas(path)
    return path


# (file whose raise is reached, argv with {site} {iec} {tmp} {dxf} {map} {lenses}, English, Chinese)
CASES: list[tuple[str, list[str], str, str]] = [
    (
        "planners/plan_options.py",
        ["plan", "{site}", "--add", "-3"],
        "--add must be at least 1, got -3",
        "--add 应不小于 1，实际为 -3",
    ),
    (
        "planners/plan_options.py",
        ["plan", "{site}", "--add", "1", "--target", "0.5"],
        "--target cannot be combined with --add or --budget",
        "--target 不能与 --add 或 --budget 同时使用",
    ),
    (
        "planners/lenses.py",
        ["plan", "{site}", "--add", "1", "--lenses", "{lenses}"],
        "--lenses {lenses}: expected a JSON list of objects",
        "--lenses {lenses}：应为由对象组成的 JSON 列表",
    ),
    (
        "planners/cli_kit.py",
        ["patrol", "{site}", "--cell", "100"],
        "--cell must be in [0.1, 50] m, got 100",
        "--cell 应在 [0.1, 50] 米范围内，实际为 100",
    ),
    (
        "planners/patrol.py",
        ["patrol", "{site}", "--speed", "0"],
        "--speed must be > 0, got 0",
        "--speed 应大于 0，实际为 0",
    ),
    (
        "planners/demand.py",
        ["plan", "{site}", "--add", "1", "--level", "characterise"],
        "--level: level 'characterise' belongs to the iec2025 ladder, but the site uses the "
        "dori ladder (detection, observation, recognition, identification); set site.levels "
        "to 'iec2025' to use it",
        "--level：等级 'characterise' 属于 iec2025 等级体系，但本小区使用 dori 等级体系"
        "（detection, observation, recognition, identification）；如要使用该等级，"
        "请将 site.levels 设为 'iec2025'",
    ),
    (
        "camwatch/model.py",
        ["plan", "{site}", "--add", "1", "--resolution", "big"],
        "--resolution: expected WIDTHxHEIGHT such as 1920x1080, got 'big'",
        "--resolution：应为“宽x高”格式（如 1920x1080），实际为 'big'",
    ),
    (
        "camwatch/cli.py",
        ["render", "{site}", "-o", "{tmp}/p.png", "--level", "characterise"],
        "--level: level 'characterise' belongs to the iec2025 ladder, but the site uses the "
        "dori ladder (detection, observation, recognition, identification); set site.levels "
        "to 'iec2025' to use it",
        "--level：等级 'characterise' 属于 iec2025 等级体系，但本小区使用 dori 等级体系"
        "（detection, observation, recognition, identification）；如要使用该等级，"
        "请将 site.levels 设为 'iec2025'",
    ),
    (
        "camwatch/render/plan.py",
        ["render", "{site}", "-o", "{tmp}/p.txt"],
        "output '{tmp}/p.txt' must end in .png, .svg, .pdf",
        "输出文件 '{tmp}/p.txt' 的扩展名应为 .png, .svg, .pdf",
    ),
    (
        "camwatch/ladders.py",
        ["report", "{iec}", "-o", "{tmp}/r.pdf"],
        "the compound report supports only the DORI levels for now; this site uses the iec2025 "
        "ladder (site.levels, docs/coverage.md)",
        "小区评估报告目前只支持 DORI 等级；本小区使用 iec2025 等级体系"
        "（site.levels，见 docs/coverage.md）",
    ),
    (
        "camwatch/output.py",
        ["report", "{site}", "-o", "{tmp}/r.docx"],
        "output '{tmp}/r.docx' must end in .pdf",
        "输出文件 '{tmp}/r.docx' 的扩展名应为 .pdf",
    ),
    (
        "camwatch/report/cli.py",
        ["report", "{site}", "-o", "{tmp}/r.pdf", "--suggest", "2", "--suggestions", "x.json"],
        "give --suggest or --suggestions, not both",
        "--suggest 与 --suggestions 只能指定其一",
    ),
    (
        "camwatch/report/schedule.py",
        ["schedule", "{site}", "-o", "{tmp}/s.csv", "--prices", "{tmp}/none.csv"],
        "{tmp}/none.csv: no such price table",
        "{tmp}/none.csv：价格表不存在",
    ),
    (
        "camwatch/report/geo.py",
        ["export", "{site}", "--format", "kml", "-o", "{tmp}/x.kml"],
        "site 'tiny' has no georeference: add site.crs, e.g. "
        '{"epsg": 4547, "offset": [x0, y0], "rotation_deg": 0} (docs/site-format.md §6), '
        "to export it to WGS84",
        "小区 'tiny' 没有地理参考：请添加 site.crs，例如 "
        '{"epsg": 4547, "offset": [x0, y0], "rotation_deg": 0}（见 docs/site-format.md §6），'
        "才能导出为 WGS84 坐标",
    ),
    (
        "camwatch/standards/engine.py",
        ["check", "{site}", "--profile", "nosuch"],
        "profile 'nosuch': neither a shipped profile (national, shanghai) nor a TOML file",
        "检查标准 'nosuch'：既不是内置检查标准（national, shanghai），也不是 TOML 文件",
    ),
    (
        "camwatch/importers/layers.py",
        ["import-dxf", "{tmp}/plan.dxf", "-o", "{tmp}/s.geojson", "--layers", "{map}"],
        "{map}: needs a non-empty [layers] table",
        "{map}：须有非空的 [layers] 表",
    ),
    (
        "camwatch/importers/cli.py",
        ["import-dxf", "{tmp}/plan.dxf"],
        "give -o SITE.geojson (or --list-layers)",
        "请指定 -o SITE.geojson（或 --list-layers）",
    ),
    (
        "camwatch/importers/dxf.py",
        ["import-dxf", "{dxf}", "-o", "{tmp}/s.geojson"],
        "no layer maps to a site feature kind (layers: DIM); give a --layers map",
        "没有图层对应到小区要素类型（图层：DIM）；请用 --layers 指定图层对照表",
    ),
    (
        "camwatch/importers/image.py",
        ["import-image", "{tmp}/plan.png", "--scale", "1,2,3", "-o", "{tmp}/s.geojson"],
        "--scale must be X1,Y1,X2,Y2,METRES (five numbers), got '1,2,3'",
        "--scale 应为 X1,Y1,X2,Y2,米数（五个数），实际为 '1,2,3'",
    ),
    (
        "camwatch/commands/common.py",
        ["devices", "add", "tiny", "C9", "--kind", "camera", "--at", "1"],
        "--at must be X,Y in metres, got '1'",
        "--at 应为以米为单位的 X,Y，实际为 '1'",
    ),
    (
        "camwatch/commands/devices.py",
        ["devices", "add", "tiny", "C9", "--kind", "camera"],
        "a new device needs a position: --at X,Y or --line 'X1,Y1 X2,Y2'",
        "新设备须有位置：--at X,Y 或 --line 'X1,Y1 X2,Y2'",
    ),
    (
        "camwatch/commands/problems.py",
        ["problems", "recheck", "1", "--result", "ok"],
        "say --passed or --failed",
        "请指定 --passed 或 --failed",
    ),
    (
        "camwatch/commands/ledger.py",
        ["db", "upgrade", "--db", "sqlite:///{tmp}/empty.db"],
        "the database has no ledger yet; run `camwatch db init`",
        "数据库中还没有台账；请运行 `camwatch db init`",
    ),
    (
        "camwatch/batch/cli.py",
        ["district", "analyze", "{tmp}", "--all"],
        "give a FOLDER of site files or --all (ledger compounds), not both",
        "平面图文件夹 FOLDER 与 --all（台账中的小区）只能指定其一",
    ),
]


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, str]:
    """The files the cases name, made in ``tmp_path``."""
    lenses = tmp_path / "lenses.json"
    lenses.write_text('{"name": "wide"}', encoding="utf-8")
    layer_map = tmp_path / "map.toml"
    layer_map.write_text("name = 1\n", encoding="utf-8")
    return {
        "site": str(_site(tmp_path)),
        "iec": str(_site(tmp_path, levels="iec2025")),
        "tmp": str(tmp_path),
        "dxf": str(_dxf(tmp_path / "dim.dxf", "DIM")),
        "map": str(layer_map),
        "lenses": str(lenses),
    }


def _fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace("{" + name + "}", value)
    return text


@pytest.mark.parametrize(
    "argv, english, chinese",
    [pytest.param(a, e, z, id=f.split("/")[-1]) for f, a, e, z in CASES],
)
def test_error_line_follows_lang(run, inputs, argv, english, chinese):
    args = [_fill(a, inputs) for a in argv]
    zh = run(*args)
    assert zh.exit_code == 2, zh.output
    assert zh.stderr == "错误：" + _fill(chinese, inputs) + "\n"
    assert CJK.search(zh.stderr) and "error:" not in zh.stderr
    assert not ENGLISH_RUN.search(COMMAND.sub("", zh.stderr)), zh.stderr
    en = run(*args, lang="en")
    assert en.exit_code == 2, en.output
    assert en.stderr == "error: " + _fill(english, inputs) + "\n"  # the English as it was
    assert not CJK.search(en.stderr)


def test_a_library_s_own_english_stays_inside_a_worded_frame(run):
    """SQLAlchemy's sentence is kept as it is; the frame around it is Chinese."""
    zh = run("problems", "list", "--db", "/nonexist/x.db")
    detail = "Could not parse SQLAlchemy URL from given URL string"
    assert zh.exit_code == 2
    assert zh.stderr == f"错误：数据库地址 '/nonexist/x.db' 无效：{detail}\n"
    en = run("problems", "list", "--db", "/nonexist/x.db", lang="en")
    assert en.stderr == f"error: bad database URL '/nonexist/x.db': {detail}\n"


def test_an_unreadable_drawing_keeps_ezdxf_s_words_in_a_chinese_frame(run, tmp_path):
    plan = tmp_path / "plan.dxf"
    plan.write_bytes(b"\x89PNG\r\n\x1a\n not a drawing")
    zh = run("import-dxf", plan, "-o", tmp_path / "s.geojson")
    en = run("import-dxf", plan, "-o", tmp_path / "s.geojson", lang="en")
    assert zh.exit_code == en.exit_code == 2
    head = f"error: {plan}: not a readable DXF drawing ("
    assert en.stderr.startswith(head) and en.stderr.endswith(")\n")
    detail = en.stderr[len(head) : -2]  # ezdxf's own words
    assert zh.stderr == f"错误：{plan}：不是可读取的 DXF 图纸（{detail}）\n"


def test_a_bad_date_is_worded_as_click_words_a_bad_value(run):
    argv = ["problems", "open", "tiny", "-d", "hedge", "--deadline", "soon"]
    zh = run(*argv)
    assert zh.exit_code == 2
    assert "错误：'--deadline' 的值无效：'soon' 不是 YYYY-MM-DD 格式的日期" in zh.stderr
    en = run(*argv, lang="en")
    assert en.exit_code == 2
    assert "Error: Invalid value for '--deadline': 'soon' is not a date YYYY-MM-DD" in en.stderr


def test_the_prefix_follows_the_locale_without_lang(monkeypatch, tmp_path):
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    site = _site(tmp_path)
    result = CliRunner().invoke(cli, ["plan", str(site), "--add", "0"])
    assert result.exit_code == 2
    assert result.stderr == "错误：--add 应不小于 1，实际为 0\n"


@pytest.mark.parametrize(
    "call, english, chinese",
    [
        pytest.param(
            lambda: Overlays(patrol=Point(0, 0)),
            "patrol route must be a LineString",
            "巡逻路线应为 LineString",
            id="overlays.py",
        ),
        pytest.param(
            lambda: ladder("nosuch"),
            "unknown level ladder 'nosuch' (expected one of: dori, iec2025)",
            "未知等级体系 'nosuch'（可选：dori, iec2025）",
            id="ladders.py",
        ),
        pytest.param(
            lambda: read_dxf("/nonexist/plan.dxf"),
            "/nonexist/plan.dxf: no such file",
            "/nonexist/plan.dxf：文件不存在",
            id="dxf_read.py",
        ),
    ],
)
def test_errors_no_command_reaches_are_messages_too(call, english, chinese):
    with pytest.raises(CamwatchError) as caught:
        call()
    assert caught.value.text("en") == english == str(caught.value)
    assert caught.value.text("zh") == chinese


def test_an_unreachable_scheduler_is_worded_around_dask_s_words():
    from camwatch.batch.runner import dask_client

    with pytest.raises(UsageError) as caught, dask_client(None, "tcp://127.0.0.1:9", timeout=1):
        pass
    en, zh = caught.value.text("en"), caught.value.text("zh")
    head = "cannot reach the Dask scheduler at tcp://127.0.0.1:9: "
    assert en.startswith(head)
    assert zh == "无法连接 tcp://127.0.0.1:9 上的 Dask 调度器：" + en[len(head) :]


def test_a_command_group_that_cannot_load_says_so_in_lang(run, monkeypatch):
    """An entry point whose module is missing: the stand-in command words why in --lang."""
    from importlib.metadata import EntryPoint

    import camwatch.cli as cli_module

    broken = EntryPoint(name="ghost", value="nosuch_module:cmd", group=cli_module.COMMANDS_GROUP)
    monkeypatch.setattr(cli_module, "plugins", lambda group: {"ghost": broken})
    detail = "No module named 'nosuch_module'"  # Python's own words, kept
    zh = run("ghost")
    assert zh.exit_code == 2
    assert zh.stderr == f"错误：'ghost'（nosuch_module:cmd）无法加载：{detail}\n"
    en = run("ghost", lang="en")
    assert en.stderr == f"error: 'ghost' (nosuch_module:cmd) could not be loaded: {detail}\n"


def test_the_ledger_and_the_device_suggestions_name_themselves_in_lang(run, inputs):
    """Two consumers that support only the DORI levels say which they are in ``--lang``."""
    from camwatch.geometry.coverage import analyze
    from camwatch.sitefile import load_site
    from planners.devices import suggest_devices

    db = f"sqlite:///{inputs['tmp']}/ledger.db"
    assert run("db", "init", "--db", db).exit_code == 0
    zh = run("import-site", inputs["iec"], "--db", db)
    assert zh.exit_code == 2, zh.output
    assert zh.stderr.startswith("错误：台账（import-site 导入）目前只支持 DORI 等级；")
    en = run("import-site", inputs["iec"], "--db", db, lang="en")
    assert en.stderr.startswith("error: the ledger (import-site) supports only the DORI levels")
    site = load_site(inputs["iec"])
    with pytest.raises(UsageError) as caught:
        suggest_devices(site, analyze(site))
    assert caught.value.text("zh").startswith("设备建议（出入口的识别级摄像机）目前只支持 DORI")
    assert caught.value.text("en").startswith("suggesting devices (identification cameras at")


def test_what_a_command_wrote_is_said_in_lang(run, inputs):
    """The ``wrote PATH`` line follows ``--lang`` too (English as it was)."""
    out = Path(inputs["tmp"]) / "p.png"
    zh = run("render", inputs["site"], "-o", out)
    assert zh.exit_code == 0, zh.output
    assert zh.stderr == f"已写入 {out}\n"
    en = run("render", inputs["site"], "-o", out, lang="en")
    assert en.exit_code == 0 and en.stderr == f"wrote {out}\n"
