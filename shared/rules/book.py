"""Every rule the system applies, with its legal source, its verification status, the
sentence it rests on (quoted where the text was read) and a short Vietnamese explanation.

``RULES[key]`` is what the reducer, the ballot, the minutes and docs/rules.md refer to.
A rule whose text was not read says so (``status``), and every screen that shows it
shows the status too: a guess is never presented as law.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.rules.sources import (
    HD_883,
    KH_DE_AN_06,
    LUAT_72_2025,
    NQ_96_2023,
    NQ_104_2025,
    PROJECT,
    Source,
    Status,
)


@dataclass(frozen=True)
class Rule:
    key: str
    title_vi: str
    title_en: str
    source: Source
    article: str  # "Điều 35 khoản 2", or "" when not found
    status: Status
    explain_vi: str
    quote: str = ""  # the sentence as read, when it was read (official or secondary)
    note: str = ""  # what is uncertain, and why

    @property
    def citation(self) -> str:
        """'Luật Tổ chức chính quyền địa phương 2025, Điều 35 khoản 2'."""
        return f"{self.source.short}, {self.article}" if self.article else self.source.short


_RULES: tuple[Rule, ...] = (
    Rule(
        key="resolution",
        title_vi="Thông qua nghị quyết",
        title_en="Passing a resolution",
        source=LUAT_72_2025, article="Điều 35 khoản 2", status="official_text",
        quote=(
            "Nghị quyết của Hội đồng nhân dân được thông qua khi có quá nửa tổng số đại biểu "
            "Hội đồng nhân dân biểu quyết tán thành; riêng nghị quyết về bãi nhiệm đại biểu Hội "
            "đồng nhân dân được thông qua khi có ít nhất là hai phần ba tổng số đại biểu Hội "
            "đồng nhân dân biểu quyết tán thành."
        ),
        explain_vi=(
            "Nghị quyết được thông qua khi số đại biểu tán thành nhiều hơn một nửa TỔNG SỐ đại "
            "biểu của Hội đồng (không phải số có mặt, không phải số phiếu)."
        ),
    ),
    Rule(
        key="recall",
        title_vi="Bãi nhiệm đại biểu Hội đồng nhân dân",
        title_en="Recall of a delegate",
        source=LUAT_72_2025, article="Điều 35 khoản 2; Điều 38 khoản 5", status="official_text",
        quote=(
            "Trong trường hợp Hội đồng nhân dân bãi nhiệm đại biểu Hội đồng nhân dân thì việc "
            "bãi nhiệm phải được ít nhất hai phần ba tổng số đại biểu Hội đồng nhân dân biểu "
            "quyết tán thành. (Điều 38 khoản 5)"
        ),
        explain_vi=(
            "Bãi nhiệm một đại biểu cần ít nhất hai phần ba tổng số đại biểu tán thành; thiếu "
            "một phiếu là không được thông qua."
        ),
    ),
    Rule(
        key="dismissal",
        title_vi="Miễn nhiệm người giữ chức vụ do Hội đồng nhân dân bầu",
        title_en="Dismissal from a post the council elected",
        source=LUAT_72_2025, article="Điều 37 khoản 3, 4; Điều 35 khoản 2", status="official_text",
        quote=(
            "Hội đồng nhân dân miễn nhiệm, bãi nhiệm Chủ tịch Hội đồng nhân dân, Phó Chủ tịch "
            "Hội đồng nhân dân, Trưởng Ban của Hội đồng nhân dân cùng cấp theo đề nghị của "
            "Thường trực Hội đồng nhân dân … (Điều 37 khoản 3)"
        ),
        explain_vi=(
            "Hội đồng quyết định miễn nhiệm bằng nghị quyết, nên cần quá nửa tổng số đại biểu "
            "tán thành."
        ),
        note=(
            "Luật không nêu ngưỡng riêng cho miễn nhiệm; hệ thống áp dụng quy tắc chung về "
            "nghị quyết (Điều 35 khoản 2). Đây là cách hiểu của dự án."
        ),
    ),
    Rule(
        key="election",
        title_vi="Bầu các chức danh của Hội đồng nhân dân, Ủy ban nhân dân",
        title_en="Electing the council's and committee's officers",
        source=HD_883, article="", status="secondary_source",
        explain_vi=(
            "Người trúng cử phải được quá nửa tổng số đại biểu bầu; nếu nhiều người đạt thì lấy "
            "người nhiều phiếu hơn. Khi nhiều người bằng phiếu nhau ở chỗ cuối cùng thì Hội đồng "
            "bầu lại giữa những người bằng phiếu."
        ),
        note=(
            "Luật 72/2025 Điều 36 quy định ai bầu ai và ai giới thiệu, không nêu ngưỡng; kết quả "
            "bầu được xác nhận bằng nghị quyết (Điều 35 khoản 2: quá nửa tổng số đại biểu). "
            "Ngưỡng 'quá nửa, nhiều phiếu hơn, bằng phiếu thì bầu lại' theo bản tóm tắt Hướng dẫn "
            "883/HD-UBTVQH14, chưa đối chiếu nguyên văn."
        ),
    ),
    Rule(
        key="procedural",
        title_vi="Biểu quyết về thủ tục (chương trình, cách thức biểu quyết…)",
        title_en="Procedural vote",
        source=PROJECT, article="", status="unverified",
        explain_vi=(
            "Việc thủ tục (thông qua chương trình, thời gian thảo luận…) theo quy tắc Hội đồng tự "
            "đặt trong Quy chế làm việc; mặc định quá nửa tổng số đại biểu. Chỉ loại biểu quyết "
            "này được tiến hành khi chưa đủ số đại biểu có mặt, phải nêu lý do và được ghi vào "
            "biên bản."
        ),
        note=(
            "Luật 72/2025 Điều 35 khoản 1 giao hình thức biểu quyết cho Quy chế làm việc của Hội "
            "đồng; việc cho phép biểu quyết thủ tục khi chưa đủ số đại biểu là quy tắc của hệ "
            "thống, chưa có căn cứ pháp luật đã đọc."
        ),
    ),
    Rule(
        key="quorum",
        title_vi="Điều kiện tiến hành biểu quyết (số đại biểu có mặt)",
        title_en="Quorum",
        source=NQ_104_2025, article="", status="unverified",
        explain_vi=(
            "Cần ít nhất hai phần ba tổng số đại biểu có mặt (theo cấu hình của Hội đồng). Chưa "
            "đủ thì không được biểu quyết nghị quyết, bầu cử, miễn nhiệm, bãi nhiệm, lấy phiếu "
            "hay bỏ phiếu tín nhiệm."
        ),
        note=(
            "Luật 72/2025 (Điều 34) không nêu điều kiện về số đại biểu có mặt; Luật năm 2015 và "
            "Quy chế làm việc mẫu (Nghị quyết 104/2025/UBTVQH15) được cho là quy định 'ít nhất "
            "hai phần ba tổng số đại biểu' nhưng chưa đọc được nguyên văn. Luật 72/2025 Điều 49 "
            "khoản 2 chỉ dùng mốc hai phần ba cho trường hợp Hội đồng không còn đủ đại biểu."
        ),
    ),
    Rule(
        key="counting_committee",
        title_vi="Ban kiểm phiếu",
        title_en="Vote-counting committee",
        source=HD_883, article="", status="secondary_source",
        explain_vi=(
            "Hội đồng biểu quyết bầu Ban kiểm phiếu; cấp xã ít nhất 3 người; người có tên trong "
            "danh sách bầu, được lấy phiếu hoặc bỏ phiếu tín nhiệm không được ở trong Ban."
        ),
        note="Theo bản tóm tắt Hướng dẫn 883/HD-UBTVQH14; chưa đối chiếu nguyên văn.",
    ),
    Rule(
        key="survey_who",
        title_vi="Ai được lấy phiếu tín nhiệm",
        title_en="Who the confidence survey applies to",
        source=NQ_96_2023, article="Điều 2 khoản 2", status="official_text",
        quote=(
            "Hội đồng nhân dân cấp tỉnh, cấp huyện lấy phiếu tín nhiệm đối với những người giữ "
            "các chức vụ sau đây: a) Chủ tịch Hội đồng nhân dân, Phó Chủ tịch Hội đồng nhân dân, "
            "Trưởng Ban của Hội đồng nhân dân cấp tỉnh, cấp huyện; b) Chủ tịch Ủy ban nhân dân, "
            "Phó Chủ tịch Ủy ban nhân dân, các Ủy viên Ủy ban nhân dân cấp tỉnh, cấp huyện."
        ),
        explain_vi=(
            "Nghị quyết 96 chỉ nêu Hội đồng nhân dân cấp tỉnh, cấp huyện. Hội đồng nhân dân cấp "
            "xã tổ chức lấy phiếu thì hệ thống cảnh báo: chưa tìm thấy văn bản sửa đổi mở rộng "
            "cho cấp xã."
        ),
        note=(
            "Luật 72/2025 Điều 37 khoản 1: 'Hội đồng nhân dân thực hiện việc lấy phiếu tín nhiệm, "
            "bỏ phiếu tín nhiệm đối với người giữ chức vụ do Hội đồng nhân dân bầu theo quy định "
            "của Quốc hội.' Không tìm thấy nghị quyết sửa đổi Nghị quyết 96 sau cải cách 2025 "
            "(đã tìm tháng 12/2026)."
        ),
    ),
    Rule(
        key="survey_exclusions",
        title_vi="Người không lấy phiếu tín nhiệm",
        title_en="Who is left out of the survey",
        source=NQ_96_2023, article="Điều 2 khoản 5", status="official_text",
        quote=(
            "Không lấy phiếu tín nhiệm đối với người giữ chức vụ quy định tại khoản 1 và khoản 2 "
            "Điều này đã có thông báo nghỉ công tác chờ nghỉ hưu hoặc được bầu, bổ nhiệm trong "
            "năm lấy phiếu tín nhiệm."
        ),
        explain_vi=(
            "Không đưa vào phiếu người đã có thông báo nghỉ chờ hưu, hoặc được bầu, bổ nhiệm "
            "trong năm lấy phiếu."
        ),
    ),
    Rule(
        key="survey_window",
        title_vi="Thời điểm lấy phiếu tín nhiệm",
        title_en="When the survey is held",
        source=NQ_96_2023, article="", status="secondary_source",
        explain_vi=(
            "Một lần trong mỗi nhiệm kỳ, tại kỳ họp thường lệ cuối năm thứ ba của nhiệm kỳ. Tổ "
            "chức vào thời điểm khác thì hệ thống cảnh báo."
        ),
        quote=(
            "'Quốc hội, HĐND tổ chức lấy phiếu tín nhiệm một lần trong mỗi nhiệm kỳ vào kỳ họp "
            "thường lệ cuối năm thứ ba của nhiệm kỳ' (trích Nghị quyết 85/2014/QH13 sửa đổi, "
            "báo xahoi.com.vn)"
        ),
        note="Điều khoản tương ứng của Nghị quyết 96 chưa đọc được nguyên văn.",
    ),
    Rule(
        key="survey_consequence",
        title_vi="Hệ quả của kết quả lấy phiếu tín nhiệm",
        title_en="What follows a low-confidence rating",
        source=NQ_96_2023, article="Điều 12 (số điều chưa đối chiếu)", status="secondary_source",
        quote=(
            "Người được lấy phiếu tín nhiệm có quá nửa đến dưới hai phần ba tổng số phiếu đánh giá "
            "'tín nhiệm thấp' thì có thể xin từ chức; trường hợp không xin từ chức thì … Thường "
            "trực Hội đồng nhân dân trình Hội đồng nhân dân tiến hành bỏ phiếu tín nhiệm tại kỳ "
            "họp đó hoặc kỳ họp gần nhất … Người được lấy phiếu tín nhiệm có từ hai phần ba tổng "
            "số phiếu đánh giá 'tín nhiệm thấp' trở lên thì cơ quan hoặc người có thẩm quyền giới "
            "thiệu người đó … có trách nhiệm trình … miễn nhiệm … tại kỳ họp đó hoặc kỳ họp gần "
            "nhất. (Cổng TTĐT Chính phủ, 03/7/2023)"
        ),
        explain_vi=(
            "Quá nửa đến dưới hai phần ba số phiếu 'tín nhiệm thấp': có thể xin từ chức, nếu "
            "không thì Hội đồng bỏ phiếu tín nhiệm. Từ hai phần ba trở lên: trình miễn nhiệm. "
            "Hệ thống tính trên CẢ HAI căn cứ: tổng số phiếu và tổng số đại biểu."
        ),
        note=(
            "Căn cứ tính chưa được xác nhận từ nguyên văn: các bản tóm tắt Nghị quyết 96 (Cổng TTĐT "
            "Chính phủ, LuatVietnam, Dân Việt) ghi 'tổng số phiếu'; Nghị quyết 85/2014 và Luật "
            "87/2015 (Điều 63, bị ngưng hiệu lực bởi Điều 20 Nghị quyết 96) ghi 'tổng số đại "
            "biểu'. Điều 13 là 'Các trường hợp bỏ phiếu tín nhiệm' (tên điều đã đối chiếu), nên "
            "hệ quả nằm ở điều khác, nhiều khả năng Điều 12."
        ),
    ),
    Rule(
        key="confidence_vote_triggers",
        title_vi="Các trường hợp bỏ phiếu tín nhiệm",
        title_en="When a confidence vote is held",
        source=NQ_96_2023, article="Điều 13 khoản 2", status="secondary_source",
        quote=(
            "Thường trực Hội đồng nhân dân trình Hội đồng nhân dân bỏ phiếu tín nhiệm … trong "
            "trường hợp: có kiến nghị của ít nhất một phần ba tổng số đại biểu Hội đồng nhân dân; "
            "có kiến nghị của Ủy ban Mặt trận Tổ quốc Việt Nam cùng cấp; người được lấy phiếu tín "
            "nhiệm có quá nửa đến dưới 2/3 tổng số phiếu đánh giá 'tín nhiệm thấp'. (LuatVietnam)"
        ),
        explain_vi=(
            "Bỏ phiếu tín nhiệm khi: ít nhất một phần ba tổng số đại biểu kiến nghị bằng văn bản; "
            "Ủy ban Mặt trận Tổ quốc cùng cấp kiến nghị; hoặc kết quả lấy phiếu như trên."
        ),
        note="Tên Điều 13 đã đối chiếu (Bộ pháp điển); nội dung khoản theo nguồn thứ cấp.",
    ),
    Rule(
        key="confidence_vote",
        title_vi="Bỏ phiếu tín nhiệm",
        title_en="Confidence vote",
        source=NQ_96_2023, article="", status="secondary_source",
        explain_vi=(
            "Bỏ phiếu kín, hai mức 'tín nhiệm' và 'không tín nhiệm'. Người có quá nửa TỔNG SỐ đại "
            "biểu bỏ phiếu 'không tín nhiệm' thì cơ quan hoặc người đã giới thiệu trình Hội đồng "
            "miễn nhiệm."
        ),
        quote=(
            "Người được bỏ phiếu tín nhiệm có quá nửa tổng số đại biểu … đánh giá 'không tín "
            "nhiệm' có thể xin từ chức … (kinhtedothi.vn về Nghị quyết 85/2014/QH13; Luật Tổ chức "
            "Quốc hội 2014 Điều 13 khoản 2 có câu tương tự cho Quốc hội)"
        ),
        note=(
            "Điều khoản về hệ quả bỏ phiếu tín nhiệm của Nghị quyết 96 chưa đọc được nguyên văn; "
            "ngưỡng 'quá nửa tổng số đại biểu' theo các văn bản trước và bài báo, cần xác nhận."
        ),
    ),
)

_RULES += (
    Rule(
        key="documents_deadline",
        title_vi="Thời hạn gửi tài liệu kỳ họp đến đại biểu",
        title_en="When the session documents must reach the delegates",
        source=NQ_104_2025, article="", status="unverified",
        explain_vi=(
            "Hồ sơ dự thảo nghị quyết gửi đến đại biểu chậm nhất 05 ngày trước ngày khai mạc kỳ "
            "họp. Hệ thống đo từ lúc công bố bộ tài liệu kỳ họp."
        ),
        quote=(
            "Hồ sơ dự thảo nghị quyết phải được gửi đến các đại biểu Hội đồng nhân dân chậm nhất "
            "là năm ngày trước ngày khai mạc kỳ họp Hội đồng nhân dân (trang hỏi đáp "
            "http://113.160.202.252:8080/CSDLVungMien/Home/Hoidap/6696, không nêu văn bản)"
        ),
        note=(
            "Không rõ văn bản và điều khoản (có thể là quy định cũ về ban hành văn bản của Hội "
            "đồng nhân dân cấp xã); Quy chế làm việc mẫu (Nghị quyết 104/2025/UBTVQH15) có điều "
            "về chuẩn bị kỳ họp nhưng chưa đọc được. Thời hạn riêng cho kỳ họp chuyên đề chưa "
            "tìm thấy: hệ thống dùng cùng 05 ngày và ghi rõ là chưa kiểm chứng."
        ),
    ),
)

_RULES += (
    Rule(
        key="minutes_record",
        title_vi="Biên bản kỳ họp có số và chữ ký",
        title_en="Minutes numbered and signed",
        source=PROJECT, article="", status="unverified",
        explain_vi=(
            "Biên bản được lấy số trong sổ đăng ký văn bản của năm và có chữ ký của chủ tọa và "
            "thư ký kỳ họp. Hệ thống chỉ đánh dấu khi có dữ liệu."
        ),
        note=(
            "Số, ký hiệu văn bản theo Nghị định 30/2020/NĐ-CP (Điều 15) do phần sổ đăng ký văn "
            "bản đảm nhận; chưa đối chiếu trong phần này."
        ),
    ),
)

_RULES += (
    Rule(
        key="resolution_adoption",
        title_vi="Câu thông qua ở cuối nghị quyết",
        title_en="The adoption sentence at the end of a resolution",
        source=PROJECT, article="", status="unverified",
        explain_vi=(
            "Nghị quyết lập từ cuộc biểu quyết thông qua kết thúc bằng câu «Nghị quyết này đã "
            "được Hội đồng nhân dân xã …, nhiệm kỳ …, {tên kỳ họp} thông qua ngày … tháng … "
            "năm …», kèm kết quả biểu quyết và điều kiện thông qua đã áp dụng."
        ),
        quote=(
            "«Nghị quyết này đã được Hội đồng nhân dân tỉnh … khóa …, kỳ họp thứ … thông qua "
            "ngày …» — cách viết trong các nghị quyết HĐND đã ban hành (nguồn thứ cấp: bản đăng "
            "lại trên các trang văn bản pháp luật), không phải văn bản quy định mẫu"
        ),
        note=(
            "Chưa tìm thấy nguyên văn mẫu nghị quyết trong phụ lục của Luật Ban hành văn bản "
            "quy phạm pháp luật hay Nghị định 30/2020/NĐ-CP; dữ liệu kỳ họp chưa có «khóa» và "
            "«kỳ họp thứ» nên hệ thống ghi nhiệm kỳ và tên kỳ họp."
        ),
    ),
    Rule(
        key="questioning_time_limits",
        title_vi="Thời gian nêu câu hỏi, trả lời và chất vấn bổ sung",
        title_en="Time to ask, to answer and for a follow-up question",
        source=PROJECT, article="", status="unverified",
        explain_vi=(
            "Mặc định: nêu câu hỏi 2 phút, trả lời 5 phút, chất vấn bổ sung 1 phút mỗi lượt; "
            "Thường trực HĐND đặt lại cho từng cơ quan (TurnLimits). Đồng hồ đếm ngược tính từ "
            "thời điểm ghi trong sự kiện, không theo đồng hồ của từng máy."
        ),
        note=(
            "Chưa tìm thấy văn bản quy định thời lượng chất vấn tại kỳ họp Hội đồng nhân dân "
            "(Nội quy kỳ họp do Hội đồng nhân dân ban hành; Luật Hoạt động giám sát của Quốc "
            "hội và Hội đồng nhân dân chưa đọc được nguyên văn). Ở Quốc hội, theo trả lời của "
            "Tổng Thư ký Quốc hội (nguồn thứ cấp): hỏi không quá 01 phút, trả lời không quá "
            "03 phút mỗi lần; không áp dụng thẳng cho Hội đồng nhân dân."
        ),
    ),
    Rule(
        key="written_answer_deadline",
        title_vi="Thời hạn trả lời bằng văn bản câu hỏi chưa trả lời tại phiên họp",
        title_en="Deadline for a written answer to a question not reached in the hall",
        source=PROJECT, article="", status="unverified",
        explain_vi=(
            "Câu hỏi chưa được trả lời tại phiên họp được trả lời bằng văn bản; mặc định hạn "
            "30 ngày kể từ ngày bế mạc phiên họp, Thường trực HĐND có thể đặt hạn khác."
        ),
        note=(
            "Luật Hoạt động giám sát của Quốc hội và Hội đồng nhân dân có quy định về trả lời "
            "chất vấn bằng văn bản nhưng chưa đọc được nguyên văn thời hạn; 30 ngày là mặc định "
            "của hệ thống, chưa kiểm chứng."
        ),
    ),
    Rule(
        key="review_deadlines",
        title_vi="Hạn sơ kết 6 tháng và tổng kết năm",
        title_en="Half-year and annual review deadlines",
        source=KH_DE_AN_06, article="Mục V khoản 1", status="official_text",
        quote=(
            "Cơ quan thường trực, các chi bộ, cơ quan liên quan sơ kết 6 tháng trước 15/6 và "
            "tổng kết năm trước 15/11 hằng năm."
        ),
        explain_vi=(
            "Báo cáo sơ kết 6 tháng tính số liệu đến hết ngày 14/6, tổng kết năm đến hết ngày "
            "14/11; bảng điều khiển của tỉnh đếm ngày còn lại đến hạn gần nhất."
        ),
        note=(
            "Đây là hạn của kế hoạch thực hiện Đề án 06 (văn bản của cấp ủy), không phải của "
            "luật; tỉnh có thể đặt hạn khác cho các xã."
        ),
    ),
)

RULES: dict[str, Rule] = {rule.key: rule for rule in _RULES}
