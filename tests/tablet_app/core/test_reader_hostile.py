"""Issue 16 finding 1 on the tablet: a page too heavy or broken to draw is abandoned
("Trang này không hiển thị được") and the rest of the document stays usable."""

from __future__ import annotations

import time

import pymupdf
import pytest

from tablet_app.core.i18n import error_text
from tablet_app.core.reader import NotAPdf, PageUnrenderable, PdfReader
from tablet_app.core.render_cache import RenderCache
from tests import odd_pdfs


def with_bomb_page(pages: int = 3, bomb_at: int = 1, expanded_mb: int = 24) -> bytes:
    """An ordinary document with the content bomb's page inserted at ``bomb_at``."""
    document = pymupdf.open(stream=odd_pdfs.ordinary(pages, "Trang thường"))
    bomb = pymupdf.open(stream=odd_pdfs.content_bomb(expanded_mb))
    document.insert_pdf(bomb, start_at=bomb_at)
    return document.tobytes(deflate=True)


def test_a_bomb_page_is_refused_quickly_and_its_neighbours_render() -> None:
    reader = PdfReader(with_bomb_page())
    assert reader.page_count == 4
    started = time.monotonic()
    with pytest.raises(PageUnrenderable) as refused:
        reader.render(1, 1280, 800)
    assert time.monotonic() - started < 3.0  # MuPDF alone would draw it for a minute
    assert error_text(refused.value, "vi") == "Trang này không hiển thị được."
    assert error_text(refused.value, "en") == "This page cannot be displayed."
    for page in (0, 2, 3):
        rendered = reader.render(page, 640, 400)
        assert rendered.width > 0 and min(rendered.pixels) < 128
    assert reader.page_size(1) == (595.0, 842.0)
    assert reader.words(1) == [] and reader.page_text(1) == ""
    assert [hit.page for hit in reader.search("Trang")] == [0, 2, 3]
    # Asked again, the page is refused at once (it is not measured twice).
    started = time.monotonic()
    with pytest.raises(PageUnrenderable):
        reader.render(1, 1280, 800)
    assert time.monotonic() - started < 0.1


def test_the_render_cache_answers_a_bad_page_with_its_error_and_goes_on() -> None:
    reader = PdfReader(with_bomb_page())
    cache = RenderCache(reader, 640, 400)
    try:
        bad = cache.get(1, timeout=10)
        assert bad.error is not None and bad.width == 0
        assert isinstance(bad.error, PageUnrenderable)
        good = cache.get(2, timeout=10)
        assert good.error is None and good.width > 0
    finally:
        cache.close()


@pytest.mark.parametrize("name", sorted(odd_pdfs.corpus()))
def test_every_odd_file_opens_or_is_refused_in_words_and_never_hangs(name: str) -> None:
    data = odd_pdfs.corpus()[name]
    started = time.monotonic()
    try:
        reader = PdfReader(data)
    except NotAPdf as refused:
        assert error_text(refused, "vi")
        return
    shown = refused_pages = 0
    for page in range(min(reader.page_count, 5)):
        try:
            reader.render(page, 320, 200)
            shown += 1
        except PageUnrenderable:
            refused_pages += 1
    assert time.monotonic() - started < 10.0
    assert shown + refused_pages == min(reader.page_count, 5)
