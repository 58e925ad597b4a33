"""A delegate's own marks on one document version: pen strokes, highlights, notes.

The marks are a separate layer, in PDF points (origin top-left, as PyMuPDF), never
written into the pack's PDF: the original stays byte-for-byte what the secretariat
signed. Every change is an operation (``add`` or ``remove``) handed to ``sink``, which
the store appends to its journal, so undo and redo are operations too and a crash
replays to exactly what was on screen.

Highlights and notes remember the text they sit on (``Anchor``) so that
``carry_forward`` can find the same words in a new version of the document.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from tablet_app.core.reader import PdfReader, Rect, Word

Point = tuple[float, float]
Color = tuple[float, float, float]  # 0..1 RGB
Operation = dict[str, Any]

PEN_COLORS: dict[str, Color] = {
    "black": (0.1, 0.1, 0.1),
    "blue": (0.05, 0.3, 0.8),
    "red": (0.85, 0.1, 0.1),
    "green": (0.1, 0.55, 0.2),
}
HIGHLIGHT_YELLOW: Color = (1.0, 0.86, 0.0)
CONTEXT_WORDS = 6


def _new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Anchor:
    """The words a mark sits on, with a few words either side to tell repeats apart."""

    text: str
    before: str = ""
    after: str = ""
    origin: Point = (0.0, 0.0)  # top-left of the first anchored word


@dataclass(frozen=True)
class Stroke:
    page: int
    points: tuple[Point, ...]
    color: Color = PEN_COLORS["blue"]
    width: float = 2.0  # points
    anchor: Anchor | None = None
    id: str = field(default_factory=_new_id)
    kind: Literal["stroke"] = "stroke"


@dataclass(frozen=True)
class Highlight:
    page: int
    rects: tuple[Rect, ...]  # one per line of text covered
    anchor: Anchor
    color: Color = HIGHLIGHT_YELLOW
    id: str = field(default_factory=_new_id)
    kind: Literal["highlight"] = "highlight"


@dataclass(frozen=True)
class Note:
    page: int
    point: Point
    text: str
    anchor: Anchor | None = None
    id: str = field(default_factory=_new_id)
    kind: Literal["note"] = "note"


Mark = Stroke | Highlight | Note


def mark_to_dict(mark: Mark) -> dict[str, Any]:
    return asdict(mark)


def _anchor(data: dict[str, Any] | None) -> Anchor | None:
    if data is None:
        return None
    x, y = data.get("origin", (0.0, 0.0))
    return Anchor(data["text"], data.get("before", ""), data.get("after", ""), (x, y))


def mark_from_dict(data: dict[str, Any]) -> Mark:
    kind = data["kind"]
    if kind == "stroke":
        return Stroke(page=data["page"], points=tuple(tuple(p) for p in data["points"]),
                      color=tuple(data["color"]), width=data["width"],
                      anchor=_anchor(data.get("anchor")), id=data["id"])
    if kind == "highlight":
        anchor = _anchor(data["anchor"])
        if anchor is None:
            raise ValueError("a highlight without its words")
        return Highlight(page=data["page"], rects=tuple(tuple(r) for r in data["rects"]),
                         anchor=anchor, color=tuple(data["color"]),
                         id=data["id"])
    if kind == "note":
        return Note(page=data["page"], point=tuple(data["point"]), text=data["text"],
                    anchor=_anchor(data.get("anchor")), id=data["id"])
    raise ValueError(f"unknown mark kind {kind!r}")


# --- anchoring marks to the words of a page --------------------------------------------


def _context(words: list[Word], start: int, end: int) -> tuple[str, str]:
    before = " ".join(w.text for w in words[max(0, start - CONTEXT_WORDS):start])
    after = " ".join(w.text for w in words[end:end + CONTEXT_WORDS])
    return before, after


def _line_rects(words: list[Word]) -> tuple[Rect, ...]:
    """One rectangle per text line covered by ``words`` (what a highlight paints)."""
    lines: dict[tuple[int, int], list[float]] = {}
    for w in words:
        x0, y0, x1, y1 = w.rect
        box = lines.setdefault(w.line, [x0, y0, x1, y1])
        box[0], box[1] = min(box[0], x0), min(box[1], y0)
        box[2], box[3] = max(box[2], x1), max(box[3], y1)
    return tuple(tuple(box) for box in lines.values())  # type: ignore[misc]


def highlight_words(words: list[Word], start: int, end: int,
                    page: int, color: Color = HIGHLIGHT_YELLOW) -> Highlight:
    chosen = words[start:end]
    before, after = _context(words, start, end)
    anchor = Anchor(" ".join(w.text for w in chosen), before, after,
                    (chosen[0].rect[0], chosen[0].rect[1]))
    return Highlight(page=page, rects=_line_rects(chosen), anchor=anchor, color=color)


def make_highlight(reader: PdfReader, page: int, start: Point, end: Point,
                   color: Color = HIGHLIGHT_YELLOW) -> Highlight | None:
    """The highlighter dragged from ``start`` to ``end``: the words between, in reading
    order (like selecting text), or None when the drag covers no word."""
    words = reader.words(page)
    if not words:
        return None
    first = _nearest_word(words, start)
    last = _nearest_word(words, end)
    if first > last:
        first, last = last, first
    return highlight_words(words, first, last + 1, page, color)


def _distance_to_rect(point: Point, rect: Rect) -> float:
    x, y = point
    dx = max(rect[0] - x, 0.0, x - rect[2])
    dy = max(rect[1] - y, 0.0, y - rect[3])
    return math.hypot(dx, dy)


def _nearest_word(words: list[Word], point: Point) -> int:
    return min(range(len(words)), key=lambda i: _distance_to_rect(point, words[i].rect))


def line_anchor(reader: PdfReader, page: int, point: Point) -> Anchor | None:
    """The text line nearest ``point``: what a note or stroke is carried forward by."""
    words = reader.words(page)
    if not words:
        return None
    line = words[_nearest_word(words, point)].line
    indices = [i for i, w in enumerate(words) if w.line == line]
    start, end = indices[0], indices[-1] + 1
    before, after = _context(words, start, end)
    first = words[start].rect
    return Anchor(" ".join(w.text for w in words[start:end]), before, after,
                  (first[0], first[1]))


# --- the layer: marks plus undo and redo ------------------------------------------------


def _segment_distance(p: Point, a: Point, b: Point) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((p[0] - ax) * dx + (p[1] - ay) * dy)
                                              / length2))
    return math.hypot(p[0] - (ax + t * dx), p[1] - (ay + t * dy))


def stroke_touches(stroke: Stroke, point: Point, radius: float) -> bool:
    reach = radius + stroke.width / 2
    pts = stroke.points
    if len(pts) == 1:
        return math.hypot(pts[0][0] - point[0], pts[0][1] - point[1]) <= reach
    return any(_segment_distance(point, a, b) <= reach for a, b in zip(pts, pts[1:], strict=False))


class AnnotationLayer:
    """The marks of one document version, with undo and redo of whole operations."""

    def __init__(self, marks: Iterable[Mark] = (),
                 sink: Callable[[Operation], None] | None = None) -> None:
        self._marks: dict[str, Mark] = {m.id: m for m in marks}
        self._undo: list[Operation] = []
        self._redo: list[Operation] = []
        self.sink = sink

    # reading
    def marks(self, page: int | None = None) -> list[Mark]:
        return [m for m in self._marks.values() if page is None or m.page == page]

    def __len__(self) -> int:
        return len(self._marks)

    def get(self, mark_id: str) -> Mark | None:
        return self._marks.get(mark_id)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    # changing
    def add(self, *marks: Mark) -> None:
        self._do({"op": "add", "marks": [mark_to_dict(m) for m in marks]})

    def replace(self, mark: Mark) -> None:
        """Change a mark in place (a note's new text): one undo step back to the old one."""
        old = self._marks.get(mark.id)
        if old is None:
            raise KeyError(mark.id)
        self._do({"op": "add", "marks": [mark_to_dict(mark)], "replaced": [mark_to_dict(old)]})

    def remove(self, *mark_ids: str) -> None:
        present = [i for i in mark_ids if i in self._marks]
        if present:
            self._do({"op": "remove", "ids": present})

    def erase_at(self, page: int, point: Point, radius: float = 6.0) -> list[str]:
        """The eraser: removes every stroke on ``page`` it touches (one undo step)."""
        hit = [m.id for m in self.marks(page)
               if isinstance(m, Stroke) and stroke_touches(m, point, radius)]
        self.remove(*hit)
        return hit

    def undo(self) -> bool:
        if not self._undo:
            return False
        op = self._undo.pop()
        self._run(self._inverse(op))
        self._redo.append(op)
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        op = self._redo.pop()
        self._run(op)
        self._undo.append(op)
        return True

    def _do(self, op: Operation) -> None:
        self._run(op)
        self._undo.append(op)
        self._redo.clear()

    def _inverse(self, op: Operation) -> Operation:
        if op["op"] == "add" and op.get("replaced"):
            return {"op": "add", "marks": op["replaced"]}
        if op["op"] == "add":
            return {"op": "remove", "ids": [m["id"] for m in op["marks"]]}
        return {"op": "add", "marks": op["removed"]}

    def _run(self, op: Operation) -> None:
        if op["op"] == "remove":
            # remember what was removed so that undo can put it back
            op["removed"] = [mark_to_dict(self._marks[i]) for i in op["ids"] if i in self._marks]
        replay_operation(self._marks, op)
        if self.sink is not None:
            self.sink({k: v for k, v in op.items() if k not in ("removed", "replaced")})


def notes_in_order(marks: Iterable[Mark]) -> list[Note]:
    """A document's notes as a delegate reads them: page by page, top to bottom."""
    notes = [m for m in marks if isinstance(m, Note)]
    return sorted(notes, key=lambda n: (n.page, n.point[1], n.point[0]))


def note_near(marks: Iterable[Mark], point: Point, reach: float) -> Note | None:
    """The note whose marker is under ``point`` (``reach`` in points: half the touch
    target), the nearest when markers overlap."""
    near = [(max(abs(n.point[0] - point[0]), abs(n.point[1] - point[1])), n)
            for n in marks if isinstance(n, Note)]
    near = [(d, n) for d, n in near if d <= reach]
    return min(near, key=lambda pair: pair[0])[1] if near else None


def replay_operation(marks: dict[str, Mark], op: Operation) -> None:
    """Apply one journal operation to ``marks`` (used for replay and live edits)."""
    if op["op"] == "add":
        for data in op["marks"]:
            mark = mark_from_dict(data)
            marks[mark.id] = mark
    elif op["op"] == "remove":
        for mark_id in op["ids"]:
            marks.pop(mark_id, None)
    elif op["op"] == "snapshot":
        marks.clear()
        for data in op["marks"]:
            mark = mark_from_dict(data)
            marks[mark.id] = mark
    else:
        raise ValueError(f"unknown operation {op['op']!r}")
