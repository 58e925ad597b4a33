"""Highlights and notes follow their words into a new version; the lost ones are listed."""

from __future__ import annotations

import pytest

from tablet_app.core.annotations import Highlight, Note, Stroke, line_anchor, make_highlight
from tablet_app.core.carry_forward import carry_forward
from tablet_app.core.reader import PdfReader
from tests.tablet_app.core._pdfs import vietnamese_pdf

V1 = [
    ["Điều 1. Thông qua dự toán thu ngân sách nhà nước năm 2026.",
     "Điều 2. Giao Ủy ban nhân dân xã tổ chức thực hiện Nghị quyết.",
     "Điều 3. Thường trực HĐND giám sát việc thực hiện.",
     "Điều 4. Bãi bỏ khoản 3 Nghị quyết số 12/NQ-HĐND."],
]
# version 2: a new article pushes everything down, the old article 4 is deleted, and the
# text of article 2 moves to page 2 behind a new paragraph
V2 = [
    ["Điều 1. Thông qua dự toán thu ngân sách nhà nước năm 2026.",
     "Điều 1a. Bổ sung kinh phí sửa chữa đường liên thôn Y Tý - A Lù.",
     "Điều 3. Thường trực HĐND giám sát việc thực hiện."],
    ["Phần bổ sung theo ý kiến thẩm tra của Ban Kinh tế - Xã hội.",
     "Điều 2. Giao Ủy ban nhân dân xã tổ chức thực hiện Nghị quyết."],
]


def _drag(reader: PdfReader, page: int, first: str, last: str) -> Highlight:
    words = reader.words(page)
    a = next(w for w in words if w.text == first).rect
    b = next(w for w in words if w.text == last).rect
    mark = make_highlight(reader, page, (a[0] + 1, a[1] + 2), (b[2] - 1, b[3] - 2))
    assert mark is not None
    return mark


def test_marks_follow_their_text_and_the_rest_are_listed() -> None:
    with PdfReader(vietnamese_pdf(V1)) as old, PdfReader(vietnamese_pdf(V2)) as new:
        on_art2 = _drag(old, 0, "Giao", "dân")
        on_art3 = _drag(old, 0, "Thường", "HĐND")
        on_art4 = _drag(old, 0, "Bãi", "bỏ")
        art2_line = line_anchor(old, 0, (200, 110))
        note = Note(page=0, point=(400, 110), text="Thời hạn?", anchor=art2_line)
        pen = Stroke(page=0, points=((60, 140), (300, 140)), anchor=line_anchor(old, 0, (60, 140)))
        loose = Stroke(page=0, points=((10, 10), (20, 20)))  # drawn in the margin, no anchor

        result = carry_forward([on_art2, on_art3, on_art4, note, pen, loose], new)

        placed = {m.id: m for m in result.placed}
        assert {m.id for m in result.unplaced} == {on_art4.id, loose.id}  # listed, not dropped
        moved2 = placed[on_art2.id]
        assert isinstance(moved2, Highlight) and moved2.page == 1
        assert moved2.anchor.text == "Giao Ủy ban nhân dân"
        assert moved2.rects[0][1] == pytest.approx(on_art2.rects[0][1], abs=1)  # second line again
        moved3 = placed[on_art3.id]
        assert moved3.page == 0 and moved3.rects[0][1] == pytest.approx(on_art3.rects[0][1], abs=1)
        moved_note = placed[note.id]
        assert moved_note.page == 1
        assert moved_note.point[0] == pytest.approx(400, abs=0.5)
        assert moved_note.point[1] == pytest.approx(110, abs=0.5)  # same line height on page 2
        moved_pen = placed[pen.id]
        assert moved_pen.page == 0 and moved_pen.points[0][1] == pytest.approx(140, abs=0.5)


def test_repeated_text_goes_where_the_context_matches() -> None:
    v1 = [["Mục A: kinh phí năm 2026 là 5 tỷ đồng cho trường học.",
           "Mục B: kinh phí năm 2026 là 7 tỷ đồng cho đường giao thông."]]
    v2 = [["Mục B: kinh phí năm 2026 là 7 tỷ đồng cho đường giao thông.",
           "Mục A: kinh phí năm 2026 là 5 tỷ đồng cho trường học."]]
    with PdfReader(vietnamese_pdf(v1)) as old, PdfReader(vietnamese_pdf(v2)) as new:
        words = old.words(0)
        second = [i for i, w in enumerate(words) if w.text == "kinh"][1]
        from tablet_app.core.annotations import highlight_words

        mark = highlight_words(words, second, second + 3, 0)  # "kinh phí năm" of Mục B
        moved = carry_forward([mark], new).placed[0]
        assert moved.rects[0][1] < mark.rects[0][1]  # Mục B is now the first line
