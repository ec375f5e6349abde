"""camwatch plan / suggest / routes / patrol: JSON contract, --write, exit 2 on bad options."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from camwatch.cli import cli
from camwatch.geometry.coverage import analyze
from camwatch.sitefile import dumps_site, load_site
from tests.planners.sites import small_compound

SUGGESTION_KEYS = {
    "id",
    "position",
    "heading_deg",
    "tilt_deg",
    "height_m",
    "hfov_deg",
    "resolution",
    "gain_m2",
}


@pytest.fixture()
def site_file(tmp_path):
    path = tmp_path / "small.geojson"
    path.write_text(dumps_site(small_compound()), encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_plan_json_is_the_contract_and_write_reproduces_after(site_file, tmp_path):
    out = tmp_path / "planned.geojson"
    res = run("plan", site_file, "--add", 2, "--method", "greedy", "--write", out, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {"before", "after", "suggestions"}
    assert set(data["before"]) == {"detection", "observation", "recognition", "identification"}
    assert [s["id"] for s in data["suggestions"]] == ["P1", "P2"]
    for s in data["suggestions"]:
        assert set(s) == SUGGESTION_KEYS
    written = load_site(out)
    planned = [c for c in written.cameras if c.status == "planned"]
    assert [[c.position[0], c.position[1]] for c in planned] == [
        s["position"] for s in data["suggestions"]
    ]
    assert analyze(written, include_planned=True).ratios() == data["after"]


def test_plan_readable_table(site_file):
    res = run("plan", site_file, "--add", 1, "--method", "greedy")
    assert res.exit_code == 0, res.output
    assert "P1" in res.stdout and "detection" in res.stdout


def test_plan_with_lenses_file(site_file, tmp_path):
    lenses = tmp_path / "lenses.csv"
    lenses.write_text(
        "name,hfov_deg,focal_mm,sensor_width_mm,resolution,unit_cost\n"
        "wide,100,,,1920x1080,1\nlong,,8,5.37,2560x1440,2\n",
        encoding="utf-8",
    )
    res = run("plan", site_file, "--lenses", lenses, "--budget", 2, "--method", "greedy", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert sum(s["unit_cost"] for s in data["suggestions"]) <= 2
    assert {s["lens"] for s in data["suggestions"]} <= {"wide", "long"}


@pytest.mark.parametrize(
    "args, message",
    [
        (["--add", "0"], "--add must be at least 1"),
        (["--add", "1", "--level", "blurry"], "--level"),
        (["--add", "1", "--method", "magic"], "--method"),
        (["--add", "1", "--resolution", "big"], "--resolution"),
        (["--add", "1", "--hfov", "0"], "hfov_deg must be in (0, 360]"),
        (["--add", "1", "--height", "5000"], "height_m must be in [0.1, 100], got 5000"),
        (["--add", "1", "--range", "1e308"], "range_m must be in (0, 2000], got 1e+308"),
        (["--add", "1", "--resolution", "100x100"], "each in [160, 20000], got [100, 100]"),
        (["--add", "1", "--hfov", "1e-300"], "gives a detection distance of 4.4e+303 m"),
        (["--target", "2"], "--target"),
        (["--budget", "5"], "--budget needs --lenses"),
        (["--add", "1", "--lenses", "/nonexistent/l.csv"], "cannot read"),
        ([], "give --add"),
        (["--add", "1", "--candidate-limit", "0"], "--candidate-limit must be at least 1"),
        (["--add", "1", "--candidate-seconds", "-1"], "--candidate-seconds must be positive"),
        (["--add", "1", "--pool", "0"], "--pool must be in [1, 1000], got 0"),
        (["--add", "1", "--pool", str(10**20)], "--pool must be in [1, 1000]"),  # was: all, GBs
    ],
)
def test_plan_bad_options_exit_2_and_write_nothing(site_file, tmp_path, args, message):
    out = tmp_path / "out.geojson"
    res = run("plan", site_file, *args, "--write", out, "--json")
    assert res.exit_code == 2
    assert message in res.output
    assert not out.exists()
    assert res.stdout.strip() == "" or "error" in res.output


def test_plan_bad_site_exit_2(tmp_path):
    bad = tmp_path / "bad.geojson"
    bad.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    res = run("plan", bad, "--add", 1)
    assert res.exit_code == 2
    assert "error" in res.output


def test_plan_write_into_missing_folder_is_usage_error(site_file, tmp_path):
    res = run("plan", site_file, "--add", 1, "--write", tmp_path / "nope" / "x.geojson")
    assert res.exit_code == 2 and "folder does not exist" in res.output


def test_suggest_routes_patrol_json(site_file):
    res = run("suggest", site_file, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["site"] == "small" and data["suggestions"]
    assert all(
        {"type", "reason", "reason_zh", "position", "about"} <= set(i) for i in data["suggestions"]
    )
    res = run("routes", site_file, "--json")
    assert res.exit_code == 0, res.output
    routes = json.loads(res.stdout)["routes"]
    assert [r["id"] for r in routes] == [f"R{k}" for k in range(1, len(routes) + 1)]
    res = run("patrol", site_file, "--json", "--min-area", "5")
    assert res.exit_code == 0, res.output
    patrol = json.loads(res.stdout)
    assert patrol["start"]["kind"] == "gate" and patrol["length_m"] > 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["patrol", "--start", "a,b"], "--start"),
        (["patrol", "--speed", "0"], "--speed"),
        (["patrol", "--min-area", "-1"], "--min-area"),
        (["routes", "--cell", "0"], "--cell"),
    ],
)
def test_route_bad_options_exit_2(site_file, args, message):
    res = run(args[0], site_file, *args[1:])
    assert res.exit_code == 2 and message in res.output


def test_plan_picture_draws_ghost_cameras(site_file, tmp_path):
    out = tmp_path / "plan.png"
    res = run("plan", site_file, "--add", 1, "--method", "greedy", "--picture", out)
    assert res.exit_code == 0, res.output
    assert out.stat().st_size > 10_000


def test_plan_candidate_limit_says_spots_were_left_out(site_file):
    res = run("plan", site_file, "--add", "1", "--candidate-limit", "40", "--json")
    assert res.exit_code == 0, res.output
    assert "spots not visited: candidate generation bound reached" in res.stderr
    assert len(json.loads(res.stdout)["suggestions"]) == 1


def _site_with_mounts(*mounts):
    from dataclasses import replace

    return replace(small_compound(), mounts=tuple(mounts))


def _remarks(res, stream: str, head: str) -> list[str]:
    """The lines after the heading of the unused mounts (stripped), up to a blank line."""
    lines = [ln.strip() for ln in getattr(res, stream).splitlines()]
    at = lines.index(head)
    out = []
    for ln in lines[at + 1 :]:
        if not ln.startswith("- "):
            break
        out.append(ln[2:])
    return out


HEAD = {"en": "Mount spots not used:", "zh": "未使用的安装位置："}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_says_which_mount_spots_it_could_not_use(tmp_path, lang):
    """A mount line through both buildings (sampled every metre: x = 7..15 and 25..33 are
    inside them, 9 spots each) and a mount point outside the boundary: one remark per run
    of spots, on stdout, and on stderr with --json (whose object is unchanged)."""
    from shapely.geometry import LineString, Point

    from camwatch.model import Mount

    site = _site_with_mounts(
        Mount(geometry=LineString([(2, 15), (38, 15)]), name="wall"), Mount(geometry=Point(60, 60))
    )
    path = tmp_path / "mounts.geojson"
    path.write_text(dumps_site(site), encoding="utf-8")
    line, point = (f"#{m.index}" for m in load_site(path).mounts)  # their numbers in the file
    expected = {
        "en": [
            f"mount {line} 'wall': 9 spots from (7, 15) to (15, 15) are not in free space",
            f"mount {line} 'wall': 9 spots from (25, 15) to (33, 15) are not in free space",
            f"mount {point} at (60, 60) is not in free space",
        ],
        "zh": [
            f"安装点 {line} 'wall'：从 (7, 15) 到 (15, 15) 的 9 个位置不在可通行空间内",
            f"安装点 {line} 'wall'：从 (25, 15) 到 (33, 15) 的 9 个位置不在可通行空间内",
            f"安装点 {point} 位于 (60, 60)，不在可通行空间内",
        ],
    }[lang]
    args = ["--lang", lang, "plan", path, "--add", 1, "--spacing", 1]
    res = run(*args)
    assert res.exit_code == 0, res.output
    assert _remarks(res, "stdout", HEAD[lang]) == expected
    res = run(*args, "--json")
    assert res.exit_code == 0, res.output
    assert _remarks(res, "stderr", HEAD[lang]) == expected
    assert set(json.loads(res.stdout)) == {"before", "after", "suggestions"}


@pytest.mark.parametrize(("lang", "more"), [("en", "… and 2 more"), ("zh", "……另有 2 条")])
def test_plan_lists_ten_unused_mounts_and_counts_the_rest(tmp_path, lang, more):
    from shapely.geometry import Point

    from camwatch.model import Mount
    from planners.plan_text import MAX_REMARKS

    inside = [Mount(geometry=Point(8 + (i % 6), 10 + 2 * (i // 6))) for i in range(12)]
    path = tmp_path / "mounts.geojson"
    path.write_text(dumps_site(_site_with_mounts(Mount(geometry=Point(20, 30)), *inside)))
    res = run("--lang", lang, "plan", path, "--add", 1)
    assert res.exit_code == 0, res.output
    remarks = _remarks(res, "stdout", HEAD[lang])
    assert len(remarks) == MAX_REMARKS + 1 and remarks[-1] == more
    assert remarks[0].endswith(
        "at (8, 10) is not in free space" if lang == "en" else "位于 (8, 10)，不在可通行空间内"
    )


def test_plan_without_unusable_mounts_says_nothing_of_them(site_file):
    res = run("--lang", "en", "plan", site_file, "--add", 1, "--method", "greedy")
    assert res.exit_code == 0 and HEAD["en"] not in res.output


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", r"method greedy \(optimal\), gap 0\.000%; \d+ candidates; [\d.]+ s"),
        ("zh", r"方法 greedy（最优），最优性差距 0\.000%；候选位置 \d+ 个；用时 [\d.]+ 秒"),
    ],
)
def test_one_camera_s_method_line_names_no_pool(site_file, lang, line):
    """--add 1 builds no pool (greedy's pick is optimal): the line says so, no 'pool 0'."""
    import re

    res = run("--lang", lang, "plan", site_file, "--add", 1)
    assert res.exit_code == 0, res.output
    method = [ln for ln in res.stdout.splitlines() if re.match(r"(method|方法) ", ln)]
    assert len(method) == 1 and re.fullmatch(line, method[0]), method
