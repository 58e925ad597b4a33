"""Marks, undo/redo and the eraser; the encrypted journal survives crashes and tampering."""

from __future__ import annotations

import os

import pytest

from tablet_app.core.annotation_store import AnnotationsCorrupt, AnnotationStore, BadKey
from tablet_app.core.annotations import (
    AnnotationLayer,
    Highlight,
    Note,
    Stroke,
    line_anchor,
    make_highlight,
    note_near,
    notes_in_order,
)
from tablet_app.core.reader import PdfReader
from tests.tablet_app.core._pdfs import vietnamese_pdf

KEY = bytes(range(32))
LINES = ["Điều 1. Thông qua dự toán thu ngân sách nhà nước năm 2026.",
         "Điều 2. Giao Ủy ban nhân dân xã tổ chức thực hiện Nghị quyết."]


def stroke(x: float = 100, page: int = 0) -> Stroke:
    return Stroke(page=page, points=((x, 200), (x + 50, 210), (x + 100, 200)), width=2.0)


def test_undo_redo_and_eraser_are_whole_steps() -> None:
    layer = AnnotationLayer()
    a, b = stroke(100), stroke(300)
    layer.add(a)
    layer.add(b)
    assert layer.erase_at(0, (150, 205), radius=4) == [a.id]  # only the stroke it touches
    assert [m.id for m in layer.marks()] == [b.id]
    assert layer.erase_at(0, (150, 400), radius=4) == []
    assert layer.undo() and {m.id for m in layer.marks()} == {a.id, b.id}
    assert layer.undo() and [m.id for m in layer.marks()] == [a.id]
    assert layer.redo() and len(layer) == 2
    layer.add(Note(page=1, point=(50, 50), text="Hỏi lại số liệu"))
    assert not layer.can_redo  # a new mark clears what could be redone
    assert [m.kind for m in layer.marks(page=1)] == ["note"]


def test_highlighter_takes_the_words_dragged_over_and_their_context() -> None:
    with PdfReader(vietnamese_pdf([LINES])) as reader:
        words = reader.words(0)
        start = next(w for w in words if w.text == "dự").rect
        end = next(w for w in words if w.text == "thu").rect
        mark = make_highlight(reader, 0, (start[0] + 1, start[1] + 2), (end[2] - 1, end[3] - 2))
        assert isinstance(mark, Highlight)
        assert mark.anchor.text == "dự toán thu"
        assert mark.anchor.before.endswith("Thông qua")
        assert mark.anchor.after.startswith("ngân sách")
        assert len(mark.rects) == 1 and mark.rects[0][0] == pytest.approx(start[0])
        anchor = line_anchor(reader, 0, (300, 110))
        assert anchor is not None and anchor.text.startswith("Điều 2.")


def test_journal_replays_marks_encrypted_and_compacts_on_close(tmp_path) -> None:
    store = AnnotationStore(tmp_path, KEY)
    note = Note(page=0, point=(80, 90), text="Đề nghị làm rõ nguồn vốn")
    with store.open("doc-501", 2) as journal:
        journal.layer.add(stroke(100))
        journal.layer.add(note)
        journal.layer.undo()
        journal.layer.redo()
        assert journal.records == 4
    raw = store.path("doc-501", 2).read_bytes()
    assert "nguồn vốn".encode() not in raw and b"note" not in raw  # encrypted at rest
    with store.open("doc-501", 2) as journal:
        assert journal.records == 1  # compacted into one snapshot
        texts = [m.text for m in journal.layer.marks() if isinstance(m, Note)]
        assert texts == ["Đề nghị làm rõ nguồn vốn"] and len(journal.layer) == 2
    assert store.versions("doc-501") == [2]


def test_a_crash_loses_at_most_the_stroke_in_progress(tmp_path) -> None:
    store = AnnotationStore(tmp_path, KEY)
    journal = store.open("doc-7", 1)
    journal.layer.add(stroke(100))
    journal.layer.add(stroke(200))
    # the app dies (no close, no compaction) in the middle of writing a third record
    path = store.path("doc-7", 1)
    with open(path, "ab") as handle:
        handle.write(b"\x00\x00\x01\x00" + os.urandom(40))
    reopened = store.open("doc-7", 1)
    assert len(reopened.layer) == 2
    reopened.layer.add(stroke(300))  # new records follow the whole ones
    reopened.close()
    assert len(store.open("doc-7", 1).layer) == 3


def test_wrong_key_moved_file_or_altered_bytes_do_not_open(tmp_path) -> None:
    store = AnnotationStore(tmp_path, KEY)
    with store.open("doc-1", 1) as journal:
        journal.layer.add(stroke())
    with pytest.raises(AnnotationsCorrupt):
        AnnotationStore(tmp_path, bytes(32)).open("doc-1", 1)
    os.replace(store.path("doc-1", 1), store.path("doc-2", 1))  # another document's layer
    with pytest.raises(AnnotationsCorrupt):
        store.open("doc-2", 1)
    data = bytearray(store.path("doc-2", 1).read_bytes())
    data[-3] ^= 1
    store.path("doc-1", 1).write_bytes(bytes(data))
    with pytest.raises(AnnotationsCorrupt):
        store.open("doc-1", 1)
    with pytest.raises(BadKey):
        AnnotationStore(tmp_path, b"short")
    with pytest.raises(ValueError):
        store.path("../escape", 1)


def test_a_note_is_edited_and_deleted_in_undoable_steps_kept_across_a_restart(tmp_path) -> None:
    from dataclasses import replace

    store = AnnotationStore(tmp_path, KEY)
    first = Note(page=2, point=(80, 400), text="Hỏi lại nguồn vốn")
    second = Note(page=0, point=(300, 90), text="Mục tiêu năm 2026")
    third = Note(page=2, point=(60, 120), text="Điều 3 chưa rõ")
    with store.open("doc-601", 1) as journal:
        layer = journal.layer
        layer.add(first, second, third)
        layer.replace(replace(first, text="Hỏi Sở Tài chính về nguồn vốn"))
        assert layer.get(first.id).text == "Hỏi Sở Tài chính về nguồn vốn"
        layer.undo()  # the edit only: the note is back as it was, not gone
        assert layer.get(first.id).text == "Hỏi lại nguồn vốn"
        layer.redo()
        layer.remove(second.id)
        assert [n.text for n in notes_in_order(layer.marks())] == [
            "Điều 3 chưa rõ", "Hỏi Sở Tài chính về nguồn vốn"]  # page, then top to bottom
    with store.open("doc-601", 1) as journal:  # what the journal replays after a restart
        assert [(n.page, n.text) for n in notes_in_order(journal.layer.marks())] == [
            (2, "Điều 3 chưa rõ"), (2, "Hỏi Sở Tài chính về nguồn vốn")]
    with pytest.raises(KeyError):
        AnnotationLayer().replace(first)


def test_a_note_is_found_within_its_touch_target_the_nearest_first() -> None:
    a = Note(page=0, point=(100, 100), text="a")
    b = Note(page=0, point=(130, 100), text="b")
    marks = [a, b, stroke(100)]
    assert note_near(marks, (112, 110), reach=20) is a
    assert note_near(marks, (120, 100), reach=20) is b
    assert note_near(marks, (100, 130), reach=20) is None  # 30 points below: a miss
