"""The half-year and annual reviews: PDF text read back with MuPDF, DOCX with python-docx."""

from __future__ import annotations

import io

import docx
import pymupdf

from server.demo.calendar import DemoCalendar
from shared import clock

YEAR = DemoCalendar.for_today(clock.today()).year  # the demo's follow-up year (seed_demo)


def _indicators(api) -> dict[str, dict]:
    report = api.request("clerk", "GET", "/api/followup/indicators", params={"year": YEAR})
    return {i["key"]: i for i in report.json()["indicators"]}


def test_annual_review_pdf_has_the_figures_and_vietnamese_letters(api):
    response = api.request("clerk", "GET", f"/api/followup/reports/{YEAR}/annual.pdf")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert f"tong-ket-nam-{YEAR}.pdf" in response.headers["content-disposition"]
    with pymupdf.open(stream=response.content, filetype="pdf") as pdf:
        text = " ".join(page.get_text() for page in pdf)
        assert pdf.metadata["subject"] == f"Tổng kết năm {YEAR}"
    text = " ".join(text.split())
    assert "BÁO CÁO" in text and f"Tổng kết năm {YEAR}" in text
    assert "Kết quả thực hiện các chỉ tiêu của Đề án" in text
    figures = _indicators(api)
    petitions = figures["petitions_forwarded"]
    # the demo year: 36 of 40 petitions forwarded (unless another suite added some)
    assert f"{petitions['numerator']}/{petitions['denominator']}" in text
    assert petitions["denominator"] >= 40
    hearings = figures["questioning_hearings"]
    assert "Phiên chất vấn, giải trình tại phiên họp Thường trực HĐND" in text
    assert f"{int(hearings['value'])} ≥ 4" in text
    # charts: the 100% chart's target line and the digital-supervision one
    assert "Chỉ tiêu 100%" in text and "Chỉ tiêu trên 20%" in text
    # tables per kind and per body, and the overdue list
    assert "Kiến nghị cử tri" in text and "Tổng cộng" in text
    assert "Ban Pháp chế" in text and "Qua môi trường số" in text
    assert "Các việc quá hạn" in text and "Số ngày quá hạn" in text
    # every target of the plan, (1) to (7); the delegates' table
    assert "Kỳ họp, phiên họp tổ chức đúng luật định" in text
    assert "Chỉ tiêu Nghị quyết Đại hội Đảng bộ xã được cụ thể hóa" in text
    assert "Hoạt động của đại biểu Hội đồng nhân dân" in text
    assert "Phu Lỳ Chờ" in text and "Chất vấn" in text


def test_half_year_review_docx_opens_and_is_cut_off_at_14_june(api):
    response = api.request("clerk", "GET", f"/api/followup/reports/{YEAR}/half.docx")
    assert response.status_code == 200, response.text
    document = docx.Document(io.BytesIO(response.content))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert f"Sơ kết 6 tháng đầu năm {YEAR}" in paragraphs
    assert f"tính đến ngày 14/06/{YEAR}" in paragraphs
    assert f"ngày 14 tháng 6 năm {YEAR}" in paragraphs + cells
    assert "Giám sát thường xuyên qua môi trường số: trên 20%" in cells
    assert "Nhiệm vụ theo nghị quyết" in cells
    assert document.inline_shapes, "the charts are pictures in the DOCX"
    assert "Đại biểu được tham gia bồi dưỡng" in cells
    assert "Hoạt động của đại biểu" not in paragraphs  # the table is the annual review's


def test_reports_are_for_clerks_and_refuse_unknown_periods(api):
    assert api.request("delegate01", "GET",
                       f"/api/followup/reports/{YEAR}/annual.pdf").status_code == 403
    assert api.request(None, "GET", f"/api/followup/reports/{YEAR}/annual.pdf").status_code == 401
    assert api.request("clerk", "GET",
                       f"/api/followup/reports/{YEAR}/quarter.pdf").status_code == 422
    assert api.request("clerk", "GET",
                       f"/api/followup/reports/{YEAR}/half.odt").status_code == 422


def test_overdue_complaints_are_listed_by_number_never_by_title(api):
    created = api.request("clerk", "POST", "/api/followup/complaints", json={
        "complaint_type": "denunciation", "title": "Tố cáo ông Giàng A Bí nhận tiền",
        "received_on": f"{YEAR}-03-02", "sender": {"full_name": "Lù Seo Tố"}}).json()
    response = api.request("clerk", "GET", f"/api/followup/reports/{YEAR}/half.pdf")
    with pymupdf.open(stream=response.content, filetype="pdf") as pdf:
        text = " ".join(" ".join(page.get_text() for page in pdf).split())
    assert f"Đơn tố cáo số {created['id']}" in text
    assert "Giàng A Bí" not in text and "Lù Seo Tố" not in text
