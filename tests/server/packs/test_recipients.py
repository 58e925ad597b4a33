"""The pack build loads every owner's rights in three queries; they must be the rights
``load_principal`` gives the same person one by one (the REST API's rule)."""

from __future__ import annotations

from sqlmodel import Session, select

from server.models import Account, CouncilSession, Person
from server.packs.recipients import owner_principal, owner_principals
from tests.server.api.conftest import Api


def test_bulk_rights_equal_one_by_one_rights(api: Api) -> None:
    with Session(api.client.app.state.engine) as db:
        people = [p.id for p in db.exec(select(Person))]
        sessions = [s.id for s in db.exec(select(CouncilSession))]
        bulk = owner_principals(db, people, sessions)
        assert set(bulk) == set(people)
        checked_roles = 0
        for person_id in people:
            single = owner_principal(db, person_id)
            many = bulk[person_id]
            assert (many.account.id, many.role, many.member_of, many.chairs) == (
                single.account.id, single.role, single.member_of, single.chairs), person_id
            for session_id in sessions:
                roles = single.session_roles(db, session_id)
                assert many.session_roles(db, session_id) == roles
                checked_roles += bool(roles)
        assert checked_roles >= 4  # the demo's chair, secretary and invited officials
        # A person with no account at all has a delegate's rights, in both.
        nobody = [p for p in people if not db.exec(select(Account).where(
            Account.person_id == p)).first()]
        for person_id in nobody:
            assert bulk[person_id].role == owner_principal(db, person_id).role
