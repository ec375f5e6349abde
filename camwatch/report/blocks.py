"""What a report is made of: sections of paragraphs, tables and pictures (plain data).

The content builders (:mod:`camwatch.report.content`,
:mod:`camwatch.report.district`) produce these, already worded in the
reader's language; :mod:`camwatch.report.pdf` lays them out. Tests read the
figures straight from here as well as from the PDF's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Para:
    """A paragraph; ``small`` for notes under a table."""

    text: str
    small: bool = False


@dataclass(frozen=True)
class Table:
    """A table: column heads, rows of text, relative column widths, alignment per column.

    ``marks`` gives each row an optional mark ("pass", "fail", "muted") that
    the layout shows as a coloured result cell or grey text.
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    align: str = ""
    marks: tuple[str | None, ...] = ()
    mark_col: int = -1  # the column whose cell shows a row's pass/fail mark

    def __post_init__(self) -> None:
        n = len(self.columns)
        if len(self.widths) != n or any(len(r) != n for r in self.rows):
            raise ValueError("table rows and widths must match the columns")


@dataclass(frozen=True)
class Picture:
    """A PNG picture with its caption, drawn as large as the page allows."""

    png: bytes = field(repr=False)
    caption: str = ""


@dataclass(frozen=True)
class KeyValues:
    """Label: value lines (the cover, an inspection's header)."""

    items: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SignOff:
    """The sign-off block: one box per role (编制/审核) and a date line."""

    roles: tuple[str, ...]
    date_label: str
    signature_label: str


Block = Para | Table | Picture | KeyValues | SignOff


@dataclass(frozen=True)
class Section:
    """A titled part of a report; ``new_page`` starts it on a fresh page (landscape if asked)."""

    title: str
    blocks: tuple[Block, ...]
    new_page: bool = False
    landscape: bool = False


@dataclass(frozen=True)
class Report:
    """A whole report: cover, sections, and what the running header and footer say."""

    lang: str
    title: str
    subtitle: str
    cover: tuple[tuple[str, str], ...]
    verdict: tuple[str, bool] | None
    sections: tuple[Section, ...]
    running_title: str
    footer_note: str

    def text(self) -> str:
        """Every word of the report as plain text (what a reader could search for)."""
        out = [self.title, self.subtitle, *(f"{k} {v}" for k, v in self.cover)]
        if self.verdict:
            out.append(self.verdict[0])
        for section in self.sections:
            out.append(section.title)
            for block in section.blocks:
                if isinstance(block, Para):
                    out.append(block.text)
                elif isinstance(block, Table):
                    out.append(" ".join(block.columns))
                    out += [" ".join(row) for row in block.rows]
                elif isinstance(block, KeyValues):
                    out += [f"{k} {v}" for k, v in block.items]
                elif isinstance(block, Picture):
                    out.append(block.caption)
        return "\n".join(out)
