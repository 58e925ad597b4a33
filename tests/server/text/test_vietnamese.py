"""Folding and syllable tokens on real Vietnamese sentences, composed and decomposed."""

from __future__ import annotations

import unicodedata

import pytest

from server.text.vietnamese import (
    STOP_WORDS,
    UNACCENTED_STOP_WORDS,
    bigrams,
    char_ngrams,
    fold,
    has_diacritics,
    is_stop_word,
    phrases,
    syllables,
    tokens,
)

SENTENCE = "Đề nghị sửa đường lên Y Tý: ruộng bị ngập lụt, mương hư hỏng, những cây số đường rừng."


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ngập lụt", "ngap lut"),
        ("ngap lut", "ngap lut"),
        ("NGẬP LỤT", "ngap lut"),
        ("Đường Độc Lập", "duong doc lap"),
        ("Bộ Công an, ộ", "bo cong an, o"),
        ("những con đường đã được sửa chữa", "nhung con duong da duoc sua chua"),
        ("Mỹ Tho, kỹ thuật, xã Y Tý", "my tho, ky thuat, xa y ty"),
        ("Thủy lợi / thuỷ lợi", "thuy loi / thuy loi"),
        ("Hòa Bình, Hoà Bình", "hoa binh, hoa binh"),
    ],
)
def test_fold_strips_marks_and_case(text: str, folded: str) -> None:
    assert fold(text) == folded
    assert fold(nfd(text)) == folded


def test_decomposed_and_composed_fold_the_same() -> None:
    composed = unicodedata.normalize("NFC", SENTENCE)
    decomposed = nfd(SENTENCE)
    assert composed != decomposed
    assert fold(composed) == fold(decomposed)
    assert tokens(composed) == tokens(decomposed)


def test_tokens_are_folded_syllables_without_punctuation() -> None:
    assert tokens(SENTENCE) == [
        "de", "nghi", "sua", "duong", "len", "y", "ty", "ruong", "bi", "ngap", "lut",
        "muong", "hu", "hong", "nhung", "cay", "so", "duong", "rung",
    ]


def test_decomposed_syllables_keep_offsets_into_the_original() -> None:
    text = nfd("Trạm y tế xã Y Tý")
    parts = list(syllables(text))
    assert [p.folded for p in parts] == ["tram", "y", "te", "xa", "y", "ty"]
    assert [text[p.start : p.end] for p in parts] == [p.raw for p in parts]
    assert unicodedata.normalize("NFC", parts[0].raw) == "Trạm"


def test_stop_words_respect_accents_when_typed() -> None:
    # "chợ" (market) is content; "cho" (for) is a function word.
    assert tokens("xây chợ cho bà con", drop_stop_words=True) == ["xay", "cho", "ba", "con"]
    assert is_stop_word("cho") and is_stop_word("Của") and is_stop_word(nfd("những"))
    assert not is_stop_word("chợ")
    assert not is_stop_word("cho", accented_text=False)
    # typed without accents, only unambiguous function words are dropped
    assert tokens("nuoc sach cua cac thon", drop_stop_words=True) == ["nuoc", "sach", "thon"]
    assert tokens("xay cho cho ba con", drop_stop_words=True) == [
        "xay", "cho", "cho", "ba", "con"
    ]
    assert tokens("tai nan trong rung", drop_stop_words=True) == ["tai", "nan", "trong", "rung"]
    # "đê" (dike) must survive: its folded form is also "để", which is why "để" is kept
    assert tokens("sửa đê để chống lũ", drop_stop_words=True) == ["sua", "de", "de", "chong", "lu"]


def test_has_diacritics() -> None:
    assert has_diacritics("lụt") and has_diacritics("đi") and has_diacritics(nfd("Tý"))
    assert not has_diacritics("Lut")


def test_phrases_break_at_punctuation_and_stop_words() -> None:
    runs = [[s.folded for s in run] for run in phrases("Đường bị sạt lở, đề nghị sửa của xã")]
    assert runs == [["duong"], ["sat", "lo"], ["de", "nghi", "sua"], ["xa"]]


def test_bigrams_and_char_ngrams() -> None:
    assert bigrams(["ngap", "lut", "nang"]) == ["ngap lut", "lut nang"]
    assert bigrams(["lut"]) == []
    assert char_ngrams(["lut", "y"]) == ["#lu", "lut", "ut#", "#y#"]


def test_unaccented_stop_words_are_folded_stop_words() -> None:
    assert {fold(w) for w in STOP_WORDS} >= UNACCENTED_STOP_WORDS
