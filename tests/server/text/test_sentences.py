"""Sentences joined for official documents end with exactly one full stop."""

from server.text.sentences import sentence, sentences


def test_one_full_stop_whatever_the_part_ends_with() -> None:
    rule = "Cần quá nửa tổng số đại biểu tán thành."
    assert sentences(rule, "Mở lúc 09:00, kết thúc lúc 09:05") == (
        "Cần quá nửa tổng số đại biểu tán thành. Mở lúc 09:00, kết thúc lúc 09:05.")
    assert sentence("tán thành..") == "tán thành."
    assert sentence("Đã trả lời chưa?") == "Đã trả lời chưa?"
    assert sentence("  nhiều   khoảng trắng  ") == "nhiều khoảng trắng."
    assert sentences("", "Một câu.", "") == "Một câu."
    assert sentence("") == ""
