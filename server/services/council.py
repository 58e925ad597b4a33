"""The council's set-up: bodies, people and memberships."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from server.errors import InvalidState, NotFound, ValidationFailed
from server.models import Account, Body, Council, Membership, MembershipRole, Person
from server.models.base import Tenanted, id_of
from server.schemas.council import BodyCreate, BodyUpdate, PersonCreate, PersonUpdate
from server.services import audit
from server.tenancy import scoping


class NoCouncilYet(NotFound):
    """The database holds no council yet."""

    message_vi = "Chưa có Hội đồng nhân dân nào; hãy chạy hdnd demo hoặc tạo mới."
    message_en = "No council yet; run hdnd demo or create one."


class BodyNotFound(NotFound):
    """No council body (council, standing committee, committee) with this id."""

    message_vi = "Không tìm thấy cơ quan này."
    message_en = "No such body."


class PersonNotFound(NotFound):
    """No person with this id."""

    message_vi = "Không tìm thấy người này."
    message_en = "No such person."


class MembershipNotFound(NotFound):
    """Removing a membership the person does not have."""

    message_vi = "Người này không thuộc cơ quan."
    message_en = "This person is not a member."


def the_council(db: Session) -> Council:
    """The caller's council (the scope's home); with no caller, the installation's first."""
    scope = scoping.scope_of(db)
    if scope is not None:
        council = db.get(Council, scope.home)
    else:
        council = db.exec(select(Council).order_by(col(Council.id))).first()
    if council is None:
        raise NoCouncilYet()
    return council


def shown_name(db: Session) -> str:
    """The council's name for a page's heading; "" on a server that has none yet (the
    portal still shows its pages)."""
    try:
        return the_council(db).name
    except NoCouncilYet:
        return ""


def council_of(db: Session, row: Tenanted) -> Council:
    """The council a row belongs to: what a document about that row must name, also when
    it is built outside any request (a reminder, a pack build), where ``the_council`` would
    answer the installation's first council."""
    council = db.get(Council, row.council_id) if row.council_id is not None else None
    return council if council is not None else the_council(db)


def get_body(db: Session, body_id: int) -> Body:
    body = db.get(Body, body_id)
    if body is None:
        raise BodyNotFound()
    return body


def get_person(db: Session, person_id: int) -> Person:
    person = db.get(Person, person_id)
    if person is None:
        raise PersonNotFound(field="person_id")
    return person


def member_count(db: Session, body_id: int) -> int:
    return db.exec(select(func.count()).select_from(Membership).where(Membership.body_id == body_id)).one()


def _check_quorum(numerator: int, denominator: int) -> None:
    """A quorum is a fraction of the members: more than all of them can never be met."""
    if numerator > denominator:
        raise ValidationFailed(
            f"Tỷ lệ túc số {numerator}/{denominator} lớn hơn 1: không bao giờ đạt được.",
            f"A quorum of {numerator}/{denominator} is more than all members: never met.",
            field="quorum_numerator")


def create_body(db: Session, actor: Account, data: BodyCreate) -> Body:
    _check_quorum(data.quorum_numerator, data.quorum_denominator)
    body = Body(council_id=id_of(the_council(db)), **data.model_dump())
    db.add(body)
    db.flush()
    audit.record(db, actor, "body.created", "body", body.id, **data.model_dump(mode="json"))
    return body


def update_body(db: Session, actor: Account, body: Body, data: BodyUpdate) -> Body:
    changes = data.model_dump(exclude_unset=True)
    _check_quorum(changes.get("quorum_numerator", body.quorum_numerator),
                  changes.get("quorum_denominator", body.quorum_denominator))
    for key, value in changes.items():
        setattr(body, key, value)
    db.add(body)
    audit.record(db, actor, "body.updated", "body", body.id, **changes)
    return body


def create_person(db: Session, actor: Account, data: PersonCreate) -> Person:
    person = Person(council_id=id_of(the_council(db)), **data.model_dump())
    db.add(person)
    db.flush()
    audit.record(db, actor, "person.created", "person", person.id, full_name=person.full_name)
    return person


def update_person(db: Session, actor: Account, person: Person, data: PersonUpdate) -> Person:
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        setattr(person, key, value)
    db.add(person)
    audit.record(db, actor, "person.updated", "person", person.id, fields=sorted(changes))
    return person


def set_membership(db: Session, actor: Account, body: Body, person: Person,
                   role: MembershipRole) -> Membership:
    membership = db.exec(select(Membership).where(Membership.body_id == body.id,
                                                  Membership.person_id == person.id)).first()
    if membership is None:
        membership = Membership(body_id=id_of(body), person_id=id_of(person), role=role)
    membership.role = role
    db.add(membership)
    db.flush()
    audit.record(db, actor, "membership.set", "body", body.id, person_id=person.id, role=str(role))
    return membership


def remove_membership(db: Session, actor: Account, body: Body, person_id: int) -> None:
    membership = db.exec(select(Membership).where(Membership.body_id == body.id,
                                                  Membership.person_id == person_id)).first()
    if membership is None:
        raise MembershipNotFound()
    db.delete(membership)
    audit.record(db, actor, "membership.removed", "body", body.id, person_id=person_id)


def members(db: Session, body_id: int) -> list[tuple[Membership, Person]]:
    return list(db.exec(
        select(Membership, Person).join(Person, col(Person.id) == Membership.person_id)
        .where(Membership.body_id == body_id).order_by(Person.full_name)
    ).all())


def people(db: Session) -> list[Person]:
    """Everyone in the register, by name: the API's list and every console page that picks
    a person read the same list in the same order."""
    return list(db.exec(select(Person).order_by(col(Person.full_name))))


def _delete_or_refuse(db: Session, row: Body | Person, refusal: InvalidState) -> None:
    """Delete ``row`` unless something still points at it (sessions, accounts, devices,
    grants...): the database's foreign keys know every such link, so ask them. On refusal
    the caller must roll back, as after any domain error."""
    try:
        db.delete(row)
        db.flush()
    except IntegrityError:
        raise refusal from None


def delete_body(db: Session, actor: Account, body: Body) -> None:
    """Remove a body and its memberships; refused once it has sessions or follow-up."""
    name = body.name
    for membership in db.exec(select(Membership).where(Membership.body_id == body.id)):
        db.delete(membership)
    _delete_or_refuse(db, body, InvalidState(
        "Cơ quan đã có kỳ họp hoặc việc theo dõi nên không thể xóa.",
        "The body already has sessions or follow-up items; it cannot be deleted."))
    audit.record(db, actor, "body.deleted", "body", body.id, name=name)


def delete_person(db: Session, actor: Account, person: Person) -> None:
    """Remove a person and their memberships; refused once they have an account, a device,
    a session role, a document grant or a record in a sitting."""
    name = person.full_name
    for membership in db.exec(select(Membership).where(Membership.person_id == person.id)):
        db.delete(membership)
    _delete_or_refuse(db, person, InvalidState(
        "Người này đã có tài khoản, thiết bị, vai trò hoặc hồ sơ trong kỳ họp nên không thể "
        "xóa; hãy bỏ khỏi các cơ quan thay vì xóa.",
        "This person already has an account, a device, a role or records in a session; "
        "remove their memberships instead."))
    audit.record(db, actor, "person.deleted", "person", person.id, full_name=name)
