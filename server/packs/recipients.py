"""Who receives a session's pack, and which document keys each device gets.

The rule is the REST API's (``server.security.policy``): a device is a recipient when
its owner may see the session (``can_view_session``) with the rights of the owner's
account, and it gets the key of each document its owner may read
(``can_read_document``). The owners' rights are loaded for all devices at once (three
queries, not three per device), then the policy functions decide as they do for a
request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from sqlmodel import Session, col, select

from server.models import (
    Account,
    AccountRole,
    CouncilSession,
    Document,
    Membership,
    MembershipRole,
    SessionOfficer,
    SessionOfficerRole,
)
from server.models.base import id_of
from server.models.devices import Device
from server.security.policy import can_read_document, can_view_session
from server.security.principal import Principal, load_principal
from shared.crypto.signing import x25519_public_from_b64
from shared.pack.builder import PackRecipient


def owner_account(db: Session, person_id: int) -> Account:
    """The person's first active account; a person with none has a delegate's rights."""
    account = db.exec(select(Account).where(Account.person_id == person_id,
                                            Account.is_active == True)  # noqa: E712
                      .order_by(col(Account.id))).first()
    return account or _delegate_account(person_id)


def owner_principal(db: Session, person_id: int) -> Principal:
    """The person's rights as their account has them (a person with none: a delegate's)."""
    return load_principal(db, owner_account(db, person_id))


def owner_principals(db: Session, person_ids: Collection[int],
                     session_ids: Collection[int]) -> dict[int, Principal]:
    """``owner_principal`` for many people at once, with their roles in ``session_ids``
    already known. Builds the same ``Principal`` that ``load_principal`` does."""
    people = sorted(set(person_ids))
    if not people:
        return {}
    accounts: dict[int, Account] = {}
    for account in db.exec(select(Account).where(col(Account.person_id).in_(people),
                                                 Account.is_active == True)  # noqa: E712
                           .order_by(col(Account.id))):
        accounts.setdefault(account.person_id or 0, account)
    member_of: dict[int, set[int]] = defaultdict(set)
    chairs: dict[int, set[int]] = defaultdict(set)
    for membership in db.exec(select(Membership).where(col(Membership.person_id).in_(people))):
        member_of[membership.person_id].add(membership.body_id)
        if membership.role in (MembershipRole.chair, MembershipRole.vice_chair):
            chairs[membership.person_id].add(membership.body_id)
    roles: dict[tuple[int, int], set[SessionOfficerRole]] = defaultdict(set)
    if session_ids:
        for officer in db.exec(select(SessionOfficer).where(
                col(SessionOfficer.session_id).in_(sorted(set(session_ids))),
                col(SessionOfficer.person_id).in_(people))):
            roles[(officer.person_id, officer.session_id)].add(SessionOfficerRole(officer.role))
    return {
        person_id: Principal(
            accounts.get(person_id) or _delegate_account(person_id),
            frozenset(member_of[person_id]), frozenset(chairs[person_id]),
            {s: frozenset(roles[(person_id, s)]) for s in session_ids})
        for person_id in people
    }


def _delegate_account(person_id: int) -> Account:
    return Account(username="", password_hash="", role=AccountRole.delegate, person_id=person_id)


def usable_devices(db: Session) -> list[Device]:
    """Enrolled, not revoked devices, oldest first."""
    return list(db.exec(select(Device).where(col(Device.revoked_at).is_(None))
                        .order_by(col(Device.id))))


def pack_recipients(db: Session, session: CouncilSession,
                    documents: Sequence[Document]) -> list[PackRecipient]:
    """Every usable device whose owner may see the session, with what its owner may read."""
    devices = usable_devices(db)
    principals = owner_principals(db, {d.person_id for d in devices}, [id_of(session)])
    out: list[PackRecipient] = []
    for device in devices:
        principal = principals[device.person_id]
        if not can_view_session(db, principal, session):
            continue  # not a recipient at all: public and internal keys go to every recipient
        entitled = frozenset(str(d.id) for d in documents
                             if can_read_document(db, principal, session, d))
        out.append(PackRecipient(device_id=str(device.id), person_id=str(device.person_id),
                                 public_key=x25519_public_from_b64(device.x25519_public),
                                 entitled=entitled))
    return out
