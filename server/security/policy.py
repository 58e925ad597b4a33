"""Who may do what. Every route asks here; docs/security.md is the same table in prose.

Kept apart from the routes so the rules read in one place and are testable alone.
"""

from __future__ import annotations

from typing import Protocol

from sqlmodel import Session, select

from server.errors import Forbidden, NotFound
from server.models import (
    AccountRole,
    Confidentiality,
    CouncilSession,
    Document,
    DocumentGrant,
    SessionOfficerRole,
    SessionStatus,
)
from server.models.base import id_of
from server.security.principal import Principal


def require_staff(principal: Principal) -> None:
    if not principal.is_staff:
        raise Forbidden()


def require_admin(principal: Principal) -> None:
    if not principal.is_admin:
        raise Forbidden()


def can_view_session(db: Session, principal: Principal, session: CouncilSession) -> bool:
    if principal.is_staff:
        return True
    return _may_view(principal, session, principal.session_roles(db, id_of(session)))


class ViewedSession(Protocol):
    """What deciding who sees a session reads: a row or its API shape alike."""

    @property
    def id(self) -> int | None: ...
    @property
    def status(self) -> str: ...
    @property
    def body_id(self) -> int: ...


def can_view_session_preloaded(principal: Principal, session: ViewedSession) -> bool:
    """As ``can_view_session`` for a principal whose session roles are all loaded (the
    hot reads answer from memory and have no database session to ask)."""
    if principal.is_staff:
        return True
    return _may_view(principal, session, principal.preloaded_session_roles(id_of(session)))


def _may_view(principal: Principal, session: ViewedSession,
              roles: frozenset[SessionOfficerRole]) -> bool:
    if roles:
        return True  # chair, secretary and invited officials see it from the draft on
    if session.status == SessionStatus.draft:
        return False
    if principal.role == AccountRole.observer:
        return True
    return session.body_id in principal.member_of


def require_view_session(db: Session, principal: Principal, session: CouncilSession) -> None:
    # Someone who may not see a session is told it does not exist: no probing of ids.
    if not can_view_session(db, principal, session):
        raise NotFound()


def is_session_chair(db: Session, principal: Principal, session: CouncilSession) -> bool:
    return SessionOfficerRole.chair in principal.session_roles(db, id_of(session))


def can_manage_attendance(db: Session, principal: Principal, session: CouncilSession) -> bool:
    if principal.is_staff:
        return True
    roles = principal.session_roles(db, id_of(session))
    return bool(roles & {SessionOfficerRole.chair, SessionOfficerRole.secretary})


def can_read_document(
    db: Session, principal: Principal, session: CouncilSession, document: Document
) -> bool:
    if not can_view_session(db, principal, session):
        return False
    if document.confidentiality != Confidentiality.restricted or principal.is_staff:
        return True
    if is_session_chair(db, principal, session):
        return True
    if principal.person_id is None:
        return False
    grant = db.exec(
        select(DocumentGrant).where(
            DocumentGrant.document_id == document.id,
            DocumentGrant.person_id == principal.person_id,
        )
    ).first()
    return grant is not None


def require_read_document(
    db: Session, principal: Principal, session: CouncilSession, document: Document
) -> None:
    if not can_read_document(db, principal, session, document):
        raise NotFound()


def can_sign_as(db: Session, principal: Principal, session: CouncilSession, signer: str) -> bool:
    """Only the session's chair may have the chair's key used, only its secretary the
    secretary's; the office stamp is applied by staff (the office's clerks)."""
    roles = principal.session_roles(db, id_of(session))
    if signer == "chair":
        return SessionOfficerRole.chair in roles
    if signer == "secretary":
        return SessionOfficerRole.secretary in roles
    return signer == "office" and principal.is_staff


def require_sign_as(db: Session, principal: Principal, session: CouncilSession,
                    signer: str) -> None:
    if not can_sign_as(db, principal, session, signer):
        raise Forbidden()
