"""Chất vấn and giải trình around the sitting: registered before, called in the hall,
answered in writing after.

Before: a delegate of the session's body registers a question (to whom, on what, the
text, the voters' petitions it carries). The Standing Committee (a member of a
standing-committee body, or a clerk for it) orders them, names the answering official and
the date to be ready by, and publishes the programme (``programme_document``).
In the hall: ``call_into_sitting`` sends the programme, in order, as ordinary
``register_question`` commands on each delegate's behalf, so the reducer, the event log,
the countdowns and the minutes work as for any question.
After: ``sync_from_sitting`` reads the event log; a question not answered in the hall gets
a written-answer deadline (rule ``written_answer_deadline``, unverified), and
``attach_written_answer`` keeps the official's PDF as a public document of the session.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from server.errors import Forbidden, InvalidState, NotFound, ValidationFailed
from server.live import store as live_store
from server.models import (
    Body,
    BodyKind,
    Confidentiality,
    CouncilSession,
    Document,
    DocumentKind,
    Membership,
    Person,
    SessionOfficerRole,
)
from server.models.base import id_of
from server.models.followup import TrackedItem
from server.models.live import Sitting
from server.models.questioning import PreparedQuestion, QuestionStatus
from server.register import series as register_series
from server.register.service import entry_for, give_number, symbol
from server.security.principal import Principal
from server.services import audit, council, meetings
from shared import clock
from shared.live.commands import MAX_QUESTION_CHARS
from shared.live.state import replay
from shared.reports.document import BulletList, OfficialDocument, Paragraph, Section, Table, place_date_line

LOCAL = ZoneInfo("Asia/Ho_Chi_Minh")
WRITTEN_ANSWER_DAYS = 30
"""Rule ``written_answer_deadline`` (docs/rules.md): a default of the system, unverified."""
MAX_PER_DELEGATE = 10  # as shared.live.decide.MAX_QUESTIONS_PER_PERSON
MAX_PETITIONS = 20


class QuestionNotFound(NotFound):
    code = "question_not_found"
    message_vi = "Không tìm thấy câu hỏi chất vấn này."
    message_en = "No such question."


class NotAQuestioner(Forbidden):
    code = "not_a_questioner"
    message_vi = "Chỉ đại biểu của Hội đồng họp kỳ họp này mới đăng ký chất vấn được."
    message_en = "Only a delegate of the body holding this session may register a question."


class NotStandingCommittee(Forbidden):
    code = "not_standing_committee"
    message_vi = "Chỉ Thường trực HĐND (hoặc văn phòng) sắp xếp chương trình chất vấn."
    message_en = "Only the Standing Committee (or its office) arranges the questioning."


class TooManyQuestions(ValidationFailed):
    code = "too_many_questions"
    message_vi = "Mỗi đại biểu đăng ký tối đa 10 câu hỏi cho một kỳ họp."
    message_en = "A delegate registers at most 10 questions per session."


class UnknownPetition(ValidationFailed):
    code = "unknown_petition"
    message_vi = "Kiến nghị cử tri được dẫn không tồn tại."
    message_en = "A voters' petition it refers to does not exist."


class NotAnOfficial(ValidationFailed):
    code = "not_an_official"
    message_vi = "Người trả lời phải là đại biểu khách mời (cơ quan trả lời) của kỳ họp."
    message_en = "The answering person must be an invited official of the session."


class QuestionLocked(InvalidState):
    code = "question_locked"
    message_vi = "Câu hỏi đã đưa vào phiên họp, không sửa được nữa."
    message_en = "The question is already in the sitting and can no longer change."


def get_question(db: Session, question_id: int) -> PreparedQuestion:
    question = db.get(PreparedQuestion, question_id)
    if question is None:
        raise QuestionNotFound()
    return question


def is_standing_committee(db: Session, principal: Principal) -> bool:
    """A clerk, or a member of a Thường trực body of the council."""
    if principal.is_staff:
        return True
    if principal.person_id is None:
        return False
    return db.exec(select(Membership.id).join(Body, col(Body.id) == Membership.body_id).where(
        Membership.person_id == principal.person_id,
        Body.kind == BodyKind.standing_committee)).first() is not None


def require_standing_committee(db: Session, principal: Principal) -> None:
    if not is_standing_committee(db, principal):
        raise NotStandingCommittee()


def is_member(db: Session, person_id: int | None, session: CouncilSession) -> bool:
    return person_id is not None and db.exec(select(Membership.id).where(
        Membership.person_id == person_id, Membership.body_id == session.body_id)).first() \
        is not None


def officials(db: Session, session_id: int) -> list[Person]:
    """The invited officials of the session: who may be asked."""
    return [p for o, p in meetings.officers(db, session_id)
            if o.role == SessionOfficerRole.invited_official]


def _petitions(db: Session, ids: Sequence[int]) -> str:
    ids = list(dict.fromkeys(ids))[:MAX_PETITIONS]
    for item_id in ids:
        if db.get(TrackedItem, item_id) is None:
            raise UnknownPetition(item_id=item_id)
    return ",".join(str(i) for i in ids)


def petition_ids(question: PreparedQuestion) -> list[int]:
    return [int(p) for p in question.petition_ids.split(",") if p]


def _clean(text: str, limit: int) -> str:
    text = text.strip()
    if not text or len(text) > limit:
        raise ValidationFailed("Nội dung trống hoặc quá dài.", "Empty or too long.",
                               limit=limit)
    return text


def register(db: Session, principal: Principal, session_id: int, *, to_whom: str, topic: str,
             text: str, petitions: Sequence[int] = ()) -> PreparedQuestion:
    """The delegate's own question; the caller commits."""
    session = meetings.get_session(db, session_id)
    if not is_member(db, principal.person_id, session):
        raise NotAQuestioner()
    mine = db.exec(select(PreparedQuestion.id).where(
        PreparedQuestion.session_id == session_id,
        PreparedQuestion.person_id == principal.person_id)).all()
    if len(mine) >= MAX_PER_DELEGATE:
        raise TooManyQuestions()
    question = PreparedQuestion(
        session_id=session_id, person_id=principal.person_id or 0,
        to_whom=_clean(to_whom, 300), topic=_clean(topic, 300),
        text=_clean(text, MAX_QUESTION_CHARS), petition_ids=_petitions(db, petitions))
    db.add(question)
    db.flush()
    audit.record(db, principal.account, "question.registered", "prepared_question",
                 question.id, session_id=session_id, petitions=question.petition_ids)
    return question


def in_order(db: Session, session_id: int) -> list[PreparedQuestion]:
    """The programme's order: placed questions first by place, then by registration."""
    rows = db.exec(select(PreparedQuestion).where(PreparedQuestion.session_id == session_id)
                   .order_by(col(PreparedQuestion.id))).all()
    return sorted(rows, key=lambda q: (q.position is None, q.position or 0, id_of(q)))


def place_of(db: Session, question: PreparedQuestion) -> int:
    """1-based place in the session's list, as shown to the delegate."""
    return next(i for i, q in enumerate(in_order(db, question.session_id), 1)
                if q.id == question.id)


def mine(db: Session, principal: Principal, session_id: int) -> list[tuple[int, PreparedQuestion]]:
    """The caller's questions with their place in the list."""
    return [(i, q) for i, q in enumerate(in_order(db, session_id), 1)
            if q.person_id == principal.person_id]


def can_read(db: Session, principal: Principal, question: PreparedQuestion) -> bool:
    return (question.person_id == principal.person_id
            or question.addressee_id == principal.person_id
            or is_standing_committee(db, principal))


def schedule(db: Session, principal: Principal, question_id: int, *, addressee_id: int,
             position: int, prepare_by: date | None, group_label: str = "") -> PreparedQuestion:
    """The Standing Committee places a question, names who answers and by when to prepare."""
    require_standing_committee(db, principal)
    question = get_question(db, question_id)
    if question.status not in (QuestionStatus.registered, QuestionStatus.scheduled):
        raise QuestionLocked()
    if addressee_id not in {p.id for p in officials(db, question.session_id)}:
        raise NotAnOfficial()
    question.addressee_id = addressee_id
    question.position = max(1, position)
    question.prepare_by = prepare_by
    question.group_label = group_label.strip()[:200]
    question.status = QuestionStatus.scheduled.value
    db.add(question)
    audit.record(db, principal.account, "question.scheduled", "prepared_question", question.id,
                 addressee_id=addressee_id, position=question.position,
                 prepare_by=prepare_by.isoformat() if prepare_by else None)
    return question


def names_of(db: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {id_of(p): p.full_name for p in db.exec(select(Person).where(col(Person.id).in_(ids)))}


def _date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def programme_document(db: Session, session_id: int) -> OfficialDocument:
    """Chương trình chất vấn: the scheduled questions in order, with who answers and by when."""
    session = meetings.get_session(db, session_id)
    council_name = council.council_of(db, session).name
    rows = [q for q in in_order(db, session_id) if q.addressee_id is not None]
    names = names_of(db, {q.person_id for q in rows} | {q.addressee_id or 0 for q in rows})
    table = [[str(i), names.get(q.person_id, ""), names.get(q.addressee_id or 0, ""),
              (f"[{q.group_label}] " if q.group_label else "") + q.topic, _date(q.prepare_by)]
             for i, q in enumerate(rows, 1)]
    blocks: list = [Table(["TT", "Đại biểu hỏi", "Người trả lời", "Nội dung", "Chuẩn bị trước"],
                          table, column_widths=(0.6, 2.4, 2.4, 4, 1.6))] if table \
        else ["Chưa có câu hỏi được sắp xếp."]
    texts: list = []
    for i, q in enumerate(rows, 1):
        texts.append(Paragraph(f"{i}. {names.get(q.person_id, '')} — {q.topic}", bold=True))
        texts.append(q.text)
    upper = council_name.upper()
    return OfficialDocument(
        issuer_lines=("HỘI ĐỒNG NHÂN DÂN", upper.replace("HỘI ĐỒNG NHÂN DÂN ", "", 1)),
        number="", place_date=place_date_line(session.place or "", clock.today()),
        title="CHƯƠNG TRÌNH CHẤT VẤN", subtitle=session.title,
        sections=[Section("Thứ tự chất vấn", blocks), Section("Nội dung câu hỏi",
                                                              texts or ["—"])],
        signature_blocks=[], recipients=("Đại biểu HĐND;", "Người trả lời chất vấn;",
                                         "Lưu: VT."),
        author=council_name, subject="Chương trình chất vấn", issued_on=clock.today())


PROGRAMME_TITLE = "Chương trình chất vấn"


async def publish_programme(db: Session, store, principal: Principal, session_id: int,
                            limit: int, limits) -> Document:
    """The programme as a session document (so the next agenda pack carries it to every
    tablet): a new version of the same document each time it is published."""
    from server.services import documents

    require_standing_committee(db, principal)
    body = programme_document(db, session_id).render_pdf()

    async def chunks() -> AsyncIterator[bytes]:
        yield body

    existing = db.exec(select(Document).where(Document.session_id == session_id,
                                              Document.title == PROGRAMME_TITLE)).first()
    if existing is not None:
        await documents.upload_new_version(db, store, principal.account, existing, chunks(),
                                           limit, limits, "chuong-trinh-chat-van.pdf")
        return existing
    session = meetings.get_session(db, session_id)
    uploaded = await documents.upload_new_document(
        db, store, principal.account, session, chunks(), limit, limits,
        "chuong-trinh-chat-van.pdf", PROGRAMME_TITLE, DocumentKind.other,
        Confidentiality.internal, None)
    return uploaded.document


def to_call(db: Session, sitting_id: int) -> list[PreparedQuestion]:
    """Scheduled questions of the sitting's session not yet sent into a sitting, in order."""
    sitting = live_store.get_sitting(db, sitting_id)
    return [q for q in in_order(db, sitting.session_id)
            if q.status == QuestionStatus.scheduled and q.sitting_id is None]


def mark_called(db: Session, principal: Principal, question: PreparedQuestion, sitting_id: int,
                live_question_id: str) -> None:
    question.sitting_id = sitting_id
    question.live_question_id = live_question_id
    question.status = QuestionStatus.called.value
    db.add(question)
    audit.record(db, principal.account, "question.called", "prepared_question", question.id,
                 sitting_id=sitting_id, live_question_id=live_question_id)


async def call_into_sitting(db: Session, hub, principal: Principal, sitting_id: int) -> int:
    """The operator (chair, secretary, or a clerk the chair delegated to) sends the
    programme into the sitting, in order; returns how many went in. Each one is a
    ``register_question`` on the delegate's behalf, with a key of its own so a retry after
    a lost answer registers nothing twice."""
    from server.live.operators import NotAnOperator, seat_of
    from server.live.service import send_command
    from shared.live.commands import RegisterQuestion

    seat = seat_of(db, principal, live_store.get_sitting(db, sitting_id))
    if not seat.can_command:
        raise NotAnOperator()
    caller = seat.caller(principal.account)
    sent = 0
    for question in to_call(db, sitting_id):
        ack = await send_command(hub, sitting_id, RegisterQuestion(
            key=f"prepared-question-{question.id}", addressee_id=question.addressee_id or 0,
            text=f"{question.topic}: {question.text}"[:MAX_QUESTION_CHARS],
            person_id=question.person_id), caller)
        mark_called(db, principal, question, sitting_id, f"q{ack.seqs[0]}")
        db.commit()
        sent += 1
    return sent


def sync_from_sitting(db: Session, sitting_id: int) -> list[PreparedQuestion]:
    """After (or during) the sitting: copy each called question's fate from the event log.
    Answered in the hall stays answered; sent to writing, or not reached once the sitting
    closed, gets a written-answer deadline. Idempotent; the caller commits."""
    sitting: Sitting = live_store.get_sitting(db, sitting_id)
    events = live_store.events_after(db, sitting_id, 0)
    state = replay(events, live_store.initial_state(sitting)) if events else None
    changed: list[PreparedQuestion] = []
    rows = db.exec(select(PreparedQuestion).where(PreparedQuestion.sitting_id == sitting_id)).all()
    closed_on = state.closed_at.astimezone(LOCAL).date() if state and state.closed_at else None
    for question in rows:
        live = state.questions.get(question.live_question_id or "") if state else None
        if live is None or question.status == QuestionStatus.written:
            continue
        if live.conclusion and live.conclusion != question.conclusion:
            question.conclusion = live.conclusion
        if live.status == "answered":
            question.status = QuestionStatus.answered.value
        elif live.status == "in_writing" or closed_on is not None:
            question.status = QuestionStatus.in_writing.value
            if question.written_due is None:
                start = closed_on or clock.today()
                question.written_due = start + timedelta(days=WRITTEN_ANSWER_DAYS)
        db.add(question)
        changed.append(question)
    return changed


def set_written_due(db: Session, principal: Principal, question_id: int, due: date
                    ) -> PreparedQuestion:
    require_standing_committee(db, principal)
    question = get_question(db, question_id)
    if question.status != QuestionStatus.in_writing:
        raise InvalidState("Chỉ câu hỏi trả lời bằng văn bản mới có hạn này.",
                           "Only a question to be answered in writing has this deadline.")
    question.written_due = due
    db.add(question)
    audit.record(db, principal.account, "question.written_due_set", "prepared_question",
                 question.id, due=due.isoformat())
    return question


async def attach_written_answer(db: Session, store, principal: Principal, question_id: int,
                                chunks: AsyncIterator[bytes], filename: str | None,
                                limit: int, limits) -> PreparedQuestion:
    """The official's written answer (PDF), kept as a public document of the session: it
    shows on the asking delegate's list and on the portal."""
    from server.services import documents

    question = get_question(db, question_id)
    if not (is_standing_committee(db, principal) or (
            principal.person_id is not None and principal.person_id == question.addressee_id)):
        raise Forbidden()
    if question.status != QuestionStatus.in_writing:
        raise InvalidState("Câu hỏi này không chờ trả lời bằng văn bản.",
                           "This question is not waiting for a written answer.")
    session = meetings.get_session(db, question.session_id)
    document = (await documents.upload_new_document(
        db, store, principal.account, session, chunks, limit, limits, filename,
        f"Trả lời chất vấn: {question.topic}"[:500], DocumentKind.report,
        Confidentiality.public, None)).document
    question.answer_document_id = document.id
    question.answered_on = clock.today()
    question.status = QuestionStatus.written.value
    db.add(question)
    audit.record(db, principal.account, "question.answered_in_writing", "prepared_question",
                 question.id, document_id=document.id)
    db.commit()
    return question


def published(db: Session) -> list[PreparedQuestion]:
    """What the portal shows: questions answered in the hall or in writing."""
    return list(db.exec(select(PreparedQuestion).where(col(PreparedQuestion.status).in_(
        [QuestionStatus.answered.value, QuestionStatus.written.value, QuestionStatus.in_writing
         .value])).order_by(col(PreparedQuestion.session_id).desc(), col(PreparedQuestion.id))))


def conclusion_subject(session_id: int) -> str:
    return f"session:{session_id}:questioning_conclusion"


def conclusion_document(db: Session, principal: Principal | None, session_id: int, *,
                        number_it: bool = False) -> OfficialDocument:
    """Thông báo kết luận chất vấn: one per session, numbered in the register (TB-TTHĐND)
    when the Standing Committee issues it; the tasks are the chair's conclusions and the
    follow-up items the commitments became."""
    session = meetings.get_session(db, session_id)
    council_name = council.council_of(db, session).name
    entry = entry_for(db, register_series.CONCLUSION_NOTICE, conclusion_subject(session_id))
    if entry is None and number_it:
        require_standing_committee(db, principal)  # type: ignore[arg-type]
        entry = give_number(db, principal.account if principal else None,
                            register_series.CONCLUSION_NOTICE,
                            f"Kết luận chất vấn — {session.title}",
                            conclusion_subject(session_id))
    rows = [q for q in in_order(db, session_id) if q.sitting_id is not None]
    names = names_of(db, {q.person_id for q in rows} | {q.addressee_id or 0 for q in rows})
    blocks: list = []
    for i, q in enumerate(rows, 1):
        blocks.append(Paragraph(f"{i}. {names.get(q.person_id, '')} chất vấn "
                                f"{names.get(q.addressee_id or 0, '')} về {q.topic}", bold=True))
        blocks.append("Kết luận: " + (q.conclusion or "chưa có kết luận của chủ tọa."))
        if q.status in (QuestionStatus.in_writing, QuestionStatus.written):
            blocks.append(f"Trả lời bằng văn bản, hạn {_date(q.written_due)}"
                          + (f"; đã trả lời ngày {_date(q.answered_on)}." if q.answered_on
                             else "."))
    tasks = _tasks(db, session_id)
    upper = council_name.upper()
    return OfficialDocument(
        issuer_lines=("HỘI ĐỒNG NHÂN DÂN", upper.replace("HỘI ĐỒNG NHÂN DÂN ", "", 1)),
        number=symbol(entry) if entry else f"…/{register_series.CONCLUSION_NOTICE}",
        place_date=place_date_line(session.place or "", entry.issued_on if entry
                                   else clock.today()),
        title="THÔNG BÁO", subtitle=f"Kết luận chất vấn — {session.title}",
        sections=[Section("Kết luận từng câu hỏi", blocks or ["Không có câu hỏi."]),
                  Section("Nhiệm vụ theo dõi", [BulletList(tasks)] if tasks
                          else ["Không có cam kết cần theo dõi."])],
        signature_blocks=[], recipients=("Ủy ban nhân dân;", "Đại biểu HĐND;", "Lưu: VT."),
        author=council_name, subject="Kết luận chất vấn",
        issued_on=entry.issued_on if entry else clock.today())


def _tasks(db: Session, session_id: int) -> list[str]:
    from server.followup.states import ItemKind

    items = db.exec(select(TrackedItem).where(
        TrackedItem.session_id == session_id,
        TrackedItem.kind == ItemKind.QUESTIONING_COMMITMENT.value)
        .order_by(col(TrackedItem.id))).all()
    return [f"{t.title} (hạn {_date(t.due_on)}, mục theo dõi số {t.id})" for t in items]


def hearing_sessions(db: Session, session_ids: Sequence[int]) -> set[int]:
    """Sessions where registered questions were really asked in a sitting: for the plan's
    target of four questioning or explanation hearings a year."""
    if not session_ids:
        return set()
    return set(db.exec(select(PreparedQuestion.session_id).where(
        col(PreparedQuestion.session_id).in_(list(session_ids)),
        col(PreparedQuestion.sitting_id).is_not(None))).all())




PUBLIC_SESSION_STATUSES = ("published", "in_progress", "closed")


def public_rows(db: Session) -> list[dict]:
    """What the portal shows of each question asked: who asked whom about what, the chair's
    conclusion and the written answer (a public document). Only of sessions the public
    sees, and only once the question was called in a sitting."""
    rows = [q for q in published(db)
            if (s := db.get(CouncilSession, q.session_id)) is not None
            and str(s.status) in PUBLIC_SESSION_STATUSES]
    names = names_of(db, {q.person_id for q in rows} | {q.addressee_id or 0 for q in rows})
    return [{"id": q.id, "session_id": q.session_id, "asker": names.get(q.person_id, ""),
             "answerer": names.get(q.addressee_id or 0, ""), "topic": q.topic, "text": q.text,
             "status": q.status, "conclusion": q.conclusion,
             "answer_document_id": q.answer_document_id, "answered_on": q.answered_on}
            for q in rows]
