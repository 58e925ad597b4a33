"""One search over tracked items, resolutions, supervision conclusions and documents' pages.

Everything is indexed *folded* (``server.text.vietnamese.fold``: lower case, no
diacritics, đ→d), so "ngap lut" and "ngập lụt" meet. Each text is a
:class:`~server.models.followup.SearchEntry`; SQLite ranks with FTS5's bm25 over the
``search_fts`` table, PostgreSQL with ``ts_rank`` over ``to_tsvector('simple', folded)``
(GIN index). The snippet shown is cut from the original accented text with
``server.text.search_query.highlight``.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlmodel import Session, col, select

from server.documents import inspection
from server.documents.inspection import Limits
from server.errors import DomainError
from server.models import Document, DocumentVersion
from server.models.followup import Resolution, SearchEntry, Supervision, TrackedItem
from server.schemas.followup import SearchHit, SearchResults
from server.text.search_query import fts5_match, highlight, mark, pg_tsquery
from server.text.vietnamese import fold

MAX_CANDIDATES = 200
"""Hits ranked in the database before the caller's visibility check and paging."""

SNIPPET_CHARS = 200


def _dialect(db: Session) -> str:
    return db.get_bind().dialect.name


def index_entry(db: Session, source_type: str, source_id: int, title: str, body: str, *,
                public: bool, page: int = 0) -> SearchEntry:
    """Add or replace one searchable text."""
    folded = fold(f"{title}\n{body}")
    entry = db.exec(select(SearchEntry).where(SearchEntry.source_type == source_type,
                                              SearchEntry.source_id == source_id,
                                              SearchEntry.page == page)).first()
    sqlite = _dialect(db) == "sqlite"
    if entry is None:
        entry = SearchEntry(source_type=source_type, source_id=source_id, page=page)
    elif sqlite:
        _fts_delete(db, entry)
    entry.title, entry.body, entry.folded, entry.public = title[:500], body, folded, public
    db.add(entry)
    db.flush()
    if sqlite:
        db.exec(text("INSERT INTO search_fts(rowid, folded) VALUES (:id, :folded)")
                .bindparams(id=entry.id, folded=folded))
    return entry


def _fts_delete(db: Session, entry: SearchEntry) -> None:
    # External-content FTS5: a row leaves the index by repeating what was indexed.
    db.exec(text("INSERT INTO search_fts(search_fts, rowid, folded) "
                 "VALUES ('delete', :id, :folded)").bindparams(id=entry.id, folded=entry.folded))


def remove_entries(db: Session, source_type: str, source_id: int) -> None:
    sqlite = _dialect(db) == "sqlite"
    for entry in db.exec(select(SearchEntry).where(SearchEntry.source_type == source_type,
                                                   SearchEntry.source_id == source_id)):
        if sqlite:
            _fts_delete(db, entry)
        db.delete(entry)
    db.flush()


def index_item(db: Session, item: TrackedItem) -> None:
    body = item.text + ("\n" + item.answer if item.answer else "")
    index_entry(db, "item", item.id or 0, item.title, body, public=item.public)


def index_resolution(db: Session, resolution: Resolution) -> None:
    index_entry(db, "resolution", resolution.id or 0, f"{resolution.number} {resolution.title}",
                "", public=resolution.public)


def index_supervision(db: Session, supervision: Supervision) -> None:
    index_entry(db, "supervision", supervision.id or 0, supervision.subject,
                supervision.conclusions, public=supervision.public)


def index_document_version(db: Session, version: DocumentVersion, texts: dict[int, str]) -> int:
    """Index each page's text of a document's version (replacing the earlier version's).

    ``texts`` maps 1-based page numbers to text, as read by the PDF worker
    (``server.documents.inspection``), already capped there. Returns pages indexed.
    """
    document = db.get(Document, version.document_id)
    if document is None:
        return 0
    remove_entries(db, "document", document.id or 0)
    public = document.confidentiality == "public"
    count = 0
    for number, page_text in sorted(texts.items()):
        if page_text.strip():
            index_entry(db, "document", document.id or 0, document.title, page_text.strip(),
                        public=public, page=number)
            count += 1
    return count


def set_document_public(db: Session, document: Document) -> None:
    """Follow a confidentiality change without reading the PDF again."""
    public = document.confidentiality == "public"
    for entry in db.exec(select(SearchEntry).where(SearchEntry.source_type == "document",
                                                   SearchEntry.source_id == document.id)):
        entry.public = public
        db.add(entry)


def reindex_all(db: Session, store, limits: Limits | None = None) -> int:  # noqa: ANN001
    """Rebuild every entry from the tables and the stored PDFs; returns entries written.

    ``store`` is a DocumentStore; each PDF is read again by the limited worker process.
    """
    count = 0
    for item in db.exec(select(TrackedItem)):
        index_item(db, item)
        count += 1
    for resolution in db.exec(select(Resolution)):
        index_resolution(db, resolution)
        count += 1
    for supervision in db.exec(select(Supervision)):
        index_supervision(db, supervision)
        count += 1
    for document in db.exec(select(Document).where(col(Document.current_version) > 0)):
        version = db.exec(select(DocumentVersion).where(
            DocumentVersion.document_id == document.id,
            DocumentVersion.version == document.current_version)).first()
        if version is not None:
            path = store.path_for(version.storage_key)
            if path.exists():
                try:
                    facts = inspection.inspect_now(path, limits or inspection.Limits.default())
                except DomainError:  # a file refused today stays stored, unsearchable
                    continue
                count += index_document_version(db, version, facts.texts)
    return count


def _ranked_ids(db: Session, typed: str, *, source_type: str | None, public_only: bool,
                limit: int) -> list[tuple[int, float]]:
    """(entry id, rank) best first; a higher rank is better on both databases."""
    filters, params = "", {"limit": limit}
    if source_type:
        filters += " AND e.source_type = :source_type"
        params["source_type"] = source_type
    if public_only:
        filters += " AND e.public"
    if _dialect(db) == "sqlite":
        match = fts5_match(typed)
        if match is None:
            return []
        sql = ("SELECT e.id, -bm25(search_fts) AS rank FROM search_fts "
               "JOIN search_entry e ON e.id = search_fts.rowid "
               f"WHERE search_fts MATCH :q{filters} ORDER BY rank DESC, e.id LIMIT :limit")
        params["q"] = match
    else:
        query = pg_tsquery(typed)
        if query is None:
            return []
        # tsv: a stored generated column (migration 0004), so ranking reads, not re-parses.
        sql = ("SELECT e.id, ts_rank(e.tsv, q) AS rank "
               "FROM search_entry e, to_tsquery('simple', :q) q "
               f"WHERE e.tsv @@ q{filters} "
               "ORDER BY rank DESC, e.id LIMIT :limit")
        params["q"] = query
    rows = db.exec(text(sql).bindparams(**params)).all()  # type: ignore[call-overload]
    return [(int(r[0]), float(r[1])) for r in rows]


def matching_source_ids(db: Session, source_type: str, typed: str) -> list[int]:
    """Ids of the sources of one type whose text matches (for list filters)."""
    ids = [i for i, _ in _ranked_ids(db, typed, source_type=source_type, public_only=False,
                                     limit=10_000)]
    if not ids:
        return []
    rows = db.exec(select(SearchEntry.source_id).where(col(SearchEntry.id).in_(ids))).all()
    return sorted(set(rows))


def snippet(body: str, typed: str) -> str:
    """Around the first hit in the original text, hits marked, the rest HTML-escaped."""
    hits = highlight(body, typed)
    if not hits:
        return mark(body[:SNIPPET_CHARS], [])
    start = max(0, hits[0].start - SNIPPET_CHARS // 3)
    if start:
        space = body.find(" ", start)
        start = space + 1 if 0 <= space < hits[0].start else start
    end = min(len(body), start + SNIPPET_CHARS)
    window = body[start:end]
    shifted = [type(h)(h.start - start, h.end - start, h.term)
               for h in hits if h.start >= start and h.end <= end]
    return ("…" if start else "") + mark(window, shifted) + ("…" if end < len(body) else "")


def search(db: Session, typed: str, *, limit: int = 20, offset: int = 0,
           public_only: bool = False, source_type: str | None = None,
           visible: Callable[[SearchEntry], bool] | None = None) -> SearchResults:
    """Ranked hits for what the user typed, with or without diacritics."""
    ranked = _ranked_ids(db, typed, source_type=source_type, public_only=public_only,
                         limit=MAX_CANDIDATES)
    entries = {e.id: e for e in db.exec(select(SearchEntry).where(
        col(SearchEntry.id).in_([i for i, _ in ranked] or [-1])))}
    kept = [(entries[i], rank) for i, rank in ranked
            if i in entries and (visible is None or visible(entries[i]))]
    shown: list[SearchHit] = []
    for entry, rank in kept[offset:offset + limit]:  # snippets only for the page shown
        body = entry.body if highlight(entry.body, typed) else entry.title
        shown.append(SearchHit(source_type=entry.source_type, source_id=entry.source_id,
                               page=entry.page, title=entry.title,
                               snippet=snippet(body, typed), rank=round(rank, 6)))
    return SearchResults(query=typed, total=len(kept), hits=shown)
