"""The reader renders real PDFs from memory to pixels, searches them and reads outlines."""

from __future__ import annotations

import time

import pytest

from tablet_app.core.reader import NotAPdf, PageOutOfRange, PdfReader
from tablet_app.core.render_cache import RenderCache
from tests.tablet_app.core._pdfs import numbered_pages, vietnamese_pdf


@pytest.fixture
def reader():
    with PdfReader(vietnamese_pdf(numbered_pages(12))) as opened:
        yield opened


def test_a_page_fits_the_screen_and_is_rgb(reader: PdfReader) -> None:
    page = reader.render(0, 1280, 800)
    assert page.height == 800  # A4 portrait on a landscape screen: height decides
    assert 560 <= page.width <= 570
    assert page.colorfmt == "rgb" and page.stride == page.width * 3
    assert len(page.pixels) == page.width * page.height * 3
    assert page.pixels[:3] == b"\xff\xff\xff"  # top-left corner: white paper
    ink = sum(1 for i in range(0, len(page.pixels), 3 * 97) if page.pixels[i] < 128)
    assert ink > 10  # the Vietnamese text is drawn


def test_zoom_and_clip_render_only_the_visible_part_sharper(reader: PdfReader) -> None:
    whole = reader.render(0, 1280, 800, zoom=1.0)
    zoomed = reader.render(0, 1280, 800, zoom=2.0, clip=(0, 0, 297.5, 421))
    assert abs(zoomed.width - whole.width) <= 2 and abs(zoomed.height - whole.height) <= 2
    assert zoomed.pixels != whole.pixels


def test_pages_differ_and_bad_page_or_bytes_are_refused(reader: PdfReader) -> None:
    assert reader.page_count == 12
    assert reader.page_size(3) == (595.0, 842.0)
    assert reader.render(0, 640, 400).pixels != reader.render(1, 640, 400).pixels
    with pytest.raises(PageOutOfRange):
        reader.render(12, 640, 400)
    with pytest.raises(NotAPdf):
        PdfReader(b"%PDF-1.7 this is not really a pdf")


def test_search_finds_vietnamese_words_with_their_rectangles(reader: PdfReader) -> None:
    hits = reader.search("biểu quyết")
    assert [h.page for h in hits] == list(range(12))
    x0, y0, x1, y1 = hits[0].rects[0]
    assert 60 < x0 < x1 < 595 and 80 < y0 < y1 < 130
    assert [h.page for h in reader.search("Trang số 7:")] == [6]
    assert reader.search("   ") == []


def test_table_of_contents_and_text(reader: PdfReader) -> None:
    toc = reader.toc()
    assert toc[4].page == 4 and toc[4].title.startswith("Trang số 5")
    assert "Hội đồng nhân dân" in reader.page_text(2)


def test_render_cache_prefetches_neighbours_so_a_turn_is_a_hit(reader: PdfReader) -> None:
    cache = RenderCache(reader, 640, 400, prefetch=2)
    try:
        first = cache.get(5)
        deadline = time.monotonic() + 5
        while cache.stats.renders < 5 and time.monotonic() < deadline:
            time.sleep(0.01)
        for near in (3, 4, 6, 7):
            assert cache.cached(near) is not None
        hits_before = cache.stats.hits
        turned = cache.get(6)
        assert cache.stats.hits == hits_before + 1
        assert turned.pixels != first.pixels and turned.page == 6
    finally:
        cache.close()


def test_render_cache_stays_small_and_serves_many_threads(reader: PdfReader) -> None:
    import threading

    cache = RenderCache(reader, 320, 200, capacity=5, prefetch=2)
    results: dict[int, int] = {}

    def read(page: int) -> None:
        results[page] = cache.get(page).page

    try:
        threads = [threading.Thread(target=read, args=(p,)) for p in range(12)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(10)
        assert results == {p: p for p in range(12)}
        assert len([p for p in range(12) if cache.cached(p)]) <= 5
    finally:
        cache.close()


def test_dark_mode_inverted_page_is_light_on_dark_and_cached_apart(reader: PdfReader) -> None:
    page = reader.render(0, 1280, 800, invert=True)
    assert page.pixels[:3] == b"\x00\x00\x00"  # the paper is black
    light = sum(1 for i in range(0, len(page.pixels), 3 * 97) if page.pixels[i] > 128)
    assert light > 10  # the text is light
    cache = RenderCache(reader, 640, 400, prefetch=0)
    try:
        assert cache.get(0).pixels[:3] == b"\xff\xff\xff"
        cache.set_inverted(True)
        assert cache.cached(0) is None  # the printed look is not shown in the dark
        assert cache.get(0).pixels[:3] == b"\x00\x00\x00"
    finally:
        cache.close()
