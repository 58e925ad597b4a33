"""Sittings as the REST API sees them: create one for a session, list, look up, authorise.

Creating a sitting freezes its ``Roster`` (members of the session's body, invited
officials, chair and secretary, quorum rule, agenda with documents) into the sitting row:
the ``sitting_opened`` event later carries it to every device.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError
from sqlmodel import Session, col, select

from server.errors import DomainError, Forbidden, InvalidState, status_of_code
from server.live import store
from server.live.hub import SittingHub
from server.live.recorder import Caller
from server.models import (
    Body,
    BodyKind,
    CouncilSession,
    Document,
    Membership,
    Person,
    SessionOfficer,
    SessionOfficerRole,
    SessionStatus,
)
from server.models.base import id_of
from server.models.live import Sitting
from server.security.policy import can_view_session, is_session_chair, require_view_session
from server.security.principal import Principal
from server.services import audit, meetings
from server.services.council import get_body
from shared.live.commands import COMMAND_ADAPTER, COMMAND_TYPES, Command
from shared.live.errors import UnknownCommand
from shared.live.protocol import Ack
from shared.live.roster import (
    AgendaDocument,
    AgendaItem,
    Member,
    Official,
    QuorumRule,
    Roster,
)


def build_roster(db: Session, session: CouncilSession) -> Roster:
    body = get_body(db, session.body_id)
    groups = {
        person_id: name
        for person_id, name in db.exec(
            select(Membership.person_id, Body.name).join(Body, col(Body.id) == Membership.body_id)
            .where(Body.kind == BodyKind.delegate_group)
        )
    }
    members = [
        Member(person_id=p.id, full_name=p.full_name, delegate_group=groups.get(id_of(p)))
        for p in db.exec(select(Person).join(Membership, col(Membership.person_id) == Person.id)
                         .where(Membership.body_id == body.id).order_by(col(Person.id)))
    ]
    officers = db.exec(select(SessionOfficer, Person)
                       .join(Person, col(Person.id) == SessionOfficer.person_id)
                       .where(SessionOfficer.session_id == session.id)
                       .order_by(col(Person.id))).all()
    officials = [Official(person_id=p.id, full_name=p.full_name, title=p.position)
                 for o, p in officers if o.role == SessionOfficerRole.invited_official]
    titles = {d.id: d.title for d in db.exec(select(Document)
                                             .where(Document.session_id == session.id))}
    agenda: list[AgendaItem] = []

    def flatten(items) -> None:  # AgendaItemRead tree
        for item in items:
            agenda.append(AgendaItem(
                item_id=item.id, number=item.number, title=item.title, parent_id=item.parent_id,
                documents=tuple(AgendaDocument(document_id=d, title=titles.get(d, ""))
                                for d in item.document_ids)))
            flatten(item.children)

    flatten(meetings.agenda_tree(db, id_of(session)))
    return Roster(
        members=tuple(members),
        officials=tuple(officials),
        chair_ids=frozenset(o.person_id for o, _ in officers if o.role == SessionOfficerRole.chair),
        secretary_ids=frozenset(o.person_id for o, _ in officers
                                if o.role == SessionOfficerRole.secretary),
        quorum=QuorumRule(numerator=body.quorum_numerator, denominator=body.quorum_denominator),
        publish_named_votes=body.publish_named_votes,
        agenda=tuple(agenda),
    )


def create_sitting(db: Session, principal: Principal, session_id: int, title: str,
                   scheduled_at: datetime | None = None, place: str = "") -> Sitting:
    """A new sitting, not opened yet (clerk, or the chair of the session)."""
    session = meetings.get_session(db, session_id)
    require_view_session(db, principal, session)
    if not (principal.is_staff or is_session_chair(db, principal, session)):
        raise Forbidden()
    if session.status in (SessionStatus.draft, SessionStatus.closed):
        raise InvalidState("Kỳ họp chưa công bố hoặc đã kết thúc.",
                           "The session is not published or is already closed.")
    roster = build_roster(db, session)
    sitting = Sitting(session_id=session_id, title=title, scheduled_at=scheduled_at,
                      place=place.strip(), roster=roster.model_dump_json())
    db.add(sitting)
    db.flush()
    audit.record(db, principal.account, "sitting.created", "sitting", sitting.id,
                 session_id=session_id, title=title, members=len(roster.members),
                 scheduled_at=scheduled_at.isoformat() if scheduled_at else None,
                 place=sitting.place)
    return sitting


def list_sittings(db: Session, principal: Principal, session_id: int) -> list[Sitting]:
    session = meetings.get_session(db, session_id)
    require_view_session(db, principal, session)
    return list(db.exec(select(Sitting).where(Sitting.session_id == session_id)
                        .order_by(col(Sitting.id))).all())


def public_sitting(db: Session, sitting_id: int) -> Sitting:
    """The sitting if the public may follow it: its session is published (or running,
    or closed), not taken back to draft. Otherwise SittingNotFound, as for no sitting."""
    sitting = store.get_sitting(db, sitting_id)
    session = meetings.get_session(db, sitting.session_id)
    if session.status == SessionStatus.draft:
        raise store.SittingNotFound()
    return sitting


def viewable_sitting(db: Session, principal: Principal, sitting_id: int) -> Sitting:
    """The sitting, or SittingNotFound when the caller may not see its session."""
    sitting = store.get_sitting(db, sitting_id)
    session = meetings.get_session(db, sitting.session_id)
    if not can_view_session(db, principal, session):
        raise store.SittingNotFound()
    return sitting


_COMMAND_TYPES = {c.model_fields["type"].default for c in COMMAND_TYPES}


class CommandRefused(DomainError, abstract=True):
    """``decide`` (or the protocol) refused a command; nothing changed.

    Carries the refusal's own code; the HTTP status comes from that code's category
    (``server.errors.STATUS``), the same as the websocket's ``error`` means."""

    code = "command_refused"

    def __init__(self, code: str, message_vi: str, message_en: str, key: str | None):
        super().__init__(message_vi, message_en, key=key)
        self.code = code
        self.status = status_of_code(code)


def parse_command(raw: dict) -> Command:
    """A command as JSON, checked; CommandRefused("unknown_command") for a type the server
    does not know, ("invalid_message") for anything else that is not a command."""
    key = raw.get("key") if isinstance(raw.get("key"), str) else None
    if raw.get("type") not in _COMMAND_TYPES:
        unknown = UnknownCommand()
        raise CommandRefused(unknown.code, unknown.message_vi, unknown.message_en, key)
    try:
        return COMMAND_ADAPTER.validate_python(raw)
    except ValidationError as exc:
        raise CommandRefused("invalid_message", "Lệnh không hợp lệ.",
                             "The command is not valid.", key) from exc


async def send_command(hub: SittingHub, sitting_id: int, raw: dict | Command,
                       caller: Caller) -> Ack:
    """The one way REST and the web console change a sitting: the hub decides and stores
    it like a command from a websocket; a refusal becomes CommandRefused."""
    command = parse_command(raw) if isinstance(raw, dict) else raw
    answer = await hub.submit(sitting_id, command, caller)
    if isinstance(answer, Ack):
        return answer
    raise CommandRefused(answer.code, answer.message_vi, answer.message_en, answer.key)
