""""Có phải bạn muốn tìm …?": a correction for a query that found nothing.

Each typed word that no text of the caller's councils holds is compared with the words
those texts do hold (``server.services.search_words``); the nearest ones replace it, and
the corrected query is only proposed if searching it, with the caller's own filters and
read rules, finds something. So a suggestion never reveals a word the caller could not
have found (another council's text, an unpublished document).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlmodel import Session

from server.services import search_words
from server.text.vietnamese import syllables

MAX_CORRECTED_WORDS = 4
"""Unknown words corrected in one query; past that the query is not a typo."""

TRIES = 3
"""Corrected queries searched at most (the nearest words first, then the next ones)."""


def rewrite(typed: str, replacements: dict[str, str]) -> str:
    """*typed* with each word whose folded form is in *replacements* replaced, the rest
    (diacritics, spacing, punctuation) as typed."""
    out: list[str] = []
    position = 0
    for s in syllables(typed):
        if s.folded in replacements:
            out.append(typed[position:s.start])
            word = replacements[s.folded]
            out.append(word.capitalize() if s.raw[:1].isupper() else word)
            position = s.end
    out.append(typed[position:])
    return "".join(out)


def correction(db: Session, typed: str, terms: tuple[str, ...], councils: Iterable[int] | None,
               finds_something: Callable[[str], bool]) -> str | None:
    """A corrected query for *typed* that finds something, or None.

    *terms* are the query's folded words; *finds_something* searches a corrected query
    exactly as the caller's search would."""
    scope = None if councils is None else sorted(councils)
    found = search_words.known(db, scope, terms)
    unknown = [t for t in terms if t not in found]
    if not unknown or len(unknown) > MAX_CORRECTED_WORDS:
        return None
    options = {word: search_words.near(db, scope, word, limit=TRIES) for word in unknown}
    if not any(options.values()):
        return None
    tried: set[str] = set()
    for attempt in range(TRIES):
        replacements = {word: near[min(attempt, len(near) - 1)]
                        for word, near in options.items() if near}
        corrected = rewrite(typed, replacements)
        if corrected in tried:
            continue
        tried.add(corrected)
        if finds_something(corrected):
            return corrected
    return None
