"""The one ranking both engines share: what it prefers, and that ties go to the newer."""

from __future__ import annotations

from server.text.ranking import Candidate, rank


def _ids(terms: list[str], candidates: list[Candidate]) -> list[int]:
    return [i for i, _ in rank(terms, candidates)]


def test_the_words_together_beat_the_words_apart() -> None:
    together = Candidate(1, "kien nghi", "nha dan bi ngap lut sau mua lon o ban")
    apart = Candidate(2, "kien nghi", "lut ve muon, nha dan bi ngap sau mua lon")
    assert _ids(["ngap", "lut"], [apart, together]) == [1, 2]


def test_words_in_the_title_count_more() -> None:
    in_title = Candidate(1, "sat lo ke suoi", "de nghi sua chua ke suoi")
    in_text = Candidate(2, "kien nghi cua cu tri", "de nghi sua ke suoi bi sat lo")
    assert _ids(["sat", "lo"], [in_text, in_title]) == [1, 2]


def test_whole_syllables_only_and_ties_to_the_newer() -> None:
    # "lo" inside "long" is not a hit; two equal texts rank newest (higher id) first.
    same = "duong bi sat lo"
    got = rank(["lo"], [Candidate(3, "", same), Candidate(7, "", same),
                        Candidate(5, "", "song long lanh")])
    assert [i for i, _ in got] == [7, 3, 5]
    assert got[0][1] == got[1][1] > got[2][1] == 0


def test_nothing_to_rank() -> None:
    assert rank([], [Candidate(1, "", "x")]) == [] and rank(["x"], []) == []
