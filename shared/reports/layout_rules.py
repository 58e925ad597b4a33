"""The layout rules of an official document, each with its legal source and how it was read.

Nghị định 30/2020/NĐ-CP (công tác văn thư), Phụ lục I, Phần I sets the paper, margins, font,
sizes and page numbers of administrative documents (văn bản hành chính: biên bản, báo cáo,
thông báo, nghị quyết cá biệt...). The PDF and DOCX renderers take every size and margin
from here, so both follow one table and ``docs/documents.md`` can list it (a test keeps
that page equal to this table).

How each rule was read (``Verified``):
- ``APPENDIX_TEXT``: the wording of Phụ lục I as reproduced in full from the decree
  ("Phụ lục I ... kèm theo Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020"), read on
  2026-12-05; not compared with the printed Công báo.
- ``SECONDARY``: several public summaries of Phụ lục I agree (they quote it as a table);
  the appendix's own sentence was not read.
- ``DECREE_TEXT``: the decree's article read in a full reproduction of the decree's text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verified(StrEnum):
    APPENDIX_TEXT = "appendix_text"
    DECREE_TEXT = "decree_text"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"


VERIFIED_VI = {
    Verified.APPENDIX_TEXT: "đã đọc nguyên văn Phụ lục I (bản sao công khai, chưa đối chiếu "
                            "Công báo)",
    Verified.DECREE_TEXT: "đã đọc nguyên văn Nghị định (bản sao toàn văn công khai, chưa đối "
                          "chiếu Công báo)",
    Verified.SECONDARY: "nguồn thứ cấp (các bản tóm tắt thống nhất)",
    Verified.UNVERIFIED: "chưa đối chiếu",
}

DECREE = "Nghị định 30/2020/NĐ-CP"


@dataclass(frozen=True)
class LayoutRule:
    """One rule: what the law allows, what we chose, and where the law says it."""

    key: str
    allowed: str  # the range the decree gives, in its words
    chosen: str  # what the renderers use
    source: str  # "Nghị định 30/2020/NĐ-CP, Phụ lục I, Phần I, mục I.3"
    verified: Verified


MM = 72 / 25.4  # points per millimetre

# The values the renderers use (points unless named _MM).
MARGIN_TOP_MM = 20.0
MARGIN_BOTTOM_MM = 20.0
MARGIN_LEFT_MM = 30.0
MARGIN_RIGHT_MM = 15.0
BODY_PT = 13.0
NATION_PT = 12.5  # Quốc hiệu; Word takes half points, so 12.5 is exact in the DOCX too
MOTTO_PT = 13.0  # Tiêu ngữ
ISSUER_PT = 12.5  # tên cơ quan ban hành (and the superior body above it)
NUMBER_PT = 13.0  # "Số: 01/BB-HĐND"
PLACE_DATE_PT = 13.0
TITLE_PT = 14.0  # tên loại văn bản
SUBTITLE_PT = 13.0  # trích yếu
SIGNATURE_PT = 13.0
RECIPIENTS_HEADING_PT = 12.0  # "Nơi nhận:"
RECIPIENTS_PT = 11.0
PAGE_NUMBER_PT = 13.0
TABLE_PT = 11.0  # tables inside the body: the decree sets no size; chosen to fit A4
PARAGRAPH_AFTER_PT = 6.0
LINE_SPACING = 1.15  # multiple of single spacing
FIRST_LINE_INDENT_CM = 1.0

_I = f"{DECREE}, Phụ lục I, Phần I"

RULES: tuple[LayoutRule, ...] = (
    LayoutRule("paper", "Khổ A4 (210 mm x 297 mm), theo chiều dài", "A4 dọc",
               f"{_I}, mục I.1–2", Verified.APPENDIX_TEXT),
    LayoutRule("margins", "Trên, dưới 20–25 mm; trái 30–35 mm; phải 15–20 mm",
               f"Trên {MARGIN_TOP_MM:g}, dưới {MARGIN_BOTTOM_MM:g}, trái {MARGIN_LEFT_MM:g}, "
               f"phải {MARGIN_RIGHT_MM:g} mm", f"{_I}, mục I.3", Verified.APPENDIX_TEXT),
    LayoutRule("font", "Times New Roman, Unicode TCVN 6909:2001, màu đen",
               "DOCX: Times New Roman; PDF: TeX Gyre Termes (cùng số đo với Times, đủ chữ "
               "tiếng Việt), nhúng vào tệp", f"{_I}, mục I.4", Verified.APPENDIX_TEXT),
    LayoutRule("page_number", "Từ số 1, chữ số Ả Rập, cỡ 13–14, đứng, canh giữa trong lề "
               "trên, không hiển thị số trang thứ nhất",
               f"Cỡ {PAGE_NUMBER_PT:g}, giữa lề trên, từ trang 2", f"{_I}, mục I.7",
               Verified.APPENDIX_TEXT),
    LayoutRule("nation", "Quốc hiệu: in hoa, cỡ 12–13, đứng, đậm", f"Cỡ {NATION_PT:g}",
               f"{_I}, mục II.1.a", Verified.APPENDIX_TEXT),
    LayoutRule("motto", "Tiêu ngữ: in thường, cỡ 13–14, đứng, đậm, gạch dưới dài bằng dòng chữ",
               f"Cỡ {MOTTO_PT:g}", f"{_I}, mục II.1.b", Verified.APPENDIX_TEXT),
    LayoutRule("issuer", "Tên cơ quan ban hành: in hoa, cỡ 12–13, đứng, đậm; gạch dưới 1/3–1/2 "
               "dòng chữ", f"Cỡ {ISSUER_PT:g}", f"{_I}, mục II.2", Verified.SECONDARY),
    LayoutRule("number", "Số, ký hiệu: in thường, cỡ 13, đứng; số dưới 10 thêm số 0 phía trước",
               f"Cỡ {NUMBER_PT:g}; «Số: 01/BB-HĐND»", f"{_I}, mục II.3", Verified.SECONDARY),
    LayoutRule("place_date", "Địa danh và thời gian: in thường, cỡ 13–14, nghiêng",
               f"Cỡ {PLACE_DATE_PT:g}, nghiêng", f"{_I}, mục II.4", Verified.SECONDARY),
    LayoutRule("title", "Tên loại: in hoa, cỡ 13–14, đứng, đậm; trích yếu: in thường, cỡ 13–14, "
               "đứng, đậm", f"Tên loại cỡ {TITLE_PT:g}, trích yếu cỡ {SUBTITLE_PT:g}",
               f"{_I}, mục II.5", Verified.SECONDARY),
    LayoutRule("body", "Nội dung: in thường, cỡ 13–14, canh đều, lùi đầu dòng 1–1,27 cm, cách "
               "đoạn tối thiểu 6 pt, cách dòng từ đơn đến 1,5",
               f"Cỡ {BODY_PT:g}, lùi {FIRST_LINE_INDENT_CM:g} cm, cách đoạn "
               f"{PARAGRAPH_AFTER_PT:g} pt, dòng {LINE_SPACING:g}", f"{_I}, mục II.6",
               Verified.SECONDARY),
    LayoutRule("signature", "Quyền hạn, chức vụ người ký: in hoa, cỡ 13–14, đứng, đậm; họ tên: "
               "in thường, cỡ 13–14, đứng, đậm", f"Cỡ {SIGNATURE_PT:g}", f"{_I}, mục II.7",
               Verified.SECONDARY),
    LayoutRule("recipients", "«Nơi nhận:» cỡ 12, nghiêng, đậm; danh sách cỡ 11, đứng; dòng cuối "
               "«Lưu: VT, ...»", f"Cỡ {RECIPIENTS_HEADING_PT:g} / {RECIPIENTS_PT:g}",
               f"{_I}, mục II.9", Verified.SECONDARY),
    LayoutRule("numbering", "Số văn bản theo thứ tự trong năm, bắt đầu từ số 01 ngày 01/01, kết "
               "thúc ngày 31/12; số và ký hiệu là duy nhất trong một năm",
               "Sổ đăng ký văn bản theo năm và theo loại (ký hiệu)", f"{DECREE}, Điều 15 khoản 1",
               Verified.DECREE_TEXT),
    LayoutRule("register", "Văn bản đi được đăng ký vào Sổ đăng ký văn bản đi (bằng sổ hoặc Hệ "
               "thống, in ra đóng sổ)", "Trang «Sổ văn bản» của bảng điều khiển, có nhật ký",
               f"{DECREE}, Điều 16 khoản 2", Verified.DECREE_TEXT),
)


def rule(key: str) -> LayoutRule:
    return next(r for r in RULES if r.key == key)


def markdown_table() -> str:
    """The rules as the Markdown table ``docs/documents.md`` carries."""
    lines = ["| Quy tắc | Nghị định cho phép | Hệ thống dùng | Nguồn | Đã đối chiếu |",
             "|---|---|---|---|---|"]
    lines += [f"| {r.key} | {r.allowed} | {r.chosen} | {r.source} | {VERIFIED_VI[r.verified]} |"
              for r in RULES]
    return "\n".join(lines)
