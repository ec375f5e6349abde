"""Plan pictures: files, levels, languages, overlays, atomic writes, the CJK font."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from camwatch.errors import CamwatchError, UsageError
from camwatch.geometry.coverage import analyze
from camwatch.model import (
    ACCESS_CONTROL_TYPES,
    ALARM_TYPES,
    CAMERA_STATUSES,
    LEVELS,
    ZONE_TYPES,
    Alarm,
    Building,
    Camera,
    Gate,
    Intercom,
    Obstacle,
    Site,
    SiteInfo,
    Wall,
    Zone,
)
from camwatch.render import Overlays, render_plan
from camwatch.render import fonts as render_fonts
from camwatch.render.decor import nice_length
from camwatch.render.fonts import has_cjk
from camwatch.render.terms import TERMS, term

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
OUTLINE = Polygon([(0, 0), (80, 0), (80, 50), (40, 60), (0, 50)])


def small_site(*, name: str = "枫林小区", chinese: bool = True) -> Site:
    """A small compound with one of every feature kind drawn on a plan."""
    b1, b2 = ("1号楼", "2号楼") if chinese else ("Block 1", "Block 2")
    return Site(
        info=SiteInfo("maple", name=name, district="Riverside", address="12 Maple Rd"),
        boundary=OUTLINE,
        buildings=(
            Building(box(10, 10, 30, 20), name=b1),
            Building(Polygon([(45, 12), (65, 22), (61, 30), (41, 20)]), name=b2),
        ),
        obstacles=(Obstacle(box(60, 40, 66, 44), name="kiosk"),),
        walls=(Wall(LineString([(35, 30), (35, 42)])),),
        zones=(
            Zone("north gate", box(36, 50, 46, 57), "entrance", "identification"),
            Zone("parking", box(2, 30, 28, 46), "parking", "observation"),
            Zone("yard", box(40, 2, 60, 9), "square", "detection"),
        ),
        cameras=(
            Camera("C1", (1, 1), heading_deg=45, hfov_deg=90),
            Camera("C2", (79, 49.5), heading_deg=225, hfov_deg=60, height_m=4),
            Camera("C3", (40, 59), heading_deg=180, hfov_deg=80, status="faulty"),
            Camera("C4", (30, 15), heading_deg=90, hfov_deg=360, status="planned"),
            Camera("C5", (2, 48), heading_deg=135, hfov_deg=70, status="offline"),
            Camera("C6", (50, 1), heading_deg=0, hfov_deg=100),
        ),
        gates=(
            Gate("G1", LineString([(37, 57.5), (44, 55.75)]), name="north", access_control="face"),
            Gate("G2", Point(80, 25), name="east", intercom=True),
        ),
        alarms=(
            Alarm("A1", LineString([(0, 0), (80, 0)]), "infrared_beam"),
            Alarm("A2", Point(20, 9.8), "door_contact"),
        ),
        intercoms=(Intercom("I1", (20, 9.9), "1"),),
    )


@pytest.fixture(scope="module")
def site_and_analysis() -> tuple[Site, object]:
    site = small_site()
    return site, analyze(site)


def overlays() -> Overlays:
    return Overlays(
        ghost_cameras=[
            (Camera("P1", (79, 1), heading_deg=315), Polygon([(79, 1), (60, 1), (79, 20)]), 120.5)
        ],
        devices=[(Point(80, 25), "face access control"), (LineString([(80, 0), (80, 50)]), "IR")],
        routes=[(LineString([(-5, 30), (0, 30), (8, 28), (10, 22)]), "R1 12 m unseen")],
        patrol=LineString([(60, 38), (50, 35), (20, 25), (5, 5), (60, 38)]),
        patrol_label="patrol 180 m",
    )


def read_png(path: Path) -> np.ndarray:
    from matplotlib.image import imread

    assert path.read_bytes()[:8] == PNG_MAGIC
    return imread(path)


def colour_pixels(img: np.ndarray, hex_colour: str, tol: float = 0.06) -> int:
    """How many pixels are within ``tol`` of a colour (RGB in 0..1)."""
    rgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return int(np.sum(np.all(np.abs(img[..., :3] - rgb) < tol, axis=-1)))


def no_temp_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_renders_a_readable_png(tmp_path, site_and_analysis, lang):
    site, analysis = site_and_analysis
    out = render_plan(site, analysis, tmp_path / "plan.png", lang=lang)
    assert out == tmp_path / "plan.png"
    assert out.stat().st_size > 30_000
    img = read_png(out)
    height, width = img.shape[:2]
    assert width > 1200 and height > 600
    assert img[..., :3].std() > 0.1  # not blank
    assert no_temp_files(tmp_path)


@pytest.mark.parametrize("level", [None, *LEVELS])
def test_every_level(tmp_path, site_and_analysis, level):
    site, analysis = site_and_analysis
    img = read_png(render_plan(site, analysis, tmp_path / "p.png", level=level, lang="en"))
    assert img[..., :3].std() > 0.1


def test_single_level_draws_only_that_level(tmp_path, site_and_analysis):
    from camwatch.render.style import LEVEL_ALPHA, LEVEL_COLOURS

    site, analysis = site_and_analysis
    # the band colour of detection over white, as drawn (alpha-blended)
    rgb = np.array([int(LEVEL_COLOURS["detection"][i : i + 2], 16) / 255 for i in (1, 3, 5)])
    blended = LEVEL_ALPHA * rgb + (1 - LEVEL_ALPHA)
    hexed = "#" + "".join(f"{round(c * 255):02x}" for c in blended)
    det = read_png(render_plan(site, analysis, tmp_path / "d.png", level="detection", lang="en"))
    ident = read_png(
        render_plan(site, analysis, tmp_path / "i.png", level="identification", lang="en")
    )
    assert colour_pixels(det, hexed, 0.02) > 5000
    assert colour_pixels(ident, hexed, 0.02) < colour_pixels(det, hexed, 0.02) / 20


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"level": "dori"}, "unknown level 'dori'"),
        ({"level": ""}, "unknown level"),
        ({"lang": "fr"}, "unknown language 'fr'"),
        ({"dpi": 0}, "dpi"),
    ],
)
def test_bad_options_are_usage_errors_and_write_nothing(
    tmp_path, site_and_analysis, kwargs, message
):
    site, analysis = site_and_analysis
    with pytest.raises(UsageError, match=message):
        render_plan(site, analysis, tmp_path / "plan.png", **kwargs)
    assert list(tmp_path.iterdir()) == []


def test_bad_output_paths(tmp_path, site_and_analysis):
    site, analysis = site_and_analysis
    with pytest.raises(UsageError, match="must end in"):
        render_plan(site, analysis, tmp_path / "plan.jpg")
    with pytest.raises(UsageError, match="does not exist"):
        render_plan(site, analysis, tmp_path / "missing" / "plan.png")
    assert list(tmp_path.iterdir()) == []


def test_analysis_of_another_site_is_refused(tmp_path, site_and_analysis):
    site, _ = site_and_analysis
    other = analyze(Site(SiteInfo("other"), box(0, 0, 10, 10)))
    with pytest.raises(UsageError, match="other"):
        render_plan(site, other, tmp_path / "plan.png")


def test_written_file_has_ordinary_permissions(tmp_path, site_and_analysis):
    import os

    site, analysis = site_and_analysis
    umask = os.umask(0)
    os.umask(umask)
    out = render_plan(site, analysis, tmp_path / "plan.png", lang="en")
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_vector_formats(tmp_path, suffix, magic):
    plain = small_site(name="Maple Court", chinese=False)
    out = render_plan(plain, analyze(plain), tmp_path / f"plan{suffix}", lang="en")
    assert out.read_bytes()[:5].startswith(magic)


def test_failure_while_writing_leaves_old_file_and_no_temp(
    tmp_path, site_and_analysis, monkeypatch
):
    from matplotlib.figure import Figure

    site, analysis = site_and_analysis
    target = tmp_path / "plan.png"
    target.write_bytes(b"old picture")

    def broken_savefig(self, fh, **kwargs):
        fh.write(b"half a picture")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Figure, "savefig", broken_savefig)
    with pytest.raises(RuntimeError, match="disk on fire"):
        render_plan(site, analysis, target, lang="en")
    assert target.read_bytes() == b"old picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.png"]


def test_overlays_are_drawn(tmp_path, site_and_analysis):
    from camwatch.render.style import DEVICE, GHOST, PATROL, ROUTE

    site, analysis = site_and_analysis
    base = read_png(render_plan(site, analysis, tmp_path / "a.png", lang="en"))
    over = read_png(render_plan(site, analysis, tmp_path / "b.png", lang="en", overlays=overlays()))
    for colour in (DEVICE, GHOST, PATROL, ROUTE):
        assert colour_pixels(over, colour) > 50 + 5 * colour_pixels(base, colour), colour


def test_overlays_check_their_geometry():
    with pytest.raises(UsageError, match="Point or LineString"):
        Overlays(devices=[(box(0, 0, 1, 1), "x")])
    with pytest.raises(UsageError, match="LineString"):
        Overlays(routes=[(Point(0, 0), "R1")])
    with pytest.raises(UsageError, match="patrol"):
        Overlays(patrol=Point(0, 0))
    assert Overlays().is_empty()
    assert not overlays().is_empty()


def test_labels_name_failing_zones_with_ratio_and_blind_spots(site_and_analysis):
    from camwatch.render.plan import plan_figure

    site, analysis = site_and_analysis
    failing = [z for z in analysis.zones if not z.passed]
    assert failing and analysis.blind_spots
    fig = plan_figure(site, analysis, lang="en")
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    for zone in failing:
        assert any(zone.name in t and f"{zone.ratio:.1%}" in t for t in texts), zone.name
    assert any(t.startswith("B1\n") and "m²" in t for t in texts)
    assert not analysis.compliant and "Compliance: not compliant" in texts
    # north arrow, scale bar end label
    assert "N" in texts and any(t.endswith(" m") and t[0].isdigit() for t in texts)


def test_placed_labels_do_not_overlap(site_and_analysis):
    from camwatch.render.plan import plan_figure

    site, analysis = site_and_analysis
    fig = plan_figure(site, analysis, lang="zh")
    renderer = fig.canvas.get_renderer()
    plan = fig.axes[0]
    boxes = [t.get_window_extent(renderer) for t in plan.texts if t.get_zorder() == 20]
    assert len(boxes) >= 8
    overlaps = [(i, j) for i in range(len(boxes)) for j in range(i) if boxes[i].overlaps(boxes[j])]
    assert overlaps == []


def test_label_placer_drops_optional_and_keeps_required():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from camwatch.render.labels import LabelPlacer, around

    fig = Figure(figsize=(3, 3))
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    placer = LabelPlacer(ax)
    placed = [placer.place(5, 5, f"label {i}", offsets=around(4), fontsize=8) for i in range(30)]
    kept = [t for t in placed if t is not None]
    assert 1 < len(kept) < 30 and placer.dropped == 30 - len(kept)
    assert placer.place(5, 5, "must show", offsets=around(4), required=True) is not None


def test_chinese_needs_the_cjk_font(tmp_path, site_and_analysis, monkeypatch):
    site, analysis = site_and_analysis
    monkeypatch.setattr(render_fonts, "find_cjk_family", lambda: None)
    with pytest.raises(CamwatchError, match="fonts-noto-cjk"):
        render_plan(site, analysis, tmp_path / "zh.png", lang="zh")
    # English labels but Chinese building names: still refused rather than drawn as boxes
    with pytest.raises(CamwatchError, match="fonts-noto-cjk"):
        render_plan(site, analysis, tmp_path / "en.png", lang="en")
    assert list(tmp_path.iterdir()) == []
    plain = small_site(name="Maple Court", chinese=False)
    render_plan(plain, analyze(plain), tmp_path / "plain.png", lang="en")
    assert (tmp_path / "plain.png").exists()


def test_chinese_text_is_drawn_with_a_cjk_font(site_and_analysis):
    import matplotlib
    from matplotlib import font_manager

    from camwatch.render.plan import plan_figure

    site, analysis = site_and_analysis
    family = render_fonts.find_cjk_family()
    assert family is not None, "install fonts-noto-cjk"
    with matplotlib.rc_context({"font.family": [family, "DejaVu Sans"]}):
        fig = plan_figure(site, analysis, lang="zh")
        texts = [t for ax in fig.axes for t in ax.texts if has_cjk(t.get_text())]
        assert len(texts) > 10
        fonts = {font_manager.findfont(t.get_fontproperties()) for t in texts}
    assert all("CJK" in f or "SC" in Path(f).name for f in fonts), fonts


def test_terms_cover_every_enumerated_value():
    keys = [*LEVELS, *CAMERA_STATUSES, *ZONE_TYPES, *ACCESS_CONTROL_TYPES, *ALARM_TYPES]
    missing = [k for k in keys if k not in TERMS or not has_cjk(TERMS[k])]
    assert missing == []
    assert term("identification", "zh") == "辨认" and term("bike_shed", "en") == "bike shed"


@pytest.mark.parametrize(
    "limit, expected",
    [(37.0, 20.0), (180.0, 100.0), (50.0, 50.0), (0.7, 0.5), (1.0, 1.0), (999.0, 500.0)],
)
def test_nice_length(limit, expected):
    assert nice_length(limit) == expected


def test_nice_length_rejects_zero():
    with pytest.raises(ValueError):
        nice_length(0.0)


def test_importing_render_does_not_import_matplotlib():
    code = "import sys, camwatch.render; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_site_without_cameras_or_features(tmp_path):
    bare = Site(SiteInfo("bare"), box(0, 0, 12, 7))
    img = read_png(render_plan(bare, analyze(bare), tmp_path / "bare.png", lang="en"))
    assert img[..., :3].std() > 0.05


SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_sites").glob("*.geojson"))


@pytest.mark.slow
@pytest.mark.parametrize("sample", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_sample_sites_render(tmp_path, sample):
    from camwatch.sitefile import load_site

    site = load_site(sample)
    analysis = analyze(site)
    out = render_plan(site, analysis, tmp_path / f"{sample.stem}.png", lang="zh")
    assert read_png(out)[..., :3].std() > 0.1
