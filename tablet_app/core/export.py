"""A copy of a document with the delegate's marks as real PDF annotations.

Ink, highlight and text annotations (not drawings burnt into the page) so that any PDF
reader shows them, lists them and lets the reader hide or delete them; the page content
itself is untouched. The copy is returned as bytes: where it goes (share sheet, USB,
e-mail) is the caller's decision, since the document may be restricted.
"""

from __future__ import annotations

from collections.abc import Iterable

import pymupdf

from tablet_app.core.annotations import Highlight, Mark, Note, Stroke

AUTHOR = "HĐND điện tử"


def export_annotated(pdf: bytes | bytearray, marks: Iterable[Mark], *,
                     author: str = AUTHOR) -> bytes:
    """The PDF with every mark added as an annotation of the matching kind."""
    document = pymupdf.open(stream=bytes(pdf), filetype="pdf")
    try:
        for mark in marks:
            if not 0 <= mark.page < document.page_count:
                continue
            page = document[mark.page]
            annot = _add(page, mark)
            if annot is None:
                continue
            annot.set_info(title=author)
            annot.update()
        data: bytes = document.tobytes(garbage=1, deflate=True)
        return data
    finally:
        document.close()


def _add(page: pymupdf.Page, mark: Mark) -> pymupdf.Annot | None:
    # marks are in unrotated-view coordinates; PyMuPDF annotation calls take the same
    if isinstance(mark, Stroke):
        if not mark.points:
            return None
        annot = page.add_ink_annot([list(mark.points)])
        annot.set_border(width=mark.width)
        annot.set_colors(stroke=mark.color)
        return annot
    if isinstance(mark, Highlight):
        quads = [pymupdf.Rect(r).quad for r in mark.rects]
        annot = page.add_highlight_annot(quads)
        annot.set_colors(stroke=mark.color)
        annot.set_info(content=mark.anchor.text)
        return annot
    if isinstance(mark, Note):
        annot = page.add_text_annot(mark.point, mark.text, icon="Note")
        return annot
    return None
