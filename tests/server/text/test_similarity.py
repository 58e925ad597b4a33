"""Similar-petition grouping on forty realistic petitions from Y Tý."""

from __future__ import annotations

import time

import pytest

from server.text.similarity import (
    GroupingSettings,
    TfidfVectors,
    cosine,
    propose_groups,
    similar_pairs,
)
from tests.bench.search_grouping import synthetic_petitions
from tests.server.text.voter_petitions import PETITIONS, TOPIC

EXPECTED_TOPICS = {"road", "water", "school", "health", "power", "land", "flood"}


def _petitions() -> list[tuple[str, str]]:
    return [(pid, text) for pid, _, text in PETITIONS]


@pytest.mark.parametrize("use_char_ngrams", [False, True])
def test_same_requests_group_and_different_topics_stay_apart(use_char_ngrams: bool) -> None:
    groups = propose_groups(_petitions(), GroupingSettings(use_char_ngrams=use_char_ngrams))

    proposed = {frozenset(g.ids) for g in groups}
    expected = {
        frozenset(pid for pid, topic in TOPIC.items() if topic == t) for t in EXPECTED_TOPICS
    }
    assert proposed == expected
    grouped = {pid for g in groups for pid in g.ids}
    assert not grouped & {pid for pid, topic in TOPIC.items() if topic == "single"}


def test_groups_carry_scores_and_readable_key_terms() -> None:
    groups = propose_groups(_petitions())
    by_topic = {TOPIC[g.ids[0]]: g for g in groups}

    assert len(groups[0].ids) >= len(groups[-1].ids)
    for group in groups:
        assert 0.3 <= group.score <= 1
        assert len(group.member_scores) == len(group.ids)
        assert list(group.ids) == sorted(group.ids)
    # shown the way voters wrote them, with diacritics, although some typed none
    assert "sạt lở" in by_topic["road"].key_terms
    assert "nước sạch" in by_topic["water"].key_terms
    assert "điện lưới" in by_topic["power"].key_terms
    assert "ngập lụt" in by_topic["flood"].key_terms or "thủy lợi" in by_topic["flood"].key_terms


def test_a_higher_threshold_splits_rather_than_mixes() -> None:
    for threshold in (0.25, 0.3, 0.35, 0.4, 0.5, 0.6):
        for group in propose_groups(_petitions(), GroupingSettings(threshold=threshold)):
            assert len({TOPIC[pid] for pid in group.ids}) == 1, threshold


def test_accented_and_unaccented_copies_are_near_identical() -> None:
    texts = [
        "Đề nghị sửa chữa mương thủy lợi thôn Tả Gú bị ngập lụt",
        "de nghi sua chua muong thuy loi thon Ta Gu bi ngap lut",
        "Cử tri đề nghị kéo điện lưới về thôn Phìn Hồ",
    ]
    model = TfidfVectors(texts)
    assert cosine(model.vectors[0], model.vectors[1]) == pytest.approx(1.0)
    assert cosine(model.vectors[0], model.vectors[2]) < 0.2


def test_char_ngrams_tolerate_telex_leftovers() -> None:
    texts = [
        "Ruộng thôn Tả Gú bị ngập lụt nặng",
        "Ruongj thon Ta Gu bi ngapj lutj nawngj",  # Telex keys left in by a hurried clerk
        "Trạm y tế thiếu bác sĩ",
    ]
    plain = TfidfVectors(texts)
    with_grams = TfidfVectors(texts, GroupingSettings(use_char_ngrams=True))
    typo_similarity = cosine(with_grams.vectors[0], with_grams.vectors[1])
    assert typo_similarity > cosine(plain.vectors[0], plain.vectors[1]) + 0.05
    assert typo_similarity >= GroupingSettings().threshold


def test_all_pairs_search_is_exact() -> None:
    """The prefix filter must find exactly the pairs a brute-force comparison finds."""
    model = TfidfVectors([text for _, text in _petitions()])
    for threshold in (0.1, 0.2, 0.3, 0.5):
        brute = {
            (i, j)
            for i in range(len(model.vectors))
            for j in range(i + 1, len(model.vectors))
            if cosine(model.vectors[i], model.vectors[j]) >= threshold
        }
        found = similar_pairs(model.vectors, model.document_frequency, threshold)
        assert {(i, j) for i, j, _ in found} == brute
        for i, j, score in found:
            assert score == pytest.approx(cosine(model.vectors[i], model.vectors[j]))


def test_ids_must_be_unique_and_empty_input_gives_no_groups() -> None:
    with pytest.raises(ValueError):
        propose_groups([("a", "nước sạch"), ("a", "nước sạch")])
    assert propose_groups([]) == []
    assert propose_groups([("a", "...")]) == []


def test_five_hundred_petitions_group_quickly_and_by_topic() -> None:
    petitions = synthetic_petitions(500)
    started = time.perf_counter()
    groups = propose_groups([(pid, text) for pid, _, text in petitions])
    elapsed = time.perf_counter() - started

    topic = {pid: key for pid, key, _ in petitions}
    assert elapsed < 2.0
    assert all(len({topic[p] for p in g.ids}) == 1 for g in groups)
    assert sum(len(g.ids) for g in groups) >= 450
