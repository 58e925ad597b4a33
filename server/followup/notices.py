"""The notice to the sender of a complaint, denunciation, petition or feedback (thông báo cho
người gửi đơn): that it was forwarded to the competent body, or what the answer was.

The sender's name and address appear on this document only, and only a clerk who may read
the sender (``followup.can_read_sender``: for a denunciation, the clerk who received it)
can generate it. A denunciation's notice is sent to the denouncer alone: the body it was
forwarded to gets no copy, so the notice cannot reveal who denounced (Luật Tố cáo 2018,
Điều 47). Each generation is audited without the sender's data.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from server.errors import InvalidState, NotFound
from server.followup.deadlines import local_date
from server.followup.items import can_read_sender
from server.followup.lifecycle import ItemKind, Status
from server.followup.reports import COMPLAINT_TYPE_VI, place_of_council, printable
from server.models.base import utcnow
from server.models.followup import ComplainantRecord, ComplaintType, TrackedItem
from server.security.principal import Principal
from server.services import audit, council
from shared.reports.document import (
    OfficialDocument,
    Paragraph,
    Section,
    Signature,
    place_date_line,
)

NOTICE_STATUSES = frozenset({Status.FORWARDED, Status.IN_PROGRESS, Status.ANSWERED,
                             Status.VERIFIED_DONE, Status.OVERDUE, Status.REOPENED})


class NothingToNotify(InvalidState):
    """The complaint is neither forwarded nor answered yet: there is nothing to tell."""

    code = "followup_nothing_to_notify"
    message_vi = "Đơn chưa được chuyển hoặc trả lời nên chưa có nội dung để thông báo."
    message_en = "The complaint is neither forwarded nor answered yet: nothing to notify."


def _sender(db: Session, principal: Principal, item: TrackedItem) -> ComplainantRecord:
    record = db.exec(select(ComplainantRecord)
                     .where(ComplainantRecord.item_id == item.id)).first()
    if (item.kind != ItemKind.CITIZEN_COMPLAINT or record is None
            or not can_read_sender(principal, item, record)):
        raise NotFound("Không tìm thấy.", "Not found.")
    return record


def sender_notice(db: Session, principal: Principal, item: TrackedItem,
                  now: datetime | None = None) -> OfficialDocument:
    """The notice as an official document; the caller commits (the generation is audited)."""
    record = _sender(db, principal, item)
    name, address = printable(record.full_name), printable(record.address)
    agency = printable(item.responsible_agency) or "cơ quan có thẩm quyền"
    if Status(item.status) not in NOTICE_STATUSES or (
            item.forwarded_at is None and item.answered_at is None):
        raise NothingToNotify(status=item.status)
    today = local_date(now or utcnow())
    council_name = council.council_of(db, item).name
    kind = COMPLAINT_TYPE_VI.get(ComplaintType(item.complaint_type or "complaint"), "đơn")
    denunciation = item.complaint_type == ComplaintType.denunciation
    received = item.received_on.strftime("%d/%m/%Y")
    body: list = [
        f"Ngày {received}, Thường trực Hội đồng nhân dân nhận được đơn {kind} của Ông/Bà "
        f"{name}" + (f", địa chỉ: {address}" if address else "")
        + f", với nội dung: {printable(item.title)}.",
    ]
    answered_at = item.answered_at
    answered = answered_at is not None and item.answer.strip()
    if answered_at is not None and answered:
        body += [f"Ngày {local_date(answered_at).strftime('%d/%m/%Y')}, "
                 f"{agency} đã trả lời như sau:",
                 Paragraph(printable(item.answer), italic=True)]
    else:
        body.append(f"Thường trực Hội đồng nhân dân đã chuyển đơn đến {agency} để xem xét, giải "
                    f"quyết theo thẩm quyền và trả lời Ông/Bà theo quy định của pháp luật.")
    if denunciation:
        body.append("Họ tên, địa chỉ, bút tích và các thông tin cá nhân khác của người tố cáo "
                    "được giữ bí mật theo quy định của Luật Tố cáo.")
    body.append(f"Thường trực Hội đồng nhân dân thông báo để Ông/Bà {name} được biết.")
    recipients = [f"Ông/Bà {name};", "Lưu: VT, hồ sơ đơn."]
    if not denunciation and item.responsible_agency:
        recipients.insert(1, f"{agency} (để giải quyết);")
    audit.record(db, principal.account, "followup.sender_notice_generated", "tracked_item",
                 item.id, answered=bool(answered))
    return OfficialDocument(
        issuer_lines=("HỘI ĐỒNG NHÂN DÂN",
                      council_name.upper().replace("HỘI ĐỒNG NHÂN DÂN ", "", 1),
                      "THƯỜNG TRỰC"),
        number=f"{item.id}/TB-TTHĐND",
        place_date=place_date_line(place_of_council(council_name), today),
        title="THÔNG BÁO",
        subtitle=("Về kết quả giải quyết đơn" if answered
                  else "Về việc chuyển đơn") + f" {kind} của công dân",
        addressee=f"Kính gửi: Ông/Bà {name}",
        sections=[Section("", body, numbered=False)],
        signature_blocks=[Signature("PHÓ CHỦ TỊCH", "", authority="TM. THƯỜNG TRỰC HĐND")],
        recipients=recipients, author=council_name, subject="Thông báo cho người gửi đơn",
        issued_on=today)
