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
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pymupdf

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
        if self._doc.page_count == 0:
            raise NotAPdf("no pages")
        self._lock = threading.RLock()

    def close(self) -> None:
        with self._lock:
            self._doc.close()

    def __enter__(self) -> PdfReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def page_count(self) -> int:
        return self._doc.page_count

    def _page(self, page: int) -> pymupdf.Page:
        if not 0 <= page < self._doc.page_count:
            raise PageOutOfRange(page, self._doc.page_count)
        return self._doc[page]

    def page_size(self, page: int) -> tuple[float, float]:
        """Width and height in PDF points (rotation applied, as the reader sees it)."""
        with self._lock:
            rect = self._page(page).rect
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
    ) -> RenderedPage:
        """Draw the page fitted into width_px × height_px, times ``zoom``.

        With ``clip`` (points) only that part of the page is drawn, at the same scale:
        a zoomed-in view re-renders just what is on screen, sharply.
        """
        with self._lock:
            target = self._page(page)  # loaded once: loading parses the page's content
            size = target.rect
            scale = min(width_px / size.width, height_px / size.height) * zoom
            pix = target.get_pixmap(
                matrix=pymupdf.Matrix(scale, scale),
                alpha=False,  # RGB, uploaded as is into an rgb texture
                clip=pymupdf.Rect(clip) if clip else None,
                annots=False,
            )
        return RenderedPage(page, pix.width, pix.height, pix.samples_mv, zoom, clip,
                            "rgb", pix.stride, pix)

    def page_text(self, page: int) -> str:
        with self._lock:
            return self._page(page).get_text("text")

    def search(self, needle: str, max_hits_per_page: int = 50) -> list[SearchHit]:
        """Every page where ``needle`` appears (MuPDF ignores case for ASCII letters only)."""
        needle = needle.strip()
        if not needle:
            return []
        hits = []
        with self._lock:
            for number in range(self._doc.page_count):
                found = self._doc[number].search_for(needle)[:max_hits_per_page]
                if found:
                    rects = tuple(tuple(r) for r in found)
                    hits.append(SearchHit(number, rects))  # type: ignore[arg-type]
        return hits

    def toc(self) -> list[TocEntry]:
        """The PDF outline (bookmarks), or an empty list when the file has none."""
        with self._lock:
            outline = self._doc.get_toc(simple=True)
        return [TocEntry(level, title, page - 1) for level, title, page in outline]


    def words(self, page: int) -> list[Word]:
        """The words of a page in reading order (annotations anchor to them)."""
        with self._lock:
            raw = self._page(page).get_text("words", sort=True)
        return [Word((x0, y0, x1, y1), text, (block, line))
                for x0, y0, x1, y1, text, block, line, _ in raw]
