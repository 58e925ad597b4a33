"""What tracked items come from: resolutions, supervisions, voter meetings and their
petitions, and grouping petitions that ask the same thing."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from server.errors import NotFound, ValidationFailed
from server.followup.items import create_item, describe, require_link
from server.followup.schemas import (
    ItemCreate,
    PetitionCreate,
    ResolutionCreate,
    ResolutionDetail,
    ResolutionRead,
    SimilarGroup,
    SupervisionCreate,
    SupervisionUpdate,
    VoterMeetingCreate,
    VoterMeetingRead,
)
from server.followup.states import ItemKind
from server.models import Account, Body, CouncilSession, Document, Person
from server.models.base import id_of
from server.models.followup import (
    Resolution,
    Supervision,
    TrackedItem,
    VoterMeeting,
    VoterMeetingDelegate,
)
from server.services import audit, search
from server.text.similarity import propose_groups

# --- resolutions --------------------------------------------------------------------------


class ResolutionNotFound(NotFound):
    """No resolution with this id."""

    message_vi = "Không tìm thấy nghị quyết."
    message_en = "No such resolution."


class SupervisionNotFound(NotFound):
    """No supervision with this id."""

    message_vi = "Không tìm thấy cuộc giám sát."
    message_en = "No such supervision."


class VoterMeetingNotFound(NotFound):
    """No voter meeting with this id."""

    message_vi = "Không tìm thấy buổi tiếp xúc cử tri."
    message_en = "No such voter meeting."


def create_resolution(db: Session, actor: Account, data: ResolutionCreate) -> Resolution:
    require_link(db, CouncilSession, data.session_id, "session_id")
    require_link(db, Document, data.document_id, "document_id")
    resolution = Resolution(**data.model_dump())
    db.add(resolution)
    db.flush()
    audit.record(db, actor, "followup.resolution_created", "resolution", resolution.id,
                 number=resolution.number)
    search.index_resolution(db, resolution)
    return resolution


def get_resolution(db: Session, resolution_id: int, public_only: bool = False) -> Resolution:
    found = db.get(Resolution, resolution_id)
    if found is None or (public_only and not found.public):
        raise ResolutionNotFound()
    return found


def list_resolutions(db: Session, year: int | None = None,
                     public_only: bool = False) -> list[Resolution]:
    query = select(Resolution)
    if year:
        query = query.where(col(Resolution.adopted_on) >= date(year, 1, 1),
                            col(Resolution.adopted_on) <= date(year, 12, 31))
    if public_only:
        query = query.where(col(Resolution.public).is_(True))
    return list(db.exec(query.order_by(col(Resolution.adopted_on).desc(),
                                       col(Resolution.id).desc())))


def linked_items(db: Session, column: str, value: int, public_only: bool = False
                 ) -> list[TrackedItem]:
    query = select(TrackedItem).where(getattr(TrackedItem, column) == value)
    if public_only:
        query = query.where(col(TrackedItem.public).is_(True))
    return list(db.exec(query.order_by(col(TrackedItem.id))))


def public_resolutions(db: Session, year: int | None = None) -> list[ResolutionDetail]:
    """Published resolutions with their public tasks: the public API and the portal show
    the same list."""
    return [ResolutionDetail(
        **ResolutionRead.model_validate(r).model_dump(),
        tasks=[describe(t) for t in linked_items(db, "resolution_id", r.id or 0, public_only=True)])
        for r in list_resolutions(db, year, public_only=True)]


# --- supervisions -------------------------------------------------------------------------


def create_supervision(db: Session, actor: Account, data: SupervisionCreate) -> Supervision:
    require_link(db, Body, data.body_id, "body_id")
    supervision = Supervision(**data.model_dump())
    db.add(supervision)
    db.flush()
    audit.record(db, actor, "followup.supervision_created", "supervision", supervision.id,
                 body_id=supervision.body_id, year=supervision.year, kind=supervision.kind)
    search.index_supervision(db, supervision)
    return supervision


def update_supervision(db: Session, actor: Account, supervision: Supervision,
                       data: SupervisionUpdate) -> Supervision:
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        setattr(supervision, key, value)
    db.add(supervision)
    audit.record(db, actor, "followup.supervision_updated", "supervision", supervision.id,
                 **{k: v for k, v in changes.items() if k != "conclusions"})
    search.index_supervision(db, supervision)
    return supervision


def get_supervision(db: Session, supervision_id: int, public_only: bool = False) -> Supervision:
    found = db.get(Supervision, supervision_id)
    if found is None or (public_only and not found.public):
        raise SupervisionNotFound()
    return found


def list_supervisions(db: Session, year: int | None = None, body_id: int | None = None,
                      public_only: bool = False) -> list[Supervision]:
    query = select(Supervision)
    if year:
        query = query.where(Supervision.year == year)
    if body_id:
        query = query.where(Supervision.body_id == body_id)
    if public_only:
        query = query.where(col(Supervision.public).is_(True))
    return list(db.exec(query.order_by(col(Supervision.body_id), col(Supervision.id))))


# --- voter meetings and petitions ----------------------------------------------------------


def create_voter_meeting(db: Session, actor: Account, data: VoterMeetingCreate) -> VoterMeeting:
    for person_id in data.delegate_ids:
        person = db.get(Person, person_id)
        if person is None or not person.is_delegate:
            raise ValidationFailed(f"Người có mã {person_id} không phải đại biểu.",
                                   f"Person {person_id} is not a delegate.",
                                   field="delegate_ids")
    require_link(db, Body, data.body_id, "body_id")
    meeting = VoterMeeting(**data.model_dump(exclude={"delegate_ids"}))
    db.add(meeting)
    db.flush()
    for person_id in sorted(set(data.delegate_ids)):
        db.add(VoterMeetingDelegate(meeting_id=id_of(meeting), person_id=person_id))
    audit.record(db, actor, "followup.voter_meeting_created", "voter_meeting", meeting.id,
                 held_on=meeting.held_on, delegates=sorted(set(data.delegate_ids)))
    return meeting


def get_voter_meeting(db: Session, meeting_id: int) -> VoterMeeting:
    found = db.get(VoterMeeting, meeting_id)
    if found is None:
        raise VoterMeetingNotFound()
    return found


def describe_meeting(db: Session, meeting: VoterMeeting) -> VoterMeetingRead:
    ids = db.exec(select(VoterMeetingDelegate.person_id)
                  .where(VoterMeetingDelegate.meeting_id == meeting.id)
                  .order_by(col(VoterMeetingDelegate.person_id))).all()
    return VoterMeetingRead(**meeting.model_dump(), delegate_ids=list(ids))


def list_voter_meetings(db: Session, year: int | None = None) -> list[VoterMeeting]:
    query = select(VoterMeeting)
    if year:
        query = query.where(col(VoterMeeting.held_on) >= date(year, 1, 1),
                            col(VoterMeeting.held_on) <= date(year, 12, 31))
    return list(db.exec(query.order_by(col(VoterMeeting.held_on), col(VoterMeeting.id))))


def add_petition(db: Session, actor: Account, meeting: VoterMeeting,
                 data: PetitionCreate) -> TrackedItem:
    return create_item(db, actor, ItemCreate(
        kind=ItemKind.VOTER_PETITION, title=data.title, text=data.text,
        received_on=meeting.held_on, due_on=data.due_on, field=data.field,
        area=data.area or meeting.area, voters_group=data.voters_group,
        responsible_agency=data.responsible_agency, public=data.public,
        voter_meeting_id=meeting.id))


def similar_petitions(db: Session, year: int) -> list[SimilarGroup]:
    """Petitions of *year* not yet merged, grouped when they say the same thing."""
    rows = db.exec(select(TrackedItem).where(
        TrackedItem.kind == ItemKind.VOTER_PETITION.value,
        col(TrackedItem.group_id).is_(None),
        col(TrackedItem.received_on) >= date(year, 1, 1),
        col(TrackedItem.received_on) <= date(year, 12, 31)).order_by(col(TrackedItem.id))).all()
    titles = {r.id: r.title for r in rows}
    groups = propose_groups((r.id, f"{r.title}. {r.text}") for r in rows)
    return [SimilarGroup(ids=list(g.ids), score=g.score, member_scores=list(g.member_scores),
                         key_terms=list(g.key_terms), titles=[titles[i] for i in g.ids])
            for g in groups]


def merge_petitions(db: Session, actor: Account, ids: list[int]) -> tuple[int, list[int]]:
    """Confirm that petitions ask the same thing: they share the first one's id as group.

    A petition already in a group brings its whole group along.
    """
    items = db.exec(select(TrackedItem).where(col(TrackedItem.id).in_(ids))).all()
    if len(items) != len(set(ids)) or any(i.kind != ItemKind.VOTER_PETITION for i in items):
        raise ValidationFailed("Chỉ gộp được các kiến nghị cử tri đã có.",
                               "Only existing voter petitions can be merged.", field="ids")
    old_groups = {i.group_id for i in items if i.group_id is not None}
    if old_groups:
        items = list(items) + list(db.exec(select(TrackedItem).where(
            col(TrackedItem.group_id).in_(old_groups))))
    members = {id_of(i): i for i in items}
    group_id = min(members)
    for item in members.values():
        item.group_id = group_id
        db.add(item)
    audit.record(db, actor, "followup.petitions_merged", "tracked_item", group_id,
                 ids=sorted(members))
    return group_id, sorted(members)
