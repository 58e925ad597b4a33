"""Vietnamese content of the demo: the HĐND of Y Tý commune (Lào Cai), term 2026–2031.

People, delegate groups, committees, and the agenda of the mid-year regular session with
the wording of every document. The matters are the commune's own: landslides on the
roads, drinking water, schools, electricity, community tourism and the rice terraces.
All names are invented; any likeness to real people is chance.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from shared.demo.pdfs import DemoBody, DemoDocument
from shared.reports.document import (
    BarChart,
    BulletList,
    Paragraph,
    Section,
    Signature,
    Table,
    format_vn_number,
)

COUNCIL_NAME = "Hội đồng nhân dân xã Y Tý"
TERM = (2026, 2031)
SESSION_TITLE = "Kỳ họp thường lệ giữa năm 2026"
SESSION_START = date(2026, 7, 9)
SESSION_END = date(2026, 7, 10)
SESSION_PLACE = "Hội trường Ủy ban nhân dân xã Y Tý"

VILLAGES = ("Lao Chải", "Ngải Thầu", "Phìn Hồ", "Mò Phú Chải", "Hồng Ngài", "Mù Khum",
            "Ngải Trồ", "Trung Chải")

HDND = ("HỘI ĐỒNG NHÂN DÂN", "XÃ Y TÝ")
UBND = ("ỦY BAN NHÂN DÂN", "XÃ Y TÝ")
HDND_PARENT = ("HĐND XÃ Y TÝ",)

COMMITTEE_ECONOMY = "Ban Kinh tế - Xã hội"
COMMITTEE_LAW = "Ban Pháp chế"
STANDING_COMMITTEE = "Thường trực HĐND"


COMMITTEES = (COMMITTEE_ECONOMY, COMMITTEE_LAW)

# Delegate group name -> the villages whose voters it meets.
DELEGATE_GROUP_VILLAGES: dict[str, tuple[str, ...]] = {
    "Tổ đại biểu số 1 (Lao Chải, Ngải Thầu)": ("Lao Chải", "Ngải Thầu"),
    "Tổ đại biểu số 2 (Phìn Hồ, Mò Phú Chải)": ("Phìn Hồ", "Mò Phú Chải"),
    "Tổ đại biểu số 3 (Hồng Ngài, Mù Khum)": ("Hồng Ngài", "Mù Khum"),
    "Tổ đại biểu số 4 (Ngải Trồ, Trung Chải)": ("Ngải Trồ", "Trung Chải"),
}
DELEGATE_GROUPS = tuple(DELEGATE_GROUP_VILLAGES)
CLERK_NAME = "Hầu Thị Ngọc Ánh"
OBSERVER_NAME = "Sùng Thị Mỷ"  # Phó Chủ tịch Ủy ban MTTQ Việt Nam xã, follows sessions


@dataclass(frozen=True)
class DemoPerson:
    """One person of the demo and the account the seed gives them.

    ``account_role`` is an ``AccountRole`` value; ``session_role`` a ``SessionOfficerRole``
    value for the demo session; roles in bodies are ``MembershipRole`` values.
    """

    username: str
    full_name: str
    position: str
    account_role: str  # delegate | official | clerk | admin
    is_delegate: bool
    village: str = ""
    delegate_group: str = ""
    group_role: str = ""  # chair (Tổ trưởng) | member
    committees: tuple[tuple[str, str], ...] = ()  # (committee name, role)
    standing_committee_role: str = ""  # chair | vice_chair | member
    session_role: str = ""  # chair | secretary | invited_official

    @property
    def plenary_role(self) -> str:
        """The role in the council itself: its chair and vice-chair lead the plenary."""
        if self.standing_committee_role in ("chair", "vice_chair"):
            return self.standing_committee_role
        return "member"

    @property
    def bodies(self) -> list[tuple[str, str]]:
        """(body key, role) besides the plenary; "standing" is the Standing Committee."""
        result = []
        if self.standing_committee_role:
            result.append(("standing", self.standing_committee_role))
        result += list(self.committees)
        if self.delegate_group:
            result.append((self.delegate_group, self.group_role or "member"))
        return result


# (username, name, position, village, group role, committees, standing committee role)
_DELEGATES: tuple[tuple[str, str, str, str, str, tuple[tuple[str, str], ...], str], ...] = (
    ("chair", "Chu Sa Hừ", "Phó Bí thư Đảng ủy, Chủ tịch HĐND xã", "Lao Chải", "member",
     (), "chair"),
    ("secretary", "Lý Thị Mỹ Duyên", "Chánh Văn phòng HĐND và UBND xã", "Trung Chải",
     "member", ((COMMITTEE_LAW, "member"),), ""),
    ("delegate01", "Phu Lỳ Chờ", "Phó Chủ tịch HĐND xã", "Phìn Hồ", "member", (),
     "vice_chair"),
    ("delegate02", "Sần Chà Xá", "Trưởng Ban Kinh tế - Xã hội HĐND xã", "Ngải Thầu", "chair",
     ((COMMITTEE_ECONOMY, "chair"),), "member"),
    ("delegate03", "Nguyễn Hữu Thắng", "Trưởng Ban Pháp chế HĐND xã", "Mò Phú Chải", "chair",
     ((COMMITTEE_LAW, "chair"),), "member"),
    ("delegate04", "Ly Xá Pu", "Phó Trưởng Ban Kinh tế - Xã hội HĐND xã", "Hồng Ngài",
     "chair", ((COMMITTEE_ECONOMY, "vice_chair"),), ""),
    ("delegate05", "Giàng Thị Dợ", "Phó Trưởng Ban Pháp chế HĐND xã", "Ngải Trồ", "chair",
     ((COMMITTEE_LAW, "vice_chair"),), ""),
    ("delegate06", "Lý Gạ Sủ", "Bí thư Chi bộ, Trưởng thôn Lao Chải", "Lao Chải", "member",
     ((COMMITTEE_ECONOMY, "member"),), ""),
    ("delegate07", "Pờ Gò Dế", "Trưởng thôn Ngải Thầu", "Ngải Thầu", "member", (), ""),
    ("delegate08", "Vũ Thị Mỹ Hạnh", "Hiệu trưởng Trường PTDTBT Tiểu học Y Tý", "Lao Chải",
     "member", ((COMMITTEE_ECONOMY, "member"),), ""),
    ("delegate09", "Sùng Seo Lử", "Trưởng thôn Mò Phú Chải", "Mò Phú Chải", "member",
     ((COMMITTEE_LAW, "member"),), ""),
    ("delegate10", "Hầu Xá Chừ", "Chủ tịch Hội Nông dân xã", "Phìn Hồ", "member",
     ((COMMITTEE_ECONOMY, "member"),), ""),
    ("delegate11", "Lù Thị Cở", "Chủ tịch Hội Liên hiệp Phụ nữ xã", "Phìn Hồ", "member",
     ((COMMITTEE_LAW, "member"),), ""),
    ("delegate12", "Trần Đức Lưỡng", "Trưởng Công an xã", "Mò Phú Chải", "member",
     ((COMMITTEE_LAW, "member"),), ""),
    ("delegate13", "Chu Lao Tư", "Trưởng thôn Hồng Ngài", "Hồng Ngài", "member", (), ""),
    ("delegate14", "Thào A Páo", "Chỉ huy trưởng Ban Chỉ huy Quân sự xã", "Mù Khum",
     "member", (), ""),
    ("delegate15", "Phu Thị Chừ", "Trạm trưởng Trạm Y tế xã", "Mù Khum", "member",
     ((COMMITTEE_ECONOMY, "member"),), ""),
    ("delegate16", "Lê Thị Hồng Nhung", "Hiệu trưởng Trường PTDTBT THCS Y Tý", "Hồng Ngài",
     "member", (), ""),
    ("delegate17", "Sần Cố Xá", "Chủ nhiệm Hợp tác xã Du lịch cộng đồng Lao Chải",
     "Lao Chải", "member", (), ""),
    ("delegate18", "Má Seo Chúng", "Trưởng thôn Ngải Trồ", "Ngải Trồ", "member", (), ""),
    ("delegate19", "Lồ Thị Gia", "Bí thư Đoàn Thanh niên xã", "Trung Chải", "member",
     ((COMMITTEE_LAW, "member"),), ""),
    ("delegate20", "Pờ Chừ Lừ", "Trưởng thôn Trung Chải", "Trung Chải", "member", (), ""),
    ("delegate21", "Đặng Văn Tuấn", "Công chức Địa chính - Nông nghiệp - Xây dựng và "
     "Môi trường xã", "Ngải Thầu", "member", (), ""),
    ("delegate22", "Ly Mé Xá", "Giáo viên Trường Mầm non Y Tý", "Phìn Hồ", "member", (), ""),
    ("delegate23", "Vàng Thị Sinh", "Chủ tịch Ủy ban MTTQ Việt Nam xã", "Ngải Trồ", "member",
     (), ""),
    ("delegate24", "Lý Sừ Chừ", "Chủ tịch Hội Cựu chiến binh xã", "Hồng Ngài", "member",
     ((COMMITTEE_ECONOMY, "member"),), ""),
    ("delegate25", "Hoàng Thị Thủy", "Công chức Văn hóa - Xã hội xã", "Mù Khum", "member",
     (), ""),
)

CHAIR_NAME = "Chu Sa Hừ"
VICE_CHAIR_NAME = "Phu Lỳ Chờ"
ECONOMY_HEAD = "Sần Chà Xá"
LAW_HEAD = "Nguyễn Hữu Thắng"
PEOPLES_COMMITTEE_CHAIR = "Lồ Văn Dũng"
PEOPLES_COMMITTEE_VICE_CHAIR = "Đỗ Thị Thanh Thủy"


def _group_of(village: str) -> str:
    for name, villages in DELEGATE_GROUP_VILLAGES.items():
        if village in villages:
            return name
    raise LookupError(village)


def demo_people() -> list[DemoPerson]:
    """The 27 delegates, two invited officials of the People's Committee, clerk and admin."""
    people = []
    for username, name, position, village, group_role, committees, standing in _DELEGATES:
        session_role = {"chair": "chair", "secretary": "secretary"}.get(username, "")
        people.append(DemoPerson(
            username=username, full_name=name, position=position, account_role="delegate",
            is_delegate=True, village=village, delegate_group=_group_of(village),
            group_role=group_role, committees=committees, standing_committee_role=standing,
            session_role=session_role,
        ))
    people += [
        DemoPerson("official1", PEOPLES_COMMITTEE_CHAIR, "Chủ tịch UBND xã", "official",
                   False, session_role="invited_official"),
        DemoPerson("official2", PEOPLES_COMMITTEE_VICE_CHAIR, "Phó Chủ tịch UBND xã",
                   "official", False, session_role="invited_official"),
        DemoPerson("clerk", CLERK_NAME, "Công chức Văn phòng - Thống kê, "
                   "tham mưu công tác HĐND xã", "clerk", False),
        DemoPerson("admin", "Trần Quốc Vũ", "Công chức phụ trách chuyển đổi số xã", "admin",
                   False),
    ]
    return people


def _n(value: float, decimals: int = 0) -> str:
    return format_vn_number(value, decimals)


def _percent(part: float, whole: float) -> str:
    return _n(100 * part / whole, 1) if whole else "-"


UBND_SIGNATURE = Signature("CHỦ TỊCH", PEOPLES_COMMITTEE_CHAIR, authority="TM. ỦY BAN NHÂN DÂN")
UBND_RECIPIENTS = ("Thường trực HĐND xã;", "Các đại biểu HĐND xã;", "Chủ tịch, các PCT UBND xã;",
                   "Lưu: VT.")
HDND_RECIPIENTS = ("Thường trực HĐND xã;", "UBND xã;", "Ủy ban MTTQ Việt Nam xã;",
                   "Các đại biểu HĐND xã;", "Lưu: VT.")


# --- 1. Báo cáo kinh tế - xã hội 6 tháng đầu năm ------------------------------------------

_TARGETS = (  # chỉ tiêu, đơn vị, kế hoạch năm, thực hiện 6 tháng
    ("Tổng sản lượng lương thực có hạt", "tấn", 2950, 1410),
    ("Diện tích lúa ruộng bậc thang", "ha", 312, 305),
    ("Diện tích thảo quả cho thu hoạch", "ha", 1180, 1180),
    ("Diện tích trồng rừng mới", "ha", 45, 38),
    ("Tổng đàn gia súc", "con", 6200, 5890),
    ("Lượt khách du lịch", "lượt", 42000, 23600),
    ("Thu ngân sách trên địa bàn", "triệu đồng", 2850, 1512),
    ("Số hộ thoát nghèo", "hộ", 120, 41),
    ("Tỷ lệ hộ dùng nước hợp vệ sinh", "%", 92, 88),
)


def _report_socioeconomic(pages: int) -> DemoBody:  # fixed length
    rows = [[str(i + 1), name, unit, _n(plan), _n(done), _percent(done, plan)]
            for i, (name, unit, plan, done) in enumerate(_TARGETS)]
    targets = Table(("TT", "Chỉ tiêu", "Đơn vị", "Kế hoạch năm 2026", "Thực hiện 6 tháng",
                     "Tỷ lệ (%)"), rows, caption="Biểu 1. Một số chỉ tiêu chủ yếu 6 tháng đầu "
                    "năm 2026", column_widths=(0.5, 4, 1.3, 1.5, 1.5, 1.1),
                    numeric_columns=(3, 4, 5))
    chart = BarChart("Tỷ lệ thực hiện so với kế hoạch năm (%)",
                     [name for name, *_ in _TARGETS],
                     [round(100 * done / plan, 1) for _, _, plan, done in _TARGETS],
                     threshold=50, threshold_label="Mốc 50% kế hoạch năm (giữa năm)", unit="%")
    budget = Table(
        ("TT", "Nội dung", "Dự toán năm (triệu đồng)", "Thực hiện 6 tháng", "Tỷ lệ (%)"),
        [["A", "Tổng thu ngân sách xã", _n(41852), _n(22470), _percent(22470, 41852)],
         ["1", "Thu trên địa bàn", _n(2850), _n(1512), _percent(1512, 2850)],
         ["2", "Thu bổ sung từ ngân sách cấp trên", _n(39002), _n(20958),
          _percent(20958, 39002)],
         ["B", "Tổng chi ngân sách xã", _n(41852), _n(19384), _percent(19384, 41852)],
         ["1", "Chi đầu tư phát triển", _n(9600), _n(3120), _percent(3120, 9600)],
         ["2", "Chi thường xuyên", _n(31415), _n(16264), _percent(16264, 31415)],
         ["3", "Dự phòng ngân sách", _n(837), _n(0), "0,0"]],
        caption="Biểu 2. Thu, chi ngân sách xã 6 tháng đầu năm 2026",
        column_widths=(0.6, 4, 1.8, 1.8, 1.1), numeric_columns=(2, 3, 4))
    sections = [
        Section("", ["Thực hiện Nghị quyết của HĐND xã về nhiệm vụ phát triển kinh tế - xã hội, "
                     "bảo đảm quốc phòng, an ninh năm 2026, Ủy ban nhân dân xã Y Tý báo cáo "
                     "kết quả 6 tháng đầu năm và phương hướng, nhiệm vụ 6 tháng cuối năm như "
                     "sau:"]),
        Section("KẾT QUẢ THỰC HIỆN NHIỆM VỤ 6 THÁNG ĐẦU NĂM 2026", subsections=[
            Section("Sản xuất nông, lâm nghiệp", [
                "Vụ xuân và vụ lúa ruộng bậc thang được gieo cấy đúng khung thời vụ; diện tích "
                "ruộng bậc thang ở Lao Chải, Ngải Thầu và Phìn Hồ được giữ ổn định, gắn với "
                "bảo tồn cảnh quan phục vụ du lịch. Toàn xã cấp 4,2 tấn giống lúa chịu lạnh "
                "cho 318 hộ. Cây thảo quả phục hồi sau đợt rét đậm đầu năm; chè Shan tuyết cổ "
                "thụ ở Mò Phú Chải được khoanh vùng, lập mã số vùng trồng.",
                "Công tác quản lý, bảo vệ rừng được duy trì; không để xảy ra cháy rừng trong mùa "
                "khô. Tổng đàn gia súc giảm nhẹ do rét đậm, rét hại làm chết 47 con trâu, bò; "
                "xã đã hỗ trợ kịp thời theo chính sách của tỉnh.",
                targets, chart]),
            Section("Du lịch cộng đồng, thương mại, dịch vụ", [
                "Lượt khách đến Y Tý đạt 23.600 lượt, tăng 18% so với cùng kỳ, tập trung vào mùa "
                "mây và mùa nước đổ. Hợp tác xã Du lịch cộng đồng Lao Chải có 14 homestay đạt "
                "chuẩn; thôn Ngải Thầu hoàn thành đường đi bộ ngắm ruộng bậc thang dài 2,3 km. "
                "Lễ hội Khô Già Già của đồng bào Hà Nhì được tổ chức trang trọng, đúng thuần "
                "phong mỹ tục."]),
            Section("Giao thông, xây dựng cơ bản, phòng chống thiên tai", [
                "Mưa lớn cuối tháng 5 gây sạt lở 11 điểm trên tuyến đường liên xã Y Tý - A Lù "
                "và đường vào thôn Mù Khum, làm ách tắc giao thông 3 ngày. UBND xã đã huy động "
                "1.240 ngày công và máy móc thông tuyến, đồng thời đề nghị cấp trên hỗ trợ kè "
                "chống sạt lở tại Km 7+300.",
                "Công trình nước sinh hoạt tập trung thôn Hồng Ngài đạt 70% khối lượng; trường "
                "Mầm non điểm Ngải Trồ đã cất nóc. Dự án cấp điện cho 46 hộ chưa có điện lưới ở "
                "Trung Chải đang hoàn thiện hồ sơ."]),
            Section("Tài chính - ngân sách", [
                "Thu ngân sách trên địa bàn đạt 53,1% dự toán. Chi ngân sách bảo đảm các nhiệm "
                "vụ chi thường xuyên, chi cho an sinh xã hội và phòng chống thiên tai.",
                budget]),
            Section("Văn hóa - xã hội", [
                "Năm học 2025 - 2026 kết thúc với tỷ lệ chuyên cần 97,8%; 100% học sinh lớp 5 "
                "hoàn thành chương trình tiểu học. Trạm Y tế xã khám cho 3.415 lượt người, tiêm "
                "chủng đầy đủ cho 98% trẻ dưới 1 tuổi. Chính sách cho hộ nghèo, hộ cận nghèo, "
                "người có công được thực hiện đầy đủ, đúng đối tượng.",
                BulletList(["Số hộ nghèo còn 512 hộ (31,8%), giảm 41 hộ so với đầu năm;",
                            "Hỗ trợ làm mới, sửa chữa 23 nhà ở cho hộ nghèo;",
                            "Tỷ lệ hộ sử dụng điện lưới quốc gia đạt 96,2%."])]),
            Section("Quốc phòng, an ninh, cải cách hành chính và chuyển đổi số", [
                "Tình hình an ninh biên giới, trật tự an toàn xã hội ổn định. Bộ phận Một cửa "
                "tiếp nhận 1.126 hồ sơ, giải quyết đúng hạn 99,6%; 78% hồ sơ được nộp trực "
                "tuyến. Triển khai phòng họp không giấy cho HĐND xã theo Đề án 06."]),
        ]),
        Section("TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", [
            BulletList([
                "Sản lượng lương thực và số hộ thoát nghèo đạt thấp so với kế hoạch năm;",
                "Sạt lở đường giao thông còn diễn biến phức tạp, nguồn lực khắc phục hạn chế;",
                "Một số thôn vùng cao còn thiếu nước sinh hoạt vào mùa khô;",
                "Sản phẩm du lịch cộng đồng chưa đa dạng, chưa giữ khách lưu trú dài ngày."]),
            "Nguyên nhân chủ yếu do thời tiết cực đoan, địa hình chia cắt, nguồn lực đầu tư còn "
            "hạn chế; một bộ phận người dân còn tư tưởng trông chờ, ỷ lại."]),
        Section("PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2026", [
            BulletList([
                "Tập trung chăm sóc, thu hoạch vụ mùa; phấn đấu sản lượng lương thực đạt kế "
                "hoạch;",
                "Hoàn thành kè chống sạt lở tại Km 7+300 và công trình nước sinh hoạt Hồng Ngài "
                "trước mùa khô;",
                "Tổ chức Mùa vàng Y Tý 2026, quảng bá du lịch cộng đồng gắn với ruộng bậc thang;",
                "Chuẩn bị tốt khai giảng năm học mới, bảo đảm đủ phòng học và bán trú;",
                "Giữ vững an ninh biên giới, đẩy mạnh chuyển đổi số trong cơ quan nhà nước."])]),
        Section("KIẾN NGHỊ", [
            "Đề nghị UBND tỉnh, các sở, ngành quan tâm bố trí vốn kè chống sạt lở tuyến đường "
            "Y Tý - A Lù và hỗ trợ cấp điện cho các hộ chưa có điện lưới ở thôn Trung Chải."]),
    ]
    return DemoBody(sections, UBND_SIGNATURE, UBND_RECIPIENTS)


# --- 2. Tờ trình và dự thảo nghị quyết điều chỉnh dự toán --------------------------------

_ADJUSTMENTS = (  # nội dung, dự toán đầu năm, điều chỉnh tăng, điều chỉnh giảm
    ("Kè chống sạt lở đường Y Tý - A Lù, Km 7+300", 0, 1850, 0),
    ("Sửa chữa đường vào thôn Mù Khum", 420, 380, 0),
    ("Nước sinh hoạt tập trung thôn Hồng Ngài", 1200, 260, 0),
    ("Sửa chữa phòng học điểm trường Ngải Trồ", 350, 190, 0),
    ("Hỗ trợ giống lúa chịu lạnh ruộng bậc thang", 180, 95, 0),
    ("Xây dựng nhà văn hóa thôn Phìn Hồ", 1400, 0, 900),
    ("Chi mua sắm tài sản, trang thiết bị văn phòng", 650, 0, 420),
    ("Dự phòng ngân sách", 837, 0, 560),
)


def _adjustment_table() -> Table:
    rows = []
    totals = [0, 0, 0, 0]
    for i, (name, base, up, down) in enumerate(_ADJUSTMENTS):
        after = base + up - down
        rows.append([str(i + 1), name, _n(base), _n(up), _n(down), _n(after)])
        totals = [totals[0] + base, totals[1] + up, totals[2] + down, totals[3] + after]
    rows.append(["", "Tổng cộng", *(_n(t) for t in totals)])
    return Table(("TT", "Nội dung", "Dự toán đầu năm", "Tăng", "Giảm", "Sau điều chỉnh"),
                 rows, caption="Biểu chi tiết điều chỉnh dự toán chi (đơn vị: triệu đồng)",
                 column_widths=(0.5, 4.2, 1.4, 1.1, 1.1, 1.5), numeric_columns=(2, 3, 4, 5),
                 bold_last_row=True)


def _submission_budget(pages: int) -> DemoBody:  # fixed length
    sections = [
        Section("", ["Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15; Luật Ngân sách nhà nước và "
                     "các văn bản hướng dẫn thi hành; Nghị quyết của HĐND xã về dự toán ngân "
                     "sách nhà nước năm 2026, Ủy ban nhân dân xã Y Tý kính trình HĐND xã xem "
                     "xét, điều chỉnh dự toán ngân sách xã năm 2026 như sau:"]),
        Section("SỰ CẦN THIẾT ĐIỀU CHỈNH", [
            "Đợt mưa lớn cuối tháng 5 năm 2026 gây sạt lở nghiêm trọng tuyến đường Y Tý - A Lù "
            "và đường vào thôn Mù Khum, đe dọa an toàn của 86 hộ dân và việc đi lại của học "
            "sinh. Công trình nước sinh hoạt thôn Hồng Ngài phát sinh khối lượng đường ống do "
            "phải đổi tuyến tránh vùng sạt lở. Trong khi đó một số nhiệm vụ chưa đủ điều kiện "
            "triển khai trong năm.",
            "Việc điều chỉnh nhằm ưu tiên nguồn lực cho khắc phục hậu quả thiên tai, nước sinh "
            "hoạt và trường học, không làm tăng tổng dự toán chi ngân sách xã."]),
        Section("NỘI DUNG ĐIỀU CHỈNH", [
            "Điều chỉnh giảm 1.880 triệu đồng của các nhiệm vụ chưa cấp thiết để bổ sung cho "
            "các nhiệm vụ cấp bách với tổng số tăng 2.775 triệu đồng, trong đó 895 triệu đồng "
            "từ nguồn tăng thu ngân sách cấp trên bổ sung có mục tiêu.",
            _adjustment_table(),
            BarChart("Dự toán sau điều chỉnh của các nhiệm vụ tăng (triệu đồng)",
                     [name for name, _, up, _ in _ADJUSTMENTS if up],
                     [base + up for _, base, up, _ in _ADJUSTMENTS if up], unit="tr.đ")]),
        Section("ĐỀ NGHỊ", [
            "Ủy ban nhân dân xã kính trình HĐND xã xem xét, thông qua Nghị quyết điều chỉnh "
            "dự toán ngân sách xã năm 2026 (có dự thảo Nghị quyết kèm theo)."]),
    ]
    return DemoBody(sections, UBND_SIGNATURE, UBND_RECIPIENTS,
                    addressee="Kính gửi: Hội đồng nhân dân xã Y Tý")


def _draft_resolution_budget(pages: int) -> DemoBody:  # fixed length
    preamble = [Paragraph("HỘI ĐỒNG NHÂN DÂN XÃ Y TÝ", bold=True, centered=True),
                Paragraph("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;", italic=True),
                Paragraph("Căn cứ Luật Ngân sách nhà nước;", italic=True),
                Paragraph("Xét Tờ trình số 45/TTr-UBND ngày 22 tháng 6 năm 2026 của Ủy ban "
                          "nhân dân xã; Báo cáo thẩm tra của Ban Kinh tế - Xã hội HĐND xã; ý "
                          "kiến thảo luận của đại biểu HĐND xã tại kỳ họp.", italic=True),
                Paragraph("QUYẾT NGHỊ:", bold=True, centered=True)]
    sections = [
        Section("", preamble),
        Section("Điều 1. Điều chỉnh dự toán ngân sách xã năm 2026", numbered=False, body=[
            "Điều chỉnh dự toán chi ngân sách xã năm 2026 như sau: tăng 2.775 triệu đồng, "
            "giảm 1.880 triệu đồng, bổ sung 895 triệu đồng từ nguồn ngân sách cấp trên bổ sung "
            "có mục tiêu. Chi tiết theo biểu kèm theo Nghị quyết này.",
            _adjustment_table()]),
        Section("Điều 2. Tổ chức thực hiện", numbered=False, body=[
            "1. Giao Ủy ban nhân dân xã tổ chức thực hiện Nghị quyết này; quản lý, sử dụng "
            "ngân sách đúng mục đích, tiết kiệm, hiệu quả.",
            "2. Giao Thường trực HĐND, các Ban HĐND, các Tổ đại biểu và đại biểu HĐND xã giám "
            "sát việc thực hiện Nghị quyết.",
            "Nghị quyết này đã được HĐND xã Y Tý, nhiệm kỳ 2026 - 2031, Kỳ họp thường lệ giữa "
            "năm 2026 thông qua ngày 10 tháng 7 năm 2026 và có hiệu lực từ ngày thông qua."]),
    ]
    return DemoBody(
        sections, Signature("CHỦ TỊCH", CHAIR_NAME), HDND_RECIPIENTS,
        draft_mark="DỰ THẢO")


# --- 5. Kế hoạch đầu tư công trung hạn 2026 - 2030 (the long one) --------------------------

# Bill-of-quantities templates: (item, unit, low quantity, high quantity, unit price in
# thousand đồng). Quantities are drawn per project; the project's cost is their sum.
_WORKS: dict[str, tuple[tuple[str, str, int, int, int], ...]] = {
    "road": (
        ("Phát quang, dọn dẹp mặt bằng", "m²", 1500, 6000, 4),
        ("Đào nền đường đất cấp III", "m³", 800, 4200, 95),
        ("Đào nền đường đá cấp IV bằng máy", "m³", 150, 900, 310),
        ("Đắp nền đường K95", "m³", 300, 1800, 120),
        ("Cấp phối đá dăm móng đường dày 15 cm", "m³", 180, 900, 520),
        ("Bê tông mặt đường M250 dày 18 cm", "m³", 210, 1100, 1650),
        ("Ván khuôn mặt đường", "m²", 120, 600, 95),
        ("Giấy dầu chống thấm", "m²", 1200, 6000, 9),
        ("Khe co giãn mặt đường", "m", 300, 1400, 48),
        ("Cống tròn BTCT D75", "m", 16, 80, 2600),
        ("Cống bản khẩu độ 1,0 m", "cái", 1, 6, 48000),
        ("Rãnh dọc xây đá hộc vữa M100", "m", 200, 1400, 610),
        ("Tường chắn đá hộc xây vữa M100", "m³", 60, 420, 1450),
        ("Gia cố mái taluy bằng trồng cỏ", "m²", 400, 2400, 38),
        ("Cọc tiêu bê tông", "cái", 40, 180, 420),
        ("Biển báo hiệu đường bộ", "cái", 4, 16, 3800),
        ("Hộ lan tôn sóng", "m", 40, 260, 1250),
        ("Vận chuyển vật liệu lên công trường bằng thủ công", "tấn", 80, 600, 210),
        ("Lán trại, đảm bảo giao thông trong thi công", "trọn gói", 1, 1, 65000),
    ),
    "landslide": (
        ("Dọn đất đá sạt lở lấp mặt đường", "m³", 600, 5200, 85),
        ("Đào móng kè đất cấp III", "m³", 300, 1600, 110),
        ("Bê tông lót móng M100", "m³", 20, 90, 1250),
        ("Bê tông cốt thép tường kè M250", "m³", 120, 780, 2150),
        ("Cốt thép đường kính ≤ 10 mm", "tấn", 4, 22, 24500),
        ("Cốt thép đường kính > 10 mm", "tấn", 9, 60, 23800),
        ("Ván khuôn tường kè", "m²", 300, 1800, 145),
        ("Rọ đá mạ kẽm bọc nhựa 2×1×0,5 m", "rọ", 60, 420, 1380),
        ("Vải địa kỹ thuật", "m²", 400, 2400, 32),
        ("Ống thoát nước PVC D60", "m", 60, 360, 75),
        ("Đắp đất sau lưng tường K90", "m³", 200, 1400, 105),
        ("Rãnh đỉnh taluy bê tông M200", "m", 60, 300, 720),
        ("Trồng cỏ vetiver chống xói mái taluy", "m²", 300, 1800, 42),
        ("Quan trắc chuyển dịch mái taluy", "điểm", 2, 8, 9500),
        ("Lán trại, đảm bảo giao thông trong thi công", "trọn gói", 1, 1, 55000),
    ),
    "water": (
        ("Đập đầu mối thu nước bê tông M200", "cái", 1, 2, 185000),
        ("Bể lọc thô", "bể", 1, 2, 64000),
        ("Bể chứa nước sạch 20 m³", "bể", 1, 4, 98000),
        ("Ống HDPE D63 PN10 dẫn nước chính", "m", 800, 4200, 92),
        ("Ống HDPE D50 PN10", "m", 600, 3000, 66),
        ("Ống HDPE D32 PN10 phân phối", "m", 1200, 6000, 31),
        ("Ống HDPE D20 nối vào hộ", "m", 900, 4500, 14),
        ("Van khóa đồng D50", "cái", 4, 20, 1250),
        ("Van xả khí, xả cặn", "cái", 4, 18, 980),
        ("Đồng hồ đo nước hộ gia đình", "cái", 30, 160, 680),
        ("Bể phân phối 5 m³", "bể", 2, 8, 26000),
        ("Mố néo ống qua khe suối", "cái", 4, 20, 4200),
        ("Đào rãnh chôn ống sâu 0,5 m", "m³", 300, 1800, 95),
        ("Khử trùng, thử áp đường ống", "trọn gói", 1, 1, 18000),
        ("Tập huấn tổ quản lý vận hành công trình", "lớp", 1, 2, 12000),
    ),
    "school": (
        ("Đào móng công trình", "m³", 80, 260, 120),
        ("Bê tông lót móng M100", "m³", 8, 30, 1250),
        ("Bê tông móng, giằng móng M250", "m³", 30, 110, 2200),
        ("Bê tông cột, dầm, sàn M250", "m³", 40, 160, 2450),
        ("Cốt thép các loại", "tấn", 8, 30, 24000),
        ("Xây tường gạch không nung vữa M75", "m³", 60, 220, 1480),
        ("Trát tường trong, ngoài", "m²", 600, 2200, 110),
        ("Lát nền gạch ceramic 600×600", "m²", 180, 700, 320),
        ("Lợp mái tôn chống nóng", "m²", 220, 800, 260),
        ("Trần thạch cao chống ẩm", "m²", 180, 700, 240),
        ("Cửa đi, cửa sổ nhôm kính", "m²", 40, 160, 1850),
        ("Sơn tường trong, ngoài nhà", "m²", 900, 3000, 68),
        ("Hệ thống điện chiếu sáng, quạt", "phòng", 2, 8, 18500),
        ("Bàn ghế học sinh hai chỗ ngồi", "bộ", 30, 120, 1650),
        ("Nhà vệ sinh học sinh", "nhà", 1, 2, 145000),
        ("Bể nước và hệ thống cấp nước bán trú", "hệ thống", 1, 1, 85000),
    ),
    "power": (
        ("Dựng cột bê tông ly tâm 8,5 m", "cột", 12, 60, 6800),
        ("Dựng cột bê tông ly tâm 12 m", "cột", 4, 24, 14500),
        ("Móng cột bê tông M150", "móng", 16, 80, 4100),
        ("Dây cáp vặn xoắn ABC 4×70 mm²", "m", 1200, 5200, 185),
        ("Dây cáp vặn xoắn ABC 4×50 mm²", "m", 800, 3800, 142),
        ("Đường dây trung áp 35 kV", "km", 1, 5, 640000),
        ("Trạm biến áp 100 kVA - 35/0,4 kV", "trạm", 1, 2, 520000),
        ("Xà, sứ, phụ kiện đường dây", "bộ", 16, 80, 1450),
        ("Tiếp địa lặp lại", "bộ", 6, 30, 1650),
        ("Công tơ điện tử một pha", "cái", 30, 140, 1150),
        ("Hòm công tơ composite", "hòm", 8, 40, 980),
        ("Phát quang hành lang tuyến", "m²", 2000, 9000, 6),
        ("Vận chuyển vật tư bằng thủ công đến vị trí cột", "tấn", 20, 120, 420),
    ),
    "tourism": (
        ("Đường đi bộ lát đá tự nhiên rộng 1,5 m", "m", 400, 2400, 690),
        ("Bậc lên xuống xây đá hộc", "m³", 30, 160, 1350),
        ("Lan can gỗ tự nhiên dọc tuyến", "m", 100, 600, 420),
        ("Điểm dừng chân ngắm ruộng bậc thang", "nhà", 1, 4, 78000),
        ("Nhà vệ sinh công cộng", "nhà", 1, 2, 165000),
        ("Biển chỉ dẫn song ngữ Việt - Anh", "cái", 8, 30, 2800),
        ("Bãi đỗ xe bê tông", "m²", 200, 900, 380),
        ("Thùng rác phân loại", "cái", 10, 40, 950),
        ("Chiếu sáng năng lượng mặt trời", "cột", 10, 40, 6500),
        ("Bảo tồn nhà trình tường truyền thống", "nhà", 2, 8, 45000),
        ("Tập huấn kỹ năng làm du lịch cộng đồng", "lớp", 1, 3, 15000),
    ),
    "terrace": (
        ("Kênh mương bê tông M200 tiết diện 30×40 cm", "m", 300, 2200, 980),
        ("Phai đập đầu mối bê tông", "cái", 1, 4, 68000),
        ("Cống lấy nước vào ruộng", "cái", 6, 30, 2600),
        ("Cống qua đường D60", "m", 8, 40, 1850),
        ("Tu bổ bờ ruộng bậc thang bằng đá hộc", "m", 300, 1800, 210),
        ("Ống HDPE D110 dẫn nước qua khe", "m", 60, 400, 320),
        ("Hỗ trợ giống lúa chịu lạnh", "kg", 400, 1800, 42),
        ("Hỗ trợ phân bón hữu cơ vi sinh", "tấn", 4, 24, 6200),
        ("Xây dựng mô hình canh tác lúa - cá", "ha", 1, 4, 38000),
    ),
}

_PROJECT_NAMES: dict[str, tuple[str, ...]] = {
    "road": ("Đường giao thông nông thôn từ trung tâm thôn {v} đi khu sản xuất",
             "Cứng hóa đường nội thôn {v}", "Đường liên thôn {v} - {w}"),
    "landslide": ("Kè chống sạt lở taluy dương đường vào thôn {v}",
                  "Khắc phục sạt lở khu dân cư thôn {v}"),
    "water": ("Công trình nước sinh hoạt tập trung thôn {v}",
              "Nâng cấp, mở rộng công trình cấp nước thôn {v}"),
    "school": ("Xây dựng phòng học điểm trường mầm non thôn {v}",
               "Nhà bán trú học sinh điểm trường tiểu học thôn {v}"),
    "power": ("Cấp điện lưới quốc gia cho các hộ chưa có điện thôn {v}",
              "Cải tạo lưới điện hạ thế thôn {v}"),
    "tourism": ("Hạ tầng du lịch cộng đồng thôn {v}",
                "Tuyến đi bộ ngắm ruộng bậc thang thôn {v}"),
    "terrace": ("Kênh mương thủy lợi phục vụ ruộng bậc thang thôn {v}",
                "Bảo tồn, phục hồi ruộng bậc thang thôn {v}"),
}

_CATEGORY_NAMES = {"road": "Giao thông", "landslide": "Phòng chống thiên tai",
                   "water": "Nước sinh hoạt", "school": "Giáo dục", "power": "Điện",
                   "tourism": "Du lịch", "terrace": "Nông nghiệp, thủy lợi"}

_HANHI_SURNAMES = ("Chu", "Lý", "Phu", "Sần", "Ly", "Pờ", "Hầu", "Lò", "Tẩn", "Ma")
_HANHI_GIVEN = ("Sa Hừ", "Lỳ Chờ", "Mò Ga", "Gạ Sủ", "Chừ Lừ", "Xá Pu", "Cố Xá", "Lao Tư",
                "Mé Xá", "Sừ Chừ", "Gò Dế", "Chà Xá", "Phì Chừ", "Hờ Xá", "Lù Dế", "Xa Lừ",
                "Gạ Chừ", "Thị Mé", "Thị Pha", "Thị Xừ", "Dì Pu", "Lao Sừ", "Hừ Chà")
_HMONG_SURNAMES = ("Giàng", "Vàng", "Sùng", "Thào", "Má", "Lù", "Hầu")
_HMONG_GIVEN = ("A Sử", "Seo Lử", "A Páo", "Seo Chúng", "A Dình", "Thị Dợ", "Thị Cở",
                "A Lồng", "Seo Phủ", "Thị Mỷ", "A Chứ", "Seo Vàng", "Thị Súa", "A Tủa")

# village -> (households, people, share of Mông households, categories of its projects)
_VILLAGE_FACTS: dict[str, tuple[int, int, float, tuple[str, ...]]] = {
    "Lao Chải": (268, 1371, 0.0, ("tourism", "terrace", "road", "water", "school",
                                  "landslide", "tourism", "road")),
    "Ngải Thầu": (236, 1198, 0.05, ("tourism", "terrace", "road", "landslide", "water",
                                   "school", "power", "road")),
    "Phìn Hồ": (221, 1139, 0.1, ("road", "water", "terrace", "school", "landslide",
                                "power", "tourism", "road")),
    "Mò Phú Chải": (197, 1012, 0.15, ("road", "terrace", "water", "landslide", "school",
                                     "power", "road", "tourism")),
    "Hồng Ngài": (252, 1307, 0.2, ("water", "road", "landslide", "school", "terrace",
                                   "power", "road", "tourism")),
    "Mù Khum": (178, 962, 0.6, ("landslide", "road", "water", "power", "school",
                                "terrace", "road", "landslide")),
    "Ngải Trồ": (209, 1103, 0.45, ("school", "road", "water", "landslide", "power",
                                  "terrace", "road", "tourism")),
    "Trung Chải": (190, 987, 0.3, ("power", "road", "water", "landslide", "school",
                                   "terrace", "road", "tourism")),
}
YEARS = (2026, 2027, 2028, 2029, 2030)


@dataclass(frozen=True)
class _Project:
    name: str
    category: str
    works: tuple[tuple[str, str, int, int, int], ...]  # item, unit, qty, unit price, amount

    @property
    def cost(self) -> int:
        """In million đồng, rounded: the sum of its items in thousand đồng."""
        return round(sum(amount for *_, amount in self.works) / 1000)


def _village_projects(village: str) -> list[_Project]:
    rng = random.Random(f"y-ty-{village}")
    others = [v for v in VILLAGES if v != village]
    projects = []
    used: set[str] = set()
    categories = _VILLAGE_FACTS[village][3]
    for category in (*categories, "water", "terrace", "school", "road", "power", "landslide"):
        names = [n for n in _PROJECT_NAMES[category]
                 if n.format(v=village, w="") not in used]
        template = (names or list(_PROJECT_NAMES[category]))[0]
        name = template.format(v=village, w=rng.choice(others))
        if name in used:
            name += " (giai đoạn 2)"
        used.add(template.format(v=village, w=""))
        used.add(name)
        works = []
        for item, unit, low, high, price in _WORKS[category]:
            quantity = rng.randint(low, high)
            works.append((item, unit, quantity, price, quantity * price))
        projects.append(_Project(name, category, tuple(works)))
    return projects


def _household_name(rng: random.Random, hmong_share: float) -> tuple[str, str]:
    if rng.random() < hmong_share:
        return f"{rng.choice(_HMONG_SURNAMES)} {rng.choice(_HMONG_GIVEN)}", "Mông"
    return f"{rng.choice(_HANHI_SURNAMES)} {rng.choice(_HANHI_GIVEN)}", "Hà Nhì"


def _annex(number: int, village: str) -> Section:
    households, people, hmong_share, _ = _VILLAGE_FACTS[village]
    projects = _village_projects(village)
    total = sum(p.cost for p in projects)
    catalogue = Table(
        ("TT", "Tên dự án", "Lĩnh vực", "Thời gian thực hiện", "Tổng mức đầu tư"),
        [[str(i + 1), p.name, _CATEGORY_NAMES[p.category],
          f"{YEARS[i % 4]} - {YEARS[i % 4] + 1 + i % 2}", _n(p.cost)]
         for i, p in enumerate(projects)] + [["", "Tổng cộng", "", "", _n(total)]],
        caption=f"Biểu {number}.1. Danh mục dự án thôn {village} (triệu đồng)",
        column_widths=(0.5, 4.6, 1.6, 1.4, 1.4), numeric_columns=(4,), bold_last_row=True)
    by_year = [0] * len(YEARS)
    year_rows = []
    for i, project in enumerate(projects):
        start = i % 4
        shares = (0.4, 0.6) if i % 2 == 0 else (0.3, 0.4, 0.3)
        split = [0] * len(YEARS)
        for offset, share in enumerate(shares):
            split[min(start + offset, len(YEARS) - 1)] += round(project.cost * share)
        split[start] += project.cost - sum(split)
        by_year = [a + b for a, b in zip(by_year, split, strict=True)]
        year_rows.append([str(i + 1), project.name, *(_n(x) if x else "-" for x in split)])
    year_rows.append(["", "Tổng cộng", *(_n(x) for x in by_year)])
    capital = Table(("TT", "Dự án", *(str(y) for y in YEARS)), year_rows,
                    caption=f"Biểu {number}.2. Kế hoạch vốn theo năm (triệu đồng)",
                    column_widths=(0.5, 4.0, 1, 1, 1, 1, 1), numeric_columns=(2, 3, 4, 5, 6),
                    bold_last_row=True)
    chart = BarChart(f"Vốn bố trí theo năm - thôn {village} (triệu đồng)",
                     [f"Năm {y}" for y in YEARS], by_year, unit="tr.đ")
    estimates = [
        Section(p.name, [Table(
            ("TT", "Hạng mục công việc", "Đơn vị", "Khối lượng", "Đơn giá (nghìn đồng)",
             "Thành tiền (nghìn đồng)"),
            [[str(k + 1), item, unit, _n(qty), _n(price), _n(amount)]
             for k, (item, unit, qty, price, amount) in enumerate(p.works)]
            + [["", "Cộng chi phí xây dựng, thiết bị", "", "", "",
                _n(sum(w[4] for w in p.works))]],
            column_widths=(0.5, 4.2, 0.9, 1.1, 1.3, 1.5), numeric_columns=(3, 4, 5),
            bold_last_row=True)])
        for p in projects]
    rng = random.Random(f"households-{village}")
    beneficiaries = []
    for k in range(households):
        name, ethnicity = _household_name(rng, hmong_share)
        uses = rng.sample([_CATEGORY_NAMES[p.category] for p in projects], 2)
        beneficiaries.append([str(k + 1), name, str(rng.randint(2, 9)), ethnicity,
                              f"{uses[0]}; {uses[1]}", "Hộ nghèo" if rng.random() < 0.3
                              else ""])
    contributions = []
    for k, (_, name, *_rest) in enumerate(beneficiaries):
        land = rng.choice((0, 0, 0, 12, 25, 40, 60, 85, 120))
        days = rng.randint(4, 30)
        contributions.append([str(k + 1), name, _n(land) if land else "-", str(days),
                              _n(days * 250 + land * 35)])
    contribution_table = Table(
        ("TT", "Họ và tên chủ hộ", "Diện tích hiến đất (m²)", "Ngày công lao động",
         "Giá trị quy đổi (nghìn đồng)"), contributions,
        caption=f"Biểu {number}.4. Tổng hợp đóng góp của Nhân dân thôn {village}",
        column_widths=(0.6, 3.2, 1.6, 1.6, 1.9), numeric_columns=(2, 3, 4))
    household_table = Table(("TT", "Họ và tên chủ hộ", "Số khẩu", "Dân tộc",
                             "Hưởng lợi từ dự án", "Ghi chú"), beneficiaries,
                            caption=f"Biểu {number}.3. Danh sách hộ hưởng lợi thôn {village}",
                            column_widths=(0.6, 2.4, 0.9, 1.1, 3.4, 1.2), numeric_columns=(2,))
    return Section(
        f"PHỤ LỤC {number}. THÔN {village.upper()}", subsections=[
            Section("Hiện trạng và nhu cầu đầu tư", [
                f"Thôn {village} có {households} hộ với {_n(people)} nhân khẩu, chủ yếu là đồng "
                f"bào dân tộc Hà Nhì{' và Mông' if hmong_share else ''}. Địa hình dốc, chia cắt "
                f"mạnh; mùa mưa thường xảy ra sạt lở taluy, mùa khô thiếu nước sinh hoạt. Ruộng "
                f"bậc thang là sinh kế chính và là cảnh quan thu hút khách du lịch.",
                f"Qua rà soát với Chi bộ, Ban quản lý thôn và ý kiến cử tri, thôn đề xuất "
                f"{len(projects)} dự án với tổng mức đầu tư {_n(total)} triệu đồng, ưu tiên "
                f"phòng chống thiên tai, nước sạch, trường học và hạ tầng du lịch cộng đồng.",
                catalogue]),
            Section("Kế hoạch vốn theo năm", [capital, chart]),
            Section("Dự toán sơ bộ các hạng mục chủ yếu", subsections=estimates),
            Section("Danh sách hộ hưởng lợi", [household_table]),
            Section("Đóng góp của Nhân dân", [
                "Nhân dân thôn thống nhất hiến đất, góp ngày công theo phương châm \"Nhà nước và "
                "Nhân dân cùng làm\"; giá trị quy đổi một ngày công là 250 nghìn đồng.",
                contribution_table]),
        ])


def _investment_plan(pages: int) -> DemoBody:
    """About 19-20 pages per village annex: ``pages`` decides how many annexes fit."""
    annexed = VILLAGES[:max(1, min(len(VILLAGES), round((pages - 3) / 19.75)))]
    per_village = {v: _village_projects(v) for v in VILLAGES}
    totals = {v: sum(p.cost for p in ps) for v, ps in per_village.items()}
    grand_total = sum(totals.values())
    by_category: dict[str, int] = {}
    for projects in per_village.values():
        for p in projects:
            by_category[p.category] = by_category.get(p.category, 0) + p.cost
    summary = Table(
        ("TT", "Thôn", "Số dự án", "Tổng mức đầu tư (triệu đồng)", "Tỷ trọng (%)"),
        [[str(i + 1), v, str(len(per_village[v])), _n(totals[v]),
          _percent(totals[v], grand_total)] for i, v in enumerate(VILLAGES)]
        + [["", "Toàn xã", str(sum(len(p) for p in per_village.values())), _n(grand_total),
            "100,0"]],
        caption="Biểu tổng hợp nhu cầu vốn theo thôn", column_widths=(0.5, 2.5, 1, 2, 1.2),
        numeric_columns=(2, 3, 4), bold_last_row=True)
    sources = Table(
        ("TT", "Nguồn vốn", "Số vốn (triệu đồng)", "Tỷ trọng (%)"),
        [["1", "Ngân sách trung ương (Chương trình MTQG)", _n(grand_total * 0.52), "52,0"],
         ["2", "Ngân sách tỉnh hỗ trợ có mục tiêu", _n(grand_total * 0.31), "31,0"],
         ["3", "Ngân sách xã (tiền sử dụng đất, tăng thu)", _n(grand_total * 0.12), "12,0"],
         ["4", "Nhân dân đóng góp (ngày công, hiến đất)", _n(grand_total * 0.05), "5,0"],
         ["", "Tổng cộng", _n(grand_total), "100,0"]],
        caption="Biểu cơ cấu nguồn vốn", column_widths=(0.5, 4.5, 1.8, 1.2),
        numeric_columns=(2, 3), bold_last_row=True)
    sections = [
        Section("", ["Thực hiện Luật Đầu tư công và hướng dẫn của UBND tỉnh Lào Cai về lập kế "
                     "hoạch đầu tư công trung hạn giai đoạn 2026 - 2030, Ủy ban nhân dân xã Y Tý "
                     "kính trình HĐND xã xem xét, quyết định Kế hoạch đầu tư công trung hạn "
                     "giai đoạn 2026 - 2030 của xã như sau:"]),
        Section("ĐÁNH GIÁ KẾT QUẢ GIAI ĐOẠN 2021 - 2025", [
            "Giai đoạn 2021 - 2025, trên địa bàn xã đã đầu tư 64 công trình với tổng vốn "
            "187.420 triệu đồng, trong đó 38 công trình giao thông, 9 công trình nước sinh "
            "hoạt, 7 công trình trường học. 100% thôn có đường ô tô đến trung tâm; tỷ lệ hộ dùng "
            "điện lưới đạt 96,2%.",
            "Tuy vậy, nhiều tuyến đường xuống cấp nhanh do mưa lũ, sạt lở; một số công trình "
            "nước sinh hoạt thiếu nguồn vào mùa khô; hạ tầng du lịch cộng đồng chưa đáp ứng "
            "lượng khách tăng nhanh."]),
        Section("MỤC TIÊU VÀ NGUYÊN TẮC PHÂN BỔ VỐN", [
            BulletList([
                "Ưu tiên công trình phòng chống sạt lở, bảo đảm an toàn tính mạng, tài sản của "
                "Nhân dân;",
                "Bảo đảm 100% hộ được dùng nước hợp vệ sinh, 100% hộ có điện lưới quốc gia;",
                "Kiên cố hóa 100% phòng học, xóa phòng học tạm ở các điểm trường;",
                "Phát triển du lịch cộng đồng gắn với bảo tồn ruộng bậc thang và văn hóa Hà Nhì;",
                "Không bố trí vốn cho dự án chưa đủ thủ tục; không để phát sinh nợ đọng xây "
                "dựng cơ bản."])]),
        Section("TỔNG NHU CẦU VÀ CƠ CẤU NGUỒN VỐN", [
            summary,
            BarChart("Nhu cầu vốn giai đoạn 2026 - 2030 theo thôn (triệu đồng)",
                     list(VILLAGES), [totals[v] for v in VILLAGES], unit="tr.đ"),
            sources,
            BarChart("Nhu cầu vốn theo lĩnh vực (triệu đồng)",
                     [_CATEGORY_NAMES[c] for c in by_category], list(by_category.values()),
                     unit="tr.đ")]),
        Section("GIẢI PHÁP THỰC HIỆN", [
            "Tăng cường công tác chuẩn bị đầu tư, lựa chọn nhà thầu có năng lực; vận động Nhân "
            "dân hiến đất, góp ngày công; phát huy vai trò giám sát đầu tư của cộng đồng, của "
            "các Tổ đại biểu HĐND xã; công khai danh mục, tiến độ từng công trình tại nhà văn "
            "hóa thôn.",
            "Chi tiết danh mục dự án, kế hoạch vốn, dự toán sơ bộ và danh sách hộ hưởng lợi của "
            "từng thôn tại các phụ lục kèm theo."]),
    ]
    return DemoBody(sections, UBND_SIGNATURE, UBND_RECIPIENTS,
                    addressee="Kính gửi: Hội đồng nhân dân xã Y Tý",
                    annexes=[_annex(i + 1, village) for i, village in enumerate(annexed)])


# --- 3, 4. Báo cáo thẩm tra của hai Ban ---------------------------------------------------

def _review_economy(pages: int) -> DemoBody:  # fixed length
    sections = [
        Section("", ["Thực hiện sự phân công của Thường trực HĐND xã, Ban Kinh tế - Xã hội đã "
                     "họp thẩm tra các báo cáo, tờ trình thuộc lĩnh vực kinh tế - xã hội, ngân "
                     "sách trình tại kỳ họp; khảo sát thực tế tại các thôn Mù Khum, Hồng Ngài, "
                     "Ngải Trồ. Ban báo cáo kết quả thẩm tra như sau:"]),
        Section("VỀ BÁO CÁO KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU NĂM 2026", [
            "Ban cơ bản nhất trí với đánh giá của UBND xã. Bên cạnh kết quả đạt được, Ban đề "
            "nghị UBND xã làm rõ nguyên nhân sản lượng lương thực mới đạt 47,8% kế hoạch, số "
            "hộ thoát nghèo mới đạt 34,2%; có giải pháp cụ thể giữ diện tích ruộng bậc thang, "
            "không để bỏ hoang ruộng do thiếu nước.",
            BulletList([
                "Sớm hoàn thành công trình nước sinh hoạt Hồng Ngài trước mùa khô;",
                "Rà soát các điểm có nguy cơ sạt lở gần khu dân cư, có phương án di dời khẩn "
                "cấp khi có mưa lớn;",
                "Quản lý chặt hoạt động homestay, bảo đảm vệ sinh môi trường ở Lao Chải, Ngải "
                "Thầu."])]),
        Section("VỀ TỜ TRÌNH ĐIỀU CHỈNH DỰ TOÁN NGÂN SÁCH XÃ NĂM 2026", [
            "Việc điều chỉnh là cần thiết, đúng thẩm quyền, không làm tăng tổng chi. Ban đề "
            "nghị HĐND xã thông qua; UBND xã cần giải ngân nhanh vốn kè chống sạt lở Km 7+300 "
            "và báo cáo tiến độ với Thường trực HĐND hằng tháng.",
            _adjustment_table()]),
        Section("VỀ KẾ HOẠCH ĐẦU TƯ CÔNG TRUNG HẠN 2026 - 2030", [
            "Danh mục dự án bám sát nhu cầu của các thôn. Ban đề nghị sắp xếp thứ tự ưu tiên rõ "
            "hơn: phòng chống thiên tai, nước sinh hoạt, trường học trước; dự án du lịch cộng "
            "đồng cần có cam kết đóng góp của Nhân dân và hợp tác xã."]),
        Section("KIẾN NGHỊ", [
            "Ban Kinh tế - Xã hội đề nghị HĐND xã xem xét, thông qua các nghị quyết liên quan "
            "tại kỳ họp."]),
    ]
    return DemoBody(sections, Signature("TRƯỞNG BAN", ECONOMY_HEAD,
                                        authority="TM. BAN KINH TẾ - XÃ HỘI"),
                    HDND_RECIPIENTS)


def _review_law(pages: int) -> DemoBody:  # fixed length
    cases = Table(
        ("TT", "Nội dung", "Tiếp nhận", "Đã giải quyết", "Tỷ lệ (%)"),
        [["1", "Đơn khiếu nại", "3", "3", "100,0"],
         ["2", "Đơn kiến nghị, phản ánh", "17", "15", "88,2"],
         ["3", "Tranh chấp đất đai được hòa giải", "9", "7", "77,8"],
         ["4", "Vụ việc hòa giải ở cơ sở", "21", "19", "90,5"]],
        caption="Kết quả tiếp nhận, giải quyết đơn thư và hòa giải 6 tháng đầu năm",
        column_widths=(0.5, 4, 1.2, 1.4, 1.1), numeric_columns=(2, 3, 4))
    sections = [
        Section("", ["Ban Pháp chế HĐND xã đã thẩm tra các báo cáo về công tác quốc phòng, an "
                     "ninh, tư pháp, thi hành pháp luật, tiếp công dân và giải quyết khiếu nại, "
                     "tố cáo 6 tháng đầu năm 2026; đồng thời thẩm tra tính hợp hiến, hợp pháp "
                     "của các dự thảo nghị quyết trình tại kỳ họp."]),
        Section("VỀ CÔNG TÁC QUỐC PHÒNG, AN NINH", [
            "Tình hình an ninh biên giới ổn định; lực lượng Công an, Quân sự xã phối hợp với "
            "Đồn Biên phòng tuần tra, kiểm soát thường xuyên. Ban đề nghị tăng cường tuyên "
            "truyền phòng chống mua bán người, ma túy, xuất cảnh trái phép ở các thôn giáp "
            "biên giới."]),
        Section("VỀ TIẾP CÔNG DÂN, GIẢI QUYẾT KHIẾU NẠI, TỐ CÁO", [
            cases,
            "Ban đề nghị UBND xã giải quyết dứt điểm 2 vụ tranh chấp đất đai tồn đọng ở thôn "
            "Phìn Hồ và trả lời bằng văn bản cho công dân theo đúng thời hạn."]),
        Section("VỀ TÍNH HỢP PHÁP CỦA CÁC DỰ THẢO NGHỊ QUYẾT", [
            "Các dự thảo nghị quyết được chuẩn bị đúng trình tự, thủ tục, đúng thẩm quyền của "
            "HĐND cấp xã; căn cứ pháp lý đầy đủ. Ban đề nghị chỉnh sửa một số câu chữ về kỹ "
            "thuật trình bày theo Nghị định số 30/2020/NĐ-CP."]),
    ]
    return DemoBody(sections, Signature("TRƯỞNG BAN", LAW_HEAD, authority="TM. BAN PHÁP CHẾ"),
                    HDND_RECIPIENTS)


# --- 6. Báo cáo kết quả tiếp xúc cử tri ---------------------------------------------------

_PETITIONS = (  # thôn, số cử tri tham dự, số ý kiến, lĩnh vực nổi bật
    ("Lao Chải", 142, 9, "Vệ sinh môi trường điểm du lịch; giữ nước cho ruộng bậc thang"),
    ("Ngải Thầu", 118, 7, "Sửa đường đi bộ ngắm ruộng bậc thang; điện chiếu sáng"),
    ("Phìn Hồ", 104, 8, "Tranh chấp đất đai; nhà văn hóa thôn xuống cấp"),
    ("Mò Phú Chải", 96, 6, "Bao tiêu chè Shan tuyết; sóng điện thoại yếu"),
    ("Hồng Ngài", 131, 11, "Thiếu nước sinh hoạt mùa khô; tiến độ công trình nước"),
    ("Mù Khum", 87, 12, "Sạt lở đường vào thôn; học sinh đi học qua điểm sạt lở"),
    ("Ngải Trồ", 93, 8, "Phòng học mầm non tạm; bán trú cho học sinh"),
    ("Trung Chải", 89, 10, "46 hộ chưa có điện lưới; đường nội thôn lầy lội"),
)


def _report_voters(pages: int) -> DemoBody:  # fixed length
    table = Table(
        ("TT", "Thôn", "Cử tri tham dự", "Số ý kiến", "Nội dung chủ yếu"),
        [[str(i + 1), v, str(n), str(k), text] for i, (v, n, k, text) in enumerate(_PETITIONS)]
        + [["", "Tổng cộng", str(sum(p[1] for p in _PETITIONS)),
            str(sum(p[2] for p in _PETITIONS)), ""]],
        caption="Biểu tổng hợp kết quả tiếp xúc cử tri theo thôn",
        column_widths=(0.5, 1.6, 1.1, 0.9, 4.6), numeric_columns=(2, 3), bold_last_row=True)
    sections = [
        Section("", ["Thực hiện kế hoạch của Thường trực HĐND xã, từ ngày 15 đến ngày 25 tháng 6 "
                     "năm 2026, các Tổ đại biểu HĐND xã đã tổ chức tiếp xúc cử tri trước Kỳ họp "
                     "thường lệ giữa năm 2026 tại 8 thôn. 100% đại biểu tham gia tiếp xúc cử "
                     "tri theo địa bàn ứng cử."]),
        Section("KẾT QUẢ TIẾP XÚC CỬ TRI", [
            table,
            BarChart("Số ý kiến, kiến nghị của cử tri theo thôn", [p[0] for p in _PETITIONS],
                     [p[2] for p in _PETITIONS])]),
        Section("Ý KIẾN, KIẾN NGHỊ CỦA CỬ TRI", subsections=[
            Section("Lĩnh vực giao thông, phòng chống thiên tai", [
                "Cử tri thôn Mù Khum, Hồng Ngài đề nghị sớm khắc phục các điểm sạt lở trên "
                "đường vào thôn, làm rãnh thoát nước, bố trí biển cảnh báo nguy hiểm; cử tri "
                "Trung Chải đề nghị cứng hóa đường nội thôn."]),
            Section("Lĩnh vực nước sinh hoạt, điện", [
                "Cử tri Hồng Ngài phản ánh mùa khô nhiều hộ phải gùi nước từ khe suối xa 2 km. "
                "Cử tri Trung Chải đề nghị cấp điện lưới quốc gia cho 46 hộ chưa có điện."]),
            Section("Lĩnh vực giáo dục, y tế", [
                "Cử tri Ngải Trồ đề nghị xây phòng học kiên cố cho điểm trường mầm non, bảo đảm "
                "chỗ ở bán trú cho học sinh ở xa; đề nghị Trạm Y tế tăng cường khám lưu động."]),
            Section("Lĩnh vực du lịch, sản xuất", [
                "Cử tri Lao Chải, Ngải Thầu đề nghị có quy chế chung giữ gìn ruộng bậc thang, "
                "phân chia lợi ích từ du lịch cộng đồng; hỗ trợ giống lúa chịu lạnh và bao tiêu "
                "sản phẩm chè Shan tuyết, thảo quả."]),
        ]),
        Section("ĐỀ NGHỊ", [
            "Thường trực HĐND xã đề nghị UBND xã xem xét, giải quyết và trả lời các kiến nghị "
            "thuộc thẩm quyền; tổng hợp, chuyển các kiến nghị vượt thẩm quyền đến cơ quan có "
            "thẩm quyền và báo cáo kết quả tại kỳ họp cuối năm."]),
    ]
    return DemoBody(sections, Signature("CHỦ TỊCH", CHAIR_NAME, authority="TM. THƯỜNG TRỰC HĐND"),
                    HDND_RECIPIENTS)


# --- 7. Chương trình giám sát năm 2027 -----------------------------------------------------

def _draft_supervision_programme(pages: int) -> DemoBody:  # fixed length
    plan = Table(
        ("TT", "Nội dung giám sát", "Chủ thể", "Thời gian"),
        [["1", "Giám sát chuyên đề việc quản lý, sử dụng các công trình nước sinh hoạt tập "
               "trung", "HĐND xã", "Quý II/2027"],
         ["2", "Việc thực hiện chính sách hỗ trợ hộ nghèo, hộ cận nghèo", "Thường trực HĐND",
          "Quý I/2027"],
         ["3", "Tiến độ, chất lượng các công trình kè chống sạt lở", "Ban Kinh tế - Xã hội",
          "Quý III/2027"],
         ["4", "Quản lý hoạt động du lịch cộng đồng, homestay", "Ban Kinh tế - Xã hội",
          "Quý II/2027"],
         ["5", "Giải quyết khiếu nại, tố cáo, kiến nghị của công dân", "Ban Pháp chế",
          "Quý III/2027"],
         ["6", "Công tác phòng, chống ma túy, mua bán người ở khu vực biên giới",
          "Ban Pháp chế", "Quý IV/2027"],
         ["7", "Việc giải quyết kiến nghị cử tri sau các kỳ họp", "Các Tổ đại biểu",
          "Thường xuyên"]],
        caption="Danh mục nội dung giám sát năm 2027", column_widths=(0.5, 5, 2, 1.4))
    sections = [
        Section("", [
            Paragraph("HỘI ĐỒNG NHÂN DÂN XÃ Y TÝ", bold=True, centered=True),
            Paragraph("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;", italic=True),
            Paragraph("Căn cứ Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân;",
                      italic=True),
            Paragraph("Xét Tờ trình của Thường trực HĐND xã về dự kiến Chương trình giám sát "
                      "năm 2027; ý kiến thảo luận của đại biểu HĐND xã tại kỳ họp.", italic=True),
            Paragraph("QUYẾT NGHỊ:", bold=True, centered=True),
        ]),
        Section("Điều 1. Chương trình giám sát năm 2027 của HĐND xã", numbered=False, body=[
            "HĐND xã giám sát chuyên đề việc quản lý, sử dụng các công trình nước sinh hoạt tập "
            "trung trên địa bàn xã; xem xét báo cáo công tác của Thường trực HĐND, UBND xã và "
            "tiến hành chất vấn tại các kỳ họp. Ít nhất 20% hoạt động giám sát thường xuyên "
            "được thực hiện trên môi trường số.",
            plan]),
        Section("Điều 2. Tổ chức thực hiện", numbered=False, body=[
            "Thường trực HĐND xã xây dựng kế hoạch và tổ chức thực hiện Chương trình giám sát; "
            "các Ban, Tổ đại biểu và đại biểu HĐND xã chủ động giám sát theo lĩnh vực, địa bàn; "
            "kết quả giám sát được công khai để cử tri theo dõi."]),
    ]
    return DemoBody(sections, Signature("CHỦ TỊCH", CHAIR_NAME), HDND_RECIPIENTS,
                    draft_mark="DỰ THẢO")


# --- 8. Phiên chất vấn ---------------------------------------------------------------------

def _questioning_notice(pages: int) -> DemoBody:  # fixed length
    questions = Table(
        ("TT", "Nhóm vấn đề chất vấn", "Người trả lời", "Đại biểu đăng ký"),
        [["1", "Giải pháp khắc phục sạt lở đường Y Tý - A Lù và đường vào thôn Mù Khum; "
               "bảo đảm an toàn cho học sinh đi học mùa mưa", PEOPLES_COMMITTEE_CHAIR,
          "Thào A Páo, Phu Thị Chừ"],
         ["2", "Tiến độ công trình nước sinh hoạt Hồng Ngài; trách nhiệm khi chậm tiến độ",
          PEOPLES_COMMITTEE_VICE_CHAIR, "Ly Xá Pu, Chu Lao Tư"],
         ["3", "Cấp điện lưới quốc gia cho 46 hộ thôn Trung Chải", PEOPLES_COMMITTEE_CHAIR,
          "Pờ Chừ Lừ"],
         ["4", "Xóa phòng học tạm, bán trú cho học sinh điểm trường Ngải Trồ",
          PEOPLES_COMMITTEE_VICE_CHAIR, "Má Seo Chúng, Lê Thị Hồng Nhung"],
         ["5", "Quản lý du lịch cộng đồng và bảo tồn ruộng bậc thang Lao Chải, Ngải Thầu",
          PEOPLES_COMMITTEE_VICE_CHAIR, "Sần Cố Xá, Lý Gạ Sủ"]],
        caption="Nhóm vấn đề chất vấn và người trả lời",
        column_widths=(0.5, 4.6, 1.8, 2.2))
    sections = [
        Section("", ["Căn cứ kết quả tổng hợp ý kiến cử tri và đăng ký chất vấn của đại biểu, "
                     "Thường trực HĐND xã thông báo nội dung phiên chất vấn và trả lời chất vấn "
                     "tại Kỳ họp thường lệ giữa năm 2026 như sau:"]),
        Section("THỜI GIAN, HÌNH THỨC", [
            "Phiên chất vấn diễn ra từ 14 giờ 00 đến 16 giờ 30 ngày 10 tháng 7 năm 2026. Đại "
            "biểu đăng ký chất vấn trên máy tính bảng; mỗi lượt hỏi không quá 3 phút, trả lời "
            "không quá 5 phút; đại biểu có thể tranh luận một lần."]),
        Section("NHÓM VẤN ĐỀ CHẤT VẤN", [questions]),
        Section("TRÁCH NHIỆM", [
            BulletList([
                "Người trả lời chuẩn bị báo cáo, số liệu, trả lời trực tiếp, rõ trách nhiệm và "
                "giải pháp, thời hạn thực hiện;",
                "Thư ký kỳ họp ghi nhận đầy đủ câu hỏi, nội dung trả lời và cam kết để theo "
                "dõi việc thực hiện;",
                "Kết quả phiên chất vấn được công khai để cử tri theo dõi."])]),
    ]
    return DemoBody(sections, Signature("CHỦ TỊCH", CHAIR_NAME, authority="TM. THƯỜNG TRỰC HĐND"),
                    HDND_RECIPIENTS)


# --- the agenda ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoAgendaItem:
    """One item of the demo session's agenda (``AgendaItem`` fields) and its documents."""

    position: int
    title: str
    presenter: str
    duration_minutes: int
    description: str
    documents: Sequence[DemoDocument]


def _doc(title: str, kind: str, number: str, pages: int, issuer: Sequence[str], day: date,
         heading: str, subtitle: str, body: Any, filename: str,
         parent: Sequence[str] = (), confidentiality: str = "public",
         granted_to: Sequence[str] = ()) -> DemoDocument:
    return DemoDocument(title=title, kind=kind, number=number, pages=pages,  # type: ignore[arg-type]
                        issuer_lines=tuple(issuer), issued_on=day, doc_title=heading,
                        subtitle=subtitle, body=body, parent_issuer_lines=tuple(parent),
                        filename=filename,
                        confidentiality=confidentiality,  # type: ignore[arg-type]
                        granted_to=tuple(granted_to))


# The Ban Pháp chế review names citizens' complaints: only the committee, the Standing
# Committee and the People's Committee leaders read it before the session.
LAW_REVIEW_READERS = ("chair", "delegate01", "delegate02", "delegate03", "delegate05",
                      "delegate09", "delegate11", "delegate12", "delegate19", "secretary",
                      "official1", "official2")


DEMO_AGENDA: tuple[DemoAgendaItem, ...] = (
    DemoAgendaItem(
        1, "Báo cáo tình hình kinh tế - xã hội, quốc phòng - an ninh 6 tháng đầu năm; "
           "phương hướng, nhiệm vụ 6 tháng cuối năm 2026",
        f"{PEOPLES_COMMITTEE_CHAIR}, Chủ tịch UBND xã", 40,
        "UBND xã báo cáo; đại biểu thảo luận tại hội trường.",
        (_doc("Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2026", "report",
              "Báo cáo số 98/BC-UBND", 3, UBND, date(2026, 6, 20), "BÁO CÁO",
              "Tình hình thực hiện nhiệm vụ phát triển kinh tế - xã hội, quốc phòng - an ninh "
              "6 tháng đầu năm; phương hướng, nhiệm vụ 6 tháng cuối năm 2026",
              _report_socioeconomic, "bao-cao-kt-xh-6-thang-2026.pdf"),)),
    DemoAgendaItem(
        2, "Tờ trình và dự thảo Nghị quyết điều chỉnh dự toán ngân sách xã năm 2026",
        f"{PEOPLES_COMMITTEE_VICE_CHAIR}, Phó Chủ tịch UBND xã", 30,
        "Trình điều chỉnh dự toán ưu tiên khắc phục sạt lở, nước sinh hoạt, trường học.",
        (_doc("Tờ trình về việc điều chỉnh dự toán ngân sách xã năm 2026", "submission",
              "Tờ trình số 45/TTr-UBND", 2, UBND, date(2026, 6, 22), "TỜ TRÌNH",
              "Về việc điều chỉnh dự toán ngân sách xã năm 2026", _submission_budget,
              "to-trinh-dieu-chinh-du-toan-2026.pdf"),
         _doc("Dự thảo Nghị quyết điều chỉnh dự toán ngân sách xã năm 2026",
              "draft_resolution", "Nghị quyết số      /NQ-HĐND", 2, HDND, date(2026, 7, 10),
              "NGHỊ QUYẾT", "Về việc điều chỉnh dự toán ngân sách xã năm 2026",
              _draft_resolution_budget, "du-thao-nq-dieu-chinh-du-toan-2026.pdf"))),
    DemoAgendaItem(
        3, "Báo cáo thẩm tra của Ban Kinh tế - Xã hội HĐND xã",
        f"{ECONOMY_HEAD}, Trưởng Ban Kinh tế - Xã hội", 20,
        "Thẩm tra báo cáo kinh tế - xã hội, điều chỉnh dự toán, kế hoạch đầu tư công.",
        (_doc("Báo cáo thẩm tra của Ban Kinh tế - Xã hội", "review_report",
              "Báo cáo số 12/BC-KTXH", 2, ("BAN KINH TẾ - XÃ HỘI",), date(2026, 7, 2),
              "BÁO CÁO", "Thẩm tra các báo cáo, tờ trình trình Kỳ họp thường lệ giữa năm 2026",
              _review_economy, "bao-cao-tham-tra-ban-kt-xh.pdf", parent=HDND_PARENT),)),
    DemoAgendaItem(
        4, "Báo cáo thẩm tra của Ban Pháp chế HĐND xã",
        f"{LAW_HEAD}, Trưởng Ban Pháp chế", 20,
        "Thẩm tra báo cáo quốc phòng, an ninh, tư pháp và tính hợp pháp của các dự thảo.",
        (_doc("Báo cáo thẩm tra của Ban Pháp chế", "review_report", "Báo cáo số 08/BC-BPC", 1,
              ("BAN PHÁP CHẾ",), date(2026, 7, 2), "BÁO CÁO",
              "Thẩm tra các báo cáo thuộc lĩnh vực pháp chế trình Kỳ họp thường lệ giữa năm "
              "2026", _review_law, "bao-cao-tham-tra-ban-phap-che.pdf", parent=HDND_PARENT,
              confidentiality="restricted", granted_to=LAW_REVIEW_READERS),)),
    DemoAgendaItem(
        5, "Kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030",
        f"{PEOPLES_COMMITTEE_CHAIR}, Chủ tịch UBND xã", 45,
        "Danh mục dự án, kế hoạch vốn và danh sách hộ hưởng lợi của 8 thôn.",
        (_doc("Tờ trình về Kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030", "submission",
              "Tờ trình số 47/TTr-UBND", 167, UBND, date(2026, 6, 22), "TỜ TRÌNH",
              "Về Kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030", _investment_plan,
              "ke-hoach-dau-tu-cong-trung-han-2026-2030.pdf"),)),
    DemoAgendaItem(
        6, "Báo cáo kết quả tiếp xúc cử tri trước kỳ họp",
        f"{VICE_CHAIR_NAME}, Phó Chủ tịch HĐND xã", 20,
        "Tổng hợp ý kiến, kiến nghị của cử tri 8 thôn.",
        (_doc("Báo cáo kết quả tiếp xúc cử tri trước Kỳ họp thường lệ giữa năm 2026", "report",
              "Báo cáo số 05/BC-TTHĐND", 2, ("THƯỜNG TRỰC",), date(2026, 6, 30), "BÁO CÁO",
              "Kết quả tiếp xúc cử tri trước Kỳ họp thường lệ giữa năm 2026",
              _report_voters, "bao-cao-tiep-xuc-cu-tri.pdf", parent=HDND_PARENT),)),
    DemoAgendaItem(
        7, "Dự thảo Nghị quyết về Chương trình giám sát năm 2027 của HĐND xã",
        f"{CHAIR_NAME}, Chủ tịch HĐND xã", 20,
        "Chương trình giám sát chuyên đề và giám sát thường xuyên năm 2027.",
        (_doc("Dự thảo Nghị quyết về Chương trình giám sát năm 2027", "draft_resolution",
              "Nghị quyết số      /NQ-HĐND", 2, HDND, date(2026, 7, 10), "NGHỊ QUYẾT",
              "Về Chương trình giám sát năm 2027 của Hội đồng nhân dân xã Y Tý",
              _draft_supervision_programme, "du-thao-nq-chuong-trinh-giam-sat-2027.pdf"),)),
    DemoAgendaItem(
        8, "Phiên chất vấn và trả lời chất vấn",
        f"{CHAIR_NAME}, Chủ tịch HĐND xã (điều hành)", 150,
        "Đại biểu chất vấn lãnh đạo UBND xã về sạt lở, nước sinh hoạt, điện, trường học, "
        "du lịch cộng đồng.",
        (_doc("Thông báo nhóm vấn đề chất vấn tại kỳ họp", "other",
              "Thông báo số 14/TB-HĐND", 1, HDND, date(2026, 7, 1), "THÔNG BÁO",
              "Nội dung chất vấn và trả lời chất vấn tại Kỳ họp thường lệ giữa năm 2026",
              _questioning_notice, "thong-bao-nhom-van-de-chat-van.pdf",
              confidentiality="internal"),)),
)


def demo_documents() -> list[DemoDocument]:
    """Every document of the demo agenda, in agenda order."""
    return [doc for item in DEMO_AGENDA for doc in item.documents]
