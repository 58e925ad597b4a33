"""The child side of PDF inspection: ``python -m server.documents.pdf_worker FILE MAX_CHARS MB``.

It runs in its own process so that a hostile file can cost at most this process: the
parent (``server.documents.inspection``) kills it past its time limit, and the address
space limit set here makes MuPDF fail instead of eating the server's memory. It writes
one JSON object a line to stdout, in this order:

- ``{"check": "ok", "pages": N}`` or ``{"check": "<error code>"}`` (then it stops);
- ``{"page": n, "text": "..."}`` for each page with text (1-based), until the text
  budget of MAX_CHARS characters is spent;
- ``{"done": true, "complete": bool}`` (false: some text was cut or unreadable).
"""

from __future__ import annotations

import json
import resource
import sys


def _emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def _limit_memory(megabytes: int) -> None:
    size = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (size, size))


def check(document) -> str:  # a pymupdf.Document
    """Return "ok" or the error code of a file that is not a usable PDF."""
    if document.needs_pass or document.is_encrypted:
        return "pdf_encrypted"
    if document.page_count < 1:
        return "pdf_broken"
    # Every page must load: a page tree that loops or lies about its count fails here,
    # before anything is stored (a page count nobody can open is a broken file).
    for number in range(document.page_count):
        document.load_page(number)
    return "ok"


def extract(document, max_chars: int) -> bool:  # a pymupdf.Document
    """Emit each page's text until ``max_chars``; True when nothing was cut or lost."""
    remaining, complete = max_chars, True
    for number in range(document.page_count):
        try:
            text = document.load_page(number).get_text("text").strip()
        except Exception:  # a page MuPDF cannot read has no searchable text
            complete = False
            continue
        if len(text) > remaining:
            text, complete = text[:remaining], False
        if text:
            remaining -= len(text)
            _emit({"page": number + 1, "text": text})
        if remaining <= 0:
            return False
    return complete


def main(argv: list[str]) -> int:
    path, max_chars, megabytes = argv[0], int(argv[1]), int(argv[2])
    _limit_memory(megabytes)
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    try:
        document = pymupdf.open(path, filetype="pdf")
    except Exception:  # MuPDF raises several types for damaged files
        _emit({"check": "pdf_broken"})
        return 0
    try:
        try:
            result = check(document)
        except MemoryError:
            _emit({"check": "pdf_too_complex"})
            return 0
        except Exception:
            result = "pdf_broken"
        if result != "ok":
            _emit({"check": result})
            return 0
        _emit({"check": "ok", "pages": document.page_count})
        try:
            complete = extract(document, max_chars)
        except MemoryError:
            complete = False
        _emit({"done": True, "complete": complete})
    finally:
        document.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
