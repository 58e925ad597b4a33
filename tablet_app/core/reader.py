"""A session document opened for reading: pages rendered to raw RGB pixels by PyMuPDF.

The document arrives as decrypted bytes from the pack store (``Tablet.open_document``)
and is opened from memory: plaintext never touches the disk. Rendering uses a matrix
computed for the target size, so a page is drawn once at the screen's resolution
instead of drawn at 72 dpi and scaled up. Nothing here knows about Kivy; the widget only
uploads the returned pixels into an ``rgb`` texture. The pixels are MuPDF's own buffer
(``Pixmap.samples_mv``), handed over without a conversion or a copy: a 1280×800 page is
3 MB, and copying it twice (RGB→RGBA, then into ``bytes``) used to cost as much as a
third of the drawing itself.

PyMuPDF documents are not safe to use from two threads at once, so every call that
touches the document holds ``self._lock`` (the render thread and the UI thread share one
``PdfReader``).

MuPDF cannot be interrupted once it draws a page, and one page of 1 MB can hold hundreds
of megabytes of drawing operators (minutes of work). So before a page is drawn, searched
or read for words, its content is measured: a page whose content (its content streams
and the form objects it draws) decompresses to more than ``MAX_PAGE_CONTENT_BYTES`` is
not drawn, and neither is a page MuPDF cannot load; the reader says "Trang này không
hiển thị được" for that page and every other page stays usable.
"""

from __future__ import annotations

import threading
import zlib
from dataclasses import dataclass, field

import pymupdf

MAX_PAGE_CONTENT_BYTES = 8 * 1024 * 1024
"""Decompressed drawing content a page may have. Ordinary pages hold kilobytes, a dense
map a few megabytes; past this MuPDF would draw for many seconds on a tablet."""

A4_POINTS = (595.0, 842.0)

# Rectangles are in PDF points, origin at the top-left of the page (PyMuPDF's convention).
Rect = tuple[float, float, float, float]


class ReaderError(Exception):
    code = "reader_error"
    message_vi = "Không mở được tài liệu."
    message_en = "The document cannot be opened."


class NotAPdf(ReaderError):
    code = "not_a_pdf"
    message_vi = "Tệp không phải là PDF hợp lệ hoặc đã bị hỏng."
    message_en = "The file is not a valid PDF or is damaged."


class PageOutOfRange(ReaderError):
    code = "page_out_of_range"
    message_vi = "Không có trang này trong tài liệu."
    message_en = "The document has no such page."

    def __init__(self, page: int, page_count: int) -> None:
        super().__init__(f"page {page} of {page_count}")
        self.page, self.page_count = page, page_count


class PageUnrenderable(ReaderError):
    code = "page_unrenderable"
    message_vi = "Trang này không hiển thị được."
    message_en = "This page cannot be displayed."

    def __init__(self, page: int) -> None:
        super().__init__(f"page {page} cannot be displayed")
        self.page = page


@dataclass(frozen=True)
class RenderedPage:
    """Pixels in ``colorfmt`` (``rgb``: 3 bytes a pixel), rows top to bottom, ``stride``
    bytes per row. ``pixels`` is a read-only view of MuPDF's buffer, valid while this
    object lives (it keeps the pixmap); ``bytes(page.pixels)`` when a copy must outlive it.
    """

    page: int  # 0-based
    width: int
    height: int
    pixels: memoryview
    zoom: float
    clip: Rect | None = None
    colorfmt: str = "rgb"
    stride: int = 0
    _pixmap: object = field(default=None, repr=False, compare=False)
    error: ReaderError | None = None  # set (and no pixels) for a page that cannot be shown

    @classmethod
    def failed(cls, page: int, zoom: float, error: ReaderError) -> RenderedPage:
        return cls(page, 0, 0, memoryview(b""), zoom, error=error)


@dataclass(frozen=True)
class SearchHit:
    page: int
    rects: tuple[Rect, ...]  # one per line the hit spans


@dataclass(frozen=True)
class TocEntry:
    level: int  # 1 for top level
    title: str
    page: int  # 0-based; -1 when the outline points nowhere


@dataclass(frozen=True)
class Word:
    """One word on a page as MuPDF reads it; ``line`` is unique per page."""

    rect: Rect
    text: str
    line: tuple[int, int]  # (block, line)


class PdfReader:
    """One open document. ``close()`` when done; the bytes are not kept by the caller."""

    def __init__(self, data: bytes | bytearray | memoryview) -> None:
        try:
            self._doc = pymupdf.open(stream=bytes(data), filetype="pdf")
        except (pymupdf.FileDataError, RuntimeError, ValueError) as exc:
            raise NotAPdf(str(exc)) from exc
        try:
            if self._doc.page_count == 0:
                raise NotAPdf("no pages")
        except RuntimeError as exc:  # a page count MuPDF cannot believe
            raise NotAPdf(str(exc)) from exc
        self._lock = threading.RLock()
        self._unrenderable: set[int] = set()
        self._measured: set[int] = set()

    def close(self) -> None:
        with self._lock:
            self._doc.close()

    def __enter__(self) -> PdfReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def page_count(self) -> int:
        count: int = self._doc.page_count
        return count

    def _page(self, page: int) -> pymupdf.Page:
        """The loaded page, or ``PageUnrenderable`` for one too heavy or broken to draw."""
        if not 0 <= page < self._doc.page_count:
            raise PageOutOfRange(page, self._doc.page_count)
        if page in self._unrenderable:
            raise PageUnrenderable(page)
        try:
            loaded = self._doc[page]
            too_heavy = page not in self._measured and _content_size(
                self._doc, loaded, MAX_PAGE_CONTENT_BYTES) > MAX_PAGE_CONTENT_BYTES
        except Exception as exc:  # a page tree that loops, a broken page object
            self._unrenderable.add(page)
            raise PageUnrenderable(page) from exc
        if too_heavy:
            self._unrenderable.add(page)
            raise PageUnrenderable(page)
        self._measured.add(page)
        return loaded

    def is_displayable(self, page: int) -> bool:
        with self._lock:
            try:
                self._page(page)
            except PageUnrenderable:
                return False
            return True

    def page_size(self, page: int) -> tuple[float, float]:
        """Width and height in PDF points (rotation applied, as the reader sees it);
        A4 for a page that cannot be displayed (its place is kept in the layout)."""
        with self._lock:
            try:
                rect = self._page(page).rect
            except PageUnrenderable:
                return A4_POINTS
            return rect.width, rect.height

    def fit_scale(self, page: int, width_px: int, height_px: int) -> float:
        """Pixels per point that fit the whole page inside width_px × height_px."""
        w, h = self.page_size(page)
        return min(width_px / w, height_px / h)

    def render(
        self,
        page: int,
        width_px: int,
        height_px: int,
        zoom: float = 1.0,
        clip: Rect | None = None,
        invert: bool = False,
    ) -> RenderedPage:
        """Draw the page fitted into width_px × height_px, times ``zoom``.

        With ``clip`` (points) only that part of the page is drawn, at the same scale:
        a zoomed-in view re-renders just what is on screen, sharply. ``invert`` draws it
        light on dark (dark mode's inverted page), in MuPDF, on the same buffer.
        """
        with self._lock:
            target = self._page(page)  # loaded once: loading parses the page's content
            size = target.rect
            scale = min(width_px / size.width, height_px / size.height) * zoom
            try:
                pix = target.get_pixmap(
                    matrix=pymupdf.Matrix(scale, scale),
                    alpha=False,  # RGB, uploaded as is into an rgb texture
                    clip=pymupdf.Rect(clip) if clip else None,
                    annots=False,
                )
            except (RuntimeError, ValueError, MemoryError) as exc:
                self._unrenderable.add(page)
                raise PageUnrenderable(page) from exc
        if invert:
            pix.invert_irect(pix.irect)
        return RenderedPage(page, pix.width, pix.height, pix.samples_mv, zoom, clip,
                            "rgb", pix.stride, pix)

    def page_text(self, page: int) -> str:
        """The page's text; empty for a page that cannot be displayed."""
        with self._lock:
            try:
                text: str = self._page(page).get_text("text")
                return text
            except PageUnrenderable:
                return ""

    def search(self, needle: str, max_hits_per_page: int = 50) -> list[SearchHit]:
        """Every page where ``needle`` appears (MuPDF ignores case for ASCII letters only)."""
        needle = needle.strip()
        if not needle:
            return []
        hits = []
        with self._lock:
            for number in range(self._doc.page_count):
                try:
                    found = self._page(number).search_for(needle)[:max_hits_per_page]
                except PageUnrenderable:
                    continue
                if found:
                    rects = tuple(tuple(r) for r in found)
                    hits.append(SearchHit(number, rects))
        return hits

    def toc(self) -> list[TocEntry]:
        """The PDF outline (bookmarks), or an empty list when the file has none."""
        with self._lock:
            outline = self._doc.get_toc(simple=True)
        return [TocEntry(level, title, page - 1) for level, title, page in outline]
    def words(self, page: int) -> list[Word]:
        """The words of a page in reading order (annotations anchor to them)."""
        with self._lock:
            try:
                raw = self._page(page).get_text("words", sort=True)
            except PageUnrenderable:
                return []
        return [Word((x0, y0, x1, y1), text, (block, line))
                for x0, y0, x1, y1, text, block, line, _ in raw]


def _content_size(doc: pymupdf.Document, page: pymupdf.Page, budget: int) -> int:
    """Decompressed bytes of the page's content streams and form objects, counted up to
    just past ``budget`` (a 300 MB stream is never inflated whole to be measured)."""
    xrefs = list(page.get_contents()) + [x[0] for x in page.get_xobjects()]
    total = 0
    for xref in xrefs:
        total += _stream_size(doc, xref, budget - total + 1)
        if total > budget:
            break
    return total


def _stream_size(doc: pymupdf.Document, xref: int, budget: int) -> int:
    kind, value = doc.xref_get_key(xref, "Filter")
    raw = doc.xref_stream_raw(xref) or b""
    if kind == "null":
        return len(raw)
    if value == "/FlateDecode":
        inflater, size, rest = zlib.decompressobj(), 0, raw
        while rest and size <= budget:
            try:
                size += len(inflater.decompress(rest, 1024 * 1024))
            except zlib.error:
                return size
            rest = inflater.unconsumed_tail
        return size
    return len(doc.xref_stream(xref) or b"")  # other filters: MuPDF decodes it
