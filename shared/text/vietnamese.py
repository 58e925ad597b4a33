"""Fold Vietnamese text and cut it into syllables.

Voters and clerks type the same words with diacritics ("ngập lụt"), without them
("ngap lut"), composed (NFC, one code point per letter) or decomposed (NFD, base letter plus
combining marks, as some phones and old Windows keyboards send). Everything that compares
or searches text goes through :func:`fold` so that all of these meet.

Vietnamese writes one syllable per space-separated word ("ngập lụt" is two syllables, one
word); we index syllables and syllable bigrams instead of trying to segment words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

# đ/Đ is a letter of its own, not d plus a combining mark: NFD leaves it whole.
_NOT_DECOMPOSED = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})

# A syllable: a letter or digit, then letters, digits or combining marks (so NFD text stays
# in one piece: "nga\u0323\u0302p" is one syllable, not "nga" + "p").
_SYLLABLE = re.compile(r"[^\W_](?:[^\W_]|[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff])*")


# Every code point with a combining class, deleted in one str.translate (as fast as C)
# instead of testing each character in Python; the same set unicodedata.combining() names.
_COMBINING = dict.fromkeys(cp for cp in range(0x20000)  # none above U+1E94A
                           if unicodedata.combining(chr(cp)))


def fold(text: str) -> str:
    """Lower-case *text* and strip its diacritics, đ→d included: "Ngập Lụt" → "ngap lut".

    Accepts NFC, NFD or a mixture. Spaces and punctuation are kept. Offsets may shift
    (NFD input shrinks), so use :func:`syllables` when positions in the original matter.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_NOT_DECOMPOSED))
    stripped = decomposed.translate(_COMBINING)
    return unicodedata.normalize("NFC", stripped).casefold().translate(_NOT_DECOMPOSED)


def has_diacritics(word: str) -> bool:
    """True when *word* carries any Vietnamese mark (so it was typed with accents)."""
    return fold(word) != word.casefold()


@dataclass(frozen=True, slots=True)
class Syllable:
    """One syllable as it appears in the original text, with its folded form."""

    start: int
    end: int
    raw: str
    folded: str


@lru_cache(maxsize=65_536)
def _fold_syllable(raw: str) -> str:
    # A language has a few thousand syllables: folding each once saves most of the work
    # of highlighting and grouping, which fold syllable by syllable.
    return fold(raw)


def syllables(text: str) -> Iterator[Syllable]:
    """Yield the syllables of *text* with their offsets into *text* itself (NFC or NFD)."""
    for match in _SYLLABLE.finditer(text):
        raw = match.group()
        yield Syllable(match.start(), match.end(), raw,
                       _fold_syllable(raw) if len(raw) <= 16 else fold(raw))


# Function words that carry no topic, in their accented form. In a text typed with accents a
# syllable is a stop word only if it is exactly one of these: "chợ" (market) is not "cho"
# (for). "để" is left out on purpose: it folds to "de", like "đê" (dike).
STOP_WORDS: frozenset[str] = frozenset(
    """
    của và các những là được cho với trong này đó kia thì mà như từ khi đã đang sẽ bị
    về tại theo do nên vì một cũng rất lại ra vào hay hoặc nhưng nếu còn đến ở có
    ạ ấy nữa thêm gì sao nào luôn vẫn chỉ mỗi
    """.split()
)

# In a text typed without any accent "cho" may be "chợ", "tai" "tai nạn", "trong" "trồng",
# "cung" "cung cấp": only folded forms that are rarely a content word count as stop words.
UNACCENTED_STOP_WORDS: frozenset[str] = frozenset(
    """
    cua va cac nhung la duoc voi nay thi rat neu hoac hay se bi ve ra vao khi theo nua
    gi nao luon ay a
    """.split()
)


def is_stop_word(raw: str, *, accented_text: bool = True) -> bool:
    """True when the syllable *raw*, as typed, is a function word.

    *accented_text* says whether the text it comes from was typed with diacritics (see
    :func:`has_diacritics`); without them, only :data:`UNACCENTED_STOP_WORDS` count.
    """
    lowered = unicodedata.normalize("NFC", raw).casefold()
    if accented_text:
        return lowered in STOP_WORDS
    return lowered in UNACCENTED_STOP_WORDS


def tokens(text: str, *, drop_stop_words: bool = False) -> list[str]:
    """Folded syllables of *text*, punctuation stripped: "Đường lên Y Tý!" → ["duong", ...]."""
    accented = has_diacritics(text)
    return [
        s.folded
        for s in syllables(text)
        if not (drop_stop_words and is_stop_word(s.raw, accented_text=accented))
    ]


def phrases(text: str, *, drop_stop_words: bool = True) -> list[list[Syllable]]:
    """Runs of syllables not broken by punctuation (nor by stop words, unless kept).

    Bigrams are taken inside a run only: "…bị sạt lở, đề nghị sửa" must not yield "lở đề".
    """
    runs: list[list[Syllable]] = [[]]
    previous_end = 0
    accented = has_diacritics(text)
    for s in syllables(text):
        if text[previous_end : s.start].strip():
            runs.append([])
        previous_end = s.end
        if drop_stop_words and is_stop_word(s.raw, accented_text=accented):
            runs.append([])
            continue
        runs[-1].append(s)
    return [run for run in runs if run]


def bigrams(words: Sequence[str]) -> list[str]:
    """Adjacent pairs joined by a space: ["ngap", "lut", "nang"] → ["ngap lut", "lut nang"].

    Two-syllable words ("ngập lụt", "nước sạch", "sạt lở") are the common case in
    Vietnamese, so bigrams recover most words without a segmenter.
    """
    return [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def char_ngrams(words: Iterable[str], n: int = 3) -> list[str]:
    """Character n-grams of each word, padded with "#" so word edges count: "lut" → "#lu"...

    Used to tolerate typos and Telex leftovers ("ngapj" for "ngập").
    """
    grams: list[str] = []
    for word in words:
        padded = f"#{word}#"
        grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
    return grams
