"""Turn what a user typed into a safe full-text query, and find the hits to highlight.

Both search backends index *folded* text (see :func:`server.text.vietnamese.fold`): store
``fold(text)`` in the FTS5 column (SQLite) or in the ``to_tsvector('simple', ...)``
expression (PostgreSQL). Do not rely on SQLite's ``remove_diacritics``: it leaves "đ"
alone, so "Đường" would never match "duong". Folding in Python also spares PostgreSQL the
``unaccent`` extension.

The typed query is cut into folded syllables, so nothing the user types can reach the
query syntax: quotes, ``*``, ``NEAR``, ``AND``/``OR``/``NOT``, ``:``, ``^`` and
parentheses become separators or plain lower-case words. Each syllable is then quoted.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from server.text.vietnamese import syllables

MAX_QUERY_TERMS = 32
"""Longer queries are cut: a pasted page must not become a thousand-term query."""

MAX_QUERY_CHARS = 500
"""What is read of a typed query; the rest is ignored (and the caller says so)."""

MAX_TYPED_CHARS = 2_000
"""Past this a query is refused rather than cut (``server.errors.SearchQueryRefused``): a
few pasted paragraphs are still a mistake worth a notice, a page of them is not a search.
Chosen, not law: four times what is searched, below any URL length limit."""

MAX_TERM_CHARS = 40
"""A Vietnamese syllable has at most seven letters; a longer "word" ("aaaa…", a pasted
hash) is cut to this many characters so that it cannot cost more than a real word."""


class QueryCut(StrEnum):
    """Why the query that was searched is shorter than what was typed."""

    TOO_LONG = "too_long"
    """More than :data:`MAX_QUERY_CHARS` characters."""
    TOO_MANY_TERMS = "too_many_terms"
    """More than :data:`MAX_QUERY_TERMS` different words."""
    TERM_TOO_LONG = "term_too_long"
    """A word longer than :data:`MAX_TERM_CHARS` characters."""


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """The folded words that will be searched, and what was cut to get them."""

    terms: tuple[str, ...]
    cuts: tuple[QueryCut, ...] = ()


def parse_query(typed: str) -> ParsedQuery:
    """Folded syllables of a typed query, in order, without repeats, within every bound."""
    cuts: list[QueryCut] = []
    if len(typed) > MAX_QUERY_CHARS:
        typed = typed[:MAX_QUERY_CHARS]
        cuts.append(QueryCut.TOO_LONG)
    seen: dict[str, None] = {}
    for s in syllables(typed):
        term = s.folded
        if len(term) > MAX_TERM_CHARS:
            term = term[:MAX_TERM_CHARS]
            if QueryCut.TERM_TOO_LONG not in cuts:
                cuts.append(QueryCut.TERM_TOO_LONG)
        seen.setdefault(term, None)
    terms = list(seen)
    if len(terms) > MAX_QUERY_TERMS:
        terms = terms[:MAX_QUERY_TERMS]
        cuts.append(QueryCut.TOO_MANY_TERMS)
    return ParsedQuery(tuple(terms), tuple(cuts))


class Match(StrEnum):
    """How the typed words must occur in a document."""

    ALL = "all"
    """Every word, anywhere (the default)."""
    ANY = "any"
    """At least one word; ranking puts documents with more of them first."""
    PHRASE = "phrase"
    """The words next to each other, in order."""


def query_terms(typed: str) -> list[str]:
    """Folded syllables of a typed query, in order, without repeats, within the bounds."""
    return list(parse_query(typed).terms)


def _fts5_string(term: str) -> str:
    # FTS5 strings are double-quoted with "" for a quote; terms have none, but stay safe.
    return '"' + term.replace('"', '""') + '"'


def fts5_match(typed: str, mode: Match = Match.ALL, *, prefix_last: bool = False) -> str | None:
    """An SQLite FTS5 ``MATCH`` expression for *typed*, or None when nothing is searchable.

    Bind it as a parameter: ``WHERE docs MATCH ?``. With *prefix_last* the last word also
    matches longer words ("lu" finds "lut"), for search-as-you-type. Returns None for an
    empty or punctuation-only query: the caller shows no results instead of an FTS error.
    """
    terms = query_terms(typed)
    if not terms:
        return None
    quoted = [_fts5_string(t) for t in terms]
    if prefix_last:
        quoted[-1] += "*"
    if mode is Match.PHRASE:
        return " + ".join(quoted)
    return (" OR " if mode is Match.ANY else " AND ").join(quoted)


def _tsquery_lexeme(term: str) -> str:
    # tsquery lexemes in single quotes, '' for a quote and \\ for a backslash.
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def pg_tsquery(typed: str, mode: Match = Match.ALL, *, prefix_last: bool = False) -> str | None:
    """A PostgreSQL tsquery text for *typed*, or None when nothing is searchable.

    Bind it as a parameter of ``to_tsquery('simple', %s)`` and match it against
    ``to_tsvector('simple', folded_text)``; the ``simple`` configuration neither stems nor
    drops words, which suits Vietnamese syllables.
    """
    terms = query_terms(typed)
    if not terms:
        return None
    lexemes = [_tsquery_lexeme(t) for t in terms]
    if prefix_last:
        lexemes[-1] += ":*"
    operator = {Match.ALL: " & ", Match.ANY: " | ", Match.PHRASE: " <-> "}[mode]
    return operator.join(lexemes)


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a query word occurs in the original text (offsets into that text)."""

    start: int
    end: int
    term: str


def highlight(text: str, typed: str, *, prefix_last: bool = False) -> list[Hit]:
    """Hits of the typed query's words in *text*, compared folded, offsets into *text*.

    "ngap lut" finds "Ngập lụt" in the original accented text, and "ngập lụt" finds
    "ngap lut"; NFD text works too since offsets come from :func:`syllables`.
    """
    terms = query_terms(typed)
    if not terms:
        return []
    wanted = set(terms)
    last = terms[-1]
    hits: list[Hit] = []
    for s in syllables(text):
        if s.folded in wanted:
            hits.append(Hit(s.start, s.end, s.folded))
        elif prefix_last and s.folded.startswith(last):
            hits.append(Hit(s.start, s.end, last))
    return hits


def mark(
    text: str,
    hits: list[Hit],
    *,
    before: str = "<mark>",
    after: str = "</mark>",
    escape: Callable[[str], str] = html.escape,
) -> str:
    """*text* with each hit wrapped in *before*/*after*; the rest escaped for HTML.

    Adjacent hits ("ngập lụt") are wrapped as one span.
    """
    out: list[str] = []
    position = 0
    spans: list[tuple[int, int]] = []
    for hit in sorted(hits, key=lambda h: h.start):
        if spans and not text[spans[-1][1] : hit.start].strip():
            spans[-1] = (spans[-1][0], hit.end)
        else:
            spans.append((hit.start, hit.end))
    for start, end in spans:
        out.append(escape(text[position:start]))
        out.append(before + escape(text[start:end]) + after)
        position = end
    out.append(escape(text[position:]))
    return "".join(out)
