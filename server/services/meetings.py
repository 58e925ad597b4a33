"""Sessions of a body: their life cycle, agenda, officers and attendance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import TypeAdapter
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import Session, col, select

from server.cache import generations
from server.cache.lru import GenerationCache
from server.errors import InvalidState, NotFound, ValidationFailed
from server.models import (
    Account,
    AgendaItem,
    Attendance,
    AttendanceStatus,
    CouncilSession,
    Document,
    Membership,
    MembershipRole,
    Person,
    SessionOfficer,
    SessionOfficerRole,
    SessionStatus,
)
from server.models.base import id_of, utcnow
from server.models.live import Sitting
from server.schemas.meeting import (
    AgendaItemCreate,
    AgendaItemRead,
    AgendaItemUpdate,
    AgendaMove,
    AttendanceRead,
    AttendanceSet,
    AttendanceSummary,
    SessionCreate,
    SessionRead,
    SessionUpdate,
)
from server.services import audit, search_visibility
from server.services.council import get_body, get_person, member_count
from server.tenancy import scoping

if TYPE_CHECKING:
    from server.security.principal import Principal

# The only ways a session's status may move; anything else is refused.
TRANSITIONS: dict[SessionStatus, set[SessionStatus]] = {
    SessionStatus.draft: {SessionStatus.published},
    SessionStatus.published: {SessionStatus.in_progress, SessionStatus.draft},
    SessionStatus.in_progress: {SessionStatus.closed},
    SessionStatus.closed: set(),
}


class SessionNotFound(NotFound):
    """No session with this id (or the caller may not see it)."""

    message_vi = "Không tìm thấy kỳ họp."
    message_en = "No such session."


class SessionNotEditable(InvalidState):
    """Editing a session that has started or closed."""

    message_vi = "Kỳ họp đã bắt đầu hoặc đã bế mạc, không sửa được nữa."
    message_en = "The session has started or closed and can no longer be edited."


class SessionAlreadyHeld(InvalidState):
    """Taking a session back to draft after one of its sittings was held."""

    message_vi = "Kỳ họp đã có phiên họp được tiến hành, không thể đưa về dự thảo."
    message_en = "A sitting of this session was held: it cannot go back to draft."


class SittingStillRunning(InvalidState):
    """Closing a session while one of its sittings is open or paused."""

    message_vi = "Còn phiên họp đang họp hoặc tạm dừng: hãy bế mạc phiên họp trước."
    message_en = "A sitting is still open or paused: close it first."


class AgendaItemNotFound(NotFound):
    """No agenda item with this id in the session."""

    message_vi = "Không tìm thấy mục chương trình."
    message_en = "No such agenda item."


class AgendaItemHasChildren(InvalidState):
    """Deleting an agenda item that still has sub-items."""

    message_vi = "Mục còn mục con; hãy xóa hoặc chuyển chúng trước."
    message_en = "The item has sub-items; delete or move them first."


class OfficerNotFound(NotFound):
    """Removing a session role the person does not hold."""

    message_vi = "Người này không giữ vai trò đó."
    message_en = "This person does not hold that role."


class SessionNotPublishedYet(InvalidState):
    """An action that needs a published session."""

    message_vi = "Kỳ họp chưa được công bố."
    message_en = "The session is not published yet."


def visible_sessions(db: Session, principal) -> list[CouncilSession]:  # Principal
    """The sessions the caller may see, newest first (officer roles read once, not per row)."""
    from server.security.policy import can_view_session

    principal.preload_session_roles(db)
    return [s for s in _all_sessions(db) if can_view_session(db, principal, s)]


# Every session's columns, newest first, kept under the "meeting" generation: the session
# list and every agenda read start here (server/cache/generations.py).
@dataclass(frozen=True)
class _SessionRows:
    newest_first: list[dict[str, Any]]
    by_id: dict[int, dict[str, Any]]
    reads: list[SessionRead]  # the API's shape of each, newest first
    reads_json: list[bytes]  # and its JSON, so a list is joined, not serialised again
    read_by_id: dict[int, SessionRead]


_SESSIONS: GenerationCache[str, _SessionRows] = GenerationCache(capacity=16)
_SESSION_COLUMNS = [attribute.key for attribute in sa_inspect(CouncilSession).column_attrs]


def scope_key(reads: frozenset[int] | None) -> str:
    """The session cache holds each scope's sessions apart: "all" for unscoped work, else
    the councils read ("3" for a commune, "1,3,4" for a province reader)."""
    return "all" if reads is None else ",".join(str(c) for c in sorted(reads))


def _session_rows(db: Session) -> _SessionRows:
    generation = generations.of(db, generations.MEETING)
    scope = scoping.scope_of(db)
    key = scope_key(None if scope is None else scope.reads)
    rows = _SESSIONS.get(key, generation)
    if rows is None:
        found = db.exec(select(CouncilSession).order_by(col(CouncilSession.start_date).desc()))
        listed = [{key: getattr(s, key) for key in _SESSION_COLUMNS} for s in found]
        reads = [SessionRead.model_validate(row) for row in listed]
        rows = _SessionRows(listed, {row["id"]: row for row in listed}, reads,
                            [read.model_dump_json().encode() for read in reads],
                            {read.id: read for read in reads})
        if generations.may_store(db):
            _SESSIONS.put(key, generation, rows)
    return rows


def visible_session_json(db: Session, principal: Principal) -> list[bytes]:
    """``visible_sessions`` as the API's JSON of each, newest first."""
    from server.security.policy import can_view_session_preloaded

    principal.preload_session_roles(db)
    rows = _session_rows(db)
    return [json for read, json in zip(rows.reads, rows.reads_json, strict=True)
            if can_view_session_preloaded(principal, read)]


def _all_sessions(db: Session) -> list[CouncilSession]:
    return [_detached(row) for row in _session_rows(db).newest_first]


def _detached(row: dict[str, Any]) -> CouncilSession:
    """A fresh detached copy, so a caller that changes one changes only its own."""
    session = CouncilSession(**row)
    make_transient_to_detached(session)
    return session


def viewed_session(db: Session, session_id: int) -> CouncilSession:
    """A session for reading only (from the cache): not attached to ``db``."""
    row = _session_rows(db).by_id.get(session_id)
    if row is None:
        raise SessionNotFound()
    return _detached(row)


def cached_session(counters: generations.Counters, reads: frozenset[int],
                   session_id: int) -> SessionRead | None:
    """One session from memory; None when not known at these counters (ask the database).

    Shared between requests: read it, never change it."""
    rows = _SESSIONS.get(scope_key(reads), counters.stamp(generations.MEETING))
    return None if rows is None else rows.read_by_id.get(session_id)


def cached_agenda_json(counters: generations.Counters, session_id: int) -> bytes | None:
    """The agenda as the API's JSON, from memory at these counters, or None."""
    found = _AGENDAS.get(session_id, counters.stamp(generations.MEETING))
    return None if found is None else found.json


def cached_session_json(counters: generations.Counters,
                        reads: frozenset[int]) -> list[tuple[SessionRead, bytes]] | None:
    """Every session of these councils with its API JSON, newest first, from memory, or None."""
    rows = _SESSIONS.get(scope_key(reads), counters.stamp(generations.MEETING))
    return None if rows is None else list(zip(rows.reads, rows.reads_json, strict=True))


def get_session(db: Session, session_id: int) -> CouncilSession:
    session = db.get(CouncilSession, session_id)
    if session is None:
        raise SessionNotFound()
    return session


def create_session(db: Session, actor: Account, data: SessionCreate) -> CouncilSession:
    body = get_body(db, data.body_id)
    session = CouncilSession(
        council_id=body.council_id, body_id=id_of(body), title=data.title, kind=data.kind,
        start_date=data.start_date, end_date=data.end_date or data.start_date, place=data.place,
    )
    db.add(session)
    db.flush()
    # The body's chair chairs its sessions unless the clerk names someone else.
    for membership in db.exec(select(Membership).where(Membership.body_id == body.id,
                                                       Membership.role == MembershipRole.chair)):
        db.add(SessionOfficer(session_id=id_of(session), person_id=membership.person_id,
                              role=SessionOfficerRole.chair))
    audit.record(db, actor, "session.created", "session", session.id,
                 **data.model_dump(mode="json"))
    return session


def _require_editable(session: CouncilSession) -> None:
    if session.status in (SessionStatus.in_progress, SessionStatus.closed):
        raise SessionNotEditable()


def update_session(db: Session, actor: Account, session: CouncilSession,
                   data: SessionUpdate) -> CouncilSession:
    _require_editable(session)
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        setattr(session, key, value)
    if session.end_date < session.start_date:
        raise ValidationFailed("Ngày kết thúc trước ngày bắt đầu.",
                               "The end date is before the start date.", field="end_date")
    db.add(session)
    audit.record(db, actor, "session.updated", "session", session.id,
                 **data.model_dump(mode="json", exclude_unset=True))
    return session


def _check_sittings_allow(db: Session, session: CouncilSession, target: SessionStatus) -> None:
    """A held sitting is part of the record: the session cannot go back to draft (its
    public page and results would vanish); and it closes only when no sitting still runs."""
    sittings = list(db.exec(select(Sitting).where(Sitting.session_id == session.id)))
    if target == SessionStatus.draft and any(s.opened_at is not None for s in sittings):
        raise SessionAlreadyHeld(reason="sitting_held")
    if target == SessionStatus.closed and any(s.status in ("open", "paused") for s in sittings):
        raise SittingStillRunning(reason="sitting_running")


def change_status(db: Session, actor: Account, session: CouncilSession,
                  target: SessionStatus) -> CouncilSession:
    current = SessionStatus(session.status)
    _check_sittings_allow(db, session, target)
    if target not in TRANSITIONS[current]:
        raise InvalidState(
            f"Không thể chuyển kỳ họp từ '{current.value}' sang '{target.value}'.",
            f"A session cannot go from '{current.value}' to '{target.value}'.",
            current=current.value, target=target.value,
        )
    session.status = target
    if target == SessionStatus.published and session.published_at is None:
        session.published_at = utcnow()
    db.add(session)
    # A draft session's documents are nobody's business: search follows the status.
    search_visibility.refresh_session(db, session)
    audit.record(db, actor, "session.status", "session", session.id, status=target.value,
                 previous=current.value)
    return session


# ---- agenda ---------------------------------------------------------------------------

def _items(db: Session, session_id: int) -> list[AgendaItem]:
    return list(db.exec(select(AgendaItem).where(AgendaItem.session_id == session_id)
                        .order_by(col(AgendaItem.position), col(AgendaItem.id))).all())


def get_item(db: Session, item_id: int) -> AgendaItem:
    item = db.get(AgendaItem, item_id)
    if item is None:
        raise AgendaItemNotFound()
    return item


@dataclass(frozen=True)
class _Agenda:
    tree: list[AgendaItemRead]
    json: bytes  # the API's answer, serialised once per change instead of once per tablet


_AGENDAS: GenerationCache[int, _Agenda] = GenerationCache(capacity=512)
_AGENDA_JSON: TypeAdapter[list[AgendaItemRead]] = TypeAdapter(list[AgendaItemRead])


def agenda_tree(db: Session, session_id: int) -> list[AgendaItemRead]:
    """The agenda as a numbered tree ("1", "1.1", "2" …) with each item's documents.

    Every tablet reads it when a sitting opens: kept under the "meeting" generation.
    """
    return list(_agenda(db, session_id).tree)


def agenda_json(db: Session, session_id: int) -> bytes:
    """``agenda_tree`` as the API's JSON."""
    return _agenda(db, session_id).json


def _agenda(db: Session, session_id: int) -> _Agenda:
    generation = generations.of(db, generations.MEETING)
    found = _AGENDAS.get(session_id, generation)
    if found is None:
        tree = _agenda_tree(db, session_id)
        found = _Agenda(tree, _AGENDA_JSON.dump_json(tree))
        if generations.may_store(db):
            _AGENDAS.put(session_id, generation, found)
    return found


def _agenda_tree(db: Session, session_id: int) -> list[AgendaItemRead]:
    items = _items(db, session_id)
    docs: dict[int, list[int]] = {}
    for document_id, agenda_item_id in db.exec(
            select(Document.id, Document.agenda_item_id).where(Document.session_id == session_id)
            .order_by(col(Document.id))):
        if agenda_item_id is not None:
            docs.setdefault(agenda_item_id, []).append(document_id or 0)
    children: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)

    def build(parent_id: int | None, prefix: str) -> list[AgendaItemRead]:
        out = []
        for index, item in enumerate(children.get(parent_id, []), start=1):
            number = f"{prefix}{index}"
            out.append(AgendaItemRead(
                id=item.id, number=number, parent_id=item.parent_id, position=item.position,
                title=item.title, description=item.description, presenter=item.presenter,
                duration_minutes=item.duration_minutes, children=build(item.id, number + "."),
                document_ids=docs.get(id_of(item), []),
            ))
        return out

    return build(None, "")


def _check_parent(db: Session, session: CouncilSession, parent_id: int | None,
                  moving: AgendaItem | None = None) -> None:
    if parent_id is None:
        return
    parent = db.get(AgendaItem, parent_id)
    if parent is None or parent.session_id != session.id:
        raise ValidationFailed("Mục cha không thuộc kỳ họp này.",
                               "The parent item is not in this session.", field="parent_id")
    ancestor: AgendaItem | None = parent
    while ancestor is not None and moving is not None:
        if ancestor.id == moving.id:
            raise ValidationFailed("Không thể đặt một mục vào trong chính nó.",
                                   "An item cannot be placed inside itself.", field="parent_id")
        ancestor = db.get(AgendaItem, ancestor.parent_id) if ancestor.parent_id else None


def add_item(db: Session, actor: Account, session: CouncilSession,
             data: AgendaItemCreate) -> AgendaItem:
    _require_editable(session)
    _check_parent(db, session, data.parent_id)
    siblings = [i for i in _items(db, id_of(session)) if i.parent_id == data.parent_id]
    item = AgendaItem(session_id=id_of(session), position=len(siblings), **data.model_dump())
    db.add(item)
    db.flush()
    audit.record(db, actor, "agenda.added", "agenda_item", item.id, session_id=session.id,
                 title=item.title)
    return item


def update_item(db: Session, actor: Account, session: CouncilSession, item: AgendaItem,
                data: AgendaItemUpdate) -> AgendaItem:
    _require_editable(session)
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        setattr(item, key, value)
    db.add(item)
    audit.record(db, actor, "agenda.updated", "agenda_item", item.id, **changes)
    return item


def move_item(db: Session, actor: Account, session: CouncilSession, item: AgendaItem,
              move: AgendaMove) -> None:
    _require_editable(session)
    _check_parent(db, session, move.parent_id, moving=item)
    old_parent = item.parent_id
    siblings = [i for i in _items(db, id_of(session))
                if i.parent_id == move.parent_id and i.id != item.id]
    siblings.insert(min(move.position, len(siblings)), item)
    item.parent_id = move.parent_id
    for position, sibling in enumerate(siblings):
        sibling.position = position
        db.add(sibling)
    if old_parent != move.parent_id:
        _renumber(db, id_of(session), old_parent)
    audit.record(db, actor, "agenda.moved", "agenda_item", item.id,
                 parent_id=move.parent_id, position=move.position)


def _renumber(db: Session, session_id: int, parent_id: int | None) -> None:
    siblings = [i for i in _items(db, session_id) if i.parent_id == parent_id]
    for position, sibling in enumerate(siblings):
        sibling.position = position
        db.add(sibling)


def delete_item(db: Session, actor: Account, session: CouncilSession, item: AgendaItem) -> None:
    _require_editable(session)
    if db.exec(select(AgendaItem).where(AgendaItem.parent_id == item.id)).first() is not None:
        raise AgendaItemHasChildren()
    for document in db.exec(select(Document).where(Document.agenda_item_id == item.id)):
        document.agenda_item_id = None  # documents stay in the session, unattached
        db.add(document)
    parent_id = item.parent_id
    db.delete(item)
    db.flush()
    _renumber(db, id_of(session), parent_id)
    audit.record(db, actor, "agenda.deleted", "agenda_item", item.id, title=item.title)


# ---- officers and attendance ------------------------------------------------------------

def officers(db: Session, session_id: int) -> list[tuple[SessionOfficer, Person]]:
    return list(db.exec(select(SessionOfficer, Person)
                        .join(Person, col(Person.id) == SessionOfficer.person_id)
                        .where(SessionOfficer.session_id == session_id)).all())


def set_officer(db: Session, actor: Account, session: CouncilSession, person_id: int,
                role: SessionOfficerRole) -> None:
    get_person(db, person_id)
    existing = db.exec(select(SessionOfficer).where(SessionOfficer.session_id == session.id,
                                                    SessionOfficer.person_id == person_id,
                                                    SessionOfficer.role == role)).first()
    if existing is None:
        db.add(SessionOfficer(session_id=id_of(session), person_id=person_id, role=role))
    audit.record(db, actor, "session.officer_set", "session", session.id, person_id=person_id,
                 role=role.value)


def remove_officer(db: Session, actor: Account, session: CouncilSession, person_id: int,
                   role: SessionOfficerRole) -> None:
    existing = db.exec(select(SessionOfficer).where(SessionOfficer.session_id == session.id,
                                                    SessionOfficer.person_id == person_id,
                                                    SessionOfficer.role == role)).first()
    if existing is None:
        raise OfficerNotFound()
    db.delete(existing)
    audit.record(db, actor, "session.officer_removed", "session", session.id,
                 person_id=person_id, role=role.value)


def quorum_needed(total: int, numerator: int, denominator: int) -> int:
    """At least numerator/denominator of all members, rounded up (2/3 of 25 is 17)."""
    return -(-total * numerator // denominator)


def attendance(db: Session, session: CouncilSession) -> AttendanceSummary:
    body = get_body(db, session.body_id)
    records = {a.person_id: a for a in db.exec(select(Attendance)
                                                .where(Attendance.session_id == session.id))}
    people = []
    for _membership, person in db.exec(
        select(Membership, Person).join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.body_id == body.id).order_by(Person.full_name)
    ):
        record = records.get(id_of(person))
        people.append(AttendanceRead(
            person_id=person.id, full_name=person.full_name,
            status=record.status if record else None, note=record.note if record else "",
            recorded_at=record.recorded_at if record else None,
        ))
    total = member_count(db, id_of(body))
    present = sum(1 for p in people if p.status == AttendanceStatus.present)
    needed = quorum_needed(total, body.quorum_numerator, body.quorum_denominator)
    return AttendanceSummary(total=total, present=present, quorum_needed=needed,
                             quorum_met=present >= needed and total > 0, people=people)


def set_attendance(db: Session, actor: Account, session: CouncilSession, person_id: int,
                   data: AttendanceSet) -> None:
    if session.status == SessionStatus.draft:
        raise SessionNotPublishedYet()
    membership = db.exec(select(Membership).where(Membership.body_id == session.body_id,
                                                  Membership.person_id == person_id)).first()
    if membership is None:
        raise ValidationFailed("Người này không phải thành viên của cơ quan họp.",
                               "This person is not a member of the sitting body.",
                               field="person_id")
    record = db.exec(select(Attendance).where(Attendance.session_id == session.id,
                                              Attendance.person_id == person_id)).first()
    if record is None:
        record = Attendance(session_id=id_of(session), person_id=person_id, status=data.status)
    record.status, record.note = data.status, data.note
    record.recorded_at, record.recorded_by = utcnow(), actor.id
    db.add(record)
    audit.record(db, actor, "attendance.set", "session", session.id, person_id=person_id,
                 status=data.status.value)
