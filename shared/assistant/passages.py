"""Cut a text (a document's page, a petition and its answer) into passages worth citing.

A passage is a few sentences (about 40–120 syllables) from one place: one page of one
document, or one item. It remembers the last heading seen ("Điều 2.", "II. KẾT QUẢ ...")
so a citation can say "trang 3, Điều 2" and the reader finds it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

TARGET_WORDS = 80
"""A passage closes after this many words at the end of a sentence or line."""
MAX_WORDS = 140
"""…and in any case after this many, so a page without full stops still splits."""

MIN_WORDS = 25
"""A heading starts a new passage only once the current one has this many words."""

_HEADING = re.compile(
    r"^\s*(?:(?:Điều|Chương|Mục|Phần|Phụ lục)\s+[\dIVXLC]+|[IVXLC]+\.\s|\d+(?:\.\d+)*\.\s"
    r"|[A-ZĐ]\.\s)",
)
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+")


@dataclass(frozen=True, slots=True)
class Passage:
    """One citable piece of the archive.

    ``source_type`` is ``document``, ``item``, ``resolution`` or ``supervision`` (the
    search index's kinds); ``page`` is 1-based for documents and 0 otherwise. ``public``
    and ``restricted`` are facts for the caller's permission rule, not a decision.
    """

    source_type: str
    source_id: int
    title: str
    text: str
    page: int = 0
    section: str = ""
    public: bool = False
    session_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def source_key(self) -> tuple[str, int]:
        return (self.source_type, self.source_id)


def is_heading(line: str) -> bool:
    """A numbered heading ("Điều 2.", "II.", "1.2.") or a short line in capitals."""
    stripped = line.strip()
    if not stripped or len(stripped) > 100:
        return False
    if _HEADING.match(stripped):
        return True
    letters = [c for c in stripped if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters) and len(stripped) <= 120


def _pieces(text: str) -> list[tuple[str, bool]]:
    """Lines and sentences of *text*, each with whether it is a heading."""
    out: list[tuple[str, bool]] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if not line:
            continue
        if is_heading(line):
            out.append((line, True))
            continue
        out.extend((s, False) for s in _SENTENCE_END.split(line) if s)
    return out


def split_text(text: str, section: str = "") -> list[tuple[str, str]]:
    """(section, passage text) pairs covering *text* in order.

    A heading starts a new passage and names the section of what follows it; the
    heading's own words stay in the passage (they often carry the topic).
    """
    out: list[tuple[str, str]] = []
    current: list[str] = []
    words = 0
    current_section = section

    def close() -> None:
        nonlocal current, words
        if current:
            out.append((current_section, " ".join(current)))
        current, words = [], 0

    for piece, heading in _pieces(text):
        if heading:
            if words >= MIN_WORDS:  # a letterhead's short capitals stay with what follows
                close()
            current_section = piece[:80]
        current.append(piece)
        words += len(piece.split())
        if words >= MAX_WORDS or (words >= TARGET_WORDS and not heading):
            close()
    close()
    return out


def passages_of(source_type: str, source_id: int, title: str, text: str, *, page: int = 0,
                public: bool = False, session_id: int | None = None,
                extra: dict[str, Any] | None = None) -> list[Passage]:
    """The passages of one text; an empty text still yields its title as one passage."""
    pieces = split_text(text) or [("", title)]
    return [Passage(source_type, source_id, title, body, page=page, section=section,
                    public=public, session_id=session_id, extra=dict(extra or {}))
            for section, body in pieces]
