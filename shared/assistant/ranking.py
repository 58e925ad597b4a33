"""BM25 over passages (the ``bm25s`` library), Vietnamese folded, and the picks built on it.

Terms are folded syllables ("ngập" → "ngap", so a question typed without diacritics
meets the accented archive) plus the bigrams inside a phrase ("ngap lut"): most
Vietnamese words are two syllables, and the bigram ranks "sạt lở" above pages that only
say "lở" and "sạt" far apart. A passage also carries its document's title, which is often
the best evidence of what it is about.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np

from shared.assistant.passages import Passage
from shared.text.vietnamese import has_diacritics, phrases

# Words that ask rather than say what about; dropped from questions only. Accented forms
# when the question has accents ("đâu" folds like "đầu" of "đầu tư": keep the latter).
QUESTION_WORDS = frozenset("nào gì bao nhiêu không ai đâu sao thế hãy biết hỏi xin tôi "
                           "chúng ta cho bạn vậy tóm tắt nêu".split())
UNACCENTED_QUESTION_WORDS = frozenset("nao gi nhieu khong".split())

RELATIVE_FLOOR = 0.3
"""A hit scoring under this share of the best one is noise (one common word in common),
not a source worth citing."""

PER_SOURCE = 2
"""At most this many passages of one document or item among the hits: variety of sources
is worth more to the reader than the third paragraph of the same page."""


def terms(text: str, *, question: bool = False) -> list[str]:
    """Folded syllables without function words, plus the bigrams inside each phrase."""
    accented = has_diacritics(text)
    out: list[str] = []
    for run in phrases(text):
        words = [s for s in run
                 if not (question and (s.raw.lower() in QUESTION_WORDS if accented
                                       else s.folded in UNACCENTED_QUESTION_WORDS))]
        folded = [s.folded for s in words]
        out.extend(folded)
        out.extend(f"{a}_{b}" for a, b in zip(folded, folded[1:], strict=False))
    return out


@dataclass(frozen=True, slots=True)
class Hit:
    passage: Passage
    score: float
    index: int


class PassageIndex:
    """The passages of an archive (or of one pack), ranked with BM25 for a question."""

    def __init__(self, passages: Sequence[Passage]) -> None:
        self.passages = list(passages)
        self._terms = [terms(f"{p.title}\n{p.section}\n{p.text}") for p in self.passages]
        self._bm25 = bm25s.BM25()
        if self.passages:
            self._bm25.index(self._terms, show_progress=False)
        self._by_source: dict[tuple[str, int], list[int]] = {}
        for number, passage in enumerate(self.passages):
            self._by_source.setdefault(passage.source_key, []).append(number)
        self._df: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.passages)

    def sources(self) -> set[tuple[str, int]]:
        return set(self._by_source)

    def scores(self, query_terms: list[str]) -> np.ndarray:
        if not self.passages or not query_terms:
            return np.zeros(len(self.passages), dtype=np.float32)
        scores: np.ndarray = self._bm25.get_scores(query_terms)
        return scores

    def search(self, question: str, *, limit: int = 5,
               allowed: Callable[[Passage], bool] | None = None,
               per_source: int = PER_SOURCE) -> list[Hit]:
        """The best passages for *question* that *allowed* lets through, best first.

        *allowed* is asked lazily, best candidates first, so a permission check that
        reads the database runs for a handful of passages, not the whole archive.
        """
        scores = self.scores(terms(question, question=True))
        order = np.argsort(-scores, kind="stable")
        hits: list[Hit] = []
        per: Counter[tuple[str, int]] = Counter()
        floor = 0.0
        for number in order:
            score = float(scores[number])
            if score <= floor or len(hits) >= limit:
                break
            passage = self.passages[number]
            if per[passage.source_key] >= per_source:
                continue
            if allowed is not None and not allowed(passage):
                continue
            per[passage.source_key] += 1
            hits.append(Hit(passage, score, int(number)))
            floor = max(floor, RELATIVE_FLOOR * hits[0].score)
        return hits

    def key_passages(self, source: tuple[str, int], count: int = 3) -> list[Passage]:
        """A summary of one source: its passages richest in its own characteristic terms.

        Terms are weighted by how often the source uses them and how rare they are in
        the archive (tf·idf); the chosen passages come back in the document's order.
        """
        numbers = self._by_source.get(source, [])
        if len(numbers) <= count:
            return [self.passages[n] for n in numbers]
        frequency: Counter[str] = Counter()
        for n in numbers:
            frequency.update(t for t in self._terms[n] if "_" not in t)
        document_frequency = self._document_frequency()
        total = len(self.passages)
        weight = {t: c * float(np.log(1 + total / document_frequency.get(t, 1)))
                  for t, c in frequency.items()}
        characteristic = sorted(weight, key=weight.__getitem__, reverse=True)[:15]

        def richness(n: int) -> float:
            present = set(self._terms[n])
            return sum(weight[t] for t in characteristic if t in present) / (
                1 + 0.002 * len(self._terms[n]))

        best = sorted(numbers, key=richness, reverse=True)[:count]
        return [self.passages[n] for n in sorted(best)]

    def _document_frequency(self) -> dict[str, int]:
        if self._df is None:
            df: Counter[str] = Counter()
            for passage_terms in self._terms:
                df.update(set(passage_terms))
            self._df = dict(df)
        return self._df


def best_sentences(question: str, passage: Passage, *, max_words: int = 60) -> str:
    """The sentences of *passage* that share most terms with *question*, in order."""
    wanted = set(terms(question, question=True))
    sentences = [s for s in _sentences(passage.text) if s]
    if not sentences:
        return passage.text
    ranked = sorted(range(len(sentences)),
                    key=lambda i: -len(wanted & set(terms(sentences[i]))))
    chosen: list[int] = []
    words = 0
    for i in ranked:
        length = len(sentences[i].split())
        if chosen and words + length > max_words:
            break
        chosen.append(i)
        words += length
    return " ".join(sentences[i] for i in sorted(chosen))


def _sentences(text: str) -> Iterable[str]:
    start = 0
    for position, char in enumerate(text):
        if char in ".;!?" and (position + 1 == len(text) or text[position + 1] == " "):
            yield text[start:position + 1].strip()
            start = position + 1
    if text[start:].strip():
        yield text[start:].strip()
