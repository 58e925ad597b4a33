"""Trigram similarity of folded words, computed exactly as PostgreSQL's ``pg_trgm`` does.

Near-spellings ("ngan sahc" for "ngân sách") are found on PostgreSQL by ``pg_trgm``
(``similarity()`` and its GIN index) and on SQLite by this module over the same word list,
so both engines suggest the same correction. ``pg_trgm`` pads a word with two spaces in
front and one behind and compares the sets of its three-letter pieces:
similarity = shared / (all distinct of both). Source: PostgreSQL documentation, F.35
pg_trgm ("How similar two strings are"), and ``contrib/pg_trgm/trgm_op.c``.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from functools import lru_cache

THRESHOLD = Fraction(3, 10)
"""``pg_trgm.similarity_threshold``'s default: below it two words are not near."""


@lru_cache(maxsize=65_536)
def trigrams(word: str) -> frozenset[str]:
    """The trigrams of one folded word (letters and digits, lower case)."""
    padded = f"  {word} "
    return frozenset(padded[i:i + 3] for i in range(len(padded) - 2))


def similarity(a: str, b: str) -> Fraction:
    """``pg_trgm``'s ``similarity(a, b)`` for two single words, as an exact fraction."""
    left, right = trigrams(a), trigrams(b)
    shared = len(left & right)
    union = len(left) + len(right) - shared
    return Fraction(shared, union) if union else Fraction(0)


def nearest(word: str, vocabulary: Iterable[str], *, limit: int = 3) -> list[str]:
    """The words of *vocabulary* nearest *word*, most similar first (ties in alphabetical
    order), at least :data:`THRESHOLD` similar, *word* itself left out."""
    scored = [(similarity(word, other), other) for other in vocabulary if other != word]
    near = [(score, other) for score, other in scored if score >= THRESHOLD]
    near.sort(key=lambda pair: (-pair[0], pair[1]))
    return [other for _, other in near[:limit]]
