"""Tracked items: create, list, read, act on them through the one life cycle; complaints
with their sender's data; attachments.

Resolutions, supervisions, voter meetings and petition grouping are in
:mod:`server.followup.bodies`; the plan's indicators in
:mod:`server.followup.indicators`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from server.documents.inspection import Limits
from server.documents.storage import DocumentStore, StagedFile
from server.errors import Forbidden, NotFound, Unsupported, ValidationFailed
from server.followup.deadlines import (
    CITIZEN_PETITION_REPLY,
    COMPLAINT_ACCEPTANCE,
    DENUNCIATION_INITIAL_HANDLING,
    HolidaysUnknown,
    days_left,
    local_date,
)
from server.followup.labels import status_label
from server.followup.lifecycle import (
    OPEN_STATUSES,
    Action,
    ItemKind,
    Role,
    Status,
    allowed_actions,
    effective_status,
    transition,
)
from server.followup.schemas import (
    ActionRequest,
    AttachmentRead,
    ComplaintCreate,
    EventRead,
    ItemCreate,
    ItemDetail,
    ItemRead,
    ItemUpdate,
    SenderRead,
)
from server.models import Account
from server.models.base import id_of, utcnow
from server.models.followup import (
    Attachment,
    ComplainantRecord,
    ComplaintType,
    TrackedItem,
    TrackedItemEvent,
)
from server.security.principal import Principal
from server.services import audit, search

ATTACHMENT_LIMIT_BYTES = 20 * 1024 * 1024
"""Evidence files are scans and photos, not session packs: 20 MB is plenty."""

ATTACHMENT_TYPES = {"application/pdf": b"%PDF-", "image/png": b"\x89PNG\r\n\x1a\n",
                    "image/jpeg": b"\xff\xd8\xff"}

COMPLAINT_LIMITS = {
    ComplaintType.denunciation: DENUNCIATION_INITIAL_HANDLING,
    ComplaintType.complaint: COMPLAINT_ACCEPTANCE,
    ComplaintType.petition: CITIZEN_PETITION_REPLY,
    ComplaintType.feedback: CITIZEN_PETITION_REPLY,
}
"""The office's first deadline: register and forward (or answer), and tell the sender."""


class TrackedItemNotFound(NotFound):
    """No followed item (petition, commitment, recommendation …) with this id."""

    message_vi = "Không tìm thấy việc đang theo dõi."
    message_en = "No such followed item."


class AttachmentNotFound(NotFound):
    """The followed item has no attachment with this id."""

    message_vi = "Không tìm thấy tệp đính kèm."
    message_en = "No such attachment."


class AttachmentRefused(ValidationFailed, Unsupported):
    code = "followup_attachment_refused"
    message_vi = "Chỉ nhận tệp PDF, PNG hoặc JPEG hợp lệ."
    message_en = "Only valid PDF, PNG or JPEG files are accepted."


@dataclass(frozen=True)
class ItemFilter:
    kind: ItemKind | None = None
    status: Status | None = None
    agency: str | None = None
    field: str | None = None
    area: str | None = None
    year: int | None = None
    text: str | None = None
    complaint_type: ComplaintType | None = None
    public_only: bool = False


def is_denunciation(item: TrackedItem) -> bool:
    return item.complaint_type == ComplaintType.denunciation


def can_read_item(principal: Principal | None, item: TrackedItem) -> bool:
    """Staff read everything; delegates and observers internal items except denunciations
    (whose text may point at the denouncer); the public only published items."""
    if principal is None:
        return item.public and item.kind != ItemKind.CITIZEN_COMPLAINT
    if principal.is_staff:
        return True
    return not is_denunciation(item)


def get_item(db: Session, item_id: int, principal: Principal | None = None) -> TrackedItem:
    item = db.get(TrackedItem, item_id)
    if item is None or (principal is not None and not can_read_item(principal, item)):
        raise TrackedItemNotFound()
    return item


def get_public_item(db: Session, item_id: int) -> TrackedItem:
    item = db.get(TrackedItem, item_id)
    if item is None or not can_read_item(None, item):
        raise TrackedItemNotFound()
    return item


def describe(item: TrackedItem, now: datetime | None = None) -> ItemRead:
    """The item as shown everywhere: its recorded state, and lateness as a mark of its own.

    A petition forwarded after its deadline is both forwarded and late, and a clerk needs
    both facts: the state label is the recorded state ("Đã chuyển cơ quan có thẩm quyền"),
    ``overdue_days`` says how late an open item is ("Quá hạn 4 ngày"). ``effective_status``
    stays "overdue" for such items so that filters and counts of overdue work keep working.
    """
    now = now or utcnow()
    shown = effective_status(item.status, item.due_on, now)
    late = shown is Status.OVERDUE and item.due_on is not None
    return ItemRead.model_validate(
        {
            **item.model_dump(),
            "effective_status": shown,
            "status_label_vi": status_label(Status(item.status), item.kind, "vi"),
            "status_label_en": status_label(Status(item.status), item.kind, "en"),
            "days_left": days_left(item.due_on, now) if item.due_on else None,
            "overdue_days": -days_left(item.due_on, now) if late and item.due_on else None,
        }
    )


def detail(db: Session, item: TrackedItem, principal: Principal | None) -> ItemDetail:
    events = db.exec(select(TrackedItemEvent).where(TrackedItemEvent.item_id == item.id)
                     .order_by(col(TrackedItemEvent.id))).all()
    files = (db.exec(select(Attachment).where(Attachment.item_id == item.id)
                     .order_by(col(Attachment.id))).all()
             if can_read_attachments(db, principal, item) else [])
    actions = ([a.value for a in allowed_actions(item.status, Role.CLERK)]
               if principal is not None and principal.is_staff else [])
    return ItemDetail(
        **describe(item).model_dump(),
        history=[EventRead.model_validate(e) for e in events],
        attachments=[AttachmentRead.model_validate(f) for f in files],
        allowed_actions=actions,
    )


def require_link(db: Session, model: type, value: int | None, field: str) -> None:
    """A linked row must exist: refused with 422 rather than a foreign-key failure."""
    if value is not None and db.get(model, value) is None:
        raise ValidationFailed(f"Liên kết {field} không tồn tại.",
                               f"The linked {field} does not exist.", field=field)


def _check_links(db: Session, data: ItemCreate) -> None:
    from server.models import AgendaItem, CouncilSession
    from server.models.followup import Resolution, Supervision, VoterMeeting

    for model, value, field in ((CouncilSession, data.session_id, "session_id"),
                                (AgendaItem, data.agenda_item_id, "agenda_item_id"),
                                (Resolution, data.resolution_id, "resolution_id"),
                                (Supervision, data.supervision_id, "supervision_id"),
                                (VoterMeeting, data.voter_meeting_id, "voter_meeting_id")):
        require_link(db, model, value, field)


def create_item(db: Session, actor: Account, data: ItemCreate, *,
                complaint_type: ComplaintType | None = None) -> TrackedItem:
    if data.kind == ItemKind.CITIZEN_COMPLAINT and complaint_type is None:
        raise ValidationFailed("Đơn của công dân được tiếp nhận qua mục khiếu nại, tố cáo.",
                               "Citizens' complaints are received through /complaints.")
    _check_links(db, data)
    received = data.received_on or local_date(utcnow())
    item = TrackedItem(
        **data.model_dump(exclude={"received_on", "public"}),
        received_on=received,
        # Complaints are never published: they carry a citizen's own matter.
        public=data.public and data.kind != ItemKind.CITIZEN_COMPLAINT,
        complaint_type=complaint_type.value if complaint_type else None,
        status=Status.RECEIVED.value,
        created_by=actor.id,
    )
    db.add(item)
    db.flush()
    db.add(TrackedItemEvent(item_id=id_of(item), at=utcnow(), action="receive", from_status="",
                            to_status=Status.RECEIVED.value, actor_role=Role.CLERK.value,
                            actor_account_id=actor.id))
    audit.record(db, actor, "followup.item_created", "tracked_item", item.id,
                 kind=item.kind, complaint_type=item.complaint_type, due_on=item.due_on)
    search.index_item(db, item)
    return item


def update_item(db: Session, actor: Account, item: TrackedItem, data: ItemUpdate) -> TrackedItem:
    changes = data.model_dump(exclude_unset=True)
    if changes.get("public") and item.kind == ItemKind.CITIZEN_COMPLAINT:
        raise ValidationFailed("Đơn của công dân không được công khai.",
                               "Citizens' complaints are never published.")
    for key, value in changes.items():
        setattr(item, key, value)
    item.updated_at = utcnow()
    db.add(item)
    audit.record(db, actor, "followup.item_updated", "tracked_item", item.id,
                 **{k: v for k, v in changes.items() if k != "text"})
    search.index_item(db, item)
    return item


def _acting_role(principal: Principal, as_role: str | None) -> Role:
    """The clerk acts as herself or records on behalf of an agency / the Standing Committee."""
    if not principal.is_staff:
        raise Forbidden()
    if as_role in (None, "", Role.CLERK.value):
        return Role.CLERK
    if as_role in (Role.AGENCY.value, Role.STANDING_COMMITTEE.value):
        return Role(as_role)
    raise ValidationFailed("Vai trò không hợp lệ.", "Unknown role.", field="as_role")


def perform_action(db: Session, principal: Principal, item: TrackedItem, request: ActionRequest,
                   now: datetime | None = None) -> TrackedItem:
    """Apply a life-cycle action; on a merged petition group's first item the members that
    stand where it stood follow it (one answer for one request asked many times)."""
    now = now or utcnow()
    role = _acting_role(principal, request.as_role)
    previous = item.status
    _apply(db, principal.account, item, request, role, now)
    if item.group_id is not None and item.group_id == item.id:
        members = db.exec(select(TrackedItem).where(TrackedItem.group_id == item.id,
                                                    TrackedItem.id != item.id,
                                                    TrackedItem.status == previous)).all()
        for member in members:
            _apply(db, principal.account, member, request, role, now)
    return item


def _apply(db: Session, actor: Account, item: TrackedItem, request: ActionRequest, role: Role,
           now: datetime) -> None:
    result = transition(item.status, request.action, role, now, actor_id=str(actor.id),
                        note=request.note or None)
    action = Action(request.action)
    if action is Action.FORWARD and item.forwarded_at is None:
        item.forwarded_at = now
    elif action is Action.RECORD_ANSWER:
        if request.answer is not None:
            item.answer = request.answer
        item.answered_at = now
    elif action is Action.VERIFY_DONE:
        item.verified_at = now
    elif action is Action.REOPEN:
        item.verified_at = None
    item.status = result.status.value
    item.updated_at = now
    db.add(item)
    db.add(TrackedItemEvent(item_id=id_of(item), at=now, action=action.value,
                            from_status=result.entry.from_status.value,
                            to_status=result.status.value, actor_role=role.value,
                            actor_account_id=actor.id, note=request.note))
    audit.record(db, actor, f"followup.{action.value}", "tracked_item", item.id,
                 from_status=result.entry.from_status.value, to_status=result.status.value,
                 role=role.value)
    if action is Action.RECORD_ANSWER:
        search.index_item(db, item)


def notify_sender(db: Session, actor: Account, item: TrackedItem, note: str = "") -> TrackedItem:
    """Record that the sender was told (forwarded, or the answer): the plan's 100% target."""
    if item.kind != ItemKind.CITIZEN_COMPLAINT:
        raise ValidationFailed("Chỉ đơn của công dân mới có người gửi để thông báo.",
                               "Only citizens' complaints have a sender to notify.")
    now = utcnow()
    item.sender_notified_at = now
    db.add(item)
    db.add(TrackedItemEvent(item_id=id_of(item), at=now, action="notify_sender",
                            from_status=item.status, to_status=item.status,
                            actor_role=Role.CLERK.value, actor_account_id=actor.id, note=note))
    audit.record(db, actor, "followup.sender_notified", "tracked_item", item.id)
    return item


def _year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def list_items(db: Session, flt: ItemFilter, principal: Principal | None, *,
               limit: int = 50, offset: int = 0,
               now: datetime | None = None) -> tuple[int, list[TrackedItem]]:
    """Items matching *flt* that the caller may read, newest first, and their total."""
    now = now or utcnow()
    today = local_date(now)
    query = select(TrackedItem)
    if flt.kind:
        query = query.where(TrackedItem.kind == flt.kind.value)
    if flt.complaint_type:
        query = query.where(TrackedItem.complaint_type == flt.complaint_type.value)
    if flt.status is Status.OVERDUE:
        open_values = [s.value for s in OPEN_STATUSES if s is not Status.OVERDUE]
        query = query.where(or_(col(TrackedItem.status) == Status.OVERDUE.value,
                                (col(TrackedItem.status).in_(open_values))
                                & (col(TrackedItem.due_on) < today)))
    elif flt.status in OPEN_STATUSES:
        query = query.where(TrackedItem.status == flt.status.value,
                            or_(col(TrackedItem.due_on).is_(None),
                                col(TrackedItem.due_on) >= today))
    elif flt.status is not None:
        query = query.where(TrackedItem.status == flt.status.value)
    if flt.agency:
        query = query.where(TrackedItem.responsible_agency == flt.agency)
    if flt.field:
        query = query.where(TrackedItem.field == flt.field)
    if flt.area:
        query = query.where(TrackedItem.area == flt.area)
    if flt.year:
        first, last = _year_bounds(flt.year)
        query = query.where(col(TrackedItem.received_on) >= first,
                            col(TrackedItem.received_on) <= last)
    if flt.text:
        ids = search.matching_source_ids(db, "item", flt.text)
        query = query.where(col(TrackedItem.id).in_(ids or [-1]))
    if flt.public_only or principal is None:
        query = query.where(col(TrackedItem.public).is_(True),
                            TrackedItem.kind != ItemKind.CITIZEN_COMPLAINT.value)
    elif not principal.is_staff:
        query = query.where(or_(col(TrackedItem.complaint_type).is_(None),
                                col(TrackedItem.complaint_type) != ComplaintType.denunciation.value))
    total = db.exec(select(func.count()).select_from(query.subquery())).one()
    rows = db.exec(query.order_by(col(TrackedItem.received_on).desc(),
                                  col(TrackedItem.id).desc()).offset(offset).limit(limit)).all()
    return int(total), list(rows)


# --- complaints and their senders ---------------------------------------------------------


def create_complaint(db: Session, actor: Account, data: ComplaintCreate) -> TrackedItem:
    """Receive a complaint, denunciation, petition or feedback at citizen reception.

    The due date is the office's legal limit to register and forward it and tell the
    sender (see ``server.followup.deadlines``; the limits are marked unchecked there).
    """
    received = data.received_on or local_date(utcnow())
    try:
        due = COMPLAINT_LIMITS[data.complaint_type].due(received)
    except HolidaysUnknown as exc:  # a date outside the holiday tables: the caller's to fix
        raise ValidationFailed(exc.message_vi, exc.message_en, field="received_on") from exc
    item = create_item(
        db, actor,
        ItemCreate(kind=ItemKind.CITIZEN_COMPLAINT, title=data.title, text=data.text,
                   received_on=received, due_on=due,
                   responsible_agency=data.responsible_agency, field=data.field,
                   area=data.area),
        complaint_type=data.complaint_type,
    )
    db.add(ComplainantRecord(item_id=id_of(item), handler_account_id=id_of(actor),
                             **data.sender.model_dump()))
    # The audit detail never holds the sender's data: the log is read more widely.
    audit.record(db, actor, "followup.sender_recorded", "tracked_item", item.id)
    return item


def can_read_sender(principal: Principal, item: TrackedItem, record: ComplainantRecord) -> bool:
    """Clerks handling complaints read the sender; a denouncer only the handling clerk."""
    if principal.role.value != "clerk":
        return False
    if is_denunciation(item):
        return record.handler_account_id == principal.account.id
    return True


def read_sender(db: Session, principal: Principal, item: TrackedItem) -> SenderRead:
    record = db.exec(select(ComplainantRecord)
                     .where(ComplainantRecord.item_id == item.id)).first()
    if record is None or not can_read_sender(principal, item, record):
        # Nobody learns whether a sender exists unless they may read it.
        raise NotFound("Không tìm thấy.", "Not found.")
    audit.record(db, principal.account, "followup.sender_read", "tracked_item", item.id)
    return SenderRead.model_validate(record)


# --- attachments --------------------------------------------------------------------------


async def check_attachment(staged: StagedFile, declared_type: str | None,
                           limits: Limits) -> str:
    """The file's real type (PDF, PNG, JPEG), checked by its first bytes and by MuPDF.

    A PDF is checked by the limited worker process (``server.documents.inspection``).
    """
    import pymupdf

    with open(staged.path, "rb") as handle:
        head = handle.read(16)
    found = next((t for t, magic in ATTACHMENT_TYPES.items() if head.startswith(magic)), None)
    if found is None:
        raise AttachmentRefused(declared_type=declared_type or "")
    if found == "application/pdf":
        from server.documents.inspection import inspect

        await inspect(staged.path, replace(limits, max_chars=0))
        return found
    try:
        with pymupdf.open(staged.path, filetype=found.split("/")[1]) as image:
            image.load_page(0)
    except Exception as exc:  # MuPDF raises several types for damaged images
        raise AttachmentRefused() from exc
    return found


def add_attachment(db: Session, store: DocumentStore, actor: Account, item: TrackedItem,
                   staged: StagedFile, filename: str | None, content_type: str) -> Attachment:
    name = (filename or "tep-dinh-kem").replace("\\", "/").rsplit("/", 1)[-1][:255]
    key = store.new_key()
    attachment = Attachment(item_id=id_of(item), original_name=name, content_type=content_type,
                            storage_key=key, size=staged.size, sha256=staged.sha256,
                            uploaded_by=actor.id)
    db.add(attachment)
    audit.record(db, actor, "followup.attachment_added", "tracked_item", item.id,
                 name=name, sha256=staged.sha256, size=staged.size)
    return attachment


def can_read_attachments(db: Session, principal: Principal | None, item: TrackedItem) -> bool:
    """A complaint's attachments may carry the sender's identity (a signed letter, an ID
    card): only those who may read the sender see them. Other items' files, as the item."""
    if item.kind != ItemKind.CITIZEN_COMPLAINT:
        return True
    record = db.exec(select(ComplainantRecord)
                     .where(ComplainantRecord.item_id == item.id)).first()
    return (principal is not None and record is not None
            and can_read_sender(principal, item, record))


def get_attachment(db: Session, item: TrackedItem, attachment_id: int,
                   principal: Principal | None = None) -> Attachment:
    found = db.get(Attachment, attachment_id)
    if not can_read_attachments(db, principal, item):
        found = None  # the same 404 as for no such file
    if found is None or found.item_id != item.id:
        raise AttachmentNotFound()
    return found
