"""One search over tracked items, resolutions, supervision conclusions and documents' pages.

Everything is indexed *folded* (``server.text.vietnamese.fold``: lower case, no
diacritics, đ→d), so "ngap lut" and "ngập lụt" meet. Each text is a
:class:`~server.models.followup.SearchEntry`. A search has two steps:

1. the database finds the newest :data:`MAX_CANDIDATES` entries holding every word, through
   its own index (SQLite: the FTS5 table ``search_fts``, read in rowid order; PostgreSQL:
   the GIN index on ``tsv`` or, for common words, the primary key read backwards), with
   the caller's filters (public, kind, council) applied in the database, under a time limit
   (:data:`TIME_LIMIT_MS`);
2. ``server.text.ranking`` orders those candidates in Python from their folded text, so
   both engines give the same answers for the same data.

The snippet shown is cut from the original accented text with
``server.text.search_query.highlight``. Every step is bounded (query length, words, text
indexed per entry, text read for ranking and snippets), and what was cut is said in the
answer's ``notices``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import func, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlmodel import Session, col, select

from server.documents import inspection
from server.documents.inspection import Limits
from server.errors import DomainError, SearchQueryRefused, SearchTooSlow
from server.followup.schemas import SearchHit, SearchNotice, SearchResults
from server.models import Council, Document, DocumentVersion
from server.models.base import id_of
from server.models.followup import Resolution, SearchEntry, Supervision, TrackedItem
from server.services import search_suggest, search_words
from server.services import search_visibility as visibility
from server.tenancy import scoping
from server.text.ranking import Candidate, rank
from server.text.search_query import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    MAX_TERM_CHARS,
    MAX_TYPED_CHARS,
    ParsedQuery,
    QueryCut,
    fts5_match,
    highlight,
    mark,
    parse_query,
    pg_tsquery,
)
from server.text.vietnamese import fold, tokens

MAX_CANDIDATES = 200
"""Matches handed over by the database (the newest first) and ranked in Python."""

MAX_INDEXED_CHARS = 100_000
"""Text kept and indexed per entry (a page of a document, an item): a real page holds a
few thousand characters; a crafted one must not make every search that finds it slow."""

RANK_CHARS = 20_000
"""Folded text read per candidate for ranking."""

SNIPPET_CHARS = 200
SNIPPET_SCAN_CHARS = 50_000
"""Original text searched for the first hit when cutting a snippet."""

TIME_LIMIT_MS = 2_000
"""The database may spend this long finding candidates; past it the search is refused."""

LIST_FILTER_LIMIT = 10_000
"""Entries a list's text filter (``matching_source_ids``) may match."""


def _dialect(db: Session) -> str:
    return db.get_bind().dialect.name


def index_entry(db: Session, source_type: str, source_id: int, title: str, body: str, *,
                public: bool, page: int = 0, council_id: int | None = None) -> SearchEntry:
    """Add or replace one searchable text (cut to :data:`MAX_INDEXED_CHARS`); without a
    *council_id*, the installation's council."""
    title, body = title[:500], body[:MAX_INDEXED_CHARS]
    folded = fold(f"{title}\n{body}")
    entry = db.exec(select(SearchEntry).where(SearchEntry.source_type == source_type,
                                              SearchEntry.source_id == source_id,
                                              SearchEntry.page == page)).first()
    sqlite = _dialect(db) == "sqlite"
    if entry is None:
        entry = SearchEntry(source_type=source_type, source_id=source_id, page=page, title=title)
    elif sqlite:
        _fts_delete(db, entry)
    entry.title, entry.body, entry.folded, entry.public = title, body, folded, public
    entry.council_id = council_id if council_id is not None else _installation_council(db)
    db.add(entry)
    db.flush()
    if sqlite:
        db.connection().execute(text("INSERT INTO search_fts(rowid, folded) VALUES (:id, :folded)")
                                .bindparams(id=entry.id, folded=folded))
    search_words.learn(db, entry.council_id, folded)
    return entry


def _installation_council(db: Session) -> int | None:
    """The council an entry belongs to when its caller names none: the writer's council in
    a scoped session (server/tenancy), else the installation's first."""
    scope = scoping.scope_of(db)
    if scope is not None and scope.writes is not None:
        return scope.writes
    return db.exec(select(func.min(Council.id))).one()


def _fts_delete(db: Session, entry: SearchEntry) -> None:
    # External-content FTS5: a row leaves the index by repeating what was indexed.
    db.connection().execute(text("INSERT INTO search_fts(search_fts, rowid, folded) "
                                 "VALUES ('delete', :id, :folded)")
                            .bindparams(id=entry.id, folded=entry.folded))


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
    index_entry(db, "item", id_of(item), item.title, body, public=visibility.item_is_public(item),
                council_id=item.council_id)


def index_resolution(db: Session, resolution: Resolution) -> None:
    index_entry(db, "resolution", id_of(resolution), f"{resolution.number} {resolution.title}",
                "", public=resolution.public,
                council_id=resolution.council_id)


def index_supervision(db: Session, supervision: Supervision) -> None:
    index_entry(db, "supervision", id_of(supervision), supervision.subject,
                supervision.conclusions, public=supervision.public,
                council_id=supervision.council_id)


def index_document_version(db: Session, version: DocumentVersion, texts: dict[int, str]) -> int:
    """Index each page's text of a document's version (replacing the earlier version's).

    ``texts`` maps 1-based page numbers to text, as read by the PDF worker
    (``server.documents.inspection``), already capped there. Returns pages indexed.
    """
    document = db.get(Document, version.document_id)
    if document is None:
        return 0
    remove_entries(db, "document", id_of(document))
    public = visibility.document_is_public(db, document)
    council_id = document.council_id
    count = 0
    for number, page_text in sorted(texts.items()):
        if page_text.strip():
            index_entry(db, "document", id_of(document), document.title, page_text.strip(),
                        public=public, page=number, council_id=council_id)
            count += 1
    return count


def retitle_document(db: Session, document: Document) -> None:
    """Follow a title change: each indexed page carries the title it is found by."""
    for entry in list(db.exec(select(SearchEntry).where(SearchEntry.source_type == "document",
                                                        SearchEntry.source_id == document.id))):
        index_entry(db, "document", id_of(document), document.title, entry.body,
                    public=entry.public, page=entry.page, council_id=entry.council_id)


def set_document_public(db: Session, document: Document) -> None:
    """Follow a confidentiality change or a withdrawal without reading the PDF again."""
    public = document.confidentiality == "public" and document.withdrawn_at is None
    for entry in db.exec(select(SearchEntry).where(SearchEntry.source_type == "document",
                                                   SearchEntry.source_id == document.id)):
        entry.public = public
        db.add(entry)


def reindex_all(db: Session, store, limits: Limits | None = None) -> int:
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


@contextmanager
def _time_limit(db: Session, milliseconds: int) -> Iterator[None]:
    """Cancel the statements run inside after *milliseconds*; raise SearchTooSlow then.

    PostgreSQL: ``statement_timeout`` for this transaction only. SQLite: a progress
    handler that interrupts the statement once the deadline has passed.
    """
    if _dialect(db) == "sqlite":
        raw = db.connection().connection.dbapi_connection
        assert raw is not None  # a connection in use has its DBAPI connection
        deadline = time.monotonic() + milliseconds / 1000
        raw.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
        try:
            yield
        except OperationalError as error:
            if "interrupted" in str(error.orig):
                raise SearchTooSlow() from error
            raise
        finally:
            raw.set_progress_handler(None, 0)
        return
    nested = db.begin_nested()  # a cancelled statement must not spoil the caller's transaction
    db.connection().execute(text(f"SET LOCAL statement_timeout = {max(1, int(milliseconds))}"))
    try:
        yield
    except DBAPIError as error:
        nested.rollback()
        if getattr(error.orig, "sqlstate", None) == "57014":  # query_canceled
            raise SearchTooSlow() from error
        raise
    except BaseException:  # SearchTooSlow from _tighten, or anything else: undo SET LOCAL
        nested.rollback()
        raise
    db.connection().execute(text("SET LOCAL statement_timeout TO DEFAULT"))
    nested.commit()


def _candidate_ids(db: Session, terms: tuple[str, ...], *, source_type: str | None,
                   public_only: bool, council_id: int | None, limit: int) -> list[int]:
    """Ids of the newest entries holding every term, newest first, at most *limit*."""
    filters = ""
    params: dict[str, object] = {"limit": limit}
    if source_type:
        filters += " AND e.source_type = :source_type"
        params["source_type"] = source_type
    if public_only:
        filters += " AND e.public"
    if council_id is not None:
        filters += " AND e.council_id = :council_id"
        params["council_id"] = council_id
    typed = " ".join(terms)
    if _dialect(db) != "sqlite":
        params["q"] = pg_tsquery(typed)
        return _pg_candidate_ids(db, filters, params, council_id=council_id, limit=limit)
    # FTS5 walks its doclists in rowid order: the newest matches come first, cheaply.
    sql = ("SELECT e.id FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid "
           f"WHERE search_fts MATCH :q{filters} ORDER BY search_fts.rowid DESC LIMIT :limit")
    params["q"] = fts5_match(typed)
    with _time_limit(db, TIME_LIMIT_MS):
        rows = db.exec(text(sql).bindparams(**params)).all()  # type: ignore[call-overload]
    return [int(r[0]) for r in rows]


def _pg_candidate_ids(db: Session, filters: str, params: dict, *, council_id: int | None,
                      limit: int) -> list[int]:
    """PostgreSQL's newest matches in one statement, no ``ts_rank`` over every match.

    Across councils the planner picks the GIN index (rare words) or the primary key read
    backwards (common words: the first matches come at once). Within one council the
    primary key would walk every council's rows, so "id + 0" keeps it out and the GIN
    index over ``(council_id, tsv)`` (migration 0023) finds "this council and these
    words" at once. Measured at 100,000 texts (backend CPU per query): 3 ms across
    councils, 5 ms in one council; a bounded walk then GIN windows (tried, see the
    history of this function) cost 4 and 10 ms.
    """
    order = "e.id + 0" if council_id is not None else "e.id"
    sql = ("SELECT e.id FROM search_entry e "
           f"WHERE e.tsv @@ to_tsquery('simple', :q){filters} "
           f"ORDER BY {order} DESC LIMIT :limit")
    with _time_limit(db, TIME_LIMIT_MS):
        rows = db.exec(text(sql).bindparams(**params)).all()  # type: ignore[call-overload]
    return [int(r[0]) for r in rows]


@dataclass(frozen=True, slots=True)
class Place:
    """Where a candidate comes from, without its text: what read rules look at."""

    id: int
    source_type: str
    source_id: int
    page: int
    title: str


def _candidates(db: Session, ids: list[int]) -> list[tuple[Place, Candidate]]:
    """Each candidate's place and, for ranking, its folded title and the start of its
    folded text."""
    if not ids:
        return []
    rows = db.exec(select(SearchEntry.id, SearchEntry.source_type,  # type: ignore[call-overload]
                          SearchEntry.source_id, SearchEntry.page, SearchEntry.title,
                          func.substr(SearchEntry.folded, 1, RANK_CHARS))
                   .where(col(SearchEntry.id).in_(ids))).all()
    # folded = fold(title + "\n" + body): its first line is the folded title.
    return [(Place(int(i), kind, int(source), int(page), title),
             Candidate(int(i), (folded or "").split("\n", 1)[0], folded or ""))
            for i, kind, source, page, title, folded in rows]


def _body_starts(db: Session, ids: list[int]) -> dict[int, str]:
    rows = db.exec(select(col(SearchEntry.id),
                          func.substr(SearchEntry.body, 1, SNIPPET_SCAN_CHARS))
                   .where(col(SearchEntry.id).in_(ids or [-1]))).all()
    return {int(i): body or "" for i, body in rows if i is not None}


def matching_source_ids(db: Session, source_type: str, typed: str) -> list[int]:
    """Ids of the sources of one type whose text matches (for list filters)."""
    terms = parse_bounded(typed)[0].terms
    if not terms:
        return []
    ids = _candidate_ids(db, terms, source_type=source_type, public_only=False,
                         council_id=None, limit=LIST_FILTER_LIMIT)
    if not ids:
        return []
    rows = db.exec(select(SearchEntry.source_id).where(col(SearchEntry.id).in_(ids))).all()
    return sorted(set(rows))


def _near_first_hit(body: str, terms: tuple[str, ...]) -> tuple[int, str]:
    """(offset, part of *body*) worth highlighting: around the first hit when the folded
    text lines up with the original (NFC text, the usual case), else its start; "" when
    no word of the query is in *body*.

    Highlighting folds syllable by syllable, which is slow on a long page; this finds the
    first hit with one fold and one regular expression, then highlights a window only.
    """
    folded = fold(body)
    if len(folded) != len(body):
        return 0, body[:SNIPPET_CHARS * 4]
    alternatives = "|".join(re.escape(t) for t in terms)
    first = re.search(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", folded)
    if first is None:
        return 0, ""
    start = max(0, first.start() - SNIPPET_CHARS // 2)
    return start, body[start:first.start() + SNIPPET_CHARS]


def snippet(body: str, typed: str) -> str:
    """Around the first hit in the original text, hits marked, the rest HTML-escaped."""
    body = body[:SNIPPET_SCAN_CHARS]
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


_CUT_NOTICES = {
    QueryCut.TOO_LONG: (f"Chỉ tìm theo {MAX_QUERY_CHARS} ký tự đầu của câu tìm kiếm.",
                        f"Only the first {MAX_QUERY_CHARS} characters of the query were "
                        "searched."),
    QueryCut.TOO_MANY_TERMS: (f"Chỉ tìm theo {MAX_QUERY_TERMS} từ đầu của câu tìm kiếm.",
                              f"Only the first {MAX_QUERY_TERMS} words of the query were "
                              "searched."),
    QueryCut.TERM_TOO_LONG: (f"Từ dài hơn {MAX_TERM_CHARS} ký tự đã được cắt bớt.",
                             f"Words longer than {MAX_TERM_CHARS} characters were cut."),
}
_MORE_NOTICE = ("Có nhiều kết quả hơn; chỉ xếp hạng {n} kết quả mới nhất. "
                "Hãy thêm từ để thu hẹp.",
                "There are more matches; only the newest {n} were ranked. "
                "Add words to narrow the search.")


_COMMON_WORDS_NOTICE = ("Câu tìm kiếm chỉ có từ thông dụng (như “của”, “và”) nên khớp với "
                       "rất nhiều văn bản. Hãy thêm từ chỉ nội dung.",
                       "The query holds only common words (such as “của”, “và”), which "
                       "match very many texts. Add words about the subject.")


def _notice(code: str, vi: str, en: str) -> SearchNotice:
    return SearchNotice(code=code, message_vi=vi, message_en=en)


def parse_bounded(typed: str) -> tuple[ParsedQuery, list[SearchNotice]]:
    """The words to search and the notices saying what was cut; refuses
    (:class:`~server.errors.SearchQueryRefused`) a query past :data:`MAX_TYPED_CHARS`.

    Every path that searches what a user typed (the API, list filters, the web pages)
    goes through here, so each is bounded the same way and says so the same way.
    """
    if len(typed) > MAX_TYPED_CHARS:
        raise SearchQueryRefused()
    parsed = parse_query(typed)
    notices = [_notice(c.value, *_CUT_NOTICES[c]) for c in parsed.cuts]
    if parsed.terms and not tokens(typed[:MAX_QUERY_CHARS], drop_stop_words=True):
        notices.append(_notice("common_words_only", *_COMMON_WORDS_NOTICE))
    return parsed, notices


def search(db: Session, typed: str, *, limit: int = 20, offset: int = 0,
           public_only: bool = False, source_type: str | None = None,
           council_id: int | None = None,
           visible: Callable[[Place], bool] | None = None,
           suggest: bool = True) -> SearchResults:
    """Ranked hits for what the user typed, with or without diacritics.

    *public_only* (anonymous search) keeps what the portal shows and checks each hit
    against its source once more; *visible* is a signed-in caller's read rule. When
    nothing is found and *suggest*, the answer may carry a corrected query
    (``server.services.search_suggest``).
    """
    parsed, notices = parse_bounded(typed)
    scope = scoping.scope_of(db)  # the caller's councils, or the portal's (server/tenancy)
    if scope is not None:
        if council_id is not None and council_id not in scope.reads:
            return SearchResults(query=typed, total=0, hits=[], notices=notices)
        if council_id is None and len(scope.reads) == 1:
            council_id = scope.home
    if not parsed.terms:
        return SearchResults(query=typed, total=0, hits=[], notices=notices)
    ids = _candidate_ids(db, parsed.terms, source_type=source_type, public_only=public_only,
                         council_id=council_id, limit=MAX_CANDIDATES)
    if len(ids) == MAX_CANDIDATES:
        vi, en = _MORE_NOTICE
        notices.append(_notice("more_matches", vi.format(n=MAX_CANDIDATES),
                               en.format(n=MAX_CANDIDATES)))
    places = _candidates(db, ids)
    found = {place.id: place for place, _ in places}
    ranked = [(found[i], score) for i, score in rank(parsed.terms, [c for _, c in places])]
    kept = [(place, score) for place, score in ranked if visible is None or visible(place)]
    page = kept[offset:offset + limit]  # text is read and snippets cut for this page only
    bodies = _body_starts(db, [place.id for place, _ in page])
    shown_query = " ".join(parsed.terms)
    hits: list[SearchHit] = []
    for place, score in page:
        if public_only and not visibility.entry_is_public(db, place):
            continue  # the flag was stale: the source's own rule wins
        start, window = _near_first_hit(bodies.get(place.id, ""), parsed.terms)
        cut = snippet(window or place.title, shown_query)
        if start and not cut.startswith("…"):  # the window starts inside the text
            cut = "…" + cut
        hits.append(SearchHit(source_type=place.source_type, source_id=place.source_id,
                              page=place.page, title=place.title, snippet=cut, rank=score))
    suggestion = None
    if not kept and suggest:
        councils = ([council_id] if council_id is not None
                    else sorted(scope.reads) if scope is not None else None)

        def finds_something(corrected: str) -> bool:
            try:
                return search(db, corrected, limit=1, public_only=public_only,
                              source_type=source_type, council_id=council_id,
                              visible=visible, suggest=False).total > 0
            except SearchTooSlow:
                return False  # no suggestion rather than a refusal of a search that ran

        suggestion = search_suggest.correction(db, typed[:MAX_QUERY_CHARS], parsed.terms,
                                               councils, finds_something)
    return SearchResults(query=typed[:MAX_QUERY_CHARS], total=len(kept), hits=hits,
                         notices=notices, suggestion=suggestion)
