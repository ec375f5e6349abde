"""Lay a :class:`~camwatch.report.blocks.Report` out as an A4 PDF (fpdf2, Noto Sans CJK).

Why fpdf2: Debian's Noto Sans CJK ships as OpenType collections with CFF
outlines (``.ttc``); ReportLab embeds only TrueType outlines and refuses them
("postscript outlines are not supported"), and WeasyPrint would add Pango and
an HTML toolchain. fpdf2 embeds a subset of the CFF font from the collection,
so every word is real, selectable and searchable text (docs/reports.md).

Layout: a cover page; then sections in order, each with a numbered heading;
a section that asks for it starts on a new (landscape) page; tables repeat
their heading row on every page; a running header (compound and title) and a
footer (page X of Y) on every page after the cover.
"""

from __future__ import annotations

import glob
import io
from functools import cache
from typing import Any

from camwatch.errors import CamwatchError
from camwatch.i18n import msg
from camwatch.report.blocks import KeyValues, Para, Picture, Report, Section, SignOff, Table

MISSING_REPORT_FONT = msg(
    "Chinese labels need the Noto Sans CJK font, which is not installed; "
    "install it (Debian/Ubuntu: apt-get install fonts-noto-cjk) to make reports"
)

REGULAR_GLOBS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/**/NotoSansCJK*-Regular.ttc",
    "/usr/share/fonts/**/NotoSansSC-Regular.otf",
    "/usr/local/share/fonts/**/NotoSansCJK*-Regular.ttc",
)
SC_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC")
INK = (33, 37, 41)
GREY = (110, 117, 125)
RULE = (173, 181, 189)
HEAD_FILL = (226, 232, 240)
PASS = (25, 135, 84)
FAIL = (200, 35, 51)
PASS_FILL = (209, 231, 221)
FAIL_FILL = (248, 215, 218)
ACCENT = (13, 71, 161)
ZEBRA = (246, 248, 250)


def _sc_index(path: str) -> int | None:
    """Index of the Simplified Chinese face in a font file (collection or single font)."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        fonts = TTCollection(path).fonts if path.endswith(".ttc") else [TTFont(path, lazy=True)]
    except Exception:  # noqa: BLE001 - an unreadable font file is simply not used
        return None
    for i, font in enumerate(fonts):
        if font["name"].getDebugName(1) in SC_FAMILIES:
            return i
    return None


@cache
def cjk_fonts() -> dict[str, tuple[str, int]]:
    """``{"": (path, index), "B": (path, index)}`` of Noto Sans CJK SC regular and bold.

    Bold falls back to regular when its file is missing. Raises CamwatchError
    without the font (Debian/Ubuntu: ``apt-get install fonts-noto-cjk``).
    """
    for pattern in REGULAR_GLOBS:
        for path in sorted(glob.glob(pattern, recursive=True)):
            index = _sc_index(path)
            if index is None:
                continue
            found = {"": (path, index)}
            bold = path.replace("-Regular", "-Bold")
            bold_index = _sc_index(bold) if bold != path and glob.glob(bold) else None
            found["B"] = (bold, bold_index) if bold_index is not None else (path, index)
            return found
    raise CamwatchError(MISSING_REPORT_FONT)


def _new_pdf(report: Report) -> Any:
    from fpdf import FPDF

    class ReportPDF(FPDF):  # type: ignore[misc]
        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font("cjk", size=8)
            self.set_text_color(*GREY)
            self.cell(0, 5, report.running_title, align="L")
            self.ln(6)
            self.set_draw_color(*RULE)
            self.line(self.l_margin, self.get_y() - 0.5, self.w - self.r_margin, self.get_y() - 0.5)
            self.ln(2)
            self.set_text_color(*INK)

        def footer(self) -> None:
            if self.page_no() == 1:
                return
            self.set_y(-12)
            self.set_font("cjk", size=8)
            self.set_text_color(*GREY)
            n = self.page_no()
            text = f"第 {n} 页 / 共 {{nb}} 页" if report.lang == "zh" else f"Page {n} of {{nb}}"
            self.cell(0, 5, text, align="C")

    pdf = ReportPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=18)
    for style, (path, index) in cjk_fonts().items():
        pdf.add_font("cjk", style=style, fname=path, collection_font_number=index)
    pdf.set_title(report.title)
    pdf.set_creator("camwatch")
    pdf.set_lang("zh-CN" if report.lang == "zh" else "en")
    return pdf


def _cover(pdf: Any, report: Report) -> None:
    pdf.add_page()
    pdf.set_y(52)
    pdf.set_font("cjk", "B", 26)
    pdf.set_text_color(*ACCENT)
    pdf.multi_cell(0, 13, report.title, align="C")
    pdf.ln(2)
    pdf.set_font("cjk", size=13)
    pdf.set_text_color(*GREY)
    pdf.multi_cell(0, 8, report.subtitle, align="C")
    pdf.ln(12)
    pdf.set_text_color(*INK)
    pdf.set_font("cjk", size=11)
    with pdf.table(
        col_widths=(1, 2.2), text_align=("LEFT", "LEFT"), first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES", line_height=8, padding=(1.5, 3),
    ) as table:  # fmt: skip
        for label, value in report.cover:
            row = table.row()
            row.cell(label)
            row.cell(value)
    if report.verdict is not None:
        text, good = report.verdict
        pdf.ln(10)
        pdf.set_font("cjk", "B", 16)
        pdf.set_fill_color(*(PASS_FILL if good else FAIL_FILL))
        pdf.set_text_color(*(PASS if good else FAIL))
        width = max(70, pdf.get_string_width(text) + 16)
        pdf.set_x((pdf.w - width) / 2)
        pdf.cell(width, 14, text, align="C", fill=True, border=0)
        pdf.set_fill_color(255, 255, 255)
        pdf.ln(18)
    pdf.set_text_color(*GREY)
    pdf.set_font("cjk", size=8)
    pdf.set_y(-30)
    pdf.multi_cell(0, 5, report.footer_note, align="C")
    pdf.set_text_color(*INK)


def _heading(pdf: Any, number: int, title: str) -> None:
    if pdf.get_y() > pdf.h - 60:
        pdf.add_page(orientation="L" if _landscape(pdf) else "P")
    if pdf.get_y() > pdf.t_margin + 15:  # not at the top of a page
        pdf.ln(3)
    pdf.set_font("cjk", "B", 13)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 8, f"{number}  {title}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*ACCENT)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(3)
    pdf.set_text_color(*INK)


_ALIGN = {"L": "LEFT", "R": "RIGHT", "C": "CENTER"}


def _table(pdf: Any, table: Table) -> None:
    from fpdf.fonts import FontFace

    size = 8 if len(table.columns) > 7 else 9
    pdf.set_font("cjk", size=size)
    align = tuple(_ALIGN[a] for a in (table.align or "L" * len(table.columns)))
    marks = table.marks or (None,) * len(table.rows)
    head = FontFace(emphasis="BOLD", fill_color=HEAD_FILL, color=INK)
    with pdf.table(
        col_widths=table.widths, text_align=align, headings_style=head, line_height=size * 0.55,
        padding=(1.2, 1.5), borders_layout="SINGLE_TOP_LINE", repeat_headings=1,
        cell_fill_color=ZEBRA, cell_fill_mode="ROWS",
    ) as out:  # fmt: skip
        heading = out.row()
        for col in table.columns:
            heading.cell(col)
        for cells, mark in zip(table.rows, marks, strict=True):
            row = out.row()
            for i, text in enumerate(cells):
                style = None
                if mark == "muted":
                    style = FontFace(color=GREY)
                elif mark in ("pass", "fail") and i == table.mark_col % len(cells):
                    good = mark == "pass"
                    style = FontFace(color=PASS if good else FAIL, fill_color=None)
                row.cell(text, style=style)
    pdf.ln(2)


def _picture(pdf: Any, picture: Picture) -> None:
    from PIL import Image

    with Image.open(io.BytesIO(picture.png)) as img:
        w_px, h_px = img.size
    room_w = pdf.w - pdf.l_margin - pdf.r_margin
    room_h = pdf.h - pdf.get_y() - 20  # down to just above the footer, caption included
    scale = min(room_w / w_px, room_h / h_px)
    w, h = w_px * scale, h_px * scale
    pdf.set_auto_page_break(False)
    pdf.image(io.BytesIO(picture.png), x=pdf.l_margin + (room_w - w) / 2, w=w, h=h)
    pdf.set_font("cjk", size=9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 5, picture.caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(*INK)
    pdf.set_auto_page_break(True, margin=18)


def _key_values(pdf: Any, kv: KeyValues) -> None:
    pdf.set_font("cjk", size=10)
    for label, value in kv.items:
        pdf.set_text_color(*GREY)
        pdf.cell(32, 6.5, label)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 6.5, value, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def _sign_off(pdf: Any, block: SignOff) -> None:
    if pdf.get_y() > pdf.h - 70:
        pdf.add_page()
    gap = 8
    n = len(block.roles)
    width = (pdf.w - pdf.l_margin - pdf.r_margin - gap * (n - 1)) / n
    top = pdf.get_y() + 2
    pdf.set_draw_color(*RULE)
    for i, role in enumerate(block.roles):
        x = pdf.l_margin + i * (width + gap)
        pdf.rect(x, top, width, 38)
        pdf.set_xy(x + 3, top + 3)
        pdf.set_font("cjk", "B", 11)
        pdf.cell(width - 6, 7, role)
        pdf.set_font("cjk", size=9)
        for j, label in enumerate((block.signature_label, block.date_label)):
            y = top + 20 + j * 9
            pdf.set_xy(x + 3, y)
            pdf.cell(18, 6, f"{label}:")
            pdf.line(x + 22, y + 5.5, x + width - 4, y + 5.5)
    pdf.set_y(top + 44)


def _landscape(pdf: Any) -> bool:
    return bool(pdf.w > pdf.h)


def _section(pdf: Any, number: int, section: Section, *, first: bool) -> None:
    if section.new_page or first:
        pdf.add_page(orientation="L" if section.landscape else "P")
    elif _landscape(pdf):
        pdf.add_page(orientation="P")
    _heading(pdf, number, section.title)
    for block in section.blocks:
        if isinstance(block, Table):
            _table(pdf, block)
        elif isinstance(block, Para):
            pdf.set_font("cjk", size=8 if block.small else 10)
            pdf.set_text_color(*(GREY if block.small else INK))
            pdf.multi_cell(0, 4.5 if block.small else 6, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_text_color(*INK)
            pdf.ln(1)
        elif isinstance(block, Picture):
            _picture(pdf, block)
        elif isinstance(block, KeyValues):
            _key_values(pdf, block)
        elif isinstance(block, SignOff):
            _sign_off(pdf, block)


def report_pdf(report: Report) -> bytes:
    """The report as PDF bytes (A4; the cover, then the sections in order)."""
    pdf = _new_pdf(report)
    _cover(pdf, report)
    for number, section in enumerate(report.sections, start=1):
        _section(pdf, number, section, first=number == 1)
    return bytes(pdf.output())
