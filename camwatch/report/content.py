"""The compound report's content (pure): cover, plan, coverage, zones, blind spots,
cameras, suggestions, problems, inspection, sign-off.

:func:`compound_report` takes the site, its analysis, the plan picture (PNG
bytes), optional planner suggestions (the ``camwatch plan --json`` object)
and optional ledger facts, and returns a :class:`~camwatch.report.blocks.Report`
worded in ``lang``. Figures are the analysis's own (areas to 0.01 m², ratios
as percentages to 0.01 %).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from camwatch.geometry.coverage import Analysis
from camwatch.geometry.optics import DORI_PX_PER_M, dori_distance
from camwatch.model import LEVELS, Camera, Site
from camwatch.plan_notes import note_text
from camwatch.report import fmt
from camwatch.report.blocks import Para, Picture, Report, Section, SignOff, Table
from camwatch.report.facts import LedgerFacts
from camwatch.report.findings import findings_section, meets_text
from camwatch.report.ledger_sections import inspection_section, problems_section
from camwatch.report.words import word
from camwatch.standards import Report as StandardsReport


def lens_text(cam: Camera) -> str:
    """The lens as installers name it: focal length when known, and the horizontal field.

    >>> lens_text(Camera(id="c", position=(0, 0), focal_mm=4, sensor_width_mm=5.37))
    '4 mm / 67.7°'
    >>> lens_text(Camera(id="c", position=(0, 0)))
    '90°'
    """
    fov = f"{fmt.number(cam.hfov, 1)}°"
    if cam.focal_mm is not None:
        return f"{fmt.number(cam.focal_mm, 2)} mm / {fov}"
    return fov


def dori_text(cam: Camera) -> str:
    """The four DORI limit distances in metres, 'D / O / R / I'."""
    return " / ".join(fmt.metres(dori_distance(cam, level)) for level in LEVELS)


def _cover(
    site: Site,
    analysis: Analysis,
    lang: str,
    prepared_by: str,
    today: date,
    code: str | None,
    standards: StandardsReport | None,
) -> tuple[tuple[str, str], ...]:
    w = lambda k: word(k, lang)  # noqa: E731 - a short local alias
    info = site.info
    counted = sum(1 for c in analysis.cameras if c.counted)
    scope = w(
        "Planned cameras counted too" if analysis.include_planned else "Installed cameras only"
    )
    items = [
        (w("Compound"), info.name or info.id),
        (w("Compound code"), code or info.id),
        (w("Address"), info.address or "–"),
        (w("District"), info.district or "–"),
        (w("Report date"), today.isoformat()),
        (w("Rule profile"), standards.profile if standards else info.rule_profile),
        (w("Prepared by"), prepared_by or "–"),
        (w("Cameras counted"), f"{counted} / {len(site.cameras)} ({scope})"),
        (w("Monitored area"), fmt.area(analysis.monitored_area_m2)),
    ]
    det = analysis.levels["detection"]
    items.append((f"{w('Coverage')} ({w('detection')})", fmt.pct(det.ratio)))
    if standards is not None:
        items.append((w("Meets the standard"), meets_text(standards, lang)))
    return tuple(items)


def _levels(analysis: Analysis, lang: str) -> Section:
    rows = tuple(
        (
            word(level, lang),
            f"{fmt.number(DORI_PX_PER_M[level])} px/m",
            fmt.area(cov.covered_m2),
            fmt.pct(cov.ratio),
        )
        for level, cov in analysis.levels.items()
    )
    cols = tuple(word(k, lang) for k in ("Level", "Pixel density", "Covered area", "Coverage"))
    note = f"{word('Monitored area', lang)}: {fmt.area(analysis.monitored_area_m2)}"
    return Section(
        word("Coverage per DORI level", lang),
        (Table(cols, rows, (1.2, 1, 1.4, 1), "LRRR"), Para(note, small=True)),
    )


def _zones(analysis: Analysis, lang: str) -> Section:
    if not analysis.zones:
        return Section(
            word("Zones", lang), (Para(word("No zones are defined on this plan.", lang)),)
        )
    cols = ("Zone", "Type", "Required level", "Area", "Covered area", "Coverage", "Result")
    rows = tuple(
        (
            z.name,
            word(z.zone_type, lang),
            word(z.required_level, lang),
            fmt.area(z.area_m2),
            fmt.area(z.covered_m2),
            fmt.pct(z.ratio),
            word("Pass" if z.passed else "Fail", lang),
        )
        for z in analysis.zones
    )
    marks = tuple("pass" if z.passed else "fail" for z in analysis.zones)
    table = Table(
        tuple(word(c, lang) for c in cols),
        rows,
        (2.0, 1.1, 1.3, 1.3, 1.3, 1, 0.8),
        "LLLRRRC",
        marks,
    )
    note = Para(
        word("A zone passes when at least 98 % of its area reaches its required level.", lang),
        small=True,
    )
    return Section(word("Zones", lang), (table, note))


def _blind_spots(analysis: Analysis, lang: str) -> Section:
    if not analysis.blind_spots:
        return Section(
            word("Blind spots", lang), (Para(word("No blind spot of 1 m² or more.", lang)),)
        )
    cols = tuple(word(c, lang) for c in ("Label", "Area", "Centre", "In zones"))
    rows = tuple(
        (
            b.id,
            fmt.area(b.area_m2),
            f"({b.centroid[0]:.1f}, {b.centroid[1]:.1f})",
            "、".join(b.zones) if lang == "zh" else ", ".join(b.zones) or "–",
        )
        for b in analysis.blind_spots
    )
    rows = tuple((*r[:3], r[3] or "–") for r in rows)
    total = sum(b.area_m2 for b in analysis.blind_spots)
    note = word("Blind spot labels are those of the plan picture.", lang)
    note += f" {word('total', lang).capitalize()}: {fmt.area(total)}"
    return Section(
        f"{word('Blind spots', lang)} ({len(analysis.blind_spots)})",
        (Table(cols, rows, (0.7, 1.3, 1.4, 3.0), "LRLL"), Para(note, small=True)),
    )


def camera_rows(site: Site, analysis: Analysis, lang: str) -> Table:
    """The camera schedule table of the report (one row per camera of the site)."""
    counted = {c.id: c for c in analysis.cameras}
    cols: tuple[str, ...] = ("Code", "Status", "Model", "Lens", "Resolution", "Height", "Tilt")
    cols += ("Heading", "DORI distances", "Footprint")
    rows, marks = [], []
    for cam in site.cameras:
        result = counted.get(cam.id)
        rows.append(
            (
                cam.id,
                word(cam.status, lang),
                cam.model or "–",
                lens_text(cam),
                f"{cam.resolution[0]}×{cam.resolution[1]}",
                f"{fmt.number(cam.height_m)} m",
                f"{fmt.number(cam.tilt_deg)}°",
                f"{fmt.number(cam.heading_deg)}°",
                dori_text(cam),
                fmt.area(result.footprint_m2["detection"]) if result else "–",
            )
        )
        marks.append(None if result is not None and result.counted else "muted")
    widths = (0.8, 0.7, 1.5, 1.3, 1.0, 0.7, 0.6, 0.7, 1.9, 1.2)
    return Table(
        tuple(word(c, lang) for c in cols), tuple(rows), widths, "LLLLLRRRRR", tuple(marks)
    )


def _cameras(site: Site, analysis: Analysis, lang: str) -> Section:
    if not site.cameras:
        return Section(word("Camera schedule", lang), (Para(word("No cameras.", lang)),))
    notes = [
        word("DORI distances: detection / observation / recognition / identification (m).", lang)
    ]
    if any(not c.counted for c in analysis.cameras):
        notes.append(word("Not counted in the coverage (faulty, offline or planned).", lang))
    return Section(
        f"{word('Camera schedule', lang)} ({len(site.cameras)})",
        (camera_rows(site, analysis, lang), *(Para(n, small=True) for n in notes)),
        new_page=True,
        landscape=True,
    )


def _suggestions(plan: Mapping[str, Any], lang: str) -> Section:
    items = list(plan.get("suggestions", []))
    with_cost = any("unit_cost" in s for s in items)
    cols = ["Code", "Position", "Heading", "Lens", "Height", "Gain"] + (
        ["Unit cost"] if with_cost else []
    )
    rows = []
    for s in items:
        lens = f"{fmt.number(float(s['hfov_deg']))}°"
        if s.get("lens"):
            lens = f"{s['lens']} ({lens})"
        row = [
            str(s["id"]),
            f"({float(s['position'][0]):.1f}, {float(s['position'][1]):.1f})",
            f"{fmt.number(float(s['heading_deg']))}°",
            lens,
            f"{fmt.number(float(s['height_m']))} m",
            fmt.area(float(s["gain_m2"])),
        ]
        if with_cost:
            row.append(fmt.number(s.get("unit_cost"), 2))
        rows.append(tuple(row))
    widths = (0.7, 1.4, 0.8, 1.6, 0.8, 1.2) + ((0.9,) if with_cost else ())
    blocks: list[Any] = [
        Table(tuple(word(c, lang) for c in cols), tuple(rows), widths, "LLRLRRR"[: len(cols)])
    ]
    before, after = plan.get("before", {}), plan.get("after", {})
    if before and after:
        text = "; ".join(
            f"{word(level, lang)} {fmt.pct(before.get(level))} → {fmt.pct(after.get(level))}"
            for level in LEVELS
            if level in after
        )
        blocks.append(
            Para(f"{word('Coverage with these cameras added', lang)}: {text}", small=True)
        )
    if plan.get("note"):
        blocks.append(Para(note_text(str(plan["note"]), lang), small=True))  # JSON: English
    return Section(f"{word('Suggested additions', lang)} ({len(items)})", tuple(blocks))


def compound_report(
    site: Site,
    analysis: Analysis,
    *,
    lang: str = "zh",
    picture: bytes | None = None,
    level_pictures: Mapping[str, bytes] | None = None,
    plan: Mapping[str, Any] | None = None,
    facts: LedgerFacts | None = None,
    prepared_by: str = "",
    today: date | None = None,
    standards: StandardsReport | None = None,
) -> Report:
    """The compound report as content (see the module docstring).

    ``level_pictures`` (level → PNG) adds one plan page per DORI level after the main plan;
    ``standards`` (the ``camwatch check`` report) adds the findings and the cover's
    meets-the-standard line.
    """
    if analysis.site_id != site.id:
        raise ValueError(f"analysis is of site {analysis.site_id!r}, not {site.id!r}")
    today = today or date.today()
    sections: list[Section] = []
    if picture is not None:
        caption = f"{site.info.name or site.id} — {word('camera coverage plan', lang)}"
        sections.append(Section(word("Plan", lang), (Picture(picture, caption),), True, True))
    for level, png in (level_pictures or {}).items():
        title = f"{word('Plan', lang)} · {word(level, lang)}"
        caption = f"{site.info.name or site.id} — {word(level, lang)} ({word('camera coverage plan', lang)})"
        sections.append(Section(title, (Picture(png, caption),), True, True))
    sections += [_levels(analysis, lang), _zones(analysis, lang), _blind_spots(analysis, lang)]
    if standards is not None:
        sections.append(findings_section(standards, lang))
    sections.append(_cameras(site, analysis, lang))
    if plan is not None:
        sections.append(_suggestions(plan, lang))
    if facts is not None:
        sections += [problems_section(facts, lang, today), inspection_section(facts, lang)]
    roles = (word("Prepared", lang), word("Reviewed", lang))
    sections.append(
        Section(
            word("Sign-off", lang),
            (SignOff(roles, word("Date", lang), word("Signature", lang)),),
        )
    )
    compliant = word("compliant" if analysis.compliant else "not compliant", lang)
    # the box is the zone pass (docs/site-format.md §2); say so beside the standards line
    compliant = f"{word('Zone coverage', lang)}{'：' if lang == 'zh' else ': '}{compliant}"
    return Report(
        lang=lang,
        title=word("CCTV coverage report", lang),
        subtitle=word("Safe compound video surveillance", lang),
        cover=_cover(
            site, analysis, lang, prepared_by, today, facts.code if facts else None, standards
        ),
        verdict=(compliant, analysis.compliant),
        sections=tuple(sections),
        running_title=f"{site.info.name or site.id} · {word('CCTV coverage report', lang)}",
        footer_note=word(
            "This report was produced by camwatch from the plan and the device ledger.", lang
        ),
    )
