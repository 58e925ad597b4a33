"""Who may find a search entry: the same rule as for the thing it was cut from.

Anonymous search must never show what the portal, OParl or the session routes answer 404
for. Each entry carries a ``public`` flag so that the database can filter before ranking
(an index-backed filter, and no candidate slot wasted on hidden entries); the flag is
written with this module's rules when the entry is indexed and rewritten when what it
depends on changes (a session published or taken back to draft, a document's
confidentiality). The hits a caller is shown are checked once more against the source
itself (:func:`entry_is_public`), so a flag that is stale for any reason cannot leak.
"""

from __future__ import annotations

from typing import Protocol

from sqlalchemy import update
from sqlmodel import Session, col, select

from server.models import Confidentiality, CouncilSession, Document, SessionStatus
from server.models.followup import Resolution, SearchEntry, Supervision, TrackedItem

PUBLIC_SESSION_STATUSES = frozenset(
    {SessionStatus.published, SessionStatus.in_progress, SessionStatus.closed})
"""As ``server.services.public_data.PUBLIC_STATUSES``: a draft session is nobody's business."""


def session_is_public(session: CouncilSession | None) -> bool:
    return session is not None and session.status in PUBLIC_SESSION_STATUSES


def document_is_public(db: Session, document: Document) -> bool:
    """The portal's rule (``public_data.public_document``): public, in a public session."""
    return (document.confidentiality == Confidentiality.public
            and document.withdrawn_at is None
            and session_is_public(db.get(CouncilSession, document.session_id)))


def item_is_public(item: TrackedItem) -> bool:
    from server.followup.items import can_read_item  # followup indexes through search

    return can_read_item(None, item)


class _Source(Protocol):
    @property
    def source_type(self) -> str: ...
    @property
    def source_id(self) -> int: ...


def entry_is_public(db: Session, entry: _Source) -> bool:
    """Ask the source itself, not the flag: the last check before a hit is shown."""
    if entry.source_type == "document":
        document = db.get(Document, entry.source_id)
        return document is not None and document_is_public(db, document)
    if entry.source_type == "item":
        item = db.get(TrackedItem, entry.source_id)
        return item is not None and item_is_public(item)
    if entry.source_type == "resolution":
        resolution = db.get(Resolution, entry.source_id)
        return resolution is not None and resolution.public
    if entry.source_type == "supervision":
        supervision = db.get(Supervision, entry.source_id)
        return supervision is not None and supervision.public
    return False


def refresh_session(db: Session, session: CouncilSession) -> int:
    """Rewrite the public flag of the session's documents' entries after a status change.

    Returns the number of entries whose flag was rewritten.
    """
    documents = db.exec(select(Document).where(Document.session_id == session.id)).all()
    changed = 0
    for document in documents:
        result = db.exec(update(SearchEntry)
                         .where(col(SearchEntry.source_type) == "document",
                                col(SearchEntry.source_id) == document.id)
                         .values(public=document_is_public(db, document)))
        changed += result.rowcount or 0
    return changed
