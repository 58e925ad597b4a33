"""What each kind of case must contain, as data with its legal source.

Only what the law requires is required: a petition or proposal may be sent without a name;
a complaint or a denunciation must say who sends it and how to reach them. The sources
below were found by article number but their wording was not checked against the official
text in this work (``verified=False``: "chưa kiểm chứng / unverified"), see docs/rules.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from server.models.followup import ComplaintType


class CaseType(StrEnum):
    petition = "petition"  # kiến nghị
    complaint = "complaint"  # khiếu nại
    denunciation = "denunciation"  # tố cáo
    proposal = "proposal"  # đề xuất


@dataclass(frozen=True)
class CaseRule:
    complaint_type: ComplaintType
    """How the tracked item files it (the follow-up's kinds of citizen's letter)."""
    name_required: bool
    contact_required: bool
    """At least an address, an e-mail or a phone number."""
    source_vi: str
    source_en: str
    verified: bool = False


CASE_RULES: dict[CaseType, CaseRule] = {
    CaseType.petition: CaseRule(
        ComplaintType.petition, False, False,
        "Luật Tiếp công dân 2013 (42/2013/QH13): kiến nghị, phản ánh không bắt buộc ghi họ tên "
        "trên cổng thông tin; cơ quan trả lời khi người gửi để lại cách liên hệ.",
        "Law on Citizen Reception 2013: a petition sent through the portal need not be signed; "
        "the office answers when the sender leaves a way to reach them."),
    CaseType.proposal: CaseRule(
        ComplaintType.feedback, False, False,
        "Luật Tiếp công dân 2013 (42/2013/QH13): như kiến nghị, phản ánh.",
        "Law on Citizen Reception 2013: as a petition."),
    CaseType.complaint: CaseRule(
        ComplaintType.complaint, True, True,
        "Luật Khiếu nại 2011 (02/2011/QH13), Điều 8 khoản 2: đơn khiếu nại ghi rõ ngày, tháng, "
        "năm; tên, địa chỉ của người khiếu nại; nội dung, lý do khiếu nại.",
        "Law on Complaints 2011, Art. 8(2): the complaint states the date, the complainant's "
        "name and address, what is complained of and why."),
    CaseType.denunciation: CaseRule(
        ComplaintType.denunciation, True, True,
        "Luật Tố cáo 2018 (25/2018/QH14), Điều 23 khoản 1: đơn tố cáo ghi rõ ngày, tháng, năm; "
        "họ tên, địa chỉ, cách thức liên hệ với người tố cáo; hành vi bị tố cáo. Điều 47-48 và "
        "Điều 8 khoản 1: giữ bí mật họ tên, địa chỉ, bút tích, thông tin cá nhân của người tố cáo.",
        "Law on Denunciations 2018, Art. 23(1): the denunciation states the date, the "
        "denouncer's name, address and how to reach them, and the act denounced. Arts. 47-48 "
        "and 8(1): the denouncer's name, address, handwriting and personal data are kept "
        "confidential."),
}

PUBLIC_ANSWER_ALLOWED = frozenset({CaseType.petition, CaseType.proposal})
"""Whose reply may be shown on the status page when the clerk marks it public: a complaint's
or a denunciation's decision goes to the sender by letter, not to whoever holds the code."""
