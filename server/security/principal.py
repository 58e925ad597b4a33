"""Who is calling: the account, its person, and the bodies it belongs to."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from server.models import Account, AccountRole, Membership, MembershipRole, SessionOfficer, SessionOfficerRole
from server.tenancy.scope import Scope, councils_below


@dataclass
class Principal:
    account: Account
    member_of: frozenset[int]  # body ids
    chairs: frozenset[int]  # body ids where the person is chair or vice-chair
    _session_roles: dict[int, frozenset[SessionOfficerRole]] = field(default_factory=dict)
    _all_roles_loaded: bool = False  # set by preload_session_roles: a missing session has none
    # the councils under the account's own that a province role may read (server/tenancy)
    councils_below: frozenset[int] = frozenset()

    @property
    def council_id(self) -> int:
        """The council the account belongs to; every account has one (migration 0026)."""
        if self.account.council_id is None:
            raise RuntimeError("an account without a council")
        return int(self.account.council_id)

    @property
    def scope(self) -> Scope:
        """What the caller may read (its council, and those below for a province role)
        and write (its own council only)."""
        return Scope(frozenset({self.council_id}) | self.councils_below, self.council_id)

    @property
    def role(self) -> AccountRole:
        return AccountRole(self.account.role)

    @property
    def person_id(self) -> int | None:
        return self.account.person_id

    @property
    def is_admin(self) -> bool:
        return self.role == AccountRole.admin

    @property
    def is_staff(self) -> bool:
        """Clerks and admins prepare sessions and see every document."""
        return self.role in (AccountRole.admin, AccountRole.clerk)

    def session_roles(self, db: Session, session_id: int) -> frozenset[SessionOfficerRole]:
        if self.person_id is None:
            return frozenset()
        if session_id not in self._session_roles and not self._all_roles_loaded:
            rows = db.exec(
                select(SessionOfficer.role).where(
                    SessionOfficer.session_id == session_id,
                    SessionOfficer.person_id == self.person_id,
                )
            ).all()
            self._session_roles[session_id] = frozenset(SessionOfficerRole(r) for r in rows)
        return self._session_roles.get(session_id, frozenset())

    def preloaded_session_roles(self, session_id: int) -> frozenset[SessionOfficerRole]:
        """The roles after ``preload_session_roles``; asking before it is a programming error."""
        if self.person_id is None:
            return frozenset()
        if not self._all_roles_loaded:
            raise RuntimeError("session roles were not preloaded")
        return self._session_roles.get(session_id, frozenset())

    def preload_session_roles(self, db: Session) -> None:
        """Every session role of this person in one query (a list of sessions asks for each)."""
        if self.person_id is None or self._all_roles_loaded:
            return
        found: dict[int, set[SessionOfficerRole]] = {}
        for session_id, role in db.exec(select(SessionOfficer.session_id, SessionOfficer.role)
                                        .where(SessionOfficer.person_id == self.person_id)):
            found.setdefault(session_id, set()).add(SessionOfficerRole(role))
        self._session_roles = {k: frozenset(v) for k, v in found.items()}
        self._all_roles_loaded = True


def load_principal(db: Session, account: Account) -> Principal:
    member_of: set[int] = set()
    chairs: set[int] = set()
    if account.person_id is not None:
        for body_id, role in db.exec(select(Membership.body_id, Membership.role)
                                     .where(Membership.person_id == account.person_id)):
            member_of.add(body_id)
            if role in (MembershipRole.chair, MembershipRole.vice_chair):
                chairs.add(body_id)
    below = councils_below(db, int(account.council_id)) \
        if account.reads_councils_below and account.council_id is not None else frozenset()
    return Principal(account, frozenset(member_of), frozenset(chairs), councils_below=below)
