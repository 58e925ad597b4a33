"""The content of a Vietnamese official document (Nghị định 30/2020/NĐ-CP layout).

Minutes (biên bản kỳ họp), vote-count sheets (biên bản kiểm phiếu), half-year and annual
reports and the demo council's documents all describe themselves with these classes; the
renderers in ``official_pdf`` and ``official_docx`` turn one description into a PDF for
tablets and a DOCX the clerk can still edit, so both always say the same thing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from shared.errors import Invalid


class InvalidReportContent(Invalid):
    """The document description cannot be laid out (e.g. a chart with fewer values than labels).

    The server answers it as the domain error of its category (``server/app.py``)."""

    code = "invalid_report_content"
    message_vi = "Nội dung văn bản không hợp lệ."
    message_en = "The document content is not valid."


@dataclass(frozen=True)
class Paragraph:
    """A paragraph that needs a style; a plain ``str`` in a section body is a normal one."""

    text: str
    bold: bool = False
    italic: bool = False
    centered: bool = False


@dataclass(frozen=True)
class Table:
    """A bordered table; ``numeric_columns`` are right-aligned, as figures are read that way."""

    header: Sequence[str]
    rows: Sequence[Sequence[str]]
    caption: str = ""
    column_widths: Sequence[float] = ()  # relative weights, one per column
    numeric_columns: Sequence[int] = ()
    bold_last_row: bool = False  # a "Tổng cộng" row

    def __post_init__(self) -> None:
        width = len(self.header)
        for row in self.rows:
            if len(row) != width:
                raise InvalidReportContent(
                    f"Bảng «{self.caption}» có dòng {len(row)} cột, tiêu đề có {width} cột.",
                    f"Table '{self.caption}' has a row of {len(row)} cells for {width} columns.",
                )
        if self.column_widths and len(self.column_widths) != width:
            raise InvalidReportContent(
                f"Bảng «{self.caption}» khai báo độ rộng cho {len(self.column_widths)} cột.",
                f"Table '{self.caption}' gives widths for {len(self.column_widths)} columns.",
            )


@dataclass(frozen=True)
class BulletList:
    """Dash-led items, the way Vietnamese administrative texts enumerate."""

    items: Sequence[str]


@dataclass(frozen=True)
class BarChart:
    """Horizontal bars drawn as vectors: people read a chart faster than a table."""

    title: str
    labels: Sequence[str]
    values: Sequence[float]
    threshold: float | None = None  # e.g. the plan's target, drawn as a dashed line
    threshold_label: str = ""
    unit: str = ""

    def __post_init__(self) -> None:
        if len(self.labels) != len(self.values):
            raise InvalidReportContent(
                f"Biểu đồ «{self.title}» có {len(self.labels)} nhãn nhưng "
                f"{len(self.values)} giá trị.",
                f"Chart '{self.title}' has {len(self.labels)} labels "
                f"and {len(self.values)} values.",
            )
        if any(v < 0 for v in self.values):
            raise InvalidReportContent(
                f"Biểu đồ «{self.title}» có giá trị âm.",
                f"Chart '{self.title}' has a negative value.",
            )


Block = str | Paragraph | Table | BulletList | BarChart


@dataclass(frozen=True)
class Section:
    """A numbered part of the body; top-level sections get I, II..., subsections 1, 2...

    An empty heading makes an unnumbered run of text (an opening or closing paragraph).
    """

    heading: str
    body: Sequence[Block] = ()
    subsections: Sequence[Section] = ()
    page_break_before: bool = False  # annexes (phụ lục) start on a new page
    numbered: bool = True  # False for headings that carry their own label ("Phụ lục 2")


@dataclass(frozen=True)
class Signature:
    """A signing block: ``authority`` is the "TM. ..." / "KT. ..." line, if any."""

    role_line: str
    name: str
    authority: str = ""
    note: str = ""  # e.g. "(Đã ký)" on a copy


@dataclass(frozen=True)
class OfficialDocument:
    """One official document; ``render_pdf`` / ``render_docx`` lay it out."""

    issuer_lines: Sequence[str]  # bold, e.g. ("HỘI ĐỒNG NHÂN DÂN", "XÃ Y TÝ")
    number: str  # the symbol after "Số: ", e.g. "45/TTr-UBND"
    place_date: str  # "Y Tý, ngày 10 tháng 6 năm 2026"
    title: str  # "TỜ TRÌNH", "BIÊN BẢN", "BÁO CÁO"
    subtitle: str = ""  # "Về việc ..." / "Kỳ họp thường lệ ..."
    sections: Sequence[Section] = ()
    signature_blocks: Sequence[Signature] = ()
    recipients: Sequence[str] = ()  # "Nơi nhận"
    parent_issuer_lines: Sequence[str] = ()  # the superior body, not bold
    addressee: str = ""  # "Kính gửi: ..."
    preamble: Sequence[str] = ()  # "Căn cứ ..." lines, in italics
    draft_mark: str = ""  # e.g. "DỰ THẢO", shown above the title
    author: str = ""  # PDF metadata; the issuer when empty
    subject: str = ""
    keywords: Sequence[str] = ()
    issued_on: date | None = None  # fixes the PDF dates so renders are reproducible
    numbered_headings: bool = field(default=True)
    annexes: Sequence[Section] = ()  # after the signatures, each on a new page, unnumbered

    def render_pdf(self) -> bytes:
        """The document as an A4 PDF with outline, page numbers and metadata."""
        # Imported here because the renderers import this module for the classes.
        from shared.reports.official_pdf import render_pdf

        return render_pdf(self)

    def render_docx(self) -> bytes:
        """The document as an editable DOCX."""
        from shared.reports.official_docx import render_docx

        return render_docx(self)


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X",
         "XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX")


def numbered_heading(document: OfficialDocument, index: int, level: int, heading: str) -> str:
    """The heading as printed: "II. HEADING" at the top level, "3. Heading" below."""
    if not document.numbered_headings:
        return heading
    if level == 1:
        prefix = ROMAN[index] if index < len(ROMAN) else str(index + 1)
        return f"{prefix}. {heading}"
    return f"{index + 1}. {heading}"


def numbered_sections(
    document: OfficialDocument,
) -> list[tuple[int, str, Section]]:
    """Every section in reading order as (level, printed heading, section).

    Unheaded sections keep their place but take no number, so "I, II, III" stays unbroken.
    """
    result: list[tuple[int, str, Section]] = []

    def walk(sections: Sequence[Section], level: int) -> None:
        index = 0
        for section in sections:
            if section.heading and not section.numbered:
                result.append((level, section.heading, section))
            elif section.heading:
                result.append((level, numbered_heading(document, index, level, section.heading),
                               section))
                index += 1
            else:
                result.append((level, "", section))
            walk(section.subsections, level + 1)

    walk(document.sections, 1)
    return result


def annex_sections(document: OfficialDocument) -> list[tuple[int, str, Section]]:
    """The annexes in reading order; their headings carry their own label ("PHỤ LỤC 1")."""
    result: list[tuple[int, str, Section]] = []

    def walk(sections: Sequence[Section], level: int) -> None:
        index = 0
        for section in sections:
            if level == 1 or not section.numbered or not section.heading:
                result.append((level, section.heading, section))
            else:
                result.append((level, numbered_heading(document, index, level,
                                                       section.heading), section))
                index += 1
            walk(section.subsections, level + 1)

    walk(document.annexes, 1)
    return result


def format_vn_number(value: float, decimals: int = 0) -> str:
    """1234567.5 -> "1.234.567,5": Vietnamese groups thousands with dots."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def place_date_line(place: str, day: date) -> str:
    """The date line of an official document: "Y Tý, ngày 10 tháng 6 năm 2026"."""
    # Nghị định 30: days below 10 and the months 1 and 2 take a leading zero.
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10, 13))


def printable(text: str) -> str:
    """Text without the control characters XML (DOCX) cannot hold; typed data may have them."""
    return text.translate(_CONTROL)
