"""The archive as passages: read from the search index's stored texts, indexed once.

The search index (``search_entry``, kept by ``server.services.search``) already holds
every text the council has: tracked items with their answers (petitions, questioning
answers, recommendations), resolutions, supervision conclusions and each page of each
document in the agenda packs. The assistant cuts those into passages and ranks them
with BM25. The index lives in memory, rebuilt when the stored texts change (a cheap
fingerprint query tells), so a question costs a ranking, not a database scan.
"""

from __future__ import annotations

import threading

from sqlalchemy import func
from sqlmodel import Session, col, select

from server.models import Document
from server.models.followup import SearchEntry
from shared.assistant.passages import Passage, passages_of
from shared.assistant.ranking import PassageIndex

_lock = threading.Lock()
_cached: dict[str, tuple[tuple, PassageIndex]] = {}


def _fingerprint(db: Session) -> tuple:
    row = db.exec(select(func.count(), func.max(SearchEntry.id),
                         func.sum(func.length(SearchEntry.folded)))).one()
    return tuple(row)


def load_passages(db: Session) -> list[Passage]:
    """Every stored text of the archive, cut into passages, in a stable order."""
    documents = {row[0]: (row[1], row[2]) for row in db.exec(
        select(Document.id, Document.session_id, Document.current_version)).all()}
    passages: list[Passage] = []
    entries = db.exec(select(SearchEntry).order_by(SearchEntry.source_type,
                                                   col(SearchEntry.source_id), col(SearchEntry.page)))
    for entry in entries:
        session_id, version = (documents.get(entry.source_id, (None, 0))
                               if entry.source_type == "document" else (None, 0))
        passages.extend(passages_of(entry.source_type, entry.source_id, entry.title,
                                    entry.body, page=entry.page, public=entry.public,
                                    session_id=session_id, extra={"version": version}))
    return passages


def archive_index(db: Session) -> PassageIndex:
    """The BM25 index of the archive as it is now in *db* (built once per change)."""
    key = str(db.get_bind().engine.url)
    fingerprint = _fingerprint(db)
    with _lock:
        cached = _cached.get(key)
        if cached is not None and cached[0] == fingerprint:
            return cached[1]
        index = PassageIndex(load_passages(db))
        _cached[key] = (fingerprint, index)
        return index
