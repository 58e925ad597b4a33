"""The minutes as a draft the secretary finishes.

Made once from the event log (``minutes.generated_sections``), then changed only by
people, section by section, each change kept as a ``MinutesEdit`` (who, when, before,
after) and audited. The draft is previewed in the official layout, numbered from the
yearly register, and finalised: the numbered PDF is stored as a Document of kind
``minutes`` for the chair and the secretary to sign. When the signature is recorded
(``on_document_signed``) the draft is frozen for good.

States: draft → final → signed; final → draft again by ``reopen`` (the next finalise adds a
version to the same Document), never after signing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from server.documents.storage import DocumentStore
from server.errors import Conflict, NotFound, ValidationFailed
from server.live.store import get_sitting
from server.models import Account, Document, DocumentKind
from server.models.base import id_of, utcnow
from server.models.minutes_draft import MinutesDraft, MinutesEdit, MinutesState
from server.models.register import RegisterEntry
from server.register import series as register_series
from server.register.service import give_number, symbol
from server.services import audit, meetings, minutes
from server.services.generated_documents import keep_pdf
from server.services.minutes_text import from_text, to_text
from shared.reports.document import OfficialDocument, Section

MAX_SECTION_CHARS = 50_000
CONCLUSIONS = ("conclusions", "Kết luận của chủ tọa")


class DraftNotStarted(NotFound):
    code = "minutes_draft_not_started"
    message_vi = "Chưa lập dự thảo biên bản cho phiên họp này."
    message_en = "No minutes draft has been made for this sitting yet."


class MinutesFrozen(Conflict):
    code = "minutes_frozen"
    message_vi = "Biên bản đã được ký số nên không thể sửa nữa."
    message_en = "The minutes have been signed and can no longer be changed."


class MinutesFinal(Conflict):
    code = "minutes_final"
    message_vi = ("Biên bản đã hoàn thiện và đang chờ ký; hãy mở lại dự thảo nếu cần sửa.")
    message_en = "The minutes are final and waiting for signatures; reopen the draft to edit."


class MinutesNotFinal(Conflict):
    code = "minutes_not_final"
    message_vi = "Chỉ mở lại được biên bản đã hoàn thiện mà chưa ký."
    message_en = "Only final minutes that are not signed can be reopened."


class DraftChanged(Conflict):
    code = "minutes_draft_changed"
    message_vi = ("Dự thảo vừa được người khác sửa. Nội dung bạn nhập vẫn còn đây; hãy xem "
                  "lịch sử rồi lưu lại.")
    message_en = ("Someone else changed the draft meanwhile. What you typed is kept here; "
                  "look at the history and save again.")


class UnknownSection(ValidationFailed):
    code = "minutes_unknown_section"
    message_vi = "Biên bản không có mục này."
    message_en = "The minutes have no such section."


class SectionTooLong(ValidationFailed):
    code = "minutes_section_too_long"
    message_vi = f"Một mục của biên bản dài quá {MAX_SECTION_CHARS:,} ký tự.".replace(",", ".")
    message_en = f"A section of the minutes is longer than {MAX_SECTION_CHARS:,} characters."


class NumberFirst(Conflict):
    code = "minutes_number_first"
    message_vi = "Hãy cấp số cho biên bản từ sổ đăng ký trước khi hoàn thiện."
    message_en = "Give the minutes a number from the register before finalising."


def get_draft(db: Session, sitting_id: int) -> MinutesDraft | None:
    return db.exec(select(MinutesDraft).where(MinutesDraft.sitting_id == sitting_id)).first()


def require_draft(db: Session, sitting_id: int) -> MinutesDraft:
    draft = get_draft(db, sitting_id)
    if draft is None:
        raise DraftNotStarted(sitting_id=sitting_id)
    return draft


def _record(db: Session, draft: MinutesDraft, actor: Account | None, action: str,
            key: str = "", heading: str = "", before: str = "", after: str = "") -> None:
    db.add(MinutesEdit(draft_id=id_of(draft), revision=draft.revision, action=action,
                       section_key=key, heading=heading, before=before, after=after,
                       account_id=actor.id if actor else None,
                       username=actor.username if actor else "hệ thống"))


def start_draft(db: Session, actor: Account, sitting_id: int) -> MinutesDraft:
    """The draft from the event log as it is now; a sitting has one draft, ever."""
    get_sitting(db, sitting_id)
    existing = get_draft(db, sitting_id)
    if existing is not None:
        return existing
    sections = [{"key": key, "heading": section.heading, "text": to_text(section.body)}
                for key, section in minutes.generated_sections(db, sitting_id)]
    sections.insert(len(sections) - 1, {"key": CONCLUSIONS[0], "heading": CONCLUSIONS[1],
                                        "text": ""})
    draft = MinutesDraft(sitting_id=sitting_id, sections=sections, created_by=actor.id)
    db.add(draft)
    db.flush()
    _record(db, draft, actor, "created")
    audit.record(db, actor, "minutes.draft_created", "minutes_draft", draft.id,
                 sitting_id=sitting_id, sections=[s["key"] for s in sections])
    return draft


def _editable(draft: MinutesDraft) -> None:
    if draft.state == MinutesState.signed:
        raise MinutesFrozen(sitting_id=draft.sitting_id)
    if draft.state == MinutesState.final:
        raise MinutesFinal(sitting_id=draft.sitting_id)


def edit_sections(db: Session, actor: Account, sitting_id: int, revision: int,
                  texts: Mapping[str, str]) -> MinutesDraft:
    """Save the sections the secretary changed; one history row per changed section.

    ``revision`` is the one the secretary's form was made from: if someone saved in
    between, nothing is saved and ``DraftChanged`` says so (the form keeps the text).
    """
    draft = require_draft(db, sitting_id)
    _editable(draft)
    if revision != draft.revision:
        raise DraftChanged(sitting_id=sitting_id, revision=draft.revision)
    by_key = {s["key"]: s for s in draft.sections}
    for key, text in texts.items():
        if key not in by_key:
            raise UnknownSection(section=key[:40])
        if len(text) > MAX_SECTION_CHARS:
            raise SectionTooLong(section=key)
    changed = []
    sections = [dict(s) for s in draft.sections]
    for section in sections:
        new = texts.get(section["key"])
        if new is None:
            continue
        new = new.replace("\r\n", "\n").strip()
        if new != section["text"].strip():
            changed.append((section["key"], section["heading"], section["text"], new))
            section["text"] = new
    if not changed:
        return draft
    draft.revision += 1
    draft.sections = sections  # a new list: JSON columns notice assignment, not mutation
    draft.updated_at = utcnow()
    db.add(draft)
    for key, heading, before, after in changed:
        _record(db, draft, actor, "edited", key, heading, before, after)
    audit.record(db, actor, "minutes.edited", "minutes_draft", draft.id, sitting_id=sitting_id,
                 revision=draft.revision, sections=[c[0] for c in changed],
                 chars_before=sum(len(c[2]) for c in changed),
                 chars_after=sum(len(c[3]) for c in changed))
    return draft


def draft_document(db: Session, sitting_id: int) -> OfficialDocument:
    """The draft in the official layout, with the number it has (or a blank one)."""
    draft = require_draft(db, sitting_id)
    sections = [Section(s["heading"], from_text(s["text"]), numbered=bool(s["heading"]))
                for s in draft.sections if s["text"].strip()]
    return minutes.minutes_document(db, sitting_id, sections)


def number(db: Session, actor: Account, sitting_id: int) -> RegisterEntry:
    """The minutes' number from the yearly register (asking again keeps the first)."""
    draft = get_draft(db, sitting_id)
    if draft is not None and draft.state == MinutesState.signed:
        raise MinutesFrozen(sitting_id=sitting_id)
    sitting = get_sitting(db, sitting_id)
    session = meetings.get_session(db, sitting.session_id)
    had = minutes.minutes_entry(db, sitting_id)
    entry = give_number(db, actor, register_series.MINUTES,
                        f"Biên bản phiên họp «{sitting.title}» ({session.title})",
                        subject=minutes.minutes_subject(sitting_id))
    if draft is not None and had is None:
        _record(db, draft, actor, "numbered", after=symbol(entry))
    return entry


def finalise(db: Session, store: DocumentStore, actor: Account, sitting_id: int) -> Document:
    """Store the numbered minutes as a PDF Document (kind minutes) ready to be signed."""
    draft = require_draft(db, sitting_id)
    _editable(draft)
    entry = minutes.minutes_entry(db, sitting_id)
    if entry is None:
        raise NumberFirst(sitting_id=sitting_id)
    sitting = get_sitting(db, sitting_id)
    pdf = draft_document(db, sitting_id).render_pdf()
    existing = db.get(Document, draft.document_id) if draft.document_id else None
    document, version = keep_pdf(
        db, store, actor, session_id=sitting.session_id, pdf=pdf,
        filename=f"bien-ban-{entry.number:02d}-{entry.year}.pdf",
        title=f"Biên bản phiên họp «{sitting.title}», số {symbol(entry)}",
        kind=DocumentKind.minutes, document=existing,
        note=f"Bản hoàn thiện từ dự thảo, lần sửa {draft.revision}")
    draft.document_id = document.id
    draft.state = MinutesState.final
    draft.updated_at = utcnow()
    db.add(draft)
    _record(db, draft, actor, "finalised", after=f"{symbol(entry)} · tài liệu #{document.id} "
                                                   f"phiên bản {version.version}")
    audit.record(db, actor, "minutes.finalised", "minutes_draft", draft.id,
                 sitting_id=sitting_id, document_id=document.id, version=version.version,
                 sha256=version.sha256, number=symbol(entry))
    return document


def reopen(db: Session, actor: Account, sitting_id: int) -> MinutesDraft:
    """Back to editing a final, unsigned draft (the stored PDF stays in the record)."""
    draft = require_draft(db, sitting_id)
    if draft.state == MinutesState.signed:
        raise MinutesFrozen(sitting_id=sitting_id)
    if draft.state != MinutesState.final:
        raise MinutesNotFinal(sitting_id=sitting_id)
    draft.state = MinutesState.draft
    draft.revision += 1
    draft.updated_at = utcnow()
    db.add(draft)
    _record(db, draft, actor, "reopened")
    audit.record(db, actor, "minutes.reopened", "minutes_draft", draft.id, sitting_id=sitting_id)
    return draft


def on_document_signed(db: Session, document_id: int, actor: Account | None = None) -> None:
    """Freeze the draft whose final PDF is ``document_id``; a no-op for any other document.

    Called by the signatures code once a signed version of the document is stored and
    verified. Also marks a prepared resolution with that document as signed.
    The caller commits.
    """
    draft = db.exec(select(MinutesDraft).where(MinutesDraft.document_id == document_id)).first()
    if draft is not None and draft.state != MinutesState.signed:
        draft.state = MinutesState.signed
        draft.updated_at = utcnow()
        db.add(draft)
        _record(db, draft, actor, "signed", after=f"tài liệu #{document_id}")
        audit.record(db, actor, "minutes.signed", "minutes_draft", draft.id,
                     sitting_id=draft.sitting_id, document_id=document_id)
    from server.services import resolutions  # one hook for both kinds

    resolutions.on_document_signed(db, document_id, actor)


@dataclass(frozen=True)
class HistoryLine:
    edit: MinutesEdit
    diff: list[tuple[str, str]]  # ("-"|"+"|" ", line)


def history(db: Session, sitting_id: int) -> list[HistoryLine]:
    """Every change of the draft, newest first, with the changed lines of each section."""
    import difflib

    draft = require_draft(db, sitting_id)
    edits = db.exec(select(MinutesEdit).where(MinutesEdit.draft_id == draft.id)
                    .order_by(col(MinutesEdit.id).desc())).all()
    lines = []
    for edit in edits:
        diff: list[tuple[str, str]] = []
        if edit.action == "edited":
            for line in difflib.unified_diff(edit.before.splitlines(), edit.after.splitlines(),
                                             lineterm="", n=1):
                if line.startswith(("---", "+++", "@@")):
                    continue
                diff.append((line[:1], line[1:]))
        lines.append(HistoryLine(edit, diff))
    return lines
