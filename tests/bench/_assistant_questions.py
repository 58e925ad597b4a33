"""Vietnamese questions on the demo archive, each with the source(s) an answer must cite.

A source is named as delegates know it (its title, or a resolution's number), not by a
database id, so the set survives a reseed. Several petitions say the same thing in the
demo (voters of one village sent them separately, some typed without diacritics); a
question about them lists each of the equivalent petitions, and citing one of them
counts. ``QUICK`` is the subset the normal test suite asserts on.
"""

from __future__ import annotations

from dataclasses import dataclass

SOCIO = "Báo cáo tình hình kinh tế - xã hội 6 tháng đầu năm 2026"
BUDGET_SUBMISSION = "Tờ trình về việc điều chỉnh dự toán ngân sách xã năm 2026"
BUDGET_DRAFT = "Dự thảo Nghị quyết điều chỉnh dự toán ngân sách xã năm 2026"
REVIEW_ECONOMY = "Báo cáo thẩm tra của Ban Kinh tế - Xã hội"
REVIEW_LAW = "Báo cáo thẩm tra của Ban Pháp chế"  # restricted: a grant is needed
INVESTMENT = "Tờ trình về Kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030"
VOTERS = "Báo cáo kết quả tiếp xúc cử tri trước Kỳ họp thường lệ giữa năm 2026"
SUPERVISION_2027 = "Dự thảo Nghị quyết về Chương trình giám sát năm 2027"
QUESTIONING = "Thông báo nhóm vấn đề chất vấn tại kỳ họp"


@dataclass(frozen=True)
class Question:
    text: str
    sources: tuple[tuple[str, str], ...]  # (source_type, title as stored) — any one will do


def doc(*titles: str) -> tuple[tuple[str, str], ...]:
    return tuple(("document", t) for t in titles)


def item(*titles: str) -> tuple[tuple[str, str], ...]:
    return tuple(("item", t) for t in titles)


QUESTIONS: tuple[Question, ...] = (
    Question("Sản lượng lương thực 6 tháng đầu năm đạt bao nhiêu phần trăm kế hoạch?", doc(SOCIO)),
    Question("Lượt khách du lịch đến Y Tý 6 tháng đầu năm là bao nhiêu?", doc(SOCIO)),
    Question("mua lon cuoi thang 5 gay sat lo bao nhieu diem tren duong Y Ty - A Lu?",
             doc(SOCIO, BUDGET_SUBMISSION)),
    Question("Bộ phận Một cửa giải quyết đúng hạn bao nhiêu phần trăm hồ sơ?", doc(SOCIO)),
    Question("Số hộ nghèo còn lại của xã là bao nhiêu?", doc(SOCIO)),
    Question("Vì sao phải điều chỉnh dự toán ngân sách xã năm 2026?", doc(BUDGET_SUBMISSION)),
    Question("Kè chống sạt lở Km 7+300 được bổ sung bao nhiêu triệu đồng?",
             doc(BUDGET_SUBMISSION, BUDGET_DRAFT, REVIEW_ECONOMY)),
    Question("Nghị quyết điều chỉnh dự toán giao ai tổ chức thực hiện?", doc(BUDGET_DRAFT)),
    Question("Ban Kinh tế - Xã hội đề nghị gì về báo cáo kinh tế - xã hội?", doc(REVIEW_ECONOMY)),
    Question("Ban thẩm tra đề nghị thứ tự ưu tiên đầu tư công trung hạn thế nào?",
             doc(REVIEW_ECONOMY)),
    Question("Giai đoạn 2021 - 2025 xã đã đầu tư bao nhiêu công trình?", doc(INVESTMENT)),
    Question("co cau nguon von ke hoach dau tu cong trung han", doc(INVESTMENT)),
    Question("Giải pháp thực hiện kế hoạch đầu tư công trung hạn là gì?", doc(INVESTMENT)),
    Question("Bao nhiêu cử tri tham dự tiếp xúc cử tri trước kỳ họp giữa năm?", doc(VOTERS)),
    Question("Cử tri Hồng Ngài phản ánh gì về nước sinh hoạt mùa khô?", doc(VOTERS)),
    Question("cu tri Ngai Tro de nghi gi ve truong mam non va ban tru?", doc(VOTERS)),
    Question("Năm 2027 HĐND xã giám sát chuyên đề nội dung gì?", doc(SUPERVISION_2027)),
    Question("Chương trình giám sát năm 2027 giao ai xây dựng kế hoạch tổ chức thực hiện?",
             doc(SUPERVISION_2027)),
    Question("Phiên chất vấn tại kỳ họp giữa năm diễn ra lúc mấy giờ?", doc(QUESTIONING)),
    Question("Ai trả lời chất vấn về cấp điện lưới cho 46 hộ thôn Trung Chải?", doc(QUESTIONING)),
    Question("Đường liên thôn Lao Chải - Ngải Thầu sạt lở đã được trả lời thế nào?",
             item("Đường liên thôn Lao Chải - Ngải Thầu bị sạt lở nặng, đề nghị sửa chữa",
                  "duong lien thon Lao Chai Ngai Thau sat lo, de nghi sua chua som",
                  "Đề nghị sửa đường Lao Chải đi Ngải Thầu bị sạt lở sau mưa lũ",
                  "Sạt lở đường liên thôn Ngải Thầu - Lao Chải, xe máy không đi được")),
    Question("thon Phin Ho thieu nuoc sinh hoat mua kho",
             item("Thôn Phìn Hồ thiếu nước sinh hoạt vào mùa khô, đề nghị nâng cấp công trình nước",
                  "Công trình nước sinh hoạt thôn Phìn Hồ hỏng, mùa khô thiếu nước")),
    Question("Kiến nghị về sóng điện thoại di động ở thôn Ngải Trồ",
             item("Thôn Ngải Trồ chưa có sóng điện thoại di động, đề nghị lắp trạm phát sóng",
                  "Đề nghị lắp trạm phát sóng điện thoại di động cho thôn Ngải Trồ")),
    Question("Trạm Y tế xã thiếu bác sĩ và thuốc",
             item("Trạm Y tế xã thiếu thuốc và bác sĩ, đề nghị bổ sung",
                  "Đề nghị bổ sung bác sĩ và thuốc cho Trạm Y tế xã",
                  "Người dân đi khám bệnh ở Trạm Y tế phải chờ lâu vì thiếu bác sĩ")),
    Question("Cầu treo qua suối thôn Trung Chải hỏng dây cáp",
             item("Cầu treo qua suối thôn Trung Chải bị hỏng dây cáp")),
    Question("trom trau bo tuan tra ban dem",
             item("Đề nghị tăng cường tuần tra ban đêm vì có trộm trâu bò")),
    Question("UBND xã cam kết gì khi trả lời chất vấn về quản lý đất đai?",
             item("UBND xã cam kết giải quyết dứt điểm vướng mắc về quản lý đất đai và cấp "
                  "giấy chứng nhận quyền sử dụng đất")),
    Question("Giám sát chuyên đề phòng chống sạt lở đất kết luận gì về thoát nước Lao Chải?",
             (("supervision", "Giám sát chuyên đề công tác phòng, chống sạt lở đất và ngập lụt "
                              "mùa mưa lũ"),
              ("item", "Hệ thống thoát nước tại thôn Lao Chải xuống cấp, gây ngập lụt cục bộ"))),
    Question("Kết luận giám sát việc giải quyết kiến nghị cử tri",
             (("supervision", "Giám sát chuyên đề việc giải quyết kiến nghị cử tri trước và "
                              "sau kỳ họp"),
              ("item", "Còn 7 kiến nghị quá hạn trả lời"))),
    Question("Nghị quyết về phòng, chống thiên tai, ngập lụt và sạt lở đất",
             (("resolution", "03/2026/NQ-HĐND Nghị quyết về phòng, chống thiên tai, ngập lụt và "
                             "sạt lở đất"),)),
    Question("Tiến độ di dời hộ dân khỏi vùng nguy cơ sạt lở",
             item("Di dời 12 hộ dân khỏi vùng có nguy cơ sạt lở, ngập lụt cao")),
    Question("Biển cảnh báo lũ quét tại các ngầm tràn đã lắp chưa?",
             item("Lắp đặt biển cảnh báo lũ quét tại các ngầm tràn")),
    Question("Hợp tác xã du lịch cộng đồng Lao Chải có bao nhiêu homestay đạt chuẩn?", doc(SOCIO)),
    Question("Tóm tắt tờ trình điều chỉnh dự toán ngân sách", doc(BUDGET_SUBMISSION, BUDGET_DRAFT)),
)

# The normal test suite asserts recall@5 on these (fast, and varied: documents, items,
# typed with and without diacritics, a supervision, a resolution).
QUICK: tuple[Question, ...] = tuple(QUESTIONS[i] for i in (0, 2, 6, 11, 14, 19, 20, 25, 27,
                                                           29))
