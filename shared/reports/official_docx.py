"""Render an ``OfficialDocument`` to DOCX, the form the clerk edits and signs.

Same content, order, sizes and margins as the PDF: both take them from ``layout_rules``
(Nghị định 30/2020/NĐ-CP, Phụ lục I). The face is Times New Roman, as the decree names it:
the clerk's Word has it, and the PDF embeds the Times-metric TeX Gyre Termes in its place.
The page number is a PAGE field centred in the header, with a different (empty) first-page
header so page 1 shows none; the national header is a borderless two-column table;
headings use Word's heading styles so Word's navigation pane shows the same outline as the
PDF; charts become pictures of the PDF drawing.
"""

from __future__ import annotations

import io
from datetime import datetime, time
from typing import Any

import pymupdf
from docx import Document as new_docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from shared.reports import layout_rules as rules
from shared.reports.charts import chart_height, draw_bar_chart
from shared.reports.document import (
    BarChart,
    Block,
    BulletList,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    annex_sections,
    numbered_sections,
    printable,
)

FONT_NAME = "Times New Roman"
BODY_PT = rules.BODY_PT
TABLE_PT = rules.TABLE_PT
CHART_WIDTH_CM = 16.0


def _set_font(style_font: Any, size: float, bold: bool | None = None) -> None:
    style_font.name = FONT_NAME
    style_font.size = Pt(size)
    style_font.color.rgb = RGBColor(0, 0, 0)
    if bold is not None:
        style_font.bold = bold


def _east_asian_font(style: Any) -> None:
    """Word picks a separate font for some scripts; pin all of them to Times New Roman."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT_NAME)


def _setup(docx: DocxDocument) -> None:
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = Cm(rules.MARGIN_TOP_MM / 10)
    section.bottom_margin = Cm(rules.MARGIN_BOTTOM_MM / 10)
    section.left_margin = Cm(rules.MARGIN_LEFT_MM / 10)
    section.right_margin = Cm(rules.MARGIN_RIGHT_MM / 10)
    section.header_distance = Cm(0.8)
    normal = docx.styles["Normal"]
    _set_font(normal.font, BODY_PT)
    _east_asian_font(normal)
    normal.paragraph_format.space_after = Pt(rules.PARAGRAPH_AFTER_PT)
    normal.paragraph_format.line_spacing = rules.LINE_SPACING
    for level in (1, 2, 3):
        heading = docx.styles[f"Heading {level}"]
        _set_font(heading.font, BODY_PT, bold=True)
        heading.font.italic = level == 3
        _east_asian_font(heading)
        heading.paragraph_format.space_before = Pt(6)
        heading.paragraph_format.space_after = Pt(4)
        heading.paragraph_format.first_line_indent = Cm(rules.FIRST_LINE_INDENT_CM)
    # Phụ lục I, mục I.7: centred in the top margin, none on the first page.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number)


def _page_field(paragraph: DocxParagraph) -> None:
    """A PAGE field: Word fills in the page number when it lays the document out."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(int(rules.PAGE_NUMBER_PT * 2)))  # half points
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _paragraph(container: Any, text: str = "", *, size: float = BODY_PT, bold: bool = False,
               italic: bool = False, align: WD_ALIGN_PARAGRAPH | None = None,
               indent: bool = False, space_after: float | None = None) -> DocxParagraph:
    paragraph: DocxParagraph = container.add_paragraph()
    for index, line in enumerate(text.split("\n")):
        run = paragraph.add_run(printable(line))
        run.font.size = Pt(size)
        run.bold = bold
        run.italic = italic
        if index < len(text.split("\n")) - 1:
            run.add_break()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _short_rule(container: Any, fraction: float) -> None:
    """A centred rule under the line above: an empty paragraph with a bottom border,
    narrowed by equal indents, stays a line the clerk can move with the text."""
    paragraph = container.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(2)
    side = Cm(round(4.0 * (1 - fraction), 2))
    paragraph.paragraph_format.left_indent = side
    paragraph.paragraph_format.right_indent = side
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _first_cell_paragraph(cell: _Cell) -> _Cell:
    """New cells hold one empty paragraph; drop it so the content starts at the top."""
    cell._tc.remove(cell.paragraphs[0]._p)
    return cell


def _header(docx: DocxDocument, document: OfficialDocument) -> None:
    table = docx.add_table(rows=2, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = (Cm(6.2), Cm(9.8))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    left, right = (_first_cell_paragraph(c) for c in table.rows[0].cells)
    center = WD_ALIGN_PARAGRAPH.CENTER
    if document.parent_issuer_lines:
        _paragraph(left, "\n".join(document.parent_issuer_lines), size=rules.ISSUER_PT,
                   align=center, space_after=0)
    _paragraph(left, "\n".join(document.issuer_lines), size=rules.ISSUER_PT, bold=True,
               align=center, space_after=0)
    _short_rule(left, 0.35)
    _paragraph(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=rules.NATION_PT, bold=True,
               align=center, space_after=0)
    _paragraph(right, "Độc lập - Tự do - Hạnh phúc", size=rules.MOTTO_PT, bold=True,
               align=center, space_after=0)
    _short_rule(right, 0.62)
    number_cell, date_cell = (_first_cell_paragraph(c) for c in table.rows[1].cells)
    _paragraph(number_cell, f"Số: {document.number}" if document.number else "",
               size=rules.NUMBER_PT, align=center)
    _paragraph(date_cell, document.place_date, size=rules.PLACE_DATE_PT, italic=True,
               align=center)

    if document.draft_mark:
        _paragraph(docx, document.draft_mark, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT,
                   space_after=0)
    _paragraph(docx, document.title, size=rules.TITLE_PT, bold=True, align=center,
               space_after=0)
    if document.subtitle:
        _paragraph(docx, document.subtitle, size=rules.SUBTITLE_PT, bold=True, align=center,
                   space_after=0)
    _short_rule(docx, 0.3)
    _paragraph(docx, "", space_after=0)
    if document.addressee:
        _paragraph(docx, document.addressee, align=center)
    for line in document.preamble:
        _paragraph(docx, line, italic=True, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _block(docx: DocxDocument, block: Block) -> None:
    justify = WD_ALIGN_PARAGRAPH.JUSTIFY
    if isinstance(block, str):
        _paragraph(docx, block, indent=True, align=justify)
    elif isinstance(block, Paragraph):
        align = WD_ALIGN_PARAGRAPH.CENTER if block.centered else justify
        _paragraph(docx, block.text, bold=block.bold, italic=block.italic, align=align,
                   indent=not block.centered)
    elif isinstance(block, BulletList):
        for item in block.items:
            _paragraph(docx, f"- {item}", indent=True, align=justify)
    elif isinstance(block, Table):
        _table(docx, block)
    elif isinstance(block, BarChart):
        _chart(docx, block)


def _table(docx: DocxDocument, table: Table) -> None:
    if table.caption:
        _paragraph(docx, table.caption, size=TABLE_PT + 1, bold=True,
                   align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
    grid = docx.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid.style = docx.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    numeric = set(table.numeric_columns)
    if table.column_widths:
        total = sum(table.column_widths)
        for column, weight in zip(grid.columns, table.column_widths, strict=True):
            for cell in column.cells:
                cell.width = Cm(16.0 * weight / total)
    rows = [table.header, *table.rows]
    for row_index, (row, values) in enumerate(zip(grid.rows, rows, strict=True)):
        is_header = row_index == 0
        is_total = table.bold_last_row and row_index == len(rows) - 1
        for col, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(printable(value))
            run.font.size = Pt(TABLE_PT)
            run.bold = is_header or is_total
            paragraph.paragraph_format.space_after = Pt(0)
            if is_header:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif col in numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _paragraph(docx, "", space_after=0)


def _chart(docx: DocxDocument, chart: BarChart) -> None:
    """The PDF's vector chart, drawn on a scratch page and placed as a picture."""
    width = 453.0
    rect = pymupdf.Rect(0, 0, width, chart_height(chart))
    scratch = pymupdf.open()
    page = scratch.new_page(width=rect.width, height=rect.height)
    draw_bar_chart(page, rect, chart)
    png = page.get_pixmap(dpi=200).tobytes("png")
    docx.add_picture(io.BytesIO(png), width=Cm(CHART_WIDTH_CM))
    docx.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _signatures(docx: DocxDocument, document: OfficialDocument) -> None:
    columns: list[tuple[str, Signature | None]] = []
    if document.recipients:
        columns.append(("recipients", None))
    columns += [("signature", s) for s in document.signature_blocks]
    if not columns:
        return
    _paragraph(docx, "", space_after=0)
    table = docx.add_table(rows=1, cols=len(columns))
    center = WD_ALIGN_PARAGRAPH.CENTER
    for cell, (_kind, signature) in zip(table.rows[0].cells, columns, strict=True):
        cell = _first_cell_paragraph(cell)
        if signature is None:
            _paragraph(cell, "Nơi nhận:", size=rules.RECIPIENTS_HEADING_PT, bold=True,
                       italic=True, space_after=0)
            for recipient in document.recipients:
                _paragraph(cell, f"- {recipient}", size=rules.RECIPIENTS_PT, space_after=0)
            continue
        if signature.authority:
            _paragraph(cell, signature.authority, size=rules.SIGNATURE_PT, bold=True,
                       align=center, space_after=0)
        _paragraph(cell, signature.role_line, size=rules.SIGNATURE_PT, bold=True, align=center,
                   space_after=0)
        if signature.note:
            _paragraph(cell, signature.note, italic=True, align=center, space_after=0)
        for _ in range(3):
            _paragraph(cell, "", space_after=0)
        _paragraph(cell, signature.name, size=rules.SIGNATURE_PT, bold=True, align=center,
                   space_after=0)


def render_docx(document: OfficialDocument) -> bytes:
    """The document as DOCX bytes, in the same order and wording as the PDF."""
    docx = new_docx()
    _setup(docx)
    _header(docx, document)
    for level, heading, section in numbered_sections(document):
        if section.page_break_before:
            docx.add_page_break()  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
        if heading:
            docx.add_heading(heading, level=min(level, 3))
        for block in section.body:
            _block(docx, block)
    _signatures(docx, document)
    for level, heading, section in annex_sections(document):
        if level == 1 or section.page_break_before:
            docx.add_page_break()  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated  # type: ignore[no-untyped-call]  # python-docx leaves it unannotated
        if heading:
            docx.add_heading(heading, level=min(level, 3))
        for block in section.body:
            _block(docx, block)
    properties = docx.core_properties
    properties.title = " ".join(f"{document.title} {document.subtitle}".split())
    properties.author = document.author or " ".join(document.issuer_lines)
    properties.subject = document.subject
    properties.keywords = ", ".join(document.keywords)
    if document.issued_on is not None:
        stamp = datetime.combine(document.issued_on, time(8, 0))
        properties.created = properties.modified = stamp
    properties.last_modified_by = properties.author
    properties.revision = 1
    out = io.BytesIO()
    docx.save(out)
    return out.getvalue()
