"""Which passages a reader may see: the search's and the documents' own rules, reused.

A signed-in reader sees what ``/api/search`` would show them: restricted documents only
with a grant (or as staff or the sitting's chair), items by ``followup.can_read_item``
(denunciations never to delegates). The public (``principal is None``) sees only what is
published. Decisions are remembered per source for the length of one question.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session

from server.followup import items as followup
from server.models.followup import TrackedItem
from server.security.principal import Principal
from server.services import search_views
from shared.assistant.passages import Passage


def reader_rule(db: Session, principal: Principal | None) -> Callable[[Passage], bool]:
    """A predicate over passages for this reader, asking the database once per source."""
    decided: dict[tuple[str, int], bool] = {}

    def may_read(passage: Passage) -> bool:
        key = passage.source_key
        if key not in decided:
            decided[key] = _may_read(db, principal, passage)
        return decided[key]

    return may_read


def _may_read(db: Session, principal: Principal | None, passage: Passage) -> bool:
    if principal is None:
        if not passage.public:
            return False
        if passage.source_type == "item":
            item = db.get(TrackedItem, passage.source_id)
            return item is not None and followup.can_read_item(None, item)
        return True
    return search_views.may_read(db, principal, passage.source_type, passage.source_id)
