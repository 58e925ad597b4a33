"""A file name never becomes a document's title as it is."""

from __future__ import annotations

import pytest

from server.documents.titles import readable_title


@pytest.mark.parametrize("filename,title", [
    ("to_trinh_ngan_sach.pdf", "To trinh ngan sach"),
    ("Tờ_trình_ngân_sách_2027.PDF", "Tờ trình ngân sách 2027"),
    ("bao-cao-tham-tra.pdf", "Bao cao tham tra"),
    ("Nghị quyết 12-NQ.pdf", "Nghị quyết 12-NQ"),  # a name with spaces keeps its hyphens
    ("tai-lieu-1.pdf", "Tai lieu 1"),
    ("bien-ban-2026-12-15.pdf", "Bien ban 2026-12-15"),  # a date keeps its own
    ("C:\\Users\\vanthu\\đề_án_nông_thôn_mới.pdf", "Đề án nông thôn mới"),
    ("to  trinh__  .pdf", "To trinh"),
    ("", "Tài liệu"),
    ("___.pdf", "Tài liệu"),
])
def test_readable_title(filename: str, title: str) -> None:
    assert readable_title(filename) == title


def test_decomposed_vietnamese_becomes_composed() -> None:
    decomposed = "to\u0302\u0300_trinh.pdf"  # "tồ" typed with combining marks (macOS names)
    assert readable_title(decomposed) == "Tồ trinh"
    assert len(readable_title(decomposed)) == len("Tồ trinh")


def test_a_long_name_is_cut_to_the_column() -> None:
    assert len(readable_title("a_" * 400 + ".pdf")) == 500
