"""Where the Times-metric face comes from, and what happens on a machine without it."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest

from shared.reports import fonts
from shared.reports.document import OfficialDocument, Section


def _clear() -> None:
    fonts.official_font.cache_clear()
    fonts.font.cache_clear()


@pytest.fixture
def fresh_fonts() -> Iterator[None]:
    _clear()
    yield
    _clear()


def _document() -> OfficialDocument:
    return OfficialDocument(issuer_lines=("HỘI ĐỒNG NHÂN DÂN", "XÃ Y TÝ"), number="01/BB-HĐND",
                            place_date="Y Tý, ngày 10 tháng 7 năm 2026", title="BIÊN BẢN",
                            sections=[Section("Nội dung", ["Chu Sa Hừ, Lý Thị Mỹ Duyên."])])


def test_without_a_times_face_pdfs_fall_back_to_noto_and_say_so(
        fresh_fonts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(fonts, "FACES", tuple(
        fonts.Face(f.name, f.package, (str(tmp_path / "none"),), f.files) for f in fonts.FACES))
    monkeypatch.delenv(fonts.FONT_DIR_ENV, raising=False)
    with caplog.at_level(logging.WARNING, logger="hdnd.reports.fonts"):
        chosen = fonts.official_font()
        fonts.official_font()  # asked again: warned once
    assert not chosen.times_metric
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "fonts-texgyre" in warnings[0]
    assert "Không tìm thấy phông Times" in warnings[0] and "No Times-metric font" in warnings[0]
    pdf = pymupdf.open("pdf", _document().render_pdf())
    names = {f[3] for f in pdf[0].get_fonts()}
    assert all("Noto" in n for n in names), names
    assert "Chu Sa Hừ" in pdf[0].get_text()


def test_a_font_folder_named_in_the_environment_is_used_first(
        fresh_fonts: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    installed = fonts.official_font()
    if not installed.times_metric:
        pytest.fail("TeX Gyre Termes is not installed: run `make system-deps`")
    _clear()
    for path in installed.files.values():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv(fonts.FONT_DIR_ENV, str(tmp_path))
    chosen = fonts.official_font()
    assert chosen.files is not None and chosen.name == installed.name
    assert all(p.parent == tmp_path for p in chosen.files.values())


def test_tex_gyre_termes_is_embedded_cut_to_council_letters_and_same_bytes_twice(
        fresh_fonts: None) -> None:
    """An OpenType/CFF face MuPDF cannot subset: it is cut once, at start, to the letters
    council documents use (fonts.KEPT_RANGES) and embedded once per style."""
    chosen = fonts.official_font()
    if not chosen.times_metric:
        pytest.fail("TeX Gyre Termes is not installed: run `make system-deps`")
    assert chosen.name == "TeX Gyre Termes" and chosen.cff
    first, second = _document().render_pdf(), _document().render_pdf()
    assert first == second
    pdf = pymupdf.open("pdf", first)
    names = [f[3] for f in pdf[0].get_fonts()]
    assert names and all(n.startswith("TeX Gyre Termes") for n in names), names
    streams = [x for x in range(1, pdf.xref_length())
               if pdf.xref_get_key(x, "Subtype")[1] == "/OpenType"]
    assert len(streams) <= 4  # one copy of each style, the page numbers' included
    assert len(first) < 200_000  # the four whole faces weigh about 560 kB
    assert "Chu Sa Hừ, Lý Thị Mỹ Duyên." in pdf[0].get_text()


def test_letters_typed_with_combining_marks_come_out_whole(fresh_fonts: None) -> None:
    """The faces carry no mark positioning: decomposed input is written precomposed."""
    typed = unicodedata.normalize("NFD", "Nguyễn Hữu Thắng, Vàng Thị Mỷ, Lầu Sử Hờ")
    assert typed != unicodedata.normalize("NFC", typed)
    document = OfficialDocument(issuer_lines=("HỘI ĐỒNG NHÂN DÂN",), number="", place_date="",
                                title="BIÊN BẢN", sections=[Section("Tham dự", [typed])])
    text = pymupdf.open("pdf", document.render_pdf())[0].get_text()
    assert "Nguyễn Hữu Thắng, Vàng Thị Mỷ, Lầu Sử Hờ" in " ".join(text.split())
