"""What the search pages show: the caller's read rule over hits, and where each hit leads.

The API (``/api/search``), the console's page and the portal's page search the same way;
only the links differ (a console reader opens the item's work page, a visitor the public
page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlmodel import Session

from server.followup import items as followup
from server.followup.labels import label
from server.followup.schemas import SearchHit
from server.followup.states import ItemKind
from server.models import Document
from server.models.followup import TrackedItem
from server.security.policy import can_read_document
from server.security.principal import Principal
from server.services import meetings
from server.services.search import Place

PAGE_SIZE = 20


def may_read(db: Session, principal: Principal, source_type: str, source_id: int) -> bool:
    """Whether a signed-in caller may read an indexed text's source (the assistant asks
    the same before quoting a passage)."""
    if principal.is_staff:
        return True
    if source_type == "item":
        item = db.get(TrackedItem, source_id)
        return item is not None and followup.can_read_item(principal, item)
    if source_type == "document":
        document = db.get(Document, source_id)
        if document is None:
            return False
        session = meetings.get_session(db, document.session_id)
        return can_read_document(db, principal, session, document)
    return True


def visible_to(db: Session, principal: Principal) -> Callable[[Place], bool]:
    """The signed-in caller's read rules, applied to each ranked hit."""
    return lambda entry: may_read(db, principal, entry.source_type, entry.source_id)


@dataclass(frozen=True)
class HitView:
    """One line of results: what it is, its title, the words around the hit, a link."""

    kind: str  # item | resolution | supervision | document: the label's key
    item_kind: str | None  # an item's own kind, named on the page (a petition, a complaint)
    title: str
    snippet: str  # HTML: escaped text, hits in <mark>
    link: str  # under the portal's or the console's root
    page: int


def _document_link(db: Session, hit: SearchHit, *, portal: bool) -> str:
    document = db.get(Document, hit.source_id)
    if document is None:
        return ""
    page = f"#page={hit.page}" if hit.page else ""
    if portal:
        return f"/phien-hop/{document.session_id}/tai-lieu/{hit.source_id}{page}"
    return f"/console/tai-lieu/{hit.source_id}"


def portal_link(db: Session, hit: SearchHit) -> str:
    """Where a visitor reads a public hit (relative to the council's portal)."""
    match hit.source_type:
        case "item":
            return f"/theo-doi/kien-nghi/{hit.source_id}"
        case "resolution":
            return f"/theo-doi/nghi-quyet#nq-{hit.source_id}"
        case "supervision":
            return f"/theo-doi/giam-sat#gs-{hit.source_id}"
        case _:
            return _document_link(db, hit, portal=True)


def console_link(db: Session, hit: SearchHit) -> str:
    """Where a signed-in reader works on a hit."""
    match hit.source_type:
        case "item":
            return f"/console/theo-doi/viec/{hit.source_id}"
        case "resolution":
            return f"/theo-doi/nghi-quyet#nq-{hit.source_id}"
        case "supervision":
            return f"/console/giam-sat/{hit.source_id}"
        case _:
            return _document_link(db, hit, portal=False)


def hit_views(db: Session, hits: list[SearchHit], link: Callable[[Session, SearchHit], str],
              language: str = "vi") -> list[HitView]:
    """The page's lines for ``hits``, each item named by its own kind."""
    views = []
    for h in hits:
        item = db.get(TrackedItem, h.source_id) if h.source_type == "item" else None
        named = label(ItemKind(item.kind), "en" if language == "en" else "vi") if item else None
        views.append(HitView(h.source_type, named, h.title, h.snippet, link(db, h), h.page))
    return views
