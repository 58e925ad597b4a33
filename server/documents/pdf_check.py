"""Check that an upload is a PDF that MuPDF opens, and read its page count."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from server.errors import NotAPdf, PdfBroken, PdfEncrypted


def inspect_pdf(path: Path) -> int:
    """Return the page count, or raise a clear error for a non-PDF, encrypted or broken file."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf()
    try:
        document = pymupdf.open(path, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for damaged files
        raise PdfBroken() from exc
    try:
        if document.needs_pass or document.is_encrypted:
            raise PdfEncrypted()
        pages = document.page_count
        if pages < 1:
            raise PdfBroken()
        try:
            document.load_page(0)
        except Exception as exc:
            raise PdfBroken() from exc
        return pages
    finally:
        document.close()
