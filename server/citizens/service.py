"""Cases sent by citizens through the portal: receive, forward, record the reply, close.

The life cycle is the follow-up's (:mod:`server.followup.lifecycle` through
:func:`server.followup.items.perform_action`); this module adds what only a portal case
has: the tracking code, the sealed sender, whether the reply may be shown to whoever holds
the code, and who handles a denunciation. Audit entries name the case and never the sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from server.citizens.codes import new_code, normalise
from server.citizens.rules import CASE_RULES, PUBLIC_ANSWER_ALLOWED, CaseType
from server.errors import Forbidden, NotFound, Throttled, ValidationFailed
from server.followup import items as followup
from server.followup.deadlines import HolidaysUnknown, local_date
from server.followup.lifecycle import Action, ItemKind, Role, Status
from server.followup.schemas import ActionRequest
from server.models.base import id_of, utcnow
from server.models.citizens import CitizenCase, CitizenNotice
from server.models.followup import Attachment, TrackedItem, TrackedItemEvent
from server.security import sealed
from server.security.principal import Principal
from server.services import audit, search

SENDER_PURPOSE = "citizen sender"
MAX_TITLE, MAX_TEXT = 300, 10_000


class CaseIncomplete(ValidationFailed):
    code = "citizen_case_incomplete"


class CaseNotFound(NotFound):
    code = "citizen_case_not_found"
    message_vi = "Không tìm thấy hồ sơ với mã này. Hãy kiểm tra lại mã theo dõi."
    message_en = "No case has this code. Check the tracking code."


class SubmissionThrottled(Throttled):
    code = "citizen_submission_throttled"
    message_vi = "Cổng đang nhận quá nhiều đơn. Nội dung bạn nhập vẫn còn; hãy gửi lại sau ít phút."
    message_en = ("The portal is receiving too many letters. What you typed is kept; send it "
                  "again in a few minutes.")


@dataclass(frozen=True)
class Submission:
    """What the citizen typed on the form."""

    case_type: str
    title: str
    text: str
    area: str = ""
    full_name: str = ""
    address: str = ""
    email: str = ""
    phone: str = ""
    notify_by: str = ""


@dataclass(frozen=True)
class Sender:
    full_name: str
    address: str
    email: str
    phone: str


def _incomplete(field: str, vi: str, en: str) -> CaseIncomplete:
    return CaseIncomplete(vi, en, field=field)


def check(data: Submission) -> CaseType:
    """The case type, once the form holds what the law asks of it (else a refusal in words)."""
    try:
        case_type = CaseType(data.case_type)
    except ValueError:
        raise _incomplete("case_type", "Hãy chọn loại đơn.", "Choose the kind of letter.") from None
    rule = CASE_RULES[case_type]
    if not data.title.strip():
        raise _incomplete("title", "Hãy ghi tóm tắt nội dung đơn.", "Give the letter a subject.")
    if len(data.title) > MAX_TITLE or len(data.text) > MAX_TEXT:
        raise _incomplete("text", f"Nội dung quá dài (tối đa {MAX_TEXT} ký tự).",
                          f"The text is too long (at most {MAX_TEXT} characters).")
    if not data.text.strip():
        raise _incomplete("text", "Hãy ghi nội dung đơn.", "Write what the letter is about.")
    if rule.name_required and not data.full_name.strip():
        raise _incomplete("full_name", "Đơn khiếu nại, tố cáo phải ghi họ tên người gửi "
                          f"({rule.source_vi.split(':')[0]}).",
                          "A complaint or denunciation must give the sender's name "
                          f"({rule.source_en.split(':')[0]}).")
    if rule.contact_required and not (data.address.strip() or data.email.strip()
                                      or data.phone.strip()):
        raise _incomplete("address", "Đơn khiếu nại, tố cáo phải ghi địa chỉ hoặc cách liên hệ "
                          "với người gửi.", "A complaint or denunciation must say how to "
                          "reach the sender (address, e-mail or phone).")
    if data.email.strip() and ("@" not in data.email or len(data.email) > 200):
        raise _incomplete("email", "Địa chỉ e-mail không hợp lệ.", "The e-mail address is not valid.")
    digits = "".join(c for c in data.phone if c.isdigit())
    if data.phone.strip() and not 9 <= len(digits) <= 12:
        raise _incomplete("phone", "Số điện thoại không hợp lệ.", "The phone number is not valid.")
    if data.notify_by == "email" and not data.email.strip():
        raise _incomplete("email", "Hãy ghi e-mail để nhận thông báo.",
                          "Give an e-mail address to be notified.")
    if data.notify_by == "sms" and not data.phone.strip():
        raise _incomplete("phone", "Hãy ghi số điện thoại để nhận tin nhắn.",
                          "Give a phone number to be notified by SMS.")
    return case_type


def receive(db: Session, secret_key: str, data: Submission,
            now: datetime | None = None) -> CitizenCase:
    """File a new case: a tracked item (received, with its legal first deadline) and the code.

    The caller adds attachments and commits.
    """
    case_type = check(data)
    now = now or utcnow()
    rule = CASE_RULES[case_type]
    received = local_date(now)
    try:
        due = followup.COMPLAINT_LIMITS[rule.complaint_type].due(received)
    except HolidaysUnknown:
        due = None  # a date past the holiday tables: the clerk sets it
    item = TrackedItem(kind=ItemKind.CITIZEN_COMPLAINT.value, title=data.title.strip(),
                       text=data.text.strip(), status=Status.RECEIVED.value,
                       received_on=received, due_on=due, area=data.area.strip()[:200],
                       complaint_type=rule.complaint_type.value, public=False,
                       created_at=now, updated_at=now)
    db.add(item)
    db.flush()
    db.add(TrackedItemEvent(item_id=id_of(item), at=now, action="receive", from_status="",
                            to_status=Status.RECEIVED.value, actor_role=Role.SYSTEM.value,
                            note="cổng thông tin / portal"))
    sender = {"full_name": data.full_name.strip()[:200], "address": data.address.strip()[:500],
              "email": data.email.strip()[:200], "phone": data.phone.strip()[:40]}
    case = CitizenCase(item_id=id_of(item), code=_unused_code(db), case_type=case_type.value,
                       sender_sealed=sealed.seal(secret_key, SENDER_PURPOSE, sender)
                       if any(sender.values()) else "",
                       notify_by=data.notify_by if data.notify_by in ("email", "sms") else "",
                       created_at=now)
    db.add(case)
    db.flush()
    audit.record(db, None, "citizens.case_received", "citizen_case", case.id,
                 item_id=item.id, case_type=case_type.value)
    search.index_item(db, item)
    return case


def _unused_code(db: Session) -> str:
    while True:
        code = new_code()
        if db.exec(select(CitizenCase.id).where(CitizenCase.code == code)).first() is None:
            return code


def by_code(db: Session, typed: str) -> CitizenCase:
    case = db.exec(select(CitizenCase).where(CitizenCase.code == normalise(typed))).first()
    if case is None:
        raise CaseNotFound()
    return case


def get_case(db: Session, case_id: int) -> CitizenCase:
    case = db.get(CitizenCase, case_id)
    if case is None:
        raise CaseNotFound("Không tìm thấy hồ sơ.", "No such case.")
    return case


def item_of(db: Session, case: CitizenCase) -> TrackedItem:
    return followup.get_item(db, case.item_id)


def incoming(db: Session, principal: Principal, *, open_only: bool = False
             ) -> list[tuple[CitizenCase, TrackedItem]]:
    """The cases, newest first, for the staff list (no sender data in it)."""
    if not principal.is_staff:
        raise Forbidden()
    query = select(CitizenCase, TrackedItem).join(
        TrackedItem, col(TrackedItem.id) == CitizenCase.item_id)
    if open_only:
        query = query.where(col(CitizenCase.closed_at).is_(None))
    rows = db.exec(query.order_by(col(CitizenCase.id).desc())).all()
    return [(c, i) for c, i in rows]


# --- the sender: least privilege ----------------------------------------------------------


def may_read_sender(principal: Principal, case: CitizenCase) -> bool:
    """Clerks read a sender; a denouncer only the clerk who took the case (Luật Tố cáo 2018)."""
    if principal.role.value != "clerk":
        return False
    if case.case_type == CaseType.denunciation:
        return case.handler_account_id == principal.account.id
    return True


def read_sender(db: Session, secret_key: str, principal: Principal,
                case: CitizenCase) -> Sender | None:
    """The sender for a clerk who may read it (audited with the case id only); else None."""
    if not may_read_sender(principal, case):
        return None
    audit.record(db, principal.account, "citizens.sender_read", "citizen_case", case.id)
    return _sender(secret_key, case)


def _sender(secret_key: str, case: CitizenCase) -> Sender:
    data = sealed.unseal(secret_key, SENDER_PURPOSE, case.sender_sealed)
    return Sender(data.get("full_name", ""), data.get("address", ""), data.get("email", ""),
                  data.get("phone", ""))


def claim(db: Session, principal: Principal, case: CitizenCase) -> CitizenCase:
    """A clerk takes the case: for a denunciation, only they will read the sender."""
    if principal.role.value != "clerk":
        raise Forbidden()
    if case.handler_account_id not in (None, principal.account.id):
        raise Forbidden("Hồ sơ đã có người xử lý.", "Another clerk handles this case.")
    case.handler_account_id = principal.account.id
    db.add(case)
    audit.record(db, principal.account, "citizens.case_claimed", "citizen_case", case.id)
    return case


def attachments(db: Session, principal: Principal, case: CitizenCase) -> list[Attachment]:
    """A letter's files may carry the sender's signature: only who may read the sender."""
    if not may_read_sender(principal, case):
        return []
    return list(db.exec(select(Attachment).where(Attachment.item_id == case.item_id)
                        .order_by(col(Attachment.id))).all())


# --- the life cycle, through the follow-up's one state machine ----------------------------


def forward(db: Session, principal: Principal, case: CitizenCase, agency: str,
            note: str = "", now: datetime | None = None) -> TrackedItem:
    if not agency.strip():
        raise _incomplete("agency", "Hãy chọn cơ quan trả lời.", "Choose the answering body.")
    item = item_of(db, case)
    item.responsible_agency = agency.strip()[:300]
    followup.perform_action(db, principal, item, ActionRequest(action=Action.FORWARD,
                                                               note=note), now)
    search.index_item(db, item)
    return item


def record_reply(db: Session, principal: Principal, case: CitizenCase, answer: str,
                 public: bool, note: str = "", now: datetime | None = None) -> TrackedItem:
    if not answer.strip():
        raise _incomplete("answer", "Hãy ghi nội dung trả lời.", "Write the reply.")
    item = item_of(db, case)
    followup.perform_action(db, principal, item, ActionRequest(
        action=Action.RECORD_ANSWER, answer=answer.strip(), note=note, as_role="agency"), now)
    case.answer_public = public and CaseType(case.case_type) in PUBLIC_ANSWER_ALLOWED
    db.add(case)
    audit.record(db, principal.account, "citizens.reply_visibility", "citizen_case", case.id,
                 public=case.answer_public)
    return item


def close(db: Session, principal: Principal, case: CitizenCase, note: str = "",
          now: datetime | None = None) -> TrackedItem:
    now = now or utcnow()
    item = item_of(db, case)
    followup.perform_action(db, principal, item, ActionRequest(
        action=Action.VERIFY_DONE, note=note), now)
    case.closed_at = now
    db.add(case)
    return item


def notices(db: Session, case: CitizenCase) -> list[CitizenNotice]:
    """The notices sent or tried, oldest first (no address in them)."""
    return list(db.exec(select(CitizenNotice).where(CitizenNotice.case_id == case.id)
                        .order_by(col(CitizenNotice.id))).all())


# --- what the holder of the code sees -----------------------------------------------------


STEPS = ("received", "forwarded", "answered", "closed")


def status_view(db: Session, case: CitizenCase) -> dict:
    """The status page's data: the steps with their dates, and the reply when public.

    Holds nothing about the sender, so the page is the same whoever holds the code.
    """
    item = item_of(db, case)
    dates = {"received": case.created_at, "forwarded": item.forwarded_at,
             "answered": item.answered_at, "closed": case.closed_at}
    current = next((s for s in reversed(STEPS) if dates[s] is not None), "received")
    return {"code": case.code, "case_type": case.case_type, "title": item.title,
            "area": item.area, "received_on": item.received_on, "due_on": item.due_on,
            "agency": item.responsible_agency if item.forwarded_at else "",
            "steps": [{"key": s, "at": dates[s], "done": dates[s] is not None} for s in STEPS],
            "current": current,
            "answer": item.answer if case.answer_public and item.answered_at else "",
            "answer_withheld": bool(item.answered_at and not case.answer_public)}


EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def add_attachment(db: Session, case: CitizenCase, number: int, staged_key: str, size: int,
                   sha256: str, content_type: str) -> Attachment:
    """A file sent with the case. Its original name is not kept (it may hold the sender's
    name); it is filed as "tep-N" with the type found by its content."""
    attachment = Attachment(item_id=case.item_id, original_name=f"tep-{number}."
                            f"{EXTENSIONS[content_type]}", content_type=content_type,
                            storage_key=staged_key, size=size, sha256=sha256, uploaded_by=None)
    db.add(attachment)
    audit.record(db, None, "citizens.attachment_received", "citizen_case", case.id,
                 size=size, sha256=sha256)
    return attachment


# --- what a delegate's tablet shows -------------------------------------------------------

DELEGATE_TYPES = (CaseType.petition, CaseType.proposal)
"""A delegate carries voters' petitions and proposals; complaints and denunciations are a
citizen's own matter handled by the office, and stay off the tablets."""


def constituency_of(db: Session, person_id: int) -> str:
    from server.models.delegates import DelegateProfile

    profile = db.exec(select(DelegateProfile)
                      .where(DelegateProfile.person_id == person_id)).first()
    return profile.constituency if profile else ""


def for_delegate(db: Session, person_id: int, limit: int = 100) -> dict:
    """The petitions and proposals sent from the delegate's thôn, with their answers.

    No sender data, and a reply only when it may be public: the tablet is carried outside
    the hall. The code is left out too: it is the sender's key to the status page.
    """
    area = constituency_of(db, person_id)
    rows = [] if not area else db.exec(
        select(CitizenCase, TrackedItem)
        .join(TrackedItem, col(TrackedItem.id) == CitizenCase.item_id)
        .where(TrackedItem.area == area,
               col(CitizenCase.case_type).in_([t.value for t in DELEGATE_TYPES]))
        .order_by(col(CitizenCase.id).desc()).limit(limit)).all()
    cases = []
    for case, item in rows:
        view = status_view(db, case)
        cases.append({"id": case.id, "item_id": item.id, "case_type": case.case_type, "title": item.title,
                      "text": item.text, "received_on": item.received_on.isoformat(),
                      "status": view["current"], "agency": view["agency"],
                      "answer": view["answer"],
                      "steps": [{"key": s["key"], "at": s["at"].isoformat() if s["at"] else None}
                                for s in view["steps"]]})
    return {"constituency": area, "cases": cases}
