from __future__ import annotations

import io

import docx
import pytest

from shared.reports.document import OfficialDocument
from shared.reports.official_docx import render_docx


@pytest.fixture(scope="module")
def document(minutes: OfficialDocument) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(minutes)))


def _all_text(document: docx.document.Document) -> list[str]:
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                texts += [p.text for p in cell.paragraphs]
    return texts


def test_docx_has_the_same_texts_as_the_pdf(document: docx.document.Document) -> None:
    text = "\n".join(_all_text(document))
    for expected in ("HỘI ĐỒNG NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 12/BB-HĐND",
                     "Y Tý, ngày 10 tháng 7 năm 2026", "BIÊN BẢN", "I. Thời gian, địa điểm",
                     "1. Khách mời", "III. Kết quả biểu quyết", "- Đại biểu có mặt: 25/27;",
                     "Vắng có lý do", "Lý Thị Mỹ Duyên", "Chu Sa Hừ", "Nơi nhận:"):
        assert expected in text, expected


def test_national_header_is_a_borderless_two_column_table(
        document: docx.document.Document) -> None:
    header = document.tables[0]
    assert len(header.columns) == 2
    assert header.style is None or "Grid" not in header.style.name
    assert "CỘNG HÒA" in header.cell(0, 1).text
    assert "XÃ Y TÝ" in header.cell(0, 0).text


def test_headings_use_word_heading_styles_in_times(document: docx.document.Document) -> None:
    headings = [(p.style.name, p.text) for p in document.paragraphs
                if p.style.name.startswith("Heading")]
    assert ("Heading 2", "1. Khách mời") in headings
    assert document.styles["Normal"].font.name == "Times New Roman"


def test_chart_becomes_a_picture_and_metadata_is_set(document: docx.document.Document) -> None:
    assert len(document.inline_shapes) == 1
    assert document.core_properties.title == "BIÊN BẢN Kỳ họp thường lệ giữa năm 2026"
    assert document.core_properties.created.year == 2026


def test_control_characters_typed_by_people_do_not_break_the_docx() -> None:
    import io

    import docx

    from shared.reports.document import OfficialDocument, Section

    text = "Kiến nghị\x0b của cử tri\x07 thôn Lao Chải"
    document = OfficialDocument(issuer_lines=("HĐND XÃ Y TÝ",), number="", place_date="",
                                title="BÁO CÁO", sections=(Section("Nội dung", body=(text,)),))
    opened = docx.Document(io.BytesIO(document.render_docx()))
    assert "Kiến nghị của cử tri thôn Lao Chải" in "\n".join(p.text for p in opened.paragraphs)
