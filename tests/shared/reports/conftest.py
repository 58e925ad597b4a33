"""A minutes-like document used by the PDF and DOCX renderer tests."""

from __future__ import annotations

from datetime import date

import pytest

from shared.reports.document import (
    BarChart,
    BulletList,
    OfficialDocument,
    Section,
    Signature,
    Table,
    place_date_line,
)


@pytest.fixture(scope="package")
def minutes() -> OfficialDocument:
    return OfficialDocument(
        issuer_lines=("HỘI ĐỒNG NHÂN DÂN", "XÃ Y TÝ"),
        number="12/BB-HĐND",
        place_date=place_date_line("Y Tý", date(2026, 7, 10)),
        title="BIÊN BẢN",
        subtitle="Kỳ họp thường lệ giữa năm 2026",
        sections=[
            Section("Thời gian, địa điểm", ["Kỳ họp khai mạc hồi 7 giờ 30 phút ngày 09 tháng 7 "
                                            "năm 2026 tại Hội trường UBND xã Y Tý."]),
            Section("Thành phần", [
                BulletList(["Đại biểu có mặt: 25/27;", "Vắng có lý do: 2."]),
                Table(("TT", "Nội dung", "Số đại biểu"),
                      [["1", "Có mặt", "25"], ["2", "Vắng có lý do", "2"]],
                      caption="Bảng điểm danh", numeric_columns=(2,))],
                    subsections=[Section("Khách mời", ["Lãnh đạo UBND xã Y Tý."])]),
            Section("Kết quả biểu quyết", [
                BarChart("Tỷ lệ tán thành (%)", ["Điều chỉnh dự toán", "Đầu tư công trung hạn"],
                         [96.0, 88.0], threshold=50, threshold_label="Quá nửa tổng số",
                         unit="%")]),
        ],
        signature_blocks=(Signature("THƯ KÝ KỲ HỌP", "Lý Thị Mỹ Duyên"),
                          Signature("CHỦ TỌA", "Chu Sa Hừ")),
        recipients=("Thường trực HĐND xã;", "Lưu: VT."),
        issued_on=date(2026, 7, 10),
    )
