"""The words each council's indexed text holds, and the near-spellings of a misspelled one.

Indexing a text adds its new folded words to ``search_word`` (per council); a query that
finds nothing looks its unknown words up there. PostgreSQL ranks the near words with
``pg_trgm`` through its GIN index; SQLite (and a PostgreSQL without the extension) ranks
them with ``server.text.trigrams``, which computes the same similarity, so both engines
propose the same words.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from server.models.followup import SearchWord
from server.text import trigrams
from server.text.search_query import MAX_TERM_CHARS
from server.text.vietnamese import syllables

MIN_WORD_CHARS = 2
"""Shorter words are not kept: one letter has no near-spelling worth proposing."""

MIN_TYPED_CHARS = 3
"""A typed word shorter than this is not corrected (two letters are near too many words)."""

LOOKUP_CHUNK = 500
"""Words asked about in one ``IN (...)``."""


def words_of(folded: str) -> set[str]:
    """The folded words of an indexed text worth keeping (no bare numbers)."""
    return {s.folded for s in syllables(folded)
            if MIN_WORD_CHARS <= len(s.folded) <= MAX_TERM_CHARS and not s.folded.isdigit()}


def known(db: Session, councils: Iterable[int] | None, words: Iterable[str]) -> set[str]:
    """Which of *words* occur in the text of *councils* (None: any council)."""
    wanted = sorted(set(words))
    found: set[str] = set()
    for start in range(0, len(wanted), LOOKUP_CHUNK):
        query = select(SearchWord.word).where(
            col(SearchWord.word).in_(wanted[start:start + LOOKUP_CHUNK]))
        if councils is not None:
            query = query.where(col(SearchWord.council_id).in_(sorted(councils)))
        found.update(db.exec(query).all())
    return found


def learn(db: Session, council_id: int | None, folded: str) -> None:
    """Add the words of one indexed text that its council's list does not hold yet."""
    if council_id is None:
        return
    words = words_of(folded)
    new = words - known(db, [council_id], words)
    if not new:
        return
    rows = [{"council_id": council_id, "word": w} for w in sorted(new)]
    dialect = db.get_bind().dialect.name
    maker = pg_insert if dialect == "postgresql" else sqlite_insert
    # another writer may have added the same word meanwhile: keep theirs
    db.connection().execute(maker(SearchWord).on_conflict_do_nothing(), rows)


def _sharing_enough_trigrams(db: Session, scope: list[int] | None, word: str) -> list[str]:
    """The scope's words that share enough trigrams with *word* to be near it.

    similarity = shared / (all distinct of both) >= 0.3 needs shared >= 0.3 x (trigrams of
    *word*), so the database counts, for each word, which of *word*'s trigrams it holds
    (the padded ones as "starts with" and "ends with") and keeps those with enough; only
    they are ranked exactly in Python. One pass over the council's words, in C."""
    grams = sorted(trigrams.trigrams(word))
    contains = "instr(word, {})" if db.get_bind().dialect.name == "sqlite" else "strpos(word, {})"
    tests, params = [], {}
    for k, gram in enumerate(grams):
        params[f"g{k}"] = gram.strip()
        if gram.startswith("  "):
            test = f"substr(word, 1, 1) = :g{k}"
        elif gram.startswith(" "):
            test = f"substr(word, 1, 2) = :g{k}"
        elif gram.endswith(" "):  # every kept word has two letters or more
            test = f"substr(word, length(word) - 1, 2) = :g{k}"
        else:
            test = contains.format(f":g{k}") + " > 0"
        tests.append(f"CASE WHEN {test} THEN 1 ELSE 0 END")
    need = -(-len(grams) * trigrams.THRESHOLD.numerator // trigrams.THRESHOLD.denominator)
    sql = (f"SELECT DISTINCT word FROM search_word WHERE ({' + '.join(tests)}) >= :need"
           + ("" if scope is None else
              f" AND council_id IN ({', '.join(str(int(c)) for c in scope)})"))
    return list(db.connection().execute(text(sql), {**params, "need": need}).scalars())


@lru_cache(maxsize=16)
def _has_pg_trgm(engine: Engine) -> bool:
    with engine.connect() as connection:
        return connection.execute(text(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first() is not None


def near(db: Session, councils: Iterable[int] | None, word: str, *, limit: int = 3) -> list[str]:
    """Words of *councils*' text nearest *word*: most similar first, ties alphabetical."""
    if len(word) < MIN_TYPED_CHARS:
        return []
    bind = db.get_bind()
    scope = sorted(councils) if councils is not None else None
    if bind.dialect.name == "postgresql" and _has_pg_trgm(bind.engine):
        # "%" finds the candidates through the trigram index (at the extension's threshold,
        # 0.3 unless changed); the exact rule is applied again below on their scores
        sql = ("SELECT word FROM search_word WHERE word % :word AND word <> :word"
               + ("" if scope is None else " AND council_id = ANY(:councils)")
               + " GROUP BY word ORDER BY max(similarity(word, :word)) DESC, word LIMIT 50")
        params: dict[str, object] = {"word": word}
        if scope is not None:
            params["councils"] = scope
        candidates = list(db.connection().execute(text(sql), params).scalars())
    else:
        candidates = _sharing_enough_trigrams(db, scope, word)
    return trigrams.nearest(word, candidates, limit=limit)
