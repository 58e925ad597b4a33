"""Search queries: folded, injection-safe, run for real on SQLite FTS5 (and PostgreSQL)."""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator

import pytest

from server.text.search_query import (
    MAX_QUERY_TERMS,
    Match,
    fts5_match,
    highlight,
    mark,
    pg_tsquery,
    query_terms,
)
from server.text.vietnamese import fold

DOCUMENTS = [
    "Ruộng bậc thang thôn Tả Gú bị ngập lụt sau mưa lũ.",
    "de nghi sua muong thuy loi, ruong bi ngap lut",
    "Đường liên thôn Y Tý bị sạt lở.",
    "Lụt lội làm ngập trường mầm non.",
    unicodedata.normalize("NFD", "Điện lưới quốc gia chưa về thôn Phìn Hồ."),
]

HOSTILE = [
    '"', '""', "'", "*", "ngap*", '"ngap" OR "lut"', "ngap NEAR lut", "NEAR(ngap lut, 2)",
    "AND", "OR", "NOT", "ngap AND NOT lut", "(ngap", "ngap)", "body:ngap", "^ngap", "-ngap",
    "ngap + lut", "{body}: ngap", "ngap'; DROP TABLE docs; --", "\\", "a & b | !c <-> d:*",
    "", "   ", "!!!", "\x00ngap",
]


@pytest.fixture
def fts() -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE docs USING fts5(body)")
    conn.executemany(
        "INSERT INTO docs(rowid, body) VALUES (?, ?)",
        [(i, fold(text)) for i, text in enumerate(DOCUMENTS)],
    )
    yield conn
    conn.close()


def search(conn: sqlite3.Connection, typed: str, mode: Match = Match.ALL, **kw) -> list[int]:
    expression = fts5_match(typed, mode, **kw)
    if expression is None:
        return []
    rows = conn.execute(
        "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank", (expression,)
    ).fetchall()
    return sorted(r[0] for r in rows)


def test_ngap_lut_found_with_or_without_diacritics(fts: sqlite3.Connection) -> None:
    assert search(fts, "ngap lut") == [0, 1, 3]
    assert search(fts, "ngập lụt") == [0, 1, 3]
    assert search(fts, unicodedata.normalize("NFD", "NGẬP LỤT")) == [0, 1, 3]


def test_phrase_any_and_prefix(fts: sqlite3.Connection) -> None:
    assert search(fts, "ngập lụt", Match.PHRASE) == [0, 1]
    assert search(fts, "sạt lở điện", Match.ANY) == [2, 4]
    assert search(fts, "đường", Match.ALL) == [2]  # "Đường" indexed as "duong": đ folded
    assert search(fts, "thuy lo", prefix_last=True) == [1]
    assert search(fts, "thuy lo") == []


@pytest.mark.parametrize("typed", HOSTILE)
@pytest.mark.parametrize("mode", list(Match))
def test_hostile_input_never_breaks_fts5(fts: sqlite3.Connection, typed: str, mode: Match) -> None:
    expression = fts5_match(typed, mode, prefix_last=True)
    if expression is not None:
        fts.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (expression,)).fetchone()


def test_operators_are_searched_as_words_not_obeyed(fts: sqlite3.Connection) -> None:
    assert fts5_match('"ngap" OR "lut"') == '"ngap" AND "or" AND "lut"'
    assert fts5_match("ngap AND NOT lut") == '"ngap" AND "and" AND "not" AND "lut"'
    assert search(fts, "NOT ngap") == []  # no document contains the word "not"
    assert fts5_match("NEAR(ngap lut, 2)", Match.PHRASE) == '"near" + "ngap" + "lut" + "2"'
    assert fts5_match("*") is None and fts5_match("  ") is None


def test_query_terms_are_capped_and_deduplicated() -> None:
    assert query_terms("Lụt lụt LUT ngập") == ["lut", "ngap"]
    assert len(query_terms(" ".join(f"w{i}" for i in range(100)))) == MAX_QUERY_TERMS


def test_pg_tsquery_text_is_escaped() -> None:
    assert pg_tsquery("ngập lụt") == "'ngap' & 'lut'"
    assert pg_tsquery("ngập lụt", Match.PHRASE, prefix_last=True) == "'ngap' <-> 'lut':*"
    assert pg_tsquery("a & b | !c <-> d:*", Match.ANY) == "'a' | 'b' | 'c' | 'd'"
    assert pg_tsquery("'; DROP TABLE x; --") == "'drop' & 'table' & 'x'"
    assert pg_tsquery("!!!") is None


@pytest.mark.postgres
def test_pg_tsquery_runs_on_postgresql(pg_database: str) -> None:
    import psycopg

    with psycopg.connect(pg_database) as conn:
        conn.execute("CREATE TEMP TABLE docs (id int, body text)")
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO docs VALUES (%s, %s)",
                [(i, fold(text)) for i, text in enumerate(DOCUMENTS)],
            )

        def pg_search(typed: str, mode: Match = Match.ALL) -> list[int]:
            query = pg_tsquery(typed, mode, prefix_last=True)
            if query is None:
                return []
            rows = conn.execute(
                "SELECT id FROM docs WHERE to_tsvector('simple', body)"
                " @@ to_tsquery('simple', %s) ORDER BY id",
                (query,),
            ).fetchall()
            return [r[0] for r in rows]

        assert pg_search("ngap lut") == [0, 1, 3]
        assert pg_search("Ngập Lụt", Match.PHRASE) == [0, 1]
        for typed in HOSTILE:
            for mode in Match:
                pg_search(typed, mode)


def test_highlight_finds_accented_words_from_a_folded_query() -> None:
    text = "Ruộng bị NGẬP LỤT; lụt lội kéo dài."
    hits = highlight(text, "ngap lut")
    assert [text[h.start : h.end] for h in hits] == ["NGẬP", "LỤT", "lụt"]
    assert mark(text, hits) == "Ruộng bị <mark>NGẬP LỤT</mark>; <mark>lụt</mark> lội kéo dài."


def test_highlight_the_reverse_and_decomposed_text() -> None:
    unaccented = "ruong bi ngap lut <b>"
    assert mark(unaccented, highlight(unaccented, "ngập lụt")) == (
        "ruong bi <mark>ngap lut</mark> &lt;b&gt;"
    )
    decomposed = unicodedata.normalize("NFD", "Mương bị ngập")
    hits = highlight(decomposed, "ngap")
    assert unicodedata.normalize("NFC", decomposed[hits[0].start : hits[0].end]) == "ngập"


def test_highlight_prefix_and_nothing_to_find() -> None:
    text = "Mương thủy lợi bị lũ cuốn"
    assert [text[h.start : h.end] for h in highlight(text, "thuy lo", prefix_last=True)] == [
        "thủy", "lợi",
    ]
    assert highlight(text, "***") == []
    assert mark(text, []) == text


def test_fold_strips_every_combining_mark_unicode_knows() -> None:
    import sys
    import unicodedata

    from shared.text import vietnamese  # where folding lives (server.text re-exports it)

    every = {cp for cp in range(sys.maxunicode + 1) if unicodedata.combining(chr(cp))}
    assert set(vietnamese._COMBINING) == every
