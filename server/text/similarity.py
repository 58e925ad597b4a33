"""Find voter petitions that say the same thing, for the clerk to merge.

At a round of voter meetings the same request arrives many times in different words ("sửa
đường lên Y Tý bị sạt lở", "duong len y ty sat lo nang, de nghi sua"). The plan asks that
every legitimate petition be compiled, so the clerk groups them before forwarding. This
module only *proposes* groups with a score and the terms they share; the clerk confirms.
Nothing is merged here.

How: TF-IDF over folded syllables and syllable bigrams (optionally character 3-grams for
typos) and cosine similarity, in two steps:

1. each petition, in order, joins the group whose centroid it resembles most above the
   threshold, found through an inverted index of group centroids, or starts a new group;
2. groups whose centroids are alike above the threshold are merged by union-find; their
   pairs come from an exact all-pairs search with the prefix filter of Bayardo, Ma &
   Srikant (WWW 2007), which indexes only each vector's rarer terms.

Comparing with centroids rather than linking any two close petitions (single link) keeps
topics apart: short notes that share only a place name do not chain "roads" and
"electricity" into one group. 5,000 petitions group in about a second in pure Python, with
no numpy and no model download.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from server.text.vietnamese import bigrams, char_ngrams, phrases

K = TypeVar("K", bound=Hashable)

Vector = dict[str, float]

# Feature kinds are told apart by a prefix the tokenizer can never produce (it keeps only
# letters and digits), so a bigram can never collide with a syllable or an n-gram.
_CHAR_PREFIX = "~"


@dataclass(frozen=True, slots=True)
class GroupingSettings:
    """Knobs for grouping.

    Defaults tuned on the petitions in ``tests/server/text`` and the benchmark's synthetic
    ones: different requests stay apart up to 0.22-0.25 and paraphrases of one request
    join from 0.38 down, so 0.3 errs on the side of splitting (the clerk merges groups more
    easily than she picks a wrong petition out of one).
    """

    threshold: float = 0.3
    """Cosine similarity from which two petitions are proposed as the same request."""
    use_char_ngrams: bool = False
    """Add character 3-grams: tolerates typos, costs about twice the time."""
    bigram_weight: float = 0.5
    char_ngram_weight: float = 0.4
    max_df_ratio: float = 0.5
    """Terms found in more than this share of petitions are ignored (on 20 or more)."""
    key_terms: int = 5


@dataclass(frozen=True, slots=True)
class ProposedGroup(Generic[K]):
    """Petitions proposed as one request; the clerk confirms or splits them."""

    ids: tuple[K, ...]
    """Members in input order."""
    score: float
    """Mean cosine similarity of the pairs that linked the group (threshold..1)."""
    member_scores: tuple[float, ...]
    """Each member's similarity to the group as a whole; a low one is the odd one out."""
    key_terms: tuple[str, ...]
    """Terms most members share, shown with diacritics when any member typed them."""


def _features(text: str, settings: GroupingSettings) -> Counter[str]:
    counts: Counter[str] = Counter()
    words: list[str] = []
    for run in phrases(text):
        folded = [s.folded for s in run]
        words.extend(folded)
        counts.update(bigrams(folded))
    counts.update(words)
    if settings.use_char_ngrams:
        counts.update(_CHAR_PREFIX + g for g in char_ngrams(words))
    return counts


def _kind_weight(feature: str, settings: GroupingSettings) -> float:
    if feature.startswith(_CHAR_PREFIX):
        return settings.char_ngram_weight
    if " " in feature:
        return settings.bigram_weight
    return 1.0


class TfidfVectors:
    """L2-normalised TF-IDF vectors of a fixed collection of texts."""

    def __init__(self, texts: Sequence[str], settings: GroupingSettings | None = None) -> None:
        self.settings = settings or GroupingSettings()
        counts = [_features(t, self.settings) for t in texts]
        n = len(counts)
        self.document_frequency: Counter[str] = Counter()
        for c in counts:
            self.document_frequency.update(c.keys())
        too_common = (
            {f for f, df in self.document_frequency.items() if df > self.settings.max_df_ratio * n}
            if n >= 20
            else set()
        )
        # Smoothed IDF, as scikit-learn's default: a term in every text still weighs 1.
        self.idf: dict[str, float] = {
            f: (math.log((1 + n) / (1 + df)) + 1) * _kind_weight(f, self.settings)
            for f, df in self.document_frequency.items()
            if f not in too_common
        }
        self.vectors: list[Vector] = [self._weigh(c) for c in counts]

    def _weigh(self, counts: Counter[str]) -> Vector:
        # Sublinear term frequency: a petition repeating "sạt lở" three times is not three
        # times more about landslides.
        vector = {
            f: (1 + math.log(tf)) * self.idf[f] for f, tf in counts.items() if f in self.idf
        }
        norm = math.sqrt(sum(w * w for w in vector.values()))
        return {f: w / norm for f, w in vector.items()} if norm else {}

    def vector(self, text: str) -> Vector:
        """Vector of a new text with this collection's IDF (unknown terms are dropped)."""
        return self._weigh(_features(text, self.settings))


def cosine(a: Vector, b: Vector) -> float:
    """Cosine similarity of two normalised vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(w * b[f] for f, w in a.items() if f in b)


def similar_pairs(
    vectors: Sequence[Vector], document_frequency: Counter[str], threshold: float
) -> list[tuple[int, int, float]]:
    """All pairs ``(i, j, score)`` with ``i < j`` and cosine ``>= threshold``.

    Exact, not approximate: each vector indexes its terms from the rarest down, leaving out
    the most common ones only while their norm stays below *threshold* (Cauchy-Schwarz: what
    two vectors share outside one's indexed terms is at most that norm).
    """
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    unindexed: list[Vector] = []
    unindexed_norm: list[float] = []
    pairs: list[tuple[int, int, float]] = []
    for i, x in enumerate(vectors):
        scores: dict[int, float] = defaultdict(float)
        for f, w in x.items():
            for j, wj in index.get(f, ()):
                scores[j] += w * wj
        for j, partial in scores.items():
            if partial + unindexed_norm[j] < threshold - 1e-12:
                continue
            rest = unindexed[j]
            score = partial + (sum(w * x[f] for f, w in rest.items() if f in x) if rest else 0.0)
            if score >= threshold - 1e-12:
                pairs.append((j, i, min(score, 1.0)))
        # Most common terms first: they go unindexed while their norm is below threshold.
        ordered = sorted(x.items(), key=lambda fw: (-document_frequency[fw[0]], fw[0]))
        squared = 0.0
        cut = 0
        for _, w in ordered:
            if math.sqrt(squared + w * w) >= threshold:
                break
            squared += w * w
            cut += 1
        prefix = dict(ordered[:cut])
        for f, w in ordered[cut:]:
            index[f].append((i, w))
        unindexed.append(prefix)
        unindexed_norm.append(math.sqrt(squared))
    pairs.sort()
    return pairs


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _assign(vectors: Sequence[Vector], threshold: float) -> list[list[int]]:
    """One pass: each petition joins the group whose centroid it resembles most, or starts one.

    Groups are compared by their centroid, not by their closest member, so a short note
    that shares only a place name ("thôn Lao Chải chưa có điện") cannot chain the road
    group and the electricity group together, as single-link grouping would. The inverted
    index holds one posting per (term, group), so a big group costs no more to probe than a
    small one.
    """
    postings: dict[str, dict[int, float]] = defaultdict(dict)
    norm_squared: list[float] = []
    members: list[list[int]] = []
    for i, x in enumerate(vectors):
        dots: dict[int, float] = defaultdict(float)
        for f, w in x.items():
            for g, summed in postings.get(f, {}).items():
                dots[g] += w * summed
        best, best_score = -1, threshold
        for g, dot in dots.items():
            score = dot / math.sqrt(norm_squared[g])
            if score > best_score or (score == best_score and best < 0):
                best, best_score = g, score
        if best < 0:
            best = len(members)
            members.append([])
            norm_squared.append(0.0)
        members[best].append(i)
        # |S + x|^2 = |S|^2 + 2 S.x + |x|^2, and x is normalised
        norm_squared[best] += 2 * dots.get(best, 0.0) + (1.0 if x else 0.0)
        for f, w in x.items():
            group_sums = postings[f]
            group_sums[best] = group_sums.get(best, 0.0) + w
    return members


def propose_groups(
    petitions: Iterable[tuple[K, str]], settings: GroupingSettings | None = None
) -> list[ProposedGroup[K]]:
    """Group petitions ``(id, text)`` that say the same thing; biggest groups first.

    Petitions alike to no other are not returned. Ids must be unique. The result depends
    on the input order only at the margin; pass petitions in a stable order (by id).
    """
    settings = settings or GroupingSettings()
    items = list(petitions)
    ids = [k for k, _ in items]
    if len(set(ids)) != len(ids):
        raise ValueError("petition ids must be unique")
    texts = [t for _, t in items]
    model = TfidfVectors(texts, settings)
    assigned = _assign(model.vectors, settings.threshold)

    # Groups that grew towards each other (their first members were paraphrases just under
    # the threshold) are merged when their centroids are alike; union-find joins chains.
    centroids = [_normalised_sum(model.vectors[i] for i in m) for m in assigned]
    sets = _UnionFind(len(assigned))
    for a, b, _ in similar_pairs(centroids, model.document_frequency, settings.threshold):
        sets.union(a, b)
    merged: dict[int, list[int]] = defaultdict(list)
    for g, indices in enumerate(assigned):
        merged[sets.find(g)].extend(indices)

    groups: list[ProposedGroup[K]] = []
    for indices in merged.values():
        if len(indices) < 2:
            continue
        indices.sort()
        vectors = [model.vectors[i] for i in indices]
        centroid = _normalised_sum(vectors)
        member_scores = tuple(round(cosine(v, centroid), 4) for v in vectors)
        groups.append(
            ProposedGroup(
                ids=tuple(ids[i] for i in indices),
                score=round(sum(member_scores) / len(member_scores), 4),
                member_scores=member_scores,
                key_terms=_key_terms([texts[i] for i in indices], vectors, settings.key_terms),
            )
        )
    groups.sort(key=lambda g: (-len(g.ids), ids.index(g.ids[0])))
    return groups


def _normalised_sum(vectors: Iterable[Vector]) -> Vector:
    total: dict[str, float] = defaultdict(float)
    for v in vectors:
        for f, w in v.items():
            total[f] += w
    norm = math.sqrt(sum(w * w for w in total.values()))
    return {f: w / norm for f, w in total.items()} if norm else {}


def _key_terms(texts: Sequence[str], vectors: Sequence[Vector], limit: int) -> tuple[str, ...]:
    """Terms shared by at least half the members, heaviest first, bigrams before their parts."""
    present: Counter[str] = Counter()
    weight: dict[str, float] = defaultdict(float)
    for v in vectors:
        for f, w in v.items():
            if not f.startswith(_CHAR_PREFIX):
                present[f] += 1
                weight[f] += w
    needed = max(2, math.ceil(len(vectors) / 2))
    shared = [f for f, n in present.items() if n >= needed]
    chosen: list[str] = []
    covered: set[str] = set()
    # Bigrams first: "sạt lở" reads better than "sạt" and "lở" apart.
    for f in sorted(shared, key=lambda f: (" " not in f, -weight[f], f)):
        parts = f.split(" ")
        if all(p in covered for p in parts):
            continue
        chosen.append(f)
        covered.update(parts)
        if len(chosen) == limit:
            break
    chosen.sort(key=lambda f: (-weight[f], f))
    surfaces = _surface_forms(texts)
    return tuple(surfaces.get(f, f) for f in chosen)


def _surface_forms(texts: Iterable[str]) -> dict[str, str]:
    """Map folded terms to how members wrote them, preferring a spelling with diacritics."""
    seen: dict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        for run in phrases(text):
            raws = [unicodedata.normalize("NFC", s.raw).lower() for s in run]
            folded = [s.folded for s in run]
            for f, r in zip(folded + bigrams(folded), raws + bigrams(raws), strict=True):
                seen[f][r] += 1
    best: dict[str, str] = {}
    for f, spellings in seen.items():
        accented = [(n, s) for s, n in spellings.items() if s != f]
        best[f] = max(accented)[1] if accented else f
    return best
