"""Odd PDFs built on the spot: the files a hostile or careless uploader sends.

Each builder returns bytes. The PDF syntax is written by hand on purpose: the point is
files that a well-behaved writer (PyMuPDF included) refuses to produce — a page tree
that loops, a page count that lies, a content stream that decompresses to hundreds of
megabytes.
"""

from __future__ import annotations

import functools
import zlib

import pymupdf


def _assemble(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """Number ``objects`` from 1, write a classic xref table and a trailer."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += (b"trailer\n<< /Size %d /Root %d 0 R " % (len(objects) + 1, root) + trailer_extra
            + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def _stream(data: bytes, compress: bool = True) -> bytes:
    if compress:
        packed = zlib.compress(data, 9)
        return (b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
                + b"\nendstream")
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def content_bomb(expanded_mb: int = 24) -> bytes:
    """One page whose small compressed content expands to ``expanded_mb`` MB of text
    operators (the probe's file expanded to 300 MB and froze the server for 91 s)."""
    line = b"BT /F1 1 Tf 10 10 Td (Nghi quyet ngap lut Y Ty) Tj ET\n"
    content = line * (expanded_mb * 1024 * 1024 // len(line))
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        FONT,
    ])


def page_tree_cycle() -> bytes:
    """A page tree whose inner node lists its own parent as a kid."""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 4 0 R] /Count 1 >>",
        _stream(b"BT /F1 12 Tf 72 720 Td (vong lap) Tj ET", compress=False),
    ])


def lying_page_count(claimed: int = 1_000_000) -> bytes:
    """A page tree that claims ``claimed`` pages and holds one."""
    return _assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % claimed,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(b"BT /F1 12 Tf 72 720 Td (mot trang) Tj ET", compress=False),
        FONT,
    ])


def negative_page_count() -> bytes:
    return lying_page_count(-5)


def ordinary(pages: int = 2, text: str = "Tài liệu kỳ họp") -> bytes:
    document = pymupdf.open()
    for number in range(pages):
        document.new_page().insert_text((72, 72), f"{text} {number + 1}")
    return document.tobytes()


def encrypted() -> bytes:
    document = pymupdf.open(stream=ordinary(1))
    return document.tobytes(encryption=pymupdf.PDF_ENCRYPT_AES_256, user_pw="u", owner_pw="o")


def truncated() -> bytes:
    data = ordinary(3)
    return data[: len(data) // 2]


def many_pages(count: int = 3000) -> bytes:
    document = pymupdf.open()
    for _ in range(count):
        document.new_page(width=200, height=200).insert_text((20, 20), "trang")
    return document.tobytes(garbage=1, deflate=True)


@functools.cache
def corpus() -> dict[str, bytes]:
    """Every odd file by name (the bomb kept small enough to build quickly); do not
    change the returned dictionary, it is shared."""
    return {
        "content-bomb": content_bomb(),
        "page-tree-cycle": page_tree_cycle(),
        "lying-page-count": lying_page_count(),
        "negative-page-count": negative_page_count(),
        "encrypted": encrypted(),
        "truncated": truncated(),
        "many-pages": many_pages(),
    }
