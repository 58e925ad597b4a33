"""The legal texts the rules come from, and where (and how) each was read.

A source is cited by ``short`` on screens ("Luật Tổ chức chính quyền địa phương 2025")
and in full in docs/rules.md. ``read_from`` says what copy the project actually read, so
the next person can check the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["official_text", "secondary_source", "unverified"]

STATUS_VI: dict[str, str] = {
    "official_text": "đã đối chiếu nguyên văn",
    "secondary_source": "theo nguồn thứ cấp, chưa đối chiếu nguyên văn",
    "unverified": "chưa kiểm chứng",
}
STATUS_EN: dict[str, str] = {
    "official_text": "checked against the official text",
    "secondary_source": "from a secondary source, not checked against the text",
    "unverified": "unverified",
}


@dataclass(frozen=True)
class Source:
    key: str
    short: str  # what a screen prints before the article
    title: str
    read_from: str  # the copy the project read (address, or "not read")


LUAT_72_2025 = Source(
    key="luat_72_2025",
    short="Luật Tổ chức chính quyền địa phương 2025",
    title=(
        "Luật Tổ chức chính quyền địa phương số 72/2025/QH15, Quốc hội thông qua ngày "
        "16/6/2025, có hiệu lực từ ngày thông qua. Điều 51 khoản 2: Luật số 65/2025/QH15 hết "
        "hiệu lực kể từ ngày Luật này có hiệu lực (Luật 72 thay thế Luật 65, không chỉ sửa "
        "đổi); Điều 51 khoản 3: cấp huyện kết thúc hoạt động từ ngày 01/7/2025."
    ),
    read_from=(
        "Toàn văn đăng trên Cổng thông tin điện tử Chính phủ, "
        "https://xaydungchinhsach.chinhphu.vn/toan-van-luat-so-72-2025-qh15-to-chuc-chinh-quyen-"
        "dia-phuong-119250618161434371.htm, đọc qua bản sao nguyên văn trong kho công khai "
        "NgoTuong12345/Retail-Stores-Data-Mining, tệp docs/legal/administrative-reform/"
        "luat72_2025_to_chuc_chinh_quyen_dia_phuong.md (lấy ngày 06/7/2026), tháng 12/2026."
    ),
)

NQ_96_2023 = Source(
    key="nq_96_2023",
    short="Nghị quyết 96/2023/QH15",
    title=(
        "Nghị quyết số 96/2023/QH15 ngày 23/6/2023 của Quốc hội về việc lấy phiếu tín nhiệm, "
        "bỏ phiếu tín nhiệm đối với người giữ chức vụ do Quốc hội, Hội đồng nhân dân bầu hoặc "
        "phê chuẩn (hiệu lực từ 01/7/2023, Điều 22)."
    ),
    read_from=(
        "Điều 1, 2, 3, 20, 21, 22 và tên Điều 13, Điều 18: Bộ pháp điển, đề mục 'Hoạt động giám "
        "sát của Quốc hội và Hội đồng nhân dân', bản sao trong kho công khai "
        "diepxuan/diepxuan.github.io, tệp van-ban/to-chuc-bo-may-nha-nuoc/"
        "hoat-dong-giam-sat-cua-quoc-hoi-va-hoi-dong-nhan-dan.md. Các điều 4–19 (trừ tên Điều "
        "13, 18) chưa đọc được nguyên văn; nội dung lấy từ bài của Cổng TTĐT Chính phủ "
        "(xaydungchinhsach.chinhphu.vn, 03/7/2023, 'Trường hợp nào người được lấy phiếu tín "
        "nhiệm có thể xin từ chức, bị miễn nhiệm?'), LuatVietnam và Báo Dân Việt (26/10/2023)."
    ),
)

HD_883 = Source(
    key="hd_883",
    short="Hướng dẫn 883/HD-UBTVQH14",
    title=(
        "Hướng dẫn số 883/HD-UBTVQH14 của Ủy ban Thường vụ Quốc hội về kỳ họp thứ nhất Hội "
        "đồng nhân dân các cấp (bầu các chức danh, Ban kiểm phiếu)."
    ),
    read_from="Chưa đọc được nguyên văn; theo bản tóm tắt trong hồ sơ nghiệp vụ của dự án.",
)

NQ_104_2025 = Source(
    key="nq_104_2025",
    short="Nghị quyết 104/2025/UBTVQH15",
    title=(
        "Nghị quyết số 104/2025/UBTVQH15 ngày 26/9/2025 ban hành Quy chế làm việc mẫu của Hội "
        "đồng nhân dân xã, phường, đặc khu (căn cứ Luật 72/2025/QH15)."
    ),
    read_from=(
        "Chỉ đọc được phần đầu (thuviennhadat.vn/vbpl/nghi-quyet-104-2025-ubtvqh15-…-677188"
        ".html; tintuc.thuvienphapluat.com, 18/10/2025); các điều về điều kiện họp, gửi tài "
        "liệu chưa đọc được."
    ),
)

KH_DE_AN_06 = Source(
    key="kh_de_an_06",
    short="Kế hoạch thực hiện Đề án 06 (Y Tý)",
    title=(
        "Kế hoạch của Đảng ủy xã Y Tý thực hiện Đề án 06 về nâng cao chất lượng, hiệu quả "
        "hoạt động của Hội đồng nhân dân các cấp tỉnh Lào Cai; một văn bản của cấp ủy, không "
        "phải văn bản quy phạm pháp luật."
    ),
    read_from="Nguyên văn trong hồ sơ nghiệp vụ của dự án (shared/domain/ke-hoach-de-an-06-y-ty.md).",
)

PROJECT = Source(
    key="project",
    short="Quy tắc của hệ thống",
    title="Quy tắc do dự án đặt ra để áp dụng luật an toàn; không phải quy định pháp luật.",
    read_from="—",
)

SOURCES: tuple[Source, ...] = (LUAT_72_2025, NQ_96_2023, HD_883, NQ_104_2025, KH_DE_AN_06, PROJECT)
