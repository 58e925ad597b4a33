"""Real PDFs with Vietnamese text for the tablet tests, drawn by PyMuPDF with Noto Sans."""

from __future__ import annotations

from collections.abc import Sequence

import pymupdf

A4 = (595, 842)


def vietnamese_pdf(pages: Sequence[Sequence[str]], *, toc: bool = True) -> bytes:
    """One PDF page per entry of ``pages``, each a list of lines set 28 pt apart."""
    font = pymupdf.Font("notos")
    document = pymupdf.open()
    outline = []
    for number, lines in enumerate(pages):
        page = document.new_page(width=A4[0], height=A4[1])
        page.insert_font(fontname="notos", fontbuffer=font.buffer)
        for row, line in enumerate(lines):
            page.insert_text((60, 80 + 28 * row), line, fontname="notos", fontsize=12)
        if lines:
            outline.append([1, lines[0][:60], number + 1])
    if toc:
        document.set_toc(outline)
    data = document.tobytes(garbage=3, deflate=True)
    document.close()
    return data


def numbered_pages(count: int) -> list[list[str]]:
    """``count`` pages, each saying which page it is, in Vietnamese."""
    return [[f"Trang số {n + 1}: Báo cáo tình hình kinh tế - xã hội xã Y Tý",
             "Đại biểu Hội đồng nhân dân thảo luận và biểu quyết."] for n in range(count)]
