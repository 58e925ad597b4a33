from __future__ import annotations

import pymupdf
import pytest

from shared.reports.document import BarChart, InvalidReportContent, OfficialDocument, Table
from shared.reports.official_pdf import render_pdf

BASE14 = {"Helvetica", "Times-Roman", "Courier", "Symbol", "ZapfDingbats", "Helv", "TiRo"}


@pytest.fixture(scope="module")
def pdf(minutes: OfficialDocument) -> pymupdf.Document:
    return pymupdf.open("pdf", render_pdf(minutes))


def test_text_has_header_title_headings_and_signatures(pdf: pymupdf.Document) -> None:
    text = " ".join(page.get_text() for page in pdf)
    for expected in ("HỘI ĐỒNG NHÂN DÂN", "XÃ Y TÝ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Độc lập - Tự do - Hạnh phúc", "Số: 12/BB-HĐND",
                     "Y Tý, ngày 10 tháng 7 năm 2026", "BIÊN BẢN",
                     "Kỳ họp thường lệ giữa năm 2026", "I. Thời gian, địa điểm",
                     "II. Thành phần", "1. Khách mời", "III. Kết quả biểu quyết",
                     "THƯ KÝ KỲ HỌP", "Lý Thị Mỹ Duyên", "CHỦ TỌA", "Chu Sa Hừ", "Nơi nhận:",
                     "Tỷ lệ tán thành (%)", "Điều chỉnh dự toán", "96%"):
        assert expected in text, expected


def test_outline_lists_the_numbered_headings(pdf: pymupdf.Document) -> None:
    assert [(level, title) for level, title, _ in pdf.get_toc()] == [
        (1, "I. Thời gian, địa điểm"), (1, "II. Thành phần"), (2, "1. Khách mời"),
        (1, "III. Kết quả biểu quyết")]


def test_bar_chart_is_drawn_as_vectors(pdf: pymupdf.Document) -> None:
    blue_bars = [d for page in pdf for d in page.get_drawings()
                 if d.get("fill") and abs(d["fill"][2] - 0.64) < 0.01]
    assert len(blue_bars) == 2
    assert blue_bars[0]["rect"].width > blue_bars[1]["rect"].width  # 96% is longer than 88%
    red_lines = [d for page in pdf for d in page.get_drawings()
                 if d.get("color") and d["color"][0] > 0.7 and d["color"][1] < 0.2]
    assert red_lines, "the threshold line is missing"


def test_fonts_are_embedded_times_metric_not_base14(pdf: pymupdf.Document) -> None:
    for page in pdf:
        for _xref, ext, _type, basefont, _name, _enc in page.get_fonts():
            assert ext != "n/a", basefont
            assert basefont.split("+")[-1] not in BASE14
            assert "TeXGyreTermes" in basefont.replace(" ", ""), basefont


def test_header_columns_sit_side_by_side(pdf: pymupdf.Document) -> None:
    page = pdf[0]
    issuer = page.search_for("HỘI ĐỒNG NHÂN DÂN")[0]
    nation = page.search_for("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")[0]
    assert abs(issuer.y0 - nation.y0) < 2
    assert issuer.x1 < nation.x0
    title = page.search_for("BIÊN BẢN")[0]
    left, right = 30 * 72 / 25.4, 15 * 72 / 25.4  # the margins of Phụ lục I, mục I.3
    assert abs((title.x0 + title.x1) / 2 - (page.rect.width + left - right) / 2) < 10


def test_metadata_and_bytes_are_reproducible(minutes: OfficialDocument,
                                             pdf: pymupdf.Document) -> None:
    assert pdf.metadata["title"] == "BIÊN BẢN Kỳ họp thường lệ giữa năm 2026"
    assert pdf.metadata["author"] == "HỘI ĐỒNG NHÂN DÂN XÃ Y TÝ"
    assert pdf.metadata["creationDate"].startswith("D:20260710")
    assert render_pdf(minutes) == render_pdf(minutes)


def test_long_tables_flow_over_pages_with_outline_per_page(minutes: OfficialDocument) -> None:
    rows = [[str(i), f"Hộ gia đình thôn Mù Khum số {i}", str(i % 7 + 2)] for i in range(300)]
    long = OfficialDocument(issuer_lines=minutes.issuer_lines, number="1/BC-HĐND",
                            place_date=minutes.place_date, title="BÁO CÁO",
                            sections=[*minutes.sections[:1],
                                      type(minutes.sections[0])("Danh sách", [
                                          Table(("TT", "Hộ", "Số khẩu"), rows)])])
    doc = pymupdf.open("pdf", render_pdf(long))
    assert doc.page_count >= 6
    text = " ".join(page.get_text() for page in doc)
    assert "Hộ gia đình thôn Mù Khum số 299" in text
    top = pymupdf.Rect(0, 0, doc[-1].rect.width, 20 * 72 / 25.4)
    assert doc[-1].get_text(clip=top).strip() == str(doc.page_count)


def test_mismatched_chart_is_refused() -> None:
    with pytest.raises(InvalidReportContent) as error:
        BarChart("Biểu đồ", ["a", "b"], [1.0])
    assert error.value.code == "invalid_report_content"
    assert "nhãn" in error.value.message_vi
