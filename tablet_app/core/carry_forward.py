"""Moving a delegate's marks onto a new version of a document.

When the secretariat publishes version 2 of a draft resolution, the delegate's
highlights and notes on version 1 should land on the same words in version 2, even if
paragraphs moved to another page. Each mark remembers the words it sits on (its
``Anchor``); here those words are looked up in the new version's text (MuPDF's word
extraction), and when they appear more than once the occurrence whose surrounding words
match best, on the nearest page, wins.

Marks whose words are gone are returned in ``unplaced``, never dropped: the app lists
them ("3 ghi chú không tìm được chỗ trong bản mới") and keeps the old layer.
"""

from __future__ import annotations

import dataclasses
import difflib
import unicodedata
from dataclasses import dataclass

from tablet_app.core.annotations import (
    Anchor,
    Highlight,
    Mark,
    Note,
    Stroke,
    highlight_words,
)
from tablet_app.core.reader import PdfReader, Word


@dataclass(frozen=True)
class CarryResult:
    placed: tuple[Mark, ...]
    unplaced: tuple[Mark, ...]  # with their old page and position, for the list


def _fold(text: str) -> str:
    """Compare words ignoring case, Unicode form and punctuation stuck to them."""
    text = unicodedata.normalize("NFC", text).casefold()
    return text.strip(".,;:!?\"'()[]«»“”…-–—")


@dataclass(frozen=True)
class _Place:
    page: int
    start: int
    end: int
    score: float


class _Index:
    """The new version's words, folded, page by page (read once per carry)."""

    def __init__(self, reader: PdfReader) -> None:
        self.words: list[list[Word]] = [reader.words(p) for p in range(reader.page_count)]
        self.folded: list[list[str]] = [[_fold(w.text) for w in ws] for ws in self.words]

    def find(self, anchor: Anchor, old_page: int) -> _Place | None:
        needle = [_fold(t) for t in anchor.text.split()]
        if not needle:
            return None
        before = [_fold(t) for t in anchor.before.split()]
        after = [_fold(t) for t in anchor.after.split()]
        best: _Place | None = None
        for page, folded in enumerate(self.folded):
            n = len(needle)
            for start in range(len(folded) - n + 1):
                if folded[start] != needle[0] or folded[start:start + n] != needle:
                    continue
                score = (
                    _similarity(before, folded[max(0, start - len(before)):start])
                    + _similarity(after, folded[start + n:start + n + len(after)])
                    - 0.01 * abs(page - old_page)  # same context: the nearer page wins
                )
                if best is None or score > best.score:
                    best = _Place(page, start, start + n, score)
        return best


def _similarity(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b).ratio()


def _moved(anchor: Anchor, words: list[Word], place: _Place) -> tuple[float, float]:
    """How far the anchor's first word moved (new origin minus old origin)."""
    x0, y0 = words[place.start].rect[:2]
    return x0 - anchor.origin[0], y0 - anchor.origin[1]


def _new_anchor(anchor: Anchor, words: list[Word], place: _Place) -> Anchor:
    first = words[place.start].rect
    return dataclasses.replace(anchor, origin=(first[0], first[1]))


def carry_forward(marks: list[Mark], new_version: PdfReader) -> CarryResult:
    """Place ``marks`` (made on the old version) onto ``new_version``."""
    index = _Index(new_version)
    placed: list[Mark] = []
    unplaced: list[Mark] = []
    for mark in marks:
        moved = _carry_one(mark, index)
        (placed if moved is not None else unplaced).append(moved or mark)
    return CarryResult(tuple(placed), tuple(unplaced))


def _carry_one(mark: Mark, index: _Index) -> Mark | None:
    anchor = mark.anchor
    if anchor is None:
        return None
    place = index.find(anchor, mark.page)
    if place is None:
        return None
    words = index.words[place.page]
    if isinstance(mark, Highlight):
        fresh = highlight_words(words, place.start, place.end, place.page, mark.color)
        # keep the mark's id and its original context (the new context may be changed text)
        return dataclasses.replace(fresh, id=mark.id,
                                   anchor=_new_anchor(anchor, words, place))
    dx, dy = _moved(anchor, words, place)
    if isinstance(mark, Note):
        return dataclasses.replace(mark, page=place.page,
                                   point=(mark.point[0] + dx, mark.point[1] + dy),
                                   anchor=_new_anchor(anchor, words, place))
    if isinstance(mark, Stroke):
        points = tuple((x + dx, y + dy) for x, y in mark.points)
        return dataclasses.replace(mark, page=place.page, points=points,
                                   anchor=_new_anchor(anchor, words, place))
    return None
