"""The exported copy carries real PDF annotations that another reader lists."""

from __future__ import annotations

import pymupdf

from tablet_app.core.annotations import Note, Stroke, make_highlight
from tablet_app.core.export import export_annotated
from tablet_app.core.reader import PdfReader
from tests.tablet_app.core._pdfs import numbered_pages, vietnamese_pdf


def test_export_has_ink_highlight_and_text_annotations_and_keeps_the_original() -> None:
    original = vietnamese_pdf(numbered_pages(3))
    with PdfReader(original) as reader:
        words = reader.words(1)
        a, b = words[0].rect, words[2].rect
        highlight = make_highlight(reader, 1, (a[0] + 1, a[1] + 2), (b[2] - 1, b[3] - 2))
    marks = [
        Stroke(page=0, points=((100, 300), (200, 320), (300, 300)), color=(0.85, 0.1, 0.1)),
        highlight,
        Note(page=2, point=(500, 100), text="Đề nghị UBND giải trình"),
    ]
    exported = export_annotated(original, marks)

    document = pymupdf.open(stream=exported, filetype="pdf")
    found = {(page.number, annot.type[1]) for page in document for annot in page.annots()}
    assert found == {(0, "Ink"), (1, "Highlight"), (2, "Text")}
    note = next(document[2].annots())
    assert note.info["content"] == "Đề nghị UBND giải trình"
    ink = next(document[0].annots())
    assert [round(c, 2) for c in ink.colors["stroke"]] == [0.85, 0.1, 0.1]
    assert document[1].get_text("text") == pymupdf.open(stream=original)[1].get_text("text")
    assert pymupdf.open(stream=original)[0].first_annot is None  # the pack's PDF untouched
