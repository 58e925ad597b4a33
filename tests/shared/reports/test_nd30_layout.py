"""A minutes PDF and DOCX checked against Nghị định 30/2020/NĐ-CP, Phụ lục I, as a clerk
holding a ruler would: the face, the sizes, the margins, the page numbers, every letter.

The PDF is also drawn to PNG by poppler's ``pdftoppm`` (a second reader, not MuPDF), and
the pixels say where ink is: nothing in page 1's top margin, a number centred in page 2's.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import docx
import pymupdf
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt

from shared.reports import layout_rules as rules
from shared.reports.document import (
    BulletList,
    OfficialDocument,
    Section,
    Signature,
    Table,
    place_date_line,
)

MM = 72 / 25.4
LOWER = ("aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựv"
         "xyỳỷỹýỵ")
VIETNAMESE = LOWER + LOWER.upper()


@pytest.fixture(scope="module")
def two_pages() -> OfficialDocument:
    letters = " ".join(VIETNAMESE[i:i + 12] for i in range(0, len(VIETNAMESE), 12))
    speech = ("Đại biểu Giàng Seo Phử đề nghị bổ sung kinh phí sửa đường liên thôn Mù Khum, "
              "Lao Chải trước mùa mưa; ủy ban nhân dân xã tiếp thu, giải trình. ")
    return OfficialDocument(
        issuer_lines=("HỘI ĐỒNG NHÂN DÂN", "XÃ Y TÝ"), number="01/BB-HĐND",
        place_date=place_date_line("Y Tý", date(2026, 7, 10)), title="BIÊN BẢN",
        subtitle="Kỳ họp thường lệ giữa năm 2026 — Phiên khai mạc",
        sections=[Section("Thành phần tham dự", [BulletList(["Có mặt: 25/27;", "Vắng: 2."])]),
                  Section("Các chữ tiếng Việt", [letters]),
                  Section("Phát biểu", [speech * 3] * 8),
                  Section("Biểu quyết", [Table(("Lựa chọn", "Số đại biểu"),
                                               [["Tán thành", "24"], ["Không tán thành", "1"]],
                                               numeric_columns=(1,))])],
        signature_blocks=(Signature("THƯ KÝ KỲ HỌP", "Lý Thị Mỹ Duyên"),
                          Signature("CHỦ TỌA", "Chu Sa Hừ")),
        recipients=("Thường trực HĐND;", "Đại biểu HĐND;", "Lưu: VT, hồ sơ kỳ họp."),
        issued_on=date(2026, 7, 10))


@pytest.fixture(scope="module")
def pdf_bytes(two_pages: OfficialDocument) -> bytes:
    return two_pages.render_pdf()


@pytest.fixture(scope="module")
def pdf(pdf_bytes: bytes) -> pymupdf.Document:
    document = pymupdf.open("pdf", pdf_bytes)
    assert document.page_count >= 2, "the fixture must run onto a second page"
    return document


def _spans(page: pymupdf.Page) -> list[dict]:
    return [span for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
            for span in line["spans"] if span["text"].strip()]


def _span(pdf: pymupdf.Document, text: str) -> dict:
    return next(s for page in pdf for s in _spans(page) if text in s["text"])


def _bold(span: dict) -> bool:
    return bool(span["flags"] & pymupdf.TEXT_FONT_BOLD)


def _italic(span: dict) -> bool:
    return bool(span["flags"] & pymupdf.TEXT_FONT_ITALIC)


def test_the_face_is_the_embedded_times_metric_tex_gyre_termes(pdf: pymupdf.Document) -> None:
    names = {font[3].split("+")[-1].replace(" ", "") for page in pdf for font in page.get_fonts()}
    assert names <= {"TeXGyreTermesRegular", "TeXGyreTermesBold", "TeXGyreTermesItalic",
                     "TeXGyreTermesBoldItalic"}, names
    assert "TeXGyreTermesRegular" in names and "TeXGyreTermesBold" in names
    assert all(font[1] != "n/a" for page in pdf for font in page.get_fonts())  # embedded
    # Times metrics: a left-aligned cell is as wide as Times-Roman sets the same letters
    # without their marks (marks do not advance); Noto Sans would be about 15% wider
    cell = _span(pdf, "Không tán thành")
    bare = "".join(c for c in unicodedata.normalize("NFD", cell["text"])
                   if not unicodedata.combining(c))
    times = pymupdf.get_text_length(bare, fontname="tiro", fontsize=cell["size"])
    assert abs((cell["bbox"][2] - cell["bbox"][0]) / times - 1) < 0.02


def test_sizes_follow_appendix_i(pdf: pymupdf.Document) -> None:
    nation = _span(pdf, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    motto = _span(pdf, "Độc lập - Tự do - Hạnh phúc")
    issuer = _span(pdf, "HỘI ĐỒNG NHÂN DÂN")
    number = _span(pdf, "Số: 01/BB-HĐND")
    place = _span(pdf, "Y Tý, ngày 10 tháng 7 năm 2026")
    title = _span(pdf, "BIÊN BẢN")
    recipients = _span(pdf, "Nơi nhận:")
    recipient = _span(pdf, "Lưu: VT, hồ sơ kỳ họp.")
    signer = _span(pdf, "Chu Sa Hừ")
    assert 12 <= nation["size"] <= 13 and _bold(nation) and nation["text"].isupper()
    assert 13 <= motto["size"] <= 14 and _bold(motto)
    assert 12 <= issuer["size"] <= 13 and _bold(issuer)
    assert number["size"] == pytest.approx(13, abs=0.05) and not _bold(number)
    assert 13 <= place["size"] <= 14 and _italic(place)
    assert 13 <= title["size"] <= 14 and _bold(title)
    assert recipients["size"] == pytest.approx(12, abs=0.05)
    assert _bold(recipients) and _italic(recipients)
    assert recipient["size"] == pytest.approx(11, abs=0.05)
    assert 13 <= signer["size"] <= 14 and _bold(signer)
    body_sizes = {round(s["size"], 1) for page in pdf for s in _spans(page)
                  if "Giàng Seo Phử" in s["text"]}
    assert body_sizes == {13.0}


def test_text_stays_inside_the_margins(pdf: pymupdf.Document) -> None:
    page_width, page_height = pdf[0].rect.width, pdf[0].rect.height
    for page in pdf:
        for span in _spans(page):
            x0, y0, x1, y1 = span["bbox"]
            if span["text"].strip().isdigit() and y1 < rules.MARGIN_TOP_MM * MM:
                continue  # the page number lives in the top margin
            assert x0 >= rules.MARGIN_LEFT_MM * MM - 1, span["text"]
            assert x1 <= page_width - rules.MARGIN_RIGHT_MM * MM + 1, span["text"]
            # a capital's top (cap height, 0.66 em in Times) above the baseline; the font's
            # ascent box reaches higher than any ink, so it is not what a ruler measures
            assert span["origin"][1] - 0.7 * span["size"] >= rules.MARGIN_TOP_MM * MM - 1, \
                span["text"]
            assert y1 <= page_height - rules.MARGIN_BOTTOM_MM * MM + 1, span["text"]


def test_page_number_top_centre_from_page_two_only(pdf: pymupdf.Document) -> None:
    top = rules.MARGIN_TOP_MM * MM

    def in_top_margin(page: pymupdf.Page) -> list[dict]:
        """Spans whose baseline lies in the top margin (accents of the first line's
        capitals may reach into it; a line of text may not)."""
        return [s for s in _spans(page) if s["origin"][1] < top]

    assert in_top_margin(pdf[0]) == []
    for page in list(pdf)[1:]:
        (number,) = in_top_margin(page)
        assert number["text"].strip() == str(page.number + 1)
        assert 13 <= number["size"] <= 14 and not _bold(number) and not _italic(number)
        centre = (number["bbox"][0] + number["bbox"][2]) / 2
        text_centre = (rules.MARGIN_LEFT_MM * MM + page.rect.width
                       - rules.MARGIN_RIGHT_MM * MM) / 2
        assert abs(centre - text_centre) < 2


def test_every_vietnamese_letter_survives_extraction(pdf: pymupdf.Document) -> None:
    text = "".join(page.get_text() for page in pdf)
    assert [c for c in VIETNAMESE if c not in text] == []
    assert "Chu Sa Hừ" in text and "Lý Thị Mỹ Duyên" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None,
                    reason="poppler-utils missing: run `make system-deps`")
def test_pdftoppm_draws_no_number_on_page_one_and_a_centred_one_on_page_two(
        pdf_bytes: bytes, tmp_path: Path) -> None:
    source = tmp_path / "bien-ban.pdf"
    source.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", "-f", "1", "-l", "2",
                    str(source), str(tmp_path / "page")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 2

    def ink(png: Path, rect: pymupdf.IRect) -> list[int]:
        """Columns (x) of dark pixels inside ``rect``."""
        pix = pymupdf.Pixmap(str(png))
        return [x for y in range(rect.y0, rect.y1) for x in range(rect.x0, rect.x1)
                if pix.pixel(x, y)[0] < 128]

    first, second = (pymupdf.Pixmap(str(p)) for p in pages)
    band = pymupdf.IRect(0, 0, first.width, int(rules.MARGIN_TOP_MM * MM) - 2)
    assert ink(pages[0], band) == []
    columns = ink(pages[1], band)
    assert columns, "no page number drawn on page 2"
    text_centre = (rules.MARGIN_LEFT_MM * MM + second.width - rules.MARGIN_RIGHT_MM * MM) / 2
    assert abs((min(columns) + max(columns)) / 2 - text_centre) < 4
    body = pymupdf.IRect(0, band.y1, first.width, first.height)
    assert len(ink(pages[0], body)) > 5000  # the page is not blank


@pytest.fixture(scope="module")
def word(two_pages: OfficialDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(two_pages.render_docx()))


def _run(word: docx.document.Document, text: str):  # a python-docx Run
    paragraphs = list(word.paragraphs)
    for table in word.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs += cell.paragraphs
    return next(r for p in paragraphs for r in p.runs if text in r.text)


def test_docx_has_the_same_face_sizes_margins_and_number(word: docx.document.Document) -> None:
    normal = word.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(rules.BODY_PT)
    for text, size, bold in (("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", rules.NATION_PT, True),
                             ("Độc lập - Tự do - Hạnh phúc", rules.MOTTO_PT, True),
                             ("HỘI ĐỒNG NHÂN DÂN", rules.ISSUER_PT, True),
                             ("Số: 01/BB-HĐND", rules.NUMBER_PT, False),
                             ("BIÊN BẢN", rules.TITLE_PT, True),
                             ("Nơi nhận:", rules.RECIPIENTS_HEADING_PT, True),
                             ("- Lưu: VT, hồ sơ kỳ họp.", rules.RECIPIENTS_PT, False),
                             ("Chu Sa Hừ", rules.SIGNATURE_PT, True)):
        run = _run(word, text)
        assert run.font.size == Pt(size), text
        assert bool(run.bold) is bold, text
    assert _run(word, "Y Tý, ngày 10 tháng 7 năm 2026").italic
    section = word.sections[0]
    assert round(section.top_margin.mm) == rules.MARGIN_TOP_MM
    assert round(section.bottom_margin.mm) == rules.MARGIN_BOTTOM_MM
    assert round(section.left_margin.mm) == rules.MARGIN_LEFT_MM
    assert round(section.right_margin.mm) == rules.MARGIN_RIGHT_MM


def test_docx_page_number_is_a_centred_header_field_hidden_on_page_one(
        word: docx.document.Document) -> None:
    section = word.sections[0]
    assert section.different_first_page_header_footer  # w:titlePg
    header = section.header.paragraphs[0]
    fields = header._p.findall(qn("w:fldSimple"))
    assert [f.get(qn("w:instr")) for f in fields] == ["PAGE"]
    assert header.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    size = fields[0].find(f"{qn('w:r')}/{qn('w:rPr')}/{qn('w:sz')}")
    assert int(size.get(qn("w:val"))) == rules.PAGE_NUMBER_PT * 2
    first = section.first_page_header
    assert "PAGE" not in first._element.xml and first.paragraphs[0].text == ""
    assert "PAGE" not in section.footer._element.xml


def test_layout_rules_name_their_source_and_docs_carry_the_same_table() -> None:
    for rule in rules.RULES:
        assert rule.source.startswith("Nghị định 30/2020/NĐ-CP"), rule.key
        assert rule.verified in rules.VERIFIED_VI
    page = (Path(__file__).resolve().parents[3] / "docs" / "documents.md").read_text()
    assert rules.markdown_table() in page, "docs/documents.md: paste rules.markdown_table()"


def _ink_above_baseline(page: pymupdf.Page, text: str, baseline: float, size: float,
                        x0: float, x1: float) -> float:
    """How far the word's ink rises above its baseline, in points."""
    clip = pymupdf.Rect(x0, baseline - 2 * size, x1, baseline)
    pix = page.get_pixmap(dpi=288, clip=clip)
    rows = [y for y in range(pix.height) for x in range(pix.width) if pix.pixel(x, y)[0] < 128]
    assert rows, text
    return (pix.height - min(rows)) / 4


def test_stacked_marks_of_capitals_are_not_cut_off(pdf: pymupdf.Document) -> None:
    """MuPDF clips a story to its rectangle: the grave over Ồ in "ĐỒNG" was lost once."""
    from shared.reports.fonts import font

    span = _span(pdf, "HỘI ĐỒNG NHÂN DÂN")
    x0, _y0, x1, _y1 = span["bbox"]
    drawn = _ink_above_baseline(pdf[0], span["text"], span["origin"][1], span["size"], x0, x1)
    reference = pymupdf.open()
    page = reference.new_page(width=x1 - x0 + 20, height=100)
    page.insert_font(fontname="F0", fontbuffer=font("bold").buffer)
    page.insert_text((10, 80), span["text"], fontname="F0", fontsize=span["size"])
    whole = _ink_above_baseline(page, span["text"], 80, span["size"], 0, page.rect.width)
    assert abs(drawn - whole) < 0.5, (drawn, whole)
