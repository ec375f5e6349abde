"""What commands print besides errors follows ``camwatch --lang`` (README, "CLI reference").

Under ``--lang zh`` the import reports, the district batch's lines, the
planners' headings and notes are Chinese; under ``--lang en`` they are the
English they always were, byte for byte. The expected lines are written out
here, not built from the catalogue or the code's message keys.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

import ezdxf
import pytest
from click.testing import CliRunner, Result

from camwatch.cli import cli
from camwatch.errors import CamwatchError

SAMPLES = Path(__file__).resolve().parents[2] / "sample_sites"
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,} [A-Za-z]{2,}\b")  # three English words

Run = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(*argv, lang="zh")``: ``camwatch --lang LANG ARGV`` with no locale set."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "200")  # rich tables on one line per row
    runner = CliRunner()

    def invoke(*argv: object, lang: str = "zh") -> Result:
        return runner.invoke(cli, ["--lang", lang, *(str(a) for a in argv)], prog_name="camwatch")

    return invoke


def _tiny(folder: Path, **camera: object) -> Path:
    """A 40 × 30 m compound, one building, one camera (``camera`` overrides its properties)."""
    props = {"kind": "camera", "id": "C1", "height_m": 3, "heading_deg": 45, "hfov_deg": 90}
    features = [
        ("boundary", {}, [[0, 0], [40, 0], [40, 30], [0, 30], [0, 0]]),
        ("building", {"name": "A", "height_m": 10}, [[10, 10], [30, 10], [30, 25], [10, 25]]),
    ]
    data = {
        "type": "FeatureCollection",
        "site": {"id": "tiny"},
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": kind, **extra},
                "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]},
            }
            for kind, extra, ring in features
        ]
        + [
            {
                "type": "Feature",
                "properties": {**props, **camera},
                "geometry": {"type": "Point", "coordinates": [5, 5]},
            }
        ],
    }
    path = folder / "tiny.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _small_dxf(path: Path) -> Path:
    """An 8 × 6 m boundary of four LINEs far from the origin, a DIM line, a stray TEXT."""
    doc = ezdxf.new("R2018")
    doc.header["$INSUNITS"] = 6  # metres
    msp = doc.modelspace()
    x0, y0 = 500_000.0, 3_400_000.0
    corners = [(x0, y0), (x0 + 8, y0), (x0 + 8, y0 + 6), (x0, y0 + 6)]
    for a, b in zip(corners, corners[1:] + corners[:1], strict=True):
        msp.add_line(a, b, dxfattribs={"layer": "用地红线"})
    msp.add_line((x0 + 1, y0 + 1), (x0 + 2, y0 + 2), dxfattribs={"layer": "DIM"})
    msp.add_text("X", dxfattribs={"layer": "文字", "insert": (x0 + 50, y0 + 50)})
    doc.saveas(path)
    return path


def _no_english_sentence(text: str) -> None:
    assert CJK.search(text), text
    assert not ENGLISH_RUN.search(text), text


def test_the_dxf_import_report_follows_lang(run, tmp_path):
    plan = _small_dxf(tmp_path / "small.dxf")
    out = tmp_path / "s.geojson"
    zh = run("import-dxf", plan, "-o", out)
    assert zh.exit_code == 0, zh.output
    assert zh.stderr.splitlines() == [
        "图层 'DIM' → 未对应：读取 1 个 LINE；忽略 1 个 LINE（图层未对应）",
        "图层 '文字' → 文字标注：读取 1 个 TEXT；忽略 1 个 TEXT（不在任何轮廓内）",
        "图层 '用地红线' → 小区边界：读取 4 个 LINE；写入 1 个小区边界",
        "注：图层 '用地红线'：4 条线闭合为 1 个轮廓",
        "注：已移到局部原点：偏移 (500000, 3400000) 米，记入 site.crs",
        "警告：小区跨度为 8.00 米（应在 10–5000 米之间）：单位是否有误？",
        f"已写入 {out}（1 个要素）",
    ]
    en = run("import-dxf", plan, "-o", out, lang="en")
    assert en.exit_code == 0, en.output
    assert en.stderr.splitlines() == [
        "layer 'DIM' → not mapped: read 1 LINE; ignored 1 LINE (layer not mapped)",
        "layer '文字' → label: read 1 TEXT; ignored 1 TEXT (outside every outline)",
        "layer '用地红线' → boundary: read 4 LINE; wrote 1 boundary",
        "note: layer '用地红线': 4 lines closed into 1 outlines",
        "note: moved to a local origin: offset (500000, 3400000) m in site.crs",
        "warning: the site is 8.00 m across (expected 10–5000 m): wrong units?",
        f"wrote {out} (1 features)",
    ]


def test_list_layers_says_not_mapped_in_lang(run, tmp_path):
    plan = _small_dxf(tmp_path / "small.dxf")
    zh = run("import-dxf", plan, "--list-layers")
    en = run("import-dxf", plan, "--list-layers", lang="en")
    assert "DIM\t1\t（未对应）\t1 LINE" in zh.stdout.splitlines()
    assert "DIM\t1\t(not mapped)\t1 LINE" in en.stdout.splitlines()
    assert "用地红线\t4\tboundary\t4 LINE" in zh.stdout.splitlines()  # a layer-map word, kept


def test_the_image_import_lines_follow_lang(run, tmp_path):
    scan = SAMPLES / "modern_gated_scan.png"
    out = tmp_path / "i.geojson"
    zh = run("import-image", scan, "--scale", "0,0,100,0,10", "-o", out)
    assert zh.exit_code == 0, zh.output
    assert zh.stderr.splitlines() == [
        "比例：10.000 像素/米；图纸倾斜：-1.7°",
        "小区边界（图中轮廓）：6,267 平方米；楼栋：8",
        "已舍弃：5 处文字和噪点",
        f"已写入 {out}（草稿：请在地图上核对）",
    ]
    en = run("import-image", scan, "--scale", "0,0,100,0,10", "-o", out, lang="en")
    assert en.stderr.splitlines() == [
        "scale: 10.000 px/m; skew of the drawing: -1.7°",
        "boundary (outline): 6,267 m²; buildings: 8",
        "dropped: 5 text and noise",
        f"wrote {out} (a draft: check it on the map)",
    ]


SUMMARY_ZH = re.compile(
    r"完成 (\d+) 个，失败 (\d+) 个，(\d+) 个已是最新(（其中 \d+ 个此前已失败）)?；(\d+) 个工作进程"
    r"（启动用时 [\d.]+ 秒），用时 [\d.]+ 秒，每小时 [\d,]+ 个小区；结果保存在 (.+)"
)
SUMMARY_EN = re.compile(
    r"(\d+) done, (\d+) failed, (\d+) already current( \(\d+ of them failed before\))?; "
    r"(\d+) worker\(s\) \(started in [\d.]+ s\), [\d.]+ s, [\d,]+ compounds/hour; results in (.+)"
)


def test_the_district_batch_words_each_compound_s_error_in_lang(run, tmp_path):
    folder = tmp_path / "sites"
    folder.mkdir()
    _tiny(folder, resolution=[5, 5])
    zh = run("district", "analyze", folder, "--workers", "1", "--refresh")
    assert zh.exit_code == 1, zh.output
    lines = [line for line in zh.stderr.splitlines() if line.strip()]
    assert lines[0] == (
        "错误：tiny.geojson：要素 #2（摄像机「C1」）：resolution 应为整数像素的 [宽, 高]，"
        "各自在 [160, 20000] 范围内，实际为 [5, 5]"
    )
    found = SUMMARY_ZH.fullmatch(lines[1])
    assert found and found.group(1, 2, 3, 5) == ("0", "1", "0", "1"), lines[1]
    assert found.group(6) == str(folder / "camwatch-analyze")
    en = run("district", "analyze", folder, "--workers", "1", "--refresh", lang="en")
    lines = [line for line in en.stderr.splitlines() if line.strip()]
    assert lines[0] == (
        "error: tiny.geojson: feature #2 (camera 'C1'): resolution must be [width, height] "
        "in integer pixels, each in [160, 20000], got [5, 5]"
    )
    assert SUMMARY_EN.fullmatch(lines[1]), lines[1]
    # the result file keeps the English (the stored form), whatever the run's language
    stored = json.loads((folder / "camwatch-analyze" / "tiny.analyze.json").read_text("utf-8"))
    assert stored["error"].startswith("feature #2 (camera 'C1'): resolution must be")


def test_an_error_stored_by_an_earlier_run_is_shown_in_a_worded_frame(run, tmp_path):
    """A stored error is its English inside the run's frame (docs/web.md, "Languages")."""
    folder = tmp_path / "sites"
    folder.mkdir()
    (folder / "bad.geojson").write_text('{"type": "FeatureCollection"}', encoding="utf-8")
    first = run("district", "analyze", folder, "--workers", "1", lang="en")
    assert first.exit_code == 1, first.output
    again = run("district", "analyze", folder, "--workers", "1")
    lines = [line for line in again.stderr.splitlines() if line.strip()]
    assert lines[0] == "错误：bad.geojson：'features' must be a list, got None"
    found = SUMMARY_ZH.fullmatch(lines[1])
    assert found and found.group(1, 2, 3, 4) == ("0", "0", "1", "（其中 1 个此前已失败）")


def test_a_task_failing_on_every_retry_is_worded_in_lang(tmp_path):
    """The runner's own line for a crashed task: Python's repr kept, the frame in Chinese."""
    from distributed import LocalCluster

    from camwatch.batch.jobs import FileSource, Job
    from camwatch.batch.runner import Outcome, run_jobs
    from camwatch.i18n import text_of
    from tests.batch.flaky import always_fails

    site = _tiny(tmp_path)
    job = Job(site.name, FileSource(site.name, site.read_bytes()), "0" * 64, options={})
    seen: list[Outcome] = []
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster:  # fmt: skip
        run_jobs([job], always_fails, seen.append, scheduler=cluster.scheduler_address, retries=0)
    (outcome,) = seen
    assert outcome.error == "failed after 0 retries: RuntimeError('always')"
    assert text_of(outcome.words, "zh") == "重试 0 次后仍失败：RuntimeError('always')"


def test_the_plan_s_note_and_lines_follow_lang(run, tmp_path):
    site = _tiny(tmp_path)
    argv = ("plan", site, "--add", "30", "--time-limit", "2")
    zh = run(*argv)
    assert zh.exit_code == 0, zh.output
    out = zh.stdout.splitlines()
    assert "注：建议了 4 台摄像机（要求 30 台）：没有其他候选位置能增加覆盖" in out
    compact = re.sub(r"\s+", "", zh.stdout)  # rich wraps a title wider than its table
    assert "tiny：覆盖率（规划前→规划后）" in compact and "建议增设的摄像机（规划）" in compact
    method = [line for line in out if line.startswith("方法 ")]
    assert len(method) == 1 and re.fullmatch(
        r"方法 \w+（最优），最优性差距 [\d.]+%；候选位置 \d+ 个，候选池 \d+，原子区域 \d+ 个；用时 [\d.]+ 秒",
        method[0],
    ), method
    for line in out:
        assert not ENGLISH_RUN.search(line), line
    en = run(*argv, lang="en")
    out = en.stdout.splitlines()
    assert "note: 4 of 30 cameras suggested: no other candidate adds coverage" in out
    assert "tiny:coveragebefore→after" in re.sub(r"\s+", "", en.stdout)
    assert any(line.startswith("method ") and " candidates, pool " in line for line in out)
    assert not CJK.search(en.stdout)


def test_the_patrol_lines_follow_lang(run, tmp_path):
    site = _tiny(tmp_path)
    zh = run("patrol", site, "--start", "2,2")
    assert zh.exit_code == 0, zh.output
    assert zh.stdout.splitlines() == [
        "tiny：巡逻路线从 [2.0, 2.0] 出发，经过 2 处不小于 10 平方米的盲区：全长 94 米，"
        "按 1.2 米/秒需 1.3 分钟",
        "  1. B1（327 平方米），位于 (2.5, 18.2)",
        "  2. B2（287 平方米），位于 (35.0, 18.5)",
    ]
    en = run("patrol", site, "--start", "2,2", lang="en")
    assert en.stdout.splitlines() == [
        "tiny: patrol from [2.0, 2.0] through 2 blind spots ≥ 10 m²: 94 m, 1.3 min at 1.2 m/s",
        "  1. B1 (327 m²) at (2.5, 18.2)",
        "  2. B2 (287 m²) at (35.0, 18.5)",
    ]


def test_the_routes_and_suggest_tables_follow_lang(run):
    site = SAMPLES / "urban_village.geojson"
    zh = run("routes", site)
    assert zh.exit_code == 0, zh.output
    assert "nangang-cun：入侵路线（最不利的在前）" in zh.stdout
    assert "不可见段（米）" in zh.stdout and "出入口 西村口 west street entrance" in zh.stdout
    en = run("routes", site, lang="en")
    assert "nangang-cun: intruder routes, worst first" in en.stdout
    assert "unseen m" in en.stdout and "gate 西村口 west street entrance" in en.stdout
    zh = run("suggest", site)
    assert "nangang-cun：设备建议（45）" in zh.stdout
    assert "│ 辨认级摄像机 │ (10.0, 47.0)" in zh.stdout and "│ 电子围栏" in zh.stdout
    en = run("suggest", site, lang="en")
    assert "nangang-cun: device suggestions (45)" in en.stdout
    assert "│ identification_camera │ (10.0, 47.0)" in en.stdout


@pytest.mark.parametrize(
    "call, english, chinese",
    [
        pytest.param(
            lambda: __import__("camwatch.properties").properties.check_resolution([5, 5]),
            "resolution must be [width, height] in integer pixels, each in [160, 20000], "
            "got [5, 5]",
            "resolution 应为整数像素的 [宽, 高]，各自在 [160, 20000] 范围内，实际为 [5, 5]",
            id="properties.py-resolution",
        ),
        pytest.param(
            lambda: __import__("camwatch.properties").properties.check_optics(
                hfov_deg=None, focal_mm=1e-20, sensor_width_mm=10
            ),
            "focal_mm 1e-20 with sensor_width_mm 10 gives hfov_deg 180, which must be in (0, 180)",
            "focal_mm 1e-20 配 sensor_width_mm 10 得出的 hfov_deg 为 180，应在 (0, 180) 范围内",
            id="properties.py-lens",
        ),
        pytest.param(
            lambda: __import__("camwatch.properties").properties.check_optics(
                hfov_deg=0.001, focal_mm=None, sensor_width_mm=None, resolution=(20000, 10000)
            ),
            "hfov_deg 0.001 at 20000 px gives a detection distance of 4.584e+07 m, which must "
            "be at most 1e+07 m",
            "hfov_deg 0.001 在 20000 像素下的探测距离为 4.584e+07 米，不应超过 1e+07 米",
            id="properties.py-distance",
        ),
        pytest.param(
            lambda: __import__("camwatch.sitefile.crs").sitefile.crs.parse_crs(
                {"epsg": 4547, "offset": [38_500_000, 0]}
            ),
            "site: crs offset must be within ±1e7 m, got [3.85e+07, 0]; an easting above 1e7 "
            "carries a Gauss-Krüger zone prefix: use the zone's central-meridian CRS (e.g. "
            "EPSG:4547, CGCS2000 / 3-degree GK CM 114E) and drop the prefix",
            "site：crs offset 应在 ±1e7 米以内，实际为 [3.85e+07, 0]；东坐标大于 1e7 说明带有"
            "高斯-克吕格带号前缀：请使用该带中央子午线的坐标系（如 EPSG:4547，CGCS2000 / "
            "3-degree GK CM 114E）并去掉带号",
            id="crs.py",
        ),
    ],
)
def test_raises_that_reach_the_user_are_messages(call, english, chinese):
    with pytest.raises(CamwatchError) as caught:
        call()
    assert caught.value.text("en") == english == str(caught.value)
    assert caught.value.text("zh") == chinese


def test_a_missing_cjk_font_is_said_in_lang(monkeypatch):
    from camwatch.render import fonts
    from camwatch.report import pdf

    monkeypatch.setattr(fonts, "find_cjk_family", lambda: None)
    with pytest.raises(CamwatchError) as caught:
        fonts.font_families("zh", need_cjk=True)
    assert caught.value.text("en") == (
        "Chinese labels need the Noto Sans CJK font, which is not installed; install it "
        "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or render with --lang en"
    )
    assert caught.value.text("zh") == (
        "中文标注需要 Noto Sans CJK 字体，但尚未安装；请安装（Debian/Ubuntu：apt-get install "
        "fonts-noto-cjk），或用 --lang en 绘制"
    )
    monkeypatch.setattr(pdf, "REGULAR_GLOBS", ())
    pdf.cjk_fonts.cache_clear()
    try:
        with pytest.raises(CamwatchError) as caught:
            pdf.cjk_fonts()
    finally:
        pdf.cjk_fonts.cache_clear()
    assert caught.value.text("en") == (
        "Chinese labels need the Noto Sans CJK font, which is not installed; install it "
        "(Debian/Ubuntu: apt-get install fonts-noto-cjk) to make reports"
    )
    assert caught.value.text("zh") == (
        "中文标注需要 Noto Sans CJK 字体，但尚未安装；请先安装（Debian/Ubuntu：apt-get install "
        "fonts-noto-cjk）再生成报告"
    )


def _ledger_lines(run: Run, tmp_path: Path, lang: str) -> list[str]:
    """The informational lines of a short ledger session in ``lang``."""
    db = f"sqlite:///{tmp_path}/{lang}.db"
    site = _tiny(tmp_path)
    out: list[str] = []
    for argv in (
        ("db", "init"),
        ("db", "status"),
        ("db", "upgrade"),
        ("import-site", site),
        ("problems", "open", "tiny", "-d", "hedge", "--deadline", "2030-01-01"),
        ("problems", "update", "1", "--status", "fixed"),
        (
            "problems",
            "recheck",
            "1",
            "--failed",
            "--result",
            "dark",
            "--new-deadline",
            "2031-01-01",
        ),
        ("users", "add", "bob", "--role", "planner", "--password", "pw12345678"),
    ):
        result = run(*argv, "--db", db, lang=lang)
        assert result.exit_code == 0, result.output
        out += result.stdout.splitlines()
    return [line.replace(db, "DB") for line in out]


def test_the_ledger_commands_lines_follow_lang(run, tmp_path, monkeypatch):
    from camwatch.registry.db import head_revision

    monkeypatch.setenv("CAMWATCH_USER", "tester")
    rev = head_revision()
    assert _ledger_lines(run, tmp_path, "zh") == [
        f"台账已就绪：DB（版本 {rev}）",
        f"DB：版本 {rev}（最新 {rev}；已是最新）",
        f"已是最新（{rev}）",
        "新小区 tiny",
        "  新增（1）：C1",
        "  未变化：0 台设备",
        "已在 tiny 新建问题 #1，整改期限 2030-01-01",
        "问题 #1：已整改，待复查，整改期限 2030-01-01（版本 2）",
        "问题 #1：重新整改，新整改期限 2031-01-01",
        "已创建用户 bob（安防设计）",
    ]
    assert _ledger_lines(run, tmp_path, "en") == [
        f"ledger ready at DB (revision {rev})",
        f"DB: revision {rev} (newest {rev}; current)",
        f"up to date ({rev})",
        "new compound tiny",
        "  added (1): C1",
        "  unchanged: 0 device(s)",
        "opened problem #1 in tiny, due 2030-01-01",
        "problem #1: fixed, due 2030-01-01 (version 2)",
        "problem #1: reopened, new deadline 2031-01-01",
        "created user bob (planner)",
    ]


def test_ledger_tables_word_their_headings_in_lang(run, tmp_path, monkeypatch):
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    db = f"sqlite:///{tmp_path}/l.db"
    assert run("db", "init", "--db", db).exit_code == 0
    assert run("import-site", _tiny(tmp_path), "--db", db).exit_code == 0
    zh = run("devices", "list", "tiny", "--db", db)
    assert "tiny 的设备（1）" in zh.stdout
    assert re.search(r"┃ 编号 ┃ 类型\s+┃ 名称 ┃ 状态\s+┃ 位置", zh.stdout), zh.stdout
    en = run("devices", "list", "tiny", "--db", db, lang="en")
    assert "Devices of tiny (1)" in en.stdout
    assert re.search(r"┃ code ┃ kind\s+┃ name ┃ status\s+┃ where", en.stdout), en.stdout


def test_the_check_text_is_chinese_only_under_zh(run, tmp_path):
    site = _tiny(tmp_path)
    zh = run("check", site).stdout.splitlines()
    assert zh[:6] == [
        "tiny（tiny）— 检查标准 national：不达标",
        "",
        "不达标（1）",
        "  PERIM-CONTINUOUS：周界没有入侵报警（无报警线）",
        "      条款：GB 51348-2019 §14.2",
        "      整改：沿整个周界（出入口除外）安装周界入侵报警线（红外对射或电子围栏），"
        "每个防区不超过 200 米",
    ]
    en = run("check", site, lang="en").stdout.splitlines()
    assert en[:8] == [  # English: every finding in both languages, as it always was
        "tiny (tiny) — profile national: does NOT meet the standard 不达标",
        "",
        "ERROR 不达标 (1)",
        "  PERIM-CONTINUOUS: the perimeter has no intrusion alarm (no alarm lines)",
        "      周界没有入侵报警（无报警线）",
        "      clause: GB 51348-2019 §14.2",
        "      fix: install perimeter intrusion alarm lines (infrared beams or electric fence) "
        "along the whole boundary except the gates, in defence zones of at most 200 m",
        "      整改: 沿整个周界（出入口除外）安装周界入侵报警线（红外对射或电子围栏），"
        "每个防区不超过 200 米",
    ]
    assert zh[-1] == (
        "未检查：DEVICE-HEALTH（需要台账数据：请检查台账中的小区）；"
        "RETENTION（平面图未记录 retention_days）"
    )
    assert en[-1] == (
        "not checked: DEVICE-HEALTH (needs the ledger: check a COMPOUND); "
        "RETENTION (the site does not record retention_days)"
    )


def test_problems_from_findings_says_what_it_did_in_lang(run, tmp_path, monkeypatch):
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    for lang, first, again in (
        (
            "zh",
            ["tiny：新建 3 个", "  新建：#1, #2, #3"],
            ["tiny：已在整改 3 个", "  已在整改：#1, #2, #3"],
        ),
        (
            "en",
            ["tiny: 3 created", "  created: #1, #2, #3"],
            ["tiny: 3 existing", "  existing: #1, #2, #3"],
        ),
    ):
        db = f"sqlite:///{tmp_path}/{lang}.db"
        assert run("db", "init", "--db", db).exit_code == 0
        assert run("import-site", _tiny(tmp_path), "--db", db).exit_code == 0
        argv = ("problems", "from-findings", "tiny", "--deadline-days", "30", "--db", db)
        assert run(*argv, lang=lang).stdout.splitlines() == first
        assert run(*argv, lang=lang).stdout.splitlines() == again


def _device_lines(run: Run, tmp_path: Path, lang: str) -> list[str]:
    """What the device and maintenance commands say, one line each, in ``lang``."""
    db = f"sqlite:///{tmp_path}/d{lang}.db"
    assert run("db", "init", "--db", db).exit_code == 0
    assert run("import-site", _tiny(tmp_path), "--db", db).exit_code == 0
    csv_file = tmp_path / f"more{lang}.csv"
    csv_file.write_text("compound,kind,code,x,y\ntiny,camera,C3,4,4\n", encoding="utf-8")
    out: list[str] = []
    for argv in (
        ("devices", "add", "tiny", "C2", "--kind", "camera", "--at", "5,5"),
        ("devices", "update", "tiny", "C2", "--status", "faulty"),
        ("maintenance", "log", "tiny", "C2", "--kind", "repair", "--date", "2026-03-01",
         "--status-after", "active"),
        ("devices", "retire", "tiny", "C2"),
        ("devices", "restore", "tiny", "C2"),
        ("devices", "import-csv", csv_file),
    ):  # fmt: skip
        result = run(*argv, "--db", db, lang=lang)
        assert result.exit_code == 0, result.output
        out += result.stdout.splitlines()
    return out


def test_the_device_commands_lines_follow_lang(run, tmp_path, monkeypatch):
    monkeypatch.setenv("CAMWATCH_USER", "tester")
    assert _device_lines(run, tmp_path, "zh") == [
        "已向 tiny 添加摄像机 C2（正常）",
        "已更新摄像机 C2（版本 2）",
        "已登记 C2 的维修，日期 2026-03-01（故障 → 正常）",
        "已停用摄像机 C2",
        "已恢复摄像机 C2（状态：正常）",
        "tiny：已添加 1 台设备：C3",
    ]
    assert _device_lines(run, tmp_path, "en") == [
        "added camera C2 to tiny (active)",
        "updated camera C2 (version 2)",
        "logged repair of C2 on 2026-03-01 (faulty → active)",
        "retired camera C2",
        "restored camera C2 (status active)",
        "tiny: added 1 device(s): C3",
    ]
