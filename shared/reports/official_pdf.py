"""Render an ``OfficialDocument`` to an A4 PDF in the Nghị định 30/2020/NĐ-CP layout.

The body is HTML laid out by ``pymupdf.Story`` (it wraps and shapes Vietnamese text with
the embedded Times-metric font of ``fonts``; sizes and margins come from ``layout_rules``).
We drive the page loop ourselves instead of ``Story.write`` so that side-by-side blocks
(the national header, the signatures), charts and page breaks land exactly where an
official document puts them. A second pass over the written PDF draws what HTML cannot:
the short rules under the issuer and the title, the vector bar charts, page numbers (top
centre, from page 2), the outline (the tablet's reader shows it) and the metadata.
"""

from __future__ import annotations

import hashlib
import html
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pymupdf

from shared.reports import layout_rules as rules
from shared.reports.charts import chart_height, draw_bar_chart
from shared.reports.document import (
    BarChart,
    Block,
    BulletList,
    InvalidReportContent,
    OfficialDocument,
    Paragraph,
    Section,
    Signature,
    Table,
    annex_sections,
    numbered_sections,
)
from shared.reports.fonts import FAMILY, font, official_font, story_fonts

# Re-exported so callers build and render documents from one import.
__all__ = [
    "BarChart",
    "BulletList",
    "OfficialDocument",
    "Paragraph",
    "Section",
    "Signature",
    "Table",
    "render_pdf",
]

PAGE = pymupdf.paper_rect("a4")
MM = rules.MM
# Nghị định 30/2020/NĐ-CP, Phụ lục I, Phần I, mục I.3 (see ``layout_rules``).
CONTENT = pymupdf.Rect(rules.MARGIN_LEFT_MM * MM, rules.MARGIN_TOP_MM * MM,
                       PAGE.width - rules.MARGIN_RIGHT_MM * MM,
                       PAGE.height - rules.MARGIN_BOTTOM_MM * MM)
BLOCK_GAP = 4.0
PAGE_NUMBER_BASELINE = 13 * MM  # inside the top margin, centred over the text block

BODY_SIZE = rules.BODY_PT
# MuPDF clips a story to the rectangle it is placed in, and the stacked marks of capitals
# (Ồ, Ẫ in Termes) rise about 1.5 pt above the line box: each story is placed this much
# higher with as much padding on top, so the marks show and the text stays where it was.
ACCENT_BLEED = 6.0
CELL_PADDING = 3.0
CELL_BORDER = 0.6

CSS = f"""
* {{font-family: {FAMILY}; font-size: {BODY_SIZE}pt; line-height: {rules.LINE_SPACING};}}
body {{margin: 0; padding: {ACCENT_BLEED}pt 0 0 0;}}
p {{margin: 0 0 {rules.PARAGRAPH_AFTER_PT}pt 0; text-align: justify;
   text-indent: {rules.FIRST_LINE_INDENT_CM}cm;}}
p.c {{text-align: center; text-indent: 0;}}
p.r {{text-align: right; text-indent: 0;}}
p.l {{text-align: left; text-indent: 0;}}
.b {{font-weight: bold;}}
.i {{font-style: italic;}}
p.hdr {{font-size: {rules.ISSUER_PT}pt; text-align: center; text-indent: 0; margin: 0;
       line-height: 1.2;}}
p.nation {{font-size: {rules.NATION_PT}pt; font-weight: bold; text-align: center;
          text-indent: 0; margin: 0; line-height: 1.2;}}
p.motto {{font-size: {rules.MOTTO_PT}pt; font-weight: bold; text-align: center;
         text-indent: 0; margin: 0; line-height: 1.2;}}
p.num {{font-size: {rules.NUMBER_PT}pt; text-align: center; text-indent: 0; margin: 0;}}
p.date {{font-size: {rules.PLACE_DATE_PT}pt; text-align: center; text-indent: 0; margin: 0;
        font-style: italic;}}
p.draft {{text-align: right; text-indent: 0; font-weight: bold; margin: 0;}}
p.title {{font-size: {rules.TITLE_PT}pt; font-weight: bold; text-align: center;
         text-indent: 0; margin: 14pt 0 0 0;}}
p.subtitle {{font-size: {rules.SUBTITLE_PT}pt; font-weight: bold; text-align: center;
            text-indent: 0; margin: 2pt 0 14pt 0;}}
p.addressee {{text-align: center; text-indent: 0; margin: 0 0 10pt 0;}}
p.preamble {{font-style: italic;}}
h1 {{font-size: {BODY_SIZE}pt; font-weight: bold; margin: 8pt 0 4pt 0;
     text-indent: {rules.FIRST_LINE_INDENT_CM}cm;}}
h2 {{font-size: {BODY_SIZE}pt; font-weight: bold; margin: 6pt 0 4pt 0;
     text-indent: {rules.FIRST_LINE_INDENT_CM}cm;}}
h3 {{font-size: {BODY_SIZE}pt; font-weight: bold; font-style: italic;
     margin: 5pt 0 3pt 0; text-indent: {rules.FIRST_LINE_INDENT_CM}cm;}}
p.bullet {{text-indent: {rules.FIRST_LINE_INDENT_CM}cm;}}
p.caption {{text-align: center; text-indent: 0; font-weight: bold;
           font-size: {rules.TABLE_PT + 1}pt; margin: 6pt 0 3pt 0;}}
table.grid {{border-collapse: collapse; width: 100%; margin: 0 0 6pt 0;}}
table.grid td, table.grid th {{border: {CELL_BORDER}pt solid #000;
                              padding: 1.5pt {CELL_PADDING}pt;
                              font-size: {rules.TABLE_PT}pt; line-height: 1.2;
                              vertical-align: top;}}
table.grid th {{font-weight: bold; text-align: center;}}
td.n {{text-align: right;}}
tr.total td {{font-weight: bold;}}
p.sig {{font-size: {rules.SIGNATURE_PT}pt; text-align: center; text-indent: 0;
       font-weight: bold; margin: 0;}}
p.signote {{text-align: center; text-indent: 0; font-style: italic; margin: 0;}}
p.signame {{font-size: {rules.SIGNATURE_PT}pt; text-align: center; text-indent: 0;
           font-weight: bold; margin: 56pt 0 0 0;}}
p.recip-h {{text-align: left; text-indent: 0; font-weight: bold; font-style: italic;
           font-size: {rules.RECIPIENTS_HEADING_PT}pt; margin: 0;}}
p.recip {{text-align: left; text-indent: 0; font-size: {rules.RECIPIENTS_PT}pt; margin: 0;
         line-height: 1.2;}}
"""


class LayoutOverflow(InvalidReportContent):
    code = "report_layout_overflow"
    message_vi = "Một khối nội dung không vừa một trang giấy A4."
    message_en = "A block of content does not fit on one A4 page."


def _e(text: str) -> str:
    # NFC: typed text may carry decomposed marks (e + U+0302 + U+0301); the precomposed
    # letter is one glyph of the face and needs no mark positioning (see fonts._face_bytes)
    return html.escape(unicodedata.normalize("NFC", text), quote=True)


# --- the flow: what goes on the pages, in order ---------------------------------------


@dataclass
class _Html:
    markup: str


@dataclass
class _Columns:
    """Side-by-side HTML cells with relative widths, kept on one page."""

    cells: Sequence[tuple[float, str]]
    keep_together: bool = True


@dataclass
class _Chart:
    chart: BarChart


@dataclass
class _PageBreak:
    """A marker in the block list: start a new page here."""


Flow = _Html | _Columns | _Chart | _PageBreak


@dataclass
class _Layout:
    """Positions found while writing, used by the second pass."""

    headings: dict[str, tuple[int, str]] = field(default_factory=dict)  # id -> (level, text)
    toc: list[tuple[int, str, int, float]] = field(default_factory=list)
    rules: list[tuple[int, pymupdf.Rect, float]] = field(default_factory=list)
    charts: list[tuple[int, pymupdf.Rect, BarChart]] = field(default_factory=list)
    rule_widths: dict[str, float] = field(default_factory=dict)  # element id -> rule length


class _Pages:
    """The DocumentWriter with a cursor: current page and the next free y."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.writer = pymupdf.DocumentWriter(self.buffer)
        self.device: Any = None  # the page's drawing device (begin_page); None between pages
        self.index = -1
        self.y = CONTENT.y0

    def new_page(self) -> None:
        if self.device is not None:
            self.writer.end_page()
        self.device = self.writer.begin_page(PAGE)
        self.index += 1
        self.y = CONTENT.y0

    def ensure_page(self) -> None:
        if self.device is None:
            self.new_page()

    @property
    def fresh(self) -> bool:
        return bool(self.y <= CONTENT.y0 + 0.5)

    def close(self) -> bytes:
        self.ensure_page()
        self.writer.end_page()
        self.writer.close()
        return self.buffer.getvalue()


class _Writer:
    def __init__(self) -> None:
        self.css, self.archive = story_fonts()
        self.css += CSS
        self.pages = _Pages()
        self.layout = _Layout()

    def story(self, markup: str) -> pymupdf.Story:
        return pymupdf.Story(html=f"<body>{markup}</body>", user_css=self.css,
                             archive=self.archive)

    def record(self, position: Any) -> None:  # pymupdf.ElementPosition: fields set at run time
        if not position.open_close & 1 or not position.id:
            return
        page_index = position.page_index
        if position.id in self.layout.headings:
            level, text = self.layout.headings[position.id]
            self.layout.toc.append((level, text, page_index, position.rect[1]))
        if position.id in self.layout.rule_widths:
            rect = pymupdf.Rect(position.rect)
            self.layout.rules.append((page_index, rect, self.layout.rule_widths[position.id]))

    def record_positions(self, story: pymupdf.Story) -> None:
        # PyMuPDF wants a one-argument function, not a bound method.
        story.element_positions(lambda position: self.record(position),
                                {"page_index": self.pages.index})

    def flow_html(self, markup: str) -> None:
        story = self.story(markup)
        more, bleed = True, ACCENT_BLEED  # the padding belongs to the first fragment only
        while more:
            self.pages.ensure_page()
            if self.pages.y > CONTENT.y1 - 2 * BODY_SIZE:
                self.pages.new_page()
            fresh = self.pages.fresh
            rect = pymupdf.Rect(CONTENT.x0, self.pages.y - bleed, CONTENT.x1, CONTENT.y1)
            more, placed = story.place(rect)
            bleed = 0.0
            filled = pymupdf.Rect(placed)
            if more and filled.is_empty and fresh:
                raise LayoutOverflow()
            self.record_positions(story)
            story.draw(self.pages.device)
            if not filled.is_empty:
                self.pages.y = filled.y1 + BLOCK_GAP
            if more:
                self.pages.new_page()

    def flow_columns(self, block: _Columns) -> None:
        self.pages.ensure_page()
        if not self._place_columns(block, dry_run=True):
            self.pages.new_page()
            if not self._place_columns(block, dry_run=True):
                raise LayoutOverflow()
        self._place_columns(block, dry_run=False)

    def _place_columns(self, block: _Columns, dry_run: bool) -> bool:
        total = sum(weight for weight, _ in block.cells)
        x = CONTENT.x0
        bottom = self.pages.y
        for weight, markup in block.cells:
            width = CONTENT.width * weight / total
            rect = pymupdf.Rect(x, self.pages.y - ACCENT_BLEED, x + width, CONTENT.y1)
            story = self.story(markup)
            more, placed = story.place(rect)
            filled = pymupdf.Rect(placed)
            if more:
                return False
            if not dry_run:
                self.record_positions(story)
                story.draw(self.pages.device)
            if not filled.is_empty:
                bottom = max(bottom, filled.y1)
            x += width
        if not dry_run:
            self.pages.y = bottom + BLOCK_GAP
        return True

    def flow_chart(self, chart: BarChart) -> None:
        self.pages.ensure_page()
        height = min(chart_height(chart), CONTENT.height)
        if self.pages.y + height > CONTENT.y1:
            self.pages.new_page()
        rect = pymupdf.Rect(CONTENT.x0, self.pages.y, CONTENT.x1, self.pages.y + height)
        self.layout.charts.append((self.pages.index, rect, chart))
        self.pages.y = rect.y1 + 2 * BLOCK_GAP

    def write(self, flow: Sequence[Flow]) -> bytes:
        for block in flow:
            if isinstance(block, _Html):
                self.flow_html(block.markup)
            elif isinstance(block, _Columns):
                self.flow_columns(block)
            elif isinstance(block, _Chart):
                self.flow_chart(block.chart)
            elif not self.pages.fresh or self.pages.device is None:
                self.pages.new_page()
        return self.pages.close()


# --- from the document to the flow -----------------------------------------------------


def _lines(lines: Sequence[str]) -> str:
    return "<br/>".join(_e(line) for line in lines)


def _multiline(text: str) -> str:
    return _lines(text.split("\n"))


def _header(document: OfficialDocument, layout: _Layout) -> list[Flow]:
    """National header: issuer left, country and motto right; number left, date right."""
    bold = font("bold")
    issuer = ""
    if document.parent_issuer_lines:
        issuer += f'<p class="hdr">{_lines(document.parent_issuer_lines)}</p>'
    issuer += f'<p class="hdr b" id="issuer">{_lines(document.issuer_lines)}</p>'
    longest_issuer_line = max(document.issuer_lines, key=len, default="")
    # Phụ lục I, mục II.2: a rule a third to a half of the issuer's line.
    layout.rule_widths["issuer"] = 0.4 * bold.text_length(longest_issuer_line,
                                                          fontsize=rules.ISSUER_PT)
    motto = "Độc lập - Tự do - Hạnh phúc"
    nation = (f'<p class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</p>'
              f'<p class="motto" id="motto">{motto}</p>')
    # Phụ lục I, mục II.1.b: the rule under the motto is as long as the motto.
    layout.rule_widths["motto"] = bold.text_length(motto, fontsize=rules.MOTTO_PT)
    number = f'<p class="num">Số: {_e(document.number)}</p>' if document.number else ""
    place_date = f'<p class="date">{_e(document.place_date)}</p>'
    weights = (0.40, 0.60)
    flow: list[Flow] = [
        _Columns([(weights[0], issuer), (weights[1], nation)]),
        _Html('<p class="hdr">&#160;</p>'),
        _Columns([(weights[0], number), (weights[1], place_date)]),
    ]
    title = ""
    if document.draft_mark:
        title += f'<p class="draft">{_e(document.draft_mark)}</p>'
    title += f'<p class="title" id="title">{_e(document.title)}</p>'
    title_font_size = rules.TITLE_PT
    if document.subtitle:
        title += f'<p class="subtitle" id="subtitle">{_multiline(document.subtitle)}</p>'
        longest = max(document.subtitle.split("\n"), key=len)
        layout.rule_widths["subtitle"] = min(
            0.4 * bold.text_length(longest, fontsize=rules.SUBTITLE_PT), CONTENT.width * 0.35)
    else:
        layout.rule_widths["title"] = 0.5 * bold.text_length(document.title,
                                                             fontsize=title_font_size)
        title += '<p class="subtitle">&#160;</p>'
    if document.addressee:
        title += f'<p class="addressee">{_e(document.addressee)}</p>'
    for line in document.preamble:
        title += f'<p class="preamble">{_e(line)}</p>'
    flow.append(_Html(title))
    return flow


def _block_html(block: Block) -> str:
    if isinstance(block, str):
        return f"<p>{_e(block)}</p>"
    if isinstance(block, Paragraph):
        classes = " ".join(c for c, on in (("b", block.bold), ("i", block.italic),
                                            ("c", block.centered)) if on)
        return f'<p class="{classes}">{_e(block.text)}</p>'
    if isinstance(block, BulletList):
        return "".join(f'<p class="bullet">- {_e(item)}</p>' for item in block.items)
    if isinstance(block, Table):
        return _table_html(block)
    raise TypeError(f"not an HTML block: {type(block).__name__}")


def _table_html(table: Table) -> str:
    parts = []
    if table.caption:
        parts.append(f'<p class="caption">{_e(table.caption)}</p>')
    parts.append('<table class="grid">')
    parts.append("<tr>" + "".join(
        f"<th{style}>{_e(h)}</th>"
        for h, style in zip(table.header, _column_styles(table), strict=True)) + "</tr>")
    numeric = set(table.numeric_columns)
    for index, row in enumerate(table.rows):
        total_row = table.bold_last_row and index == len(table.rows) - 1
        cells = "".join(
            f'<td class="n">{_e(cell)}</td>' if col in numeric else f"<td>{_e(cell)}</td>"
            for col, cell in enumerate(row))
        parts.append(f'<tr class="total">{cells}</tr>' if total_row else f"<tr>{cells}</tr>")
    parts.append("</table>")
    return "".join(parts)


def _column_styles(table: Table) -> list[str]:
    """Column widths in points: MuPDF honours absolute cell widths but not percentages."""
    if not table.column_widths:
        return [""] * len(table.header)  # MuPDF sizes the columns by their content
    cell_extra = 2 * CELL_PADDING + CELL_BORDER
    room = CONTENT.width - len(table.header) * cell_extra - 2
    total = sum(table.column_widths)
    return [f' style="width:{room * w / total:.1f}pt"' for w in table.column_widths]


def _body(document: OfficialDocument, layout: _Layout, annexes: bool = False) -> list[Flow]:
    flow: list[Flow] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            flow.append(_Html("".join(pending)))
            pending.clear()

    sections = annex_sections(document) if annexes else numbered_sections(document)
    for number, (level, heading, section) in enumerate(sections):
        if section.page_break_before or (annexes and level == 1):
            flush()
            flow.append(_PageBreak())
        if heading:
            anchor = f"{'a' if annexes else 'h'}{number}"
            layout.headings[anchor] = (level, heading)
            tag = f"h{min(level, 3)}"
            pending.append(f'<{tag} id="{anchor}">{_e(heading)}</{tag}>')
        for block in section.body:
            if isinstance(block, BarChart):
                flush()
                flow.append(_Chart(block))
            else:
                pending.append(_block_html(block))
    flush()
    return flow


def _signatures(document: OfficialDocument) -> list[Flow]:
    """Recipients bottom-left, signature blocks to the right, all kept on one page."""
    cells: list[tuple[float, str]] = []
    if document.recipients:
        items = "".join(f'<p class="recip">- {_e(r)}</p>' for r in document.recipients)
        cells.append((0.45, f'<p class="recip-h">Nơi nhận:</p>{items}'))
    for signature in document.signature_blocks:
        cells.append((0.55 if document.recipients else 0.5, _signature_html(signature)))
    if not cells:
        return []
    if not document.signature_blocks:
        cells.append((0.55, ""))
    return [_Html('<p class="l">&#160;</p>'), _Columns(cells)]


def _signature_html(signature: Signature) -> str:
    parts = []
    if signature.authority:
        parts.append(f'<p class="sig">{_e(signature.authority)}</p>')
    parts.append(f'<p class="sig">{_e(signature.role_line)}</p>')
    if signature.note:
        parts.append(f'<p class="signote">{_e(signature.note)}</p>')
    parts.append(f'<p class="signame">{_e(signature.name)}</p>')
    return "".join(parts)


# --- the second pass ---------------------------------------------------------------------


def _pdf_date(day: date | None) -> str:
    if day is None:
        return ""
    return f"D:{day:%Y%m%d}080000+07'00'"


def _finish(data: bytes, document: OfficialDocument, layout: _Layout) -> bytes:
    doc = pymupdf.open("pdf", data)
    for page in doc.pages():
        page.wrap_contents()  # the story leaves its own transform; isolate it before drawing
    for page_index, rect, width in layout.rules:
        center = (rect.x0 + rect.x1) / 2
        y = rect.y1 + 4.0  # below the descenders (g, y) of the line above
        doc[page_index].draw_line((center - width / 2, y), (center + width / 2, y),
                                  color=(0, 0, 0), width=0.6)
    for page_index, rect, chart in layout.charts:
        draw_bar_chart(doc[page_index], rect, chart)
    _page_numbers(doc)
    doc.set_toc([
        [level, title, page_index + 1,
         {"kind": pymupdf.LINK_GOTO, "page": page_index,
          "to": pymupdf.Point(CONTENT.x0, max(0.0, y - 6)), "zoom": 0}]
        for level, title, page_index, y in _toc_levels(layout.toc)
    ])
    author = document.author or " ".join(document.issuer_lines)
    title = " ".join(f"{document.title} {document.subtitle}".split())
    doc.set_metadata({
        "title": title,
        "author": author,
        "subject": document.subject or title,
        "keywords": ", ".join(document.keywords),
        "creator": "HĐND điện tử",
        "producer": f"PyMuPDF {pymupdf.VersionBind}",
        "creationDate": _pdf_date(document.issued_on),
        "modDate": _pdf_date(document.issued_on),
    })
    if not official_font().cff:
        # MuPDF cannot subset CFF (.otf) faces; Termes comes already cut to the letters
        # council documents use (fonts.KEPT_RANGES), about 40 kB a style, and is embedded
        # whole: a per-document fontTools pass tripled the rendering time.
        doc.subset_fonts()
    _stable_subset_tags(doc)
    return bytes(doc.tobytes(garbage=4, deflate=True, no_new_id=True))  # 4: one copy of a font


def _stable_subset_tags(doc: pymupdf.Document) -> None:
    """Subset fonts carry a six-letter tag ("ABCDEF+Name") that PyMuPDF draws at random;
    derive it from the font's name instead, so the same document gives the same bytes."""
    for xref in range(1, doc.xref_length()):
        for key in ("BaseFont", "FontName"):
            kind, value = doc.xref_get_key(xref, key)
            if kind != "name" or "+" not in value:
                continue
            base = value[1:].split("+", 1)[1]
            digest = hashlib.sha256(base.encode()).digest()
            tag = "".join(chr(65 + byte % 26) for byte in digest[:6])
            doc.xref_set_key(xref, key, f"/{tag}+{base}".replace(" ", "#20"))


def _page_numbers(doc: pymupdf.Document) -> None:
    """Phụ lục I, mục I.7: Arabic numerals, 13-14 pt, upright, centred in the top margin;
    the first page shows none."""
    regular = font("regular")
    for page in doc.pages():
        if page.number == 0:
            continue
        text = str(page.number + 1)
        width = regular.text_length(text, fontsize=rules.PAGE_NUMBER_PT)
        writer = pymupdf.TextWriter(page.rect, color=(0, 0, 0))
        writer.append(((CONTENT.x0 + CONTENT.x1 - width) / 2, PAGE_NUMBER_BASELINE), text,
                      font=regular, fontsize=rules.PAGE_NUMBER_PT)
        writer.write_text(page)


def _toc_levels(
    entries: Sequence[tuple[int, str, int, float]],
) -> list[tuple[int, str, int, float]]:
    """Outlines may not jump a level (1 -> 3); a deeper heading under none is lifted."""
    result = []
    previous = 0
    for level, title, page_index, y in entries:
        level = min(level, previous + 1)
        result.append((level, title, page_index, y))
        previous = level
    return result


def render_pdf(document: OfficialDocument) -> bytes:
    """Lay out ``document`` on A4 pages and return the finished PDF."""
    writer = _Writer()
    flow = _header(document, writer.layout) + _body(document, writer.layout)
    flow += _signatures(document) + _body(document, writer.layout, annexes=True)
    return _finish(writer.write(flow), document, writer.layout)
